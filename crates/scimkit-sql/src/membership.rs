//! Group membership in its own table ([`Memberships`]), and filters on a
//! group's `members` and a user's `groups` answered from its rows.
//!
//! Why a table: a group of 100,000 members would otherwise be one 5 MB
//! document rewritten for every member added, and deleting a user would
//! mean rewriting every group that names it. One row per (group, member)
//! makes both a single-row write, and a user's `groups` (readOnly, derived
//! by the service provider, RFC 7643 §4.1.2) comes from the same rows.
//!
//! # The table
//!
//! | column | SQLite | PostgreSQL | holds |
//! |---|---|---|---|
//! | `group_id` | `TEXT NOT NULL` | `text COLLATE "C" NOT NULL` | the group's `id` |
//! | `member_id` | `TEXT NOT NULL` | `text COLLATE "C" NOT NULL` | the member's `id` (a user or a group) |
//! | `member_type` | `TEXT NOT NULL`, `'User'` or `'Group'` | likewise | the member's resource type ([`MemberType`]) |
//! | `display` | `TEXT` (nullable) | `text COLLATE "C"` | the `display` both views show (see below) |
//! | `group_key`, `member_key`, `display_key` | `TEXT` | `text COLLATE "C"` | the caseless comparison keys (NFD, case fold, NFC) of the three, written by [`Memberships::insert`] |
//!
//! Primary key `(group_id, member_id)`; indexes on `member_id` (a member's
//! groups, removing a deleted member everywhere), `member_key` and
//! `group_key` (the filters `members.value eq "x"` and
//! `groups.value eq "x"`). The key columns exist because every built-in
//! sub-attribute of `members` and `groups` is a case-insensitive string:
//! comparing keys is how PostgreSQL answers those filters exactly.
//!
//! # The views a filter sees
//!
//! A [`Table`](crate::Table) made with
//! [`with_members`](crate::Table::with_members) (the Group table) answers
//! filters on `members` as the evaluator answers them on the group's
//! document with `members` replaced by the rows of the group, in
//! `member_id` order: `[{"value": member_id, "type": member_type,
//! "display": display}]` (`display` absent when `NULL`; no rows: no
//! `members`). One made with [`with_groups`](crate::Table::with_groups)
//! (the User table) sees `groups` as `[{"value": group_id, "type":
//! "direct", "display": display}]` over the rows whose `member_id` is the
//! user, in `group_id` order. Whatever the stored document holds under
//! that name is not read.
//!
//! `display` is one column for both views: a server that renders a user's
//! `groups.display` from it stores the group's `displayName` there and
//! keeps it current with [`Memberships::set_display`] when the group is
//! renamed. (The RFC 7643 Group schema defines no `members.display`, so a
//! filter on it is the evaluator's constant for an undefined attribute.)
//!
//! A filter becomes `t.id IN (SELECT group_id FROM memberships WHERE ...)`
//! (or `member_id` for `groups`): `members.value eq "x"` reads the
//! `member_key` index, `not (members pr)` is `NOT t.id IN (...)`. Every
//! comparison is exact in both dialects for string and reference
//! sub-attributes (the key columns for case-insensitive ones, the columns
//! themselves for caseExact ones; `type` is tested in Rust against the
//! values it can hold). What is refused, `invalidFilter`:
//! - `$ref` (`members.$ref`, `groups[$ref ...]`): it is derived from the
//!   server's base URL when the resource is rendered, so no row holds it;
//! - on PostgreSQL, a comparison of a sub-attribute a custom schema types
//!   as something other than a string or reference (SQLite answers those
//!   exactly through `scimkit_test_str`).
//!
//! Sorting by `members` or `groups` (or a sub-attribute) is refused,
//! `invalidValue`: the order of a group by its first member has no use,
//! and the rows are not in the document the in-memory sort reads.

use std::fmt::Write as _;
use std::str::FromStr;

use scimkit_filter::{CompValue, Filter};
use scimkit_schema::compare::{Comparator, TextRule};
use scimkit_schema::{AttrPath, Attribute, AttributeType, ScimError};
use serde_json::Value;

use crate::filter::{leaf_op, resolve, undefined_answer, Scope, Target};
use crate::leaf::{Leaf, LeafSpec, Op};
use crate::sql::{Dialect, Sql, SqlValue, Writer};

/// The resource type of a member: a row's `member_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberType {
    /// `User`.
    User,
    /// `Group`.
    Group,
}

impl MemberType {
    /// Both, in the order a view lists candidates.
    pub const ALL: [Self; 2] = [Self::User, Self::Group];

    /// `"User"` or `"Group"`, as stored and shown as `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
        }
    }
}

impl FromStr for MemberType {
    type Err = ScimError;

    /// `User` or `Group`, ASCII case ignored (RFC 7643 canonical values).
    fn from_str(s: &str) -> Result<Self, ScimError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                ScimError::invalid_value(format!(
                    "a member's \"type\" is \"User\" or \"Group\", not {:?}",
                    scimkit_schema::error::excerpt(s)
                ))
            })
    }
}

/// The membership table: one row per (group, member). See the module
/// documentation for its columns and what filters see.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Memberships {
    name: String,
}

/// The caseless key the `*_key` columns hold.
fn caseless(text: &str) -> String {
    Comparator::new(AttributeType::String, false)
        .equality_key(text)
        .into_owned()
}

impl Memberships {
    /// A membership table called `name`.
    ///
    /// Errors (`invalidValue`): the name is not 1 to 63 ASCII letters,
    /// digits and `_`, starting with a letter or `_` (as [`Table::new`](crate::Table::new)).
    pub fn new(name: &str) -> Result<Self, ScimError> {
        crate::table::check_name(name)?;
        Ok(Self {
            name: name.to_owned(),
        })
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn quoted(&self) -> String {
        format!("\"{}\"", self.name)
    }

    /// `CREATE TABLE` and `CREATE INDEX` statements (idempotent: `IF NOT
    /// EXISTS`), in order.
    pub fn ddl(&self, dialect: Dialect) -> Vec<String> {
        let (text, not_null, tail) = match dialect {
            Dialect::Postgres => ("text COLLATE \"C\"", "text COLLATE \"C\" NOT NULL", ""),
            _ => ("TEXT", "TEXT NOT NULL", " WITHOUT ROWID"),
        };
        let q = self.quoted();
        let n = &self.name;
        vec![
            format!(
                "CREATE TABLE IF NOT EXISTS {q} (group_id {not_null}, member_id {not_null}, \
                 member_type {not_null} CHECK (member_type IN ('User', 'Group')), display {text}, \
                 group_key {text}, member_key {text}, display_key {text}, \
                 PRIMARY KEY (group_id, member_id)){tail}"
            ),
            format!("CREATE INDEX IF NOT EXISTS \"{n}_member_id\" ON {q} (member_id)"),
            format!("CREATE INDEX IF NOT EXISTS \"{n}_member_key\" ON {q} (member_key)"),
            format!("CREATE INDEX IF NOT EXISTS \"{n}_group_key\" ON {q} (group_key)"),
        ]
    }

    /// `INSERT` of one membership; nothing happens when the group already
    /// has this member (`ON CONFLICT DO NOTHING`: the stored type and
    /// display stay).
    pub fn insert(
        &self,
        dialect: Dialect,
        group_id: &str,
        member_id: &str,
        member_type: MemberType,
        display: Option<&str>,
    ) -> Sql {
        let mut w = Writer::new(dialect);
        let values = [
            w.bind(group_id),
            w.bind(member_id),
            w.bind(member_type.as_str()),
            w.bind(display.map(str::to_owned)),
            w.bind(caseless(group_id)),
            w.bind(caseless(member_id)),
            w.bind(display.map(caseless)),
        ];
        let text = format!(
            "INSERT INTO {} (group_id, member_id, member_type, display, group_key, member_key, \
             display_key) VALUES ({}) ON CONFLICT (group_id, member_id) DO NOTHING",
            self.quoted(),
            values.join(", ")
        );
        w.finish(text)
    }

    /// `DELETE` of one membership.
    pub fn delete(&self, dialect: Dialect, group_id: &str, member_id: &str) -> Sql {
        let mut w = Writer::new(dialect);
        let (g, m) = (w.bind(group_id), w.bind(member_id));
        let text = format!(
            "DELETE FROM {} WHERE group_id = {g} AND member_id = {m}",
            self.quoted()
        );
        w.finish(text)
    }

    /// `DELETE` of every member of a group (the group is deleted, or its
    /// `members` replaced).
    pub fn delete_group(&self, dialect: Dialect, group_id: &str) -> Sql {
        let mut w = Writer::new(dialect);
        let g = w.bind(group_id);
        let text = format!("DELETE FROM {} WHERE group_id = {g}", self.quoted());
        w.finish(text)
    }

    /// `DELETE` of a member from every group (the user or group `member_id`
    /// is deleted).
    pub fn delete_member(&self, dialect: Dialect, member_id: &str) -> Sql {
        let mut w = Writer::new(dialect);
        let m = w.bind(member_id);
        let text = format!("DELETE FROM {} WHERE member_id = {m}", self.quoted());
        w.finish(text)
    }

    /// `UPDATE` of `display` on every row of a group (the group was renamed
    /// and its members' `groups.display` shows its `displayName`).
    pub fn set_display(&self, dialect: Dialect, group_id: &str, display: Option<&str>) -> Sql {
        let mut w = Writer::new(dialect);
        let d = w.bind(display.map(str::to_owned));
        let k = w.bind(display.map(caseless));
        let g = w.bind(group_id);
        let text = format!(
            "UPDATE {} SET display = {d}, display_key = {k} WHERE group_id = {g}",
            self.quoted()
        );
        w.finish(text)
    }

    /// A group's members: `SELECT member_id, member_type, display` ordered
    /// by `member_id` (by bytes; the view's order).
    pub fn members_of(&self, dialect: Dialect, group_id: &str) -> Sql {
        let mut w = Writer::new(dialect);
        let g = w.bind(group_id);
        let text = format!(
            "SELECT member_id, member_type, display FROM {} WHERE group_id = {g} \
             ORDER BY member_id{}",
            self.quoted(),
            collate_c(dialect)
        );
        w.finish(text)
    }

    /// A member's groups: `SELECT group_id, display` ordered by `group_id`
    /// (by bytes; the view's order).
    pub fn groups_of(&self, dialect: Dialect, member_id: &str) -> Sql {
        let mut w = Writer::new(dialect);
        let m = w.bind(member_id);
        let text = format!(
            "SELECT group_id, display FROM {} WHERE member_id = {m} ORDER BY group_id{}",
            self.quoted(),
            collate_c(dialect)
        );
        w.finish(text)
    }
}

fn collate_c(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => " COLLATE \"C\"",
        _ => "",
    }
}

/// Which multi-valued attribute of a table its membership rows answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    /// The Group table's `members`: rows whose `group_id` is the resource.
    Members,
    /// The User table's `groups`: rows whose `member_id` is the resource.
    Groups,
}

impl Side {
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Groups => "groups",
        }
    }

    /// The column naming the resource itself.
    fn own(self) -> &'static str {
        match self {
            Self::Members => "group_id",
            Self::Groups => "member_id",
        }
    }

    /// The columns of the element's `value`: (as is, caseless key).
    fn value(self) -> (&'static str, &'static str) {
        match self {
            Self::Members => ("member_id", "member_key"),
            Self::Groups => ("group_id", "group_key"),
        }
    }
}

/// A membership attribute of a table: the rows and the side.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Attached {
    pub(crate) table: Memberships,
    pub(crate) side: Side,
}

impl Attached {
    /// PostgreSQL: the jsonb document `doc` of row `t` as the evaluator
    /// sees it (the attribute, in any case, replaced by the rows; absent
    /// when there are none).
    pub(crate) fn view_sql(&self, doc: &str) -> String {
        let attr = self.side.attribute();
        let own = self.side.own();
        let (value, _) = self.side.value();
        let kind = match self.side {
            Side::Members => "mv.member_type",
            Side::Groups => "'direct'",
        };
        format!(
            "((SELECT COALESCE(jsonb_object_agg(e.key, e.value), '{{}}'::jsonb) FROM jsonb_each({doc}) AS e \
             WHERE lower(e.key COLLATE \"C\") <> '{attr}') || jsonb_strip_nulls(jsonb_build_object('{attr}', \
             (SELECT jsonb_agg(jsonb_build_object('value', mv.{value}, 'type', {kind}, 'display', mv.display) \
             ORDER BY mv.{value} COLLATE \"C\") FROM {} AS mv WHERE mv.{own} = t.id))))",
            self.table.quoted()
        )
    }
}

/// One sub-attribute of an element of the view.
#[derive(Clone, Copy)]
enum Field {
    /// A text column and its caseless key column.
    Text(&'static str, &'static str),
    /// `type`: one of these values.
    Type(&'static [&'static str]),
    /// `$ref`: not stored.
    Ref,
    /// Any other name: absent from every element.
    Missing,
}

fn field(side: Side, name: &str) -> Field {
    const MEMBER_TYPES: &[&str] = &["User", "Group"];
    const DIRECT: &[&str] = &["direct"];
    if name.eq_ignore_ascii_case("value") {
        let (raw, key) = side.value();
        Field::Text(raw, key)
    } else if name.eq_ignore_ascii_case("display") {
        Field::Text("display", "display_key")
    } else if name.eq_ignore_ascii_case("type") {
        Field::Type(match side {
            Side::Members => MEMBER_TYPES,
            Side::Groups => DIRECT,
        })
    } else if name == "$ref" {
        Field::Ref
    } else {
        Field::Missing
    }
}

/// Translates filters on a membership attribute, for either dialect.
pub(crate) struct Rows<'a, 'w> {
    pub(crate) w: &'w mut Writer,
    pub(crate) attached: &'a Attached,
}

fn bool_sql(dialect: Dialect, b: bool) -> String {
    match (dialect, b) {
        (Dialect::Postgres, true) => "TRUE",
        (Dialect::Postgres, false) => "FALSE",
        (_, true) => "1",
        (_, false) => "0",
    }
    .to_owned()
}

impl Rows<'_, '_> {
    fn dialect(&self) -> Dialect {
        self.w.dialect()
    }

    fn constant(&self, b: bool) -> String {
        bool_sql(self.dialect(), b)
    }

    /// `t.id IN` the rows of the resource that satisfy `cond` (on alias `m`).
    fn any_row(&mut self, m: &str, cond: Option<String>) -> String {
        let own = self.attached.side.own();
        let mut s = format!(
            "(t.id IN (SELECT {m}.{own} FROM {} AS {m}",
            self.attached.table.quoted()
        );
        if let Some(c) = cond {
            let _ = write!(s, " WHERE {c}");
        }
        s.push_str("))");
        s
    }

    /// `path op value` / `path pr` where `path` resolved (at the resource)
    /// to the membership attribute; `negate`: `ne` / `ne null`.
    pub(crate) fn compare(
        &mut self,
        target: &Target<'_>,
        op: Op,
        negate: bool,
        value: &CompValue,
    ) -> Result<String, ScimError> {
        let m = self.w.alias("m");
        let name = match (&target.leaf.sub, target.leaf.implicit_value) {
            (Some(sub), _) => Some(sub.as_str()),
            (None, true) => Some("value"),
            (None, false) => None,
        };
        // The test on one element; `None`: true of every element.
        let on_element = match name {
            // `members pr`: every element has a non-empty `type`.
            None if op == Op::Present => None,
            None => Some(self.constant(false)),
            Some(name) => {
                let f = self.field_of(name)?;
                Some(self.test(&m, f, target.comparator(), op, value)?)
            }
        };
        let mut sql = self.any_row(&m, on_element);
        if op == Op::Unassigned {
            // Also true when the resource has no rows at all.
            let none = self.any_row(&format!("{m}n"), None);
            sql = format!("((NOT {none}) OR {sql})");
        }
        Ok(if negate { format!("(NOT {sql})") } else { sql })
    }

    /// `path[inner]` where `path` is the membership attribute `def`.
    pub(crate) fn value_path(
        &mut self,
        def: &Attribute,
        inner: &Filter,
    ) -> Result<String, ScimError> {
        let m = self.w.alias("m");
        let cond = self.element(inner, def, &m)?;
        Ok(self.any_row(&m, Some(cond)))
    }

    fn field_of(&self, name: &str) -> Result<Field, ScimError> {
        match field(self.attached.side, name) {
            Field::Ref => Err(ref_error(self.attached.side)),
            f => Ok(f),
        }
    }

    /// `inner` on one element: the row `m` (the evaluator's element scope).
    fn element(
        &mut self,
        inner: &Filter,
        parent: &Attribute,
        m: &str,
    ) -> Result<String, ScimError> {
        Ok(match inner {
            Filter::Compare {
                path, op, value, ..
            } => self.element_compare(parent, m, path, Some(*op), value)?,
            Filter::Present { path, .. } => {
                self.element_compare(parent, m, path, None, &CompValue::Null)?
            }
            Filter::And { children, .. } | Filter::Or { children, .. } => {
                let op = if matches!(inner, Filter::And { .. }) {
                    " AND "
                } else {
                    " OR "
                };
                let parts = children
                    .iter()
                    .map(|c| self.element(c, parent, m))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(op))
            }
            Filter::Not { filter, .. } => format!("(NOT {})", self.element(filter, parent, m)?),
            // A value path inside an element names a sub-attribute, which is
            // never complex: false, as the evaluator answers.
            Filter::ValuePath { .. } => self.constant(false),
            _ => {
                return Err(ScimError::invalid_filter(
                    "this filter form cannot be translated to SQL",
                ))
            }
        })
    }

    fn element_compare(
        &mut self,
        parent: &Attribute,
        m: &str,
        path: &AttrPath,
        op: Option<scimkit_filter::CompareOp>,
        value: &CompValue,
    ) -> Result<String, ScimError> {
        let Some(target) = resolve(Scope::Element(parent), path, op.is_some()) else {
            return Ok(self.constant(undefined_answer(op, value)));
        };
        let Some((op, negate)) = leaf_op(op, value) else {
            return Ok(self.constant(false));
        };
        let f = self.field_of(&target.attr)?;
        let sql = self.test(m, f, target.comparator(), op, value)?;
        Ok(if negate { format!("(NOT {sql})") } else { sql })
    }

    /// `PreparedLeaf::test` on one element's field, in SQL (0/1 or
    /// TRUE/FALSE, never `NULL`).
    fn test(
        &mut self,
        m: &str,
        f: Field,
        c: Comparator,
        op: Op,
        value: &CompValue,
    ) -> Result<String, ScimError> {
        let spec = LeafSpec {
            op,
            comparator: c,
            literal: value.to_json(),
            leaf: Leaf::default(),
        };
        let (raw, key) = match f {
            Field::Ref => return Err(ref_error(self.attached.side)),
            Field::Missing => return Ok(self.constant(op == Op::Unassigned)),
            Field::Type(values) => {
                let Some(prepared) = spec.prepared() else {
                    return Err(ScimError::invalid_filter(
                        "the literal cannot be compared with this attribute",
                    ));
                };
                let accepted: Vec<&str> = values
                    .iter()
                    .copied()
                    .filter(|v| prepared.test(Some(&Value::String((*v).to_owned()))))
                    .collect();
                return Ok(if accepted.len() == values.len() {
                    self.constant(true)
                } else if accepted.is_empty() {
                    self.constant(false)
                } else {
                    // Fixed names of this crate, not values.
                    let list: Vec<String> = accepted.iter().map(|v| format!("'{v}'")).collect();
                    format!("({m}.member_type IN ({}))", list.join(", "))
                });
            }
            Field::Text(raw, key) => (raw, key),
        };
        let col = |c: &str| format!("{m}.{c}");
        match op {
            Op::Unassigned => return Ok(format!("({} IS NULL)", col(raw))),
            Op::Present => return Ok(format!("({r} IS NOT NULL AND {r} <> '')", r = col(raw))),
            _ => {}
        }
        let literal = match value {
            CompValue::String(s) => Some(s.as_str()),
            _ => None,
        };
        // The column whose bytes compare as the comparator compares.
        let text_column = match (c.kind(), c.case_exact(), c.text_rule()) {
            (AttributeType::String, false, TextRule::Caseless) => Some((key, true)),
            (AttributeType::String, true, _) => Some((raw, false)),
            (AttributeType::Reference, _, _) if !is_ordering(op) => Some((raw, false)),
            _ => None,
        };
        let dialect = self.dialect();
        if let (Some((column, keyed)), Some(lit)) = (text_column, literal) {
            let lit = if keyed { caseless(lit) } else { lit.to_owned() };
            let x = col(column);
            let sql_op = match op {
                Op::Eq => Some("="),
                Op::Gt => Some(">"),
                Op::Ge => Some(">="),
                Op::Lt => Some("<"),
                Op::Le => Some("<="),
                _ => None,
            };
            match (dialect, sql_op) {
                (Dialect::Postgres, Some(o)) => {
                    let p = self.w.bind(lit);
                    return Ok(format!("COALESCE({x} COLLATE \"C\" {o} {p}, FALSE)"));
                }
                (Dialect::Postgres, None) => {
                    let p = self.w.bind(lit);
                    return Ok(match op {
                        Op::Co => format!("COALESCE(strpos({x}, {p}) > 0, FALSE)"),
                        Op::Sw => format!("COALESCE(starts_with({x}, {p}), FALSE)"),
                        _ => format!("COALESCE(right({x}, char_length({p})) = {p}, FALSE)"),
                    });
                }
                (_, Some(o)) => {
                    let p = self.w.bind(lit);
                    return Ok(format!("COALESCE({x} {o} {p}, 0)"));
                }
                // SQLite's substring functions count characters up to a
                // NUL; the comparator's own test does not.
                (_, None) => {}
            }
        }
        if dialect == Dialect::Postgres {
            return Err(ScimError::invalid_filter(format!(
                "a {} comparison of {}'s rows cannot be answered in PostgreSQL",
                c.kind().as_str(),
                self.attached.side.attribute()
            )));
        }
        let p = self.w.bind(SqlValue::Text(spec.to_param()));
        Ok(format!("scimkit_test_str({p}, {})", col(raw)))
    }
}

fn is_ordering(op: Op) -> bool {
    matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le)
}

fn ref_error(side: Side) -> ScimError {
    ScimError::invalid_filter(format!(
        "{}.$ref is not stored (it is derived when the resource is rendered) and cannot be filtered",
        side.attribute()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_types_parse_ignoring_case() {
        assert_eq!("user".parse::<MemberType>().unwrap(), MemberType::User);
        assert_eq!("GROUP".parse::<MemberType>().unwrap(), MemberType::Group);
        let e = "Device".parse::<MemberType>().unwrap_err();
        assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidValue"));
    }

    #[test]
    fn statements_run_and_keep_rows_in_order() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let m = Memberships::new("memberships").unwrap();
        assert!(Memberships::new("a b").is_err());
        for s in m.ddl(Dialect::Sqlite) {
            c.execute(&s, []).unwrap();
        }
        let run = |sql: Sql| {
            c.execute(&sql.text, rusqlite::params_from_iter(&sql.params))
                .unwrap()
        };
        let d = Dialect::Sqlite;
        assert_eq!(
            run(m.insert(d, "g1", "u2", MemberType::User, Some("Admins"))),
            1
        );
        assert_eq!(run(m.insert(d, "g1", "u1", MemberType::User, None)), 1);
        // Idempotent.
        assert_eq!(run(m.insert(d, "g1", "u1", MemberType::Group, None)), 0);
        assert_eq!(
            run(m.insert(d, "g2", "u1", MemberType::User, Some("Ops"))),
            1
        );
        assert_eq!(run(m.insert(d, "g2", "g1", MemberType::Group, None)), 1);
        let rows = |sql: Sql| -> Vec<(String, Option<String>)> {
            let mut st = c.prepare(&sql.text).unwrap();
            let r = st
                .query_map(rusqlite::params_from_iter(&sql.params), |r| {
                    Ok((r.get(0)?, r.get(r.as_ref().column_count() - 1)?))
                })
                .unwrap();
            r.map(Result::unwrap).collect()
        };
        assert_eq!(
            rows(m.members_of(d, "g1")),
            [("u1".into(), None), ("u2".into(), Some("Admins".into()))]
        );
        assert_eq!(
            rows(m.groups_of(d, "u1")),
            [("g1".into(), None), ("g2".into(), Some("Ops".into()))]
        );
        run(m.set_display(d, "g1", Some("Admins")));
        assert_eq!(rows(m.groups_of(d, "u1"))[0].1.as_deref(), Some("Admins"));
        assert_eq!(run(m.delete(d, "g1", "u2")), 1);
        assert_eq!(run(m.delete_member(d, "u1")), 2);
        assert_eq!(run(m.delete_group(d, "g2")), 1);
        assert!(rows(m.members_of(d, "g1")).is_empty());
        // The type is checked by the table too.
        assert!(c
            .execute(
                "INSERT INTO memberships (group_id, member_id, member_type) VALUES ('a', 'b', 'Device')",
                []
            )
            .is_err());
    }

    #[test]
    fn postgres_text_uses_dollar_placeholders_and_collation() {
        let m = Memberships::new("memberships").unwrap();
        let ddl = m.ddl(Dialect::Postgres);
        assert!(
            ddl[0].contains("group_id text COLLATE \"C\" NOT NULL"),
            "{}",
            ddl[0]
        );
        assert!(!ddl[0].contains("WITHOUT ROWID"));
        let s = m.members_of(Dialect::Postgres, "g");
        assert!(s.text.contains("($1::text)"), "{}", s.text);
        assert!(s.text.ends_with("ORDER BY member_id COLLATE \"C\""));
    }
}
