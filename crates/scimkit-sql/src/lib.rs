//! SCIM 2.0 filters, sorting and keyset cursors as parameterised SQL, with
//! exactly the in-memory evaluator's answers; and the tables they run on.
//!
//! ```
//! use rusqlite::{params_from_iter, Connection};
//! use scimkit_filter::{Filter, SortSpec};
//! use scimkit_schema::{ResourceSchema, SortValue};
//! use scimkit_sql::{register_functions, Dialect, Position, Select, Table};
//! use serde_json::json;
//!
//! let conn = Connection::open_in_memory()?;
//! register_functions(&conn)?; // the evaluator's comparators, as SQL functions
//! let users = Table::new("users")?;
//! for ddl in users.ddl(Dialect::Sqlite) {
//!     conn.execute(&ddl, [])?;
//! }
//! for doc in [
//!     json!({"id": "1", "userName": "bjensen", "emails": [{"type": "work", "value": "b@Example.com"}]}),
//!     json!({"id": "2", "userName": "Alice", "emails": [{"type": "home", "value": "a@example.com"}]}),
//!     json!({"id": "3", "userName": "carol", "emails": [{"type": "work", "value": "c@EXAMPLE.COM"}]}),
//! ] {
//!     let insert = users.insert(Dialect::Sqlite, &doc)?;
//!     conn.execute(&insert.text, params_from_iter(&insert.params))?;
//! }
//!
//! let filter = Filter::parse(r#"emails[type eq "work" and value co "@example.com"]"#)?;
//! let sort = SortSpec::from_query("userName", None)?;
//! let page = Select::new(&users, ResourceSchema::user()).filter(&filter).sort(&sort).limit(1);
//! let sql = page.to_sql()?;
//! // Values are bound, never written into the SQL text.
//! assert!(!sql.text.contains("example.com"));
//! let ids = |sql: scimkit_sql::Sql| -> rusqlite::Result<Vec<String>> {
//!     let mut stmt = conn.prepare(&sql.text)?;
//!     let rows = stmt.query_map(params_from_iter(&sql.params), |r| r.get(0))?;
//!     rows.collect()
//! };
//! assert_eq!(ids(sql)?, ["1"]);
//!
//! // The next page starts after the last row's position (what a cursor stores).
//! let after = Position::after(vec![SortValue::from("bjensen")], "1");
//! assert_eq!(ids(page.clone().position(&after).to_sql()?)?, ["3"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Storage model
//!
//! One table per resource type ([`Table`]): `id`, the resource as a JSON
//! document (`doc`: JSON text on SQLite, `jsonb` on PostgreSQL), and the
//! optional indexed columns of a [`ColumnMap`] (`user_name` in the RFC 7644
//! §5 comparison form with a unique index, `external_id`, `display_name`,
//! `created` and `last_modified` as sortable instants). [`Table::ddl`]
//! writes the `CREATE TABLE` / `CREATE INDEX` statements for either
//! dialect; [`Table::insert`], [`Table::upsert`] and [`Table::delete`] keep
//! the columns in step with the document. The table module documents every
//! column.
//!
//! Group membership lives in its own table ([`Memberships`]: `group_id`,
//! `member_id`, `member_type`, `display`, and caseless keys of the three
//! for exact comparisons), one row per (group, member), with the
//! statements a server needs ([`Memberships::insert`] idempotent,
//! [`delete`](Memberships::delete), [`delete_group`](Memberships::delete_group),
//! [`delete_member`](Memberships::delete_member),
//! [`set_display`](Memberships::set_display),
//! [`members_of`](Memberships::members_of), [`groups_of`](Memberships::groups_of)).
//! [`Table::with_members`] (the Group table) and [`Table::with_groups`] (the
//! User table) make filters on `members` / `groups` conditions on those
//! rows (`t.id IN (SELECT group_id FROM memberships WHERE ...)`), exactly
//! as the evaluator answers on the document with the attribute filled from
//! the rows; `$ref` and sorting by them are refused. The membership
//! module documents the DDL and the view.
//!
//! # Translation
//!
//! [`Select`] turns a filter ([`scimkit_filter::Filter`], compiled against
//! a [`ResourceSchema`](scimkit_schema::ResourceSchema)), a sort
//! ([`scimkit_filter::SortSpec`]), a keyset [`Position`] and a page size
//! into one [`Sql`]: text with `?N` placeholders and the values bound to
//! them. The filter is compiled first, so a filter the evaluator refuses
//! is refused with the same `invalidFilter` error.
//!
//! Exactness on SQLite: the SQL does the structure (`and`, `or`, `not`,
//! any-match over a multi-valued attribute as `EXISTS` over `json_each`,
//! value paths as a condition on one element, `null` / `[]` / `{}` as
//! unassigned, `ne` true on a missing attribute, undefined attributes as
//! the evaluator's constants) and every comparison of a value calls
//! `scimkit_test`, a SQL function that runs scimkit-schema's comparator
//! (caseExact, Unicode caseless keys, PRECIS for `userName`, dateTimes as
//! instants across offsets, exact numbers). [`register_functions`] installs
//! the functions on a connection. The differential tests check the rows
//! against `CompiledFilter::matches` on the filter crate's vectors, the
//! shared corpus and generated filters.
//!
//! Sorting and paging follow scimkit-filter's
//! [`KeysetOrder`](scimkit_filter::KeysetOrder) (the sort key, missing
//! values last ascending and first descending, then `id` by bytes); the
//! "after / before position" predicate is derived from that order (see
//! [`Select::to_sql`]), so pages neither skip nor repeat a row while rows
//! are inserted and deleted between them.
//!
//! # PostgreSQL
//!
//! [`Select::to_postgres`] writes the query for PostgreSQL 15 (`jsonb`
//! documents, `jsonb_array_elements` for any-match and value paths, members
//! found ignoring ASCII case as the evaluator does, every value bound as
//! `($N::text)` / `($N::int8)`). PostgreSQL 15 cannot run the comparator (no
//! full Unicode case fold, no PRECIS), so each comparison is either exact or
//! replaced by `TRUE` where it stands under an even number of `not`s and by
//! `FALSE` under an odd number: the condition accepts every row the
//! evaluator accepts. The [`PgQuery`] says which: `residual` is `None` when
//! every comparison was exact, else the whole compiled filter, which
//! [`PgQuery::finish`] applies to the returned rows (with the in-memory order,
//! the position and the limit).
//!
//! | | SQLite | PostgreSQL |
//! |---|---|---|
//! | `and`, `or`, `not`, value paths, any-match, undefined attributes | exact | exact |
//! | `pr`, `eq null`, `ne null` | exact | exact |
//! | caseExact strings and references (`id`, `externalId`, ...): `eq`, `ne`, `co`, `sw`, `ew`; caseExact strings `gt`/`ge`/`lt`/`le` | exact | exact |
//! | booleans `eq`, `ne` | exact | exact |
//! | a comparison a column answers (`userName`, `displayName`, `externalId` `eq`/`gt`/...; `meta.created`, `meta.lastModified` as instants), rows whose column is set | exact | exact |
//! | case-insensitive strings on the document (`title`, `emails.value`, `name.*`, `userName co`, ...), dateTimes on the document, numbers, binary | exact | residual |
//! | `sortBy` | in SQL | in memory (`PgQuery::finish`) |
//! | no `sortBy`: `id` order, position, limit | in SQL | in SQL (the limit only when nothing is residual) |
//!
//! A residual costs reading every candidate row: the SQL narrows only by the
//! exact parts. Documents holding U+0000 in a key or string cannot be
//! stored in `jsonb` at all: [`Table::insert`] and [`Table::upsert`] refuse
//! them for PostgreSQL (`invalidValue`, naming where as a JSON Pointer). [`Select::count_postgres`] is the `COUNT(*)` when
//! nothing is residual, and `None` otherwise (the count then needs the
//! candidate rows, which the caller filters with [`PgQuery::finish`]).
//!
//! # Indexes
//!
//! - `eq`, `ne`, `gt`, `ge`, `lt`, `le` on an attribute with a column of the
//!   same comparator (`userName`, `externalId`, `displayName`,
//!   `meta.created`, `meta.lastModified`) compare the column, which its
//!   index serves; the document is read only for rows whose column is
//!   `NULL` (the attribute is not a plain string there).
//! - `co`, `sw`, `ew`, `pr`, multi-valued and extension attributes, value
//!   paths: evaluated per row on the document (a full scan).
//! - Sorting by a column attribute sorts by `COALESCE(column, key)`, which
//!   an index on the column does not serve in this release.
//! - On PostgreSQL a column comparison in a positive context becomes
//!   `column op $k OR column IS NULL` (the document part of rows without a
//!   column value is residual), which a bitmap scan of the column's index
//!   can serve; everything else reads each row's document.
//!
//! # Not yet
//!
//! `sortBy` in
//! PostgreSQL's SQL (comparing the columns' comparison keys `COLLATE "C"`
//! needs a proof that their byte order is the comparator's first), and
//! a sort served by a column's index on SQLite. The crate README has
//! measured query times on 100,000 users (`examples/scale.rs`).
//!
//! # Crate features
//!
//! This crate has no optional features.

mod filter;
mod functions;
mod leaf;
mod membership;
mod pg;
mod pg_query;
mod select;
mod sql;
mod table;

pub use functions::register_functions;
pub use leaf::instant_text;
pub use membership::{MemberType, Memberships};
pub use pg_query::PgQuery;
pub use select::{Position, Seek, Select};
pub use sql::{Dialect, Sql, SqlValue};
pub use table::{Column, ColumnMap, Table};

/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
