//! Graph object -> SCIM resource, shaped like Entra's SCIM API responses.

use scimkit_schema::json::get_ci;
use scimkit_schema::{ScimError, ScimType};
use serde_json::{Map, Value};

use super::graph_body::split_path;
use super::{csa, invalid_value, json_type};
use crate::table::{mappings_for, Conversion, Mapping, Multi};
use crate::{ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN};

/// The qualifier of the row that takes only SMTP addresses from `proxyAddresses`.
const SMTP_ONLY: &str = "only smtp: values";

pub(super) fn convert(kind: ResourceKind, graph: &Value) -> Result<Value, ScimError> {
    let g = graph.as_object().ok_or_else(|| {
        ScimError::new(
            ScimType::InvalidSyntax,
            format!(
                "a Graph {} must be a JSON object, not {}",
                kind.meta_resource_type(),
                json_type(graph)
            ),
        )
    })?;
    let urns = kind.extension_urns();
    let mut core = Map::new();
    let mut extensions: Vec<Map<String, Value>> = urns.iter().map(|_| Map::new()).collect();
    for m in mappings_for(kind) {
        if !m.is_returned() || m.conversion() == Conversion::CustomSecurityAttributes {
            continue;
        }
        let container = if m.is_core() {
            &mut core
        } else {
            match urns
                .iter()
                .position(|u| *u == m.schema())
                .and_then(|i| extensions.get_mut(i))
            {
                Some(ext) => ext,
                None => continue,
            }
        };
        place(m, g, container)?;
    }
    if let Some(Value::Object(csa)) = csa::from_graph(g)? {
        if let Some(i) = urns
            .iter()
            .position(|u| *u == CUSTOM_SECURITY_ATTRIBUTES_URN)
        {
            if let Some(ext) = extensions.get_mut(i) {
                *ext = csa;
            }
        }
    }

    let mut out = Map::new();
    let mut schemas = vec![Value::String(kind.core_urn().to_owned())];
    schemas.extend(
        urns.iter()
            .zip(&extensions)
            .filter(|(_, ext)| !ext.is_empty())
            .map(|(urn, _)| Value::String((*urn).to_owned())),
    );
    out.insert("schemas".to_owned(), Value::Array(schemas));
    let id = core.remove("id");
    let mut meta = match core.remove("meta") {
        Some(Value::Object(meta)) => meta,
        _ => Map::new(),
    };
    if let Some(Value::String(id)) = &id {
        meta.insert("location".to_owned(), Value::String(kind.location(id)));
    }
    meta.insert(
        "resourceType".to_owned(),
        Value::String(kind.meta_resource_type().to_owned()),
    );
    if let Some(id) = id {
        out.insert("id".to_owned(), id);
    }
    out.extend(core);
    for (urn, ext) in urns.iter().zip(extensions) {
        if !ext.is_empty() {
            out.insert((*urn).to_owned(), Value::Object(ext));
        }
    }
    out.insert("meta".to_owned(), Value::Object(meta));
    Ok(Value::Object(out))
}

/// Read one row's Graph value and put it where the wire puts it.
fn place(
    m: &Mapping,
    g: &Map<String, Value>,
    container: &mut Map<String, Value>,
) -> Result<(), ScimError> {
    let wire = m.wire_path();
    let graph_path = m.graph().path();
    // A Graph complex property that holds this row's member, even as null,
    // shows as an object even when empty (`"onPremisesExtensionAttributes":
    // {}` in real responses, where Graph has every extensionAttributeN null).
    if wire.filter().is_none() && wire.sub_attribute().is_some() {
        if let Some((parent, member)) = graph_path.rsplit_once('.') {
            if let Some(Value::Object(object)) = get_path(g, parent) {
                if get_ci(object, member).is_some() {
                    container
                        .entry(wire.attribute().to_owned())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
            }
        }
    }
    let values = read(m, g)?;
    if values.is_empty() {
        return Ok(());
    }
    match (wire.filter(), wire.sub_attribute()) {
        (None, None) => {
            let value = if m.conversion() == Conversion::StringCollection {
                Value::Array(values)
            } else {
                values.into_iter().next().unwrap_or(Value::Null)
            };
            container.insert(wire.attribute().to_owned(), value);
        }
        (None, Some(sub)) => {
            let slot = container
                .entry(wire.attribute().to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let (Value::Object(object), Some(v)) = (slot, values.into_iter().next()) {
                object.insert(sub.to_owned(), v);
            }
        }
        (Some(filter), sub) => {
            let sub = sub.unwrap_or("value");
            let slot = container
                .entry(wire.attribute().to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(elements) = slot else {
                return Ok(());
            };
            let new_element = || {
                let mut e = Map::new();
                if let Some(p) = filter.primary() {
                    e.insert("primary".to_owned(), Value::Bool(p));
                }
                e.insert(
                    "type".to_owned(),
                    Value::String(filter.type_value().to_owned()),
                );
                e
            };
            if m.multi() == Multi::Multiple {
                for v in values {
                    let mut e = new_element();
                    e.insert(sub.to_owned(), v);
                    elements.push(Value::Object(e));
                }
            } else if let Some(v) = values.into_iter().next() {
                // Single-valued rows of one type share an element
                // (`addresses[type eq "work"]`: street, city, ...).
                let same = |e: &Value| {
                    e.get("type").and_then(Value::as_str) == Some(filter.type_value())
                        && e.get("primary").and_then(Value::as_bool) == filter.primary()
                };
                match elements.iter_mut().find(|e| same(e)) {
                    Some(Value::Object(e)) => {
                        e.insert(sub.to_owned(), v);
                    }
                    _ => {
                        let mut e = new_element();
                        e.insert(sub.to_owned(), v);
                        elements.push(Value::Object(e));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The SCIM values of one row (empty when Graph has none).
fn read(m: &Mapping, g: &Map<String, Value>) -> Result<Vec<Value>, ScimError> {
    let path = m.graph().path();
    let wrong = |v: &Value, what: &str| {
        invalid_value(format!(
            "Graph property {path} must be {what}, not {}",
            json_type(v)
        ))
    };
    if m.conversion() == Conversion::Relationship {
        return relationship(g, path).map(|id| id.into_iter().collect());
    }
    let Some(raw) = get_path(g, path) else {
        return Ok(Vec::new());
    };
    match m.conversion() {
        Conversion::String => match raw {
            Value::String(_) => Ok(vec![raw.clone()]),
            _ => Err(wrong(raw, "a string")),
        },
        // `meta.created`: written as Entra writes it; other date-times as
        // Graph gave them (they round-trip to Graph unchanged).
        Conversion::DateTime if m.path().attribute() == "meta" => match raw {
            Value::String(s) => Ok(vec![Value::String(entra_offset(s))]),
            _ => Err(wrong(raw, "a string")),
        },
        Conversion::DateTime => match raw {
            Value::String(_) => Ok(vec![raw.clone()]),
            _ => Err(wrong(raw, "a string")),
        },
        Conversion::Boolean => match raw {
            Value::Bool(_) => Ok(vec![raw.clone()]),
            _ => Err(wrong(raw, "a boolean")),
        },
        Conversion::StringCollection => {
            let items = raw
                .as_array()
                .ok_or_else(|| wrong(raw, "an array of strings"))?;
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter().filter(|v| !v.is_null()) {
                let s = item
                    .as_str()
                    .ok_or_else(|| wrong(item, "an array of strings"))?;
                if m.graph().qualifier() == Some(SMTP_ONLY) {
                    if let Some(address) = strip_smtp(s) {
                        out.push(Value::String(address.to_owned()));
                    }
                } else {
                    out.push(item.clone());
                }
            }
            if m.multi() != Multi::Multiple {
                // One SCIM value from a Graph collection (`businessPhones`).
                out.truncate(1);
            }
            Ok(out)
        }
        Conversion::Relationship | Conversion::CustomSecurityAttributes => Ok(Vec::new()),
    }
}

/// `meta.created` as Entra's SCIM API writes it: a UTC offset as `+00:00`
/// rather than Graph's `Z` (the API reference shows `+00:00` throughout,
/// fact sheet A5). Other offsets, and text that is not a date-time, are
/// kept as written.
fn entra_offset(s: &str) -> String {
    match s.strip_suffix(['Z', 'z']) {
        Some(rest) if rest.contains(['T', 't']) => format!("{rest}+00:00"),
        _ => s.to_owned(),
    }
}

/// `smtp:a@b` or `SMTP:a@b` -> `a@b`; other address types -> `None`.
fn strip_smtp(address: &str) -> Option<&str> {
    let prefix = address.get(..5)?;
    prefix
        .eq_ignore_ascii_case("smtp:")
        .then(|| address.get(5..))
        .flatten()
        .filter(|a| !a.is_empty())
}

/// The id of a relationship: from the expanded object (`"manager": {"id":
/// ...}`) or from an `@odata.bind` URL (`.../users/{id}`).
fn relationship(g: &Map<String, Value>, property: &str) -> Result<Option<Value>, ScimError> {
    if let Some(v) = get_path(g, property) {
        return match v {
            Value::Object(o) => match get_ci(o, "id") {
                Some(Value::String(id)) => Ok(Some(Value::String(id.clone()))),
                _ => Err(invalid_value(format!(
                    "Graph property {property} must be an object with a string id"
                ))),
            },
            other => Err(invalid_value(format!(
                "Graph property {property} must be an object, not {}",
                json_type(other)
            ))),
        };
    }
    match get_path(g, &format!("{property}@odata.bind")) {
        None => Ok(None),
        Some(Value::String(url)) => Ok(url
            .rsplit('/')
            .next()
            .filter(|id| !id.is_empty())
            .map(|id| Value::String(id.to_owned()))),
        Some(other) => Err(invalid_value(format!(
            "{property}@odata.bind must be a URL string, not {}",
            json_type(other)
        ))),
    }
}

/// The non-null value at a dotted path, matching names ignoring case.
fn get_path<'g>(g: &'g Map<String, Value>, path: &str) -> Option<&'g Value> {
    let (parent, last) = split_path(path);
    let mut object = g;
    for segment in parent.into_iter().flat_map(|p| p.split('.')) {
        object = get_ci(object, segment)?.as_object()?;
    }
    get_ci(object, last).filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_is_written_as_entra_writes_it() {
        assert_eq!(
            entra_offset("2023-05-19T11:24:25Z"),
            "2023-05-19T11:24:25+00:00"
        );
        assert_eq!(
            entra_offset("2023-05-19t11:24:25.5z"),
            "2023-05-19t11:24:25.5+00:00"
        );
        assert_eq!(
            entra_offset("2023-05-19T11:24:25+02:00"),
            "2023-05-19T11:24:25+02:00"
        );
        assert_eq!(entra_offset("Z"), "Z");
        assert_eq!(entra_offset(""), "");
    }

    #[test]
    fn smtp_prefix() {
        assert_eq!(strip_smtp("SMTP:a@b.com"), Some("a@b.com"));
        assert_eq!(strip_smtp("smtp:a@b.com"), Some("a@b.com"));
        assert_eq!(strip_smtp("sip:a@b.com"), None);
        assert_eq!(strip_smtp("smtp:"), None);
        assert_eq!(strip_smtp("smtpé"), None);
        assert_eq!(strip_smtp("é"), None);
    }
}
