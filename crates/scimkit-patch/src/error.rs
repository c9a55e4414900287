//! The crate's error: which operation failed, and the SCIM error it failed
//! with.
//!
//! A server answers a client with a [`ScimError`]; a program that acts on
//! the failure (a proxy that drops the offending operation, a client that
//! reports it) needs the operation's index without parsing the detail. A
//! [`PatchError`] keeps both, and converts into the [`ScimError`] a client
//! sees, whose detail starts with `Operations[i]: ` as it always has.

use std::fmt;

use scimkit_schema::{ScimError, ScimType};

/// A PATCH request refused while parsing or applying: the index of the
/// failing operation (`None` when the body as a whole is wrong, e.g. a
/// missing `Operations` or a `schemas` without the PatchOp URN, or when the
/// resource after every operation breaks a rule) and the SCIM error.
///
/// ```
/// use scimkit_patch::{PatchOptions, PatchRequest};
/// use scimkit_schema::{ResourceSchema, ScimError};
/// use serde_json::json;
///
/// let request = PatchRequest::from_json(r#"{
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [{"op": "replace", "path": "displayName", "value": "B"},
///                    {"op": "replace", "path": "id", "value": "x"}]}"#,
///     &PatchOptions::strict())?;
/// let mut user = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///                       "id": "1", "userName": "a"});
/// let err = request.apply(&mut user, ResourceSchema::user()).unwrap_err();
/// assert_eq!(err.operation_index(), Some(1));
/// assert_eq!(err.detail(), Some("id is readOnly"));
///
/// // What the client sees names the operation.
/// let sent = ScimError::from(err);
/// assert_eq!(sent.status(), 400);
/// assert_eq!(sent.detail(), Some("Operations[1]: id is readOnly"));
/// # Ok::<(), scimkit_patch::PatchError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchError {
    index: Option<usize>,
    error: ScimError,
}

impl PatchError {
    /// An error of the operation at `index` in `Operations`.
    pub fn in_operation(index: usize, error: ScimError) -> Self {
        Self {
            index: Some(index),
            error,
        }
    }

    /// An error of the request as a whole (its envelope, or the resource
    /// it would leave).
    pub fn in_body(error: ScimError) -> Self {
        Self { index: None, error }
    }

    /// The index in `Operations` of the operation that failed; `None` when
    /// no single operation did.
    pub fn operation_index(&self) -> Option<usize> {
        self.index
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.error.status()
    }

    /// The `scimType`: what kind of error this is.
    pub fn scim_type(&self) -> Option<&ScimType> {
        self.error.scim_type()
    }

    /// The detail, without the `Operations[i]: ` prefix the client sees.
    pub fn detail(&self) -> Option<&str> {
        self.error.detail()
    }

    /// A note for the developer (which option would accept the request),
    /// never sent to the client.
    pub fn hint(&self) -> Option<&str> {
        self.error.hint()
    }

    /// The SCIM error of the failing part, without the operation prefix.
    pub fn scim_error(&self) -> &ScimError {
        &self.error
    }

    /// The detail as the client sees it: prefixed with the operation.
    fn client_detail(&self) -> Option<String> {
        let detail = self.error.detail().unwrap_or_default();
        self.index.map(|i| format!("Operations[{i}]: {detail}"))
    }
}

/// The error a client sees: status and scimType as they were, the detail
/// prefixed with `Operations[i]: ` when one operation failed (hint and
/// source kept).
impl From<PatchError> for ScimError {
    fn from(e: PatchError) -> Self {
        match e.client_detail() {
            Some(detail) => e.error.with_detail(detail),
            None => e.error,
        }
    }
}

/// As the [`ScimError`] the client sees: `SCIM error 400 (mutability):
/// Operations[1]: id is readOnly`.
impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SCIM error {}", self.status())?;
        if let Some(t) = self.scim_type() {
            write!(f, " ({t})")?;
        }
        match (self.client_detail(), self.detail()) {
            (Some(d), _) => write!(f, ": {d}"),
            (None, Some(d)) => write!(f, ": {d}"),
            (None, None) => Ok(()),
        }
    }
}

/// The cause of the underlying [`ScimError`] (a JSON syntax error, say);
/// the SCIM error itself is what `Display` shows.
impl std::error::Error for PatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn conversion_keeps_status_type_and_hint_and_prefixes_the_detail() {
        let e = PatchError::in_operation(
            3,
            ScimError::new(ScimType::NoTarget, "emails[type eq \"x\"]: no match").with_hint("h"),
        );
        assert_eq!(e.operation_index(), Some(3));
        assert_eq!(e.detail(), Some("emails[type eq \"x\"]: no match"));
        assert_eq!(
            e.to_string(),
            "SCIM error 400 (noTarget): Operations[3]: emails[type eq \"x\"]: no match"
        );
        let sent = ScimError::from(e);
        assert_eq!(sent.status(), 400);
        assert_eq!(sent.scim_type(), Some(&ScimType::NoTarget));
        assert_eq!(
            sent.detail(),
            Some("Operations[3]: emails[type eq \"x\"]: no match")
        );
        assert_eq!(sent.hint(), Some("h"));
    }

    #[test]
    fn body_errors_have_no_index_and_no_prefix() {
        let e = PatchError::in_body(ScimError::with_status(500, "broken"));
        assert_eq!(e.operation_index(), None);
        assert_eq!(e.scim_type(), None);
        assert_eq!(e.to_string(), "SCIM error 500: broken");
        let sent = ScimError::from(e);
        assert_eq!(sent.status(), 500);
        assert_eq!(sent.detail(), Some("broken"));
    }

    #[test]
    fn source_is_the_cause_of_the_scim_error() {
        let cause = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let e = PatchError::in_body(ScimError::invalid_syntax("not JSON").with_source(cause));
        assert!(e.source().is_some_and(|s| s.to_string().contains("EOF")));
        assert!(PatchError::in_body(ScimError::invalid_syntax("x"))
            .source()
            .is_none());
    }
}
