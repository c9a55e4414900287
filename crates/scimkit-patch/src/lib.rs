#![doc = include_str!("../README.md")]
//!
//! # A fuller example
//!
//! ```
//! use scimkit_patch::{PatchOptions, PatchRequest};
//! use scimkit_schema::ResourceSchema;
//! use serde_json::json;
//!
//! let mut group = json!({
//!     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
//!     "id": "e9e30dba", "displayName": "Tour Guides",
//!     "members": [{"value": "2819c223"}]
//! });
//! let request = PatchRequest::from_json(r#"{
//!     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
//!     "Operations": [
//!         {"op": "add", "path": "members", "value": [{"value": "902c246b"}, {"value": "2819c223"}]},
//!         {"op": "replace", "path": "displayName", "value": "Guides"}
//!     ]}"#, &PatchOptions::strict())?;
//! let outcome = request.apply(&mut group, ResourceSchema::group(), &PatchOptions::strict())?;
//! assert_eq!(group["members"], json!([{"value": "2819c223"}, {"value": "902c246b"}]));
//! assert_eq!(outcome.changes().len(), 2); // the member already present is not added twice
//!
//! // Nothing is half-applied: a failing operation leaves the group as it was.
//! let before = group.clone();
//! let bad = PatchRequest::from_json(r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
//!     "Operations": [{"op": "replace", "path": "displayName", "value": "X"},
//!                    {"op": "replace", "path": "id", "value": "new-id"}]}"#, &PatchOptions::strict())?;
//! let err = bad.apply(&mut group, ResourceSchema::group(), &PatchOptions::strict()).unwrap_err();
//! assert_eq!(err.scim_type().map(|t| t.as_str()), Some("mutability"));
//! assert_eq!(group, before);
//! # Ok::<(), scimkit_schema::ScimError>(())
//! ```
//!
//! # Concepts
//!
//! - [`PatchRequest`] / [`Operation`]: the PatchOp message.
//! - [`PatchPath`]: the PATCH path grammar, built from the attribute-path
//!   grammar of scimkit-schema and the value-filter grammar of
//!   scimkit-filter.
//! - [`PatchOptions`]: strict RFC behaviour, or named compat switches
//!   ([`PatchOptions::entra`] for Microsoft Entra's provisioning service).
//! - [`PatchOutcome`] / [`Change`]: what changed, and whether anything did.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod apply;
mod element;
mod journal;
mod options;
mod outcome;
mod path;
mod request;
mod value;

use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::Value;

pub use options::{PatchOptions, UnknownAttributes};
pub use outcome::{Change, ChangeKind, PatchOutcome};
pub use path::{PatchPath, PatchPathError};
pub use request::{OpKind, Operation, PatchRequest, PATCH_OP_URN};

impl PatchRequest {
    /// Apply the request to `resource` under `schema`: every operation or
    /// none. On error the resource is exactly as it was.
    ///
    /// The request is kept, so each operation's value is copied into the
    /// resource; [`PatchRequest::apply_owned`] moves them instead.
    pub fn apply(
        &self,
        resource: &mut Value,
        schema: &ResourceSchema,
        options: &PatchOptions,
    ) -> Result<PatchOutcome, ScimError> {
        apply::apply(self.operations.iter().cloned(), resource, schema, options)
    }

    /// [`PatchRequest::apply`], consuming the request: its values move into
    /// the resource rather than being copied, so a large request (a
    /// 100,000-member replace) holds at most two copies of any value at
    /// peak: the resource's and the change list's.
    pub fn apply_owned(
        self,
        resource: &mut Value,
        schema: &ResourceSchema,
        options: &PatchOptions,
    ) -> Result<PatchOutcome, ScimError> {
        apply::apply(self.operations, resource, schema, options)
    }
}
