//! [`PaginationConfig`]: RFC 9865's ServiceProviderConfig `pagination`
//! object, plus the server policies the RFCs leave open.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::cursor::Cursor;

/// Page size used when neither `count` nor `defaultPageSize` gives one
/// (capped by `maxPageSize`): 100, Microsoft Entra's default.
pub const FALLBACK_PAGE_SIZE: u32 = 100;

/// A pagination method (`defaultPaginationMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaginationMethod {
    /// RFC 9865 cursor pagination (`cursor`, `nextCursor`).
    Cursor,
    /// RFC 7644 §3.4.2.4 index pagination (`startIndex`).
    Index,
}

impl PaginationMethod {
    /// `"cursor"` or `"index"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cursor => "cursor",
            Self::Index => "index",
        }
    }
}

impl Serialize for PaginationMethod {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PaginationMethod {
    /// `"cursor"` or `"index"`, in any ASCII case.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        if s.eq_ignore_ascii_case("cursor") {
            Ok(Self::Cursor)
        } else if s.eq_ignore_ascii_case("index") {
            Ok(Self::Index)
        } else {
            Err(de::Error::unknown_variant(&s, &["cursor", "index"]))
        }
    }
}

/// What to do with a `count` above `maxPageSize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OverMaxCount {
    /// Serve `maxPageSize` results (RFC 7644 §3.4.2.4: the server may
    /// return fewer results than asked). Microsoft Entra behaves this way.
    #[default]
    Clamp,
    /// Refuse with `invalidCount` (RFC 9865's error table: "Count value
    /// must be between 1 and maxPageSize").
    Reject,
}

/// RFC 9865's ServiceProviderConfig `pagination` object, plus two
/// server policies that are not part of it ([`over_max_count`](Self::over_max_count)
/// and [`max_cursor_length`](Self::max_cursor_length), skipped by serde).
///
/// Serde reads and writes the RFC's camelCase JSON. On reading, missing
/// `cursor`/`index` (REQUIRED by the RFC) are read as `false`, since some
/// servers leave them out; zero sizes and timeouts are refused (the RFC
/// requires positive integers); unknown members are ignored.
///
/// ```
/// use scimkit_cursor::{PaginationConfig, PaginationMethod};
///
/// // Microsoft Entra's published object.
/// let entra: PaginationConfig = serde_json::from_str(r#"{
///     "cursor": true, "index": false, "defaultPaginationMethod": "cursor",
///     "defaultPageSize": 100, "maxPageSize": 1000}"#).unwrap();
/// assert_eq!(entra, PaginationConfig::entra());
/// assert_eq!(entra.effective_default_method(), PaginationMethod::Cursor);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaginationConfig {
    /// Cursor pagination is supported.
    #[serde(default)]
    pub cursor: bool,
    /// Index pagination is supported.
    #[serde(default)]
    pub index: bool,
    /// The method used when a request names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_pagination_method: Option<PaginationMethod>,
    /// Page size when a request has no `count`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "positive"
    )]
    pub default_page_size: Option<u32>,
    /// The largest page served.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "positive"
    )]
    pub max_page_size: Option<u32>,
    /// Seconds a cursor stays valid between requests.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "positive"
    )]
    pub cursor_timeout: Option<u32>,
    /// Policy (not serialized): a `count` above `maxPageSize` is clamped
    /// (default) or refused.
    #[serde(skip)]
    pub over_max_count: OverMaxCount,
    /// Policy (not serialized): the longest `cursor` parameter accepted, in
    /// characters (default [`Self::DEFAULT_MAX_CURSOR_LENGTH`]; at most
    /// [`Cursor::MAX_LEN`]).
    #[serde(skip, default = "default_max_cursor_length")]
    pub max_cursor_length: usize,
}

fn default_max_cursor_length() -> usize {
    PaginationConfig::DEFAULT_MAX_CURSOR_LENGTH
}

fn positive<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    match Option::<u32>::deserialize(deserializer)? {
        Some(0) => Err(de::Error::custom("must be a positive integer")),
        other => Ok(other),
    }
}

impl Default for PaginationConfig {
    /// Both methods, index by default (RFC 9865, backwards compatibility:
    /// a server adding cursors keeps index as its default so RFC 7644
    /// clients are not surprised), pages of 100 up to 1000, cursors valid
    /// 600 seconds.
    fn default() -> Self {
        Self {
            cursor: true,
            index: true,
            default_pagination_method: Some(PaginationMethod::Index),
            default_page_size: Some(FALLBACK_PAGE_SIZE),
            max_page_size: Some(1000),
            cursor_timeout: Some(600),
            over_max_count: OverMaxCount::Clamp,
            max_cursor_length: Self::DEFAULT_MAX_CURSOR_LENGTH,
        }
    }
}

impl PaginationConfig {
    /// Default [`max_cursor_length`](Self::max_cursor_length): 1024.
    pub const DEFAULT_MAX_CURSOR_LENGTH: usize = 1024;

    /// Cursor pagination only, pages of 100 up to 1000, 600-second cursors.
    pub fn cursor_only() -> Self {
        Self {
            index: false,
            default_pagination_method: Some(PaginationMethod::Cursor),
            ..Self::default()
        }
    }

    /// Index pagination only (a plain RFC 7644 server), pages of 100 up to
    /// 1000.
    pub fn index_only() -> Self {
        Self {
            cursor: false,
            default_pagination_method: Some(PaginationMethod::Index),
            cursor_timeout: None,
            ..Self::default()
        }
    }

    /// Exactly what Microsoft Entra's SCIM API publishes: cursor only,
    /// default cursor, 100 per page, at most 1000, no `cursorTimeout`.
    pub fn entra() -> Self {
        Self {
            cursor: true,
            index: false,
            default_pagination_method: Some(PaginationMethod::Cursor),
            default_page_size: Some(100),
            max_page_size: Some(1000),
            cursor_timeout: None,
            ..Self::default()
        }
    }

    /// Set [`cursor`](Self::cursor): cursor paging supported.
    pub fn with_cursor(mut self, on: bool) -> Self {
        self.cursor = on;
        self
    }

    /// Set [`index`](Self::index): index paging supported.
    pub fn with_index(mut self, on: bool) -> Self {
        self.index = on;
        self
    }

    /// Set [`default_pagination_method`](Self::default_pagination_method).
    pub fn with_default_pagination_method(mut self, method: Option<PaginationMethod>) -> Self {
        self.default_pagination_method = method;
        self
    }

    /// Set [`default_page_size`](Self::default_page_size).
    pub fn with_default_page_size(mut self, size: Option<u32>) -> Self {
        self.default_page_size = size;
        self
    }

    /// Set [`max_page_size`](Self::max_page_size).
    pub fn with_max_page_size(mut self, size: Option<u32>) -> Self {
        self.max_page_size = size;
        self
    }

    /// Set [`cursor_timeout`](Self::cursor_timeout) (seconds).
    pub fn with_cursor_timeout(mut self, secs: Option<u32>) -> Self {
        self.cursor_timeout = secs;
        self
    }

    /// Set [`over_max_count`](Self::over_max_count).
    pub fn with_over_max_count(mut self, policy: OverMaxCount) -> Self {
        self.over_max_count = policy;
        self
    }

    /// Set [`max_cursor_length`](Self::max_cursor_length) (capped at
    /// [`Cursor::MAX_LEN`]).
    pub fn with_max_cursor_length(mut self, chars: usize) -> Self {
        self.max_cursor_length = chars.min(Cursor::MAX_LEN);
        self
    }

    /// The method for a request that names none: `defaultPaginationMethod`
    /// if that method is supported; otherwise index if supported, else
    /// cursor if supported; else index (RFC 7644's only method).
    pub fn effective_default_method(&self) -> PaginationMethod {
        match self.default_pagination_method {
            Some(PaginationMethod::Cursor) if self.cursor => PaginationMethod::Cursor,
            Some(PaginationMethod::Index) if self.index => PaginationMethod::Index,
            _ if self.index => PaginationMethod::Index,
            _ if self.cursor => PaginationMethod::Cursor,
            _ => PaginationMethod::Index,
        }
    }

    /// The page size for a request without `count`: `defaultPageSize`, else
    /// [`FALLBACK_PAGE_SIZE`], never above `maxPageSize`.
    pub fn effective_default_page_size(&self) -> u32 {
        self.default_page_size
            .unwrap_or(FALLBACK_PAGE_SIZE)
            .min(self.effective_max_page_size())
    }

    /// `maxPageSize`, or `u32::MAX` when there is none.
    pub fn effective_max_page_size(&self) -> u32 {
        self.max_page_size.unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn camel_case_roundtrip() {
        let c = PaginationConfig::default();
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(
            v,
            json!({"cursor": true, "index": true, "defaultPaginationMethod": "index",
                   "defaultPageSize": 100, "maxPageSize": 1000, "cursorTimeout": 600})
        );
        assert_eq!(serde_json::from_value::<PaginationConfig>(v).unwrap(), c);
        let e = PaginationConfig::entra();
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v.get("cursorTimeout"), None);
        assert_eq!(serde_json::from_value::<PaginationConfig>(v).unwrap(), e);
    }

    #[test]
    fn lenient_and_strict_reading() {
        let c: PaginationConfig = serde_json::from_value(json!({"extra": 1})).unwrap();
        assert!(!c.cursor && !c.index);
        assert_eq!(
            c.max_cursor_length,
            PaginationConfig::DEFAULT_MAX_CURSOR_LENGTH
        );
        let c: PaginationConfig =
            serde_json::from_value(json!({"cursor": true, "defaultPaginationMethod": "CURSOR"}))
                .unwrap();
        assert_eq!(c.default_pagination_method, Some(PaginationMethod::Cursor));
        for bad in [
            json!({"defaultPageSize": 0}),
            json!({"maxPageSize": -1}),
            json!({"cursorTimeout": 1.5}),
            json!({"maxPageSize": 4294967296u64}),
            json!({"defaultPaginationMethod": "offset"}),
            json!({"cursor": "yes"}),
        ] {
            assert!(
                serde_json::from_value::<PaginationConfig>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn effective_defaults() {
        use PaginationMethod::*;
        let mut c = PaginationConfig::default();
        assert_eq!(c.effective_default_method(), Index);
        c.default_pagination_method = Some(Cursor);
        assert_eq!(c.effective_default_method(), Cursor);
        c.cursor = false;
        assert_eq!(c.effective_default_method(), Index);
        c.index = false;
        assert_eq!(c.effective_default_method(), Index);
        c.cursor = true;
        c.default_pagination_method = None;
        assert_eq!(c.effective_default_method(), Cursor);

        let mut c = PaginationConfig {
            default_page_size: Some(5000),
            ..PaginationConfig::default()
        };
        assert_eq!(c.effective_default_page_size(), 1000);
        c.default_page_size = None;
        c.max_page_size = Some(50);
        assert_eq!(c.effective_default_page_size(), 50);
        c.max_page_size = None;
        assert_eq!(c.effective_default_page_size(), FALLBACK_PAGE_SIZE);
        assert_eq!(c.effective_max_page_size(), u32::MAX);
    }
}
