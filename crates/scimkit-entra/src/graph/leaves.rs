//! A Graph PATCH body built from the writes of several operations, in
//! order: the last write to a property wins, as the operations of a SCIM
//! PATCH apply one after another.
//!
//! Writes are kept as leaves (a key path into nested objects, and a
//! non-object value); the body is built from them at the end, so writes to
//! `passwordProfile.forceChangePasswordNextSignIn` and
//! `passwordProfile.forceChangePasswordNextSignInWithMfa` from two
//! operations land in one `passwordProfile` object. Keys are whole JSON
//! member names (`ProjectName@odata.type` is one key), never split on dots.

use serde_json::{Map, Value};

#[derive(Debug, Default)]
pub(super) struct Leaves {
    /// Key path, value, and the index of the operation that wrote it.
    leaves: Vec<(Vec<String>, Value, usize)>,
}

impl Leaves {
    /// Write `value` at `keys` for the operation `origin`, replacing an
    /// earlier write there, and any earlier write above or below it (`a`
    /// then `a.b`: `a` is dropped).
    pub(super) fn set(&mut self, keys: Vec<String>, value: Value, origin: usize) {
        self.leaves
            .retain(|(k, _, _)| !(k.starts_with(&keys) || keys.starts_with(k)));
        self.leaves.push((keys, value, origin));
    }

    /// Every leaf of a Graph body (objects are walked; arrays, scalars and
    /// empty objects are leaves).
    pub(super) fn set_all(&mut self, body: &Value, origin: usize) {
        let mut out = Vec::new();
        flatten(&mut Vec::new(), body, &mut out);
        for (keys, value) in out {
            self.set(keys, value, origin);
        }
    }

    /// The value written at `keys` and the operation that wrote it.
    pub(super) fn get(&self, keys: &[&str]) -> Option<(&Value, usize)> {
        self.leaves
            .iter()
            .find(|(k, _, _)| k.iter().map(String::as_str).eq(keys.iter().copied()))
            .map(|(_, v, origin)| (v, *origin))
    }

    /// Every leaf: key path, value, operation index.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&[String], &Value, usize)> {
        self.leaves.iter().map(|(k, v, o)| (k.as_slice(), v, *o))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// The body.
    pub(super) fn into_body(self) -> Value {
        let mut root = Map::new();
        for (keys, value, _) in self.leaves {
            insert(&mut root, &keys, value);
        }
        Value::Object(root)
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
    fn last_write_wins_and_nested_writes_merge() {
        let mut l = Leaves::default();
        assert!(l.is_empty());
        l.set_all(
            &json!({"jobTitle": "A", "passwordProfile": {"forceChangePasswordNextSignIn": true}}),
            0,
        );
        l.set_all(&json!({"jobTitle": "B", "otherMails": ["x"]}), 1);
        l.set(
            keys(&["passwordProfile", "forceChangePasswordNextSignInWithMfa"]),
            json!(false),
            2,
        );
        l.set(
            keys(&["customSecurityAttributes", "P", "Name@odata.type"]),
            json!("#Int32"),
            3,
        );
        assert_eq!(l.get(&["jobTitle"]), Some((&json!("B"), 1)));
        assert_eq!(l.get(&["passwordProfile"]), None);
        assert_eq!(l.iter().count(), 5);
        assert_eq!(
            l.into_body(),
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
        let mut l = Leaves::default();
        l.set(keys(&["a", "b"]), json!(1), 0);
        l.set(keys(&["a"]), json!(null), 1);
        assert_eq!(l.into_body(), json!({"a": null}));
        let mut l = Leaves::default();
        l.set(keys(&["a"]), json!(null), 0);
        l.set(keys(&["a", "b"]), json!(1), 1);
        assert_eq!(l.into_body(), json!({"a": {"b": 1}}));
    }
}
