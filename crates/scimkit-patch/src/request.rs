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
