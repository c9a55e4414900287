#![doc = include_str!("../README.md")]
//!
//! # Crate features
//!
//! - `schema` (default): re-exports [`scimkit-schema`](https://docs.rs/scimkit-schema)
//!   as `scimkit::schema`.
//! - `filter` (default): re-exports [`scimkit-filter`](https://docs.rs/scimkit-filter)
//!   as `scimkit::filter`; implies `schema`.

#[cfg(feature = "filter")]
pub use scimkit_filter as filter;
#[cfg(feature = "schema")]
pub use scimkit_schema as schema;
