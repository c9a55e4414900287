//! SCIM resource -> Graph request body.

use std::collections::HashSet;

use scimkit_schema::compare::parse_datetime;
use scimkit_schema::json::get_ci;
use scimkit_schema::{ScimError, ScimType};
use serde_json::{Map, Value};

use super::graph_body::GraphBody;
use super::{csa, invalid_value, json_type, ToGraph, GRAPH_V1};
use crate::options::{GraphOptions, NotWritable};
use crate::table::{mappings_for, Conversion, GraphType, Mapping, Multi, ScimPath};
use crate::{ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN};

pub(super) fn convert(
    kind: ResourceKind,
    scim: &Value,
    options: &GraphOptions,
) -> Result<ToGraph, ScimError> {
    let object = scim.as_object().ok_or_else(|| {
        ScimError::new(
            ScimType::InvalidSyntax,
            format!(
                "a SCIM {kind} must be a JSON object, not {}",
                json_type(scim)
            ),
        )
    })?;
    check_schemas(kind, object)?;
    let mut cx = Context {
        kind,
        options,
        body: GraphBody::default(),
        unmapped: Vec::new(),
        not_writable: Vec::new(),
    };
    for (key, value) in object {
        if value.is_null() || key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        let extension = kind
            .extension_urns()
            .iter()
            .find(|urn| urn.eq_ignore_ascii_case(key));
        match extension {
            Some(&CUSTOM_SECURITY_ATTRIBUTES_URN) => {
                csa::to_graph(value, key, &mut cx.body, &mut cx.unmapped)?;
            }
            Some(urn) => {
                let ext = value.as_object().ok_or_else(|| {
                    invalid_value(format!("{key} must be an object, not {}", json_type(value)))
                })?;
                for (name, v) in ext {
                    if !v.is_null() {
                        cx.attribute(urn, name, v, &format!("{key}:{name}"))?;
                    }
                }
            }
            None => cx.attribute(kind.core_urn(), key, value, key)?,
        }
    }
    Ok(ToGraph {
        body: cx.body.into_value(),
        unmapped: cx.unmapped,
        not_writable: cx.not_writable,
    })
}

/// `schemas`, when given, must be an array of strings that lists the
/// resource type's core schema.
fn check_schemas(kind: ResourceKind, object: &Map<String, Value>) -> Result<(), ScimError> {
    let Some(schemas) = get_ci(object, "schemas") else {
        return Ok(());
    };
    let listed = schemas.as_array().and_then(|items| {
        items
            .iter()
            .map(Value::as_str)
            .collect::<Option<Vec<&str>>>()
    });
    match listed {
        None => Err(ScimError::new(
            ScimType::InvalidSyntax,
            "schemas must be an array of schema URNs",
        )),
        Some(urns) if urns.iter().any(|u| u.eq_ignore_ascii_case(kind.core_urn())) => Ok(()),
        Some(_) => Err(invalid_value(format!(
            "schemas does not list {}: this is not a {kind}",
            kind.core_urn()
        ))),
    }
}

struct Context<'o> {
    kind: ResourceKind,
    options: &'o GraphOptions,
    body: GraphBody,
    unmapped: Vec<String>,
    not_writable: Vec<NotWritable>,
}

/// A row with the accepted spelling of its path that an input matched.
type Match = (&'static Mapping, ScimPath);

impl Context<'_> {
    /// One top-level attribute `name` of the schema `schema`, found in the
    /// input at `path`.
    fn attribute(
        &mut self,
        schema: &str,
        name: &str,
        value: &Value,
        path: &str,
    ) -> Result<(), ScimError> {
        let matches: Vec<Match> = mappings_for(self.kind)
            .filter(|m| m.schema().eq_ignore_ascii_case(schema))
            .flat_map(|m| {
                m.accepted_paths()
                    .filter(|p| !p.is_template() && p.attribute().eq_ignore_ascii_case(name))
                    .map(move |p| (m, p))
            })
            .collect();
        if matches.is_empty() || matches.iter().all(|(m, _)| !m.is_writable()) {
            self.unmapped.push(path.to_owned());
            return Ok(());
        }
        if matches.iter().any(|(_, p)| p.filter().is_some()) {
            return self.typed(&matches, value, path);
        }
        if let Some((m, _)) = matches.iter().find(|(_, p)| p.sub_attribute().is_none()) {
            return self.leaf(m, value, path);
        }
        let multi = matches.iter().any(|(m, _)| m.multi() == Multi::Multiple);
        match value {
            Value::Array(items) if multi => {
                for item in items.iter().filter(|v| !v.is_null()) {
                    let element = item.as_object().ok_or_else(|| {
                        invalid_value(format!(
                            "{path}: each value must be an object, not {}",
                            json_type(item)
                        ))
                    })?;
                    self.sub_attributes(&matches, element, path)?;
                }
                Ok(())
            }
            Value::Object(object) if !multi => self.sub_attributes(&matches, object, path),
            // Entra's provisioning service sends the enterprise manager as a
            // bare id (client quirk Q8): read it as `{"value": id}`.
            Value::String(_) if !multi => match matches
                .iter()
                .find(|(_, p)| p.sub_attribute() == Some("value"))
            {
                Some((m, _)) => self.leaf(m, value, &format!("{path}.value")),
                None => Err(expected(path, "an object", value)),
            },
            _ => Err(expected(
                path,
                if multi { "an array" } else { "an object" },
                value,
            )),
        }
    }

    /// The sub-attributes of one complex value.
    fn sub_attributes(
        &mut self,
        matches: &[Match],
        object: &Map<String, Value>,
        path: &str,
    ) -> Result<(), ScimError> {
        for (key, v) in object {
            if v.is_null() {
                continue;
            }
            let sub_path = format!("{path}.{key}");
            match matches.iter().find(|(_, p)| {
                p.sub_attribute()
                    .is_some_and(|s| s.eq_ignore_ascii_case(key))
            }) {
                Some((m, _)) => self.leaf(m, v, &sub_path)?,
                None => self.unmapped.push(sub_path),
            }
        }
        Ok(())
    }

    /// A typed multi-valued attribute (`emails`, `phoneNumbers`,
    /// `addresses`, `ims`): each element goes where its `type` (and
    /// `primary`) says.
    fn typed(&mut self, matches: &[Match], value: &Value, path: &str) -> Result<(), ScimError> {
        let items = value
            .as_array()
            .ok_or_else(|| expected(path, "an array", value))?;
        let mut elements = Vec::with_capacity(items.len());
        for item in items.iter().filter(|v| !v.is_null()) {
            let object = item.as_object().ok_or_else(|| {
                invalid_value(format!(
                    "{path}: each value must be an object, not {}",
                    json_type(item)
                ))
            })?;
            let type_value = match get_ci(object, "type") {
                None | Some(Value::Null) => None,
                Some(Value::String(t)) => Some(t.as_str()),
                Some(other) => return Err(expected(&format!("{path}.type"), "a string", other)),
            };
            let primary = match get_ci(object, "primary") {
                None | Some(Value::Null) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(other) => {
                    return Err(expected(&format!("{path}.primary"), "a boolean", other))
                }
            };
            elements.push((object, type_value, primary));
        }
        // Types that have an element explicitly marked primary: an element
        // of that type without `primary` is then not the primary one.
        let explicit_primary: HashSet<String> = elements
            .iter()
            .filter(|(_, _, p)| *p == Some(true))
            .filter_map(|(_, t, _)| t.map(str::to_ascii_lowercase))
            .collect();
        // Single-valued Graph properties already filled, by filter text.
        let mut taken: HashSet<String> = HashSet::new();
        for (object, type_value, primary) in elements {
            let Some(t) = type_value else {
                self.unmapped.push(path.to_owned());
                continue;
            };
            let has_explicit = explicit_primary.contains(&t.to_ascii_lowercase());
            let candidates: Vec<&Match> = matches
                .iter()
                .filter(|(_, p)| {
                    p.filter().is_some_and(|f| {
                        f.type_value().eq_ignore_ascii_case(t)
                            && match f.primary() {
                                None => true,
                                Some(true) => {
                                    primary == Some(true) || (primary.is_none() && !has_explicit)
                                }
                                Some(false) => primary == Some(false),
                            }
                    })
                })
                .collect();
            let Some(filter) = candidates.first().and_then(|(_, p)| p.filter()) else {
                self.unmapped.push(format!("{path}[type eq \"{t}\"]"));
                continue;
            };
            let element_path = format!("{path}[{filter}]");
            if candidates.iter().all(|(m, _)| m.multi() == Multi::Single)
                && !taken.insert(filter.to_string().to_ascii_lowercase())
            {
                // Graph holds one value of this type; this is a second one.
                let graph: Vec<&str> = candidates.iter().map(|(m, _)| m.graph().path()).collect();
                let (what, verb) = if graph.len() == 1 {
                    (graph.join(""), "maps")
                } else {
                    (graph.join(", "), "map")
                };
                NotWritable::push_unique(
                    &mut self.not_writable,
                    NotWritable {
                        path: element_path.clone(),
                        reason: format!(
                            "only one {element_path} value {verb} to {what}: Graph holds one; \
                             the others are left out"
                        ),
                    },
                );
                continue;
            }
            for (key, v) in object {
                if v.is_null()
                    || key.eq_ignore_ascii_case("type")
                    || key.eq_ignore_ascii_case("primary")
                {
                    continue;
                }
                let sub_path = format!("{element_path}.{key}");
                match candidates.iter().find(|(_, p)| {
                    p.sub_attribute()
                        .is_some_and(|s| s.eq_ignore_ascii_case(key))
                }) {
                    Some((m, _)) => self.leaf(m, v, &sub_path)?,
                    None => self.unmapped.push(sub_path),
                }
            }
        }
        Ok(())
    }

    /// One value of one row.
    fn leaf(&mut self, m: &Mapping, value: &Value, path: &str) -> Result<(), ScimError> {
        if !m.is_writable() {
            self.unmapped.push(path.to_owned());
            return Ok(());
        }
        let graph = m.graph().path();
        if m.graph_type() == GraphType::CrossDomainData {
            // `externalId`: no public Graph property holds it (issue: every
            // Graph call carrying crossDomainData fails).
            let s = string(value, path)?;
            return match self.options.external_id() {
                Some(carrier) => {
                    self.body
                        .set(carrier, Value::String(s.to_owned()), path.to_owned())
                }
                None => {
                    NotWritable::push_unique(
                        &mut self.not_writable,
                        NotWritable::external_id(path),
                    );
                    Ok(())
                }
            };
        }
        match m.conversion() {
            Conversion::String => {
                let s = string(value, path)?;
                self.body
                    .set(graph, Value::String(s.to_owned()), path.to_owned())
            }
            Conversion::Boolean => match value {
                Value::Bool(_) => self.body.set(graph, value.clone(), path.to_owned()),
                _ => Err(expected(path, "a boolean", value)),
            },
            Conversion::DateTime => {
                let s = string(value, path)?;
                if parse_datetime(s).is_none() {
                    return Err(invalid_value(format!(
                        "{path}: {s:?} is not an RFC 3339 date-time"
                    )));
                }
                self.body
                    .set(graph, Value::String(s.to_owned()), path.to_owned())
            }
            Conversion::StringCollection => {
                if m.multi() != Multi::Multiple {
                    // One SCIM value in a Graph collection (`businessPhones`).
                    let s = string(value, path)?;
                    self.body.set(
                        graph,
                        Value::Array(vec![Value::String(s.to_owned())]),
                        path.to_owned(),
                    )
                } else if m.path().filter().is_some() {
                    // One element of a typed attribute (`otherMails`).
                    let s = string(value, path)?;
                    self.body
                        .push(graph, Value::String(s.to_owned()), path.to_owned())
                } else {
                    // A plain multi-valued string attribute (`groupTypes`).
                    let items = value
                        .as_array()
                        .ok_or_else(|| expected(path, "an array of strings", value))?;
                    let mut strings = Vec::with_capacity(items.len());
                    for item in items.iter().filter(|v| !v.is_null()) {
                        strings.push(Value::String(string(item, path)?.to_owned()));
                    }
                    self.body.set(graph, Value::Array(strings), path.to_owned())
                }
            }
            Conversion::Relationship => {
                let id = object_id(value, path)?;
                let key = format!("{graph}@odata.bind");
                if m.multi() == Multi::Multiple {
                    let url = format!("{GRAPH_V1}/directoryObjects/{id}");
                    self.body.push(&key, Value::String(url), path.to_owned())
                } else {
                    let url = format!("{GRAPH_V1}/users/{id}");
                    self.body.set(&key, Value::String(url), path.to_owned())
                }
            }
            // Custom Security Attributes are converted as a whole extension.
            Conversion::CustomSecurityAttributes => {
                self.unmapped.push(path.to_owned());
                Ok(())
            }
        }
    }
}

fn expected(path: &str, what: &str, value: &Value) -> ScimError {
    invalid_value(format!("{path} must be {what}, not {}", json_type(value)))
}

fn string<'v>(value: &'v Value, path: &str) -> Result<&'v str, ScimError> {
    value
        .as_str()
        .ok_or_else(|| expected(path, "a string", value))
}

/// A directory object id to put into a Graph URL (see `crate::ids`).
fn object_id<'v>(value: &'v Value, path: &str) -> Result<&'v str, ScimError> {
    let id = string(value, path)?;
    crate::ids::check_object_id(id, &format!("{path}:"))
}
