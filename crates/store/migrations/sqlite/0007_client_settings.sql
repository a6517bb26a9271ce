-- A client's own settings, one JSON value per name: which account slots its merchants see per
-- platform (`visibleAccounts.<platformKey>`), and later UI texts and branding.
CREATE TABLE client_settings (
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,  -- JSON
    updated   INTEGER NOT NULL,
    PRIMARY KEY (client_id, name)
);
