//! Scenarios in SQLite: embedded, created on first run, migrations versioned
//! in `migrations/`, WAL journal with synchronous=FULL so that a save that was
//! acknowledged survives a crash or a kill -9. Every save also appends to the
//! scenario's history.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

const MIGRATIONS: [(i64, &str); 2] = [
    (1, include_str!("../migrations/0001_scenarios.sql")),
    (2, include_str!("../migrations/0002_users.sql")),
];

#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    Corrupt(String),
    /// An update named a revision that is no longer the scenario's.
    Conflict {
        current: i64,
    },
    /// The database has reached its size quota.
    Quota {
        limit_bytes: u64,
    },
}

/// What kind of database fault an error is, for the API to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The disk (or the database's size limit) is full.
    Full,
    /// The file or its folder is read-only.
    ReadOnly,
    /// Another process holds a lock longer than the wait allows.
    Busy,
    /// The file is damaged.
    Corrupt,
    /// Anything else.
    Other,
}

/// An integrity check's report in one line: its first problem and how many
/// there are ("ok" stays "ok").
pub fn integrity_summary(check: &str) -> String {
    let problems: Vec<&str> = check
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("***"))
        .collect();
    match problems.as_slice() {
        [] => check.trim().to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first}; and {} more problems", rest.len()),
    }
}

impl StoreError {
    pub fn fault(&self) -> Fault {
        use rusqlite::ErrorCode as C;
        match self {
            StoreError::Corrupt(_) => Fault::Corrupt,
            StoreError::Conflict { .. } => Fault::Other,
            StoreError::Quota { .. } => Fault::Full,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => match e.code {
                C::DiskFull => Fault::Full,
                C::ReadOnly | C::CannotOpen | C::PermissionDenied => Fault::ReadOnly,
                C::DatabaseBusy | C::DatabaseLocked => Fault::Busy,
                C::DatabaseCorrupt | C::NotADatabase => Fault::Corrupt,
                _ => Fault::Other,
            },
            StoreError::Sqlite(_) => Fault::Other,
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "database: {e}"),
            StoreError::Corrupt(m) => write!(f, "database: {m}"),
            StoreError::Conflict { current } => {
                write!(f, "the scenario is at revision {current}")
            }
            StoreError::Quota { limit_bytes } => {
                write!(
                    f,
                    "the database has reached its quota of {limit_bytes} bytes"
                )
            }
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

/// A saved scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub deal_toml: String,
    pub settings: Value,
    pub assessment: Option<Value>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    /// Its owner (`serve --auth`); null in the single-user mode.
    pub owner: Option<String>,
    /// The key of its read-only share link (`/api/scenarios/{id}?key=...`),
    /// shown to its owner only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_key: Option<String>,
}

/// What a client sends to save a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInput {
    pub title: String,
    pub deal_toml: String,
    pub settings: Value,
    pub assessment: Option<Value>,
}

/// The default size quota of a scenarios database, bytes (each save is
/// stored twice: the scenario and its history).
pub const DEFAULT_QUOTA_BYTES: u64 = 256 << 20;

pub struct Store {
    conn: Connection,
    path: std::path::PathBuf,
    /// Writes that would take the database past this size are refused.
    pub quota_bytes: u64,
    /// `PRAGMA integrity_check` when the database was opened (after a crash,
    /// this is the check that matters; it is O(database), so `/api/health`
    /// reports this one and runs a fresh one only when asked).
    integrity_at_open: String,
}

/// A scenarios row as SQLite gives it back.
type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn now() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}.{:03}", d.as_secs(), d.subsec_millis())
}

fn new_id() -> String {
    random_hex(16)
}

/// `n` random hex digits from the thread's cryptographic generator.
fn random_hex(n: usize) -> String {
    use rand::Rng;
    let mut r = rand::thread_rng();
    (0..n)
        .map(|_| format!("{:x}", r.gen_range(0..16u8)))
        .collect()
}

/// The stored form of a token: its SHA-256, hex. Tokens are 64 random hex
/// digits (256 bits), so a plain hash is enough to make a stolen database
/// useless for logging in.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Who does something, and what they may see: a named user (`serve --auth`),
/// or the single user of a loopback workbench.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The loopback single-user mode: every scenario is theirs.
    Local,
    User(String),
}

impl Actor {
    fn name(&self) -> Option<&str> {
        match self {
            Actor::Local => None,
            Actor::User(u) => Some(u),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &std::path::Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut s = Store {
            conn,
            path: path.to_path_buf(),
            quota_bytes: DEFAULT_QUOTA_BYTES,
            integrity_at_open: String::new(),
        };
        s.migrate()?;
        s.integrity_at_open = s.integrity_check()?;
        Ok(s)
    }

    /// A second, read-only connection to the same file: with WAL, reads on it
    /// never wait for a write in progress on this one.
    pub fn reader(&self) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Store {
            conn,
            path: self.path.clone(),
            quota_bytes: self.quota_bytes,
            integrity_at_open: self.integrity_at_open.clone(),
        })
    }

    /// Refuses a write of about `incoming` bytes that would pass the quota.
    fn room_for(&self, incoming: usize) -> Result<(), StoreError> {
        let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        // a save writes the scenario and its history: twice the text
        let after = (pages.max(0) as u64) * (size.max(0) as u64) + 2 * incoming as u64;
        if after > self.quota_bytes {
            return Err(StoreError::Quota {
                limit_bytes: self.quota_bytes,
            });
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")?;
        for (v, sql) in MIGRATIONS {
            let done: Option<i64> = self
                .conn
                .query_row(
                    "SELECT version FROM schema_migrations WHERE version = ?1",
                    [v],
                    |r| r.get(0),
                )
                .optional()?;
            if done.is_none() {
                let tx = self.conn.transaction()?;
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                    params![v, now()],
                )?;
                tx.commit()?;
            }
        }
        Ok(())
    }

    /// The schema version applied.
    pub fn version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?)
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ))
    }

    fn to_scenario(t: Row) -> Result<Scenario, StoreError> {
        let settings = serde_json::from_str(&t.3)
            .map_err(|e| StoreError::Corrupt(format!("settings of {}: {e}", t.0)))?;
        let assessment = match t.4 {
            Some(a) => Some(
                serde_json::from_str(&a)
                    .map_err(|e| StoreError::Corrupt(format!("assessment of {}: {e}", t.0)))?,
            ),
            None => None,
        };
        Ok(Scenario {
            id: t.0,
            title: t.1,
            deal_toml: t.2,
            settings,
            assessment,
            revision: t.5,
            created_at: t.6,
            updated_at: t.7,
            owner: t.8,
            share_key: t.9,
        })
    }

    pub fn create(&mut self, input: &ScenarioInput) -> Result<Scenario, StoreError> {
        self.create_as(input, &Actor::Local)
    }

    /// Saves a new scenario owned by `actor`, with a share key, and logs it.
    pub fn create_as(
        &mut self,
        input: &ScenarioInput,
        actor: &Actor,
    ) -> Result<Scenario, StoreError> {
        self.room_for(input.title.len() + input.deal_toml.len())?;
        let id = new_id();
        let t = now();
        let settings = input.settings.to_string();
        let assessment = input.assessment.as_ref().map(Value::to_string);
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO scenarios (id, title, deal_toml, settings, assessment, revision, created_at, updated_at, owner, share_key) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7, ?8)",
            params![id, input.title, input.deal_toml, settings, assessment, t, actor.name(), random_hex(24)],
        )?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, scenario_id, revision) VALUES (?1, ?2, 'create', ?3, 1)",
            params![t, actor.name(), id],
        )?;
        tx.execute(
            "INSERT INTO scenario_history (scenario_id, revision, title, deal_toml, settings, saved_at) VALUES (?1, 1, ?2, ?3, ?4, ?5)",
            params![id, input.title, input.deal_toml, settings, t],
        )?;
        tx.commit()?;
        self.get(&id)?
            .ok_or_else(|| StoreError::Corrupt("a scenario vanished after saving".into()))
    }

    pub fn get(&self, id: &str) -> Result<Option<Scenario>, StoreError> {
        let t = self
            .conn
            .query_row(
                "SELECT id, title, deal_toml, settings, assessment, revision, created_at, updated_at, owner, share_key FROM scenarios WHERE id = ?1",
                [id],
                Self::row,
            )
            .optional()?;
        t.map(Self::to_scenario).transpose()
    }

    /// Updates a scenario; with `expected` set, only if it is still at that
    /// revision (optimistic concurrency: two editors cannot silently
    /// overwrite each other).
    pub fn update(
        &mut self,
        id: &str,
        input: &ScenarioInput,
        expected: Option<i64>,
    ) -> Result<Option<Scenario>, StoreError> {
        self.update_as(id, input, expected, &Actor::Local)
    }

    /// [`Store::update`] by `actor`, logged.
    pub fn update_as(
        &mut self,
        id: &str,
        input: &ScenarioInput,
        expected: Option<i64>,
        actor: &Actor,
    ) -> Result<Option<Scenario>, StoreError> {
        self.room_for(input.title.len() + input.deal_toml.len())?;
        let t = now();
        let settings = input.settings.to_string();
        let assessment = input.assessment.as_ref().map(Value::to_string);
        let tx = self.conn.transaction()?;
        if let Some(rev) = expected {
            let current: Option<i64> = tx
                .query_row(
                    "SELECT revision FROM scenarios WHERE id = ?1",
                    params![id],
                    |r| r.get(0),
                )
                .optional()?;
            match current {
                None => return Ok(None),
                Some(c) if c != rev => return Err(StoreError::Conflict { current: c }),
                Some(_) => {}
            }
        }
        let n = tx.execute(
            "UPDATE scenarios SET title = ?2, deal_toml = ?3, settings = ?4, assessment = ?5, revision = revision + 1, updated_at = ?6 WHERE id = ?1",
            params![id, input.title, input.deal_toml, settings, assessment, t],
        )?;
        if n == 0 {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO scenario_history (scenario_id, revision, title, deal_toml, settings, saved_at) SELECT id, revision, title, deal_toml, settings, ?2 FROM scenarios WHERE id = ?1",
            params![id, t],
        )?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, scenario_id, revision) SELECT ?1, ?2, 'update', id, revision FROM scenarios WHERE id = ?3",
            params![t, actor.name(), id],
        )?;
        tx.commit()?;
        self.get(id)
    }

    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        self.delete_as(id, &Actor::Local)
    }

    /// [`Store::delete`] by `actor`, logged.
    pub fn delete_as(&mut self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM scenarios WHERE id = ?1", [id])?;
        if n > 0 {
            tx.execute(
                "INSERT INTO audit (at, actor, action, scenario_id) VALUES (?1, ?2, 'delete', ?3)",
                params![now(), actor.name(), id],
            )?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// The scenarios an actor may list: all of them for the local user, their
    /// own for a named one.
    pub fn list_for(&self, actor: &Actor) -> Result<Vec<Value>, StoreError> {
        let Actor::User(name) = actor else {
            return self.list();
        };
        let mut st = self.conn.prepare(
            "SELECT id, title, revision, updated_at FROM scenarios WHERE owner = ?1 ORDER BY updated_at DESC",
        )?;
        let rows = st.query_map([name], |r| {
            Ok(serde_json::json!({"id": r.get::<_, String>(0)?, "title": r.get::<_, String>(1)?, "revision": r.get::<_, i64>(2)?, "updated_at": r.get::<_, String>(3)?}))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Adds a user and returns their token (shown once; only its hash is kept).
    pub fn add_user(&mut self, name: &str) -> Result<String, StoreError> {
        let token = random_hex(64);
        self.conn.execute(
            "INSERT INTO users (name, token_hash, created_at) VALUES (?1, ?2, ?3)",
            params![name, token_hash(&token), now()],
        )?;
        Ok(token)
    }

    /// Removes a user (their scenarios stay, owned by nobody who can log in).
    pub fn remove_user(&mut self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM users WHERE name = ?1", [name])?
            > 0)
    }

    /// Every user: name and when they were added.
    pub fn users(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT name, created_at FROM users ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The user a token belongs to.
    pub fn user_for_token(&self, token: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT name FROM users WHERE token_hash = ?1",
                [token_hash(token)],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// How many writes the audit log holds.
    pub fn audit_len(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))?)
    }

    /// Every scenario (id, title, revision, updated_at), newest first.
    pub fn list(&self) -> Result<Vec<Value>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, title, revision, updated_at FROM scenarios ORDER BY updated_at DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(serde_json::json!({"id": r.get::<_, String>(0)?, "title": r.get::<_, String>(1)?, "revision": r.get::<_, i64>(2)?, "updated_at": r.get::<_, String>(3)?}))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// A saved revision of a scenario: the scenario as it was saved then (its
    /// title, deal and settings; the assessment is not kept per revision, so
    /// it is null), with the scenario's owner and share key. None when there
    /// is no such scenario or revision.
    pub fn get_revision(&self, id: &str, revision: i64) -> Result<Option<Scenario>, StoreError> {
        let Some(current) = self.get(id)? else {
            return Ok(None);
        };
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT title, deal_toml, settings, saved_at FROM scenario_history WHERE scenario_id = ?1 AND revision = ?2 ORDER BY seq DESC LIMIT 1",
                params![id, revision],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((title, deal_toml, settings, saved_at)) = row else {
            return Ok(None);
        };
        let settings = serde_json::from_str(&settings).map_err(|e| {
            StoreError::Corrupt(format!("settings of {id} revision {revision}: {e}"))
        })?;
        Ok(Some(Scenario {
            title,
            deal_toml,
            settings,
            assessment: None,
            revision,
            updated_at: saved_at,
            ..current
        }))
    }

    /// How many revisions of a scenario are kept.
    #[allow(dead_code)] // tests and checks
    pub fn history_len(&self, id: &str) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM scenario_history WHERE scenario_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }

    /// The integrity check run when the database was opened.
    pub fn integrity_at_open(&self) -> &str {
        &self.integrity_at_open
    }

    /// SQLite's own integrity check, now.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(t: &str) -> ScenarioInput {
        ScenarioInput {
            title: t.into(),
            deal_toml: "[deal]".into(),
            settings: serde_json::json!({"k": 1}),
            assessment: None,
        }
    }

    #[test]
    fn scenarios_round_trip_with_history() {
        let dir = std::env::temp_dir().join(format!("allylens-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let mut s = Store::open(&path).expect("opens");
        assert_eq!(s.version().expect("version"), 2);
        let a = s.create(&input("first")).expect("creates");
        assert_eq!(
            s.get(&a.id).expect("gets").map(|x| x.title),
            Some("first".to_string())
        );
        let b = s
            .update(&a.id, &input("second"), Some(1))
            .expect("updates")
            .expect("exists");
        assert_eq!(b.revision, 2);
        // an editor still at revision 1 cannot overwrite revision 2
        assert!(matches!(
            s.update(&a.id, &input("stale"), Some(1)),
            Err(StoreError::Conflict { current: 2 })
        ));
        assert_eq!(s.history_len(&a.id).expect("history"), 2);
        assert!(s.update("nope", &input("x"), None).expect("runs").is_none());
        assert_eq!(s.list().expect("lists").len(), 1);
        drop(s);
        // reopening keeps everything and does not re-run migrations
        let mut s = Store::open(&path).expect("reopens");
        assert_eq!(s.get(&a.id).expect("gets").map(|x| x.revision), Some(2));
        assert!(s.delete(&a.id).expect("deletes"));
        assert!(!s.delete(&a.id).expect("deletes"));
        assert_eq!(s.integrity_check().expect("check"), "ok");
        // a read-only connection sees what was written, and cannot write
        let b = s.create(&input("third")).expect("creates");
        let mut r = s.reader().expect("a reader");
        assert_eq!(
            r.get(&b.id).expect("reads").map(|x| x.title),
            Some("third".into())
        );
        assert!(r.create(&input("nope")).is_err(), "read-only");
        // the quota refuses what would pass it
        s.quota_bytes = 1;
        assert!(matches!(
            s.create(&input("big")),
            Err(StoreError::Quota { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
