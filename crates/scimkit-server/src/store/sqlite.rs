//! [`SqliteStore`]: the embedded store. One database file (or a private
//! in-memory database), tables and indexes from scimkit-sql's DDL, group
//! memberships in their own table, password hashes in another.
//!
//! Concurrency and durability:
//!
//! - Files run in WAL mode with `synchronous = FULL`: a write is
//!   acknowledged only after its commit is on disk, so a crash loses no
//!   acknowledged write (`NORMAL` would risk the last commits on power
//!   loss).
//! - One connection writes; every write is a `BEGIN IMMEDIATE`
//!   transaction that reads the current row, applies the change and
//!   stores the result, so writers to one resource are serialised and no
//!   update is lost (also across processes sharing the file: SQLite's
//!   write lock with a busy timeout).
//! - Reads use a small pool of further connections, which WAL lets run
//!   beside the writer. An in-memory database has one connection for
//!   everything (SQLite's in-memory databases are private to their
//!   connection).

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params_from_iter, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use scimkit_entra::ResourceKind;
use scimkit_schema::ScimError;
use scimkit_sql::{register_functions, ColumnMap, Dialect, Memberships, Select, Sql, Table};
use serde_json::Value;

use super::membership;
use super::sqlite_members as members;
use super::{not_found, storage_error, Change, ListPlan, ListedRows, Store, Write};

/// Readers beside the writer, for a database file.
const READERS: usize = 4;

/// The embedded SQLite store.
#[derive(Debug)]
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    users: Table,
    groups: Table,
    memberships: Memberships,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`; `":memory:"` is a
    /// private in-memory database.
    ///
    /// Errors: a `500` when the file cannot be opened or the schema cannot
    /// be created.
    pub fn open(path: &str) -> Result<Self, ScimError> {
        let memberships = Memberships::new("memberships")?;
        let users = Table::new("users")?
            .with_columns(ColumnMap::all())
            .with_groups(memberships.clone());
        let groups = Table::new("groups")?
            .with_columns(ColumnMap::all().without(scimkit_sql::Column::UserName))
            .with_members(memberships.clone());
        let memory = path == ":memory:";
        let writer = open_connection(path, memory)?;
        let mut schema = users.ddl(Dialect::Sqlite);
        schema.extend(groups.ddl(Dialect::Sqlite));
        schema.extend(members::ddl(&memberships));
        for statement in &schema {
            writer
                .execute(statement, [])
                .map_err(|e| storage_error("creating the schema", e))?;
        }
        let readers = if memory {
            Vec::new()
        } else {
            (0..READERS)
                .map(|_| open_connection(path, false).map(Mutex::new))
                .collect::<Result<_, _>>()?
        };
        Ok(Self {
            writer: Mutex::new(writer),
            readers,
            users,
            groups,
            memberships,
        })
    }

    /// Stores many new resources in one transaction (a bulk load: one
    /// commit, one fsync), as [`Store::create`] would one by one.
    ///
    /// Errors: the first failing resource's; nothing is stored then.
    pub fn import(
        &self,
        kind: ResourceKind,
        writes: impl IntoIterator<Item = Write>,
    ) -> Result<usize, ScimError> {
        self.write("committing an import", |tx| {
            let mut n = 0;
            for write in writes {
                self.store(tx, kind, write, true)?;
                n += 1;
            }
            Ok(n)
        })
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction on the writer and
    /// commits what it returns `Ok` for; an error rolls everything back.
    fn write<T>(
        &self,
        what: &str,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, ScimError>,
    ) -> Result<T, ScimError> {
        let mut conn = self.write_lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| storage_error("starting a transaction", e))?;
        let out = work(&tx)?;
        tx.commit().map_err(|e| storage_error(what, e))?;
        Ok(out)
    }

    fn table(&self, kind: ResourceKind) -> &Table {
        match kind {
            ResourceKind::User => &self.users,
            _ => &self.groups,
        }
    }

    fn write_lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open
        // (rusqlite rolls back on drop), so a poisoned lock is still usable.
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A reader that is free, else the first one (waiting for it); the
    /// writer when there are no readers.
    fn read_lock(&self) -> MutexGuard<'_, Connection> {
        for reader in &self.readers {
            if let Ok(guard) = reader.try_lock() {
                return guard;
            }
        }
        match self.readers.first() {
            Some(reader) => reader
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            None => self.write_lock(),
        }
    }
}

fn open_connection(path: &str, memory: bool) -> Result<Connection, ScimError> {
    let conn = if memory {
        Connection::open_in_memory()
    } else {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }
    .map_err(|e| storage_error("opening the database", e))?;
    let setup = || -> rusqlite::Result<()> {
        conn.busy_timeout(Duration::from_secs(5))?;
        if !memory {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        register_functions(&conn)
    };
    setup().map_err(|e| storage_error("configuring the database", e))?;
    Ok(conn)
}

/// Runs `sql` on `conn`, mapping a `UNIQUE` violation to `409 uniqueness`.
fn execute(conn: &Connection, sql: &Sql, what: &str) -> Result<usize, ScimError> {
    conn.execute(&sql.text, params_from_iter(&sql.params))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                ScimError::uniqueness("userName is already taken").with_source(e)
            }
            _ => storage_error(what, e),
        })
}

fn read_doc(conn: &Connection, table: &Table, id: &str) -> Result<Option<Value>, ScimError> {
    let text: Option<String> = conn
        .query_row(
            &format!("SELECT doc FROM \"{}\" WHERE id = ?1", table.name()),
            [id],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| storage_error("reading a resource", e))?;
    text.map(|t| parse_doc(&t)).transpose()
}

fn parse_doc(text: &str) -> Result<Value, ScimError> {
    serde_json::from_str(text).map_err(|e| storage_error("decoding a stored resource", e))
}

impl SqliteStore {
    /// Fills `members` (groups) or `groups` (users) of `docs` from the
    /// membership table, in one query per page.
    fn fill(
        &self,
        conn: &Connection,
        kind: ResourceKind,
        docs: &mut [Value],
    ) -> Result<(), ScimError> {
        members::fill(conn, &self.memberships, kind, docs)
    }

    /// Stores `write` (insert or replace) for a resource, with its
    /// memberships and password, inside the caller's transaction.
    fn store(
        &self,
        conn: &Connection,
        kind: ResourceKind,
        mut write: Write,
        insert: bool,
    ) -> Result<Value, ScimError> {
        let table = self.table(kind);
        let members = membership::split(kind, &mut write.doc);
        let sql = if insert {
            table.insert(Dialect::Sqlite, &write.doc)?
        } else {
            table.upsert(Dialect::Sqlite, &write.doc)?
        };
        execute(conn, &sql, "storing a resource")?;
        let id = write
            .doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(members) = members {
            members::replace(conn, &self.memberships, &id, members.as_ref())?;
        }
        if let Some(hash) = &write.password_hash {
            members::set_password(conn, &id, hash)?;
        }
        let mut docs = [write.doc];
        self.fill(conn, kind, &mut docs)?;
        let [doc] = docs;
        Ok(doc)
    }
}

impl Store for SqliteStore {
    fn get(&self, kind: ResourceKind, id: &str) -> Result<Option<Value>, ScimError> {
        let conn = self.read_lock();
        let Some(doc) = read_doc(&conn, self.table(kind), id)? else {
            return Ok(None);
        };
        let mut docs = [doc];
        self.fill(&conn, kind, &mut docs)?;
        let [doc] = docs;
        Ok(Some(doc))
    }

    fn create(&self, kind: ResourceKind, write: Write) -> Result<Value, ScimError> {
        self.write("committing a resource", |tx| {
            self.store(tx, kind, write, true)
        })
    }

    fn update(&self, kind: ResourceKind, id: &str, change: Change<'_>) -> Result<Value, ScimError> {
        self.write("committing a resource", |tx| {
            let Some(current) = read_doc(tx, self.table(kind), id)? else {
                return Err(not_found(kind, id));
            };
            let mut docs = [current];
            self.fill(tx, kind, &mut docs)?;
            let [current] = docs;
            let write = change(current)?;
            self.store(tx, kind, write, false)
        })
    }

    fn delete(
        &self,
        kind: ResourceKind,
        id: &str,
        check: &mut dyn FnMut(&Value) -> Result<(), ScimError>,
    ) -> Result<(), ScimError> {
        self.write("committing a deletion", |tx| {
            let Some(current) = read_doc(tx, self.table(kind), id)? else {
                return Err(not_found(kind, id));
            };
            check(&current)?;
            let delete = self.table(kind).delete(Dialect::Sqlite, id);
            execute(tx, &delete, "deleting a resource")?;
            members::forget(tx, &self.memberships, id)
        })
    }

    fn list(&self, kind: ResourceKind, plan: &ListPlan<'_>) -> Result<ListedRows, ScimError> {
        let table = self.table(kind);
        let mut select = Select::new(table, plan.schema).options(plan.compile);
        if let Some(f) = plan.filter {
            select = select.filter(f);
        }
        if let Some(s) = plan.sort {
            select = select.sort(s);
        }
        if let Some(p) = plan.position {
            select = select.position(p);
        }
        let sql = if plan.offset > 0 && plan.position.is_none() {
            // Index paging: the ordered rows, then LIMIT / OFFSET around them.
            // Literals, not parameters: a bound LIMIT or OFFSET makes
            // SQLite prepare the cached statement again at every execution
            // (see scimkit-sql's `Select::to_sql`). Both numbers are ours.
            let mut sql = select.to_sql()?;
            sql.text = format!(
                "SELECT id, doc FROM ({}) LIMIT {} OFFSET {}",
                sql.text,
                to_i64(plan.limit),
                to_i64(plan.offset)
            );
            sql
        } else {
            select.clone().limit(plan.limit).to_sql()?
        };
        let conn = self.read_lock();
        let mut stmt = conn
            .prepare_cached(&sql.text)
            .map_err(|e| storage_error("preparing a list query", e))?;
        let texts = stmt
            .query_map(params_from_iter(&sql.params), |r| r.get::<_, String>(1))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| storage_error("running a list query", e))?;
        let mut rows = texts
            .iter()
            .map(|t| parse_doc(t))
            .collect::<Result<Vec<_>, _>>()?;
        if plan.memberships {
            self.fill(&conn, kind, &mut rows)?;
        }
        let total = if plan.count_total {
            let count = select.count_sql()?;
            let n: i64 = conn
                .prepare_cached(&count.text)
                .and_then(|mut stmt| stmt.query_row(params_from_iter(&count.params), |r| r.get(0)))
                .map_err(|e| storage_error("counting a list query", e))?;
            Some(u64::try_from(n).unwrap_or(0))
        } else {
            None
        };
        Ok(ListedRows { rows, total })
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
