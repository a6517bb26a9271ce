-- The raw body of a pushed dataset, written in the same transaction as its `Queued` row and
-- deleted when the dataset finishes: a push answered 2xx survives a crash before its records
-- are stored, and whichever process starts next (or its resumer) stores them.
CREATE TABLE dataset_bodies (
    dataset_id UUID PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
    body       BYTEA NOT NULL
);
