//! Building a Graph request body from dotted property paths.

use scimkit_schema::ScimError;
use serde_json::{Map, Value};

use super::invalid_value;

/// A Graph body under construction. Nested paths create the objects on the
/// way (`passwordProfile.password`); two writes of different values to one
/// property are an error naming both SCIM sources.
#[derive(Debug, Default)]
pub(super) struct GraphBody {
    root: Map<String, Value>,
    /// Which SCIM path wrote each Graph path, for conflict messages.
    origins: Vec<(String, String)>,
}

impl GraphBody {
    /// Set the property at `path` to `value`.
    pub(super) fn set(&mut self, path: &str, value: Value, origin: &str) -> Result<(), ScimError> {
        let (parent, last) = self.parent_of(path, origin)?;
        match parent.get(last) {
            Some(existing) if *existing != value => {
                let first = self.origin_of(path);
                Err(invalid_value(format!(
                    "{origin} and {first} give the Graph property {path} different values"
                )))
            }
            Some(_) => Ok(()),
            None => {
                parent.insert(last.to_owned(), value);
                self.origins.push((path.to_owned(), origin.to_owned()));
                Ok(())
            }
        }
    }

    /// Append `value` to the collection at `path` (created on first use).
    pub(super) fn push(&mut self, path: &str, value: Value, origin: &str) -> Result<(), ScimError> {
        let (parent, last) = self.parent_of(path, origin)?;
        match parent
            .entry(last.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(items) => {
                items.push(value);
                Ok(())
            }
            _ => Err(invalid_value(format!(
                "{origin}: the Graph property {path} is already set to a single value"
            ))),
        }
    }

    /// The object that holds the last segment of `path`, created as needed.
    fn parent_of<'p>(
        &mut self,
        path: &'p str,
        origin: &str,
    ) -> Result<(&mut Map<String, Value>, &'p str), ScimError> {
        let (prefix, last) = split_path(path);
        let mut map = &mut self.root;
        for segment in prefix.into_iter().flat_map(|p| p.split('.')) {
            let slot = map
                .entry(segment.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            map = match slot {
                Value::Object(inner) => inner,
                _ => {
                    return Err(invalid_value(format!(
                        "{origin}: the Graph property {segment} is not an object"
                    )))
                }
            };
        }
        Ok((map, last))
    }

    fn origin_of(&self, path: &str) -> &str {
        self.origins
            .iter()
            .find(|(p, _)| p == path)
            .map_or("another attribute", |(_, o)| o.as_str())
    }

    /// The finished body.
    pub(super) fn into_value(self) -> Value {
        Value::Object(self.root)
    }
}

/// A dotted Graph path split into its parent path and its last key. An
/// OData annotation stays with its property: `members@odata.bind` is one key.
pub(super) fn split_path(path: &str) -> (Option<&str>, &str) {
    let base_end = path.find('@').unwrap_or(path.len());
    match path.get(..base_end).and_then(|base| base.rfind('.')) {
        Some(dot) => (path.get(..dot), path.get(dot + 1..).unwrap_or_default()),
        None => (None, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotations_stay_with_their_property() {
        assert_eq!(
            split_path("members@odata.bind"),
            (None, "members@odata.bind")
        );
        assert_eq!(split_path("a.b@odata.type"), (Some("a"), "b@odata.type"));
        assert_eq!(split_path("a.b.c"), (Some("a.b"), "c"));
        assert_eq!(split_path("mail"), (None, "mail"));
    }

    #[test]
    fn nested_set_push_and_conflicts() {
        let mut b = GraphBody::default();
        b.set("passwordProfile.password", json!("x"), "password")
            .unwrap();
        b.set(
            "passwordProfile.forceChangePasswordNextSignIn",
            json!(true),
            "a",
        )
        .unwrap();
        b.set(
            "passwordProfile.forceChangePasswordNextSignIn",
            json!(true),
            "b",
        )
        .unwrap();
        let err = b
            .set(
                "passwordProfile.forceChangePasswordNextSignIn",
                json!(false),
                "c",
            )
            .unwrap_err();
        assert_eq!(
            err.detail(),
            Some("c and a give the Graph property passwordProfile.forceChangePasswordNextSignIn different values")
        );
        b.push("otherMails", json!("a@x"), "emails").unwrap();
        b.push("otherMails", json!("b@x"), "emails").unwrap();
        assert!(b.push("passwordProfile.password", json!(1), "p").is_err());
        assert!(b.set("passwordProfile.password.x", json!(1), "p").is_err());
        assert_eq!(
            b.into_value(),
            json!({
                "passwordProfile": {"password": "x", "forceChangePasswordNextSignIn": true},
                "otherMails": ["a@x", "b@x"]
            })
        );
    }
}
