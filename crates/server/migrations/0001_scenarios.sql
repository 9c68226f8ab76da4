-- Scenarios: a deal (TOML), settings (JSON), the last assessment (JSON), and every saved revision.
CREATE TABLE scenarios (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    deal_toml   TEXT NOT NULL,
    settings    TEXT NOT NULL DEFAULT '{}',
    assessment  TEXT,
    revision    INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE scenario_history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    deal_toml   TEXT NOT NULL,
    settings    TEXT NOT NULL,
    saved_at    TEXT NOT NULL
);
CREATE INDEX scenario_history_by_scenario ON scenario_history (scenario_id, revision);
