-- The configuration each sync ran with, so support sees what the run saw even after the
-- merchant changed it.
CREATE TABLE sync_configurations (
    sync_id   UUID PRIMARY KEY REFERENCES syncs(id) ON DELETE CASCADE,
    version   BIGINT NOT NULL,
    document  TEXT NOT NULL  -- JSON, current shape
);
