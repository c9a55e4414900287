//! Case-insensitive access to JSON resources.
//!
//! Attribute names are case-insensitive (RFC 7643 §2.1), so a resource may
//! spell `userName` as `username`. These helpers try the exact key first (one
//! map lookup, the common case) and only then scan the object.

use serde_json::{Map, Value};

/// The member of `object` whose key equals `key` ignoring ASCII case.
pub fn get_ci<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    object.get(key).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// The actual key in `object` that equals `key` ignoring ASCII case.
pub fn key_ci<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    if let Some((k, _)) = object.get_key_value(key) {
        return Some(k);
    }
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(key))
        .map(String::as_str)
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
}
