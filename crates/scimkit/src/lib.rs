#![doc = include_str!("../README.md")]
//!
//! # Crate features
//!
//! - `schema` (default): re-exports [`scimkit-schema`](https://docs.rs/scimkit-schema)
//!   as `scimkit::schema`.

#[cfg(feature = "schema")]
pub use scimkit_schema as schema;
