//! Group membership rules both stores share, whatever their SQL:
//!
//! - what a write asks for: a group's `members` taken out of its document
//!   ([`split`]) and read as wanted members ([`wanted`]), and a user's
//!   `groups` dropped (readOnly, derived);
//! - what to change: the rows to delete and to insert ([`diff`]), so a
//!   write touches only the difference;
//! - what a read shows: a group's `members` (`value`, `display` as sent,
//!   `type`) and a user's `groups` (`value`, `display`: the group's
//!   `displayName`, `type: "direct"`), in id order, the order scimkit-sql's
//!   filter views use ([`attach`]). No rows: no attribute.

use std::collections::BTreeMap;
use std::str::FromStr;

use scimkit_entra::ResourceKind;
use scimkit_schema::{json::member_ci, ScimError};
use scimkit_sql::MemberType;
use serde_json::{json, Map, Value};

/// The message Entra gives for a member that does not exist (fact sheet
/// A6); both dialects use it.
pub(crate) fn unknown_member(id: &str) -> ScimError {
    ScimError::invalid_value(format!(
        "Resource '{}' does not exist or one of its queried reference-property objects are not present.",
        scimkit_schema::error::excerpt(id)
    ))
}

/// Removes `name` (any case) from the top of `doc` and returns it.
fn strip(doc: &mut Value, name: &str) -> Option<Value> {
    let obj = doc.as_object_mut()?;
    let key = obj.keys().find(|k| k.eq_ignore_ascii_case(name))?.clone();
    obj.remove(&key)
}

/// Takes the membership attribute out of a document about to be stored:
/// a group's `members` (returned, `Some(None)` when absent: the group has
/// none), a user's `groups` (dropped; `None`: no membership to write).
pub(super) fn split(kind: ResourceKind, doc: &mut Value) -> Option<Option<Value>> {
    match kind {
        ResourceKind::User => {
            strip(doc, "groups");
            None
        }
        _ => Some(strip(doc, "members")),
    }
}

/// One wanted member: declared type and display.
pub(super) type Wanted = (Option<MemberType>, Option<String>);

/// The members a write asks for, by id (`None` or `null`: none).
///
/// Errors (`invalidValue`): not an array, an element without a string
/// `value`, a `type` other than `User` / `Group`, the group itself.
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

/// The rows a write changes: members to delete (gone, or shown with
/// another display) and members to insert (new, or re-displayed).
#[derive(Debug, Default)]
pub(super) struct Diff<'a> {
    pub(super) remove: Vec<&'a str>,
    pub(super) add: Vec<(&'a str, Option<MemberType>, Option<&'a str>)>,
}

/// From the current rows (`member_id` -> `display`) to `wanted`.
pub(super) fn diff<'a>(
    current: &'a BTreeMap<String, Option<String>>,
    wanted: &'a BTreeMap<String, Wanted>,
) -> Diff<'a> {
    let same = |id: &str, display: &Option<String>| current.get(id).is_some_and(|d| d == display);
    Diff {
        remove: current
            .iter()
            .filter(|(id, d)| wanted.get(*id).is_none_or(|(_, w)| w != *d))
            .map(|(id, _)| id.as_str())
            .collect(),
        add: wanted
            .iter()
            .filter(|(id, (_, display))| !same(id, display))
            .map(|(id, (declared, display))| (id.as_str(), *declared, display.as_deref()))
            .collect(),
    }
}

/// One row as a store's fill query returns it: the resource it belongs to,
/// the other side's id, the member type, and the display.
pub(super) type Row = (String, String, String, Option<String>);

/// The `id`s of `docs`, in order (the fill query's parameter).
pub(super) fn ids(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| {
            d.get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// Puts `rows` (ordered by owner, then the other id) into `docs` as
/// `members` (groups) or `groups` (users).
pub(super) fn attach(
    kind: ResourceKind,
    docs: &mut [Value],
    ids: &[String],
    rows: impl IntoIterator<Item = Row>,
) {
    let mut found: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (owner, other, member_type, display) in rows {
        let mut element = Map::new();
        element.insert("value".into(), Value::String(other));
        if let Some(display) = display {
            element.insert("display".into(), Value::String(display));
        }
        let shown_type = match kind {
            ResourceKind::User => json!("direct"),
            _ => Value::String(member_type),
        };
        element.insert("type".into(), shown_type);
        found.entry(owner).or_default().push(Value::Object(element));
    }
    let attribute = match kind {
        ResourceKind::User => "groups",
        _ => "members",
    };
    for (doc, id) in docs.iter_mut().zip(ids) {
        if let (Some(obj), Some(list)) = (doc.as_object_mut(), found.remove(id)) {
            obj.insert(attribute.into(), Value::Array(list));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_touches_only_what_changed() {
        let current: BTreeMap<String, Option<String>> = [
            ("a".to_owned(), None),
            ("b".to_owned(), Some("Bee".to_owned())),
            ("c".to_owned(), None),
        ]
        .into();
        let members = json!([{"value": "a"}, {"value": "b", "display": "B"}, {"value": "d", "type": "group"}]);
        let wanted = wanted("g", Some(&members)).unwrap();
        let d = diff(&current, &wanted);
        assert_eq!(d.remove, ["b", "c"]);
        assert_eq!(
            d.add,
            [("b", None, Some("B")), ("d", Some(MemberType::Group), None)]
        );
    }

    #[test]
    fn split_takes_members_and_drops_groups() {
        let mut group = json!({"id": "g", "Members": [{"value": "u"}]});
        assert_eq!(
            split(ResourceKind::Group, &mut group),
            Some(Some(json!([{"value": "u"}])))
        );
        assert_eq!(group, json!({"id": "g"}));
        let mut user = json!({"id": "u", "groups": [{"value": "g"}]});
        assert_eq!(split(ResourceKind::User, &mut user), None);
        assert_eq!(user, json!({"id": "u"}));
        assert!(wanted("g", Some(&json!([{"value": "g"}]))).is_err());
        assert!(wanted("g", Some(&json!({"value": "x"}))).is_err());
    }
}
