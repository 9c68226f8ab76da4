-- A team's workbench (serve --auth): users with hashed tokens, scenarios owned by a user and shared
-- read-only by a link key, and an audit log of every write.
CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);
ALTER TABLE scenarios ADD COLUMN owner TEXT;
ALTER TABLE scenarios ADD COLUMN share_key TEXT;
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT,
    action      TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    revision    INTEGER
);
