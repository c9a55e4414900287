//! Entra's discovery documents: `/serviceproviderconfig`, `/schemas` and
//! `/resourcetypes`, as JSON files under the crate's `data/`, loaded
//! through scimkit-schema so that filters compile and PATCH requests apply
//! against Entra's schema.
//!
//! - The ServiceProviderConfig is the one Microsoft documents, byte for
//!   byte: it lacks `changePassword`, `sort`, `etag` and
//!   `authenticationSchemes`, which RFC 7643 requires, has a relative
//!   `documentationUri`, and adds RFC 9865's `pagination`.
//! - The `/schemas` and `/resourcetypes` documents are reconstructed from
//!   the mapping table and the schema documentation; no captured response
//!   was available. Characteristics follow the facts (`readOnly`, `returned:
//!   never` for filter-only attributes, `writeOnly` password, `required` for
//!   what POST requires); what the facts leave open takes the RFC 7643
//!   default. Where the docs and the wire disagree, attributes carry the
//!   wire spelling (`onPremisesSamAccountName`, nested `passwordProfile`),
//!   and the schema doc's flat `passwordForceChangeOnNextSignIn[WithMFA]`
//!   are listed too, so PATCH requests in either form apply. `members` is
//!   `readWrite` (the API reference adds and removes members by PATCH) and
//!   `returned: never`. List responses use Entra's lowercase `resources`.
//! - Custom Security Attributes are defined per tenant and need
//!   `CustomSecAttributeDefinition.Read.All`; load them from the tenant's
//!   `/schemas/urn:...:CustomSecurityAttributes` when needed.

use std::sync::OnceLock;

use scimkit_schema::{ResourceSchema, ResourceType, Schema};
use serde_json::Value;

use crate::ResourceKind;

/// `GET /serviceproviderconfig`, exactly as Microsoft documents it.
pub const SERVICE_PROVIDER_CONFIG_JSON: &str = include_str!("../data/service_provider_config.json");
/// `GET /schemas`: core User and Group, Enterprise User, and the two
/// Microsoft Entra extensions, as a ListResponse.
pub const SCHEMAS_JSON: &str = include_str!("../data/schemas.json");
/// `GET /resourcetypes`: User and Group, as a ListResponse.
pub const RESOURCE_TYPES_JSON: &str = include_str!("../data/resource_types.json");

// The documents are constants of this crate, parsed on first use and checked
// by the tests in `tests/discovery.rs`; a failure to parse them is a build
// defect, never a consequence of input (as in scimkit-schema's built-ins).

/// The ServiceProviderConfig as JSON.
///
/// ```
/// let spc = scimkit_entra::discovery::service_provider_config();
/// assert_eq!(spc["pagination"]["defaultPaginationMethod"], "cursor");
/// assert_eq!(spc["filter"]["maxResults"], 200);
/// assert_eq!(spc["bulk"]["supported"], false);
/// ```
pub fn service_provider_config() -> &'static Value {
    // The `expect`s in this module are on documents embedded in the crate,
    // checked by its tests (tests/discovery.rs): a failure is a build
    // defect, never input.
    static S: OnceLock<Value> = OnceLock::new();
    S.get_or_init(|| {
        serde_json::from_str(SERVICE_PROVIDER_CONFIG_JSON)
            .expect("embedded ServiceProviderConfig is valid JSON")
    })
}

/// The five schemas of `/schemas`, core User first.
pub fn schemas() -> &'static [Schema] {
    static S: OnceLock<Vec<Schema>> = OnceLock::new();
    S.get_or_init(|| Schema::list_from_json(SCHEMAS_JSON).expect("embedded /schemas is valid"))
}

/// The resource types of `/resourcetypes`: User, then Group.
pub fn resource_types() -> &'static [ResourceType] {
    static S: OnceLock<Vec<ResourceType>> = OnceLock::new();
    S.get_or_init(|| {
        ResourceType::list_from_json(RESOURCE_TYPES_JSON).expect("embedded /resourcetypes is valid")
    })
}

/// Entra's User resource type: core User, Enterprise User and the
/// Microsoft Entra user extension (both optional).
///
/// ```
/// use scimkit_filter::Filter;
///
/// let filter = Filter::parse(
///     r#"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname ew "-admin""#,
/// )?;
/// let compiled = filter.compile(scimkit_entra::discovery::user_schema())?;
/// assert!(compiled.matches(&serde_json::json!({
///     "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User": {"mailNickname": "kim-ADMIN"}
/// })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn user_schema() -> &'static ResourceSchema {
    static S: OnceLock<ResourceSchema> = OnceLock::new();
    S.get_or_init(|| resource("User"))
}

/// Entra's Group resource type: core Group and the (required) Microsoft
/// Entra group extension.
pub fn group_schema() -> &'static ResourceSchema {
    static S: OnceLock<ResourceSchema> = OnceLock::new();
    S.get_or_init(|| resource("Group"))
}

/// [`user_schema`] or [`group_schema`].
pub fn resource_schema(kind: ResourceKind) -> &'static ResourceSchema {
    match kind {
        ResourceKind::User => user_schema(),
        ResourceKind::Group => group_schema(),
    }
}

fn resource(name: &str) -> ResourceSchema {
    let rt = resource_types()
        .iter()
        .find(|rt| rt.name == name)
        .expect("embedded resource type exists")
        .clone();
    ResourceSchema::new(rt, schemas()).expect("embedded resource types resolve")
}
