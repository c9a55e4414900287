#![doc = include_str!("../README.md")]
//!
//! # Concepts
//!
//! - [`AttrPath`]: a parsed attribute path (`name.familyName`, URN-qualified
//!   forms), compared case-insensitively, printed back as parsed.
//! - [`Schema`], [`Attribute`], [`ResourceType`]: the RFC 7643 model, read
//!   from any server's `/Schemas` and `/ResourceTypes`.
//! - [`ResourceSchema`]: a resource type with its schemas; resolves paths to
//!   attribute definitions ([`ResourceSchema::resolve`]).
//! - [`compare`]: the one place values are compared, by type and caseExact
//!   (its module docs say how: Unicode normalisation, PRECIS for `userName`,
//!   binary padding, exact numbers).
//! - [`Projection`]: `attributes` / `excludedAttributes` under `returned`;
//!   [`Projection::compile`] resolves it once for many resources.
//! - [`ScimError`]: the RFC 7644 §3.12 error every scimkit crate converts to;
//!   [`error::excerpt`] bounds the input an error message quotes.
//! - [`SortValue`], [`Timestamp`]: typed sort-key values (what a keyset
//!   cursor stores) and the `dateTime` instant.
//! - [`builtin`]: the RFC 7643 User, Group and Enterprise User schemas.
//!
//! # Crate features
//!
//! This crate has no optional features.

pub mod builtin;
pub mod compare;
pub mod error;
pub mod json;
mod model;
mod path;
mod projection;
mod resolve;
mod sort_value;

pub use error::{ScimError, ScimType, ERROR_URN};
pub use model::{
    Attribute, AttributeType, LoadError, Mutability, ResourceType, Returned, Schema,
    SchemaExtension, Uniqueness, UnknownKeyword, RESOURCE_TYPE_URN, SCHEMA_URN,
};
pub use path::{AttrPath, PathError, PathErrorKind};
pub use projection::{CompiledProjection, Projection};
pub use resolve::{
    MissingSchema, ResolveError, ResolveErrorKind, ResolvedAttribute, ResourceSchema, Target,
};
pub use sort_value::{InvalidTimestamp, SortValue, Timestamp};
