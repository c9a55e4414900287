//! Comparing attribute values the way RFC 7644 §3.4.2.2 says, by type.
//!
//! Every crate that compares SCIM values (filter evaluation, sorting, PATCH
//! duplicate detection) goes through this module, so they agree:
//!
//! | type | equality | ordering |
//! |---|---|---|
//! | string | case-insensitive unless `caseExact` (see below) | lexicographic, on the same normalised keys |
//! | dateTime | as instants: `…04:42:34Z` equals `…06:42:34+02:00` | chronological |
//! | integer, decimal | numeric (`1` equals `1.0`), exact | numeric |
//! | boolean | `true`/`false` | none: an error ([`CompareError::Unordered`]) |
//! | binary | exact, trailing `=` padding ignored | none |
//! | reference | exact | lexicographic, exact |
//! | complex | none | none |
//!
//! # Case-insensitive strings
//!
//! RFC 7644 only says "case-insensitive". A `caseExact: false` string is
//! compared by its key: Unicode *canonical caseless matching* (Unicode
//! §3.13 D145): canonical decomposition (NFD), default case folding (so `ß`
//! matches `SS` and `ς` matches `Σ`), then composition (NFC). Precomposed
//! and decomposed spellings of one text (`Zoë` as `e`+U+0308 or as U+00EB)
//! therefore compare equal. ASCII text is already normalised and folds byte
//! by byte, without allocating. `caseExact: true` strings compare as
//! written, code point by code point: no normalisation.
//!
//! `userName` is different: RFC 7644 §5 compares it under PRECIS (RFC 7613,
//! now RFC 8265 `UsernameCaseMapped`: width mapping, lower-casing, NFC,
//! the bidi rule). [`Comparator::for_attribute`] picks that rule
//! ([`TextRule::Username`]) for any string attribute named `userName` (in
//! any case, wherever it is defined: the RFC gives the name one meaning)
//! that is not `caseExact`; [`Comparator::username`] builds it directly.
//! PRECIS lower-cases rather than folds, so as a userName `Straße` and
//! `STRASSE` differ, while full-width `ＢＪＥＮＳＥＮ` equals `bjensen`.
//! PRECIS *refuses* some strings (empty ones, spaces, symbols and code points
//! unassigned in Unicode 6.3). A comparison never fails on such a value: it
//! is compared by its canonical caseless key instead. PRECIS checks code
//! points before it normalises, so it would refuse a decomposed spelling
//! (`U+0344`) of a text whose NFC it accepts; the text is therefore put in
//! NFC first, and canonically equivalent userNames always compare equal. ASCII userNames get
//! the same key either way (their ASCII lower case), so the ASCII fast path
//! holds for them too.
//!
//! Equality and order use the same key, and [`Comparator::equality_key`]
//! returns it: two values are [`Comparator::equals`] exactly when their keys
//! are equal, and [`Comparator::compare`] orders them as their keys.
//!
//! # Substrings
//!
//! `co`/`sw`/`ew` compare keys too: the literal's key is prepared once with
//! a prebuilt [`memchr::memmem`] searcher, and each value's key is searched
//! in time linear in its length (ASCII prefixes and suffixes without
//! allocating).
//!
//! # Numbers
//!
//! Integers that fit `i64`/`u64` are held exactly; other numbers are `f64`,
//! as JSON parsers read them, and an integer is compared with an `f64`
//! exactly (no rounding of the integer). A literal whose magnitude is 2^53
//! or more but that is not a 64-bit integer (`1e100`, `18446744073709551616`,
//! `9007199254740993.0`) cannot be told apart from its neighbours once read
//! as `f64`: [`Comparator::prepare`] refuses it
//! ([`CompareError::InexactNumber`]) rather than compare it wrongly.
//!
//! # Binary
//!
//! A binary value (RFC 7643 §2.3.6) is base64 text, case-exact. Padding is
//! optional in practice, so trailing `=` are ignored on both sides: `QQ==`
//! equals `QQ`.
//!
//! A dateTime is an xsd:dateTime (RFC 7643 §2.3.5): RFC 3339 text; one
//! written without an offset is read as UTC.
//!
//! The literal side of a comparison is prepared once ([`Comparator::prepare`]:
//! type-checked, normalised, dateTime parsed), then compared against many
//! resource values; that is the filter crate's hot path.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use caseless::Caseless;
use memchr::memmem::Finder;
use precis_profiles::precis_core::profile::PrecisFastInvocation;
use precis_profiles::UsernameCaseMapped;
use serde_json::{Number, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::excerpt;
use crate::model::{Attribute, AttributeType};
use crate::{ScimError, ScimType};

/// Why two values cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// The literal's JSON type does not fit the attribute's type.
    #[error("a {found} value cannot be compared with a {expected} attribute")]
    TypeMismatch {
        /// The attribute's type.
        expected: AttributeType,
        /// The JSON type of the value given.
        found: &'static str,
    },
    /// A dateTime attribute compared with a string that is not a dateTime.
    /// Holds an [`excerpt`] of the string, not all of it.
    #[error("{0:?} is not an xsd:dateTime such as \"2011-05-13T04:42:34Z\"")]
    InvalidDateTime(String),
    /// The type has no ordering (boolean, binary, complex).
    #[error("{0} values have no order")]
    Unordered(AttributeType),
    /// The type cannot be compared at all (complex).
    #[error("{0} values cannot be compared")]
    NotComparable(AttributeType),
    /// A number literal that cannot be compared exactly: of magnitude 2^53
    /// or more (or not finite) without being a 64-bit integer. Holds the
    /// number as read.
    #[error(
        "the number {0} cannot be compared exactly: a number of 2^53 or more must be a 64-bit integer"
    )]
    InexactNumber(String),
}

impl CompareError {
    fn invalid_datetime(text: &str) -> Self {
        Self::InvalidDateTime(excerpt(text).into_owned())
    }
}

impl From<CompareError> for ScimError {
    fn from(e: CompareError) -> Self {
        Self::new(ScimType::InvalidValue, e.to_string())
    }
}

/// How a case-insensitive (`caseExact: false`) string compares; see the
/// [module documentation](self).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextRule {
    /// Canonical caseless matching: NFD, Unicode default case folding, NFC.
    #[default]
    Caseless,
    /// RFC 8265 PRECIS `UsernameCaseMapped` (RFC 7644 §5, `userName`);
    /// strings PRECIS refuses compare as [`TextRule::Caseless`].
    Username,
}

/// Compares values of one attribute type under one case rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comparator {
    kind: AttributeType,
    case_exact: bool,
    rule: TextRule,
}

/// A literal ready to be compared: type-checked, normalised, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand(Repr);

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    Null,
    Bool(bool),
    Number(Num),
    /// `key` is the text compared (the literal's equality key), `needle`
    /// the searcher for it, `ascii` whether the key is ASCII (then an ASCII
    /// value equals it exactly when their lengths and folded bytes agree).
    Text {
        key: Box<str>,
        needle: Needle,
        ascii: bool,
    },
    /// The instant, and its UTC text `YYYY-MM-DDTHH:MM:SS` when it has no
    /// fraction: resource values in the common `...Z` form then compare
    /// byte-wise, without a full parse.
    DateTime(OffsetDateTime, Option<[u8; 19]>),
}

/// A substring searcher for an operand's key, built on first use (by a
/// `co`, or a non-ASCII `sw`/`ew`) and reused for every value: an operand
/// only compared for equality (a PATCH path filter, the coverage checks of
/// an `add`) never builds one. Boxed: a `Finder` is large, and most
/// operands are not text.
#[derive(Clone, Default)]
struct Needle(OnceLock<Box<Finder<'static>>>);

impl Needle {
    /// Whether `key` (the key beside this needle) is found in `haystack`.
    fn found_in(&self, key: &[u8], haystack: &[u8]) -> bool {
        self.0
            .get_or_init(|| Box::new(Finder::new(key).into_owned()))
            .find(haystack)
            .is_some()
    }
}

/// A needle is a cache of the key beside it: operands are equal when
/// their keys are, whether or not a needle was built yet.
impl PartialEq for Needle {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Needle")
    }
}

/// The `YYYY-MM-DDTHH:MM:SS` UTC text of a whole-second instant in years 0-9999.
fn utc_key(t: OffsetDateTime) -> Option<[u8; 19]> {
    let t = t.to_offset(time::UtcOffset::UTC);
    if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) {
        return None;
    }
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    text.as_bytes().try_into().ok()
}

/// Compare a stored `YYYY-MM-DDTHH:MM:SSZ` value with a [`utc_key`] without
/// parsing it; `None` if the value is in any other form (or not a valid
/// date and time, which the full parser must judge).
fn fast_utc_cmp(value: &str, key: &[u8; 19]) -> Option<Ordering> {
    let b = value.as_bytes();
    if b.len() != 20 || !matches!(b[19], b'Z' | b'z') || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let separators = b[4] == b'-' && b[7] == b'-' && b[13] == b':' && b[16] == b':';
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let valid = separators
        && hour < 24
        && minute < 60
        && second < 60
        && time::Date::from_calendar_date(
            i32::try_from(year).ok()?,
            month,
            u8::try_from(day).ok()?,
        )
        .is_ok();
    if !valid {
        return None;
    }
    // Fixed-width, validated, both UTC: byte order is time order. The `T`
    // may be lowercase in the value; the key always has `T`.
    Some(b[..10].cmp(&key[..10]).then(b[11..19].cmp(&key[11..19])))
}

impl Operand {
    /// The `null` literal: equal only to unassigned values.
    pub fn null() -> Self {
        Self(Repr::Null)
    }

    /// True for the `null` literal.
    pub fn is_null(&self) -> bool {
        matches!(self.0, Repr::Null)
    }

    /// Order two prepared values of one comparator, as sort keys: numbers
    /// numerically, dateTimes chronologically, strings by their keys
    /// ([`Comparator::equality_key`]), `false` before `true`. `None` when their kinds differ or either
    /// is `null`.
    pub fn cmp_key(&self, other: &Self) -> Option<Ordering> {
        match (&self.0, &other.0) {
            (Repr::Number(a), Repr::Number(b)) => a.cmp(*b),
            (Repr::DateTime(a, _), Repr::DateTime(b, _)) => Some(a.cmp(b)),
            (Repr::Text { key: a, .. }, Repr::Text { key: b, .. }) => Some(a.cmp(b)),
            (Repr::Bool(a), Repr::Bool(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn of(n: &Number) -> Self {
        if let Some(i) = n.as_i64() {
            Self::Int(i128::from(i))
        } else if let Some(u) = n.as_u64() {
            Self::Int(i128::from(u))
        } else {
            Self::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    /// A number literal: refused when `f64` cannot hold it exactly enough
    /// to tell it from its neighbours (magnitude 2^53 or more without being
    /// a 64-bit integer, or not finite).
    fn literal(n: &Number) -> Result<Self, CompareError> {
        /// From 2^53 on, not every integer has its own `f64`.
        const TWO_53: f64 = 9_007_199_254_740_992.0;
        match Self::of(n) {
            Self::Float(f) if f.is_nan() || f.abs() >= TWO_53 => Err(CompareError::InexactNumber(
                excerpt(&n.to_string()).into_owned(),
            )),
            num => Ok(num),
        }
    }

    fn cmp(self, other: Self) -> Option<Ordering> {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => Some(a.cmp(&b)),
            (Self::Float(a), Self::Float(b)) => a.partial_cmp(&b),
            (Self::Int(a), Self::Float(b)) => int_float_cmp(a, b),
            (Self::Float(a), Self::Int(b)) => int_float_cmp(b, a).map(Ordering::reverse),
        }
    }
}

/// `i` against `f` exactly: converting `i` to `f64` would round it (`u64::MAX`
/// would equal 2^64).
fn int_float_cmp(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // Every i128 lies in [-2^127, 2^127).
    let limit = 2f64.powi(127);
    if f >= limit {
        return Some(Ordering::Less);
    }
    if f < -limit {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    #[allow(clippy::cast_possible_truncation)] // integral and within i128: exact
    let w = whole as i128;
    // Same integer part: the fraction decides (f - whole is exact).
    Some(
        i.cmp(&w)
            .then_with(|| 0f64.partial_cmp(&(f - whole)).unwrap_or(Ordering::Equal)),
    )
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Parse an xsd:dateTime: RFC 3339, or RFC 3339 without offset read as UTC.
///
/// The rule filters, sorting and PATCH share; the instant is a
/// [`Timestamp`](crate::Timestamp) (years 0000 to 9999).
///
/// ```
/// use scimkit_schema::compare::parse_datetime;
///
/// let t = parse_datetime("2011-05-13T04:42:34+02:00").unwrap();
/// assert_eq!(t.to_string(), "2011-05-13T02:42:34Z");
/// assert_eq!(parse_datetime("2011-05-13T02:42:34"), Some(t));
/// assert!(parse_datetime("2011-05-13").is_none());
/// ```
pub fn parse_datetime(text: &str) -> Option<crate::Timestamp> {
    let t = parse_offset_datetime(text)?;
    crate::Timestamp::from_unix(t.unix_timestamp(), t.nanosecond())
}

/// [`parse_datetime`] with the `time` crate's type, for this crate's own
/// comparisons.
pub(crate) fn parse_offset_datetime(text: &str) -> Option<OffsetDateTime> {
    // xsd:dateTime separates date and time with `T` (RFC 3339 also allows a
    // space, which the `time` parser accepts).
    if !text
        .as_bytes()
        .get(10)
        .is_some_and(|b| matches!(b, b'T' | b't'))
    {
        return None;
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    // xsd:dateTime allows a missing timezone; RFC 7643 examples always carry
    // one. Only a text that ends in a seconds digit can lack an offset.
    let ends_in_digit = text.as_bytes().last().is_some_and(u8::is_ascii_digit);
    let has_time = text.len() >= 19
        && text
            .as_bytes()
            .get(10)
            .is_some_and(|b| matches!(b, b'T' | b't'));
    if ends_in_digit && has_time && !text[11..].contains(['+', '-']) {
        return OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339).ok();
    }
    None
}

/// The canonical caseless key of `text`, as chars: NFD, default case fold,
/// NFC. Streams, so a comparison against a prepared key allocates no string.
fn caseless_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().nfd().default_case_fold().nfc()
}

/// `text` in ASCII lower case; borrowed when it has no upper case.
fn ascii_lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// The canonical caseless key of `text` (ASCII: its lower case).
fn caseless_key(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        ascii_lower(text)
    } else {
        Cow::Owned(caseless_chars(text).collect())
    }
}

/// The PRECIS `UsernameCaseMapped` enforcement of `text`'s NFC form, or
/// its caseless key when PRECIS refuses it (a comparison must not fail on a
/// value).
fn username_key(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        // PRECIS maps printable ASCII to its lower case and refuses the
        // rest (spaces, controls, ""), whose caseless key is the same.
        return ascii_lower(text);
    }
    // PRECIS checks code points before it normalises, so it refuses some
    // spellings (U+0344, U+212B) of texts whose NFC it accepts. Enforcing
    // the NFC form keeps canonically equivalent texts equal.
    let nfc = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    };
    <UsernameCaseMapped as PrecisFastInvocation>::enforce(nfc)
        .unwrap_or_else(|_| caseless_key(text))
}

/// A binary value without its trailing `=` padding.
fn unpadded(text: &str) -> &str {
    text.trim_end_matches('=')
}

/// The key two strings of an attribute are equal by: itself when
/// `case_exact`, else its canonical caseless key (NFD, Unicode default case
/// folding, NFC; see the [module documentation](self)). Borrowed when
/// nothing changes (exact, or ASCII already in lowercase), so hashing many
/// ids allocates nothing.
///
/// Two values are [`Comparator::equals`] under `Comparator::new(string,
/// case_exact)` exactly when their keys are equal, which lets callers
/// deduplicate through a hash set. For `userName` (PRECIS) and binary
/// values (padding), use [`Comparator::equality_key`].
pub fn equality_key(text: &str, case_exact: bool) -> Cow<'_, str> {
    if case_exact {
        Cow::Borrowed(text)
    } else {
        caseless_key(text)
    }
}

impl Comparator {
    /// A comparator for values of `kind`, case-sensitive when `case_exact`
    /// (always for binary and reference), under [`TextRule::Caseless`].
    pub fn new(kind: AttributeType, case_exact: bool) -> Self {
        let case_exact =
            case_exact || matches!(kind, AttributeType::Binary | AttributeType::Reference);
        Self {
            kind,
            case_exact,
            rule: TextRule::Caseless,
        }
    }

    /// The comparator for `userName` (RFC 7644 §5): a case-insensitive
    /// string under [`TextRule::Username`], PRECIS `UsernameCaseMapped`.
    ///
    /// ```
    /// use scimkit_schema::compare::Comparator;
    /// use serde_json::json;
    ///
    /// let c = Comparator::username();
    /// let nfc = c.prepare(&json!("Zo\u{eb}")).unwrap();
    /// assert!(c.equals(&json!("zoe\u{308}"), &nfc)); // decomposed ë
    /// assert!(c.equals(&json!("ＺＯË"), &nfc)); // full-width
    /// ```
    pub fn username() -> Self {
        Self::new(AttributeType::String, false).with_text_rule(TextRule::Username)
    }

    /// The same comparator under another rule for case-insensitive strings.
    /// The rule only affects `caseExact: false` string attributes.
    #[must_use]
    pub fn with_text_rule(self, rule: TextRule) -> Self {
        Self { rule, ..self }
    }

    /// The comparator an attribute definition calls for: its type and
    /// `caseExact`, and [`TextRule::Username`] for a string attribute named
    /// `userName` (in any case) that is not `caseExact`.
    pub fn for_attribute(attribute: &Attribute) -> Self {
        let c = Self::new(attribute.kind, attribute.case_exact);
        if c.kind == AttributeType::String
            && !c.case_exact
            && attribute.name.eq_ignore_ascii_case("userName")
        {
            c.with_text_rule(TextRule::Username)
        } else {
            c
        }
    }

    /// The attribute type.
    pub fn kind(&self) -> AttributeType {
        self.kind
    }

    /// Whether strings compare case-sensitively.
    pub fn case_exact(&self) -> bool {
        self.case_exact
    }

    /// The rule for case-insensitive strings.
    pub fn text_rule(&self) -> TextRule {
        self.rule
    }

    /// True when strings compare under PRECIS.
    fn precis(&self) -> bool {
        self.rule == TextRule::Username && self.kind == AttributeType::String && !self.case_exact
    }

    /// The key a string value of this attribute is compared by: binary
    /// without trailing `=`, other case-exact text as is, `userName` under
    /// PRECIS, other text by its canonical caseless key. Borrowed when
    /// nothing changes.
    ///
    /// Two string values are [`Self::equals`] exactly when their keys are
    /// equal, and [`Self::compare`] orders them as their keys, so the key
    /// serves hash-based deduplication and sort keys. For non-string types
    /// (dateTime, numbers) it is only the text's string key; compare those
    /// with [`Self::equals`].
    ///
    /// ```
    /// use scimkit_schema::compare::Comparator;
    /// use scimkit_schema::AttributeType;
    ///
    /// let binary = Comparator::new(AttributeType::Binary, false);
    /// assert_eq!(binary.equality_key("QQ=="), binary.equality_key("QQ"));
    /// let name = Comparator::new(AttributeType::String, false);
    /// assert_eq!(name.equality_key("Zoe\u{308}"), name.equality_key("ZO\u{cb}"));
    /// ```
    pub fn equality_key<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.kind == AttributeType::Binary {
            Cow::Borrowed(unpadded(text))
        } else if self.case_exact {
            Cow::Borrowed(text)
        } else if self.precis() {
            username_key(text)
        } else {
            caseless_key(text)
        }
    }

    /// The order of `value`'s key relative to an already computed `key`,
    /// allocating only for non-ASCII `userName` values.
    fn cmp_text(&self, value: &str, key: &str) -> Ordering {
        if self.kind == AttributeType::Binary {
            unpadded(value).cmp(key)
        } else if self.case_exact {
            value.cmp(key)
        } else if value.is_ascii() {
            // UTF-8 byte order is code point order, so bytes compare like chars.
            let lower = value.bytes().map(|b| b.to_ascii_lowercase());
            lower.cmp(key.bytes())
        } else if self.precis() {
            username_key(value).as_ref().cmp(key)
        } else {
            caseless_chars(value).cmp(key.chars())
        }
    }

    /// Ok when `gt`/`ge`/`lt`/`le` are defined for this type.
    pub fn check_ordering(&self) -> Result<(), CompareError> {
        match self.kind {
            AttributeType::Boolean | AttributeType::Binary | AttributeType::Complex => {
                Err(CompareError::Unordered(self.kind))
            }
            _ => Ok(()),
        }
    }

    /// Ok when `co`/`sw`/`ew` are defined for this type (string-valued ones).
    pub fn check_substring(&self) -> Result<(), CompareError> {
        match self.kind {
            AttributeType::String | AttributeType::Reference | AttributeType::Binary => Ok(()),
            other => Err(CompareError::TypeMismatch {
                expected: other,
                found: "substring operator",
            }),
        }
    }

    /// Type-check a literal and prepare it for many comparisons.
    /// `null` is accepted for every type (it matches only unassigned values).
    pub fn prepare(&self, literal: &Value) -> Result<Operand, CompareError> {
        use AttributeType as T;
        let mismatch = || CompareError::TypeMismatch {
            expected: self.kind,
            found: json_type(literal),
        };
        let repr = match (self.kind, literal) {
            (_, Value::Null) => Repr::Null,
            (T::Complex, _) => return Err(CompareError::NotComparable(T::Complex)),
            (T::Boolean, Value::Bool(b)) => Repr::Bool(*b),
            (T::Integer | T::Decimal, Value::Number(n)) => Repr::Number(Num::literal(n)?),
            (T::DateTime, Value::String(s)) => {
                let t =
                    parse_offset_datetime(s).ok_or_else(|| CompareError::invalid_datetime(s))?;
                Repr::DateTime(t, utc_key(t))
            }
            (T::String | T::Binary | T::Reference, Value::String(s)) => {
                let key: Box<str> = self.equality_key(s).into();
                Repr::Text {
                    needle: Needle::default(),
                    ascii: key.is_ascii(),
                    key,
                }
            }
            _ => return Err(mismatch()),
        };
        Ok(Operand(repr))
    }

    /// `value eq operand`. A resource value of the wrong JSON type is not equal.
    pub fn equals(&self, value: &Value, operand: &Operand) -> bool {
        match (&operand.0, value) {
            (Repr::Null, v) => v.is_null(),
            (Repr::Bool(b), Value::Bool(v)) => b == v,
            // Strings, without ordering them: lengths first.
            (Repr::Text { key, ascii, .. }, Value::String(v))
                if self.kind != AttributeType::Binary =>
            {
                if self.case_exact {
                    return **v == **key;
                }
                if *ascii {
                    if let Some(equal) = ascii_key_eq(v.as_bytes(), key.as_bytes()) {
                        return equal;
                    }
                }
                self.cmp_text(v, key) == Ordering::Equal
            }
            _ => self.compare_inner(value, operand) == Some(Ordering::Equal),
        }
    }

    /// The order of `value` relative to `operand`; `None` when they cannot be
    /// ordered (wrong JSON type, an unparsable dateTime, an unordered type).
    pub fn compare(&self, value: &Value, operand: &Operand) -> Option<Ordering> {
        if self.check_ordering().is_err() {
            return None;
        }
        self.compare_inner(value, operand)
    }

    fn compare_inner(&self, value: &Value, operand: &Operand) -> Option<Ordering> {
        match (&operand.0, value) {
            (Repr::Number(n), Value::Number(v)) => Num::of(v).cmp(*n),
            (Repr::DateTime(t, key), Value::String(v)) => key
                .as_ref()
                .and_then(|k| fast_utc_cmp(v, k))
                .or_else(|| parse_offset_datetime(v).map(|v| v.cmp(t))),
            (Repr::Text { key, .. }, Value::String(v)) => Some(self.cmp_text(v, key)),
            (Repr::Bool(b), Value::Bool(v)) if v == b => Some(Ordering::Equal),
            _ => None,
        }
    }

    /// `value co operand`: the operand's key is a substring of the value's.
    pub fn contains(&self, value: &Value, operand: &Operand) -> bool {
        self.substring(value, operand, Substring::Contains)
    }

    /// `value sw operand`: the value's key starts with the operand's.
    pub fn starts_with(&self, value: &Value, operand: &Operand) -> bool {
        self.substring(value, operand, Substring::Prefix)
    }

    /// `value ew operand`: the value's key ends with the operand's.
    pub fn ends_with(&self, value: &Value, operand: &Operand) -> bool {
        self.substring(value, operand, Substring::Suffix)
    }

    fn substring(&self, value: &Value, operand: &Operand, how: Substring) -> bool {
        let (Repr::Text { key, needle, .. }, Value::String(v)) = (&operand.0, value) else {
            return false;
        };
        if !self.case_exact && v.is_ascii() {
            // The value's key is its ASCII lower case: compare prefixes and
            // suffixes in place; search the value itself when it has no
            // upper case, else its lower case.
            let lower_eq = |part: &[u8]| ascii_lower_eq(part, key.as_bytes());
            let bytes = v.as_bytes();
            return match how {
                Substring::Prefix => bytes.get(..key.len()).is_some_and(lower_eq),
                Substring::Suffix => bytes
                    .len()
                    .checked_sub(key.len())
                    .and_then(|start| bytes.get(start..))
                    .is_some_and(lower_eq),
                Substring::Contains => contains_ascii_lower(bytes, key.as_bytes(), needle),
            };
        }
        if how == Substring::Prefix && !self.case_exact && !self.precis() {
            let mut folded = caseless_chars(v);
            return key.chars().all(|k| folded.next() == Some(k));
        }
        how.test(self.equality_key(v).as_bytes(), key.as_bytes(), needle)
    }
}

/// Values up to this many bytes are lower-cased on the stack for `co`.
const STACK_LOWER: usize = 128;

/// Whether `needle` is found in the ASCII lower case of `value`, which is
/// ASCII: in place when it has no upper case, else in a lower-cased copy,
/// on the stack when it is short (most attribute values), so a comparison
/// does not allocate.
fn contains_ascii_lower(value: &[u8], key: &[u8], needle: &Needle) -> bool {
    if !value.iter().any(u8::is_ascii_uppercase) {
        return needle.found_in(key, value);
    }
    let mut buf = [0u8; STACK_LOWER];
    match buf.get_mut(..value.len()) {
        Some(lower) => {
            for (l, b) in lower.iter_mut().zip(value) {
                *l = b.to_ascii_lowercase();
            }
            needle.found_in(key, lower)
        }
        None => needle.found_in(key, &value.to_ascii_lowercase()),
    }
}

/// Whether the caseless (or PRECIS) key of `value` is `key`, an ASCII key,
/// when the ASCII bytes of `value` decide it: `None` when a non-ASCII byte
/// comes before any difference (such a value may still fold to an ASCII
/// key: U+212A KELVIN SIGN is `k`).
///
/// The key of an ASCII character is its ASCII lower case, and it stays so
/// whatever follows: an ASCII character is a starter, so later combining
/// marks can only compose with the last one of the run (giving a non-ASCII
/// character, unequal to the ASCII key's) and never reorder across it. So
/// once an ASCII byte differs from the key (or lies past its end), or an
/// all-ASCII value ends short of it, the keys differ. A value of another
/// length is decided by whether it is ASCII (a word-at-a-time test); one
/// of the same length by one pass that stops at the first difference.
fn ascii_key_eq(value: &[u8], key: &[u8]) -> Option<bool> {
    if value.len() != key.len() {
        return value.is_ascii().then_some(false);
    }
    for (i, &b) in value.iter().enumerate() {
        if !b.is_ascii() {
            return None;
        }
        if key.get(i) != Some(&b.to_ascii_lowercase()) {
            return Some(false);
        }
    }
    Some(value.len() == key.len())
}

/// Whether `part`'s ASCII lower case is `key` (never, if `key` is not ASCII).
fn ascii_lower_eq(part: &[u8], key: &[u8]) -> bool {
    part.len() == key.len()
        && part
            .iter()
            .zip(key)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Substring {
    Contains,
    Prefix,
    Suffix,
}

impl Substring {
    /// Exact byte-wise test of `value` against `key` (searched by `needle`).
    /// A UTF-8 key only matches at char boundaries: UTF-8 is
    /// self-synchronising. Linear in `value.len() + key.len()`.
    fn test(self, value: &[u8], key: &[u8], needle: &Needle) -> bool {
        match self {
            Self::Prefix => value.starts_with(key),
            Self::Suffix => value.ends_with(key),
            Self::Contains => needle.found_in(key, value),
        }
    }
}

/// Compare two values of one attribute: `Ok(ordering)`, or why they have none.
///
/// ```
/// use std::cmp::Ordering;
/// use scimkit_schema::compare::compare_values;
/// use scimkit_schema::AttributeType;
/// use serde_json::json;
///
/// let a = json!("2011-05-13T04:42:34Z");
/// let b = json!("2011-05-13T06:42:34+02:00");
/// assert_eq!(compare_values(&a, &b, AttributeType::DateTime, false), Ok(Ordering::Equal));
/// assert_eq!(compare_values(&json!("Bob"), &json!("alice"), AttributeType::String, false), Ok(Ordering::Greater));
/// assert!(compare_values(&json!(true), &json!(false), AttributeType::Boolean, false).is_err());
/// ```
pub fn compare_values(
    a: &Value,
    b: &Value,
    kind: AttributeType,
    case_exact: bool,
) -> Result<Ordering, CompareError> {
    let cmp = Comparator::new(kind, case_exact);
    cmp.check_ordering()?;
    let operand = cmp.prepare(b)?;
    cmp.compare(a, &operand).ok_or_else(|| match (kind, a) {
        (AttributeType::DateTime, Value::String(s)) => CompareError::invalid_datetime(s),
        _ => CompareError::TypeMismatch {
            expected: kind,
            found: json_type(a),
        },
    })
}

/// Whether two values of one attribute are equal under its type and case rule.
pub fn values_equal(
    a: &Value,
    b: &Value,
    kind: AttributeType,
    case_exact: bool,
) -> Result<bool, CompareError> {
    let cmp = Comparator::new(kind, case_exact);
    let operand = cmp.prepare(b)?;
    Ok(cmp.equals(a, &operand))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use AttributeType as T;

    fn eq(a: Value, b: Value, kind: T, case_exact: bool) -> bool {
        values_equal(&a, &b, kind, case_exact).unwrap()
    }

    fn ord(a: Value, b: Value, kind: T) -> Result<Ordering, CompareError> {
        compare_values(&a, &b, kind, false)
    }

    #[test]
    fn strings_follow_case_exact() {
        assert!(eq(json!("bjensen"), json!("BJensen"), T::String, false));
        assert!(!eq(json!("bjensen"), json!("BJensen"), T::String, true));
        assert!(eq(json!("Straße"), json!("STRASSE"), T::String, false));
        assert!(eq(json!("ΣΊΣΥΦΟΣ"), json!("σίσυφος"), T::String, false));
        assert!(eq(json!("ÉCOLE"), json!("école"), T::String, false));
        assert!(!eq(json!("école"), json!("ecole"), T::String, false));
        // U+212A KELVIN SIGN folds to ASCII k.
        assert!(eq(json!("k"), json!("\u{212A}"), T::String, false));
        assert_eq!(
            ord(json!("Bob"), json!("alice"), T::String),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            compare_values(&json!("Bob"), &json!("alice"), T::String, true),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn datetimes_compare_as_instants() {
        let a = json!("2011-05-13T04:42:34Z");
        assert!(eq(
            a.clone(),
            json!("2011-05-13T06:42:34+02:00"),
            T::DateTime,
            false
        ));
        assert!(eq(
            a.clone(),
            json!("2011-05-13T04:42:34.000Z"),
            T::DateTime,
            false
        ));
        assert!(eq(
            a.clone(),
            json!("2011-05-13T04:42:34"),
            T::DateTime,
            false
        ));
        assert_eq!(
            ord(a.clone(), json!("2011-05-13T05:00:00+01:00"), T::DateTime),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            ord(a.clone(), json!("yesterday"), T::DateTime),
            Err(CompareError::InvalidDateTime("yesterday".into()))
        );
        assert_eq!(
            ord(json!("garbage"), a, T::DateTime),
            Err(CompareError::InvalidDateTime("garbage".into()))
        );
        assert!(parse_datetime("2011-05-13").is_none());
        assert!(parse_datetime("2011-05-13 04:42:34Z").is_none());
        assert!(parse_datetime("2011-05-13T04:42:34-0").is_none());
    }

    #[test]
    fn datetime_fast_path_agrees_with_full_parse() {
        let c = Comparator::new(T::DateTime, false);
        let literals = [
            "2011-05-13T04:42:34Z",
            "2011-05-13T06:42:34+02:00",
            "2011-05-13T04:42:34.5Z",
            "1999-12-31T23:59:59Z",
        ];
        let values = [
            "2011-05-13T04:42:34Z",
            "2011-05-13t04:42:33z",
            "2011-05-13T04:42:35Z",
            "2011-05-14T00:00:00Z",
            "2011-02-30T00:00:00Z",
            "2011-13-01T00:00:00Z",
            "2011-05-13T24:00:00Z",
            "2011-05-13T04:42:34.000Z",
            "2011-05-13T06:42:34+02:00",
            "1999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "2011-05-13T04:4x:34Z",
        ];
        for lit in literals {
            let op = c.prepare(&json!(lit)).unwrap();
            let t = parse_datetime(lit).unwrap();
            for v in values {
                let slow = parse_datetime(v).map(|p| p.cmp(&t));
                assert_eq!(c.compare(&json!(v), &op), slow, "{v} vs {lit}");
            }
        }
    }

    #[test]
    fn numbers_compare_numerically() {
        assert!(eq(json!(1), json!(1.0), T::Decimal, false));
        assert!(eq(json!(u64::MAX), json!(u64::MAX), T::Integer, false));
        assert!(!eq(json!(i64::MAX), json!(u64::MAX), T::Integer, false));
        assert_eq!(
            ord(json!(-2.5e3), json!(-2500), T::Decimal),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            ord(json!(10), json!(9.99), T::Integer),
            Ok(Ordering::Greater)
        );
        assert!(matches!(
            ord(json!(10), json!("10"), T::Integer),
            Err(CompareError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn inexact_number_literals_are_refused() {
        let c = Comparator::new(T::Decimal, false);
        let refuse = |text: &str| {
            let v: Value = serde_json::from_str(text).unwrap();
            matches!(c.prepare(&v), Err(CompareError::InexactNumber(_)))
        };
        for text in [
            "1e100",
            "-1e100",
            "18446744073709551616",
            "-9223372036854775809",
            "100000000000000000000000000001",
            "9007199254740993.0",
            "9007199254740992.0",
            "1e20",
        ] {
            assert!(refuse(text), "{text} accepted");
        }
        for text in [
            "18446744073709551615",
            "-9223372036854775808",
            "9007199254740993",
            "9007199254740991.0",
            "1e15",
            "0.1",
            "-2.5e-300",
        ] {
            assert!(!refuse(text), "{text} refused");
        }
        let e = c.prepare(&json!(1e100)).unwrap_err();
        assert_eq!(
            ScimError::from(e).scim_type(),
            Some(&ScimType::InvalidValue)
        );
    }

    #[test]
    fn integers_and_floats_compare_exactly() {
        // 2^64 as f64 against u64::MAX: rounding the integer made them equal.
        let two_64 = json!(18_446_744_073_709_551_616.0_f64);
        assert_eq!(
            ord(two_64.clone(), json!(u64::MAX), T::Integer),
            Ok(Ordering::Greater)
        );
        assert!(!eq(two_64, json!(u64::MAX), T::Integer, false));
        // 2^53 as f64 against 2^53 + 1.
        let two_53 = json!(9_007_199_254_740_992.0_f64);
        assert_eq!(
            ord(two_53.clone(), json!(9_007_199_254_740_993_u64), T::Integer),
            Ok(Ordering::Less)
        );
        assert_eq!(
            ord(two_53, json!(9_007_199_254_740_992_u64), T::Integer),
            Ok(Ordering::Equal)
        );
        assert_eq!(ord(json!(2.5), json!(2), T::Decimal), Ok(Ordering::Greater));
        assert_eq!(ord(json!(-2.5), json!(-2), T::Decimal), Ok(Ordering::Less));
        assert_eq!(
            ord(json!(-2.5), json!(-3), T::Decimal),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            ord(json!(1e300), json!(i64::MAX), T::Decimal),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            ord(json!(-1e300), json!(i64::MIN), T::Decimal),
            Ok(Ordering::Less)
        );
        assert_eq!(ord(json!(3), json!(3.0), T::Decimal), Ok(Ordering::Equal));
    }

    #[test]
    fn booleans_equal_only() {
        assert!(eq(json!(true), json!(true), T::Boolean, false));
        assert!(!eq(json!(true), json!(false), T::Boolean, false));
        assert_eq!(
            ord(json!(true), json!(false), T::Boolean),
            Err(CompareError::Unordered(T::Boolean))
        );
        assert!(matches!(
            values_equal(&json!(true), &json!("true"), T::Boolean, false),
            Err(CompareError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn binary_and_reference_are_exact() {
        assert!(!eq(json!("QUJD"), json!("qujd"), T::Binary, false));
        assert!(eq(json!("QUJD"), json!("QUJD"), T::Binary, false));
        assert_eq!(
            ord(json!("QUJD"), json!("QUJE"), T::Binary),
            Err(CompareError::Unordered(T::Binary))
        );
        assert!(!eq(
            json!("https://x/Users/A"),
            json!("https://x/users/a"),
            T::Reference,
            false
        ));
        assert_eq!(
            ord(json!("a"), json!("b"), T::Reference),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn complex_is_not_comparable() {
        assert_eq!(
            values_equal(&json!({}), &json!({}), T::Complex, false),
            Err(CompareError::NotComparable(T::Complex))
        );
    }

    #[test]
    fn null_operand_matches_only_null() {
        let c = Comparator::new(T::String, false);
        let null = c.prepare(&Value::Null).unwrap();
        assert!(c.equals(&Value::Null, &null));
        assert!(!c.equals(&json!(""), &null));
        assert_eq!(c.compare(&Value::Null, &null), None);
    }

    #[test]
    fn substrings() {
        let c = Comparator::new(T::String, false);
        let op = |s: &str| c.prepare(&json!(s)).unwrap();
        assert!(c.contains(&json!("bjensen@EXAMPLE.com"), &op("example.COM")));
        assert!(c.contains(&json!("abc"), &op("")));
        assert!(c.starts_with(&json!("Barbara"), &op("bar")));
        assert!(c.starts_with(&json!("Bar"), &op("BAR")));
        assert!(!c.starts_with(&json!("Ba"), &op("bar")));
        assert!(c.ends_with(&json!("Straße"), &op("SSE")));
        assert!(c.starts_with(&json!("STRASSE"), &op("straß")));
        assert!(c.contains(&json!("Größe"), &op("ÖSS")));
        assert!(!c.ends_with(&json!("a"), &op("ba")));
        assert!(!c.contains(&json!(5), &op("5")));
        let exact = Comparator::new(T::String, true);
        let e = exact.prepare(&json!("Ex")).unwrap();
        assert!(exact.contains(&json!("anExample"), &e));
        assert!(!exact.contains(&json!("anexample"), &e));
        assert!(Comparator::new(T::Integer, false)
            .check_substring()
            .is_err());
    }

    /// A 60 KB literal against a 1 MB value that almost matches everywhere:
    /// quadratic with a sliding window (minutes in debug builds), linear
    /// with memmem. No timing assertion: it must just finish.
    #[test]
    fn long_substrings_are_searched_in_linear_time() {
        let value = "a".repeat(1 << 20);
        let miss = format!("{}b", "a".repeat(60_000));
        let hit = "a".repeat(60_000);
        for exact in [true, false] {
            let c = Comparator::new(T::String, exact);
            let v = json!(value);
            let (miss, hit) = (
                c.prepare(&json!(miss)).unwrap(),
                c.prepare(&json!(hit)).unwrap(),
            );
            assert!(!c.contains(&v, &miss));
            assert!(c.contains(&v, &hit));
            assert!(c.starts_with(&v, &hit) && c.ends_with(&v, &hit));
            assert!(!c.starts_with(&v, &miss) && !c.ends_with(&v, &miss));
            // Upper case in the value: folded into a buffer, then searched.
            let upper = json!(value.to_ascii_uppercase());
            assert_eq!(c.contains(&upper, &hit), !exact);
        }
        // Non-ASCII, case-insensitive: folded once, then searched.
        let c = Comparator::new(T::String, false);
        let value = json!("Ä".repeat(1 << 19));
        let miss = c
            .prepare(&json!(format!("{}b", "ä".repeat(30_000))))
            .unwrap();
        let hit = c.prepare(&json!("ä".repeat(30_000))).unwrap();
        assert!(!c.contains(&value, &miss));
        assert!(c.contains(&value, &hit));
        assert!(c.ends_with(&value, &hit) && c.starts_with(&value, &hit));
    }

    #[test]
    fn operands_compare_and_clone() {
        let c = Comparator::new(T::String, false);
        let a = c.prepare(&json!("Abc")).unwrap();
        assert_eq!(a, c.prepare(&json!("aBC")).unwrap());
        assert_ne!(a, c.prepare(&json!("abd")).unwrap());
        let b = a.clone();
        assert!(c.contains(&json!("xxABCxx"), &b));
        assert!(format!("{b:?}").contains("abc"));
        assert_eq!(a, b);
    }

    const ZOE_NFC: &str = "Zo\u{eb}";
    const ZOE_NFD: &str = "Zoe\u{308}";

    #[test]
    fn nfc_and_nfd_compare_equal_when_case_insensitive() {
        assert_ne!(ZOE_NFC, ZOE_NFD);
        let c = Comparator::new(T::String, false);
        let nfc = c.prepare(&json!(ZOE_NFC)).unwrap();
        let nfd = c.prepare(&json!(ZOE_NFD)).unwrap();
        assert!(c.equals(&json!(ZOE_NFD), &nfc));
        assert!(c.equals(&json!("ZOË"), &nfd));
        assert_eq!(c.compare(&json!(ZOE_NFD), &nfc), Some(Ordering::Equal));
        assert_eq!(nfc.cmp_key(&nfd), Some(Ordering::Equal));
        assert_eq!(equality_key(ZOE_NFC, false), equality_key(ZOE_NFD, false));
        assert_eq!(c.equality_key(ZOE_NFD), "zo\u{eb}");
        // Substrings on normalised keys, either way round.
        assert!(c.ends_with(&json!(ZOE_NFD), &c.prepare(&json!("\u{eb}")).unwrap()));
        assert!(c.contains(&json!(format!("x{ZOE_NFC}y")), &nfd));
        assert!(c.starts_with(&json!(format!("{ZOE_NFD}y")), &nfc));
        assert!(!c.contains(&json!(ZOE_NFC), &c.prepare(&json!("e")).unwrap()));
        // ypogegrammeni: folding changes its combining class (why NFD first).
        assert!(eq(
            json!("\u{1fb3}"),
            json!("\u{391}\u{345}"),
            T::String,
            false
        ));
        // Case-exact strings stay code point for code point.
        assert!(!eq(json!(ZOE_NFC), json!(ZOE_NFD), T::String, true));
    }

    #[test]
    fn user_name_compares_under_precis() {
        let attr = crate::builtin::user()
            .attributes
            .iter()
            .find(|a| a.name == "userName")
            .unwrap();
        let c = Comparator::for_attribute(attr);
        assert_eq!(c, Comparator::username());
        assert_eq!(c.text_rule(), TextRule::Username);
        let mut other = attr.clone();
        other.name = "USERNAME".into();
        assert_eq!(Comparator::for_attribute(&other), c);
        other.case_exact = true;
        assert_eq!(
            Comparator::for_attribute(&other).text_rule(),
            TextRule::Caseless
        );
        other.name = "displayName".into();
        other.case_exact = false;
        assert_eq!(
            Comparator::for_attribute(&other).text_rule(),
            TextRule::Caseless
        );

        let op = |s: &str| c.prepare(&json!(s)).unwrap();
        assert!(c.equals(&json!(ZOE_NFD), &op(ZOE_NFC)));
        assert!(c.equals(&json!("ZOË"), &op(ZOE_NFD)));
        assert_eq!(c.equality_key(ZOE_NFD), c.equality_key("zoË"));
        // Width mapping: full-width letters are their ASCII selves.
        assert!(c.equals(&json!("ＢＪｅｎｓｅｎ"), &op("bjensen")));
        assert!(!eq(
            json!("ＢＪｅｎｓｅｎ"),
            json!("bjensen"),
            T::String,
            false
        ));
        // PRECIS lower-cases, it does not fold.
        assert!(!c.equals(&json!("Straße"), &op("STRASSE")));
        assert!(c.equals(&json!("STRAßE"), &op("straße")));
        // Refused by PRECIS (a space, a symbol, empty): canonical caseless.
        assert!(c.equals(&json!("Zoe\u{308} Smith"), &op("ZO\u{cb} SMITH")));
        assert!(c.equals(&json!("Straße ☃"), &op("STRASSE ☃")));
        assert!(c.equals(&json!(""), &op("")));
        // PRECIS refuses U+0344 but accepts its NFC (U+0308 U+0301): the
        // two spellings still compare equal (and `ß` stays unfolded).
        assert!(c.equals(&json!("ß\u{344}"), &op("ß\u{308}\u{301}")));
        assert!(!c.equals(&json!("ss\u{344}"), &op("ß\u{308}\u{301}")));
        assert!(c.contains(&json!("Zoe\u{308}_Smith"), &op("Ë_s")));
        assert!(c.starts_with(&json!("ＢＪｅｎｓｅｎ"), &op("bje")));
        assert_eq!(
            c.compare(&json!("ＢＪｅｎｓｅｎ"), &op("bjensen")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            c.compare(&json!("Ａlice"), &op("bob")),
            Some(Ordering::Less)
        );
    }

    /// The ASCII fast path skips PRECIS: it must give PRECIS's answer, or
    /// the caseless key when PRECIS refuses the text.
    #[test]
    fn ascii_user_names_agree_with_precis() {
        for b in 0u8..0x80 {
            let text = format!("Ab{}Z", char::from(b));
            let fast = username_key(&text);
            assert_eq!(fast, text.to_ascii_lowercase());
            match <UsernameCaseMapped as PrecisFastInvocation>::enforce(text.as_str()) {
                Ok(precis) => assert_eq!(precis, fast, "{b:#x}"),
                Err(_) => assert!(b <= 0x20 || b == 0x7f, "{b:#x} refused"),
            }
        }
    }

    #[test]
    fn binary_ignores_base64_padding() {
        assert!(eq(json!("QQ=="), json!("QQ"), T::Binary, false));
        assert!(eq(json!("QQ"), json!("QQ=="), T::Binary, false));
        assert!(eq(json!("QUI="), json!("QUI"), T::Binary, true));
        assert!(!eq(json!("QUI="), json!("qui"), T::Binary, false));
        assert!(!eq(json!("QUI="), json!("QUJ"), T::Binary, false));
        let c = Comparator::new(T::Binary, false);
        assert_eq!(c.equality_key("QQ=="), c.equality_key("QQ"));
        assert_ne!(c.equality_key("QQ=="), c.equality_key("qq"));
        let padded = c.prepare(&json!("QUI=")).unwrap();
        assert_eq!(padded, c.prepare(&json!("QUI")).unwrap());
        assert!(c.ends_with(&json!("AAAAQUI"), &padded));
        assert!(c.contains(&json!("xQUIx=="), &padded));
        assert!(c.ends_with(&json!("xxQUI="), &c.prepare(&json!("I=")).unwrap()));
        // Only binary: a reference or string keeps its `=`.
        assert!(!eq(json!("a="), json!("a"), T::Reference, false));
        assert!(!eq(json!("a="), json!("a"), T::String, false));
    }

    #[test]
    fn co_lower_cases_short_and_long_values_alike() {
        let c = Comparator::new(T::String, false);
        let op = c.prepare(&json!("needle@example.com")).unwrap();
        for pad in [0, 50, STACK_LOWER - 18, STACK_LOWER - 17, STACK_LOWER, 300] {
            let value = format!("{}NEEDLE@Example.COM", "X".repeat(pad));
            assert!(c.contains(&json!(value), &op), "{pad}");
            assert!(c.ends_with(&json!(value), &op), "{pad}");
            let value = format!("{}NEEDLE@Example.CO", "X".repeat(pad));
            assert!(!c.contains(&json!(value), &op), "{pad}");
        }
    }

    #[test]
    fn keys_agree_with_equals_and_compare() {
        let texts = [
            "",
            "a",
            "A",
            "ab",
            "Ab=",
            "ab==",
            "b",
            "Straße",
            "STRASSE",
            "strasse",
            ZOE_NFC,
            ZOE_NFD,
            "ZOË",
            "ＢＪｅｎｓｅｎ",
            "bjensen",
            "BJensen",
            "x y",
            "ΣΊΣΥΦΟΣ",
            "σίσυφος",
            "\u{212A}",
            "k",
            "\u{1fb3}",
            "\u{391}\u{345}",
            "☃",
            "é",
            "e\u{301}",
            "\u{130}",
            "i\u{307}",
        ];
        let comparators = [
            Comparator::new(T::String, false),
            Comparator::new(T::String, true),
            Comparator::username(),
            Comparator::new(T::Binary, false),
            Comparator::new(T::Reference, false),
        ];
        for c in comparators {
            for a in texts {
                for b in texts {
                    let op = c.prepare(&json!(b)).unwrap();
                    let keys = c.equality_key(a).cmp(&c.equality_key(b));
                    let what = format!("{c:?}: {a:?} vs {b:?}");
                    assert_eq!(c.equals(&json!(a), &op), keys.is_eq(), "{what}");
                    assert_eq!(c.compare_inner(&json!(a), &op), Some(keys), "{what}");
                    let (ka, kb) = (c.equality_key(a), c.equality_key(b));
                    assert_eq!(c.contains(&json!(a), &op), ka.contains(&*kb), "{what}");
                    assert_eq!(
                        c.starts_with(&json!(a), &op),
                        ka.starts_with(&*kb),
                        "{what}"
                    );
                    assert_eq!(c.ends_with(&json!(a), &op), ka.ends_with(&*kb), "{what}");
                }
            }
            if c.kind() == T::String && !c.case_exact() {
                assert_eq!(c.equality_key("abc"), Cow::Borrowed("abc"));
                assert!(matches!(c.equality_key("abc"), Cow::Borrowed(_)));
            }
        }
    }

    #[test]
    fn literal_type_is_checked() {
        let c = Comparator::new(T::Integer, false);
        assert!(c.prepare(&json!("5")).is_err());
        assert!(c.prepare(&json!(5)).is_ok());
        let s = Comparator::new(T::String, false);
        assert_eq!(
            s.prepare(&json!(5)).unwrap_err().to_string(),
            "a number value cannot be compared with a string attribute"
        );
        // Resource values of the wrong type are simply not equal.
        let five = s.prepare(&json!("5")).unwrap();
        assert!(!s.equals(&json!(5), &five));
    }
}
