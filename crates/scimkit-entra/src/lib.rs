#![doc = include_str!("../README.md")]
//!
//! # Concepts
//!
//! - [`ResourceKind`]: `User` or `Group`, with Entra's paths (`/users/{id}`)
//!   and lowercase `meta.resourceType`.
//! - [`Mapping`]: one row of the table ([`mappings`], [`mappings_for`],
//!   [`lookup`]): a [`ScimPath`] under a schema URN, a [`GraphProperty`], a
//!   [`Conversion`], [`Multi`], mutability and [`Direction`], the
//!   [`Access`] permissions, and the inferred flag, source and note of the
//!   fact sheet.
//! - [`Permission`]: the Microsoft Graph application permissions the API
//!   uses (there are no SCIM-specific ones).
//! - [`to_graph`] / [`ToGraph`] and [`from_graph`]: the conversions.
//! - [`service_provider_config`], [`schemas`], [`resource_types`],
//!   [`user_schema`], [`group_schema`]: the discovery documents, also as raw
//!   JSON ([`SERVICE_PROVIDER_CONFIG_JSON`], [`SCHEMAS_JSON`],
//!   [`RESOURCE_TYPES_JSON`]).
//! - [`to_odata`] → [`OData`] (`$filter` text, `advanced` flag) or an
//!   [`ODataError`] ([`ODataErrorKind::NotExpressible`] /
//!   [`ODataErrorKind::InvalidLiteral`]) naming the clause and its span,
//!   as Graph's own capability table allows ([`capabilities`],
//!   [`capability`]: a [`Capability`] per property and [`GraphFilterOp`],
//!   [`Support`] default or advanced).
//! - [`patch_to_graph`] / [`patch_to_graph_with`] → [`GraphPatch`]:
//!   [`GraphRequest`]s ([`Method`], relative URL, body), the
//!   [`RequiredPermissions`] of each, and what no Graph call can carry
//!   ([`NotWritable`]); [`to_batches`]: Graph JSON `$batch` bodies of at
//!   most [`MAX_BATCH_REQUESTS`].
//! - [`GraphOptions`]: a Graph property of your own to carry `externalId`
//!   ([`to_graph_with`], [`from_graph_with`], [`patch_to_graph_with`]).
//! - [`required_permissions`] for a [`Method`], a [`ResourceKind`] and the
//!   attributes [`Touched`] → [`RequiredPermissions`] (least, broader,
//!   [`AdminRole`]s, notes); [`discovery_permissions`].
//! - Checks before a billed call: [`check_filter`] and [`check_query`]
//!   (an [`Unsupported`] names the clause), [`plan_group_patch`] →
//!   [`PlannedPatch`]es ([`PlanKind`]), [`page_size`] and
//!   [`projects_manager`] with the page-size constants.
//! - [`client_mappings`] / [`ClientMapping`]: Entra's default mapping as a
//!   SCIM *client* (app provisioning).
//!
//! Every function that takes input returns a `Result` (a
//! [`ScimError`](scimkit_schema::ScimError), or an error type that converts
//! into one) and never panics on it.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod api_rules;
mod client;
mod convert;
mod discovery;
mod graph;
mod ids;
mod least_privilege;
mod membership;
mod odata;
mod options;
mod patch_targets;
mod permission;
mod resource;
mod table;

pub use api_rules::{
    check_filter, check_query, page_size, plan_group_patch, projects_manager, PlanKind,
    PlannedPatch, Unsupported, DEFAULT_PAGE_SIZE, FILTER_MAX_RESULTS, MANAGER_PAGE_SIZE,
    MAX_GROUP_PAGE_SIZE, MAX_MEMBERS_PER_ADD, MAX_USER_PAGE_SIZE,
};
pub use client::{client_mappings, ClientMapping};
pub use convert::{from_graph, from_graph_with, to_graph, to_graph_with, ToGraph, GRAPH_V1};
pub use discovery::{
    group_schema, resource_schema, resource_types, schemas, service_provider_config, user_schema,
    RESOURCE_TYPES_JSON, SCHEMAS_JSON, SERVICE_PROVIDER_CONFIG_JSON,
};
pub use graph::{
    patch_to_graph, patch_to_graph_with, to_batches, GraphPatch, GraphRequest, Method,
    MAX_BATCH_REQUESTS,
};
pub use least_privilege::{
    discovery_permissions, required_permissions, AdminRole, RequiredPermissions, RoleCondition,
    Touched,
};
pub use odata::{
    capabilities, capability, to_odata, Capability, GraphFilterOp, OData, ODataError,
    ODataErrorKind, Support,
};
pub use options::{GraphOptions, NotWritable};
pub use permission::Permission;
pub use resource::{
    ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN,
    ENTRA_USER_URN, GROUP_URN, USER_URN,
};
pub use table::{
    lookup, mappings, mappings_for, Access, Conversion, Direction, GraphProperty, GraphType,
    Mapping, Multi, ScimPath, ValueFilter,
};
