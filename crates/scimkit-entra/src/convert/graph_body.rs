//! The one builder of Microsoft Graph request bodies: nested properties
//! from dotted paths or key paths, for the conversions (where two writes
//! of different values to one property are an error naming both sources)
//! and for PATCH translation (where the operations of a SCIM PATCH apply
//! one after another, so the last write to a property wins).
//!
//! Writes are kept as leaves (a key path into nested objects, and a
//! non-object value); the body is built from them at the end, so writes to
//! `passwordProfile.forceChangePasswordNextSignIn` and
//! `passwordProfile.forceChangePasswordNextSignInWithMfa` land in one
//! `passwordProfile` object. An OData annotation stays with its property:
//! `members@odata.bind` and `ProjectName@odata.type` are one key each.

use std::fmt;

use scimkit_schema::ScimError;
use serde_json::{Map, Value};

use super::invalid_value;

/// A Graph body under construction; `O` says who wrote each leaf (a SCIM
/// path in the conversions, an operation index in PATCH translation).
#[derive(Debug)]
pub(crate) struct GraphBody<O = String> {
    /// Key path, value, and its writer.
    leaves: Vec<(Vec<String>, Value, O)>,
}

impl<O> Default for GraphBody<O> {
    fn default() -> Self {
        Self { leaves: Vec::new() }
    }
}

impl<O: Clone + fmt::Display> GraphBody<O> {
    /// Set the property at the dotted `path` to `value`; a different value
    /// already there (or a property above or below it) is an error naming
    /// both writers.
    pub(crate) fn set(&mut self, path: &str, value: Value, origin: O) -> Result<(), ScimError> {
        let keys = keys_of(path);
        self.check_parents(&keys, path, &origin)?;
        let clash = match self.leaves.iter().find(|(k, _, _)| *k == keys) {
            Some((_, existing, _)) if *existing == value => return Ok(()),
            Some((_, _, first)) => Some(first),
            // A write below this property (`a.b`, then `a`).
            None => self
                .leaves
                .iter()
                .find(|(k, _, _)| k.starts_with(&keys))
                .map(|(_, _, first)| first),
        };
        if let Some(first) = clash {
            return Err(invalid_value(format!(
                "{origin} and {first} give the Graph property {path} different values"
            )));
        }
        self.leaves.push((keys, value, origin));
        Ok(())
    }

    /// Append `value` to the collection at the dotted `path` (created on
    /// first use).
    pub(crate) fn push(&mut self, path: &str, value: Value, origin: O) -> Result<(), ScimError> {
        let keys = keys_of(path);
        self.check_parents(&keys, path, &origin)?;
        match self.leaves.iter_mut().find(|(k, _, _)| *k == keys) {
            Some((_, Value::Array(items), _)) => {
                items.push(value);
                Ok(())
            }
            Some(_) => Err(invalid_value(format!(
                "{origin}: the Graph property {path} is already set to a single value"
            ))),
            None => {
                self.leaves.push((keys, Value::Array(vec![value]), origin));
                Ok(())
            }
        }
    }

    /// A leaf above `keys` must not hold a value (it would have to be an
    /// object).
    fn check_parents(&self, keys: &[String], path: &str, origin: &O) -> Result<(), ScimError> {
        match self
            .leaves
            .iter()
            .find(|(k, _, _)| k.len() < keys.len() && keys.starts_with(k))
        {
            Some((k, _, _)) => Err(invalid_value(format!(
                "{origin}: the Graph property {} is not an object (writing {path})",
                k.last().map_or("", String::as_str)
            ))),
            None => Ok(()),
        }
    }

    /// Write `value` at `keys` for `origin`, replacing an earlier write
    /// there, and any earlier write above or below it (`a` then `a.b`: `a`
    /// is dropped): the last write wins.
    pub(crate) fn overwrite(&mut self, keys: Vec<String>, value: Value, origin: O) {
        self.leaves
            .retain(|(k, _, _)| !(k.starts_with(&keys) || keys.starts_with(k)));
        self.leaves.push((keys, value, origin));
    }

    /// [`Self::overwrite`] with every leaf of a Graph body (objects are
    /// walked; arrays, scalars and empty objects are leaves).
    pub(crate) fn overwrite_all(&mut self, body: &Value, origin: O) {
        let mut out = Vec::new();
        flatten(&mut Vec::new(), body, &mut out);
        for (keys, value) in out {
            self.overwrite(keys, value, origin.clone());
        }
    }

    /// The value written at `keys` and its writer.
    pub(crate) fn get(&self, keys: &[&str]) -> Option<(&Value, &O)> {
        self.leaves
            .iter()
            .find(|(k, _, _)| k.iter().map(String::as_str).eq(keys.iter().copied()))
            .map(|(_, v, origin)| (v, origin))
    }

    /// Every leaf: key path, value, writer.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[String], &Value, &O)> {
        self.leaves.iter().map(|(k, v, o)| (k.as_slice(), v, o))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// The finished body.
    pub(crate) fn into_value(self) -> Value {
        let mut root = Map::new();
        for (keys, value, _) in self.leaves {
            insert(&mut root, &keys, value);
        }
        Value::Object(root)
    }
}

/// A dotted Graph path as keys; an annotation stays with its property.
fn keys_of(path: &str) -> Vec<String> {
    let (parent, last) = split_path(path);
    parent
        .into_iter()
        .flat_map(|p| p.split('.'))
        .chain(std::iter::once(last))
        .map(str::to_owned)
        .collect()
}

/// A dotted Graph path split into its parent path and its last key. An
/// OData annotation stays with its property: `members@odata.bind` is one key.
pub(crate) fn split_path(path: &str) -> (Option<&str>, &str) {
    let base_end = path.find('@').unwrap_or(path.len());
    match path.get(..base_end).and_then(|base| base.rfind('.')) {
        Some(dot) => (path.get(..dot), path.get(dot + 1..).unwrap_or_default()),
        None => (None, path),
    }
}

fn flatten(prefix: &mut Vec<String>, value: &Value, out: &mut Vec<(Vec<String>, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                prefix.push(k.clone());
                flatten(prefix, v, out);
                prefix.pop();
            }
        }
        _ if prefix.is_empty() => {}
        other => out.push((prefix.clone(), other.clone())),
    }
}

fn insert(map: &mut Map<String, Value>, keys: &[String], value: Value) {
    match keys {
        [] => {}
        [last] => {
            map.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let slot = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn annotations_stay_with_their_property() {
        assert_eq!(
            split_path("members@odata.bind"),
            (None, "members@odata.bind")
        );
        assert_eq!(split_path("a.b@odata.type"), (Some("a"), "b@odata.type"));
        assert_eq!(split_path("a.b.c"), (Some("a.b"), "c"));
        assert_eq!(split_path("mail"), (None, "mail"));
        assert_eq!(keys_of("a.b@odata.type"), keys(&["a", "b@odata.type"]));
    }

    #[test]
    fn nested_set_push_and_conflicts() {
        let mut b = GraphBody::default();
        b.set(
            "passwordProfile.password",
            json!("x"),
            "password".to_owned(),
        )
        .unwrap();
        b.set(
            "passwordProfile.forceChangePasswordNextSignIn",
            json!(true),
            "a".to_owned(),
        )
        .unwrap();
        b.set(
            "passwordProfile.forceChangePasswordNextSignIn",
            json!(true),
            "b".to_owned(),
        )
        .unwrap();
        let err = b
            .set(
                "passwordProfile.forceChangePasswordNextSignIn",
                json!(false),
                "c".to_owned(),
            )
            .unwrap_err();
        assert_eq!(
            err.detail(),
            Some("c and a give the Graph property passwordProfile.forceChangePasswordNextSignIn different values")
        );
        b.push("otherMails", json!("a@x"), "emails".to_owned())
            .unwrap();
        b.push("otherMails", json!("b@x"), "emails".to_owned())
            .unwrap();
        assert!(b
            .push("passwordProfile.password", json!(1), "p".to_owned())
            .is_err());
        assert!(b
            .set("passwordProfile.password.x", json!(1), "p".to_owned())
            .is_err());
        assert!(b.set("passwordProfile", json!(1), "p".to_owned()).is_err());
        assert_eq!(
            b.into_value(),
            json!({
                "passwordProfile": {"password": "x", "forceChangePasswordNextSignIn": true},
                "otherMails": ["a@x", "b@x"]
            })
        );
    }

    #[test]
    fn last_write_wins_and_nested_writes_merge() {
        let mut l = GraphBody::<usize>::default();
        assert!(l.is_empty());
        l.overwrite_all(
            &json!({"jobTitle": "A", "passwordProfile": {"forceChangePasswordNextSignIn": true}}),
            0,
        );
        l.overwrite_all(&json!({"jobTitle": "B", "otherMails": ["x"]}), 1);
        l.overwrite(
            keys(&["passwordProfile", "forceChangePasswordNextSignInWithMfa"]),
            json!(false),
            2,
        );
        l.overwrite(
            keys(&["customSecurityAttributes", "P", "Name@odata.type"]),
            json!("#Int32"),
            3,
        );
        assert_eq!(l.get(&["jobTitle"]), Some((&json!("B"), &1)));
        assert_eq!(l.get(&["passwordProfile"]), None);
        assert_eq!(l.iter().count(), 5);
        assert_eq!(
            l.into_value(),
            json!({
                "jobTitle": "B",
                "otherMails": ["x"],
                "passwordProfile": {"forceChangePasswordNextSignIn": true,
                                    "forceChangePasswordNextSignInWithMfa": false},
                "customSecurityAttributes": {"P": {"Name@odata.type": "#Int32"}}
            })
        );
    }

    #[test]
    fn a_shallower_write_replaces_deeper_ones_and_back() {
        let mut l = GraphBody::<usize>::default();
        l.overwrite(keys(&["a", "b"]), json!(1), 0);
        l.overwrite(keys(&["a"]), json!(null), 1);
        assert_eq!(l.into_value(), json!({"a": null}));
        let mut l = GraphBody::<usize>::default();
        l.overwrite(keys(&["a"]), json!(null), 0);
        l.overwrite(keys(&["a", "b"]), json!(1), 1);
        assert_eq!(l.into_value(), json!({"a": {"b": 1}}));
    }
}
