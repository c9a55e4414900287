//! [`SortValue`] and [`Timestamp`]: typed values a sort key takes.
//!
//! They live here, below both scimkit-filter (whose keyset order produces
//! them from resources) and scimkit-cursor (whose tokens store them), so
//! the two agree on one type without depending on each other. `Timestamp`
//! is also what [`compare::parse_datetime`](crate::compare::parse_datetime)
//! returns, which keeps the `time` crate out of the public API.
//!
//! # JSON form
//!
//! `null`, booleans, numbers and strings map to themselves; a `dateTime`
//! is `{"dateTime": "<RFC 3339>"}` so it is not mistaken for a string.
//! Integers must fit in `i64`, decimals must be finite.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A typed sort value (RFC 7643 attribute types that can be sorted on):
/// what a keyset cursor position stores for each sort key, and what
/// scimkit-filter's keyset order produces from a resource.
///
/// ```
/// use scimkit_schema::{SortValue, Timestamp};
///
/// let v: SortValue = serde_json::from_str(r#"{"dateTime": "2024-05-01T12:00:00+02:00"}"#).unwrap();
/// assert_eq!(v, SortValue::DateTime("2024-05-01T10:00:00Z".parse::<Timestamp>().unwrap()));
/// assert_eq!(serde_json::to_string(&SortValue::from("bjensen")).unwrap(), r#""bjensen""#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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

impl SortValue {
    /// The JSON value a comparator prepares for this sort value (`None`:
    /// missing): strings and numbers as themselves, a dateTime as its
    /// RFC 3339 text in UTC. The one reading shared by scimkit-filter's
    /// keyset order and scimkit-sql's keyset predicate.
    pub fn to_json(&self) -> Option<Value> {
        Some(match self {
            Self::Null => return None,
            Self::Boolean(b) => Value::Bool(*b),
            Self::Integer(i) => Value::from(*i),
            Self::Decimal(d) => serde_json::Number::from_f64(*d).map(Value::Number)?,
            Self::String(s) => Value::String(s.clone()),
            Self::DateTime(t) => Value::String(t.to_string()),
        })
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
/// use scimkit_schema::Timestamp;
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

    /// Nanoseconds since 1970-01-01T00:00:00Z (for hashing and
    /// arithmetic; exact over the whole range).
    pub fn unix_nanos(&self) -> i128 {
        i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos)
    }

    /// Parse an xsd:dateTime / RFC 3339 text with the dateTime rule of
    /// [`compare`](crate::compare) (the one filters and PATCH use).
    fn parse_rfc3339(s: &str) -> Option<Self> {
        let t = crate::compare::parse_offset_datetime(s)?;
        Self::from_unix(t.unix_timestamp(), t.nanosecond())
    }

    pub(crate) fn to_offset_datetime(self) -> Option<time::OffsetDateTime> {
        let t = time::OffsetDateTime::from_unix_timestamp(self.secs).ok()?;
        t.replace_nanosecond(self.nanos).ok()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `from_unix` keeps `secs` within years 0000-9999, which `time` covers.
        let Some(t) = self.to_offset_datetime() else {
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
    type Err = InvalidTimestamp;

    /// Parse RFC 3339 (an xsd:dateTime without offset is read as UTC);
    /// [`InvalidTimestamp`] if it is not one or is outside years 0000–9999.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_rfc3339(s).ok_or(InvalidTimestamp)
    }
}

/// A text that is not an RFC 3339 dateTime between years 0000 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTimestamp;

impl fmt::Display for InvalidTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an RFC 3339 dateTime between years 0000 and 9999")
    }
}

impl std::error::Error for InvalidTimestamp {}

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

#[cfg(test)]
mod tests {
    use super::*;

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
        let values = vec![
            SortValue::Null,
            SortValue::Boolean(true),
            SortValue::Integer(42),
            SortValue::Decimal(2.5),
            SortValue::String("x".into()),
            SortValue::DateTime("2024-01-01T00:00:00Z".parse().unwrap()),
        ];
        let v = serde_json::to_value(&values).unwrap();
        assert_eq!(
            v,
            serde_json::json!([null, true, 42, 2.5, "x", {"dateTime": "2024-01-01T00:00:00Z"}])
        );
        assert_eq!(serde_json::from_value::<Vec<SortValue>>(v).unwrap(), values);
        for bad in [
            "18446744073709551615",
            "[1]",
            r#"{"dateTime": "yesterday"}"#,
            r#"{"date": "2024-01-01T00:00:00Z"}"#,
        ] {
            assert!(serde_json::from_str::<SortValue>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_nanos_is_exact() {
        let t = Timestamp::from_unix(-1, 5).unwrap();
        assert_eq!(t.unix_nanos(), -999_999_995);
        assert_eq!(
            Timestamp::from_unix(MAX_SECS, 999_999_999)
                .unwrap()
                .unix_nanos(),
            i128::from(MAX_SECS) * 1_000_000_000 + 999_999_999
        );
    }
}
