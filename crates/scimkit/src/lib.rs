#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
//!
//! # Crate features
//!
//! - `schema` (default): re-exports [`scimkit-schema`](https://docs.rs/scimkit-schema)
//!   as `scimkit::schema`.
//! - `filter` (default): re-exports [`scimkit-filter`](https://docs.rs/scimkit-filter)
//!   as `scimkit::filter`; implies `schema`.
//! - `patch` (default): re-exports [`scimkit-patch`](https://docs.rs/scimkit-patch)
//!   as `scimkit::patch`; implies `filter`.
//! - `cursor` (default): re-exports [`scimkit-cursor`](https://docs.rs/scimkit-cursor)
//!   as `scimkit::cursor`; implies `schema`. Its own `sealed` feature (AEAD
//!   sealing of cursor payloads) is off; enable it on `scimkit-cursor`
//!   directly (`scimkit-cursor = { version = "0.1", features = ["sealed"] }`)
//!   and cargo unifies the two.
//! - `query` (default): re-exports [`scimkit-query`](https://docs.rs/scimkit-query)
//!   as `scimkit::query`: list queries parsed once, keyset paging; implies
//!   `filter` and `cursor`. `examples/server_handlers.rs` is a list
//!   endpoint and a PATCH handler written with it.
//! - `entra` (not default): re-exports [`scimkit-entra`](https://docs.rs/scimkit-entra)
//!   as `scimkit::entra`; implies `filter` and `patch`. Off by default
//!   because it carries Microsoft Entra-specific data (the SCIM <-> Graph
//!   mapping table, Entra's discovery documents, its client mapping) that
//!   servers not bridging to Entra or Graph do not need.

#[cfg(feature = "cursor")]
pub use scimkit_cursor as cursor;
#[cfg(feature = "entra")]
pub use scimkit_entra as entra;
#[cfg(feature = "filter")]
pub use scimkit_filter as filter;
#[cfg(feature = "patch")]
pub use scimkit_patch as patch;
#[cfg(feature = "query")]
pub use scimkit_query as query;
#[cfg(feature = "schema")]
pub use scimkit_schema as schema;

/// The root README's library example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct RootReadme;
