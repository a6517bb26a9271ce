-- A company's configuration document, and the accounting platform's reference data its options
-- are built from. Both belong to the company and go with it (ON DELETE CASCADE).

CREATE TABLE configurations (
    company_id    UUID PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    -- JSON, not JSONB: JSONB reorders object keys, and the `accounts`/`taxRates` maps must come
    -- back in the order they were offered.
    document      JSON NOT NULL,        -- current-shape JSON (domain::config::to_current_json)
    version       BIGINT NOT NULL,      -- 1 on the first write, +1 on each (optimistic lock)
    updated       BIGINT NOT NULL,
    -- Copied from the document on every write, for the scheduler and for queries:
    enabled       BOOLEAN NOT NULL,     -- `enable` is true
    configured    BOOLEAN NOT NULL,     -- `configured` is true
    sync_hour     BIGINT,               -- as written; NULL when absent (the domain reads 0)
    time_zone     TEXT,                 -- IANA name as written; NULL means Etc/UTC
    start_date    TEXT,                 -- calendar day YYYY-MM-DD; NULL when absent or unreadable
    frequency     TEXT,                 -- selectedFrequency as written
    output_format TEXT NOT NULL         -- Documents | JournalEntry
);
CREATE INDEX configurations_scheduled ON configurations(company_id) WHERE enabled AND configured;

CREATE TABLE reference_data (
    company_id    UUID PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    connection_id UUID REFERENCES connections(id) ON DELETE SET NULL, -- NULL: stored by the client
    data          JSONB NOT NULL,       -- domain::reference_data::ReferenceData (no ordered maps)
    fetched       BIGINT NOT NULL       -- when it was read from the accounting platform
);
