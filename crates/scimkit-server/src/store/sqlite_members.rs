//! Group memberships and password hashes in their own SQLite tables.
//!
//! A group's `members` are rows of `memberships` (`group_id`, `member_id`,
//! `member_type`), never part of the group's document: adding one member
//! to a group of 100,000 writes one row, and deleting a user removes its
//! rows from every group. A user's `groups` are read from the same rows
//! (RFC 7643 §4.1.2: `groups` is readOnly, derived by the service
//! provider). Password hashes live in `user_secrets`, out of reach of any
//! filter.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params_from_iter, Connection, OptionalExtension};
use scimkit_entra::ResourceKind;
use scimkit_schema::{json::member_ci, ScimError};
use serde_json::{json, Map, Value};

use super::storage_error;

/// The tables, idempotently.
pub(super) fn ddl() -> Vec<String> {
    vec![
        "CREATE TABLE IF NOT EXISTS memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, \
         member_type TEXT NOT NULL, PRIMARY KEY (group_id, member_id)) WITHOUT ROWID"
            .into(),
        "CREATE INDEX IF NOT EXISTS memberships_member ON memberships (member_id)".into(),
        "CREATE TABLE IF NOT EXISTS user_secrets (id TEXT PRIMARY KEY NOT NULL, \
         password_hash TEXT NOT NULL)"
            .into(),
    ]
}

/// The message Entra gives for a member that does not exist (fact sheet
/// A6); both dialects use it.
pub(crate) fn unknown_member(id: &str) -> ScimError {
    ScimError::invalid_value(format!(
        "Resource '{}' does not exist or one of its queried reference-property objects are not present.",
        scimkit_schema::error::excerpt(id)
    ))
}

/// Which table holds `id`, if any, given the member's declared `type`.
fn member_type(
    conn: &Connection,
    id: &str,
    declared: Option<&str>,
) -> Result<&'static str, ScimError> {
    let exists = |table: &str| -> Result<bool, ScimError> {
        conn.query_row(
            &format!("SELECT 1 FROM {table} WHERE id = ?1"),
            [id],
            |_| Ok(()),
        )
        .optional()
        .map(|r| r.is_some())
        .map_err(|e| storage_error("checking a member", e))
    };
    let user = declared.is_none_or(|t| t.eq_ignore_ascii_case("User"));
    let group = declared.is_none_or(|t| t.eq_ignore_ascii_case("Group"));
    if user && exists("users")? {
        return Ok("User");
    }
    if group && exists("groups")? {
        return Ok("Group");
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
    group_id: &str,
    members: Option<&Value>,
) -> Result<(), ScimError> {
    let mut wanted: BTreeMap<String, Option<String>> = BTreeMap::new();
    let elements = match members {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(ScimError::invalid_value("\"members\" must be an array")),
    };
    for element in elements {
        let value = member_ci(element, "value")
            .and_then(Value::as_str)
            .ok_or_else(|| ScimError::invalid_value("every member needs a string \"value\""))?;
        let declared = match member_ci(element, "type") {
            None | Some(Value::Null) => None,
            Some(Value::String(t))
                if t.eq_ignore_ascii_case("User") || t.eq_ignore_ascii_case("Group") =>
            {
                Some(t.clone())
            }
            Some(_) => {
                return Err(ScimError::invalid_value(
                    "a member's \"type\" is \"User\" or \"Group\"",
                ))
            }
        };
        if value == group_id {
            return Err(ScimError::invalid_value(
                "a group cannot be a member of itself",
            ));
        }
        wanted.insert(value.to_owned(), declared);
    }
    let current: BTreeSet<String> = {
        let mut stmt = conn
            .prepare_cached("SELECT member_id FROM memberships WHERE group_id = ?1")
            .map_err(|e| storage_error("reading members", e))?;
        let rows = stmt
            .query_map([group_id], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<_, _>>())
            .map_err(|e| storage_error("reading members", e))?;
        rows
    };
    for gone in current.iter().filter(|id| !wanted.contains_key(*id)) {
        conn.execute(
            "DELETE FROM memberships WHERE group_id = ?1 AND member_id = ?2",
            [group_id, gone],
        )
        .map_err(|e| storage_error("removing a member", e))?;
    }
    for (id, declared) in wanted.iter().filter(|(id, _)| !current.contains(*id)) {
        let kind = member_type(conn, id, declared.as_deref())?;
        conn.execute(
            "INSERT INTO memberships (group_id, member_id, member_type) VALUES (?1, ?2, ?3)",
            [group_id, id, kind],
        )
        .map_err(|e| storage_error("adding a member", e))?;
    }
    Ok(())
}

/// Removes `id` from every group, its own memberships if it is a group,
/// and its password hash.
pub(super) fn forget(conn: &Connection, id: &str) -> Result<(), ScimError> {
    for sql in [
        "DELETE FROM memberships WHERE member_id = ?1 OR group_id = ?1",
        "DELETE FROM user_secrets WHERE id = ?1",
    ] {
        conn.execute(sql, [id])
            .map_err(|e| storage_error("removing memberships", e))?;
    }
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

/// Fills each group's `members` (`value`, `type`) or each user's `groups`
/// (`value`, `display`, `type: "direct"`) from the membership rows, in id
/// order, with one query for all of `docs`. No rows: no attribute.
pub(super) fn fill(
    conn: &Connection,
    kind: ResourceKind,
    docs: &mut [Value],
) -> Result<(), ScimError> {
    if docs.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = docs
        .iter()
        .map(|d| {
            d.get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let placeholders = (1..=ids.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (sql, attribute) = match kind {
        ResourceKind::User => (
            format!(
                "SELECT m.member_id, m.group_id, json_extract(g.doc, '$.displayName') \
                 FROM memberships AS m JOIN groups AS g ON g.id = m.group_id \
                 WHERE m.member_id IN ({placeholders}) ORDER BY m.member_id, m.group_id"
            ),
            "groups",
        ),
        _ => (
            format!(
                "SELECT group_id, member_id, member_type FROM memberships \
                 WHERE group_id IN ({placeholders}) ORDER BY group_id, member_id"
            ),
            "members",
        ),
    };
    let mut found: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    {
        let mut stmt = conn
            .prepare(&sql)
            .map_err(|e| storage_error("reading memberships", e))?;
        let mut rows = stmt
            .query(params_from_iter(&ids))
            .map_err(|e| storage_error("reading memberships", e))?;
        while let Some(row) = rows
            .next()
            .map_err(|e| storage_error("reading memberships", e))?
        {
            let read = || -> rusqlite::Result<(String, String, Option<String>)> {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            };
            let (owner, other, extra) =
                read().map_err(|e| storage_error("reading memberships", e))?;
            let mut element = Map::new();
            element.insert("value".into(), Value::String(other));
            match kind {
                ResourceKind::User => {
                    if let Some(display) = extra {
                        element.insert("display".into(), Value::String(display));
                    }
                    element.insert("type".into(), json!("direct"));
                }
                _ => {
                    element.insert("type".into(), Value::String(extra.unwrap_or_default()));
                }
            }
            found.entry(owner).or_default().push(Value::Object(element));
        }
    }
    for (doc, id) in docs.iter_mut().zip(&ids) {
        if let (Some(obj), Some(list)) = (doc.as_object_mut(), found.remove(id)) {
            obj.insert(attribute.into(), Value::Array(list));
        }
    }
    Ok(())
}
