//! Checking and normalising values against attribute definitions.

use scimkit_schema::compare::parse_datetime;
use scimkit_schema::{Attribute, AttributeType, Mutability, ScimError, ScimType};
use serde_json::{Map, Value};

use crate::options::{PatchOptions, UnknownAttributes};

pub(crate) fn invalid_value(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidValue, detail)
}

pub(crate) fn invalid_path(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidPath, detail)
}

pub(crate) fn mutability(detail: String) -> ScimError {
    ScimError::new(ScimType::Mutability, detail)
}

/// `text` quoted for an error detail, cut to a bounded prefix (with the
/// total length: scimkit-schema's [`excerpt`](scimkit_schema::error::excerpt))
/// so a megabyte of input does not come back in the error.
pub(crate) fn excerpt(text: &str) -> String {
    format!("{:?}", scimkit_schema::error::excerpt(text))
}

/// Refuse a value that carries more elements, or nests deeper, than the
/// options allow. Iterative: the value may be deeper than the stack.
pub(crate) fn check_value_limits(value: &Value, options: &PatchOptions) -> Result<(), ScimError> {
    // A scalar (most values) has nothing to count: no walk, no allocation.
    if !matches!(value, Value::Array(_) | Value::Object(_)) && options.max_value_depth >= 1 {
        return Ok(());
    }
    let mut elements: usize = 0;
    let mut pending: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((v, depth)) = pending.pop() {
        if depth > options.max_value_depth {
            return Err(invalid_value(format!(
                "`value` nests deeper than the limit of {} levels",
                options.max_value_depth
            )));
        }
        match v {
            Value::Array(items) => {
                elements = elements.saturating_add(items.len());
                if elements > options.max_values_per_operation {
                    return Err(invalid_value(format!(
                        "`value` carries more than the limit of {} values per operation",
                        options.max_values_per_operation
                    )));
                }
                pending.extend(items.iter().map(|i| (i, depth + 1)));
            }
            Value::Object(members) => pending.extend(members.values().map(|m| (m, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks values for one request under its options.
pub(crate) struct Checker<'a> {
    pub(crate) options: &'a PatchOptions,
}

impl Checker<'_> {
    /// A value for `def`, normalised: for a multi-valued attribute an array
    /// (a single value is wrapped), nulls inside complex values dropped,
    /// read-only sub-attributes dropped (RFC 7643 §7: values for readOnly
    /// attributes SHALL be ignored), compat coercions applied.
    pub(crate) fn check(
        &self,
        def: &Attribute,
        value: Value,
        path: &str,
    ) -> Result<Value, ScimError> {
        if def.multi_valued {
            let items: Vec<Value> = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if !item.is_null() {
                    out.push(self.check_single(def, item, path)?);
                }
            }
            let primaries = out
                .iter()
                .filter(|v| {
                    scimkit_schema::json::member_ci(v, "primary") == Some(&Value::Bool(true))
                })
                .count();
            if primaries > 1 {
                return Err(invalid_value(format!(
                    "{path}: at most one value may have \"primary\": true (RFC 7643 §2.4)"
                )));
            }
            return Ok(Value::Array(out));
        }
        self.check_single(def, value, path)
    }

    /// One value of `def` (an element, for a multi-valued attribute).
    /// The value is moved, not copied: a request's values go into the
    /// resource without a second copy.
    pub(crate) fn check_single(
        &self,
        def: &Attribute,
        value: Value,
        path: &str,
    ) -> Result<Value, ScimError> {
        use AttributeType as T;
        let found = json_type(&value);
        let mismatch = || {
            invalid_value(format!(
                "{path}: expected a {} value, found {found}",
                def.kind,
            ))
        };
        Ok(match (def.kind, value) {
            (T::String | T::Reference | T::Binary, value @ Value::String(_)) => value,
            (T::Boolean, value @ Value::Bool(_)) => value,
            (T::Boolean, Value::String(s)) if self.options.string_booleans => {
                if s.eq_ignore_ascii_case("true") {
                    Value::Bool(true)
                } else if s.eq_ignore_ascii_case("false") {
                    Value::Bool(false)
                } else {
                    return Err(mismatch());
                }
            }
            (T::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Value::Number(n),
            (T::Decimal, value @ Value::Number(_)) => value,
            (T::DateTime, Value::String(s)) => {
                if parse_datetime(&s).is_none() {
                    return Err(invalid_value(format!(
                        "{path}: {} is not an xsd:dateTime such as \"2008-01-23T04:56:22Z\"",
                        excerpt(&s)
                    )));
                }
                Value::String(s)
            }
            (T::Complex, Value::Object(members)) => {
                Value::Object(self.check_members(def, members, path)?)
            }
            (T::Complex, Value::String(id))
                if self.options.manager_as_string
                    && def.name.eq_ignore_ascii_case("manager")
                    && def.sub_attribute("value").is_some() =>
            {
                let mut m = Map::new();
                m.insert("value".to_owned(), Value::String(id));
                Value::Object(m)
            }
            _ => return Err(mismatch()),
        })
    }

    fn check_members(
        &self,
        def: &Attribute,
        members: Map<String, Value>,
        path: &str,
    ) -> Result<Map<String, Value>, ScimError> {
        let mut out = Map::new();
        for (key, v) in members {
            let sub_path = format!("{path}.{key}");
            match def.sub_attribute(&key) {
                None => match self.options.unknown_attributes {
                    UnknownAttributes::Reject => {
                        return Err(invalid_path(format!(
                            "{sub_path}: {:?} has no sub-attribute {key:?}",
                            def.name
                        )))
                    }
                    UnknownAttributes::Keep => {
                        out.insert(key, v);
                    }
                },
                Some(_) if v.is_null() => {}
                Some(sub) if sub.mutability == Mutability::ReadOnly => {}
                Some(sub) => {
                    out.insert(sub.name.clone(), self.check(sub, v, &sub_path)?);
                }
            }
        }
        Ok(out)
    }
}

/// Whether a value is unassigned (RFC 7643 §2.5: missing, null or `[]`).
pub(crate) fn unassigned(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    }
}
