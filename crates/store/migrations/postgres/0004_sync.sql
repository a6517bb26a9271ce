-- The sync engine: the durable job queue, each company's schedule state, sync runs, their push
-- items, and what has been posted to the books (so a re-run posts only differences).
-- Times are microseconds since the Unix epoch (UTC), as in 0001.

-- Work for the workers. A job is claimed with a lease that its worker renews (heartbeat); a
-- job whose lease expired is claimed again by any worker, so a killed worker loses nothing.
CREATE TABLE jobs (
    id            UUID PRIMARY KEY,
    kind          TEXT NOT NULL,            -- sync
    company_id    UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    unique_key    TEXT NOT NULL,            -- one live job per key (e.g. the scheduled due date)
    payload       TEXT NOT NULL,            -- JSON, the kind's own
    status        TEXT NOT NULL,            -- queued, running, done, failed
    run_after     BIGINT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    lease_owner   TEXT,
    lease_expires BIGINT,
    last_error    TEXT,
    created       BIGINT NOT NULL,
    updated       BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_unique_key ON jobs(unique_key);
-- A company never has two jobs running: the second claim fails on this index.
CREATE UNIQUE INDEX jobs_one_running_per_company ON jobs(company_id) WHERE status = 'running';
CREATE INDEX jobs_due ON jobs(status, run_after);

-- Per company: where the schedule stands.
CREATE TABLE sync_schedules (
    company_id           UUID PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    last_success_end     BIGINT,           -- end of the last successful period (next starts here)
    consecutive_failures BIGINT NOT NULL DEFAULT 0, -- failing due days in a row
    disabled_at          BIGINT,
    disabled_reason      TEXT,
    config_version       BIGINT,           -- configuration version when disabled (re-enable = newer)
    changes_since        BIGINT,           -- records written after this may adjust posted periods
    updated              BIGINT NOT NULL
);

-- One sync: a period of one company, its status code and messages.
CREATE TABLE syncs (
    id                UUID PRIMARY KEY,
    company_id        UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,        -- scheduled, latest, historic, retry
    period_start      BIGINT NOT NULL,
    period_end        BIGINT NOT NULL,
    status_code       BIGINT NOT NULL,
    status            TEXT NOT NULL,
    error_message     TEXT,
    exception_message TEXT,
    data_pushed       BOOLEAN NOT NULL DEFAULT FALSE,
    requested         BIGINT NOT NULL,
    started           BIGINT,
    completed         BIGINT,
    planned           BOOLEAN NOT NULL DEFAULT FALSE -- push items and posted state are stored
);
CREATE INDEX syncs_by_company ON syncs(company_id, requested, id);

-- One document of a sync, recorded before and after its remote write.
CREATE TABLE push_items (
    key            UUID PRIMARY KEY,       -- pushOperationKey
    sync_id        UUID NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    company_id     UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,       -- write order within the sync
    document_key   TEXT NOT NULL,          -- DocumentKey::full(): the idempotency key
    kind           TEXT NOT NULL,
    document       TEXT NOT NULL,          -- the document as mapped (JSON)
    status         TEXT NOT NULL,          -- Pending, Success, Failed, TimedOut
    status_code    BIGINT NOT NULL,
    platform_id    TEXT,
    platform_number TEXT,
    platform_status TEXT,
    error_message  TEXT,
    validation     TEXT,                   -- JSON {errors, warnings}
    attempts       BIGINT NOT NULL DEFAULT 0,
    requested      BIGINT NOT NULL,
    started        BIGINT,
    completed      BIGINT,
    UNIQUE (company_id, document_key)
);
CREATE INDEX push_items_by_sync ON push_items(sync_id, position);
CREATE INDEX push_items_by_company ON push_items(company_id, requested, key);

-- What each record contributed when posted, and the last revision per period label.
CREATE TABLE posted_records (
    company_id           UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    record_key           TEXT NOT NULL,    -- orders/<id>, payments/<id>, transactions/<id>
    period               TEXT NOT NULL,
    source_modified_date BIGINT,
    contribution         TEXT NOT NULL,    -- JSON Totals
    PRIMARY KEY (company_id, record_key)
);
CREATE TABLE posted_revisions (
    company_id UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    revision   BIGINT NOT NULL,
    PRIMARY KEY (company_id, period)
);

-- Records written since a sync read them (modifications, deletes, late arrivals).
CREATE INDEX records_by_written ON records(company_id, data_type, written);
