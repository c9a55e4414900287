#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
//!
//! # A server's list endpoint, end to end
//!
//! With this crate alone (a store sorted by `(userName, id)`). A server
//! that also filters, sorts by any attribute and projects uses
//! scimkit-query, which adds the list-query parsing and the keyset order
//! of scimkit-filter on top of this crate (see its `CompiledListQuery`).
//!
//! ```
//! use scimkit_cursor::{CursorCodec, CursorKey, KeyRing, ListResponse, PageRequest,
//!                      PaginationConfig, Paging, Position, QueryFingerprint, SortValue};
//! use scimkit_schema::ScimError;
//!
//! let config = PaginationConfig::entra();
//! let codec = CursorCodec::new(KeyRing::single(CursorKey::new(b"a 32-byte secret from your vault")?))
//!     .with_config(&config);
//! let users: Vec<(String, String)> = (0..25)
//!     .map(|i| (format!("user{i:02}"), format!("id-{i}")))
//!     .collect(); // (userName, id), sorted
//!
//! // One GET /Users?sortBy=userName&count=10&cursor=... turned into one page.
//! let serve = |query: &str| -> Result<ListResponse<String>, ScimError> {
//!     let request = PageRequest::from_query(query, &config)?;
//!     let fingerprint = QueryFingerprint::builder().resource_type("User").query(query).build();
//!     let after = match request.paging() {
//!         Paging::Cursor(None) => None,
//!         Paging::Cursor(Some(c)) => {
//!             let decoded = codec.decode(c.as_str(), &fingerprint, request.count())?;
//!             let k = decoded.position().as_keyset().ok_or(ScimError::invalid_cursor("not a keyset"))?;
//!             match k.sort_values.as_slice() {
//!                 [SortValue::String(name)] => Some((name.clone(), k.id.clone())),
//!                 _ => return Err(ScimError::invalid_cursor("not a userName position")),
//!             }
//!         }
//!         Paging::Index(_) => unreachable!("Entra's configuration has no index paging"),
//!     };
//!     // WHERE (userName, id) > (last userName, last id) ORDER BY userName, id LIMIT count + 1:
//!     // here a binary search on the sorted list; never a scan for the id.
//!     let start = after.map_or(0, |(name, id): (String, String)| {
//!         users.partition_point(|u| (u.0.as_str(), u.1.as_str()) <= (name.as_str(), id.as_str()))
//!     });
//!     let count = request.count() as usize;
//!     let page: Vec<_> = users.iter().skip(start).take(count).collect();
//!     let mut response = ListResponse::new(page.iter().map(|u| u.0.clone()).collect())
//!         .with_total_results(users.len() as u64);
//!     if start + count < users.len() {
//!         let last = page[page.len() - 1];
//!         let position = Position::after(vec![SortValue::from(last.0.as_str())], last.1.as_str());
//!         response = response.with_next_cursor(codec.encode(&position, &fingerprint, request.count())?);
//!     }
//!     Ok(response)
//! };
//!
//! // A client walks every page.
//! let all: Vec<String> = scimkit_cursor::walk(|cursor: Option<&str>| {
//!     let query = match cursor {
//!         None => "sortBy=userName&count=10&cursor".to_owned(),
//!         Some(c) => format!("sortBy=userName&count=10&cursor={}",
//!                            scimkit_cursor::encode_query_component(c)),
//!     };
//!     serve(&query)
//! })
//! .collect::<Result<_, _>>()?;
//! assert_eq!(all.len(), 25);
//!
//! // A tampered cursor is invalidCursor; a changed count is invalidCount.
//! let first = serve("sortBy=userName&count=10")?;
//! let token = first.next_cursor.unwrap();
//! let mut forged = token.clone().into_bytes();
//! forged[30] ^= 1;
//! let forged = String::from_utf8(forged).unwrap();
//! let err = serve(&format!("sortBy=userName&count=10&cursor={forged}")).unwrap_err();
//! assert_eq!(err.scim_type().unwrap().as_str(), "invalidCursor");
//! let err = serve(&format!("sortBy=userName&count=5&cursor={token}")).unwrap_err();
//! assert_eq!(err.scim_type().unwrap().as_str(), "invalidCount");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Concepts
//!
//! - [`Position`]: where a page starts: a keyset ([`Keyset`]: typed
//!   [`SortValue`]s plus the `id`, and a [`Direction`]) or opaque bytes.
//! - [`QueryFingerprint`]: what a cursor is bound to (filter, sortBy,
//!   sortOrder, attributes, excludedAttributes, resource type, extras).
//! - [`CursorCodec`]: position → [`Cursor`] token and back, under a
//!   [`KeyRing`] of [`CursorKey`]s, a time-to-live and a [`Clock`].
//! - [`PageRequest`] / [`Paging`]: `cursor`, `count`, `startIndex` from a
//!   query string, pairs or a `/.search` body, under a [`PaginationConfig`].
//! - [`ListResponse`]: the page, `Resources` or `resources`.
//! - [`walk`] / [`walk_pages`] / [`WalkState`]: a client following
//!   `nextCursor` safely.
//! - [`CursorError`]: every failure, converting into
//!   [`ScimError`](scimkit_schema::ScimError).
//!
//! # Crate features
//!
//! - `sealed` (off by default): `CursorCodec::with_sealing` encrypts
//!   token payloads with XChaCha20-Poly1305 (random 192-bit nonces from the
//!   operating system) so clients cannot read positions. Decoding accepts
//!   signed and sealed tokens alike. Sealed tokens are 40 bytes (about
//!   53 characters) longer.

mod clock;
mod codec;
mod config;
mod cursor;
mod error;
mod fingerprint;
mod key;
mod list;
mod position;
mod query;
mod request;
mod walk;

pub use clock::{Clock, ManualClock, SystemClock};
pub use codec::{CursorCodec, DecodedCursor};
pub use config::{OverMaxCount, PaginationConfig, PaginationMethod, FALLBACK_PAGE_SIZE};
pub use cursor::Cursor;
pub use error::{CursorError, CursorErrorKind};
pub use fingerprint::{QueryFingerprint, QueryFingerprintBuilder};
pub use key::{CursorKey, KeyRing};
pub use list::{ListResponse, ResourcesSpelling, Spelled, LIST_RESPONSE_URN};
pub use position::{Direction, Keyset, Position, SortValue, Timestamp, MAX_SORT_VALUES};
pub use query::{decode_query_component, encode_query_component};
pub use request::{PageRequest, Paging};
pub use walk::{walk, walk_pages, Items, Pages, WalkError, WalkState};
