-- Pushed datasets and the commerce records they carry.
-- Times are microseconds since the Unix epoch (UTC), as in 0001.

-- One push of one data type for one company, and what became of it.
CREATE TABLE datasets (
    id              UUID PRIMARY KEY,
    company_id      UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    connection_id   UUID REFERENCES connections(id) ON DELETE SET NULL,
    data_type       TEXT NOT NULL,              -- e.g. commerce-orders
    status          TEXT NOT NULL,              -- Queued, Processing, Complete, …Error
    error_message   TEXT,
    received        BIGINT NOT NULL,
    inserted        BIGINT NOT NULL DEFAULT 0,
    modified        BIGINT NOT NULL DEFAULT 0,
    unchanged       BIGINT NOT NULL DEFAULT 0,
    deleted         BIGINT NOT NULL DEFAULT 0,
    rejected        BIGINT NOT NULL DEFAULT 0,
    rejections      TEXT NOT NULL DEFAULT '[]', -- JSON array of the rejected records' errors
    requested       BIGINT NOT NULL,
    completed       BIGINT
);
CREATE INDEX datasets_by_company ON datasets(company_id, requested, id);

-- The current version of every record: one row per (company, data type, id), whatever the
-- number of pushes, so concurrent pushes of the same dataset cannot leave two copies.
-- Bodies are TEXT, not JSONB: JSONB would reorder keys and lose the exact text we echo.
CREATE TABLE records (
    company_id            UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    data_type             TEXT NOT NULL,
    id                    TEXT NOT NULL,
    version               BIGINT NOT NULL,      -- 1 when first stored, +1 on every change
    created_date          BIGINT,               -- selects the sync period; NULL when the model has none
    source_modified_date  BIGINT,               -- with id, the idempotency key
    deleted               BOOLEAN NOT NULL,     -- a deleted record keeps its row (tombstone)
    body                  TEXT NOT NULL,        -- canonical JSON, kept byte for byte
    dataset_id            UUID NOT NULL,        -- the push that wrote this version
    written               BIGINT NOT NULL,
    UNIQUE (company_id, data_type, id)
);
-- Period reads (live records only). Partial, so it is never a candidate for lookups by id:
-- on a fresh table without statistics PostgreSQL otherwise scans it for an id, per id.
CREATE INDEX records_by_created ON records(company_id, data_type, created_date) WHERE NOT deleted;

-- Superseded versions (never the current one), so a later sync can post the difference.
CREATE TABLE record_versions (
    company_id            UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    data_type             TEXT NOT NULL,
    id                    TEXT NOT NULL,
    version               BIGINT NOT NULL,
    created_date          BIGINT,
    source_modified_date  BIGINT,
    deleted               BOOLEAN NOT NULL,
    body                  TEXT NOT NULL,
    dataset_id            UUID NOT NULL,
    written               BIGINT NOT NULL,
    PRIMARY KEY (company_id, data_type, id, version)
);
