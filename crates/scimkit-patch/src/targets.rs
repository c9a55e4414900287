//! The attributes a PATCH request writes: one target per attribute, with
//! path-less values and whole-schema values expanded.
//!
//! RFC 7644 §3.5.2.1 lets an `add` or `replace` leave out `path` and carry
//! an object of attributes as its value; Microsoft Entra's provisioning
//! service also puts attribute *paths* among those keys (`"name.givenName"`,
//! URN-qualified extension attributes: client quirk Q5, accepted under
//! [`PatchOptions::path_keys_in_value`](crate::PatchOptions::path_keys_in_value)),
//! and names a whole extension schema as a key or as the path, with an
//! object of its attributes as the value. A program that looks at a
//! request before (or instead of) applying it — a proxy translating it to
//! another API, a permission check, a planner splitting it — needs those
//! forms read as one `(operation, path, value)` each, by the same rules
//! [`PatchRequest::apply`] uses. This module owns those rules: which key
//! of a path-less value is a schema, which is a path, and under which
//! option; `apply` reads keys through the same function.

use std::borrow::Cow;

use scimkit_schema::{AttrPath, ScimError};
use serde_json::Value;

use crate::error::PatchError;
use crate::options::PatchOptions;
use crate::path::PatchPath;
use crate::request::{OpKind, Operation, PatchRequest};
use crate::value::{excerpt, invalid_path, invalid_value};

/// One attribute an operation writes or removes: see
/// [`PatchRequest::targets`].
#[derive(Clone, Debug, PartialEq)]
pub struct Target<'r> {
    index: usize,
    op: OpKind,
    path: Cow<'r, PatchPath>,
    value: Option<&'r Value>,
}

impl<'r> Target<'r> {
    /// The index in `Operations` of the operation this target comes from
    /// (several targets share it when a value was expanded).
    pub fn operation_index(&self) -> usize {
        self.index
    }

    /// The operation's kind.
    pub fn op(&self) -> OpKind {
        self.op
    }

    /// The attribute: the operation's path, or the path a key of its value
    /// names (a key inside a schema's object qualified with the schema URN).
    pub fn path(&self) -> &PatchPath {
        &self.path
    }

    /// The path, owned.
    pub fn into_path(self) -> PatchPath {
        self.path.into_owned()
    }

    /// The value written: the operation's value, or the value under the
    /// key. `None` for a `remove` (Entra's remove-with-value keeps its
    /// value array here).
    pub fn value(&self) -> Option<&'r Value> {
        self.value
    }
}

impl PatchRequest {
    /// Every attribute the request writes or removes, in order, one
    /// [`Target`] per attribute:
    ///
    /// - an operation with a path is one target (its value as given);
    /// - a path-less `add`/`replace` is one target per key of its value
    ///   object. A key is an attribute name; under the request's
    ///   [`PatchOptions::path_keys_in_value`] also an attribute path
    ///   (`"name.givenName"`, `"emails[type eq \"work\"].value"`, a
    ///   URN-qualified attribute). A key naming one of `schema_urns` holds
    ///   an object of that schema's attributes, each a target of its own
    ///   (`null` there sets nothing, as in [`PatchRequest::apply`]);
    /// - an `add`/`replace` whose path is one of `schema_urns` and whose
    ///   value is an object is one target per member of it.
    ///
    /// `schema_urns` are the schemas whose URN stands for an object of
    /// their attributes: a resource type's extensions
    /// ([`ResourceSchema::extensions`](scimkit_schema::ResourceSchema::extensions)),
    /// and the core schema too if clients send it so. The request is not
    /// changed and nothing is checked against a schema: the paths are
    /// as the client wrote them.
    ///
    /// Errors (the operation's index kept): a path-less value that is not
    /// an object, a schema key whose value is not an object, a key that is
    /// not an attribute name (or, under `path_keys_in_value`, path).
    ///
    /// ```
    /// use scimkit_patch::{PatchOptions, PatchRequest};
    ///
    /// const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    /// let request = PatchRequest::from_json(r#"{
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [
    ///         {"op": "Replace", "value": {"displayName": "Babs", "name.givenName": "Barbara",
    ///             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"}}},
    ///         {"op": "Remove", "path": "emails[type eq \"work\"]"}]}"#,
    ///     &PatchOptions::entra())?;
    /// let targets = request.targets(&[ENTERPRISE])?;
    /// let paths: Vec<String> = targets.iter().map(|t| t.path().to_string()).collect();
    /// assert_eq!(paths, [
    ///     "displayName",
    ///     "name.givenName",
    ///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    ///     "emails[type eq \"work\"]",
    /// ]);
    /// assert_eq!(targets[2].operation_index(), 0);
    /// assert_eq!(targets[2].value(), Some(&serde_json::json!("R&D")));
    /// assert_eq!(targets[3].operation_index(), 1);
    /// # Ok::<(), scimkit_patch::PatchError>(())
    /// ```
    pub fn targets(&self, schema_urns: &[&str]) -> Result<Vec<Target<'_>>, PatchError> {
        let mut out = Vec::with_capacity(self.operations.len());
        for (index, op) in self.operations.iter().enumerate() {
            expand(index, op, schema_urns, self.options(), &mut out)
                .map_err(|e| PatchError::in_operation(index, e))?;
        }
        Ok(out)
    }
}

/// The targets of one operation, appended to `out`.
fn expand<'r>(
    index: usize,
    op: &'r Operation,
    schema_urns: &[&str],
    options: &PatchOptions,
    out: &mut Vec<Target<'r>>,
) -> Result<(), ScimError> {
    let mut push = |path: Cow<'r, PatchPath>, value: Option<&'r Value>| {
        out.push(Target {
            index,
            op: op.op,
            path,
            value,
        });
    };
    let schema_of = |key: &str| {
        schema_urns
            .iter()
            .copied()
            .find(|u| u.eq_ignore_ascii_case(key))
    };
    match (&op.path, op.value.as_ref()) {
        (Some(path), Some(Value::Object(members))) if op.op != OpKind::Remove => {
            let whole = match path {
                PatchPath::Attribute(a) => schema_urns.iter().copied().find(|u| a.is_urn(u)),
                _ => None,
            };
            match whole {
                Some(urn) => {
                    for (key, value) in members {
                        push(Cow::Owned(schema_member(urn, key)?), Some(value));
                    }
                }
                None => push(Cow::Borrowed(path), op.value.as_ref()),
            }
        }
        (Some(path), value) => push(Cow::Borrowed(path), value),
        (None, Some(Value::Object(members))) if op.op != OpKind::Remove => {
            for (key, value) in members {
                match value_key(key, schema_of, options)? {
                    ValueKey::Path(path) => push(Cow::Owned(path), Some(value)),
                    ValueKey::Schema(urn) => match value {
                        Value::Object(inner) => {
                            for (k, v) in inner {
                                push(Cow::Owned(schema_member(urn, k)?), Some(v));
                            }
                        }
                        Value::Null => {}
                        _ => return Err(not_extension_object(urn)),
                    },
                }
            }
        }
        (None, _) => return Err(pathless_without_object(op.op)),
    }
    Ok(())
}

/// What a key of a path-less `add`/`replace` value names.
pub(crate) enum ValueKey<S> {
    /// A schema (an extension URN): the value is an object of its attributes.
    Schema(S),
    /// An attribute.
    Path(PatchPath),
}

/// Read a key of a path-less value: a schema when `schema_of` knows it,
/// else an attribute name, or (under
/// [`PatchOptions::path_keys_in_value`]) an attribute path. The one rule
/// for [`PatchRequest::targets`] and [`PatchRequest::apply`].
pub(crate) fn value_key<S>(
    key: &str,
    schema_of: impl FnOnce(&str) -> Option<S>,
    options: &PatchOptions,
) -> Result<ValueKey<S>, ScimError> {
    if let Some(schema) = schema_of(key) {
        return Ok(ValueKey::Schema(schema));
    }
    let looks_like_path = key.contains(['.', '[', ':', ' ']);
    if looks_like_path && options.path_keys_in_value {
        return PatchPath::parse(key)
            .map(ValueKey::Path)
            .map_err(|e| not_a_path(key, e));
    }
    let path = AttrPath::parse(key).map_err(ScimError::from)?;
    if path.schema().is_some() || path.sub_attribute().is_some() {
        return Err(invalid_path(format!(
            "{} is not an attribute name: a value object without `path` holds attributes",
            excerpt(key)
        ))
        .with_hint(
            "path keys are an Entra quirk: PatchOptions::path_keys_in_value \
             (`--compat entra` in the CLI)",
        ));
    }
    Ok(ValueKey::Path(PatchPath::Attribute(path)))
}

/// `urn:...:key`: a key of a schema's object as a path.
fn schema_member(urn: &str, key: &str) -> Result<PatchPath, ScimError> {
    PatchPath::parse(&format!("{urn}:{key}")).map_err(|e| not_a_path(key, e))
}

fn not_a_path(key: &str, e: crate::path::PatchPathError) -> ScimError {
    let detail = format!(
        "value key {} is not an attribute path: {}",
        excerpt(key),
        e.message()
    );
    ScimError::from(e).with_detail(detail)
}

/// A schema key (or path) whose value is not an object of attributes.
pub(crate) fn not_extension_object(urn: &str) -> ScimError {
    invalid_value(format!("{urn}: expected an object of extension attributes"))
}

/// A path-less operation whose value is not an object of attributes.
pub(crate) fn pathless_without_object(kind: OpKind) -> ScimError {
    match kind {
        OpKind::Remove => ScimError::no_target("remove requires a `path`"),
        _ => invalid_value(format!(
            "{} without a `path` takes an object of attributes as `value`",
            kind.as_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scimkit_schema::ScimType;
    use serde_json::json;

    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";

    fn request(ops: Value, options: &PatchOptions) -> PatchRequest {
        PatchRequest::from_value(
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops}),
            options,
        )
        .unwrap()
    }

    fn paths(ops: Value) -> Vec<(usize, String)> {
        request(ops, &PatchOptions::entra())
            .targets(&[ENTERPRISE, ENTRA])
            .unwrap()
            .iter()
            .map(|t| (t.operation_index(), t.path().to_string()))
            .collect()
    }

    fn error(ops: Value, options: &PatchOptions) -> PatchError {
        request(ops, options)
            .targets(&[ENTERPRISE, ENTRA])
            .unwrap_err()
    }

    #[test]
    fn path_less_values_expand_to_one_target_per_key() {
        // Entra quirk Q5: dotted and URN-qualified keys, an extension object.
        assert_eq!(
            paths(json!([
                {"op": "add", "path": "title", "value": "x"},
                {"op": "replace", "value": {
                "displayName": "B", "name.givenName": "K", "schemas": ["x"],
                format!("{ENTERPRISE}:employeeNumber"): "A",
                ENTRA: {"officeLocation": "18/2111"}
            }}])),
            [
                (0, "title".to_owned()),
                (1, "displayName".to_owned()),
                (1, "name.givenName".to_owned()),
                (1, "schemas".to_owned()),
                (1, format!("{ENTRA}:officeLocation")),
                (1, format!("{ENTERPRISE}:employeeNumber")),
            ]
        );
        // A null extension object sets nothing.
        assert_eq!(
            paths(json!([{"op": "add", "value": {ENTERPRISE: null, "title": "x"}}])),
            [(0, "title".to_owned())]
        );
    }

    #[test]
    fn a_whole_schema_path_with_an_object_expands() {
        assert_eq!(
            paths(json!([{"op": "add", "path": ENTERPRISE,
                "value": {"department": "R", "manager": {"value": "m1"}}}])),
            [
                (0, format!("{ENTERPRISE}:department")),
                (0, format!("{ENTERPRISE}:manager")),
            ]
        );
        // Removing a whole schema stays one target, and so does a value
        // that is not an object (the consumer judges it).
        assert_eq!(
            paths(json!([{"op": "remove", "path": ENTERPRISE},
                         {"op": "replace", "path": ENTERPRISE, "value": null}])),
            [(0, ENTERPRISE.to_owned()), (1, ENTERPRISE.to_owned())]
        );
    }

    #[test]
    fn values_are_borrowed_from_the_request() {
        let r = request(
            json!([{"op": "add", "value": {"title": "T"}},
                   {"op": "remove", "path": "title"}]),
            &PatchOptions::strict(),
        );
        let targets = r.targets(&[]).unwrap();
        assert_eq!(targets[0].op(), OpKind::Add);
        assert_eq!(targets[0].value(), Some(&json!("T")));
        assert_eq!(targets[1].op(), OpKind::Remove);
        assert_eq!(targets[1].value(), None);
        assert_eq!(
            targets[1].clone().into_path(),
            PatchPath::parse("title").unwrap()
        );
    }

    #[test]
    fn path_keys_follow_the_request_options() {
        let ops = json!([{"op": "add", "path": "title", "value": "x"},
                         {"op": "replace", "value": {"name.givenName": "K"}}]);
        let e = error(ops.clone(), &PatchOptions::strict());
        assert_eq!(e.operation_index(), Some(1));
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidPath));
        assert!(e.hint().is_some());
        assert_eq!(paths(ops).len(), 2);
    }

    #[test]
    fn bad_keys_are_errors_naming_the_operation() {
        let e = error(
            json!([{"op": "add", "path": "title", "value": "x"},
                   {"op": "add", "value": {"bad key!": 1}}]),
            &PatchOptions::entra(),
        );
        assert_eq!(e.operation_index(), Some(1));
        assert!(e.detail().unwrap().starts_with("value key \"bad key!\""));
        let e = error(
            json!([{"op": "add", "value": {ENTERPRISE: "x"}}]),
            &PatchOptions::entra(),
        );
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue));
        let e = error(
            json!([{"op": "add", "path": ENTERPRISE, "value": {"a b": 1}}]),
            &PatchOptions::entra(),
        );
        assert!(e.detail().unwrap().starts_with("value key \"a b\""));
    }

    #[test]
    fn path_less_values_must_be_objects() {
        let built = PatchRequest::new(
            vec![Operation::new(OpKind::Add, None, Some(json!("x")))],
            PatchOptions::strict(),
        );
        let e = built.targets(&[]).unwrap_err();
        assert_eq!(e.operation_index(), Some(0));
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue));
    }
}
