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
//! let outcome = request.apply(&mut group, ResourceSchema::group())?;
//! assert_eq!(group["members"], json!([{"value": "2819c223"}, {"value": "902c246b"}]));
//! assert_eq!(outcome.changes().len(), 2); // the member already present is not added twice
//!
//! // Nothing is half-applied: a failing operation leaves the group as it was.
//! let before = group.clone();
//! let bad = PatchRequest::from_json(r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
//!     "Operations": [{"op": "replace", "path": "displayName", "value": "X"},
//!                    {"op": "replace", "path": "id", "value": "new-id"}]}"#, &PatchOptions::strict())?;
//! let err = bad.apply(&mut group, ResourceSchema::group()).unwrap_err();
//! assert_eq!(err.scim_type().map(|t| t.as_str()), Some("mutability"));
//! assert_eq!(group, before);
//! # Ok::<(), scimkit_patch::PatchError>(())
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
//! - [`PatchRequest::targets`] / [`Target`]: the attributes a request
//!   writes, one per attribute (path-less values and whole-schema values
//!   expanded by the rules `apply` follows), for code that reads a request
//!   without applying it.
//!
//! # Decisions where RFC 7644 is open
//!
//! Each has a case in `tests/data/patch-semantics.json` (run by
//! `tests/conformance.rs`, and replayable with `scimkit patch apply --jsonl`).
//!
//! - **Duplicates.** An `add` of a value already present changes nothing
//!   (§3.5.2.1). "Present" means *covered*: a stored element covers a new
//!   one when every sub-attribute the new one carries is there with an equal
//!   value (under that sub-attribute's type and `caseExact`). A re-sent
//!   `{"value": "u1"}` is a no-op on a member stored with a `display`;
//!   `{"value": "x", "type": "pager"}` is added beside a stored
//!   `{"value": "x"}`. A value sent twice in one request is added once.
//!   Entra's `remove` with a `value` array removes the elements that cover
//!   a listed value.
//! - **`op` case.** Strict mode takes only `add`, `remove`, `replace`
//!   (JSON strings are case-sensitive and §3.5.2 lists them so): `"Add"` is
//!   `invalidSyntax` with a hint; [`PatchOptions::op_any_case`] accepts it.
//! - **A filter that matches nothing** is `noTarget` for all three
//!   operations in strict mode, as §3.12 defines `noTarget` ("a filter that
//!   yields no match"). [`PatchOptions::remove_unmatched_is_noop`] makes a
//!   removal a no-op instead (Entra re-sends removals);
//!   [`PatchOptions::upsert_filtered`] makes `add`/`replace` create the
//!   element. `remove` of an attribute that has no value changes nothing.
//! - **`attr.sub` on a multi-valued attribute without a filter** sets the
//!   sub-attribute on every element; with no element it is `noTarget`
//!   (`add phoneNumbers.type` on a user without phone numbers would
//!   otherwise create a value-less phone number).
//! - **`replace` through a value filter** replaces each matching element
//!   whole; `add` through one merges the given sub-attributes into each.
//! - **Read-only.** Values given for read-only sub-attributes inside a
//!   complex value are ignored (RFC 7643 §7); targeting a read-only
//!   attribute is `mutability`, unless the value given is already there.
//! - **`primary`.** Setting `primary: true` on one element sets the others'
//!   to `false`; one request value with two primaries is `invalidValue`.
//! - **`schemas`** gains an extension's URN when its object gains a value
//!   and loses it (the empty object is dropped) when the object empties.
//!   A *required* extension (RFC 7643 §3 `required: true`) keeps its URN:
//!   removing it whole removes its attributes (each under its own rules),
//!   the same result as removing its last attribute; dropping its URN from
//!   `schemas` (errata 7122's `remove schemas eq "urn:..."`) is `mutability`.
//!
//! # Limits and costs
//!
//! Every operation costs time linear in what the request carries plus the
//! size of the attribute it touches: duplicates and Entra's value-array
//! removals are found through a hash index of the attribute's elements
//! (built once per request and kept current across `add`s), removals are
//! one pass, and `members[value eq "id"]` is a lookup. Limits, each a field
//! of [`PatchOptions`]: `max_operations` (1,000), `max_values_per_operation`
//! (10,000 array elements in one `value`), `max_value_depth` (32). Errors
//! echo at most 64 characters of any client text.
//!
//! Memory: [`PatchRequest::from_json`] and [`PatchRequest::apply_owned`]
//! move values from the body into the resource, and replaced values move
//! from the resource into the change list: at most two copies of a value
//! are alive at once. Walks over resource values are iterative, so a value
//! built in code deeper than any parser allows does not exhaust the stack.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod apply;
mod element;
mod error;
mod journal;
mod options;
mod outcome;
mod path;
mod request;
mod targets;
mod value;

use scimkit_schema::ResourceSchema;
use serde_json::Value;

pub use error::PatchError;
pub use options::{PatchOptions, UnknownAttributes};
pub use outcome::{Change, ChangeKind, PatchOutcome};
pub use path::{PatchPath, PatchPathError};
pub use request::{OpKind, Operation, PatchRequest, PATCH_OP_URN};
pub use targets::Target;

impl PatchRequest {
    /// Apply the request to `resource` under `schema`, with the options it
    /// was parsed with: every operation or none. On error the resource is
    /// exactly as it was.
    ///
    /// The request is kept, so each operation's value is copied into the
    /// resource; [`PatchRequest::apply_owned`] moves them instead.
    pub fn apply(
        &self,
        resource: &mut Value,
        schema: &ResourceSchema,
    ) -> Result<PatchOutcome, PatchError> {
        let operations = self
            .operations
            .iter()
            .map(|o| (o.op, o.path.as_ref(), o.value.clone()));
        apply::apply(operations, resource, schema, self.options())
    }

    /// [`PatchRequest::apply`], consuming the request: its values move into
    /// the resource rather than being copied, so a large request (a
    /// 100,000-member replace) holds at most two copies of any value at
    /// peak: the resource's and the change list's.
    pub fn apply_owned(
        self,
        resource: &mut Value,
        schema: &ResourceSchema,
    ) -> Result<PatchOutcome, PatchError> {
        let options = self.options().clone();
        let operations = self.operations.into_iter().map(|o| (o.op, o.path, o.value));
        apply::apply(operations, resource, schema, &options)
    }
}
