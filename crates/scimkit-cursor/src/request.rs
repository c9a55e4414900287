//! [`PageRequest`]: `cursor`, `count` and `startIndex` from a query string, pairs or a body.

use std::borrow::Cow;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::config::{OverMaxCount, PaginationConfig, PaginationMethod};
use crate::cursor::Cursor;
use crate::error::{CursorError, CursorErrorKind, COUNT, CURSOR, START_INDEX};
use crate::query;

/// Which page a request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Paging {
    /// Cursor pagination: `None` for the first page, or the cursor to
    /// resume from (syntactically valid; verify it with
    /// [`CursorCodec::decode`](crate::CursorCodec::decode)).
    Cursor(Option<Cursor>),
    /// Index pagination: the 1-based `startIndex` (at least 1).
    Index(u64),
}

/// A parsed page request: the paging method and position, and the page
/// size to serve.
///
/// ```
/// use scimkit_cursor::{PageRequest, PaginationConfig, Paging};
///
/// let config = PaginationConfig::entra();
/// // RFC 9865's own first-page example: a bare `cursor`.
/// let first = PageRequest::from_query("filter=userName%20sw%20J&cursor&count=10", &config)?;
/// assert_eq!(first.paging(), &Paging::Cursor(None));
/// assert_eq!(first.count(), 10);
///
/// // The same request as a POST /.search body.
/// let body = serde_json::json!({"filter": "userName sw J", "cursor": "", "count": 10});
/// assert_eq!(PageRequest::from_search_body(&body, &config)?, first);
///
/// let next = PageRequest::from_query("cursor=VZUTiyhEQJ94IR&count=10", &config)?;
/// assert_eq!(next.cursor().map(|c| c.as_str()), Some("VZUTiyhEQJ94IR"));
/// # Ok::<(), scimkit_cursor::CursorError>(())
/// ```
///
/// # Rules
///
/// | Input | Outcome |
/// |---|---|
/// | no `cursor`, no `startIndex` | the [effective default method](PaginationConfig::effective_default_method); cursor → first page, index → `startIndex` 1 |
/// | `cursor` (bare), `cursor=`, `"cursor": ""` | cursor paging, first page (RFC 9865) |
/// | `cursor=<text>` | cursor paging from `<text>`, which must be RFC 3986 unreserved characters within [`max_cursor_length`](PaginationConfig::max_cursor_length), else `invalidCursor`. `"cursor": null` in a body is the same as no `cursor` |
/// | `cursor` and `startIndex` together | `invalidValue` |
/// | `cursor` when `pagination.cursor` is false, `startIndex` when `pagination.index` is false | `invalidValue` |
/// | no `count` | [`effective_default_page_size`](PaginationConfig::effective_default_page_size) |
/// | `count` above `maxPageSize` (including numbers too big for any integer type) | `maxPageSize`, or `invalidCount` under [`OverMaxCount::Reject`] |
/// | negative `count` | 0 for index paging (RFC 7644 §3.4.2.4); `invalidCount` for cursor paging (RFC 9865) |
/// | `count=0` | 0 (RFC 7644: only `totalResults` is returned) |
/// | `count` not an integer (`ten`, `1.5`, `+5`, ` 5`, empty, bare `count`, a JSON string or float) | `invalidCount` |
/// | `startIndex` below 1 (including negative) | 1 (RFC 7644 §3.4.2.4); above `u64::MAX` saturates |
/// | `startIndex` not an integer | `invalidValue` |
/// | a parameter repeated (`count=1&count=1`, or `count` and `Count`) | the parameter's own error: `invalidCursor`, `invalidCount`, `invalidValue` |
/// | parameter names | matched in any ASCII case, after percent-decoding |
/// | a name with surrounding whitespace (`count =5`, `%20cursor=`) | the parameter's own error (Microsoft Entra also answers 400) |
/// | a malformed percent-escape in our parameter's value | the parameter's own error |
/// | any other parameter | ignored |
///
/// Integers are an optional `-` and ASCII digits (leading zeros allowed);
/// nothing else, not even surrounding spaces.
///
/// A query string is split on `&` (empty segments skipped, one leading `?`
/// dropped), each segment at its first `=` (a segment without `=` is a
/// bare name). Names and values are percent-decoded as
/// `application/x-www-form-urlencoded`: `%XX` is a byte and `+` a space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest {
    paging: Paging,
    count: u32,
}

/// A parsed integer: its sign, and its magnitude saturated to `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Int {
    Negative,
    NonNegative(u64),
}

/// Strict integer syntax: `-?[0-9]+`. `-0` is zero.
fn parse_int(s: &str) -> Option<Int> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    Some(if neg && magnitude != 0 {
        Int::Negative
    } else {
        Int::NonNegative(magnitude)
    })
}

fn json_int(v: &Value) -> Option<Int> {
    let n = v.as_number()?;
    match n.as_u64() {
        Some(u) => Some(Int::NonNegative(u)),
        // Not a u64: a negative integer, or a float (even an integral one,
        // which is not a JSON integer).
        None => n.as_i64().map(|_| Int::Negative),
    }
}

/// The three parameters, before the configuration is applied.
#[derive(Default)]
struct Raw<'a> {
    cursor: Option<Cow<'a, str>>,
    count: Option<Int>,
    start_index: Option<Int>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Name {
    Cursor,
    Count,
    StartIndex,
}

impl Name {
    fn of(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case(CURSOR) {
            Some(Self::Cursor)
        } else if name.eq_ignore_ascii_case(COUNT) {
            Some(Self::Count)
        } else if name.eq_ignore_ascii_case(START_INDEX) {
            Some(Self::StartIndex)
        } else {
            None
        }
    }

    fn param(self) -> &'static str {
        match self {
            Self::Cursor => CURSOR,
            Self::Count => COUNT,
            Self::StartIndex => START_INDEX,
        }
    }

    /// The error for a bad value of this parameter.
    fn bad_value(self) -> CursorError {
        let kind = match self {
            Self::Cursor => CursorErrorKind::InvalidCursorText,
            Self::Count => CursorErrorKind::InvalidCount,
            Self::StartIndex => CursorErrorKind::InvalidStartIndex,
        };
        CursorError::param(kind, self.param())
    }

    fn repeated(self) -> CursorError {
        CursorError::param(CursorErrorKind::RepeatedParameter, self.param())
    }
}

/// Which of our parameters `name` is: `Ok(None)` for someone else's,
/// an error for ours padded with whitespace.
fn classify(name: &str) -> Result<Option<Name>, CursorError> {
    if let Some(n) = Name::of(name) {
        return Ok(Some(n));
    }
    match Name::of(name.trim()) {
        Some(n) => Err(n.bad_value()),
        None => Ok(None),
    }
}

impl<'a> Raw<'a> {
    /// Record one parameter; `value` is `None` for a bare name.
    fn set_text(
        &mut self,
        name: Name,
        value: Option<Cow<'a, str>>,
        max_cursor: usize,
    ) -> Result<(), CursorError> {
        match name {
            Name::Cursor => {
                if self.cursor.is_some() {
                    return Err(name.repeated());
                }
                let text = value.unwrap_or(Cow::Borrowed(""));
                if !text.is_empty() && (text.len() > max_cursor || !Cursor::is_valid(&text)) {
                    return Err(name.bad_value());
                }
                self.cursor = Some(text);
            }
            Name::Count | Name::StartIndex => {
                let slot = if name == Name::Count {
                    &mut self.count
                } else {
                    &mut self.start_index
                };
                if slot.is_some() {
                    return Err(name.repeated());
                }
                let int = value
                    .as_deref()
                    .and_then(parse_int)
                    .ok_or_else(|| name.bad_value())?;
                *slot = Some(int);
            }
        }
        Ok(())
    }

    fn resolve(self, config: &PaginationConfig) -> Result<PageRequest, CursorError> {
        let method = match (self.cursor.is_some(), self.start_index.is_some()) {
            (true, true) => {
                return Err(CursorError::new(CursorErrorKind::ConflictingPagination));
            }
            (true, false) if !config.cursor => {
                return Err(CursorError::param(
                    CursorErrorKind::UnsupportedMethod,
                    CURSOR,
                ));
            }
            (false, true) if !config.index => {
                return Err(CursorError::param(
                    CursorErrorKind::UnsupportedMethod,
                    START_INDEX,
                ));
            }
            (true, false) => PaginationMethod::Cursor,
            (false, true) => PaginationMethod::Index,
            (false, false) => config.effective_default_method(),
        };
        let max = config.effective_max_page_size();
        let count = match self.count {
            None => config.effective_default_page_size(),
            Some(Int::Negative) => match method {
                PaginationMethod::Index => 0,
                PaginationMethod::Cursor => return Err(Name::Count.bad_value()),
            },
            Some(Int::NonNegative(n)) => match u32::try_from(n) {
                Ok(n) if n <= max => n,
                _ => match config.over_max_count {
                    OverMaxCount::Clamp => max,
                    OverMaxCount::Reject => return Err(Name::Count.bad_value()),
                },
            },
        };
        let paging = match method {
            PaginationMethod::Cursor => Paging::Cursor(match self.cursor {
                Some(text) if !text.is_empty() => Some(Cursor::new(text.into_owned())?),
                _ => None,
            }),
            PaginationMethod::Index => Paging::Index(match self.start_index {
                Some(Int::NonNegative(n)) => n.max(1),
                Some(Int::Negative) | None => 1,
            }),
        };
        Ok(PageRequest { paging, count })
    }
}

impl PageRequest {
    /// A request for `paging` with page size `count`, built directly.
    pub fn new(paging: Paging, count: u32) -> Self {
        Self { paging, count }
    }

    /// Parse a URL query string (with or without the leading `?`). See the
    /// [rules](PageRequest#rules).
    pub fn from_query(query: &str, config: &PaginationConfig) -> Result<Self, CursorError> {
        let mut raw = Raw::default();
        let max_cursor = config.max_cursor_length.min(Cursor::MAX_LEN);
        for p in query::split(query) {
            let Some(name) = query::decode_str(p.name) else {
                continue; // not valid UTF-8 after decoding: not one of ours
            };
            let Some(name) = classify(&name)? else {
                continue;
            };
            let value = match p.value {
                None => None,
                Some(v) => {
                    // Bound the work before decoding: an escape is 3 bytes.
                    if name == Name::Cursor && v.len() > max_cursor.saturating_mul(3) {
                        return Err(name.bad_value());
                    }
                    Some(query::decode_str(v).ok_or_else(|| name.bad_value())?)
                }
            };
            raw.set_text(name, value, max_cursor)?;
        }
        raw.resolve(config)
    }

    /// Parse already-decoded name/value pairs (as web frameworks hand them
    /// over). A bare `cursor` arrives as `("cursor", "")`. Same rules as
    /// [`from_query`](Self::from_query), without percent-decoding.
    pub fn from_pairs<I, K, V>(pairs: I, config: &PaginationConfig) -> Result<Self, CursorError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut raw = Raw::default();
        let max_cursor = config.max_cursor_length.min(Cursor::MAX_LEN);
        for (k, v) in pairs {
            let Some(name) = classify(k.as_ref())? else {
                continue;
            };
            raw.set_text(name, Some(Cow::Owned(v.as_ref().to_owned())), max_cursor)?;
        }
        raw.resolve(config)
    }

    /// Parse a `POST /.search` body (RFC 7644 §3.4.3 with RFC 9865's
    /// `cursor` and `count`). Keys match in any ASCII case; `null` is the
    /// same as absent; `cursor` must be a string and `count`/`startIndex`
    /// JSON integers. A body that is not an object is `invalidSyntax`.
    pub fn from_search_body(body: &Value, config: &PaginationConfig) -> Result<Self, CursorError> {
        let map = body
            .as_object()
            .ok_or(CursorError::new(CursorErrorKind::InvalidBody))?;
        let mut raw = Raw::default();
        let max_cursor = config.max_cursor_length.min(Cursor::MAX_LEN);
        // Keys seen, `null` or not: two spellings of one key are a repeat.
        let mut seen = [false; 3];
        for (key, value) in map {
            let Some(name) = Name::of(key) else {
                continue;
            };
            let slot = match name {
                Name::Cursor => 0,
                Name::Count => 1,
                Name::StartIndex => 2,
            };
            if std::mem::replace(&mut seen[slot], true) {
                return Err(name.repeated());
            }
            if value.is_null() {
                continue; // the same as absent
            }
            match name {
                Name::Cursor => {
                    let text = value.as_str().ok_or_else(|| name.bad_value())?;
                    raw.set_text(name, Some(Cow::Borrowed(text)), max_cursor)?;
                }
                Name::Count => raw.count = Some(json_int(value).ok_or_else(|| name.bad_value())?),
                Name::StartIndex => {
                    raw.start_index = Some(json_int(value).ok_or_else(|| name.bad_value())?);
                }
            }
        }
        raw.resolve(config)
    }

    /// The paging method and position.
    pub fn paging(&self) -> &Paging {
        &self.paging
    }

    /// The page size to serve (after defaulting and clamping).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The method in use.
    pub fn method(&self) -> PaginationMethod {
        match self.paging {
            Paging::Cursor(_) => PaginationMethod::Cursor,
            Paging::Index(_) => PaginationMethod::Index,
        }
    }

    /// The cursor to resume from (cursor paging past the first page).
    pub fn cursor(&self) -> Option<&Cursor> {
        match &self.paging {
            Paging::Cursor(c) => c.as_ref(),
            Paging::Index(_) => None,
        }
    }

    /// True for the first page of cursor paging.
    pub fn is_first_cursor_page(&self) -> bool {
        matches!(self.paging, Paging::Cursor(None))
    }

    /// The 1-based start index (index paging).
    pub fn start_index(&self) -> Option<u64> {
        match self.paging {
            Paging::Index(i) => Some(i),
            Paging::Cursor(_) => None,
        }
    }
}

/// JSON form: `{"method": "cursor", "cursor": null | "...", "count": n}` or
/// `{"method": "index", "startIndex": n, "count": n}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PageRequestRepr {
    method: PaginationMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_index: Option<u64>,
    #[serde(default, skip_serializing_if = "Outer::is_absent")]
    cursor: Outer<Option<Cursor>>,
    count: u32,
}

/// Distinguishes `"cursor": null` (present) from no `cursor` key.
#[derive(Default)]
struct Outer<T>(Option<T>);

impl<T> Outer<T> {
    fn is_absent(&self) -> bool {
        self.0.is_none()
    }
}

impl<T: Serialize> Serialize for Outer<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Outer<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(|t| Self(Some(t)))
    }
}

impl Serialize for PageRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let repr = match &self.paging {
            Paging::Cursor(c) => PageRequestRepr {
                method: PaginationMethod::Cursor,
                start_index: None,
                cursor: Outer(Some(c.clone())),
                count: self.count,
            },
            Paging::Index(i) => PageRequestRepr {
                method: PaginationMethod::Index,
                start_index: Some(*i),
                cursor: Outer(None),
                count: self.count,
            },
        };
        repr.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PageRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = PageRequestRepr::deserialize(deserializer)?;
        let paging = match (r.method, r.start_index, r.cursor.0) {
            (PaginationMethod::Cursor, None, c) => Paging::Cursor(c.flatten()),
            (PaginationMethod::Index, Some(i), None) if i >= 1 => Paging::Index(i),
            _ => {
                return Err(de::Error::custom(
                    "cursor requests have `cursor`; index requests have `startIndex` >= 1",
                ))
            }
        };
        Ok(Self {
            paging,
            count: r.count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_int("0"), Some(Int::NonNegative(0)));
        assert_eq!(parse_int("-0"), Some(Int::NonNegative(0)));
        assert_eq!(parse_int("007"), Some(Int::NonNegative(7)));
        assert_eq!(parse_int("-7"), Some(Int::Negative));
        assert_eq!(
            parse_int("99999999999999999999999"),
            Some(Int::NonNegative(u64::MAX))
        );
        assert_eq!(parse_int("-99999999999999999999999"), Some(Int::Negative));
        for bad in ["", "-", "+5", " 5", "5 ", "1e3", "1.0", "0x10", "٣"] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
        assert_eq!(json_int(&serde_json::json!(-3)), Some(Int::Negative));
        assert_eq!(json_int(&serde_json::json!(3)), Some(Int::NonNegative(3)));
        assert_eq!(json_int(&serde_json::json!(3.0)), None);
        assert_eq!(json_int(&serde_json::json!("3")), None);
    }

    #[test]
    fn serde_forms() {
        let c = PaginationConfig::default();
        for (q, json) in [
            (
                "cursor&count=5",
                r#"{"method":"cursor","cursor":null,"count":5}"#,
            ),
            (
                "cursor=abc",
                r#"{"method":"cursor","cursor":"abc","count":100}"#,
            ),
            (
                "startIndex=3",
                r#"{"method":"index","startIndex":3,"count":100}"#,
            ),
        ] {
            let r = PageRequest::from_query(q, &c).unwrap();
            assert_eq!(serde_json::to_string(&r).unwrap(), json);
            assert_eq!(serde_json::from_str::<PageRequest>(json).unwrap(), r);
        }
        for bad in [
            r#"{"method":"index","count":5}"#,
            r#"{"method":"index","startIndex":0,"count":5}"#,
            r#"{"method":"index","startIndex":1,"cursor":null,"count":5}"#,
            r#"{"method":"cursor","startIndex":1,"count":5}"#,
            r#"{"method":"cursor","cursor":"a b","count":5}"#,
            r#"{"method":"cursor","count":5,"x":1}"#,
        ] {
            assert!(serde_json::from_str::<PageRequest>(bad).is_err(), "{bad}");
        }
        // `cursor` may be left out for a first page.
        assert!(
            serde_json::from_str::<PageRequest>(r#"{"method":"cursor","count":5}"#)
                .unwrap()
                .is_first_cursor_page()
        );
    }
}
