#![doc = include_str!("../README.md")]
//!
//! # Modules, by what you do
//!
//! - [`mapping`]: the mapping table ([`mappings`](mapping::mappings),
//!   [`lookup`](mapping::lookup)): one [`Mapping`](mapping::Mapping) per
//!   SCIM attribute Entra's SCIM API maps onto a Microsoft Graph property,
//!   with its [`Conversion`](mapping::Conversion), mutability,
//!   [`Direction`](mapping::Direction), [`Access`](mapping::Access)
//!   permissions, and the fact sheet's source and note.
//! - [`convert`]: SCIM resources to Graph request bodies and back
//!   ([`to_graph`](convert::to_graph), [`from_graph`](convert::from_graph)).
//! - [`graph`]: a SCIM PATCH to the Graph calls that make the same change
//!   ([`patch_to_graph`](graph::patch_to_graph) →
//!   [`GraphPatch`](graph::GraphPatch)), `$batch` bodies
//!   ([`to_batches`](graph::to_batches)), and
//!   [`GraphOptions`](graph::GraphOptions) /
//!   [`NotWritable`](graph::NotWritable) for what public Graph cannot write.
//! - [`odata`]: SCIM filters to Graph `$filter`
//!   ([`to_odata`](odata::to_odata)), as Graph's capability table allows
//!   ([`capabilities`](odata::capabilities)).
//! - [`permissions`]: the least-privileged Graph application permissions
//!   and admin roles a request needs
//!   ([`required_permissions`](permissions::required_permissions)).
//! - [`api`]: checks before a billed call to Entra's SCIM API
//!   ([`check_filter`](api::check_filter), [`check_query`](api::check_query),
//!   [`plan_group_patch`](api::plan_group_patch),
//!   [`page_size`](api::page_size)).
//! - [`discovery`]: Entra's ServiceProviderConfig, `/schemas` and
//!   `/resourcetypes`, and its schemas for scimkit-filter and scimkit-patch.
//! - [`client`]: Entra's default mapping as a SCIM *client* (app
//!   provisioning).
//! - At the root: [`ResourceKind`] and the schema URNs.
//!
//! Every function that takes input returns a `Result` (a
//! [`ScimError`](scimkit_schema::ScimError), or an error type that converts
//! into one) and never panics on it.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod api_rules;
pub mod client;
pub mod convert;
pub mod discovery;
pub mod graph;
mod ids;
mod least_privilege;
mod membership;
pub mod odata;
mod options;
mod patch_targets;
mod permission;
mod resource;
mod table;

pub use resource::{
    ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN,
    ENTRA_USER_URN, GROUP_URN, USER_URN,
};

pub mod mapping {
    //! The mapping table: one row per SCIM attribute Entra's SCIM API maps
    //! onto a Microsoft Graph `user` or `group` property, as data
    //! ([`mappings`], [`mappings_for`], [`lookup`]), checked row by row
    //! against the crate's `data/mapping.tsv`.
    pub use crate::table::{
        lookup, mappings, mappings_for, Access, Conversion, Direction, GraphProperty, GraphType,
        Mapping, Multi, ScimPath, ValueFilter,
    };
}

pub mod permissions {
    //! The least-privileged Microsoft Graph application permissions (and
    //! the Entra admin roles Graph also wants) a request to Entra's SCIM
    //! API, or a Graph call, needs: [`required_permissions`],
    //! [`discovery_permissions`]. The rules and their sources are on
    //! [`required_permissions`].
    pub use crate::least_privilege::{
        discovery_permissions, required_permissions, AdminRole, RequiredPermissions, RoleCondition,
        Touched,
    };
    pub use crate::permission::Permission;
}

pub mod api {
    //! What Entra's SCIM API accepts, checked before a (billed) call: the
    //! filter subset ([`check_filter`]), query strings ([`check_query`]),
    //! group PATCH splitting ([`plan_group_patch`]) and page sizes
    //! ([`page_size`]). A refusal is an [`Unsupported`] naming the clause.
    pub use crate::api_rules::{
        check_filter, check_query, page_size, plan_group_patch, projects_manager, PlanKind,
        PlannedPatch, Unsupported, DEFAULT_PAGE_SIZE, FILTER_MAX_RESULTS, MANAGER_PAGE_SIZE,
        MAX_GROUP_PAGE_SIZE, MAX_MEMBERS_PER_ADD, MAX_USER_PAGE_SIZE,
    };
}
