//! [`Position`]: where a cursor resumes.
//!
//! The model lives here; [`binary`] is its token payload format and
//! [`json`] its JSON form. The typed sort values ([`SortValue`],
//! [`Timestamp`]) come from scimkit-schema, so scimkit-filter's keyset
//! order produces exactly what a position stores.
//!
//! A keyset position is the last item's sort values plus its `id`, so a
//! store resumes with `WHERE (sortKey, id) > (:v, :id)` and needs no
//! server-side session. Servers with other schemes store opaque bytes.
//!
//! # Binary form (the token payload, in [`binary`])
//!
//! ```text
//! payload  = kind body
//! kind     = 0x01 keyset, direction next | 0x02 keyset, direction previous | 0x03 opaque
//! keyset   = n:u8 (<= 32) value{n} id
//! opaque   = the remaining bytes
//! value    = 0x00                     null
//!          | 0x01 | 0x02              false | true
//!          | 0x03 zigzag-varint       integer (i64)
//!          | 0x04 8 bytes BE          decimal (f64 bits, finite)
//!          | 0x05 varint-len utf8     string
//!          | 0x06 zigzag-varint varint  dateTime (Unix seconds, nanoseconds)
//! id       = 0x05 varint-len utf8     any string
//!          | 0x07 16 bytes            canonical lowercase UUID text
//!          | 0x08 16 bytes            canonical uppercase UUID text
//! varint   = unsigned LEB128, at most 10 bytes, minimal (no trailing 0x00 groups)
//! ```
//!
//! Decoding is strict: every byte must be consumed, varints must be
//! minimal, strings valid UTF-8, decimals finite, timestamps in range. So a
//! payload has exactly one encoding and `decode(encode(p)) == p`.

use serde::{Deserialize, Serialize};

pub use scimkit_schema::{SortValue, Timestamp};

mod binary;
mod json;

pub(crate) use binary::Reader;

/// The most sort values one keyset position may carry.
pub const MAX_SORT_VALUES: usize = 32;

/// Where the next (or previous) page starts.
///
/// ```
/// use scimkit_cursor::{Position, SortValue};
///
/// // The last user on this page, sorted by userName (ties broken by id).
/// let p = Position::after(vec![SortValue::from("bjensen@example.com")],
///                         "2819c223-7f76-453a-919d-413861904646");
/// let json = serde_json::to_string(&p).unwrap();
/// assert_eq!(json, r#"{"sortValues":["bjensen@example.com"],"id":"2819c223-7f76-453a-919d-413861904646"}"#);
/// assert_eq!(serde_json::from_str::<Position>(&json).unwrap(), p);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Position {
    /// Keyset paging: the boundary item's sort values and id.
    Keyset(Keyset),
    /// Any other scheme: bytes only the server understands (an upstream
    /// API's page token, an offset, a snapshot id...).
    Opaque(Vec<u8>),
}

/// The boundary item of a keyset page (made by [`Position::after`],
/// [`Position::before`] or [`Position::keyset`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Keyset {
    /// The item's values for each `sortBy` key, in sort-key order (empty
    /// when results are ordered by `id` alone).
    pub sort_values: Vec<SortValue>,
    /// The item's `id`: the tie-breaker that makes the order total.
    pub id: String,
    /// Which way the cursor pages from the boundary item.
    pub direction: Direction,
}

/// Which way a keyset cursor pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// A `nextCursor`: the page of items strictly after the boundary item.
    #[default]
    Next,
    /// A `previousCursor`: the page of items strictly before the boundary
    /// item.
    Previous,
}

impl Position {
    /// A `nextCursor` position: the page after the item with these sort
    /// values and id.
    pub fn after(sort_values: Vec<SortValue>, id: impl Into<String>) -> Self {
        Self::Keyset(Keyset {
            sort_values,
            id: id.into(),
            direction: Direction::Next,
        })
    }

    /// A `previousCursor` position: the page before the item with these
    /// sort values and id.
    pub fn before(sort_values: Vec<SortValue>, id: impl Into<String>) -> Self {
        Self::Keyset(Keyset {
            sort_values,
            id: id.into(),
            direction: Direction::Previous,
        })
    }

    /// A keyset position paging in `direction` from the item with these
    /// sort values and id.
    pub fn keyset(
        sort_values: Vec<SortValue>,
        id: impl Into<String>,
        direction: Direction,
    ) -> Self {
        Self::Keyset(Keyset {
            sort_values,
            id: id.into(),
            direction,
        })
    }

    /// An opaque position: bytes only the server understands.
    pub fn opaque(bytes: impl Into<Vec<u8>>) -> Self {
        Self::Opaque(bytes.into())
    }

    /// The keyset position, if this is one.
    pub fn as_keyset(&self) -> Option<&Keyset> {
        match self {
            Self::Keyset(k) => Some(k),
            Self::Opaque(_) => None,
        }
    }

    /// The opaque bytes, if this is an opaque position.
    pub fn as_opaque(&self) -> Option<&[u8]> {
        match self {
            Self::Opaque(b) => Some(b),
            Self::Keyset(_) => None,
        }
    }
}
