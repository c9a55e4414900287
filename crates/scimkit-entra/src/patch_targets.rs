//! The targets of a PATCH request as the Graph translation, the
//! group-PATCH planner and the permission calculator read them, and what
//! they read from value filters and member values.
//!
//! The expansion itself (path-less values, Entra's path keys, a path
//! naming a whole schema with an object value: one target per attribute)
//! is scimkit-patch's [`PatchRequest::targets`]; this module names the
//! schemas Entra knows and skips `schemas` keys, which Graph has no
//! counterpart for.

use scimkit_filter::{CompValue, CompareOp, Filter};
use scimkit_patch::{PatchError, PatchPath, PatchRequest, Target};
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

/// Every target of `request`, in order: scimkit-patch's
/// [`PatchRequest::targets`] over the schemas Entra knows, without the
/// `schemas` keys of path-less values (Graph has no counterpart).
///
/// Errors (`400`, with the operation's index): a path-less value that is
/// not an object, or a key that is not an attribute path.
pub(crate) fn targets(request: &PatchRequest) -> Result<Vec<Target<'_>>, ScimError> {
    let mut targets = request.targets(&SCHEMA_URNS)?;
    targets.retain(|t| {
        let path_less = request
            .operations
            .get(t.operation_index())
            .is_some_and(|op| op.path.is_none());
        !(path_less && is_schemas(t.path()))
    });
    Ok(targets)
}

/// The `schemas` attribute itself.
fn is_schemas(path: &PatchPath) -> bool {
    matches!(path, PatchPath::Attribute(a)
        if a.schema().is_none()
            && a.sub_attribute().is_none()
            && a.attribute().eq_ignore_ascii_case("schemas"))
}

/// The schema URN a path names as a whole (`urn:...:enterprise:2.0:User`).
pub(crate) fn schema_named(path: &PatchPath) -> Option<&'static str> {
    match path {
        PatchPath::Attribute(a) => SCHEMA_URNS.iter().copied().find(|u| a.is_urn(u)),
        _ => None,
    }
}

/// Prefix an error's detail with the operation index, as scimkit-patch
/// does for its own errors.
pub(crate) fn at_index(index: usize, e: ScimError) -> ScimError {
    PatchError::in_operation(index, e).into()
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
        targets(&request(ops))
            .unwrap()
            .iter()
            .map(|t| t.path().to_string())
            .collect()
    }

    #[test]
    fn entra_schemas_expand_and_schemas_keys_are_skipped() {
        assert_eq!(
            paths(json!([{"op": "replace", "value": {
                "displayName": "B", "schemas": ["x"],
                "urn:ietf:params:scim:schemas:core:2.0:User": {"title": "T"},
                "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User": {"officeLocation": "18/2111"}
            }}])),
            [
                "displayName",
                "urn:ietf:params:scim:schemas:core:2.0:User:title",
                "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:officeLocation",
            ]
        );
        // Only the path-less key is skipped: a `schemas` path stays.
        assert_eq!(
            paths(json!([{"op": "replace", "path": "schemas", "value": ["x"]}])),
            ["schemas"]
        );
    }

    #[test]
    fn bad_keys_are_errors_naming_the_operation() {
        let err = targets(&request(json!([
            {"op": "add", "path": "title", "value": "x"},
            {"op": "add", "value": {"bad key!": 1}}
        ])))
        .unwrap_err();
        assert!(err
            .detail()
            .unwrap()
            .starts_with("Operations[1]: value key"));
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
