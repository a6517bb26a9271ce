-- Clients, their API keys, companies and connections.
-- Times are microseconds since the Unix epoch (UTC): exact, sortable, identical on both databases.

CREATE TABLE clients (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created     BIGINT NOT NULL
);

CREATE TABLE api_keys (
    key_hash    TEXT PRIMARY KEY,          -- hex SHA-256 of the key; the key itself is never stored
    client_id   UUID NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    created     BIGINT NOT NULL
);

CREATE TABLE companies (
    id          UUID PRIMARY KEY,
    client_id   UUID NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    tags        JSONB NOT NULL DEFAULT '{}',
    created     BIGINT NOT NULL,
    last_sync   BIGINT
);
CREATE INDEX companies_by_client ON companies(client_id, created, id);

CREATE TABLE connections (
    id                UUID PRIMARY KEY,
    company_id        UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    platform_key      TEXT NOT NULL,
    status            TEXT NOT NULL,
    created           BIGINT NOT NULL,
    last_sync         BIGINT,
    error_message     TEXT,
    error_status_code TEXT,
    errored_on        BIGINT,
    credentials       BYTEA               -- sealed (AES-256-GCM) by the platforms crate; NULL when none
);
CREATE INDEX connections_by_company ON connections(company_id, created, id);
