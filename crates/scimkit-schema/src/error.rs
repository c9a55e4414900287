//! The SCIM error every scimkit crate speaks: [`ScimError`] and [`ScimType`].
//!
//! RFC 7644 §3.12 defines an error as an HTTP status, an optional `scimType`
//! keyword and a human `detail`. RFC 9865 adds `invalidCursor`,
//! `expiredCursor` and `invalidCount`. Every crate's own error type converts
//! into [`ScimError`], so a server maps any failure to a response with one
//! `From`. The JSON form is the RFC's Error message: `status` is written as
//! a string (`"400"`), and both a string and a number are accepted on read,
//! because real servers send both.
//!
//! An error detail that quotes client input quotes at most an [`excerpt`]
//! of it: a 1 MB filter value must not come back as a 1 MB error message
//! (nor fill a log line).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// The schema URN of a SCIM Error message (RFC 7644 §3.12).
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Texts up to this many bytes are quoted whole by [`excerpt`].
const EXCERPT_WHOLE: usize = 96;
/// How many bytes of a longer text [`excerpt`] keeps (less at a char boundary).
const EXCERPT_HEAD: usize = 64;

/// A bounded quotation of `text` for an error message: the text itself when
/// it is at most 96 bytes long, else its first 64 bytes (cut back to a
/// character boundary), `…` and the total length, as in
/// `aaaa…(1048576 bytes)`. Borrowed, so quoting short input allocates nothing.
///
/// Every scimkit error that echoes input goes through this.
///
/// ```
/// use scimkit_schema::error::excerpt;
///
/// assert_eq!(excerpt("userName"), "userName");
/// let long = "x".repeat(1 << 20);
/// assert_eq!(excerpt(&long), format!("{}…(1048576 bytes)", "x".repeat(64)));
/// ```
pub fn excerpt(text: &str) -> Cow<'_, str> {
    if text.len() <= EXCERPT_WHOLE {
        return Cow::Borrowed(text);
    }
    let head = text
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take_while(|&end| end <= EXCERPT_HEAD)
        .last()
        .unwrap_or(0);
    let head = text.get(..head).unwrap_or_default();
    Cow::Owned(format!("{head}…({} bytes)", text.len()))
}

/// A `scimType` keyword of RFC 7644 §3.12 Table 9, plus those RFC 9865 adds.
///
/// Keywords compare exactly as the RFC spells them; [`FromStr`] also accepts
/// any ASCII case. A keyword this crate does not know (a server's own
/// extension) is kept as [`ScimType::Other`] so that a client reading a
/// foreign error loses nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScimType {
    /// The filter syntax is invalid, or an attribute/operator pair is unsupported.
    InvalidFilter,
    /// The filter yields more results than the server is willing to process.
    TooMany,
    /// One or more attribute values are already in use or reserved (HTTP 409).
    Uniqueness,
    /// The change is incompatible with an attribute's mutability.
    Mutability,
    /// The request body does not fit the message's schema.
    InvalidSyntax,
    /// A PATCH `path` is invalid or malformed.
    InvalidPath,
    /// A path does not yield any attribute or value to operate on.
    NoTarget,
    /// A required value is missing, or a value does not fit the schema.
    InvalidValue,
    /// The SCIM protocol version is not supported.
    InvalidVers,
    /// Sensitive information was sent in a request URI (HTTP 403, RFC 7644 §7.5.2).
    Sensitive,
    /// RFC 9865: the cursor is malformed, forged or unknown.
    InvalidCursor,
    /// RFC 9865: the cursor has expired.
    ExpiredCursor,
    /// RFC 9865: the `count` is out of range or changed between pages.
    InvalidCount,
    /// A keyword outside RFC 7644 and RFC 9865, kept verbatim.
    Other(String),
}

impl ScimType {
    /// Every keyword the RFCs define, in RFC table order.
    pub const ALL: &'static [Self] = &[
        Self::InvalidFilter,
        Self::TooMany,
        Self::Uniqueness,
        Self::Mutability,
        Self::InvalidSyntax,
        Self::InvalidPath,
        Self::NoTarget,
        Self::InvalidValue,
        Self::InvalidVers,
        Self::Sensitive,
        Self::InvalidCursor,
        Self::ExpiredCursor,
        Self::InvalidCount,
    ];

    /// The keyword as the RFC spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
            Self::InvalidCursor => "invalidCursor",
            Self::ExpiredCursor => "expiredCursor",
            Self::InvalidCount => "invalidCount",
            Self::Other(s) => s,
        }
    }

    /// The HTTP status this keyword goes with.
    ///
    /// 400 for all but `uniqueness` (409, RFC 7644 §3.3 and §3.12) and
    /// `sensitive` (403, RFC 7644 §7.5.2). [`ScimType::Other`] gets 400.
    pub fn status(&self) -> u16 {
        match self {
            Self::Uniqueness => 409,
            Self::Sensitive => 403,
            _ => 400,
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ScimType {
    type Err = std::convert::Infallible;

    /// Never fails: unknown keywords become [`ScimType::Other`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::ALL
            .iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .cloned()
            .unwrap_or_else(|| Self::Other(s.to_owned())))
    }
}

impl Serialize for ScimType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ScimType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(deserializer)?;
        let Ok(t) = s.parse();
        Ok(t)
    }
}

/// A SCIM error: HTTP status, optional `scimType`, optional `detail`.
///
/// ```
/// use scimkit_schema::{ScimError, ScimType};
///
/// let err = ScimError::new(ScimType::InvalidPath, "no attribute 'nmae' in User");
/// assert_eq!(err.status(), 400);
/// let json = serde_json::to_value(&err).unwrap();
/// assert_eq!(json["status"], "400");
/// assert_eq!(json["scimType"], "invalidPath");
/// let back: ScimError = serde_json::from_value(json).unwrap();
/// assert_eq!(back, err);
/// ```
///
/// The error is one pointer wide (its parts are boxed, as serde_json does),
/// so a `Result<T, ScimError>` stays small on hot paths. Two more parts are
/// for the server, never for the client: a [`hint`](Self::hint) for the
/// developer (which option would accept the request, say) and the
/// [`source`](std::error::Error::source) error. Neither is serialized, and
/// `Display` (the log line) shows neither: the hint is for tools that show
/// it on purpose, such as the CLI.
#[derive(Clone)]
pub struct ScimError(Box<Inner>);

#[derive(Clone)]
struct Inner {
    status: u16,
    scim_type: Option<ScimType>,
    detail: Option<String>,
    hint: Option<Cow<'static, str>>,
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Equal when what a client sees is equal: status, scimType and detail.
impl PartialEq for ScimError {
    fn eq(&self, other: &Self) -> bool {
        self.0.status == other.0.status
            && self.0.scim_type == other.0.scim_type
            && self.0.detail == other.0.detail
    }
}

impl Eq for ScimError {}

impl fmt::Debug for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ScimError");
        d.field("status", &self.0.status)
            .field("scim_type", &self.0.scim_type)
            .field("detail", &self.0.detail);
        if let Some(hint) = &self.0.hint {
            d.field("hint", hint);
        }
        if let Some(source) = &self.0.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SCIM error {}", self.0.status)?;
        if let Some(t) = &self.0.scim_type {
            write!(f, " ({t})")?;
        }
        if let Some(d) = &self.0.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// One constructor per `scimType`: `ScimError::invalid_filter(detail)`.
macro_rules! constructors {
    ($($name:ident => $variant:ident,)*) => {
        $(
            #[doc = concat!("A `", stringify!($variant), "` error (see [`ScimType::", stringify!($variant), "`]).")]
            pub fn $name(detail: impl Into<String>) -> Self {
                Self::new(ScimType::$variant, detail)
            }
        )*
    };
}

impl ScimError {
    fn from_inner(status: u16, scim_type: Option<ScimType>, detail: Option<String>) -> Self {
        Self(Box::new(Inner {
            status,
            scim_type,
            detail,
            hint: None,
            source: None,
        }))
    }

    /// An error with `scim_type` and the status the RFC gives it.
    pub fn new(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::from_inner(scim_type.status(), Some(scim_type), Some(detail.into()))
    }

    constructors! {
        invalid_filter => InvalidFilter,
        too_many => TooMany,
        uniqueness => Uniqueness,
        mutability => Mutability,
        invalid_syntax => InvalidSyntax,
        invalid_path => InvalidPath,
        no_target => NoTarget,
        invalid_value => InvalidValue,
        invalid_vers => InvalidVers,
        sensitive => Sensitive,
        invalid_cursor => InvalidCursor,
        expired_cursor => ExpiredCursor,
        invalid_count => InvalidCount,
    }

    /// An error with an explicit status and no `scimType` (404, 412, 500, ...).
    pub fn with_status(status: u16, detail: impl Into<String>) -> Self {
        Self::from_inner(status, None, Some(detail.into()))
    }

    /// Build from raw parts, as read from a server. `status` must be an
    /// HTTP status code (100 to 599); otherwise `None`.
    pub fn from_parts(
        status: u16,
        scim_type: Option<ScimType>,
        detail: Option<String>,
    ) -> Option<Self> {
        (100..=599)
            .contains(&status)
            .then(|| Self::from_inner(status, scim_type, detail))
    }

    /// The same error with a developer hint (never sent to the client).
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<Cow<'static, str>>) -> Self {
        self.0.hint = Some(hint.into());
        self
    }

    /// The same error, caused by `source` (never sent to the client).
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// The same error with another detail (hint and source kept): for a
    /// caller that adds context, such as which operation failed.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The `scimType` keyword, if any.
    pub fn scim_type(&self) -> Option<&ScimType> {
        self.0.scim_type.as_ref()
    }

    /// The human-readable detail, if any.
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    /// A note for the developer, not the client: which option would have
    /// accepted the request, say. Not serialized, not in `Display`.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }
}

impl Serialize for ScimError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = &self.0;
        let len = 2 + usize::from(inner.scim_type.is_some()) + usize::from(inner.detail.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("schemas", &[ERROR_URN])?;
        map.serialize_entry("status", &inner.status.to_string())?;
        if let Some(t) = &inner.scim_type {
            map.serialize_entry("scimType", t)?;
        }
        if let Some(d) = &inner.detail {
            map.serialize_entry("detail", d)?;
        }
        map.end()
    }
}

/// `status` as the RFC writes it (a string) or as some servers send it (a number).
#[derive(Deserialize)]
#[serde(untagged)]
enum WireStatus {
    Number(u64),
    Text(String),
}

#[derive(Deserialize)]
struct WireError {
    #[serde(default)]
    schemas: Option<Vec<String>>,
    status: WireStatus,
    #[serde(rename = "scimType", default)]
    scim_type: Option<ScimType>,
    #[serde(default)]
    detail: Option<String>,
}

impl<'de> Deserialize<'de> for ScimError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireError::deserialize(deserializer)?;
        if let Some(schemas) = &wire.schemas {
            if !schemas.iter().any(|s| s.eq_ignore_ascii_case(ERROR_URN)) {
                return Err(de::Error::custom(format_args!(
                    "`schemas` does not contain {ERROR_URN}"
                )));
            }
        }
        let status = match wire.status {
            WireStatus::Number(n) => u16::try_from(n).ok(),
            WireStatus::Text(s) => s.trim().parse::<u16>().ok(),
        };
        status
            .and_then(|s| Self::from_parts(s, wire.scim_type, wire.detail))
            .ok_or_else(|| de::Error::custom("`status` is not an HTTP status code (100-599)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_pointer_wide_with_hint_and_source_kept_from_the_client() {
        assert_eq!(size_of::<ScimError>(), size_of::<usize>());
        let cause = "x".parse::<u16>().unwrap_err();
        let e = ScimError::invalid_value("not a number")
            .with_hint("set Options::lenient")
            .with_source(cause.clone());
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue));
        assert_eq!(e.hint(), Some("set Options::lenient"));
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source, Some(cause.to_string()));
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            !json.contains("lenient") && !json.contains("digit"),
            "{json}"
        );
        assert!(!e.to_string().contains("lenient"));
        assert_eq!(e, ScimError::invalid_value("not a number"));
        assert_eq!(e.clone().with_detail("other").detail(), Some("other"));
        assert_eq!(e.with_detail("other").hint(), Some("set Options::lenient"));
    }

    #[test]
    fn a_constructor_per_scim_type() {
        let made = [
            ScimError::invalid_filter(""),
            ScimError::too_many(""),
            ScimError::uniqueness(""),
            ScimError::mutability(""),
            ScimError::invalid_syntax(""),
            ScimError::invalid_path(""),
            ScimError::no_target(""),
            ScimError::invalid_value(""),
            ScimError::invalid_vers(""),
            ScimError::sensitive(""),
            ScimError::invalid_cursor(""),
            ScimError::expired_cursor(""),
            ScimError::invalid_count(""),
        ];
        let types: Vec<&ScimType> = made.iter().filter_map(ScimError::scim_type).collect();
        assert_eq!(types, ScimType::ALL.iter().collect::<Vec<_>>());
    }

    #[test]
    fn every_scim_type_has_rfc_shape_and_status() {
        let expected = [
            ("invalidFilter", 400),
            ("tooMany", 400),
            ("uniqueness", 409),
            ("mutability", 400),
            ("invalidSyntax", 400),
            ("invalidPath", 400),
            ("noTarget", 400),
            ("invalidValue", 400),
            ("invalidVers", 400),
            ("sensitive", 403),
            ("invalidCursor", 400),
            ("expiredCursor", 400),
            ("invalidCount", 400),
        ];
        assert_eq!(ScimType::ALL.len(), expected.len());
        for (t, (name, status)) in ScimType::ALL.iter().zip(expected) {
            let err = ScimError::new(t.clone(), "why");
            let json = serde_json::to_value(&err).unwrap();
            assert_eq!(
                json,
                json!({
                    "schemas": [ERROR_URN],
                    "status": status.to_string(),
                    "scimType": name,
                    "detail": "why",
                })
            );
            let back: ScimError = serde_json::from_value(json).unwrap();
            assert_eq!(back, err);
            assert_eq!(back.status(), status);
        }
    }

    #[test]
    fn reads_numeric_status_and_missing_fields() {
        let err: ScimError =
            serde_json::from_value(json!({"schemas": [ERROR_URN], "status": 404})).unwrap();
        assert_eq!(err.status(), 404);
        assert_eq!(err.scim_type(), None);
        assert_eq!(err.detail(), None);
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json, json!({"schemas": [ERROR_URN], "status": "404"}));
    }

    #[test]
    fn reads_unknown_scim_type_verbatim() {
        let err: ScimError = serde_json::from_value(
            json!({"schemas": [ERROR_URN], "status": "400", "scimType": "vendorThing"}),
        )
        .unwrap();
        assert_eq!(
            err.scim_type(),
            Some(&ScimType::Other("vendorThing".into()))
        );
        assert_eq!(
            serde_json::to_value(&err).unwrap()["scimType"],
            "vendorThing"
        );
    }

    #[test]
    fn rejects_bad_status_and_foreign_schemas() {
        for bad in [
            json!({"status": "abc"}),
            json!({"status": 99}),
            json!({"status": "600"}),
            json!({"status": 70000}),
            json!({"status": -1}),
            json!({"schemas": ["urn:other"], "status": "400"}),
            json!({"detail": "no status"}),
        ] {
            assert!(
                serde_json::from_value::<ScimError>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn display_names_status_type_and_detail() {
        let err = ScimError::new(ScimType::Uniqueness, "userName taken");
        assert_eq!(
            err.to_string(),
            "SCIM error 409 (uniqueness): userName taken"
        );
        assert_eq!(
            ScimError::with_status(404, "gone").to_string(),
            "SCIM error 404: gone"
        );
    }

    #[test]
    fn excerpt_bounds_long_input() {
        assert!(matches!(excerpt(""), Cow::Borrowed("")));
        let edge = "a".repeat(EXCERPT_WHOLE);
        assert!(matches!(excerpt(&edge), Cow::Borrowed(_)));
        let mb = "é".repeat(1 << 19); // 1 MiB of two-byte chars
        let e = excerpt(&mb);
        assert!(e.len() < 100, "{}", e.len());
        assert_eq!(e, format!("{}…(1048576 bytes)", "é".repeat(32)));
        // A cut never splits a character: 63 ASCII bytes, then a 2-byte one.
        let odd = format!("{}é{}", "a".repeat(63), "b".repeat(100));
        assert_eq!(excerpt(&odd), format!("{}…(165 bytes)", "a".repeat(63)));
    }

    #[test]
    fn scim_type_parses_any_case() {
        assert_eq!("INVALIDPATH".parse::<ScimType>(), Ok(ScimType::InvalidPath));
        assert_eq!(
            "invalidCount".parse::<ScimType>(),
            Ok(ScimType::InvalidCount)
        );
    }
}
