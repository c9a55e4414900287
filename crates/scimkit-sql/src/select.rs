//! A list query as one `SELECT`: filter, keyset order, position, page size.
//!
//! The order is scimkit-filter's [`KeysetOrder`](scimkit_filter::KeysetOrder):
//! the `sortBy` key as `Sorter` orders it (missing values last when
//! ascending, first when descending), then `id` by bytes in the same
//! direction. In SQL the key is one expression `k` (a column, or
//! `scimkit_sort_key` over the document: a SQL value whose SQL order is the
//! comparator's) and the order is `ORDER BY (k IS NULL), k, id` (each
//! `DESC` when descending). "After position (kv, id)" is the set of rows
//! greater in that order:
//!
//! | | position has a key | position's key is missing |
//! |---|---|---|
//! | ascending | `k IS NULL OR k > kv OR (k = kv AND id > :id)` | `k IS NULL AND id > :id` |
//! | descending | `k IS NOT NULL AND (k < kv OR (k = kv AND id < :id))` | `k IS NOT NULL OR id < :id` |
//!
//! "Before" is "after" in the reversed order. Rows inserted or deleted
//! between pages move nothing else: every row that exists throughout is
//! seen exactly once.

use scimkit_filter::{CompileOptions, Filter, SortOrder, SortSpec};

use crate::pg_query::PgQuery;
use scimkit_schema::{ResourceSchema, ScimError, SortValue};

use crate::filter::{condition, resolve, Scope};
use crate::leaf::{sort_key, SortKeySpec};
use crate::sql::{cat, Dialect, Sql, SqlValue, Writer};
use crate::table::Table;

/// Which side of a keyset position a page lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seek {
    /// The rows after the position (a `nextCursor` page).
    After,
    /// The rows before it, the `limit` nearest, still returned in order
    /// (a `previousCursor` page).
    Before,
}

/// A keyset position: the sort values and `id` of the last (or first) row
/// of a page, as `KeysetOrder::sort_values` and a cursor store them.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    /// The sort values (one with `sortBy`, none without).
    pub sort_values: Vec<SortValue>,
    /// The row's `id`.
    pub id: String,
    /// After or before it.
    pub seek: Seek,
}

impl Position {
    /// The rows after `(sort_values, id)`.
    pub fn after(sort_values: Vec<SortValue>, id: impl Into<String>) -> Self {
        Self {
            sort_values,
            id: id.into(),
            seek: Seek::After,
        }
    }

    /// The rows before `(sort_values, id)`.
    pub fn before(sort_values: Vec<SortValue>, id: impl Into<String>) -> Self {
        Self {
            sort_values,
            id: id.into(),
            seek: Seek::Before,
        }
    }
}

/// A list query over one [`Table`], translated to SQLite SQL by
/// [`Select::to_sql`] (rows: `id`, `doc`) and [`Select::count_sql`], and
/// to PostgreSQL by [`Select::to_postgres`].
///
/// The connection must have [`register_functions`](crate::register_functions).
#[derive(Clone, Debug)]
pub struct Select<'a> {
    table: &'a Table,
    schema: &'a ResourceSchema,
    options: CompileOptions,
    filter: Option<&'a Filter>,
    sort: Option<&'a SortSpec>,
    position: Option<&'a Position>,
    limit: Option<u64>,
}

/// The sort key of the query: its SQL expression over `t` and comparator.
struct Key {
    sql: String,
    spec: Option<SortKeySpec>,
    order: SortOrder,
}

impl<'a> Select<'a> {
    /// Every row of `table`, whose documents are resources of `schema`,
    /// ordered by `id`.
    pub fn new(table: &'a Table, schema: &'a ResourceSchema) -> Self {
        Self {
            table,
            schema,
            options: CompileOptions::default(),
            filter: None,
            sort: None,
            position: None,
            limit: None,
        }
    }

    /// Only rows matching `filter`.
    #[must_use]
    pub fn filter(mut self, filter: &'a Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Compile options for the filter and sort (as for `Filter::compile_with`).
    #[must_use]
    pub fn options(mut self, options: CompileOptions) -> Self {
        self.options = options;
        self
    }

    /// Ordered by `sort` (then `id`).
    #[must_use]
    pub fn sort(mut self, sort: &'a SortSpec) -> Self {
        self.sort = Some(sort);
        self
    }

    /// Only rows after (or before) a keyset position.
    #[must_use]
    pub fn position(mut self, position: &'a Position) -> Self {
        self.position = Some(position);
        self
    }

    /// At most `limit` rows.
    #[must_use]
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// `invalidValue` when `sortBy` names a membership attribute (see the
    /// membership table's docs: its rows are not in the document).
    fn refuse_membership_sort(&self) -> Result<(), ScimError> {
        let Some(spec) = self.sort else {
            return Ok(());
        };
        let scope = Scope::Resource(self.schema);
        match resolve(scope, &spec.path, true) {
            Some(t) if crate::filter::attached(self.table, scope, &t).is_some() => {
                Err(ScimError::invalid_value(format!(
                    "sortBy {} is not supported: it is answered by the membership table",
                    t.attr
                )))
            }
            _ => Ok(()),
        }
    }

    fn key(&self, w: &mut Writer) -> Result<Option<Key>, ScimError> {
        let Some(spec) = self.sort else {
            return Ok(None);
        };
        // The sorter's own errors (`invalidValue`), then the same resolution.
        spec.compile_with(self.schema, self.options)?;
        self.refuse_membership_sort()?;
        let Some(target) = resolve(Scope::Resource(self.schema), &spec.path, true) else {
            return Ok(Some(Key {
                sql: "NULL".into(),
                spec: None,
                order: spec.order,
            }));
        };
        let key_spec = SortKeySpec {
            comparator: target.comparator(),
            leaf: target.leaf.clone(),
        };
        let a = target.value_sql(w, "t.doc");
        let p = w.bind(key_spec.to_param());
        let general = cat(&["scimkit_sort_key(", &p, ", ", &a, ")"]);
        let column = (target.urn.is_none() && !target.leaf.implicit_value)
            .then(|| {
                self.table
                    .columns()
                    .column_for(&target.attr, target.leaf.sub.as_deref())
            })
            .flatten()
            .filter(|c| c.comparator() == key_spec.comparator);
        let sql = match column {
            Some(c) => cat(&["COALESCE(t.", c.name(), ", ", &general, ")"]),
            None => general,
        };
        Ok(Some(Key {
            sql,
            spec: Some(key_spec),
            order: spec.order,
        }))
    }

    fn where_sql(&self, w: &mut Writer) -> Result<String, ScimError> {
        match self.filter {
            Some(f) => condition(w, self.table, self.schema, self.options, f),
            None => Ok("1".into()),
        }
    }

    /// `SELECT COUNT(*)` of the rows the filter matches (`totalResults`).
    pub fn count_sql(&self) -> Result<Sql, ScimError> {
        let mut w = Writer::new(Dialect::Sqlite);
        let cond = self.where_sql(&mut w)?;
        let text = format!(
            "SELECT COUNT(*) FROM {} AS t WHERE {cond}",
            self.table.quoted()
        );
        Ok(w.finish(text))
    }

    /// The page: `SELECT id, doc ...` in keyset order.
    ///
    /// Errors: the filter's or sort's own (`invalidFilter`,
    /// `invalidValue`), and `invalidCursor` when the position carries a
    /// number of sort values other than the sort's (one with `sortBy`, none
    /// without).
    pub fn to_sql(&self) -> Result<Sql, ScimError> {
        let mut w = Writer::new(Dialect::Sqlite);
        let key = self.key(&mut w)?;
        let cond = self.where_sql(&mut w)?;
        let key_sql = key.as_ref().map_or("NULL", |k| k.sql.as_str());
        let table = self.table.quoted();
        let inner: [&str; 6] = [
            "SELECT t.id AS id, t.doc AS doc, ",
            key_sql,
            " AS sort_key FROM ",
            &table,
            " AS t WHERE ",
            &cond,
        ];
        let ascending = key.as_ref().is_none_or(|k| k.order == SortOrder::Ascending);
        let (seek_cond, reverse) = match self.position {
            None => ("1".to_owned(), false),
            Some(p) => {
                let arity = usize::from(key.is_some());
                if p.sort_values.len() != arity {
                    return Err(ScimError::invalid_cursor(
                        "the cursor was issued for a different sortBy",
                    ));
                }
                let kv = match (&key, p.sort_values.first()) {
                    (Some(Key { spec: Some(s), .. }), Some(v)) => {
                        sort_key(s.comparator, v.to_json().as_ref())
                    }
                    _ => SqlValue::Null,
                };
                let reverse = p.seek == Seek::Before;
                (
                    after(&mut w, key.is_some(), ascending != reverse, kv, &p.id),
                    reverse,
                )
            }
        };
        // The limit is written into the text, not bound: SQLite (3.46 and
        // later) reads a bound `LIMIT ?` while planning and marks the
        // statement to be prepared again whenever that parameter is bound,
        // so a cached statement with a bound limit was re-prepared on every
        // execution (a quarter of a filtered GET in scimkit-server). The
        // number is ours (a u64), never client text.
        let limit = match self.limit {
            Some(n) => format!(" LIMIT {}", i64::try_from(n).unwrap_or(i64::MAX)),
            None => String::new(),
        };
        let forward = order_by("q", key.is_some(), ascending);
        let text = if reverse {
            let backward = order_by("q", key.is_some(), !ascending);
            let outer = order_by("r", key.is_some(), ascending);
            let mut parts = Vec::with_capacity(14);
            parts.push(
                "SELECT r.id, r.doc FROM (SELECT q.id AS id, q.doc AS doc, q.sort_key AS sort_key \
                 FROM (",
            );
            parts.extend_from_slice(&inner);
            parts.extend_from_slice(&[
                ") AS q WHERE ",
                &seek_cond,
                " ORDER BY ",
                &backward,
                &limit,
                ") AS r ORDER BY ",
                &outer,
            ]);
            cat(&parts)
        } else {
            let mut parts = Vec::with_capacity(12);
            parts.push("SELECT q.id, q.doc FROM (");
            parts.extend_from_slice(&inner);
            parts.extend_from_slice(&[") AS q WHERE ", &seek_cond, " ORDER BY ", &forward, &limit]);
            cat(&parts)
        };
        Ok(w.finish(text))
    }
}

impl Select<'_> {
    /// `SELECT COUNT(*)` of the rows the filter matches, for PostgreSQL
    /// (`totalResults`; the sort, position and limit do not count), when
    /// PostgreSQL decides the filter exactly; `None` when part of it is
    /// residual: then no SQL count is right, and the caller counts the
    /// rows [`to_postgres`](Self::to_postgres) returns for this select
    /// without position and limit, after [`PgQuery::finish`] (which reads
    /// every candidate row).
    ///
    /// Errors: as [`to_sql`](Self::to_sql).
    pub fn count_postgres(&self) -> Result<Option<Sql>, ScimError> {
        let mut w = Writer::new(Dialect::Postgres);
        let cond = match self.filter {
            Some(f) => {
                let c = crate::pg::condition(&mut w, self.table, self.schema, self.options, f)?;
                if !c.exact {
                    return Ok(None);
                }
                c.sql
            }
            None => "TRUE".to_owned(),
        };
        let text = format!(
            "SELECT COUNT(*) FROM {} AS t WHERE {cond}",
            self.table.quoted()
        );
        Ok(Some(w.finish(text)))
    }

    /// The page as a PostgreSQL query (`SELECT id, doc::text ...`) and what
    /// the caller does with its rows ([`PgQuery::finish`]).
    ///
    /// PostgreSQL 15 cannot run the comparator, so the `WHERE` condition is
    /// exact where PostgreSQL compares as the evaluator does and a sound
    /// superset elsewhere (see the crate docs); the [`PgQuery`] carries
    /// the residual filter when it is not exact. Without `sortBy` the
    /// order (`id`, `COLLATE "C"`) and the position are in the SQL, and the
    /// limit too when the condition is exact; with `sortBy` the caller
    /// sorts the candidates in memory.
    ///
    /// Errors: as [`to_sql`](Self::to_sql).
    pub fn to_postgres(&self) -> Result<PgQuery, ScimError> {
        let sorter = self
            .sort
            .map(|s| s.compile_with(self.schema, self.options))
            .transpose()?;
        self.refuse_membership_sort()?;
        let order = scimkit_filter::KeysetOrder::from_sorter(sorter);
        let residual = match self.filter {
            Some(f) => Some(f.compile_with(self.schema, self.options)?),
            None => None,
        };
        let boundary = match self.position {
            Some(p) => Some((order.boundary(&p.sort_values, &p.id)?, p.seek)),
            None => None,
        };
        let mut w = Writer::new(Dialect::Postgres);
        let (cond, exact, memberships) = match self.filter {
            Some(f) => {
                let c = crate::pg::condition(&mut w, self.table, self.schema, self.options, f)?;
                (c.sql, c.exact, c.memberships)
            }
            None => ("TRUE".to_owned(), true, Vec::new()),
        };
        // With a residual, the evaluator reads the membership attributes
        // the filter names from the rows: the documents carry them (and
        // `finish` takes them out again).
        let mut doc = "t.doc".to_owned();
        let mut strip = Vec::new();
        if !exact {
            for m in memberships {
                doc = m.view_sql(&doc);
                strip.push(m.side.attribute());
            }
        }
        let mut text = format!(
            "SELECT t.id, ({doc})::text FROM {} AS t WHERE {cond}",
            self.table.quoted()
        );
        if self.sort.is_none() {
            let backwards = self.position.is_some_and(|p| p.seek == Seek::Before);
            if let Some(p) = self.position {
                let id = w.bind(p.id.as_str());
                let op = if backwards { "<" } else { ">" };
                text.push_str(&format!(" AND t.id {op} {id}"));
            }
            let dir = if backwards { " DESC" } else { "" };
            text.push_str(&format!(" ORDER BY t.id COLLATE \"C\"{dir}"));
            if let (true, Some(n)) = (exact, self.limit) {
                let n = w.bind(SqlValue::Integer(i64::try_from(n).unwrap_or(i64::MAX)));
                text.push_str(&format!(" LIMIT {n}"));
            }
        }
        Ok(PgQuery {
            sql: w.finish(text),
            residual: if exact { None } else { residual },
            order,
            boundary,
            limit: self.limit,
            strip,
        })
    }
}

/// `ORDER BY` of the keyset order over alias `q`.
fn order_by(q: &str, keyed: bool, ascending: bool) -> String {
    let dir = if ascending { "" } else { " DESC" };
    if keyed {
        cat(&[
            "(",
            q,
            ".sort_key IS NULL)",
            dir,
            ", ",
            q,
            ".sort_key",
            dir,
            ", ",
            q,
            ".id",
            dir,
        ])
    } else {
        cat(&[q, ".id", dir])
    }
}

/// Rows strictly after `(kv, id)` in the order (see the module docs).
fn after(w: &mut Writer, keyed: bool, ascending: bool, kv: SqlValue, id: &str) -> String {
    let id = w.bind(id);
    let (cmp, id_cmp) = if ascending { (">", ">") } else { ("<", "<") };
    if !keyed {
        return format!("q.id {id_cmp} {id}");
    }
    if kv == SqlValue::Null {
        return if ascending {
            format!("(q.sort_key IS NULL AND q.id > {id})")
        } else {
            format!("(q.sort_key IS NOT NULL OR q.id < {id})")
        };
    }
    let kv = w.bind(kv);
    let tail = format!("q.sort_key {cmp} {kv} OR (q.sort_key = {kv} AND q.id {id_cmp} {id})");
    if ascending {
        format!("(q.sort_key IS NULL OR {tail})")
    } else {
        format!("(q.sort_key IS NOT NULL AND ({tail}))")
    }
}
