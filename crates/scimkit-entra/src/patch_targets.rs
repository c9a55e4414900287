//! The targets of a PATCH request: one `(op, path, value)` per attribute it
//! writes, shared by the Graph translation, the group-PATCH planner and
//! the permission calculator.
//!
//! A path-less `add`/`replace` holds attributes in its value object
//! (RFC 7644 §3.5.2.1); Entra's provisioning service also puts attribute
//! *paths* there (`"name.givenName"`, URN-qualified extension attributes:
//! client quirk Q5). Both expand to one target per key, and so does a path
//! naming a whole schema (`"path": "urn:...:enterprise:2.0:User"`) with an
//! object value. `schemas` keys are skipped: Graph has no counterpart.
//! The request itself is never changed.

use scimkit_filter::{CompValue, CompareOp, Filter};
use scimkit_patch::{OpKind, PatchPath, PatchRequest};
use scimkit_schema::{ScimError, ScimType};
use serde_json::Value;

use crate::resource::{
    CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN, ENTRA_USER_URN,
    GROUP_URN, USER_URN,
};

/// Schema URNs whose name, as a path-less key or a path, stands for an
/// object of that schema's attributes.
const SCHEMA_URNS: [&str; 6] = [
    USER_URN,
    GROUP_URN,
    ENTERPRISE_USER_URN,
    ENTRA_USER_URN,
    ENTRA_GROUP_URN,
    CUSTOM_SECURITY_ATTRIBUTES_URN,
];

/// One attribute an operation writes or removes.
#[derive(Clone, Debug)]
pub(crate) struct Target<'r> {
    /// The operation's index in `Operations`, for error messages.
    pub(crate) index: usize,
    pub(crate) op: OpKind,
    pub(crate) path: PatchPath,
    /// The value; `None` for `remove` (or Entra's remove-with-value, whose
    /// value is kept).
    pub(crate) value: Option<&'r Value>,
}

/// Every target of `request`, in order.
///
/// Errors (`400`, prefixed with `Operations[i]`): a path-less value that is
/// not an object, or a key that is not an attribute path.
pub(crate) fn expand<'r>(request: &'r PatchRequest) -> Result<Vec<Target<'r>>, ScimError> {
    let mut out = Vec::with_capacity(request.operations.len());
    for (index, op) in request.operations.iter().enumerate() {
        let push = |out: &mut Vec<Target<'r>>, path, value: Option<&'r Value>| {
            out.push(Target {
                index,
                op: op.op,
                path,
                value,
            });
        };
        match (&op.path, op.value.as_ref()) {
            (Some(path), Some(Value::Object(members)))
                if op.op != OpKind::Remove && schema_named(path).is_some() =>
            {
                let urn = schema_named(path).unwrap_or_default();
                for (key, value) in members {
                    let path = key_path(Some(urn), key).map_err(|e| at_index(index, e))?;
                    push(&mut out, path, Some(value));
                }
            }
            (Some(path), value) => push(&mut out, path.clone(), value),
            (None, Some(Value::Object(members))) => {
                for (key, value) in members {
                    if key.eq_ignore_ascii_case("schemas") {
                        continue;
                    }
                    match SCHEMA_URNS.iter().find(|u| u.eq_ignore_ascii_case(key)) {
                        Some(urn) => {
                            let Value::Object(inner) = value else {
                                return Err(at_index(
                                    index,
                                    ScimError::new(
                                        ScimType::InvalidValue,
                                        format!("{key} must hold an object of attributes"),
                                    ),
                                ));
                            };
                            for (k, v) in inner {
                                let path =
                                    key_path(Some(urn), k).map_err(|e| at_index(index, e))?;
                                push(&mut out, path, Some(v));
                            }
                        }
                        None => {
                            let path = key_path(None, key).map_err(|e| at_index(index, e))?;
                            push(&mut out, path, Some(value));
                        }
                    }
                }
            }
            (None, _) => {
                return Err(at_index(
                    index,
                    ScimError::new(
                        ScimType::InvalidValue,
                        format!(
                            "{} without a `path` takes an object of attributes as `value`",
                            op.op.as_str()
                        ),
                    ),
                ))
            }
        }
    }
    Ok(out)
}

/// The schema URN a path names as a whole (`urn:...:enterprise:2.0:User`).
pub(crate) fn schema_named(path: &PatchPath) -> Option<&'static str> {
    match path {
        PatchPath::Attribute(a) => SCHEMA_URNS.iter().copied().find(|u| a.is_urn(u)),
        _ => None,
    }
}

/// A path-less key (or a key inside a schema object) as a path.
fn key_path(schema: Option<&str>, key: &str) -> Result<PatchPath, ScimError> {
    let text = match schema {
        Some(urn) => format!("{urn}:{key}"),
        None => key.to_owned(),
    };
    PatchPath::parse(&text).map_err(|e| {
        ScimError::new(
            ScimType::InvalidPath,
            format!("value key {key:?} is not an attribute path: {e}"),
        )
    })
}

/// Prefix an error's detail with the operation index, keeping its type.
pub(crate) fn at_index(index: usize, e: ScimError) -> ScimError {
    let detail = format!("Operations[{index}]: {}", e.detail().unwrap_or_default());
    match e.scim_type() {
        Some(t) => ScimError::new(t.clone(), detail),
        None => ScimError::with_status(e.status(), detail),
    }
}

/// The member ids a `members[...]` filter selects when it is `value eq
/// "id"` or several of those joined by `or`.
pub(crate) fn member_ids(filter: &Filter) -> Option<Vec<&str>> {
    let terms: &[Filter] = match filter {
        Filter::Or { children, .. } => children,
        other => std::slice::from_ref(other),
    };
    terms
        .iter()
        .map(|term| match term {
            Filter::Compare {
                path,
                op: CompareOp::Eq,
                value: CompValue::String(id),
                ..
            } if path.schema().is_none()
                && path.sub_attribute().is_none()
                && path.attribute().eq_ignore_ascii_case("value") =>
            {
                Some(id.as_str())
            }
            _ => None,
        })
        .collect()
}

/// The member ids of a `members` value: an array of `{"value": id}`
/// (other sub-attributes, such as Entra's `"$ref": null`, are ignored), or
/// one such object.
pub(crate) fn member_values<'v>(
    path: &PatchPath,
    value: Option<&'v Value>,
) -> Result<Vec<&'v str>, ScimError> {
    let items: &[Value] = match value {
        Some(Value::Array(items)) => items,
        Some(v @ Value::Object(_)) => std::slice::from_ref(v),
        _ => {
            return Err(ScimError::new(
                ScimType::InvalidValue,
                format!("{path} takes an array of members, [{{\"value\": id}}]"),
            ))
        }
    };
    items
        .iter()
        .filter(|item| !item.is_null())
        .map(|item| {
            match item
                .as_object()
                .and_then(|o| scimkit_schema::json::get_ci(o, "value"))
            {
                Some(Value::String(id)) => Ok(id.as_str()),
                _ => Err(ScimError::new(
                    ScimType::InvalidValue,
                    format!("{path}: each member must be an object with a string value"),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scimkit_patch::PatchOptions;
    use serde_json::json;

    fn request(ops: Value) -> PatchRequest {
        PatchRequest::from_value(
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops}),
            &PatchOptions::entra(),
        )
        .unwrap()
    }

    fn paths(ops: Value) -> Vec<String> {
        expand(&request(ops))
            .unwrap()
            .iter()
            .map(|t| t.path.to_string())
            .collect()
    }

    #[test]
    fn path_less_values_expand_to_one_target_per_key() {
        // Entra quirk Q5: dotted and URN-qualified keys.
        assert_eq!(
            paths(json!([{"op": "replace", "value": {
                "displayName": "B", "name.givenName": "K", "schemas": ["x"],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "A",
                "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User": {"officeLocation": "18/2111"}
            }}])),
            [
                "displayName",
                "name.givenName",
                "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:officeLocation",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            ]
        );
        // A whole schema as the path.
        assert_eq!(
            paths(json!([{"op": "add",
                "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "value": {"department": "R", "manager": {"value": "m1"}}}])),
            [
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            ]
        );
        // Removing a whole schema stays one target.
        assert_eq!(
            paths(json!([{"op": "remove",
                "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}])),
            ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
        );
    }

    #[test]
    fn bad_keys_are_errors_naming_the_operation() {
        let err = expand(&request(json!([
            {"op": "add", "path": "title", "value": "x"},
            {"op": "add", "value": {"bad key!": 1}}
        ])))
        .unwrap_err();
        assert!(err
            .detail()
            .unwrap()
            .starts_with("Operations[1]: value key"));
        let err = expand(&request(json!([{"op": "add", "value": {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "x"}}])))
        .unwrap_err();
        assert_eq!(err.status(), 400);
    }

    #[test]
    fn member_ids_of_filters() {
        let f = |s: &str| Filter::parse(s).unwrap();
        assert_eq!(
            member_ids(&f(r#"value eq "a" or value eq "b""#)),
            Some(vec!["a", "b"])
        );
        assert_eq!(member_ids(&f(r#"value ne "a""#)), None);
        assert_eq!(member_ids(&f(r#"display eq "a""#)), None);
    }
}
