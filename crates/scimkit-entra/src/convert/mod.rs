//! SCIM resources to Microsoft Graph request bodies and Graph objects back
//! to SCIM resources, through the mapping table.
//!
//! - [`to_graph`]: a SCIM User or Group (as a client would POST it) to the
//!   body of a Graph `POST /users` or `POST /groups`. What cannot be carried
//!   (attributes the table does not map, read-only attributes, a second
//!   value where Graph holds one) is listed in [`ToGraph::unmapped`] by its
//!   SCIM path, never dropped silently. Values of the wrong type are errors.
//! - [`from_graph`]: a Graph `user` or `group` object to the resource as
//!   Entra's SCIM API returns it: `schemas` with the extension URNs in use,
//!   attributes under their wire spelling, empty extensions left out,
//!   `meta.location` `/users/{id}` and lowercase `meta.resourceType`.

pub(crate) mod csa;
mod from_graph;
pub(crate) mod graph_body;
mod to_graph;

use scimkit_schema::{ScimError, ScimType};
use serde_json::Value;

use crate::options::{GraphOptions, NotWritable};
use crate::ResourceKind;

/// The Microsoft Graph v1.0 root that `@odata.bind` references point into.
pub const GRAPH_V1: &str = "https://graph.microsoft.com/v1.0";

/// The result of [`to_graph`]: a Graph request body and what it could not hold.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ToGraph {
    /// The Graph request body (a JSON object).
    pub body: Value,
    /// SCIM paths of input attributes the body does not carry, in the
    /// order the input object iterates (serde_json's map, sorted by key
    /// unless its `preserve_order` feature is on): unmapped attributes (`nickName`, `name.formatted`,
    /// `emails[type eq "home"]`), read-only ones (`id`, `meta`,
    /// `urn:...:Microsoft:Entra:2.0:User:onPremisesSyncEnabled`).
    pub unmapped: Vec<String>,
    /// Mapped attributes no public Graph request can write, left out of
    /// the body, each with the reason: `externalId` (kept by Entra in
    /// `crossDomainData`), unless [`GraphOptions::external_id_property`]
    /// names a property to carry it; and values beyond the one a
    /// single-valued Graph property holds (a second work phone: "only one
    /// phoneNumbers[type eq "work"] value maps to businessPhones").
    pub not_writable: Vec<NotWritable>,
}

/// Convert a SCIM User or Group to a Microsoft Graph request body.
///
/// Attribute names match ignoring case; extension attributes are read from
/// their URN-keyed objects. Relationships become `@odata.bind` annotations
/// (`manager@odata.bind`, `members@odata.bind`), which Graph accepts in
/// create bodies; Custom Security Attributes get the `@odata.type`
/// annotations Graph requires. `null` values are skipped like absent ones.
///
/// Errors (`400 invalidValue` / `invalidSyntax`): the input is not an
/// object, `schemas` does not list the resource type's core schema, a value
/// has the wrong JSON type (`"active": "yes"`), a date-time does not parse,
/// or two inputs give one Graph property different values.
///
/// ```
/// use scimkit_entra::{convert::to_graph, ResourceKind};
/// use serde_json::json;
///
/// let out = to_graph(ResourceKind::User, &json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///     "userName": "bjensen@contoso.com",
///     "active": true,
///     "phoneNumbers": [{"type": "mobile", "value": "+1 555 0100"}],
///     "nickName": "Babs"
/// }))?;
/// assert_eq!(out.body, json!({
///     "userPrincipalName": "bjensen@contoso.com",
///     "accountEnabled": true,
///     "mobilePhone": "+1 555 0100"
/// }));
/// assert_eq!(out.unmapped, ["nickName"]);
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn to_graph(kind: ResourceKind, scim: &Value) -> Result<ToGraph, ScimError> {
    to_graph::convert(kind, scim, &GraphOptions::default())
}

/// [`to_graph`] with [`GraphOptions`]: `externalId` written to the
/// property [`GraphOptions::external_id_property`] names, if any.
///
/// Errors as [`to_graph`]; also `400 invalidValue` when `externalId` and
/// another attribute give the carrying property different values.
pub fn to_graph_with(
    kind: ResourceKind,
    scim: &Value,
    options: &GraphOptions,
) -> Result<ToGraph, ScimError> {
    to_graph::convert(kind, scim, options)
}

/// Convert a Microsoft Graph `user` or `group` object to the SCIM resource
/// Entra's SCIM API returns for it.
///
/// Reads every returned row of the table (Graph property names match
/// ignoring case, `null` and empty collections count as absent, OData
/// annotations are ignored). Attributes never returned (`password`,
/// `groups`, `members`, `owners`) are not produced. Errors
/// (`400 invalidValue`): the input is not an object, or a mapped property
/// has the wrong JSON type.
///
/// ```
/// use scimkit_entra::{convert::from_graph, ResourceKind};
/// use serde_json::json;
///
/// let scim = from_graph(ResourceKind::Group, &json!({
///     "id": "c9326764", "displayName": "Sales", "groupTypes": [],
///     "mailEnabled": false, "securityEnabled": true, "createdDateTime": "2023-05-19T11:24:25+02:00"
/// }))?;
/// assert_eq!(scim, json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
///                 "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group"],
///     "id": "c9326764",
///     "displayName": "Sales",
///     "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group": {
///         "mailEnabled": false, "securityEnabled": true
///     },
///     "meta": {"created": "2023-05-19T11:24:25+02:00", "location": "/groups/c9326764",
///              "resourceType": "group"}
/// }));
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn from_graph(kind: ResourceKind, graph: &Value) -> Result<Value, ScimError> {
    from_graph::convert(kind, graph)
}

/// [`from_graph`] with [`GraphOptions`]: a user's `externalId` read back
/// from the property [`GraphOptions::external_id_property`] names, when
/// that property holds a string.
///
/// ```
/// use scimkit_entra::{convert::from_graph_with, graph::GraphOptions, ResourceKind};
/// use serde_json::json;
///
/// let options = GraphOptions::default().external_id_property("employeeId")?;
/// let scim = from_graph_with(ResourceKind::User,
///     &json!({"id": "u1", "employeeId": "a-17"}), &options)?;
/// assert_eq!(scim["externalId"], "a-17");
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn from_graph_with(
    kind: ResourceKind,
    graph: &Value,
    options: &GraphOptions,
) -> Result<Value, ScimError> {
    let mut scim = from_graph::convert(kind, graph)?;
    if let (ResourceKind::User, Some(carrier)) = (kind, options.external_id()) {
        let carried = carrier
            .split('.')
            .try_fold(graph, |v, key| {
                v.as_object()
                    .and_then(|o| scimkit_schema::json::get_ci(o, key))
            })
            .and_then(Value::as_str);
        if let (Some(id), Some(object)) = (carried, scim.as_object_mut()) {
            object.insert("externalId".to_owned(), Value::String(id.to_owned()));
        }
    }
    Ok(scim)
}

fn invalid_value(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidValue, detail)
}

/// The JSON type of a value, for error messages.
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
