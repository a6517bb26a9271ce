-- Webhooks to clients: their endpoints, the events we emit, and one delivery per event and endpoint,
-- with each attempt. Times are microseconds since the Unix epoch (UTC), as everywhere.

CREATE TABLE webhook_endpoints (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    description TEXT,
    events      TEXT NOT NULL DEFAULT '[]', -- JSON array of event types; [] means every type
    enabled     INTEGER NOT NULL,
    secret      BLOB NOT NULL,              -- the signing secret, sealed (AES-256-GCM) by the engine
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_by_client ON webhook_endpoints(client_id, created, id);

CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    event_type  TEXT NOT NULL,
    company_id  TEXT,                       -- no foreign key: the log outlives a deleted company
    payload     TEXT NOT NULL,              -- JSON: the envelope's `data`
    occurred    INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    status          TEXT NOT NULL,          -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0, -- attempts begun
    next_attempt    INTEGER,                -- when pending: due from this time
    lease_until     INTEGER,                -- a worker holds the delivery until then
    claim           TEXT,                   -- the holding worker's claim token
    last_status_code INTEGER,
    last_error      TEXT,
    last_attempt    INTEGER,
    delivered_at    INTEGER,
    created         INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_client ON webhook_deliveries(client_id, created, id);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, created, id);

CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,           -- 1 for the first attempt
    started     INTEGER NOT NULL,
    finished    INTEGER,                    -- NULL while in flight, or when the worker lost its lease
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, number)
);
