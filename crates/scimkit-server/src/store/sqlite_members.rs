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

use rusqlite::{params_from_iter, Connection, OptionalExtension};
use scimkit_entra::ResourceKind;
use scimkit_schema::ScimError;
use scimkit_sql::{Dialect, MemberType, Memberships, Sql};
use serde_json::Value;

use super::membership::{self as view, unknown_member, wanted};
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
    let diff = view::diff(&current, &wanted);
    for id in diff.remove {
        let delete = memberships.delete(Dialect::Sqlite, group_id, id);
        run(conn, &delete, "removing a member")?;
    }
    for (id, declared, display) in diff.add {
        let kind = member_type(conn, id, declared)?;
        let insert = memberships.insert(Dialect::Sqlite, group_id, id, kind, display);
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
