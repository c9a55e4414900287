//! Membership rows as the documents show them, for both stores: a group's
//! `members` (`value`, `display` as sent, `type`) and a user's `groups`
//! (`value`, `display`: the group's `displayName`, `type: "direct"`), in
//! id order, the order scimkit-sql's filter views use. No rows: no
//! attribute.

use std::collections::BTreeMap;

use scimkit_entra::ResourceKind;
use serde_json::{json, Map, Value};

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
