//! Custom Security Attributes: the
//! `urn:...:Microsoft:Entra:2.0:CustomSecurityAttributes` extension and
//! Graph's `customSecurityAttributes` property.
//!
//! SCIM holds attribute sets as complex attributes of the extension
//! (`...:CustomSecurityAttributes:Project.ProjectName`); Graph holds them
//! under `customSecurityAttributes.{set}`, where each set carries
//! `"@odata.type": "#Microsoft.DirectoryServices.CustomSecurityAttributeValue"`
//! and each value that is not a string or boolean carries its own type
//! annotation (`"Count@odata.type": "#Int32"`,
//! `"Tags@odata.type": "#Collection(String)"`). Annotations are written on
//! the way to Graph and dropped on the way back.

use scimkit_schema::ScimError;
use serde_json::{Map, Value};

use super::graph_body::GraphBody;
use super::{invalid_value, json_type};

/// The Graph property holding Custom Security Attributes.
pub(crate) const GRAPH_PROPERTY: &str = "customSecurityAttributes";
/// The `@odata.type` of an attribute set value in Graph.
pub(crate) const SET_TYPE: &str = "#Microsoft.DirectoryServices.CustomSecurityAttributeValue";

/// The SCIM extension object at `path` into `body`.
pub(super) fn to_graph(
    value: &Value,
    path: &str,
    body: &mut GraphBody,
    unmapped: &mut Vec<String>,
) -> Result<(), ScimError> {
    let sets = value.as_object().ok_or_else(|| {
        invalid_value(format!(
            "{path} must be an object, not {}",
            json_type(value)
        ))
    })?;
    for (set_name, set) in sets {
        if set.is_null() {
            continue;
        }
        let set_path = format!("{path}:{set_name}");
        if !is_name(set_name) {
            unmapped.push(set_path);
            continue;
        }
        let attributes = set.as_object().ok_or_else(|| {
            invalid_value(format!(
                "{set_path} must be an object, not {}",
                json_type(set)
            ))
        })?;
        let mut out = Map::new();
        out.insert("@odata.type".to_owned(), Value::String(SET_TYPE.to_owned()));
        for (name, v) in attributes {
            let attr_path = format!("{set_path}.{name}");
            if v.is_null() {
                continue;
            }
            if !is_name(name) {
                unmapped.push(attr_path);
                continue;
            }
            if let Some(annotation) = annotation(v, &attr_path)? {
                out.insert(
                    format!("{name}@odata.type"),
                    Value::String(annotation.to_owned()),
                );
            }
            out.insert(name.clone(), v.clone());
        }
        body.set(
            &format!("{GRAPH_PROPERTY}.{set_name}"),
            Value::Object(out),
            set_path.clone(),
        )?;
    }
    Ok(())
}

/// Graph's `customSecurityAttributes` object to the SCIM extension object;
/// `None` when it holds nothing.
pub(super) fn from_graph(graph: &Map<String, Value>) -> Result<Option<Value>, ScimError> {
    let Some(value) = scimkit_schema::json::get_ci(graph, GRAPH_PROPERTY) else {
        return Ok(None);
    };
    let sets = match value {
        Value::Null => return Ok(None),
        Value::Object(sets) => sets,
        other => {
            return Err(invalid_value(format!(
                "Graph property {GRAPH_PROPERTY} must be an object, not {}",
                json_type(other)
            )))
        }
    };
    let mut out = Map::new();
    for (set_name, set) in sets {
        if set.is_null() || !is_name(set_name) {
            continue;
        }
        let attributes = set.as_object().ok_or_else(|| {
            invalid_value(format!(
                "Graph property {GRAPH_PROPERTY}.{set_name} must be an object, not {}",
                json_type(set)
            ))
        })?;
        let kept: Map<String, Value> = attributes
            .iter()
            .filter(|(name, v)| is_name(name) && !v.is_null())
            .map(|(name, v)| (name.clone(), v.clone()))
            .collect();
        if !kept.is_empty() {
            out.insert(set_name.clone(), Value::Object(kept));
        }
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// Attribute set and attribute names: not OData annotations (`@odata.type`,
/// `Name@odata.type`) and usable in a SCIM path.
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The `@odata.type` annotation Graph needs for a value, checking that the
/// value is one Custom Security Attributes can hold: a string, a boolean,
/// a 32-bit integer, or an array of strings or of 32-bit integers.
fn annotation(value: &Value, path: &str) -> Result<Option<&'static str>, ScimError> {
    let is_int32 = |v: &Value| v.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
    match value {
        Value::String(_) | Value::Bool(_) => Ok(None),
        Value::Number(_) if is_int32(value) => Ok(Some("#Int32")),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            Ok(Some("#Collection(String)"))
        }
        Value::Array(items) if items.iter().all(is_int32) => Ok(Some("#Collection(Int32)")),
        other => Err(invalid_value(format!(
            "{path}: a custom security attribute holds a string, a boolean, a 32-bit integer \
             or an array of strings or integers, not {}",
            json_type(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotated_on_the_way_out_and_stripped_on_the_way_back() {
        let scim = json!({
            "Project": {"ProjectName": "IdentityHubV2", "Count": 4, "Tags": ["a", "b"], "Active": true, "Gone": null},
            "Empty": null,
            "bad@odata.type": {"x": "y"}
        });
        let mut body = GraphBody::default();
        let mut unmapped = Vec::new();
        to_graph(&scim, "urn:csa", &mut body, &mut unmapped).unwrap();
        assert_eq!(unmapped, ["urn:csa:bad@odata.type"]);
        let graph = body.into_value();
        assert_eq!(
            graph,
            json!({"customSecurityAttributes": {"Project": {
                "@odata.type": "#Microsoft.DirectoryServices.CustomSecurityAttributeValue",
                "ProjectName": "IdentityHubV2",
                "Count@odata.type": "#Int32", "Count": 4,
                "Tags@odata.type": "#Collection(String)", "Tags": ["a", "b"],
                "Active": true
            }}})
        );
        let back = from_graph(graph.as_object().unwrap()).unwrap().unwrap();
        assert_eq!(
            back,
            json!({"Project": {"ProjectName": "IdentityHubV2", "Count": 4, "Tags": ["a", "b"], "Active": true}})
        );
    }

    #[test]
    fn rejects_values_graph_cannot_hold() {
        for bad in [
            json!({"S": {"A": 1.5}}),
            json!({"S": {"A": 5_000_000_000_i64}}),
            json!({"S": {"A": {"x": 1}}}),
            json!({"S": {"A": [1, "a"]}}),
            json!({"S": "flat"}),
            json!(["S"]),
        ] {
            let mut body = GraphBody::default();
            let err = to_graph(&bad, "urn:csa", &mut body, &mut Vec::new()).unwrap_err();
            assert_eq!(err.status(), 400, "{bad}");
        }
        assert_eq!(
            from_graph(
                json!({"customSecurityAttributes": null})
                    .as_object()
                    .unwrap()
            )
            .unwrap(),
            None
        );
        assert_eq!(
            from_graph(
                json!({"customSecurityAttributes": {"S": {"@odata.type": "#x"}}})
                    .as_object()
                    .unwrap()
            )
            .unwrap(),
            None
        );
        assert!(from_graph(json!({"customSecurityAttributes": 3}).as_object().unwrap()).is_err());
    }
}
