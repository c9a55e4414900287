//! Group membership changes in a PATCH: the one reading of `members`
//! targets, shared by the Graph translation ([`patch_to_graph`]) and the
//! planner of requests Entra's SCIM API accepts ([`plan_group_patch`]).
//!
//! Accepted forms: `add` on `members` with `[{"value": id}, ...]` (other
//! sub-attributes, such as Entra's `"$ref": null`, are ignored); `remove` on
//! `members[value eq "id"]` (several ids joined by `or`), or, as Entra's
//! provisioning service sends it (quirk Q6), on `members` with a value
//! array. Removing or replacing every member needs the member list and is
//! an error, as is any other path into `members`; every id must be a
//! directory object id.
//!
//! [`patch_to_graph`]: crate::graph::patch_to_graph
//! [`plan_group_patch`]: crate::api::plan_group_patch

use scimkit_patch::{OpKind, PatchPath};
use scimkit_schema::{ScimError, ScimType};
use serde_json::Value;

use crate::ids::check_object_id;
use crate::patch_targets::{member_ids, member_values};
use crate::GROUP_URN;

/// One membership change, its id checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MemberChange<'v> {
    Add(&'v str),
    Remove(&'v str),
}

/// Whether a path reaches the core `members` attribute.
pub(crate) fn is_members(path: &PatchPath) -> bool {
    let a = path.attribute();
    a.attribute().eq_ignore_ascii_case("members")
        && a.schema().is_none_or(|s| s.eq_ignore_ascii_case(GROUP_URN))
}

/// The changes `op` on the `members` path `path` with `value` makes, in
/// order. A `null` value counts as none.
pub(crate) fn member_changes<'v>(
    op: OpKind,
    path: &'v PatchPath,
    value: Option<&'v Value>,
) -> Result<Vec<MemberChange<'v>>, ScimError> {
    let whole = matches!(path, PatchPath::Attribute(a) if a.sub_attribute().is_none());
    let value = value.filter(|v| !v.is_null());
    let ids: Vec<&str> = match (op, path) {
        (OpKind::Add, _) if whole => member_values(path, value)?,
        (
            OpKind::Remove,
            PatchPath::ValuePath {
                filter,
                sub_attribute: None,
                ..
            },
        ) => member_ids(filter).ok_or_else(|| {
            invalid_path(format!(
                "{path}: select members by id, members[value eq \"id\"] (several joined by or)"
            ))
        })?,
        (OpKind::Remove, _) if whole && value.is_some() => member_values(path, value)?,
        (OpKind::Remove, _) if whole => {
            return Err(invalid_value(format!(
                "{path}: removing every member needs the member list \
                 (GET /users?filter=groups.value eq \"{{groupId}}\"); remove them one by one"
            )))
        }
        (OpKind::Replace, _) => {
            return Err(invalid_value(format!(
                "{path}: replacing every member needs the current member list; add and remove \
                 the difference"
            )))
        }
        _ => {
            return Err(invalid_path(format!(
                "{path}: members are added with the path members and removed with \
                 members[value eq \"id\"]"
            )))
        }
    };
    let add = op == OpKind::Add;
    ids.into_iter()
        .map(|id| {
            let id = check_object_id(id, "member id")?;
            Ok(if add {
                MemberChange::Add(id)
            } else {
                MemberChange::Remove(id)
            })
        })
        .collect()
}

fn invalid_path(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidPath, detail)
}

fn invalid_value(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidValue, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use MemberChange::{Add, Remove};

    fn path(p: &str) -> PatchPath {
        PatchPath::parse(p).unwrap()
    }

    #[test]
    fn every_accepted_form() {
        let members = path("members");
        let v = json!([{"value": "u1", "$ref": null}, {"value": "u2"}]);
        assert_eq!(
            member_changes(OpKind::Add, &members, Some(&v)).unwrap(),
            [Add("u1"), Add("u2")]
        );
        assert_eq!(
            member_changes(OpKind::Remove, &members, Some(&v)).unwrap(),
            [Remove("u1"), Remove("u2")]
        );
        let two = path(r#"members[value eq "a" or value eq "b"]"#);
        assert_eq!(
            member_changes(OpKind::Remove, &two, None).unwrap(),
            [Remove("a"), Remove("b")]
        );
        assert!(is_members(&path(
            "urn:ietf:params:scim:schemas:core:2.0:Group:members"
        )));
        assert!(!is_members(&path("displayName")));
    }

    #[test]
    fn what_needs_the_member_list_is_refused() {
        let members = path("members");
        for (op, value, scim_type) in [
            (OpKind::Remove, None, ScimType::InvalidValue),
            (OpKind::Replace, Some(json!([])), ScimType::InvalidValue),
            (
                OpKind::Add,
                Some(json!([{"value": "a/b"}])),
                ScimType::InvalidValue,
            ),
        ] {
            let e = member_changes(op, &members, value.as_ref()).unwrap_err();
            assert_eq!(e.scim_type(), Some(&scim_type), "{op:?}");
        }
        let e = member_changes(OpKind::Add, &path("members.value"), Some(&json!("x"))).unwrap_err();
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidPath));
        let e =
            member_changes(OpKind::Remove, &path(r#"members[display eq "x"]"#), None).unwrap_err();
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidPath));
    }
}
