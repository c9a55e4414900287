#![doc = include_str!("../README.md")]
//!
//! # Concepts
//!
//! - [`ListQuery`]: the parameters of one list or search request, parsed
//!   once; its [rules](ListQuery#rules) table says what is accepted and
//!   what each error is.
//! - [`ListQueryOptions`]: limits and dialect rules (RFC by default,
//!   [`ListQueryOptions::entra`] for Microsoft Entra's).
//! - [`CompiledListQuery`]: the query resolved against a schema; its
//!   example is a complete in-memory list endpoint with keyset cursors.
//! - [`Start`] / [`Page`]: where a page starts and which items it holds.
//!
//! # Keyset paging
//!
//! Items are ordered by `sortBy` (if any) and then `id`
//! ([`scimkit_filter::KeysetOrder`]); a cursor stores the boundary item's
//! sort values and id, and the next page is found by binary search (or, in
//! SQL, by the row comparison scimkit-sql derives from the same order).
//! No page is ever found by scanning for an id.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod compiled;
mod options;
mod query;

pub use compiled::{CompiledListQuery, Page, Start};
pub use options::ListQueryOptions;
pub use query::{ListQuery, SEARCH_REQUEST_URN};
