//! Checking and normalising values against attribute definitions.

use scimkit_schema::compare::{equality_key, parse_datetime, Comparator};
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
        value: &Value,
        path: &str,
    ) -> Result<Value, ScimError> {
        if def.multi_valued {
            let items: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
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
    pub(crate) fn check_single(
        &self,
        def: &Attribute,
        value: &Value,
        path: &str,
    ) -> Result<Value, ScimError> {
        use AttributeType as T;
        let mismatch = || {
            invalid_value(format!(
                "{path}: expected a {} value, found {}",
                def.kind,
                json_type(value)
            ))
        };
        Ok(match (def.kind, value) {
            (T::String | T::Reference | T::Binary, Value::String(_)) => value.clone(),
            (T::Boolean, Value::Bool(_)) => value.clone(),
            (T::Boolean, Value::String(s)) if self.options.string_booleans => {
                if s.eq_ignore_ascii_case("true") {
                    Value::Bool(true)
                } else if s.eq_ignore_ascii_case("false") {
                    Value::Bool(false)
                } else {
                    return Err(mismatch());
                }
            }
            (T::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => value.clone(),
            (T::Decimal, Value::Number(_)) => value.clone(),
            (T::DateTime, Value::String(s)) => {
                if parse_datetime(s).is_none() {
                    return Err(invalid_value(format!(
                        "{path}: {s:?} is not an xsd:dateTime such as \"2008-01-23T04:56:22Z\""
                    )));
                }
                value.clone()
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
                m.insert("value".to_owned(), Value::String(id.clone()));
                Value::Object(m)
            }
            _ => return Err(mismatch()),
        })
    }

    fn check_members(
        &self,
        def: &Attribute,
        members: &Map<String, Value>,
        path: &str,
    ) -> Result<Map<String, Value>, ScimError> {
        let mut out = Map::new();
        for (key, v) in members {
            let sub_path = format!("{path}.{key}");
            match def.sub_attribute(key) {
                None => match self.options.unknown_attributes {
                    UnknownAttributes::Reject => {
                        return Err(invalid_path(format!(
                            "{sub_path}: {:?} has no sub-attribute {key:?}",
                            def.name
                        )))
                    }
                    UnknownAttributes::Keep => {
                        out.insert(key.clone(), v.clone());
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

/// Equality of two values of `def` under its type and caseExact.
pub(crate) fn same_simple(def: &Attribute, a: &Value, b: &Value) -> bool {
    let cmp = Comparator::for_attribute(def);
    match cmp.prepare(b) {
        Ok(operand) => cmp.equals(a, &operand),
        Err(_) => a == b,
    }
}

/// The identity of an element of a multi-valued attribute for duplicate
/// detection (RFC 7643 §2.4: the same `type` and `value`): the equality key
/// of its `value`, when it has a string one.
pub(crate) fn element_key<'v>(
    def: &Attribute,
    element: &'v Value,
) -> Option<std::borrow::Cow<'v, str>> {
    let (text, case_exact) = if def.kind == AttributeType::Complex {
        let sub = def.sub_attribute("value")?;
        (
            scimkit_schema::json::member_ci(element, "value")?.as_str()?,
            sub.is_case_exact(),
        )
    } else {
        (element.as_str()?, def.is_case_exact())
    };
    Some(equality_key(text, case_exact))
}

/// Whether two elements of `def` are the same value (see [`element_key`];
/// elements without a string `value` compare as whole JSON values). Two
/// elements with the same value but different `type`s are different.
pub(crate) fn same_element(def: &Attribute, a: &Value, b: &Value) -> bool {
    if def.kind != AttributeType::Complex {
        return same_simple(def, a, b);
    }
    match (element_key(def, a), element_key(def, b)) {
        (Some(x), Some(y)) => x == y && same_type(a, b),
        _ => a == b,
    }
}

/// `type` sub-attributes agree (equal ignoring case, or one is missing).
pub(crate) fn same_type(a: &Value, b: &Value) -> bool {
    let ta = scimkit_schema::json::member_ci(a, "type").and_then(Value::as_str);
    let tb = scimkit_schema::json::member_ci(b, "type").and_then(Value::as_str);
    match (ta, tb) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => true,
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
