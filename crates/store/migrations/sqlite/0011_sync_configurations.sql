-- The configuration each sync ran with, so support sees what the run saw even after the
-- merchant changed it.
CREATE TABLE sync_configurations (
    sync_id   TEXT PRIMARY KEY REFERENCES syncs(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    document  TEXT NOT NULL  -- JSON, current shape
);
