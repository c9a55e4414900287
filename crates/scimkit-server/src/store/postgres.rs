//! [`PostgresStore`]: one PostgreSQL database shared by any number of
//! stateless service instances (behind a load balancer: cursors carry
//! their own keyset position and are signed with keys the instances share,
//! so any instance serves any next page).
//!
//! The layout is SqliteStore's, in PostgreSQL's dialect of scimkit-sql's
//! DDL: `users` and `groups` (`id`, the resource as `jsonb`, and the
//! indexed columns of `ColumnMap::all()`; groups without `user_name`), the
//! `memberships` table, and `user_secrets` for password hashes. Opening
//! creates what is missing, under a transaction-scoped advisory lock so
//! instances starting together do not race on `CREATE TABLE IF NOT
//! EXISTS`.
//!
//! Concurrency (READ COMMITTED, PostgreSQL's default):
//!
//! - Every write is one transaction on one pooled connection.
//! - `update` reads the current row with `SELECT ... FOR UPDATE`, runs the
//!   caller's change and stores the result before committing: a second
//!   writer to the same resource, on this instance or another, waits on
//!   the row lock and then reads the first writer's result, so no update
//!   is lost. `delete` locks the row the same way before its `If-Match`
//!   check.
//! - Adding a member reads the member's row `FOR KEY SHARE`: a concurrent
//!   delete of that user waits for the group's write to commit and then
//!   removes the new membership too (or, if it committed first, the member
//!   is unknown), so no membership outlives its member.
//! - A deadlock (two group writes each adding the other group as a member)
//!   or a serialization failure is retried, up to three times, with the
//!   change run again on the then-current resource.
//! - Durability is the server's: PostgreSQL acknowledges a commit after
//!   its WAL record is flushed (with the default `synchronous_commit`).
//!
//! Lists go through `Select::to_postgres`. PostgreSQL 15 cannot run
//! scimkit-schema's comparator, so comparisons of case-insensitive
//! strings, dateTimes, numbers and binary on the document are a sound
//! superset in SQL plus a residual filter applied here
//! ([`PgQuery::finish`](scimkit_sql::PgQuery::finish)); so are `sortBy` orders (sorted here, over every
//! candidate row). Without a residual and without `sortBy` the page
//! (order, position, limit, offset) and `totalResults` (`COUNT(*)`) are
//! all in SQL. With a residual, `totalResults` counts the candidate rows
//! the residual accepts: the page's own candidates when they are all of
//! them, else one more query without the position. Each list runs in one
//! read-only REPEATABLE READ transaction, so its page, memberships and
//! total come from one snapshot.
//!
//! PostgreSQL's `text` and `jsonb` cannot hold U+0000: documents holding
//! it are refused on write (`invalidValue`, by scimkit-sql), an id holding
//! it is unknown, and a filter comparing with it is refused
//! (`invalidFilter`), where SQLite would answer it.

use std::fmt;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{GenericClient, IsolationLevel, NoTls, Transaction};
use r2d2_postgres::{r2d2, PostgresConnectionManager};
use scimkit_entra::ResourceKind;
use scimkit_schema::ScimError;
use scimkit_sql::{ColumnMap, Dialect, Memberships, Select, Sql, SqlValue, Table};
use serde_json::Value;

use super::membership;
use super::postgres_members as members;
use super::{not_found, storage_error, Change, ListPlan, ListedRows, Store, Write};

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

/// How often a transaction that hit a deadlock or a serialization failure
/// is tried again.
const RETRIES: usize = 3;

/// Serialises schema creation across instances (`pg_advisory_xact_lock`).
const SCHEMA_LOCK: i64 = 0x5c1_4b17_5c4e_4a00;

/// The PostgreSQL store.
pub struct PostgresStore {
    pool: Pool,
    users: Table,
    groups: Table,
    memberships: Memberships,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("pool", &self.pool.state())
            .field("users", &self.users.name())
            .field("groups", &self.groups.name())
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connections a store keeps at most, unless told otherwise.
    pub const DEFAULT_POOL_SIZE: u32 = 8;

    /// Connects to the database at `url` (`postgres://` or `postgresql://`
    /// URL, or a libpq key/value string; `options=-c search_path=...`
    /// selects a schema) with a pool of at most [`DEFAULT_POOL_SIZE`](Self::DEFAULT_POOL_SIZE)
    /// connections, and creates the tables and indexes that are missing.
    ///
    /// Errors: a `500` naming the problem when the URL does not parse, the
    /// server cannot be reached (within 10 seconds) or the schema cannot be
    /// created.
    pub fn open(url: &str) -> Result<Self, ScimError> {
        Self::open_with_pool_size(url, Self::DEFAULT_POOL_SIZE)
    }

    /// [`open`](Self::open) with a pool of at most `max_connections`
    /// (at least 1).
    ///
    /// Errors: as [`open`](Self::open).
    pub fn open_with_pool_size(url: &str, max_connections: u32) -> Result<Self, ScimError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e| startup_error("the PostgreSQL URL does not parse", e))?;
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|e| startup_error("cannot connect to PostgreSQL", e))?;
        let memberships = Memberships::new("memberships")?;
        let users = Table::new("users")?
            .with_columns(ColumnMap::all())
            .with_groups(memberships.clone());
        let groups = Table::new("groups")?
            .with_columns(ColumnMap::all().without(scimkit_sql::Column::UserName))
            .with_members(memberships.clone());
        let store = Self {
            pool,
            users,
            groups,
            memberships,
        };
        store.create_schema()?;
        Ok(store)
    }

    fn create_schema(&self) -> Result<(), ScimError> {
        let mut statements = self.users.ddl(Dialect::Postgres);
        statements.extend(self.groups.ddl(Dialect::Postgres));
        statements.extend(members::ddl(&self.memberships));
        let mut conn = self.connection()?;
        let mut run = || -> Result<(), postgres::Error> {
            let mut tx = conn.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
            for statement in &statements {
                tx.batch_execute(statement)?;
            }
            tx.commit()
        };
        run().map_err(|e| startup_error("cannot create the schema", e))
    }

    fn connection(
        &self,
    ) -> Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>, ScimError> {
        self.pool
            .get()
            .map_err(|e| storage_error("getting a database connection", e))
    }

    fn table(&self, kind: ResourceKind) -> &Table {
        match kind {
            ResourceKind::User => &self.users,
            _ => &self.groups,
        }
    }

    /// Runs `body` in a transaction and commits it; a deadlock or a
    /// serialization failure runs it again (on a fresh transaction).
    fn write<T>(
        &self,
        mut body: impl FnMut(&mut Transaction<'_>) -> Result<T, ScimError>,
    ) -> Result<T, ScimError> {
        let mut attempt = 0;
        loop {
            let mut conn = self.connection()?;
            let result = conn
                .transaction()
                .map_err(|e| db_error("starting a transaction", e))
                .and_then(|mut tx| {
                    let out = body(&mut tx)?;
                    tx.commit().map_err(|e| db_error("committing a write", e))?;
                    Ok(out)
                });
            match result {
                Err(e) if attempt < RETRIES && retryable(&e) => {
                    // Let the transaction that won go first.
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(5 << attempt));
                }
                other => return other,
            }
        }
    }

    /// Stores `write` (insert or replace) for a resource, with its
    /// memberships and password, inside the caller's transaction.
    fn store(
        &self,
        tx: &mut Transaction<'_>,
        kind: ResourceKind,
        mut write: Write,
        insert: bool,
    ) -> Result<Value, ScimError> {
        let table = self.table(kind);
        let members = membership::split(kind, &mut write.doc);
        let sql = if insert {
            table.insert(Dialect::Postgres, &write.doc)?
        } else {
            table.upsert(Dialect::Postgres, &write.doc)?
        };
        execute(tx, &sql, "storing a resource")?;
        let id = write
            .doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(members) = members {
            members::replace(tx, &self.memberships, &id, members.as_ref())?;
        }
        if let Some(hash) = &write.password_hash {
            members::set_password(tx, &id, hash)?;
        }
        let mut docs = [write.doc];
        members::fill(tx, &self.memberships, kind, &mut docs)?;
        let [doc] = docs;
        Ok(doc)
    }
}

/// A `500` at startup, with the cause in the detail (it goes to the
/// operator, not to a client).
fn startup_error(what: &str, e: impl std::error::Error + Send + Sync + 'static) -> ScimError {
    ScimError::with_status(500, format!("{what}: {e}")).with_source(e)
}

/// A database error as a SCIM error: a unique violation (SQLSTATE 23505)
/// is `409 uniqueness` (a `userName` taken, on the unique index
/// `users_user_name`; else an `id` taken), anything else a `500`.
pub(super) fn db_error(what: &str, e: postgres::Error) -> ScimError {
    let taken = e
        .as_db_error()
        .filter(|db| *db.code() == SqlState::UNIQUE_VIOLATION)
        .map(|db| db.constraint() == Some("users_user_name"));
    match taken {
        Some(true) => ScimError::uniqueness("userName is already taken").with_source(e),
        Some(false) => {
            ScimError::uniqueness("a resource with this id already exists").with_source(e)
        }
        None => storage_error(what, e),
    }
}

/// Whether a failed transaction may succeed when run again.
fn retryable(e: &ScimError) -> bool {
    std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<postgres::Error>())
        .and_then(postgres::Error::code)
        .is_some_and(|c| {
            *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
        })
}

/// `NULL` bound as text.
static NULL_TEXT: Option<&str> = None;

/// The values of `params` with the types their placeholders cast to
/// (`($N::text)`, `($N::int8)`, `($N::float8)`), so each statement runs
/// in one round trip (`query_typed`).
///
/// Errors: `invalidFilter` when a text holds U+0000, which PostgreSQL
/// cannot receive (only filter values can: documents are refused earlier).
pub(super) fn bind(params: &[SqlValue]) -> Result<Vec<(&(dyn ToSql + Sync), Type)>, ScimError> {
    params
        .iter()
        .map(|p| match p {
            SqlValue::Null => Ok((&NULL_TEXT as &(dyn ToSql + Sync), Type::TEXT)),
            SqlValue::Integer(i) => Ok((i as &(dyn ToSql + Sync), Type::INT8)),
            SqlValue::Real(f) => Ok((f as &(dyn ToSql + Sync), Type::FLOAT8)),
            SqlValue::Text(s) if s.contains('\0') => Err(ScimError::invalid_filter(
                "the PostgreSQL store cannot compare a value holding U+0000",
            )),
            SqlValue::Text(s) => Ok((s as &(dyn ToSql + Sync), Type::TEXT)),
        })
        .collect()
}

/// Runs a statement of scimkit-sql's.
pub(super) fn execute(
    client: &mut impl GenericClient,
    sql: &Sql,
    what: &str,
) -> Result<u64, ScimError> {
    let params = bind(&sql.params)?;
    client
        .execute_typed(&sql.text, &params)
        .map_err(|e| db_error(what, e))
}

/// The rows of a statement of scimkit-sql's.
pub(super) fn query(
    client: &mut impl GenericClient,
    sql: &Sql,
    what: &str,
) -> Result<Vec<postgres::Row>, ScimError> {
    let params = bind(&sql.params)?;
    client
        .query_typed(&sql.text, &params)
        .map_err(|e| db_error(what, e))
}

/// The document with `id`, its row locked with `lock` (`""`, or `" FOR
/// UPDATE"`).
fn read_doc(
    client: &mut impl GenericClient,
    table: &Table,
    id: &str,
    lock: &str,
) -> Result<Option<Value>, ScimError> {
    if id.contains('\0') {
        return Ok(None);
    }
    let text = format!(
        "SELECT doc::text FROM \"{}\" WHERE id = $1{lock}",
        table.name()
    );
    let row = client
        .query_typed_opt(&text, &[(&id, Type::TEXT)])
        .map_err(|e| db_error("reading a resource", e))?;
    row.map(|r| {
        r.try_get::<_, String>(0)
            .map_err(|e| storage_error("reading a resource", e))
            .and_then(|t| parse_doc(&t))
    })
    .transpose()
}

fn parse_doc(text: &str) -> Result<Value, ScimError> {
    serde_json::from_str(text).map_err(|e| storage_error("decoding a stored resource", e))
}

/// The documents of rows `(id, doc::text)`.
fn docs(rows: &[postgres::Row]) -> Result<Vec<Value>, ScimError> {
    rows.iter()
        .map(|r| {
            r.try_get::<_, &str>(1)
                .map_err(|e| storage_error("running a list query", e))
                .and_then(parse_doc)
        })
        .collect()
}

impl Store for PostgresStore {
    fn get(&self, kind: ResourceKind, id: &str) -> Result<Option<Value>, ScimError> {
        let mut conn = self.connection()?;
        let Some(doc) = read_doc(&mut *conn, self.table(kind), id, "")? else {
            return Ok(None);
        };
        let mut docs = [doc];
        members::fill(&mut *conn, &self.memberships, kind, &mut docs)?;
        let [doc] = docs;
        Ok(Some(doc))
    }

    fn create(&self, kind: ResourceKind, write: Write) -> Result<Value, ScimError> {
        // The write is consumed by the first attempt; a retry needs a copy.
        let doc = write.doc;
        let hash = write.password_hash;
        self.write(|tx| {
            let write = Write {
                doc: doc.clone(),
                password_hash: hash.clone(),
            };
            self.store(tx, kind, write, true)
        })
    }

    fn update(&self, kind: ResourceKind, id: &str, change: Change<'_>) -> Result<Value, ScimError> {
        self.write(|tx| {
            let Some(current) = read_doc(tx, self.table(kind), id, " FOR UPDATE")? else {
                return Err(not_found(kind, id));
            };
            let mut docs = [current];
            members::fill(tx, &self.memberships, kind, &mut docs)?;
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
        self.write(|tx| {
            let table = self.table(kind);
            let Some(current) = read_doc(tx, table, id, " FOR UPDATE")? else {
                return Err(not_found(kind, id));
            };
            check(&current)?;
            execute(
                tx,
                &table.delete(Dialect::Postgres, id),
                "deleting a resource",
            )?;
            members::forget(tx, &self.memberships, id)
        })
    }

    fn list(&self, kind: ResourceKind, plan: &ListPlan<'_>) -> Result<ListedRows, ScimError> {
        let table = self.table(kind);
        let mut base = Select::new(table, plan.schema).options(plan.compile);
        if let Some(f) = plan.filter {
            base = base.filter(f);
        }
        if let Some(s) = plan.sort {
            base = base.sort(s);
        }
        let index_paging = plan.offset > 0 && plan.position.is_none();
        let mut page = base.clone();
        if let Some(p) = plan.position {
            page = page.position(p);
        }
        let probe = page.to_postgres()?;
        let (query_plan, skip) = if index_paging && probe.is_exact() {
            // Order and condition are in SQL: LIMIT / OFFSET there too.
            let mut q = probe;
            let n = q.sql.params.len();
            q.sql.text.push_str(&format!(
                " LIMIT (${}::int8) OFFSET (${}::int8)",
                n + 1,
                n + 2
            ));
            q.sql.params.push(SqlValue::Integer(to_i64(plan.limit)));
            q.sql.params.push(SqlValue::Integer(to_i64(plan.offset)));
            (q, 0)
        } else if index_paging {
            // In-memory order or residual: the first offset + limit rows,
            // then skip the offset.
            let q = page
                .limit(plan.offset.saturating_add(plan.limit))
                .to_postgres()?;
            (q, plan.offset)
        } else {
            (page.limit(plan.limit).to_postgres()?, 0)
        };
        let mut conn = self.connection()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| db_error("starting a list query", e))?;
        let rows = query(&mut tx, &query_plan.sql, "running a list query")?;
        let candidates = docs(&rows)?;
        drop(rows);
        let total = if plan.count_total {
            Some(self.count(&mut tx, &base, &query_plan, &candidates, plan)?)
        } else {
            None
        };
        let finished = query_plan.finish(candidates);
        let mut rows: Vec<Value> = finished
            .into_iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .collect();
        members::fill(&mut tx, &self.memberships, kind, &mut rows)?;
        tx.commit()
            .map_err(|e| db_error("finishing a list query", e))?;
        Ok(ListedRows { rows, total })
    }
}

impl PostgresStore {
    /// `totalResults`: `COUNT(*)` when nothing is residual; else the
    /// candidates the residual accepts (the page's own, when its SQL had
    /// neither position nor limit, else those of one more query).
    fn count(
        &self,
        tx: &mut Transaction<'_>,
        base: &Select<'_>,
        page: &scimkit_sql::PgQuery,
        candidates: &[Value],
        plan: &ListPlan<'_>,
    ) -> Result<u64, ScimError> {
        if let Some(sql) = base.count_postgres()? {
            let params = bind(&sql.params)?;
            let row = tx
                .query_typed_one(&sql.text, &params)
                .map_err(|e| db_error("counting a list query", e))?;
            let n: i64 = row
                .try_get(0)
                .map_err(|e| storage_error("counting a list query", e))?;
            return Ok(u64::try_from(n).unwrap_or(0));
        }
        let matches = |docs: &[Value], q: &scimkit_sql::PgQuery| -> u64 {
            let n = match &q.residual {
                Some(f) => docs.iter().filter(|d| f.matches(d)).count(),
                None => docs.len(),
            };
            u64::try_from(n).unwrap_or(u64::MAX)
        };
        // With a residual the SQL has no LIMIT; without `sortBy` it holds
        // the position (when there is one).
        if plan.position.is_none() || plan.sort.is_some() {
            return Ok(matches(candidates, page));
        }
        let all = base.to_postgres()?;
        let rows = query(tx, &all.sql, "counting a list query")?;
        Ok(matches(&docs(&rows)?, &all))
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
