-- Pushed datasets and the commerce records they carry.
-- Times are microseconds since the Unix epoch (UTC), as in 0001.

-- One push of one data type for one company, and what became of it.
CREATE TABLE datasets (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    connection_id   TEXT REFERENCES connections(id) ON DELETE SET NULL,
    data_type       TEXT NOT NULL,              -- e.g. commerce-orders
    status          TEXT NOT NULL,              -- Queued, Processing, Complete, …Error
    error_message   TEXT,
    received        INTEGER NOT NULL,
    inserted        INTEGER NOT NULL DEFAULT 0,
    modified        INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    deleted         INTEGER NOT NULL DEFAULT 0,
    rejected        INTEGER NOT NULL DEFAULT 0,
    rejections      TEXT NOT NULL DEFAULT '[]', -- JSON array of the rejected records' errors
    requested       INTEGER NOT NULL,
    completed       INTEGER
);
CREATE INDEX datasets_by_company ON datasets(company_id, requested, id);

-- The current version of every record: one row per (company, data type, id), whatever the
-- number of pushes, so concurrent pushes of the same dataset cannot leave two copies.
-- A rowid table (not WITHOUT ROWID): bodies are large, and the unique key is its own index.
CREATE TABLE records (
    company_id            TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    data_type             TEXT NOT NULL,
    id                    TEXT NOT NULL,
    version               INTEGER NOT NULL,     -- 1 when first stored, +1 on every change
    created_date          INTEGER,              -- selects the sync period; NULL when the model has none
    source_modified_date  INTEGER,              -- with id, the idempotency key
    deleted               INTEGER NOT NULL,     -- 0/1; a deleted record keeps its row (tombstone)
    body                  TEXT NOT NULL,        -- canonical JSON, kept byte for byte
    dataset_id            TEXT NOT NULL,        -- the push that wrote this version
    written               INTEGER NOT NULL,
    UNIQUE (company_id, data_type, id)
);
-- Period reads (live records only). Partial as on PostgreSQL, where it must never be a
-- candidate for lookups by id (see the PostgreSQL migration).
CREATE INDEX records_by_created ON records(company_id, data_type, created_date) WHERE deleted = 0;

-- Superseded versions (never the current one), so a later sync can post the difference.
CREATE TABLE record_versions (
    company_id            TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    data_type             TEXT NOT NULL,
    id                    TEXT NOT NULL,
    version               INTEGER NOT NULL,
    created_date          INTEGER,
    source_modified_date  INTEGER,
    deleted               INTEGER NOT NULL,
    body                  TEXT NOT NULL,
    dataset_id            TEXT NOT NULL,
    written               INTEGER NOT NULL,
    PRIMARY KEY (company_id, data_type, id, version)
);
