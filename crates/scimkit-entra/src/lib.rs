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
//!
//! Every function that takes input returns a `Result` with a
//! [`ScimError`](scimkit_schema::ScimError) (`400`, `invalidValue` or
//! `invalidSyntax`) and never panics on it.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod convert;
mod discovery;
mod permission;
mod resource;
mod table;

pub use convert::{from_graph, to_graph, ToGraph, GRAPH_V1};
pub use discovery::{
    group_schema, resource_schema, resource_types, schemas, service_provider_config, user_schema,
    RESOURCE_TYPES_JSON, SCHEMAS_JSON, SERVICE_PROVIDER_CONFIG_JSON,
};
pub use permission::Permission;
pub use resource::{
    ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN,
    ENTRA_USER_URN, GROUP_URN, USER_URN,
};
pub use table::{
    lookup, mappings, mappings_for, Access, Conversion, Direction, GraphProperty, GraphType,
    Mapping, Multi, ScimPath, ValueFilter,
};
