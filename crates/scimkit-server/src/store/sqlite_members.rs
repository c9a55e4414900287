//! Group memberships (scimkit-sql's [`Memberships`] table) and password
//! hashes, on SQLite.
//!
//! A group's `members` are rows (`group_id`, `member_id`, `member_type`,
//! `display`), never part of the group's document: adding one member to a
//! group of 100,000 writes one row, and deleting a user removes its rows
//! from every group. A member's `display` is the one the client sent. A
//! user's `groups` (RFC 7643 §4.1.2: readOnly, derived by the service
//! provider) come from the same rows, with each group's current
//! `displayName` as `display`. Password hashes live in `user_secrets`, out
//! of reach of any filter.

use std::collections::BTreeMap;
use std::str::FromStr;

use rusqlite::{params_from_iter, Connection, OptionalExtension};
use scimkit_entra::ResourceKind;
use scimkit_schema::{json::member_ci, ScimError};
use scimkit_sql::{Dialect, MemberType, Memberships, Sql};
use serde_json::Value;

use super::membership_view as view;
use super::storage_error;

/// The password hash table.
const SECRETS_DDL: &str = "CREATE TABLE IF NOT EXISTS user_secrets (id TEXT PRIMARY KEY NOT NULL, \
                           password_hash TEXT NOT NULL)";

/// The membership and secret tables, idempotently.
pub(super) fn ddl(memberships: &Memberships) -> Vec<String> {
    let mut ddl = memberships.ddl(Dialect::Sqlite);
    ddl.push(SECRETS_DDL.into());
    ddl
}

/// The message Entra gives for a member that does not exist (fact sheet
/// A6); both dialects use it.
pub(crate) fn unknown_member(id: &str) -> ScimError {
    ScimError::invalid_value(format!(
        "Resource '{}' does not exist or one of its queried reference-property objects are not present.",
        scimkit_schema::error::excerpt(id)
    ))
}

fn run(conn: &Connection, sql: &Sql, what: &str) -> Result<(), ScimError> {
    conn.execute(&sql.text, params_from_iter(&sql.params))
        .map(|_| ())
        .map_err(|e| storage_error(what, e))
}

/// Which table holds `id`, given the member's declared `type`.
fn member_type(
    conn: &Connection,
    id: &str,
    declared: Option<MemberType>,
) -> Result<MemberType, ScimError> {
    for (kind, table) in [(MemberType::User, "users"), (MemberType::Group, "groups")] {
        if declared.is_some_and(|d| d != kind) {
            continue;
        }
        let found = conn
            .query_row(
                &format!("SELECT 1 FROM \"{table}\" WHERE id = ?1"),
                [id],
                |_| Ok(()),
            )
            .optional()
            .map_err(|e| storage_error("checking a member", e))?;
        if found.is_some() {
            return Ok(kind);
        }
    }
    Err(unknown_member(id))
}

/// One wanted member: declared type and display.
pub(super) type Wanted = (Option<MemberType>, Option<String>);

/// The members a write asks for, by id.
pub(super) fn wanted(
    group_id: &str,
    members: Option<&Value>,
) -> Result<BTreeMap<String, Wanted>, ScimError> {
    let elements = match members {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(ScimError::invalid_value("\"members\" must be an array")),
    };
    let mut wanted = BTreeMap::new();
    for element in elements {
        let value = member_ci(element, "value")
            .and_then(Value::as_str)
            .ok_or_else(|| ScimError::invalid_value("every member needs a string \"value\""))?;
        let declared = match member_ci(element, "type") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(MemberType::from_str(t)?),
            Some(_) => {
                return Err(ScimError::invalid_value(
                    "a member's \"type\" is \"User\" or \"Group\"",
                ))
            }
        };
        let display = member_ci(element, "display")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if value == group_id {
            return Err(ScimError::invalid_value(
                "a group cannot be a member of itself",
            ));
        }
        wanted.insert(value.to_owned(), (declared, display));
    }
    Ok(wanted)
}

/// Sets group `group_id`'s members to `members` (the `members` attribute
/// of a write; `None` or `null` is none), writing only the difference.
///
/// Errors: `invalidValue` for an element without a string `value`, a
/// `type` other than `User` / `Group`, a member that does not exist, or
/// the group itself.
pub(super) fn replace(
    conn: &Connection,
    memberships: &Memberships,
    group_id: &str,
    members: Option<&Value>,
) -> Result<(), ScimError> {
    let wanted = wanted(group_id, members)?;
    let current: BTreeMap<String, Option<String>> = {
        let sql = memberships.members_of(Dialect::Sqlite, group_id);
        let mut stmt = conn
            .prepare_cached(&sql.text)
            .map_err(|e| storage_error("reading members", e))?;
        let rows = stmt
            .query_map(params_from_iter(&sql.params), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(2)?))
            })
            .and_then(|rows| rows.collect::<Result<_, _>>())
            .map_err(|e| storage_error("reading members", e))?;
        rows
    };
    for (id, display) in &current {
        let keep = wanted.get(id).is_some_and(|(_, d)| d == display);
        if !keep {
            run(
                conn,
                &memberships.delete(Dialect::Sqlite, group_id, id),
                "removing a member",
            )?;
        }
    }
    for (id, (declared, display)) in &wanted {
        if current.get(id).is_some_and(|d| d == display) {
            continue;
        }
        let kind = member_type(conn, id, *declared)?;
        let insert = memberships.insert(Dialect::Sqlite, group_id, id, kind, display.as_deref());
        run(conn, &insert, "adding a member")?;
    }
    Ok(())
}

/// Removes `id` from every group, its own memberships if it is a group,
/// and its password hash.
pub(super) fn forget(
    conn: &Connection,
    memberships: &Memberships,
    id: &str,
) -> Result<(), ScimError> {
    run(
        conn,
        &memberships.delete_member(Dialect::Sqlite, id),
        "removing memberships",
    )?;
    run(
        conn,
        &memberships.delete_group(Dialect::Sqlite, id),
        "removing memberships",
    )?;
    conn.execute("DELETE FROM user_secrets WHERE id = ?1", [id])
        .map_err(|e| storage_error("removing a password hash", e))?;
    Ok(())
}

/// Stores a user's password hash.
pub(super) fn set_password(conn: &Connection, id: &str, hash: &str) -> Result<(), ScimError> {
    conn.execute(
        "INSERT INTO user_secrets (id, password_hash) VALUES (?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash",
        [id, hash],
    )
    .map_err(|e| storage_error("storing a password hash", e))?;
    Ok(())
}

/// Fills each group's `members` (`value`, `type`, `display` as sent) or
/// each user's `groups` (`value`, `display`: the group's `displayName`,
/// `type: "direct"`) from the membership rows, in id order (the order
/// scimkit-sql's filter views use), with one query for all of `docs`. No
/// rows: no attribute.
pub(super) fn fill(
    conn: &Connection,
    memberships: &Memberships,
    kind: ResourceKind,
    docs: &mut [Value],
) -> Result<(), ScimError> {
    if docs.is_empty() {
        return Ok(());
    }
    let ids = view::ids(docs);
    let placeholders = (1..=ids.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let table = memberships.name();
    let sql = match kind {
        ResourceKind::User => format!(
            "SELECT m.member_id, m.group_id, 'Group', json_extract(g.doc, '$.displayName') \
             FROM \"{table}\" AS m JOIN groups AS g ON g.id = m.group_id \
             WHERE m.member_id IN ({placeholders}) ORDER BY m.member_id, m.group_id"
        ),
        _ => format!(
            "SELECT group_id, member_id, member_type, display FROM \"{table}\" \
             WHERE group_id IN ({placeholders}) ORDER BY group_id, member_id"
        ),
    };
    let mut stmt = conn
        .prepare_cached(&sql)
        .map_err(|e| storage_error("reading memberships", e))?;
    let rows: Vec<view::Row> = stmt
        .query_map(params_from_iter(&ids), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .and_then(|rows| rows.collect::<Result<_, _>>())
        .map_err(|e| storage_error("reading memberships", e))?;
    view::attach(kind, docs, &ids, rows);
    Ok(())
}
