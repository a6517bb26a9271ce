-- Clients, their API keys, companies and connections.
-- Times are microseconds since the Unix epoch (UTC): exact, sortable, identical on both databases.

CREATE TABLE clients (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created     INTEGER NOT NULL
);

CREATE TABLE api_keys (
    key_hash    TEXT PRIMARY KEY,          -- hex SHA-256 of the key; the key itself is never stored
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL
);

CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    tags        TEXT NOT NULL DEFAULT '{}', -- JSON object
    created     INTEGER NOT NULL,
    last_sync   INTEGER
);
CREATE INDEX companies_by_client ON companies(client_id, created, id);

CREATE TABLE connections (
    id                TEXT PRIMARY KEY,
    company_id        TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    platform_key      TEXT NOT NULL,
    status            TEXT NOT NULL,
    created           INTEGER NOT NULL,
    last_sync         INTEGER,
    error_message     TEXT,
    error_status_code TEXT,
    errored_on        INTEGER,
    credentials       BLOB                -- sealed (AES-256-GCM) by the platforms crate; NULL when none
);
CREATE INDEX connections_by_company ON connections(company_id, created, id);
