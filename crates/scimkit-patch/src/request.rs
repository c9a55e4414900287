//! The PatchOp message (RFC 7644 §3.5.2).

use serde_json::{Map, Value};

use scimkit_schema::{ScimError, ScimType};

use crate::error::PatchError;
use crate::options::PatchOptions;
use crate::path::PatchPath;
use crate::value::{check_value_limits, excerpt};

/// The `schemas` URN of a PatchOp message.
pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// `add`, `remove` or `replace`.
///
/// Exhaustive on purpose: RFC 7644 §3.5.2 defines exactly these three, and
/// a server that matches on them should hear about a fourth from the
/// compiler. Client spellings (`"Replace"`) are options, not kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// `add` (§3.5.2.1).
    Add,
    /// `remove` (§3.5.2.2).
    Remove,
    /// `replace` (§3.5.2.3).
    Replace,
}

impl OpKind {
    /// The RFC spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
        }
    }
}

/// One operation of a PATCH request.
///
/// Read its fields; build one with [`Operation::new`] (or the
/// [`add`](Operation::add), [`replace`](Operation::replace) and
/// [`remove`](Operation::remove) shorthands), since more may come.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Operation {
    /// The operation.
    pub op: OpKind,
    /// The target; `None` means the resource itself.
    pub path: Option<PatchPath>,
    /// The value, for `add` and `replace` (and Entra's remove-with-value).
    pub value: Option<Value>,
}

/// A parsed PATCH request.
///
/// ```
/// use scimkit_patch::{OpKind, PatchOptions, PatchRequest};
///
/// let body = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///   "Operations":[{"op":"Replace","path":"active","value":"False"}]}"#;
/// // Strict mode refuses Entra's capitalised op...
/// assert!(PatchRequest::from_json(body, &PatchOptions::strict()).is_err());
/// // ...the Entra profile reads it.
/// let req = PatchRequest::from_json(body, &PatchOptions::entra()).unwrap();
/// assert_eq!(req.operations[0].op, OpKind::Replace);
/// ```
///
/// A request keeps the [`PatchOptions`] it was parsed with, and
/// [`PatchRequest::apply`] uses them: one set of options per request, so a
/// request cannot be read leniently and applied strictly (or the reverse).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PatchRequest {
    /// The operations, applied in order.
    pub operations: Vec<Operation>,
    options: PatchOptions,
}

impl Operation {
    /// An operation built in code (checked when the request is applied).
    ///
    /// ```
    /// use scimkit_patch::{OpKind, Operation, PatchOptions, PatchPath, PatchRequest};
    /// use scimkit_schema::ResourceSchema;
    /// use serde_json::json;
    ///
    /// let request = PatchRequest::new(
    ///     vec![Operation::new(OpKind::Replace, Some(PatchPath::parse("displayName")?), Some(json!("B")))],
    ///     PatchOptions::strict(),
    /// );
    /// let mut group = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///                        "id": "g", "displayName": "A"});
    /// request.apply(&mut group, ResourceSchema::group())?;
    /// assert_eq!(group["displayName"], "B");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(op: OpKind, path: Option<PatchPath>, value: Option<Value>) -> Self {
        Self { op, path, value }
    }

    /// `{"op": "add", "path": path, "value": value}`.
    pub fn add(path: PatchPath, value: Value) -> Self {
        Self::new(OpKind::Add, Some(path), Some(value))
    }

    /// `{"op": "replace", "path": path, "value": value}`.
    pub fn replace(path: PatchPath, value: Value) -> Self {
        Self::new(OpKind::Replace, Some(path), Some(value))
    }

    /// `{"op": "remove", "path": path}`.
    pub fn remove(path: PatchPath) -> Self {
        Self::new(OpKind::Remove, Some(path), None)
    }
}

fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::new(ScimType::InvalidSyntax, detail)
}

impl PatchRequest {
    /// A request of `operations` built in code, to be applied under
    /// `options` (their values are checked against its limits when applied).
    pub fn new(operations: Vec<Operation>, options: PatchOptions) -> Self {
        Self {
            operations,
            options,
        }
    }

    /// The options the request was parsed (or built) with, which
    /// [`PatchRequest::apply`] follows.
    pub fn options(&self) -> &PatchOptions {
        &self.options
    }

    /// Parse a PatchOp body from JSON text under `options` (kept for
    /// [`PatchRequest::apply`]); the same as [`PatchRequest::from_json`].
    pub fn parse(json: &str, options: &PatchOptions) -> Result<Self, PatchError> {
        Self::from_json(json, options)
    }

    /// Parse a PatchOp body from JSON text. The operations' values are
    /// moved out of the parsed body, not copied.
    pub fn from_json(json: &str, options: &PatchOptions) -> Result<Self, PatchError> {
        if let Some(request) = fast::parse(json, options) {
            return Ok(request);
        }
        let value: Value = serde_json::from_str(json).map_err(|e| {
            PatchError::in_body(syntax(format!("PATCH body is not JSON: {e}")).with_source(e))
        })?;
        Self::from_owned_value(value, options)
    }

    /// Parse a PatchOp body from a JSON value (copying the operations'
    /// values; [`PatchRequest::from_owned_value`] moves them).
    pub fn from_value(body: &Value, options: &PatchOptions) -> Result<Self, PatchError> {
        Self::check_shape(body, options).map_err(PatchError::in_body)?;
        Self::from_owned_value(body.clone(), options)
    }

    /// Parse a PatchOp body, taking the values out of it without copying.
    ///
    /// Each operation's `value` is checked against
    /// [`PatchOptions::max_values_per_operation`] and
    /// [`PatchOptions::max_value_depth`] here (and again when applied, for
    /// requests built in code).
    pub fn from_owned_value(body: Value, options: &PatchOptions) -> Result<Self, PatchError> {
        Self::check_shape(&body, options).map_err(PatchError::in_body)?;
        let Value::Object(mut body) = body else {
            return Err(PatchError::in_body(syntax(
                "PATCH body must be a JSON object",
            )));
        };
        let ops_key = scimkit_schema::json::key_ci(&body, "Operations")
            .unwrap_or("Operations")
            .to_owned();
        let Some(Value::Array(ops)) = body.remove(&ops_key) else {
            return Err(PatchError::in_body(syntax(
                "`Operations` must be an array of operations",
            )));
        };
        let operations = ops
            .into_iter()
            .enumerate()
            .map(|(i, op)| {
                Operation::from_value(op, options).map_err(|e| PatchError::in_operation(i, e))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            operations,
            options: options.clone(),
        })
    }

    /// The envelope: `schemas` names PatchOp, `Operations` is an array
    /// within the operation limit.
    fn check_shape(body: &Value, options: &PatchOptions) -> Result<(), ScimError> {
        let body = body
            .as_object()
            .ok_or_else(|| syntax("PATCH body must be a JSON object"))?;
        let schemas = member(body, "schemas")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                syntax(format!(
                    "`schemas` must be an array containing {PATCH_OP_URN}"
                ))
            })?;
        if !schemas.iter().any(|s| {
            s.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP_URN))
        }) {
            return Err(syntax(format!("`schemas` must contain {PATCH_OP_URN}")));
        }
        let ops = member(body, "Operations")
            .and_then(Value::as_array)
            .ok_or_else(|| syntax("`Operations` must be an array of operations"))?;
        if ops.is_empty() && !options.empty_operations {
            return Err(syntax("`Operations` is empty"));
        }
        if ops.len() > options.max_operations {
            return Err(syntax(format!(
                "`Operations` has {} operations; the limit is {}",
                ops.len(),
                options.max_operations
            )));
        }
        Ok(())
    }
}

/// The common body, read straight into typed operations (no `Value` tree
/// for the envelope, the operations, their `op`s and their `path`s).
///
/// Only a body in the canonical spelling (`schemas`, `Operations`, `op`,
/// `path`, `value`, each at most once) that is valid under the options
/// is answered here; anything else (another spelling of a member name, a
/// duplicate, a wrong type, an invalid operation) gets `None`, and
/// [`PatchRequest::from_json`] reads the body the general way, which gives
/// the same request, or the error. So this is only a shortcut: a request
/// read here equals the one the general reading gives.
mod fast {
    use std::borrow::Cow;

    use serde::Deserialize;
    use serde_json::Value;

    use super::{parse_op, OpKind, Operation, PatchRequest, PATCH_OP_URN};
    use crate::options::PatchOptions;
    use crate::path::PatchPath;
    use crate::value::check_value_limits;

    /// A string borrowed from the body when it has no escapes. serde
    /// borrows a `Cow<str>` only when it is the field itself, not inside
    /// an `Option` or a `Vec`; this newtype makes it the field.
    #[derive(Deserialize)]
    struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

    #[derive(Deserialize)]
    struct Body<'a> {
        #[serde(borrow)]
        schemas: Vec<Text<'a>>,
        #[serde(rename = "Operations", borrow)]
        operations: Vec<Op<'a>>,
    }

    #[derive(Deserialize)]
    struct Op<'a> {
        #[serde(borrow)]
        op: Cow<'a, str>,
        #[serde(default, borrow)]
        path: Option<Text<'a>>,
        /// `Some` whenever the member is there, `null` included (a
        /// `remove` with `"value": null` is refused, as in the general
        /// reading).
        #[serde(default, deserialize_with = "present")]
        value: Option<Value>,
    }

    fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        Value::deserialize(d).map(Some)
    }

    /// The request, when the body is canonical and valid; `None` otherwise.
    pub(super) fn parse(json: &str, options: &PatchOptions) -> Option<PatchRequest> {
        let body: Body<'_> = serde_json::from_str(json).ok()?;
        if !body
            .schemas
            .iter()
            .any(|s| s.0.eq_ignore_ascii_case(PATCH_OP_URN))
        {
            return None;
        }
        let n = body.operations.len();
        if (n == 0 && !options.empty_operations) || n > options.max_operations {
            return None;
        }
        let mut operations = Vec::with_capacity(n);
        for op in body.operations {
            let kind = parse_op(&op.op, options).ok()?;
            let path = match op.path {
                Some(p) => Some(PatchPath::parse(&p.0).ok()?),
                None => None,
            };
            if let Some(v) = &op.value {
                check_value_limits(v, options).ok()?;
            }
            let valid = match kind {
                OpKind::Remove => {
                    path.is_some() && (op.value.is_none() || options.remove_with_value)
                }
                OpKind::Add | OpKind::Replace => op.value.is_some(),
            };
            if !valid {
                return None;
            }
            operations.push(Operation {
                op: kind,
                path,
                value: op.value,
            });
        }
        Some(PatchRequest {
            operations,
            options: options.clone(),
        })
    }
}

/// A member by name, ignoring ASCII case (`operations`, `Operations`).
fn member<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    scimkit_schema::json::get_ci(object, key)
}

impl Operation {
    fn from_value(op: Value, options: &PatchOptions) -> Result<Self, ScimError> {
        let Value::Object(mut op) = op else {
            return Err(syntax("an operation must be a JSON object"));
        };
        let kind = match member(&op, "op") {
            Some(Value::String(s)) => parse_op(s, options)?,
            Some(_) => return Err(syntax("`op` must be a string")),
            None => return Err(syntax("missing `op`")),
        };
        let path = match member(&op, "path") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(PatchPath::parse(s)?),
            Some(_) => {
                return Err(ScimError::new(
                    ScimType::InvalidPath,
                    "`path` must be a string",
                ))
            }
        };
        let value = scimkit_schema::json::key_ci(&op, "value")
            .map(str::to_owned)
            .and_then(|k| op.remove(&k));
        if let Some(v) = &value {
            check_value_limits(v, options)?;
        }
        match kind {
            OpKind::Remove if path.is_none() => {
                return Err(ScimError::new(
                    ScimType::NoTarget,
                    "remove requires a `path`",
                ))
            }
            OpKind::Remove if value.is_some() && !options.remove_with_value => {
                return Err(syntax("remove takes no `value`").with_hint(
                    "the value-array form is an Entra quirk: PatchOptions::remove_with_value \
                     (`--compat entra` in the CLI)",
                ))
            }
            OpKind::Add | OpKind::Replace if value.is_none() => {
                return Err(ScimError::new(
                    ScimType::InvalidValue,
                    format!("{} requires a `value`", kind.as_str()),
                ))
            }
            _ => {}
        }
        Ok(Self {
            op: kind,
            path,
            value,
        })
    }
}

fn parse_op(s: &str, options: &PatchOptions) -> Result<OpKind, ScimError> {
    let found = [OpKind::Add, OpKind::Remove, OpKind::Replace]
        .into_iter()
        .find(|k| {
            if options.op_any_case {
                k.as_str().eq_ignore_ascii_case(s)
            } else {
                k.as_str() == s
            }
        });
    found.ok_or_else(|| {
        let e = syntax(format!(
            "unknown op {}: expected add, remove or replace",
            excerpt(s)
        ));
        if ["add", "remove", "replace"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(s))
        {
            e.with_hint(
                "capitalised ops are an Entra quirk: PatchOptions::op_any_case \
                 (`--compat entra` in the CLI)",
            )
        } else {
            e
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The general reading of `json`: a JSON parse, then the `Value` path.
    fn general(json: &str, options: &PatchOptions) -> Result<PatchRequest, String> {
        let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        PatchRequest::from_owned_value(value, options).map_err(|e| e.to_string())
    }

    /// Every body the shortcut answers, it answers as the general reading
    /// does; and `from_json` always agrees with the general reading.
    fn agree(json: &str) {
        for options in [PatchOptions::strict(), PatchOptions::entra()] {
            let slow = general(json, &options);
            if let Some(quick) = fast::parse(json, &options) {
                assert_eq!(Ok(&quick), slow.as_ref(), "{json}");
            }
            let from_json = PatchRequest::from_json(json, &options).map_err(|e| e.to_string());
            match (&from_json, &slow) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{json}: from_json {from_json:?}, general {slow:?}"),
            }
        }
    }

    #[test]
    fn the_typed_shortcut_reads_bodies_as_the_general_reading() {
        let urn = PATCH_OP_URN;
        let bodies = [
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": "displayName", "value": "x"}]}),
            json!({"schemas": [urn], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}),
            json!({"schemas": [urn], "Operations": [{"op": "remove", "path": "members", "value": [{"value": "a"}]}]}),
            json!({"schemas": [urn], "Operations": [{"op": "remove", "path": "members", "value": null}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": null, "value": {"displayName": "x"}}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": "displayName", "value": null}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": "displayName"}]}),
            json!({"schemas": [urn], "Operations": [{"op": "remove"}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": 3, "value": 1}]}),
            json!({"schemas": [urn], "Operations": [{"op": 1, "path": "a", "value": 1}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": "a[", "value": 1}]}),
            json!({"schemas": [urn], "Operations": []}),
            json!({"schemas": [], "Operations": [{"op": "add", "path": "a", "value": 1}]}),
            json!({"schemas": [1, urn.to_uppercase()], "Operations": [{"op": "add", "path": "a", "value": 1}]}),
            json!({"schemas": [urn], "operations": [{"op": "add", "path": "a", "value": 1}]}),
            json!({"schemas": [urn], "Operations": [{"OP": "add", "Path": "a", "VALUE": 1}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": "a", "value": 1, "Value": 2}]}),
            json!({"schemas": [urn], "Operations": [{"op": "add", "path": "a", "value": 1, "x": 2}], "y": 1}),
            json!({"schemas": [urn], "Operations": [7]}),
            json!({"schemas": urn, "Operations": [{"op": "add", "path": "a", "value": 1}]}),
            json!([1]),
        ];
        for body in &bodies {
            agree(&body.to_string());
        }
        // The shortcut does answer the common bodies.
        let common = bodies.first().map(ToString::to_string).unwrap();
        assert!(fast::parse(&common, &PatchOptions::strict()).is_some());
        // Text only a parser sees: escapes, duplicate members, bad JSON.
        for text in [
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"a\u0064d","path":"display\u004eame","value":"\u00e9"}]}"#,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","op":"remove","path":"a","value":1}]}"#,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"a","value":1}],"Operations":[]}"#,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"a","value":1}]"#,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"a","value":1}]} x"#,
        ] {
            agree(text);
        }
    }

    #[test]
    fn the_typed_shortcut_agrees_on_every_vector() {
        for file in [
            include_str!("../tests/data/patch-rfc.json"),
            include_str!("../tests/data/patch-semantics.json"),
        ] {
            let doc: Value = serde_json::from_str(file).unwrap();
            for case in doc["cases"].as_array().unwrap() {
                agree(&case["request"].to_string());
            }
        }
    }
}
