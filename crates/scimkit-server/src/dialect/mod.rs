//! How a service speaks: the [`Dialect`] trait, with the RFC's plain
//! spelling ([`Rfc`]) and Microsoft Entra's SCIM API ([`Entra`]).
//!
//! Like sqlparser's `Dialect`, a dialect is a type whose methods answer
//! "does this service do X, and how": the handlers ask, never test a
//! dialect's name. A method's default is the RFC's behaviour, so a new
//! dialect overrides only where it differs. Every Entra override cites
//! the section of the fact sheet (`shared/entra/api.md`) it follows.

mod entra;
mod rfc;

use std::fmt;

use scimkit_entra::ResourceKind;
use scimkit_patch::PatchRequest;
use scimkit_query::{ListQuery, ListQueryOptions};
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::Value;

pub use entra::Entra;
pub use rfc::Rfc;

/// Where the API is served, for `meta.location` and `$ref`: the origin
/// (`http://host:port`, from the request's `Host`) and the base path the
/// request used (`/scim/v2` or `/rp/scim`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Base {
    /// `scheme://host[:port]`, or empty when unknown.
    pub origin: String,
    /// The API's base path, without a trailing `/`.
    pub path: String,
}

impl Base {
    /// The absolute URL of `endpoint` (which starts with `/`).
    pub fn url(&self, endpoint: &str) -> String {
        format!("{}{}{endpoint}", self.origin, self.path)
    }
}

/// The rules and spellings of one SCIM service.
pub trait Dialect: Send + Sync + fmt::Debug {
    /// A short name (`rfc`, `entra`).
    fn name(&self) -> &'static str;

    /// The schema of a resource type, which filters, sorts, projections
    /// and PATCH requests resolve against.
    fn schema(&self, kind: ResourceKind) -> &'static ResourceSchema;

    /// How list queries are parsed (limits, paging, sorting).
    fn list_options(&self) -> &ListQueryOptions;

    /// `GET /ServiceProviderConfig`.
    fn service_provider_config(&self, base: &Base) -> Value;

    /// `GET /Schemas`: every schema, each a full representation.
    fn schemas(&self, base: &Base) -> Vec<Value>;

    /// `GET /ResourceTypes`: every resource type.
    fn resource_types(&self, base: &Base) -> Vec<Value>;

    /// The key of a ListResponse's resources (RFC: `Resources`).
    fn resources_key(&self) -> &'static str {
        "Resources"
    }

    /// Checks a raw query string before it is parsed (Entra refuses
    /// whitespace around `=`).
    fn check_query_string(&self, _raw: &str) -> Result<(), ScimError> {
        Ok(())
    }

    /// Checks a parsed list query against the dialect's filter subset and
    /// returns the page size to serve.
    fn check_list(&self, _kind: ResourceKind, query: &ListQuery) -> Result<u32, ScimError> {
        Ok(query.page().count())
    }

    /// Whether a list response carries `totalResults` (`filtered`: the
    /// request had a filter).
    fn total_results(&self, _filtered: bool) -> bool {
        true
    }

    /// Whether list responses carry `previousCursor` (RFC 9865 §2.2).
    fn serves_previous_cursor(&self) -> bool {
        true
    }

    /// Whether `PUT` replaces a resource (else `405`).
    fn supports_put(&self) -> bool {
        true
    }

    /// Whether `POST .search` is served (else `404`).
    fn supports_search(&self) -> bool {
        true
    }

    /// Whether a successful PATCH is answered `204 No Content` (else
    /// `200` with the resource).
    fn patch_no_content(&self) -> bool {
        false
    }

    /// Whether requests must accept `application/json` (else `400`).
    fn requires_accept_json(&self) -> bool {
        false
    }

    /// Whether a password may be set after creation.
    fn password_changeable(&self) -> bool {
        true
    }

    /// Adjusts and checks a resource a client creates (required
    /// attributes beyond the schema's, derived values).
    fn prepare_create(&self, _kind: ResourceKind, _doc: &mut Value) -> Result<(), ScimError> {
        Ok(())
    }

    /// Checks a PATCH request before it is applied (for Entra, its group
    /// membership limits).
    fn check_patch(
        &self,
        _kind: ResourceKind,
        _id: &str,
        _request: &PatchRequest,
    ) -> Result<(), ScimError> {
        Ok(())
    }

    /// Checks a resource after a PATCH or PUT, against the one before
    /// (for Entra, `mailNickname` cannot be removed).
    fn check_update(
        &self,
        _kind: ResourceKind,
        _before: &Value,
        _after: &Value,
    ) -> Result<(), ScimError> {
        Ok(())
    }

    /// The wire form of a stored resource: `meta.location`, `$ref`s and
    /// the dialect's spellings.
    fn render(&self, kind: ResourceKind, doc: &mut Value, base: &Base);
}

/// `meta.location` of a resource as the RFC writes it: absolute.
pub(crate) fn rfc_location(base: &Base, kind: ResourceKind, id: &str) -> String {
    match kind {
        ResourceKind::User => base.url(&format!("/Users/{id}")),
        _ => base.url(&format!("/Groups/{id}")),
    }
}
