-- A client's support staff, who sign in to the Sync Health pages and see that client's merchants
-- only. The password is kept as an argon2 PHC string (algorithm, parameters, salt and hash in one);
-- the password itself is never stored. An email signs in to one client: it is unique overall.

CREATE TABLE support_users (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    email         TEXT NOT NULL UNIQUE,     -- lower-cased and trimmed before it is stored
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL
);
CREATE INDEX support_users_by_client ON support_users(client_id, email);
