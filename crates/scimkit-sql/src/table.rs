//! The storage model: one table per resource type, its columns, its DDL.
//!
//! | column | SQLite | PostgreSQL | holds |
//! |---|---|---|---|
//! | `id` | `TEXT PRIMARY KEY` | `text COLLATE "C" PRIMARY KEY` | the resource's `id` (compared by bytes) |
//! | `doc` | `TEXT` (JSON) | `jsonb` | the whole resource |
//! | `user_name` | `TEXT` | `text COLLATE "C"` | `userName` in its RFC 7644 §5 comparison form (PRECIS `UsernameCaseMapped`), unique |
//! | `external_id` | `TEXT` | `text COLLATE "C"` | `externalId` as written (caseExact) |
//! | `display_name` | `TEXT` | `text COLLATE "C"` | `displayName`'s caseless key (NFD, case fold, NFC) |
//! | `created` | `TEXT` | `text COLLATE "C"` | `meta.created` as fixed-width UTC text ([`instant_text`](crate::instant_text)) |
//! | `last_modified` | `TEXT` | `text COLLATE "C"` | `meta.lastModified`, likewise |
//!
//! The optional columns are the [`ColumnMap`]'s; each is filled from the
//! document when the attribute holds a string (a parseable dateTime for the
//! instants) and is `NULL` otherwise. Translated filters use a column where
//! it answers exactly and fall back to the document where it is `NULL`, so
//! a column never changes an answer, only its cost. Each has an index;
//! `user_name`'s is unique, so two users whose userNames compare equal
//! under RFC 7644 §5 (`BJensen`, `ｂｊｅｎｓｅｎ`) cannot both be stored.

use scimkit_schema::compare::{parse_datetime, Comparator};
use scimkit_schema::json::member_ci;
use scimkit_schema::{AttributeType, ScimError, ScimType};
use serde_json::Value;

use crate::leaf::instant_text;
use crate::membership::{Attached, Memberships, Side};
use crate::sql::{Dialect, Sql, SqlValue, Writer};

/// An optional indexed column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Column {
    /// `user_name`: `userName` under RFC 7644 §5 (unique).
    UserName,
    /// `external_id`: `externalId`, exact.
    ExternalId,
    /// `display_name`: `displayName`'s caseless key.
    DisplayName,
    /// `created`: `meta.created` as an instant.
    Created,
    /// `last_modified`: `meta.lastModified` as an instant.
    LastModified,
}

impl Column {
    /// Every optional column.
    pub const ALL: [Self; 5] = [
        Self::UserName,
        Self::ExternalId,
        Self::DisplayName,
        Self::Created,
        Self::LastModified,
    ];

    /// The column's SQL name.
    pub fn name(self) -> &'static str {
        match self {
            Self::UserName => "user_name",
            Self::ExternalId => "external_id",
            Self::DisplayName => "display_name",
            Self::Created => "created",
            Self::LastModified => "last_modified",
        }
    }

    /// The attribute it holds: (attribute, sub-attribute) of the core schema.
    pub fn attribute(self) -> (&'static str, Option<&'static str>) {
        match self {
            Self::UserName => ("userName", None),
            Self::ExternalId => ("externalId", None),
            Self::DisplayName => ("displayName", None),
            Self::Created => ("meta", Some("created")),
            Self::LastModified => ("meta", Some("lastModified")),
        }
    }

    /// The comparator whose keys the column holds; a filter or sort uses
    /// the column only when its own comparator is this one.
    pub fn comparator(self) -> Comparator {
        match self {
            Self::UserName => Comparator::username(),
            Self::ExternalId => Comparator::new(AttributeType::String, true),
            Self::DisplayName => Comparator::new(AttributeType::String, false),
            Self::Created | Self::LastModified => Comparator::new(AttributeType::DateTime, false),
        }
    }

    /// The column value of a document (`NULL` when the attribute does not
    /// hold a string, or a dateTime that does not parse).
    pub fn value_of(self, doc: &Value) -> SqlValue {
        let (attr, sub) = self.attribute();
        let mut v = member_ci(doc, attr);
        if let Some(sub) = sub {
            v = v.and_then(|v| member_ci(v, sub));
        }
        let Some(text) = v.and_then(Value::as_str) else {
            return SqlValue::Null;
        };
        self.key(text)
    }

    /// The column form of a text (a literal or a stored value).
    pub(crate) fn key(self, text: &str) -> SqlValue {
        let c = self.comparator();
        if c.kind() == AttributeType::DateTime {
            parse_datetime(text)
                .and_then(instant_text)
                .map_or(SqlValue::Null, SqlValue::Text)
        } else {
            SqlValue::Text(c.equality_key(text).into_owned())
        }
    }
}

/// Which optional columns a table has (all of them by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMap {
    columns: Vec<Column>,
}

impl Default for ColumnMap {
    fn default() -> Self {
        Self::all()
    }
}

impl ColumnMap {
    /// Every column of [`Column::ALL`].
    pub fn all() -> Self {
        Self {
            columns: Column::ALL.to_vec(),
        }
    }

    /// No optional column: every condition reads the document.
    pub fn none() -> Self {
        Self {
            columns: Vec::new(),
        }
    }

    /// The same map with `column` added.
    #[must_use]
    pub fn with(mut self, column: Column) -> Self {
        if !self.columns.contains(&column) {
            self.columns.push(column);
        }
        self
    }

    /// The same map without `column`.
    #[must_use]
    pub fn without(mut self, column: Column) -> Self {
        self.columns.retain(|c| *c != column);
        self
    }

    /// The columns, in [`Column::ALL`] order.
    pub fn columns(&self) -> impl Iterator<Item = Column> + '_ {
        Column::ALL.into_iter().filter(|c| self.columns.contains(c))
    }

    /// The column holding core attribute `attr` (sub-attribute `sub`), if any.
    pub fn column_for(&self, attr: &str, sub: Option<&str>) -> Option<Column> {
        self.columns().find(|c| {
            let (a, s) = c.attribute();
            a.eq_ignore_ascii_case(attr)
                && match (s, sub) {
                    (None, None) => true,
                    (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                    _ => false,
                }
        })
    }
}

/// One resource type's table: its name, columns, and the membership
/// table that answers its `members` or `groups`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    name: String,
    columns: ColumnMap,
    members: Option<Attached>,
    groups: Option<Attached>,
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::new(ScimType::InvalidValue, detail.into())
}

/// Ok when `name` may be a table name: 1 to 63 ASCII letters, digits and
/// `_`, not starting with a digit (it is written into SQL text, quoted, so
/// it is checked rather than trusted).
pub(crate) fn check_name(name: &str) -> Result<(), ScimError> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes().first().is_some_and(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "table name {:?}: use 1 to 63 ASCII letters, digits and _, not starting with a digit",
            scimkit_schema::error::excerpt(name)
        )))
    }
}

impl Table {
    /// A table called `name` with every optional column.
    ///
    /// Errors (`invalidValue`): the name is not 1 to 63 ASCII letters,
    /// digits and `_`, starting with a letter or `_` (it is written into
    /// SQL text, quoted, so it is checked rather than trusted).
    pub fn new(name: &str) -> Result<Self, ScimError> {
        check_name(name)?;
        Ok(Self {
            name: name.to_owned(),
            columns: ColumnMap::all(),
            members: None,
            groups: None,
        })
    }

    /// The same table (a Group table) with its `members` answered by the
    /// rows of `memberships` whose `group_id` is the group: filters on
    /// `members` become conditions on those rows (see [`Memberships`]).
    #[must_use]
    pub fn with_members(mut self, memberships: Memberships) -> Self {
        self.members = Some(Attached {
            table: memberships,
            side: Side::Members,
        });
        self
    }

    /// The same table (a User table) with its `groups` answered by the rows
    /// of `memberships` whose `member_id` is the user (`type` `"direct"`).
    #[must_use]
    pub fn with_groups(mut self, memberships: Memberships) -> Self {
        self.groups = Some(Attached {
            table: memberships,
            side: Side::Groups,
        });
        self
    }

    /// The membership table answering `members`, if any.
    pub fn members(&self) -> Option<&Memberships> {
        self.members.as_ref().map(|a| &a.table)
    }

    /// The membership table answering `groups`, if any.
    pub fn groups(&self) -> Option<&Memberships> {
        self.groups.as_ref().map(|a| &a.table)
    }

    /// The membership attribute a resolved core attribute `attr` is, if any.
    pub(crate) fn attached(&self, attr: &str) -> Option<&Attached> {
        [&self.members, &self.groups]
            .into_iter()
            .flatten()
            .find(|a| a.side.attribute().eq_ignore_ascii_case(attr))
    }

    /// The same table with another column map.
    #[must_use]
    pub fn with_columns(mut self, columns: ColumnMap) -> Self {
        self.columns = columns;
        self
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column map.
    pub fn columns(&self) -> &ColumnMap {
        &self.columns
    }

    /// The name, quoted for SQL text.
    pub(crate) fn quoted(&self) -> String {
        crate::sql::cat(&["\"", &self.name, "\""])
    }

    /// `CREATE TABLE` and `CREATE INDEX` statements (idempotent: `IF NOT
    /// EXISTS`), in order.
    pub fn ddl(&self, dialect: Dialect) -> Vec<String> {
        let (id, doc, text) = match dialect {
            Dialect::Postgres => (
                "text COLLATE \"C\" PRIMARY KEY NOT NULL",
                "jsonb NOT NULL",
                "text COLLATE \"C\"",
            ),
            _ => (
                "TEXT PRIMARY KEY NOT NULL",
                "TEXT NOT NULL CHECK (json_valid(doc))",
                "TEXT",
            ),
        };
        let mut cols = vec![format!("id {id}"), format!("doc {doc}")];
        cols.extend(
            self.columns
                .columns()
                .map(|c| format!("{} {text}", c.name())),
        );
        let mut out = vec![format!(
            "CREATE TABLE IF NOT EXISTS {} ({})",
            self.quoted(),
            cols.join(", ")
        )];
        for c in self.columns.columns() {
            let unique = if c == Column::UserName { "UNIQUE " } else { "" };
            out.push(format!(
                "CREATE {unique}INDEX IF NOT EXISTS \"{}_{}\" ON {} ({})",
                self.name,
                c.name(),
                self.quoted(),
                c.name()
            ));
        }
        out
    }

    /// The document's `id`, which the table's `id` column holds.
    fn id_of(doc: &Value) -> Result<&str, ScimError> {
        member_ci(doc, "id")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("the resource has no string \"id\" to store it under"))
    }

    /// `INSERT` of a document (its `id` member is the key; a userName equal
    /// to a stored one under RFC 7644 §5 violates the unique index).
    ///
    /// Errors (`invalidValue`): the document has no string `id`; for
    /// [`Dialect::Postgres`], a key or string anywhere in it holds U+0000,
    /// which `jsonb` cannot store (the detail names its JSON Pointer).
    pub fn insert(&self, dialect: Dialect, doc: &Value) -> Result<Sql, ScimError> {
        self.write(dialect, doc, false)
    }

    /// `INSERT`, or `UPDATE` of the row with the document's `id`.
    ///
    /// Errors: as [`insert`](Self::insert).
    pub fn upsert(&self, dialect: Dialect, doc: &Value) -> Result<Sql, ScimError> {
        self.write(dialect, doc, true)
    }

    fn write(&self, dialect: Dialect, doc: &Value, upsert: bool) -> Result<Sql, ScimError> {
        let id = Self::id_of(doc)?;
        if dialect == Dialect::Postgres {
            refuse_nul(doc)?;
        }
        let mut w = Writer::new(dialect);
        let mut names = vec!["id", "doc"];
        let mut values = vec![w.bind(id), w.bind(doc.to_string())];
        if dialect == Dialect::Postgres {
            if let Some(v) = values.last_mut() {
                v.push_str("::jsonb");
            }
        }
        for c in self.columns.columns() {
            names.push(c.name());
            values.push(w.bind(c.value_of(doc)));
        }
        let mut text = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.quoted(),
            names.join(", "),
            values.join(", ")
        );
        if upsert {
            let sets: Vec<String> = names
                .iter()
                .skip(1)
                .map(|n| format!("{n} = excluded.{n}"))
                .collect();
            text.push_str(&format!(
                " ON CONFLICT (id) DO UPDATE SET {}",
                sets.join(", ")
            ));
        }
        Ok(w.finish(text))
    }

    /// `DELETE` of the row with this `id`.
    pub fn delete(&self, dialect: Dialect, id: &str) -> Sql {
        let mut w = Writer::new(dialect);
        let p = w.bind(id);
        let text = format!("DELETE FROM {} WHERE id = {p}", self.quoted());
        w.finish(text)
    }
}

/// `invalidValue` naming the first place (a JSON Pointer, RFC 6901) where
/// a key or a string of `doc` holds U+0000: PostgreSQL's `jsonb` (and
/// `text`) cannot hold that character.
fn refuse_nul(doc: &Value) -> Result<(), ScimError> {
    fn escape(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }
    fn find(v: &Value, path: &mut String) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                let found = find(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            Value::Object(map) => map.iter().any(|(k, item)| {
                let len = path.len();
                path.push('/');
                path.push_str(&escape(k));
                let found = k.contains('\0') || find(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    let mut path = String::new();
    if find(doc, &mut path) {
        return Err(invalid(format!(
            "the resource holds U+0000 at {:?} (a JSON Pointer), which PostgreSQL cannot store",
            scimkit_schema::error::excerpt(&path)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn postgres_refuses_nul_and_names_where() {
        let t = Table::new("users").unwrap();
        let cases = [
            (
                json!({"id": "1", "name": {"givenName": "a\u{0}b"}}),
                "/name/givenName",
            ),
            (
                json!({"id": "1", "emails": [{"value": "x"}, {"value": "\u{0}"}]}),
                "/emails/1/value",
            ),
            (json!({"id": "1", "x": {"k\u{0}": 1}}), "/x/k\\0"),
            (json!({"id": "1", "a/b": ["\u{0}"]}), "/a~1b/0"),
            (json!({"id": "\u{0}"}), "/id"),
        ];
        for (doc, path) in cases {
            for e in [
                t.insert(Dialect::Postgres, &doc).unwrap_err(),
                t.upsert(Dialect::Postgres, &doc).unwrap_err(),
            ] {
                assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidValue"));
                let d = e.detail().unwrap_or_default();
                assert!(d.contains(path) && d.contains("U+0000"), "{d} / {path}");
            }
            // SQLite stores it.
            assert!(t.insert(Dialect::Sqlite, &doc).is_ok());
        }
        assert!(t
            .insert(
                Dialect::Postgres,
                &json!({"id": "1", "title": "\\u0000 is text"})
            )
            .is_ok());
    }

    #[test]
    fn names_are_checked() {
        assert!(Table::new("users").is_ok());
        assert!(Table::new("_x9").is_ok());
        for bad in ["", "9a", "a b", "a\"b", "users; drop", &"x".repeat(64)] {
            let e = Table::new(bad).unwrap_err();
            assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidValue"));
        }
    }

    #[test]
    fn ddl_follows_the_column_map() {
        let t = Table::new("users").unwrap();
        let s = t.ddl(Dialect::Sqlite);
        assert_eq!(s.len(), 6);
        assert!(s[0].contains("user_name TEXT"), "{}", s[0]);
        assert!(s[1].starts_with("CREATE UNIQUE INDEX"));
        let p = t.ddl(Dialect::Postgres);
        assert!(p[0].contains("doc jsonb"));
        assert!(p[0].contains("id text COLLATE \"C\""));
        let bare = t.with_columns(ColumnMap::none().with(Column::Created));
        let s = bare.ddl(Dialect::Sqlite);
        assert_eq!(s.len(), 2);
        assert!(!s[0].contains("user_name"));
        assert!(s[1].contains("created"));
    }

    #[test]
    fn ddl_runs_and_user_name_is_unique_under_rfc7644_section5() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let t = Table::new("users").unwrap();
        for s in t.ddl(Dialect::Sqlite) {
            c.execute(&s, []).unwrap();
        }
        let ins = |doc: Value| {
            let sql = t.insert(Dialect::Sqlite, &doc).unwrap();
            c.execute(&sql.text, rusqlite::params_from_iter(&sql.params))
        };
        ins(json!({"id": "1", "userName": "BJensen", "meta": {"created": "2011-05-13T06:42:34+02:00"}}))
            .unwrap();
        assert!(ins(json!({"id": "2", "userName": "ｂｊｅｎｓｅｎ"})).is_err());
        ins(json!({"id": "3"})).unwrap();
        ins(json!({"id": "4", "userName": 7})).unwrap();
        let created: String = c
            .query_row("select created from users where id = '1'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(created, "2011-05-13T04:42:34.000000000Z");
        let up = t
            .upsert(Dialect::Sqlite, &json!({"id": "3", "userName": "x"}))
            .unwrap();
        c.execute(&up.text, rusqlite::params_from_iter(&up.params))
            .unwrap();
        let del = t.delete(Dialect::Sqlite, "4");
        assert_eq!(
            c.execute(&del.text, rusqlite::params_from_iter(&del.params))
                .unwrap(),
            1
        );
        assert!(t
            .insert(Dialect::Sqlite, &json!({"userName": "x"}))
            .is_err());
    }
}
