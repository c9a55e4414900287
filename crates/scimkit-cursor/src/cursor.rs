//! [`Cursor`]: a syntactically valid RFC 9865 cursor value.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{CursorError, CursorErrorKind};
use crate::query::is_unreserved;

/// A non-empty string of RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`), at most [`Cursor::MAX_LEN`] long: what
/// RFC 9865 allows in `cursor`, `nextCursor` and `previousCursor`.
///
/// Validation says nothing about authenticity: that is
/// [`CursorCodec::decode`](crate::CursorCodec::decode)'s job. An empty
/// `cursor=` parameter is not a `Cursor`: it asks for the first page.
///
/// ```
/// use scimkit_cursor::Cursor;
///
/// let c: Cursor = "VZUTiyhEQJ94IR".parse()?;
/// assert_eq!(c.as_str(), "VZUTiyhEQJ94IR");
/// assert!("has space".parse::<Cursor>().is_err());
/// assert!("a+b/c=".parse::<Cursor>().is_err());
/// assert!("".parse::<Cursor>().is_err());
/// # Ok::<(), scimkit_cursor::CursorError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor(String);

impl Cursor {
    /// The longest cursor this type accepts (a hard ceiling; servers
    /// usually configure a much lower one).
    pub const MAX_LEN: usize = 4096;

    /// Validate `s` (kind [`InvalidCursorText`](CursorErrorKind::InvalidCursorText)
    /// if it is empty, too long, or has other characters).
    pub fn new(s: impl Into<String>) -> Result<Self, CursorError> {
        let s = s.into();
        if Self::is_valid(&s) {
            Ok(Self(s))
        } else {
            Err(CursorError::new(CursorErrorKind::InvalidCursorText))
        }
    }

    /// True if `s` would make a valid `Cursor`.
    pub fn is_valid(s: &str) -> bool {
        !s.is_empty() && s.len() <= Self::MAX_LEN && s.bytes().all(is_unreserved)
    }

    /// Wrap text the codec produced (always unreserved).
    pub(crate) fn from_trusted(s: String) -> Self {
        debug_assert!(Self::is_valid(&s));
        Self(s)
    }

    /// The cursor text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The cursor text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Length in characters (bytes: the text is ASCII).
    #[allow(clippy::len_without_is_empty)] // never empty by construction
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cursor({:?})", self.0)
    }
}

impl FromStr for Cursor {
    type Err = CursorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for Cursor {
    type Error = CursorError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl TryFrom<&str> for Cursor {
    type Error = CursorError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl From<Cursor> for String {
    fn from(c: Cursor) -> Self {
        c.0
    }
}

impl AsRef<str> for Cursor {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Cursor {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Cursor {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Cursor {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Cursor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::new(s)
            .map_err(|_| de::Error::custom("a cursor is 1 to 4096 RFC 3986 unreserved characters"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        assert!(Cursor::new("AZaz09-._~").is_ok());
        assert!(Cursor::new("x".repeat(Cursor::MAX_LEN)).is_ok());
        assert!(Cursor::new("x".repeat(Cursor::MAX_LEN + 1)).is_err());
        for bad in ["", " ", "a%20", "é", "a\0", "a&b", "a=b", "a+b", "a/b"] {
            assert!(Cursor::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde() {
        let c = Cursor::new("abc").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"abc\"");
        assert_eq!(serde_json::from_str::<Cursor>("\"abc\"").unwrap(), c);
        assert!(serde_json::from_str::<Cursor>("\"a b\"").is_err());
    }
}
