-- The pages' state: sessions of merchants in the Sync Flow and of support users, the one-time
-- codes already spent, and which company the client's own merchant identifier names.

CREATE TABLE page_sessions (
    id          TEXT PRIMARY KEY,      -- hex SHA-256 of the cookie's token; the token is never stored
    kind        TEXT NOT NULL,         -- 'flow' | 'support'
    client_id   UUID NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    company_id  UUID REFERENCES companies(id) ON DELETE CASCADE,
    data        TEXT NOT NULL,         -- JSON: the session's own state (locale, CSRF token, draft)
    created     BIGINT NOT NULL,
    expires     BIGINT NOT NULL
);
CREATE INDEX page_sessions_by_expiry ON page_sessions(expires);

CREATE TABLE spent_codes (
    id          TEXT PRIMARY KEY,      -- the code's nonce
    expires     BIGINT NOT NULL       -- kept until the code could no longer be used anyway
);

CREATE TABLE merchant_companies (
    client_id            UUID NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    merchant_identifier  TEXT NOT NULL,
    company_id           UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, merchant_identifier)
);
