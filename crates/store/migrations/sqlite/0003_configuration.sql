-- A company's configuration document, and the accounting platform's reference data its options
-- are built from. Both belong to the company and go with it (ON DELETE CASCADE).

CREATE TABLE configurations (
    company_id    TEXT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    document      TEXT NOT NULL,        -- current-shape JSON (domain::config::to_current_json)
    version       INTEGER NOT NULL,     -- 1 on the first write, +1 on each (optimistic lock)
    updated       INTEGER NOT NULL,
    -- Copied from the document on every write, for the scheduler and for queries:
    enabled       INTEGER NOT NULL,     -- `enable` is true
    configured    INTEGER NOT NULL,     -- `configured` is true
    sync_hour     INTEGER,              -- as written; NULL when absent (the domain reads 0)
    time_zone     TEXT,                 -- IANA name as written; NULL means Etc/UTC
    start_date    TEXT,                 -- calendar day YYYY-MM-DD; NULL when absent or unreadable
    frequency     TEXT,                 -- selectedFrequency as written
    output_format TEXT NOT NULL         -- Documents | JournalEntry
);
CREATE INDEX configurations_scheduled ON configurations(company_id)
    WHERE enabled = 1 AND configured = 1;

CREATE TABLE reference_data (
    company_id    TEXT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    connection_id TEXT REFERENCES connections(id) ON DELETE SET NULL, -- NULL: stored by the client
    data          TEXT NOT NULL,        -- domain::reference_data::ReferenceData as JSON
    fetched       INTEGER NOT NULL      -- when it was read from the accounting platform
);
