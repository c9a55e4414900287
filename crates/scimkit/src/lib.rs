#![doc = include_str!("../README.md")]
//!
//! # Crate features
//!
//! - `schema` (default): re-exports [`scimkit-schema`](https://docs.rs/scimkit-schema)
//!   as `scimkit::schema`.
//! - `filter` (default): re-exports [`scimkit-filter`](https://docs.rs/scimkit-filter)
//!   as `scimkit::filter`; implies `schema`.
//! - `patch` (default): re-exports [`scimkit-patch`](https://docs.rs/scimkit-patch)
//!   as `scimkit::patch`; implies `filter`.

#[cfg(feature = "filter")]
pub use scimkit_filter as filter;
#[cfg(feature = "patch")]
pub use scimkit_patch as patch;
#[cfg(feature = "schema")]
pub use scimkit_schema as schema;
