//! A SCIM 2.0 service provider built from the scimkit crates.
//!
//! - [`Service`]: the framework-neutral core. A [`ScimRequest`] in, a
//!   [`ScimResponse`] out; routing, authentication, content negotiation,
//!   list queries (scimkit-query), PATCH (scimkit-patch), cursors
//!   (scimkit-cursor) and every error as the SCIM Error JSON.
//! - [`Dialect`]: how the service speaks. [`Rfc`] is RFC 7643/7644/9865 as
//!   written; [`Entra`] reproduces Microsoft Entra ID's SCIM API
//!   (lowercase `resources`, cursor paging only, no PUT, PATCH answered
//!   `204`, its filter subset and membership limits).
//! - [`Store`]: where resources live. [`SqliteStore`] keeps them in one
//!   SQLite file (or in memory) with scimkit-sql's tables; every filter,
//!   sort and cursor page runs in SQL.
//! - With the default `axum` feature, [`router`] mounts the core as an
//!   axum `Router` and [`serve`] runs it on a listener.
//!
//! ```
//! use std::sync::Arc;
//! use http::{HeaderMap, Method};
//! use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
//! use scimkit_server::{Rfc, ScimRequest, Service, SqliteStore};
//!
//! let store = Arc::new(SqliteStore::open(":memory:")?);
//! let codec = CursorCodec::new(KeyRing::single(CursorKey::new(b"a 32-byte secret from your vault")?));
//! let service = Service::new(store, Arc::new(Rfc::new()), codec);
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("content-type", "application/scim+json".parse()?);
//! let created = service.handle(&ScimRequest {
//!     method: Method::POST,
//!     path: "/scim/v2/Users",
//!     query: None,
//!     headers: &headers,
//!     body: br#"{"userName": "bjensen"}"#,
//! });
//! assert_eq!(created.status, 201);
//!
//! let listed = service.handle(&ScimRequest {
//!     method: Method::GET,
//!     path: "/scim/v2/Users",
//!     query: Some("filter=userName%20eq%20%22BJensen%22"),
//!     headers: &headers,
//!     body: b"",
//! });
//! let page: serde_json::Value = serde_json::from_slice(&listed.body)?;
//! assert_eq!(page["totalResults"], 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! - `axum` (default): [`router`] and [`serve`].
//! - `postgres` (default): [`PostgresStore`], for several instances over
//!   one PostgreSQL database.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod dialect;
mod exchange;
mod handlers;
mod resource;
mod route;
pub mod seed;
mod service;
mod store;

#[cfg(feature = "axum")]
mod front;

pub use dialect::{Base, Dialect, Entra, Rfc};
pub use exchange::{ScimRequest, ScimResponse, SCIM_JSON};
#[cfg(feature = "axum")]
pub use front::{router, serve};
pub use route::BASE_PATHS;
pub use service::{Auth, Limits, Service};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use store::PostgresStore;
pub use store::{Change, ListPlan, ListedRows, SqliteStore, Store, Write};

/// A cursor codec with a fresh random 32-byte signing key, for a service
/// started without configured keys: its cursors die with the process and
/// other instances cannot read them.
///
/// Errors: a `500` when the OS has no randomness to give.
pub fn random_cursor_codec() -> Result<scimkit_cursor::CursorCodec, scimkit_schema::ScimError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| {
        scimkit_schema::ScimError::with_status(
            500,
            format!("no OS randomness for a cursor key: {e}"),
        )
    })?;
    let key = scimkit_cursor::CursorKey::new(&secret)
        .map_err(|e| scimkit_schema::ScimError::with_status(500, format!("cursor key: {e}")))?;
    Ok(scimkit_cursor::CursorCodec::new(
        scimkit_cursor::KeyRing::single(key),
    ))
}
