//! Group memberships (scimkit-sql's [`Memberships`] table) and password
//! hashes, on PostgreSQL: what `sqlite_members` does, in PostgreSQL's
//! dialect, with the same rules (a member's `display` as sent, a user's
//! `groups.display` the group's current `displayName` through a join, the
//! same errors, the same Entra message for an unknown member).
//!
//! Checking that a member exists locks its row `FOR KEY SHARE` until the
//! group's write commits, so a concurrent delete of the member cannot
//! leave a membership behind (see the store's module docs).

use std::collections::BTreeMap;

use postgres::types::Type;
use postgres::GenericClient;
use scimkit_entra::ResourceKind;
use scimkit_schema::ScimError;
use scimkit_sql::{Dialect, MemberType, Memberships};
use serde_json::Value;

use super::membership::{self as view, unknown_member, wanted};
use super::postgres::{db_error, execute, query};
use super::storage_error;

/// The password hash table.
const SECRETS_DDL: &str = "CREATE TABLE IF NOT EXISTS user_secrets \
                           (id text COLLATE \"C\" PRIMARY KEY NOT NULL, password_hash text NOT NULL)";

/// The membership and secret tables, idempotently.
pub(super) fn ddl(memberships: &Memberships) -> Vec<String> {
    let mut ddl = memberships.ddl(Dialect::Postgres);
    ddl.push(SECRETS_DDL.into());
    ddl
}

/// Which table holds `id`, given the member's declared `type`; the row
/// stays locked against deletion until the transaction ends.
fn member_type(
    client: &mut impl GenericClient,
    id: &str,
    declared: Option<MemberType>,
) -> Result<MemberType, ScimError> {
    if id.contains('\0') {
        return Err(unknown_member(id));
    }
    for (kind, table) in [(MemberType::User, "users"), (MemberType::Group, "groups")] {
        if declared.is_some_and(|d| d != kind) {
            continue;
        }
        let found = client
            .query_typed_opt(
                &format!("SELECT 1 FROM \"{table}\" WHERE id = $1 FOR KEY SHARE"),
                &[(&id, Type::TEXT)],
            )
            .map_err(|e| db_error("checking a member", e))?;
        if found.is_some() {
            return Ok(kind);
        }
    }
    Err(unknown_member(id))
}

/// Sets group `group_id`'s members to `members` (`None` or `null` is
/// none), writing only the difference. Errors as `sqlite_members::replace`.
pub(super) fn replace(
    client: &mut impl GenericClient,
    memberships: &Memberships,
    group_id: &str,
    members: Option<&Value>,
) -> Result<(), ScimError> {
    let wanted = wanted(group_id, members)?;
    let mut current: BTreeMap<String, Option<String>> = BTreeMap::new();
    for row in query(
        client,
        &memberships.members_of(Dialect::Postgres, group_id),
        "reading members",
    )? {
        let read = || -> Result<(String, Option<String>), postgres::Error> {
            Ok((row.try_get(0)?, row.try_get(2)?))
        };
        let (id, display) = read().map_err(|e| storage_error("reading members", e))?;
        current.insert(id, display);
    }
    let diff = view::diff(&current, &wanted);
    for id in diff.remove {
        let delete = memberships.delete(Dialect::Postgres, group_id, id);
        execute(client, &delete, "removing a member")?;
    }
    for (id, declared, display) in diff.add {
        let kind = member_type(client, id, declared)?;
        if display.is_some_and(|d| d.contains('\0')) {
            return Err(ScimError::invalid_value(
                "a member's \"display\" cannot hold U+0000 in this store",
            ));
        }
        let insert = memberships.insert(Dialect::Postgres, group_id, id, kind, display);
        execute(client, &insert, "adding a member")?;
    }
    Ok(())
}

/// Removes `id` from every group, its own memberships if it is a group,
/// and its password hash.
pub(super) fn forget(
    client: &mut impl GenericClient,
    memberships: &Memberships,
    id: &str,
) -> Result<(), ScimError> {
    execute(
        client,
        &memberships.delete_member(Dialect::Postgres, id),
        "removing memberships",
    )?;
    execute(
        client,
        &memberships.delete_group(Dialect::Postgres, id),
        "removing memberships",
    )?;
    client
        .execute_typed(
            "DELETE FROM user_secrets WHERE id = $1",
            &[(&id, Type::TEXT)],
        )
        .map_err(|e| db_error("removing a password hash", e))?;
    Ok(())
}

/// Stores a user's password hash.
pub(super) fn set_password(
    client: &mut impl GenericClient,
    id: &str,
    hash: &str,
) -> Result<(), ScimError> {
    client
        .execute_typed(
            "INSERT INTO user_secrets (id, password_hash) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash",
            &[(&id, Type::TEXT), (&hash, Type::TEXT)],
        )
        .map_err(|e| db_error("storing a password hash", e))?;
    Ok(())
}

/// Fills each group's `members` or each user's `groups` from the
/// membership rows (see the `membership` module), with one query for all
/// of `docs` (`= ANY($1)`).
pub(super) fn fill(
    client: &mut impl GenericClient,
    memberships: &Memberships,
    kind: ResourceKind,
    docs: &mut [Value],
) -> Result<(), ScimError> {
    if docs.is_empty() {
        return Ok(());
    }
    let ids = view::ids(docs);
    let table = memberships.name();
    let sql = match kind {
        ResourceKind::User => format!(
            "SELECT m.member_id, m.group_id, 'Group'::text, g.doc->>'displayName' \
                 FROM \"{table}\" AS m JOIN groups AS g ON g.id = m.group_id \
                 WHERE m.member_id = ANY($1) ORDER BY m.member_id, m.group_id"
        ),
        _ => format!(
            "SELECT group_id, member_id, member_type, display FROM \"{table}\" \
                 WHERE group_id = ANY($1) ORDER BY group_id, member_id"
        ),
    };
    let rows = client
        .query_typed(&sql, &[(&ids, Type::TEXT_ARRAY)])
        .map_err(|e| db_error("reading memberships", e))?;
    let rows = rows
        .iter()
        .map(|row| -> Result<view::Row, postgres::Error> {
            Ok((
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
            ))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| storage_error("reading memberships", e))?;
    view::attach(kind, docs, &ids, rows);
    Ok(())
}
