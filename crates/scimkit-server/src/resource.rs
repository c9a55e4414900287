//! What the service provider owns in a resource (RFC 7643 §3): the `id`,
//! `meta` (`created`, `lastModified`, `version`), the attributes clients
//! may not write, required attributes, and the password, which leaves the
//! document as a salted Argon2id hash.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use scimkit_entra::ResourceKind;
use scimkit_schema::{json::member_ci, Attribute, Mutability, ResourceSchema, ScimError};
use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Now, as RFC 3339 in UTC, to the millisecond.
pub(crate) fn now() -> String {
    let now = OffsetDateTime::now_utc();
    let millis = now.replace_millisecond(now.millisecond()).unwrap_or(now);
    millis
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// The weak ETag of a version number (`W/"3"`).
pub(crate) fn etag(version: u64) -> String {
    format!("W/\"{version}\"")
}

/// The version number of a stored resource (`meta.version` `W/"n"`).
pub(crate) fn version_of(doc: &Value) -> u64 {
    doc.get("meta")
        .and_then(|m| m.get("version"))
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix("W/\"")?.strip_suffix('"')?.parse().ok())
        .unwrap_or(0)
}

/// Whether an `If-Match` header value accepts the resource at `version`
/// (`*`, or a list holding its ETag; weak comparison, RFC 9110 §13.1.1).
pub(crate) fn if_match_accepts(header: &str, version: u64) -> bool {
    let current = etag(version);
    header.split(',').map(str::trim).any(|tag| {
        tag == "*" || tag == current || tag.strip_prefix("W/").unwrap_or(tag) == &current[2..]
    })
}

/// The `412` of a failed `If-Match`.
pub(crate) fn precondition_failed() -> ScimError {
    ScimError::with_status(
        412,
        "If-Match does not match the resource's current version (ETag)",
    )
}

/// Removes, at the top level and in extensions, every attribute the
/// schema marks readOnly (a client's values are ignored, RFC 7643 §2.2),
/// plus `id` and `meta`.
fn drop_read_only(doc: &mut Map<String, Value>, schema: &ResourceSchema) {
    doc.retain(|k, _| !k.eq_ignore_ascii_case("id") && !k.eq_ignore_ascii_case("meta"));
    fn read_only<'a>(mut attrs: impl Iterator<Item = &'a Attribute>, name: &str) -> bool {
        attrs.any(|a| a.name.eq_ignore_ascii_case(name) && a.mutability == Mutability::ReadOnly)
    }
    doc.retain(|k, _| !read_only(schema.core_attributes(), k));
    for (ext, _) in schema.extensions() {
        if let Some(Value::Object(inner)) = doc
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&ext.id))
            .map(|(_, v)| v)
        {
            inner.retain(|k, _| !read_only(ext.attributes.iter(), k));
        }
    }
}

/// Checks that every required, writable attribute of the core schema and
/// of the extensions present (or required) has a value.
fn check_required(doc: &Value, schema: &ResourceSchema) -> Result<(), ScimError> {
    fn check<'a>(
        container: &Value,
        attrs: impl Iterator<Item = &'a Attribute>,
        prefix: &str,
    ) -> Result<(), ScimError> {
        for a in attrs {
            if !a.required || a.mutability == Mutability::ReadOnly {
                continue;
            }
            let present =
                member_ci(container, &a.name).is_some_and(scimkit_schema::json::is_non_empty);
            if !present {
                return Err(ScimError::invalid_value(format!(
                    "the required attribute \"{prefix}{}\" has no value",
                    a.name
                )));
            }
        }
        Ok(())
    }
    check(doc, schema.core_attributes(), "")?;
    for (ext, required) in schema.extensions() {
        match member_ci(doc, &ext.id) {
            Some(inner) => check(inner, ext.attributes.iter(), &format!("{}:", ext.id))?,
            None if required => {
                return Err(ScimError::invalid_value(format!(
                    "the required extension \"{}\" is missing",
                    ext.id
                )))
            }
            None => {}
        }
    }
    Ok(())
}

/// Takes `password` (any case) out of `doc`.
fn take_password(doc: &mut Map<String, Value>) -> Option<Value> {
    let key = doc
        .keys()
        .find(|k| k.eq_ignore_ascii_case("password"))?
        .clone();
    doc.remove(&key)
}

/// A salted Argon2id hash (PHC string) of `password`.
fn hash_password(password: &str) -> Result<String, ScimError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ScimError::with_status(500, format!("hashing the password failed: {e}")))
}

/// A resource as a client wrote it, made ready to store: `id` and `meta`
/// assigned (`previous` is the stored resource it replaces, if any),
/// readOnly attributes dropped, required attributes checked, the password
/// hashed out of the document.
///
/// Returns the document and the new password hash, if one was sent.
pub(crate) fn prepare(
    kind: ResourceKind,
    schema: &ResourceSchema,
    body: Value,
    previous: Option<&Value>,
    id: &str,
) -> Result<Prepared, ScimError> {
    let Value::Object(mut doc) = body else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    };
    drop_read_only(&mut doc, schema);
    let password = match take_password(&mut doc) {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if !p.is_empty() => Some(hash_password(&p)?),
        Some(_) => {
            return Err(ScimError::invalid_value(
                "\"password\" must be a non-empty string",
            ))
        }
    };
    let now = now();
    let (created, version) = match previous {
        Some(p) => (
            p.get("meta")
                .and_then(|m| m.get("created"))
                .cloned()
                .unwrap_or_else(|| json!(now)),
            version_of(p) + 1,
        ),
        None => (json!(now), 1),
    };
    doc.insert("id".into(), Value::String(id.to_owned()));
    doc.insert(
        "meta".into(),
        json!({
            "resourceType": kind.as_str(),
            "created": created,
            "lastModified": now,
            "version": etag(version),
        }),
    );
    let doc = Value::Object(doc);
    check_required(&doc, schema)?;
    Ok((doc, password))
}

/// After a PATCH: `id` and `meta` kept from `previous` with a new version
/// and `lastModified`, the password (if the PATCH set one) hashed out.
pub(crate) fn patched(
    mut doc: Value,
    schema: &ResourceSchema,
    previous: &Value,
) -> Result<Prepared, ScimError> {
    let Some(obj) = doc.as_object_mut() else {
        return Err(ScimError::invalid_syntax(
            "the resource must be a JSON object",
        ));
    };
    let password = match take_password(obj) {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if !p.is_empty() => Some(hash_password(&p)?),
        Some(_) => {
            return Err(ScimError::invalid_value(
                "\"password\" must be a non-empty string",
            ))
        }
    };
    let mut meta = previous.get("meta").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.insert("lastModified".into(), json!(now()));
        m.insert("version".into(), json!(etag(version_of(previous) + 1)));
    }
    obj.insert("meta".into(), meta);
    check_required(&doc, schema)?;
    Ok((doc, password))
}

/// A document ready to store and the new password hash, if one was sent.
pub(crate) type Prepared = (Value, Option<String>);

/// A fresh server-assigned id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Dialect, Rfc};

    fn rfc_user() -> &'static ResourceSchema {
        Rfc::new().schema(ResourceKind::User)
    }

    #[test]
    fn if_match_compares_weakly() {
        assert!(if_match_accepts("W/\"3\"", 3));
        assert!(if_match_accepts("\"3\"", 3));
        assert!(if_match_accepts("*", 9));
        assert!(if_match_accepts("W/\"1\", W/\"3\"", 3));
        assert!(!if_match_accepts("W/\"2\"", 3));
        assert!(!if_match_accepts("", 3));
    }

    #[test]
    fn prepare_assigns_id_meta_and_hashes_the_password() {
        let body = json!({"schemas": [scimkit_schema::builtin::user().id], "userName": "bjensen", "id": "mine", "password": "s3cret",
                          "meta": {"version": "W/\"99\""}, "groups": [{"value": "g"}]});
        let (doc, hash) = prepare(ResourceKind::User, rfc_user(), body, None, "x1").unwrap();
        assert_eq!(doc["id"], "x1");
        assert_eq!(doc["meta"]["version"], "W/\"1\"");
        assert_eq!(doc.get("password"), None);
        assert_eq!(doc.get("groups"), None, "readOnly attributes are dropped");
        assert!(hash.unwrap().starts_with("$argon2id$"));
    }

    #[test]
    fn prepare_requires_required_attributes() {
        let err = prepare(
            ResourceKind::User,
            ResourceSchema::user(),
            json!({"schemas": [scimkit_schema::builtin::user().id], "displayName": "x"}),
            None,
            "1",
        )
        .unwrap_err();
        assert_eq!(err.status(), 400);
        assert!(err.detail().unwrap().contains("userName"), "{err}");
    }
}
