//! Case-insensitive access to JSON resources.
//!
//! Attribute names are case-insensitive (RFC 7643 §2.1), so a resource may
//! spell `userName` as `username`. These helpers try the exact key first (one
//! map lookup, the common case) and only then scan the object; [`CiKey`]
//! prepares a name once for the many lookups of a compiled filter.

use serde_json::{Map, Value};

/// The member of `object` whose key equals `key` ignoring ASCII case.
pub fn get_ci<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    entry_ci(object, key).map(|(_, v)| v)
}

/// The actual key in `object` that equals `key` ignoring ASCII case.
pub fn key_ci<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    entry_ci(object, key).map(|(k, _)| k.as_str())
}

/// Objects with at most this many members are searched in one pass over
/// their keys (lengths first) rather than by the map's tree search, which
/// compares whole keys: cheaper for the small objects of complex values
/// (`{"value", "type", "primary"}`), dearer for a whole resource.
const SCAN_AT_MOST: usize = 4;

/// The member spelled exactly `key` if there is one, else the first, in
/// the map's order, whose key equals it ignoring ASCII case.
fn entry_ci<'v>(object: &'v Map<String, Value>, key: &str) -> Option<(&'v String, &'v Value)> {
    if object.len() <= SCAN_AT_MOST {
        let mut found = None;
        for (k, v) in object {
            if k.len() == key.len() {
                if k == key {
                    return Some((k, v));
                }
                if found.is_none() && k.eq_ignore_ascii_case(key) {
                    found = Some((k, v));
                }
            }
        }
        return found;
    }
    object
        .get_key_value(key)
        .or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
}

/// The member of a JSON value (if it is an object) called `key`, ignoring case.
pub fn member_ci<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_object().and_then(|o| get_ci(o, key))
}

/// Whether `value` has a non-empty value, as the `pr` filter operator
/// tests it (RFC 7644 §3.4.2.2, RFC 7643 §2.5): not `null`, not `""`, not
/// `[]`, not an object whose members are all empty. Iterative: values
/// nested deeper than any parser allows cannot exhaust the stack.
///
/// ```
/// use scimkit_schema::json::is_non_empty;
/// use serde_json::json;
///
/// assert!(is_non_empty(&json!({"givenName": "Barbara"})));
/// assert!(!is_non_empty(&json!({"givenName": "", "middleName": null, "x": []})));
/// assert!(is_non_empty(&json!(false)));
/// ```
pub fn is_non_empty(value: &Value) -> bool {
    let mut pending: Vec<&Value> = Vec::new();
    let mut next = Some(value);
    while let Some(v) = next.take().or_else(|| pending.pop()) {
        match v {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::String(_) | Value::Bool(_) | Value::Number(_) => return true,
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.values()),
        }
    }
    false
}

/// A member name prepared once for many case-insensitive lookups, as a
/// compiled filter makes them: its ASCII lower case is computed when the
/// key is made, not at every comparison.
///
/// [`CiKey::get`] returns what [`get_ci`] returns (the member spelled
/// exactly as the key if there is one, else the first, in the map's order,
/// that equals it ignoring ASCII case). A missing name costs less than with
/// [`get_ci`]: after the exact probe, the scan compares lengths and
/// pre-folded bytes, and stops where the map's order says no spelling of
/// the name can follow.
///
/// ```
/// use scimkit_schema::json::CiKey;
/// use serde_json::json;
///
/// let key = CiKey::new("userName");
/// assert_eq!(key.member(&json!({"USERNAME": "bjensen"})), Some(&json!("bjensen")));
/// assert_eq!(key.member(&json!({"username": 1, "userName": 2})), Some(&json!(2)));
/// assert_eq!(key.as_str(), "userName");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CiKey {
    name: Box<str>,
    folded: Box<[u8]>,
}

impl CiKey {
    /// Prepare `name` for lookups.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.into(),
            folded: name.as_bytes().to_ascii_lowercase().into(),
        }
    }

    /// The name as given.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The member of `object` called this name, ignoring ASCII case (the
    /// exact spelling first): the same answer as [`get_ci`].
    pub fn get<'v>(&self, object: &'v Map<String, Value>) -> Option<&'v Value> {
        if let Some(v) = object.get(&*self.name) {
            return Some(v);
        }
        // The map is sorted by bytes, and every spelling of the name sorts
        // at or before its lower case (ASCII upper case letters sort before
        // lower case ones): past a key whose first byte is greater than the
        // lower-case name's, nothing can match.
        let last_first = self.folded.first().copied();
        object
            .iter()
            .take_while(|(k, _)| k.as_bytes().first().copied() <= last_first)
            .find(|(k, _)| k.len() == self.folded.len() && self.matches_folded(k.as_bytes()))
            .map(|(_, v)| v)
    }

    /// The member of a JSON value (if it is an object) called this name,
    /// ignoring case.
    pub fn member<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_object().and_then(|o| self.get(o))
    }

    /// Whether `key` (as long as the name) equals it ignoring ASCII case.
    fn matches_folded(&self, key: &[u8]) -> bool {
        key.iter()
            .zip(self.folded.iter())
            .all(|(k, f)| k.to_ascii_lowercase() == *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exact_then_any_case() {
        let v = json!({"userName": 1, "USERNAME": 2, "Name": 3});
        let o = v.as_object().unwrap();
        assert_eq!(get_ci(o, "userName"), Some(&json!(1)));
        assert_eq!(get_ci(o, "name"), Some(&json!(3)));
        assert_eq!(key_ci(o, "NAME"), Some("Name"));
        assert_eq!(get_ci(o, "title"), None);
        assert_eq!(member_ci(&json!([1]), "a"), None);
    }

    #[test]
    fn prepared_keys_answer_as_get_ci() {
        let objects = [
            json!({"userName": 1, "USERNAME": 2, "Name": 3}),
            json!({"USERNAME": 2, "username": 4}),
            json!({"a": 1, "b": 2}),
            json!({}),
            // Larger than one scan: the map's own search, then a scan.
            Value::Object(
                (0..100)
                    .map(|i| (format!("k{i}"), json!(i)))
                    .chain([("UserName".to_owned(), json!("u"))])
                    .collect(),
            ),
        ];
        let names = [
            "userName", "username", "USERNAME", "name", "NAME", "title", "k42", "K99", "b", "",
            "usernam",
        ];
        for object in &objects {
            let map = object.as_object().unwrap();
            for name in names {
                let key = CiKey::new(name);
                assert_eq!(key.get(map), get_ci(map, name), "{name} in {object}");
                assert_eq!(key.member(object), member_ci(object, name));
            }
        }
        assert_eq!(CiKey::new("x").member(&json!("x")), None);
        // Non-ASCII names compare byte for byte, ASCII letters in any case.
        let v = json!({"Zoë": 1});
        assert_eq!(CiKey::new("zoë").member(&v), Some(&json!(1)));
        assert_eq!(CiKey::new("ZOË").member(&v), None);
    }
}
