//! [`Position`]: where a cursor resumes, and its compact binary form.
//!
//! A keyset position is the last item's sort values plus its `id`, so a
//! store resumes with `WHERE (sortKey, id) > (:v, :id)` and needs no
//! server-side session. Servers with other schemes store opaque bytes.
//!
//! # Binary form (the token payload)
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

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{CursorError, CursorErrorKind};

/// The most sort values one keyset position may carry.
pub const MAX_SORT_VALUES: usize = 32;

const KIND_NEXT: u8 = 0x01;
const KIND_PREVIOUS: u8 = 0x02;
const KIND_OPAQUE: u8 = 0x03;

const V_NULL: u8 = 0x00;
const V_FALSE: u8 = 0x01;
const V_TRUE: u8 = 0x02;
const V_INTEGER: u8 = 0x03;
const V_DECIMAL: u8 = 0x04;
const V_STRING: u8 = 0x05;
const V_DATETIME: u8 = 0x06;
const ID_UUID_LOWER: u8 = 0x07;
const ID_UUID_UPPER: u8 = 0x08;

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

/// The boundary item of a keyset page.
#[derive(Debug, Clone, PartialEq)]
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

/// A typed sort value (RFC 7643 attribute types that can be sorted on).
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    /// The attribute is absent or null.
    Null,
    /// A boolean.
    Boolean(bool),
    /// An integer.
    Integer(i64),
    /// A decimal. Must be finite to be encoded.
    Decimal(f64),
    /// A string (including `reference` and `binary` attributes).
    String(String),
    /// A `dateTime`, as an instant.
    DateTime(Timestamp),
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

    /// Number of bytes [`Position::write`] will append (an upper bound
    /// used for capacity; exact for all but varints).
    pub(crate) fn encoded_len_hint(&self) -> usize {
        match self {
            Self::Opaque(b) => 1 + b.len(),
            Self::Keyset(k) => {
                let values: usize = k
                    .sort_values
                    .iter()
                    .map(|v| match v {
                        SortValue::Null | SortValue::Boolean(_) => 1,
                        SortValue::Integer(_) => 11,
                        SortValue::Decimal(_) => 9,
                        SortValue::String(s) => 1 + 10 + s.len(),
                        SortValue::DateTime(_) => 1 + 10 + 5,
                    })
                    .sum();
                2 + values + 11 + k.id.len()
            }
        }
    }

    /// Append the binary form to `out`.
    pub(crate) fn write(&self, out: &mut Vec<u8>) -> Result<(), CursorError> {
        match self {
            Self::Opaque(bytes) => {
                out.push(KIND_OPAQUE);
                out.extend_from_slice(bytes);
            }
            Self::Keyset(k) => {
                out.push(match k.direction {
                    Direction::Next => KIND_NEXT,
                    Direction::Previous => KIND_PREVIOUS,
                });
                let n = u8::try_from(k.sort_values.len())
                    .ok()
                    .filter(|&n| usize::from(n) <= MAX_SORT_VALUES)
                    .ok_or(CursorError::new(CursorErrorKind::InvalidPosition))?;
                out.push(n);
                for v in &k.sort_values {
                    v.write(out)?;
                }
                match uuid_bytes(&k.id) {
                    Some((bytes, upper)) => {
                        out.push(if upper { ID_UUID_UPPER } else { ID_UUID_LOWER });
                        out.extend_from_slice(&bytes);
                    }
                    None => {
                        out.push(V_STRING);
                        write_bytes(out, k.id.as_bytes());
                    }
                }
            }
        }
        Ok(())
    }

    /// Parse the binary form; `None` if it is not exactly one position.
    pub(crate) fn read(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader { buf: bytes };
        let kind = r.u8()?;
        let direction = match kind {
            KIND_OPAQUE => return Some(Self::Opaque(r.buf.to_vec())),
            KIND_NEXT => Direction::Next,
            KIND_PREVIOUS => Direction::Previous,
            _ => return None,
        };
        let n = usize::from(r.u8()?);
        if n > MAX_SORT_VALUES {
            return None;
        }
        let mut sort_values = Vec::with_capacity(n);
        for _ in 0..n {
            sort_values.push(SortValue::read(&mut r)?);
        }
        let id = match r.u8()? {
            V_STRING => r.string()?,
            tag @ (ID_UUID_LOWER | ID_UUID_UPPER) => {
                uuid_text(&r.array::<16>()?, tag == ID_UUID_UPPER)
            }
            _ => return None,
        };
        r.buf.is_empty().then_some(Self::Keyset(Keyset {
            sort_values,
            id,
            direction,
        }))
    }
}

impl SortValue {
    fn write(&self, out: &mut Vec<u8>) -> Result<(), CursorError> {
        match self {
            Self::Null => out.push(V_NULL),
            Self::Boolean(false) => out.push(V_FALSE),
            Self::Boolean(true) => out.push(V_TRUE),
            Self::Integer(i) => {
                out.push(V_INTEGER);
                write_varint(out, zigzag(*i));
            }
            Self::Decimal(d) => {
                if !d.is_finite() {
                    return Err(CursorError::new(CursorErrorKind::InvalidPosition));
                }
                out.push(V_DECIMAL);
                out.extend_from_slice(&d.to_bits().to_be_bytes());
            }
            Self::String(s) => {
                out.push(V_STRING);
                write_bytes(out, s.as_bytes());
            }
            Self::DateTime(t) => {
                // Timestamps are range-checked on construction.
                out.push(V_DATETIME);
                write_varint(out, zigzag(t.secs));
                write_varint(out, u64::from(t.nanos));
            }
        }
        Ok(())
    }

    fn read(r: &mut Reader<'_>) -> Option<Self> {
        Some(match r.u8()? {
            V_NULL => Self::Null,
            V_FALSE => Self::Boolean(false),
            V_TRUE => Self::Boolean(true),
            V_INTEGER => Self::Integer(unzigzag(r.varint()?)),
            V_DECIMAL => {
                let d = f64::from_bits(u64::from_be_bytes(r.array::<8>()?));
                if !d.is_finite() {
                    return None;
                }
                Self::Decimal(d)
            }
            V_STRING => Self::String(r.string()?),
            V_DATETIME => {
                let secs = unzigzag(r.varint()?);
                let nanos = u32::try_from(r.varint()?).ok()?;
                Self::DateTime(Timestamp::from_unix(secs, nanos)?)
            }
            _ => return None,
        })
    }
}

impl From<&str> for SortValue {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for SortValue {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<i64> for SortValue {
    fn from(i: i64) -> Self {
        Self::Integer(i)
    }
}

impl From<f64> for SortValue {
    fn from(d: f64) -> Self {
        Self::Decimal(d)
    }
}

impl From<bool> for SortValue {
    fn from(b: bool) -> Self {
        Self::Boolean(b)
    }
}

impl From<Timestamp> for SortValue {
    fn from(t: Timestamp) -> Self {
        Self::DateTime(t)
    }
}

// ---------------------------------------------------------------------------
// Timestamp

/// An instant for `dateTime` sort values: Unix seconds and nanoseconds,
/// within the years RFC 3339 can write (0000 to 9999), UTC.
///
/// Parses RFC 3339 with any offset (`2024-05-01T12:00:00+02:00`) and
/// displays RFC 3339 in UTC with the shortest exact fraction
/// (`2024-05-01T10:00:00Z`). Two spellings of one instant are equal.
///
/// ```
/// use scimkit_cursor::Timestamp;
///
/// let t: Timestamp = "2023-05-19T11:24:25.5+02:00".parse().unwrap();
/// assert_eq!(t.to_string(), "2023-05-19T09:24:25.5Z");
/// assert_eq!(t, Timestamp::from_unix(1_684_488_265, 500_000_000).unwrap());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// 0000-01-01T00:00:00Z.
const MIN_SECS: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
const MAX_SECS: i64 = 253_402_300_799;

impl Timestamp {
    /// From Unix seconds and nanoseconds; `None` if `nanos` is not below
    /// one billion or the instant is outside years 0000–9999.
    pub fn from_unix(secs: i64, nanos: u32) -> Option<Self> {
        ((MIN_SECS..=MAX_SECS).contains(&secs) && nanos < 1_000_000_000)
            .then_some(Self { secs, nanos })
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds within the second.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// Parse an xsd:dateTime / RFC 3339 text with scimkit-schema's
    /// dateTime rule (the one filters and PATCH use; the `time` crate does
    /// the calendar work).
    fn parse_rfc3339(s: &str) -> Option<Self> {
        let t = scimkit_schema::compare::parse_datetime(s)?;
        Self::from_unix(t.unix_timestamp(), t.nanosecond())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `from_unix` keeps `secs` within years 0000-9999, which `time` covers.
        let Ok(t) = time::OffsetDateTime::from_unix_timestamp(self.secs) else {
            return Err(fmt::Error);
        };
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )?;
        if self.nanos != 0 {
            let mut frac = self.nanos;
            let mut width = 9;
            while frac.is_multiple_of(10) {
                frac /= 10;
                width -= 1;
            }
            write!(f, ".{frac:0width$}")?;
        }
        f.write_str("Z")
    }
}

impl FromStr for Timestamp {
    type Err = CursorError;

    /// Parse RFC 3339; [`CursorErrorKind::InvalidPosition`] if it is not
    /// RFC 3339 or is outside years 0000–9999.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_rfc3339(s).ok_or(CursorError::new(CursorErrorKind::InvalidPosition))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse_rfc3339(&s).ok_or_else(|| {
            de::Error::custom("expected an RFC 3339 dateTime between years 0000 and 9999")
        })
    }
}

// ---------------------------------------------------------------------------
// JSON form

impl Serialize for SortValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Boolean(b) => serializer.serialize_bool(*b),
            Self::Integer(i) => serializer.serialize_i64(*i),
            Self::Decimal(d) => serializer.serialize_f64(*d),
            Self::String(s) => serializer.serialize_str(s),
            Self::DateTime(t) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("dateTime", t)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for SortValue {
    /// JSON `null`, booleans, numbers and strings map to themselves; a
    /// `dateTime` is written `{"dateTime": "<RFC 3339>"}` so it is not
    /// mistaken for a string. Integers must fit in `i64`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Boolean(b),
            Value::String(s) => Self::String(s),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Self::Integer(i)
                } else if n.is_u64() {
                    return Err(de::Error::custom("integer sort value does not fit in i64"));
                } else {
                    match n.as_f64() {
                        Some(d) if d.is_finite() => Self::Decimal(d),
                        _ => return Err(de::Error::custom("decimal sort value is not finite")),
                    }
                }
            }
            Value::Object(map) => match (map.len(), map.get("dateTime")) {
                (1, Some(Value::String(s))) => Self::DateTime(
                    Timestamp::parse_rfc3339(s)
                        .ok_or_else(|| de::Error::custom("`dateTime` is not RFC 3339"))?,
                ),
                _ => {
                    return Err(de::Error::custom(
                        "an object sort value must be {\"dateTime\": \"<RFC 3339>\"}",
                    ))
                }
            },
            Value::Array(_) => return Err(de::Error::custom("a sort value cannot be an array")),
        })
    }
}

impl Serialize for Position {
    /// `{"sortValues": [...], "id": "...", "direction": "previous"}`
    /// (`direction` only when previous), or `{"opaque": "<base64url>"}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Opaque(bytes) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(
                    "opaque",
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
                )?;
                map.end()
            }
            Self::Keyset(k) => {
                let prev = k.direction == Direction::Previous;
                let mut map = serializer.serialize_map(Some(2 + usize::from(prev)))?;
                map.serialize_entry("sortValues", &SortValues(&k.sort_values))?;
                map.serialize_entry("id", &k.id)?;
                if prev {
                    map.serialize_entry("direction", &k.direction)?;
                }
                map.end()
            }
        }
    }
}

struct SortValues<'a>(&'a [SortValue]);

impl Serialize for SortValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(v)?;
        }
        seq.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PositionRepr {
    #[serde(default)]
    sort_values: Option<Vec<SortValue>>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    opaque: Option<String>,
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = PositionRepr::deserialize(deserializer)?;
        match (r.opaque, r.id) {
            (Some(text), None) => {
                if r.sort_values.is_some() || r.direction.is_some() {
                    return Err(de::Error::custom(
                        "an opaque position has no sortValues or direction",
                    ));
                }
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(text.as_bytes())
                    .map(Self::Opaque)
                    .map_err(|_| de::Error::custom("`opaque` is not unpadded base64url"))
            }
            (None, Some(id)) => {
                let sort_values = r.sort_values.unwrap_or_default();
                if sort_values.len() > MAX_SORT_VALUES {
                    return Err(de::Error::custom(format_args!(
                        "at most {MAX_SORT_VALUES} sort values"
                    )));
                }
                Ok(Self::Keyset(Keyset {
                    sort_values,
                    id,
                    direction: r.direction.unwrap_or_default(),
                }))
            }
            (Some(_), Some(_)) => Err(de::Error::custom(
                "a position has either `id` (keyset) or `opaque`, not both",
            )),
            (None, None) => Err(de::Error::custom(
                "a position needs `id` (keyset) or `opaque`",
            )),
        }
    }
}

// ---------------------------------------------------------------------------
// Byte helpers

pub(crate) struct Reader<'a> {
    pub(crate) buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.buf.split_first()?;
        self.buf = rest;
        Some(b)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (a, rest) = self.buf.split_first_chunk::<N>()?;
        self.buf = rest;
        Some(*a)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, rest) = self.buf.split_at_checked(n)?;
        self.buf = rest;
        Some(a)
    }

    /// Minimal unsigned LEB128, at most 10 bytes.
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for i in 0..10u32 {
            let b = self.u8()?;
            if i == 9 && b > 1 {
                return None; // would overflow 64 bits
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                // A final 0x00 group after others is a non-minimal encoding.
                return (i == 0 || b != 0).then_some(value);
            }
        }
        None
    }

    fn string(&mut self) -> Option<String> {
        let len = usize::try_from(self.varint()?).ok()?;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}

fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// The 16 bytes of a canonical UUID text (8-4-4-4-12 hex digits), and
/// whether its letters are uppercase. Mixed case is not canonical and is
/// kept as a plain string, so the text round-trips exactly.
fn uuid_bytes(s: &str) -> Option<([u8; 16], bool)> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut out = [0u8; 16];
    let mut nibbles = 0usize;
    let (mut lower, mut upper) = (false, false);
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => {
                lower = true;
                c - b'a' + 10
            }
            b'A'..=b'F' => {
                upper = true;
                c - b'A' + 10
            }
            _ => return None,
        };
        let slot = out.get_mut(nibbles / 2)?;
        *slot = (*slot << 4) | v;
        nibbles += 1;
    }
    (!(lower && upper)).then_some((out, upper))
}

fn uuid_text(bytes: &[u8; 16], upper: bool) -> String {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut s = String::with_capacity(36);
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(char::from(digits[usize::from(byte >> 4)]));
        s.push(char::from(digits[usize::from(byte & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(p: &Position) -> Position {
        let mut out = Vec::new();
        p.write(&mut out).unwrap();
        assert!(out.len() <= p.encoded_len_hint(), "{p:?}");
        Position::read(&out).unwrap()
    }

    #[test]
    fn keyset_roundtrip() {
        let p = Position::after(
            vec![
                SortValue::Null,
                SortValue::Boolean(true),
                SortValue::Boolean(false),
                SortValue::Integer(-5),
                SortValue::Integer(i64::MIN),
                SortValue::Integer(i64::MAX),
                SortValue::Decimal(-0.0),
                SortValue::Decimal(1.5e300),
                SortValue::String("bjensen".into()),
                SortValue::DateTime(Timestamp::from_unix(MIN_SECS, 999_999_999).unwrap()),
            ],
            "2819c223-7f76-453a-919d-413861904646",
        );
        assert_eq!(roundtrip(&p), p);
        let p = Position::before(vec![], "");
        assert_eq!(roundtrip(&p), p);
        let p = Position::opaque(vec![]);
        assert_eq!(roundtrip(&p), p);
    }

    #[test]
    fn uuid_ids_compact_and_exact() {
        for id in [
            "2819c223-7f76-453a-919d-413861904646",
            "2819C223-7F76-453A-919D-413861904646",
            "2819c223-7F76-453a-919d-413861904646", // mixed: stays a string
            "28190223-7076-4530-9190-413861904646", // digits only
            "2819c223-7f76-453a-919d-41386190464g",
            "2819c2237f76-453a-919d-413861904646-",
        ] {
            let p = Position::after(vec![], id);
            assert_eq!(roundtrip(&p), p, "{id}");
        }
        let mut out = Vec::new();
        Position::after(vec![], "2819c223-7f76-453a-919d-413861904646")
            .write(&mut out)
            .unwrap();
        assert_eq!(out.len(), 1 + 1 + 1 + 16);
    }

    #[test]
    fn non_finite_decimal_refused() {
        let mut out = Vec::new();
        let err = Position::after(vec![SortValue::Decimal(f64::NAN)], "x")
            .write(&mut out)
            .unwrap_err();
        assert_eq!(err.kind(), CursorErrorKind::InvalidPosition);
    }

    #[test]
    fn too_many_sort_values_refused() {
        let mut out = Vec::new();
        let p = Position::after(vec![SortValue::Null; MAX_SORT_VALUES + 1], "x");
        assert_eq!(
            p.write(&mut out).unwrap_err().kind(),
            CursorErrorKind::InvalidPosition
        );
    }

    #[test]
    fn strict_read() {
        // trailing byte
        let mut out = Vec::new();
        Position::after(vec![], "a").write(&mut out).unwrap();
        out.push(0);
        assert!(Position::read(&out).is_none());
        // non-minimal varint for the id length (0x81 0x00 = 1)
        assert!(Position::read(&[KIND_NEXT, 0, V_STRING, 0x81, 0x00, b'a']).is_none());
        // overlong varint
        let mut bad = vec![KIND_NEXT, 1, V_INTEGER];
        bad.extend_from_slice(&[0xff; 10]);
        bad.extend_from_slice(&[V_STRING, 0]);
        assert!(Position::read(&bad).is_none());
        // invalid UTF-8
        assert!(Position::read(&[KIND_NEXT, 0, V_STRING, 1, 0xff]).is_none());
        // NaN decimal
        let mut nan = vec![KIND_NEXT, 1, V_DECIMAL];
        nan.extend_from_slice(&f64::NAN.to_bits().to_be_bytes());
        nan.extend_from_slice(&[V_STRING, 0]);
        assert!(Position::read(&nan).is_none());
        // unknown kinds and tags
        assert!(Position::read(&[0x09]).is_none());
        assert!(Position::read(&[KIND_NEXT, 1, 0x0f, V_STRING, 0]).is_none());
        assert!(Position::read(&[]).is_none());
    }

    #[test]
    fn varint_edges() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, v);
            let mut r = Reader { buf: &out };
            assert_eq!(r.varint(), Some(v));
            assert!(r.buf.is_empty());
        }
        for i in [0, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(zigzag(i)), i);
        }
    }

    #[test]
    fn timestamps() {
        let t = |s: &str| s.parse::<Timestamp>().ok();
        assert_eq!(t("1970-01-01T00:00:00Z"), Timestamp::from_unix(0, 0));
        assert_eq!(
            t("2023-05-19T11:24:25+02:00").map(|t| t.to_string()),
            Some("2023-05-19T09:24:25Z".into())
        );
        assert_eq!(
            t("2000-02-29t23:59:59.000000001z").map(|t| t.to_string()),
            Some("2000-02-29T23:59:59.000000001Z".into())
        );
        assert_eq!(
            t("0000-01-01T00:00:00Z").map(|t| t.unix_seconds()),
            Some(MIN_SECS)
        );
        assert_eq!(
            t("9999-12-31T23:59:59.999999999Z").map(|t| t.to_string()),
            Some("9999-12-31T23:59:59.999999999Z".into())
        );
        for bad in [
            "",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:00:60Z",
            "2023-01-01 00:00:00Z",
            "2023-01-01T00:00:00.Z",
            "2023-01-01T00:00:00+2:00",
            "0000-01-01T00:00:00+00:01",
            "9999-12-31T23:59:59-00:01",
            "+023-01-01T00:00:00Z",
            "2023-01-01T00:00:00Zjunk",
            "２023-01-01T00:00:00Z",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
        // Without an offset, an xsd:dateTime is read as UTC (scimkit-schema's rule).
        assert_eq!(t("2023-01-01T00:00:00"), t("2023-01-01T00:00:00Z"));
        assert!(Timestamp::from_unix(0, 1_000_000_000).is_none());
        assert!(Timestamp::from_unix(MAX_SECS + 1, 0).is_none());
    }

    #[test]
    fn display_parse_roundtrip_across_the_range() {
        for secs in [MIN_SECS, -1, 0, 1, 951_782_400, 1_684_488_265, MAX_SECS] {
            let t = Timestamp::from_unix(secs, 0).unwrap();
            assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t, "{t}");
        }
    }

    #[test]
    fn json_forms() {
        let p = Position::before(
            vec![
                SortValue::Null,
                SortValue::Boolean(true),
                SortValue::Integer(42),
                SortValue::Decimal(2.0),
                SortValue::String("x".into()),
                SortValue::DateTime("2024-01-01T00:00:00Z".parse().unwrap()),
            ],
            "7",
        );
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"sortValues": [null, true, 42, 2.0, "x",
                {"dateTime": "2024-01-01T00:00:00Z"}], "id": "7", "direction": "previous"})
        );
        assert_eq!(serde_json::from_value::<Position>(v).unwrap(), p);

        let o = Position::opaque(b"\x00\xffpage-7".to_vec());
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(v, serde_json::json!({"opaque": "AP9wYWdlLTc"}));
        assert_eq!(serde_json::from_value::<Position>(v).unwrap(), o);

        for bad in [
            r#"{}"#,
            r#"{"id": "1", "opaque": ""}"#,
            r#"{"opaque": "AA", "direction": "next"}"#,
            r#"{"opaque": "A"}"#,
            r#"{"id": 1}"#,
            r#"{"id": "1", "extra": 0}"#,
            r#"{"id": "1", "sortValues": [18446744073709551615]}"#,
            r#"{"id": "1", "sortValues": [[1]]}"#,
            r#"{"id": "1", "sortValues": [{"dateTime": "yesterday"}]}"#,
            r#"{"id": "1", "sortValues": [{"date": "2024-01-01T00:00:00Z"}]}"#,
            r#"{"id": "1", "direction": "sideways"}"#,
        ] {
            assert!(serde_json::from_str::<Position>(bad).is_err(), "{bad}");
        }
    }
}
