//! Attribute paths: `userName`, `name.familyName`,
//! `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName`.
//!
//! The grammar is RFC 7644 §3.10 and the `attrPath` rule of §3.4.2.2:
//!
//! ```text
//! attrPath  = [ URI ":" ] ATTRNAME [ "." ATTRNAME ]
//! ATTRNAME  = ALPHA *( "-" / "_" / DIGIT / ALPHA )  ; and "$ref" (RFC 7643 §2.4)
//! ```
//!
//! A schema URN itself contains colons and dots (`...:core:2.0:User`), so the
//! URN is split from the name at the **last** colon, and only the part after
//! it is split on `.`. At most one sub-attribute is allowed (a complex
//! attribute cannot hold complex sub-attributes, RFC 7643 §2.3.8).
//!
//! Names compare case-insensitively (RFC 7643 §2.1), URN included (RFC 7644
//! §3.10), but keep the spelling they were parsed with, so `Display` prints
//! what the client sent and `parse(display(p)) == p` always holds.
//!
//! [`AttrPath::parse_prefix`] reads the longest path at the start of a longer
//! text, which is how the filter and PATCH grammars embed this one without
//! parsing paths a second time.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use compact_str::CompactString;

/// An attribute path: optional schema URN, attribute name, optional sub-attribute.
///
/// ```
/// use scimkit_schema::AttrPath;
///
/// let p: AttrPath = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
///     .parse()
///     .unwrap();
/// assert_eq!(p.schema(), Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
/// assert_eq!(p.attribute(), "manager");
/// assert_eq!(p.sub_attribute(), Some("value"));
/// assert_eq!(p, "URN:IETF:params:scim:schemas:extension:enterprise:2.0:USER:Manager.VALUE".parse().unwrap());
///
/// let err = "name.given.family".parse::<AttrPath>().unwrap_err();
/// assert_eq!(err.offset(), 10);
/// ```
#[derive(Clone)]
pub struct AttrPath {
    /// The whole path as written. Kept inline (no allocation) up to 24
    /// bytes, which covers `userName`, `emails.value`, `name.familyName`
    /// and every core attribute path; URN-qualified ones go to the heap.
    /// Parsing a filter or a PATCH path makes one per attribute, so this
    /// saves a malloc and a free per path on those hot paths.
    text: CompactString,
    /// Where the attribute name starts (0 when unqualified; else after the
    /// colon). A `u16`: paths are at most [`AttrPath::MAX_LEN`] bytes.
    attr_start: u16,
    /// Where the sub-attribute starts (after the dot), if there is one.
    sub_start: Option<u16>,
}

impl fmt::Debug for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttrPath")
            .field("schema", &self.schema())
            .field("attribute", &self.attribute())
            .field("sub_attribute", &self.sub_attribute())
            .finish()
    }
}

/// Why a text is not an attribute path, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid attribute path at byte {offset}: expected {}, found {}", self.kind.expected(), Found(self.found))]
pub struct PathError {
    offset: usize,
    found: Option<char>,
    kind: PathErrorKind,
}

/// What the parser expected where it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathErrorKind {
    /// An attribute name must start here (with a letter, or be `$ref`).
    AttributeName,
    /// Inside a name only letters, digits, `-` and `_` may follow.
    NameChar,
    /// A second `.`: at most one level of sub-attribute exists.
    TooManySubAttributes,
    /// The part before the last `:` must be a URI such as a schema URN.
    SchemaUrn,
    /// The path is longer than [`AttrPath::MAX_LEN`].
    TooLong,
    /// The path ended and something else followed.
    End,
}

impl PathErrorKind {
    /// What was expected, in words.
    pub fn expected(self) -> &'static str {
        match self {
            Self::AttributeName => "an attribute name (a letter, or `$ref`)",
            Self::NameChar => "a letter, digit, `-` or `_`",
            Self::TooManySubAttributes => "the end of the path (at most one sub-attribute)",
            Self::SchemaUrn => "a schema URN before the last `:`",
            Self::TooLong => "a shorter path",
            Self::End => "the end of the path",
        }
    }
}

struct Found(Option<char>);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(c) => write!(f, "{c:?}"),
            None => f.write_str("end of input"),
        }
    }
}

impl PathError {
    fn at(text: &str, offset: usize, kind: PathErrorKind) -> Self {
        Self {
            offset,
            found: text.get(offset..).and_then(|s| s.chars().next()),
            kind,
        }
    }

    /// Byte offset into the parsed text where the problem is.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What the parser expected there.
    pub fn kind(&self) -> PathErrorKind {
        self.kind
    }

    /// The character found at the offset, `None` at the end of input.
    pub fn found(&self) -> Option<char> {
        self.found
    }

    /// The same error, moved right by `by` bytes: for grammars that embed a path.
    #[must_use]
    pub fn shifted(mut self, by: usize) -> Self {
        self.offset = self.offset.saturating_add(by);
        self
    }
}

impl From<PathError> for crate::ScimError {
    fn from(e: PathError) -> Self {
        Self::new(crate::ScimType::InvalidPath, e.to_string())
    }
}

/// A byte that may appear in the URN part of a path (RFC 3986 URI characters
/// minus those that delimit paths inside filters: `( ) [ ] " '` and blanks).
const PATH_BYTE: u8 = 1;
/// A byte that may continue an ATTRNAME: `ALPHA / DIGIT / "-" / "_"`.
const NAME_BYTE: u8 = 2;

/// The class bits of every byte, so the scans below are one load and one
/// test per byte: paths are read on every filter and PATCH operation, and
/// chains of comparisons per byte were a third of parsing a short filter.
static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let name = b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let path = name
            || matches!(
                b,
                b'.' | b'~'
                    | b':'
                    | b'%'
                    | b'/'
                    | b'?'
                    | b'@'
                    | b'+'
                    | b'='
                    | b';'
                    | b','
                    | b'!'
                    | b'*'
                    | b'$'
                    | b'&'
            );
        table[i] = if name {
            NAME_BYTE | PATH_BYTE
        } else if path {
            PATH_BYTE
        } else {
            0
        };
        i += 1;
    }
    table
}

/// The class bits of `b` (the table has an entry for every `u8`).
fn class(b: u8) -> u8 {
    BYTE_CLASS[usize::from(b)]
}

fn is_path_byte(b: u8) -> bool {
    class(b) & PATH_BYTE != 0
}

fn is_name_char(b: u8) -> bool {
    class(b) & NAME_BYTE != 0
}

/// Check one ATTRNAME occupying `text[start..end]`.
fn check_name(text: &str, start: usize, end: usize) -> Result<(), PathError> {
    let bytes = text.as_bytes();
    let name = bytes.get(start..end).unwrap_or_default();
    match name.first() {
        Some(b) if b.is_ascii_alphabetic() => {}
        Some(b'$') if name.len() == 4 && name[1..].eq_ignore_ascii_case(b"ref") => return Ok(()),
        _ => return Err(PathError::at(text, start, PathErrorKind::AttributeName)),
    }
    match name.iter().position(|&b| !is_name_char(b)) {
        Some(i) => Err(PathError::at(text, start + i, PathErrorKind::NameChar)),
        None => Ok(()),
    }
}

/// Check the URI before the last colon: `scheme ":" rest` (RFC 3986 §3.1).
fn check_urn(text: &str, end: usize) -> Result<(), PathError> {
    let urn = text.as_bytes().get(..end).unwrap_or_default();
    let scheme_ok = urn.iter().position(|&b| b == b':').is_some_and(|colon| {
        colon > 0
            && urn[0].is_ascii_alphabetic()
            && urn[..colon]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            && colon + 1 < urn.len()
    });
    if scheme_ok {
        Ok(())
    } else {
        Err(PathError::at(text, 0, PathErrorKind::SchemaUrn))
    }
}

impl AttrPath {
    /// The longest path this crate accepts, in bytes.
    pub const MAX_LEN: usize = 1024;

    /// Parse a whole text as a path. Surrounding blanks are not allowed.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let (path, used) = Self::parse_prefix(text)?;
        if used == text.len() {
            Ok(path)
        } else {
            Err(PathError::at(text, used, PathErrorKind::End))
        }
    }

    /// Parse the path at the start of `text`; return it and the bytes used.
    ///
    /// The path ends at the first byte that cannot be part of one (a blank,
    /// `[`, `]`, `(`, `)`, `"`, ...). Used by the filter and PATCH grammars.
    pub fn parse_prefix(text: &str) -> Result<(Self, usize), PathError> {
        // One pass finds the end of the path, its last colon and the dots
        // after that colon; `.` and `:` inside the URN are allowed.
        let bytes = text.as_bytes();
        let limit = bytes.len().min(Self::MAX_LEN + 1);
        let (mut end, mut last_colon, mut dot, mut second_dot) = (limit, None, None, None);
        for (i, &b) in bytes[..limit].iter().enumerate() {
            match b {
                b':' => (last_colon, dot, second_dot) = (Some(i), None, None),
                b'.' if dot.is_none() => dot = Some(i),
                b'.' if second_dot.is_none() => second_dot = Some(i),
                _ if is_path_byte(b) => {}
                _ => {
                    end = i;
                    break;
                }
            }
        }
        if end > Self::MAX_LEN {
            // All bytes up to MAX_LEN are ASCII path bytes, so it is a char boundary.
            return Err(PathError::at(text, Self::MAX_LEN, PathErrorKind::TooLong));
        }
        let name_start = match last_colon {
            Some(colon) => {
                check_urn(text, colon)?;
                colon + 1
            }
            None => 0,
        };
        let attr_end = dot.unwrap_or(end);
        check_name(text, name_start, attr_end)?;
        if let Some(dot) = dot {
            let sub_end = second_dot.unwrap_or(end);
            check_name(text, dot + 1, sub_end)?;
            if second_dot.is_some() {
                return Err(PathError::at(
                    text,
                    sub_end,
                    PathErrorKind::TooManySubAttributes,
                ));
            }
        }
        // Every offset is at most MAX_LEN (checked above), so fits a u16.
        let offset = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        let path = Self {
            text: CompactString::new(&text[..end]),
            attr_start: offset(name_start),
            sub_start: dot.map(|d| offset(d + 1)),
        };
        Ok((path, end))
    }

    /// Build a path from parts, validating each as if parsed.
    pub fn from_parts(
        schema: Option<&str>,
        attribute: &str,
        sub_attribute: Option<&str>,
    ) -> Result<Self, PathError> {
        let mut text = String::new();
        if let Some(s) = schema {
            text.push_str(s);
            text.push(':');
        }
        text.push_str(attribute);
        if let Some(s) = sub_attribute {
            text.push('.');
            text.push_str(s);
        }
        let path = Self::parse(&text)?;
        // A schema containing no colon of its own would move the split point.
        if path.schema() != schema || path.attribute() != attribute {
            return Err(PathError::at(&text, 0, PathErrorKind::SchemaUrn));
        }
        Ok(path)
    }

    /// The schema URN, if the path is qualified.
    pub fn schema(&self) -> Option<&str> {
        // The schema ends at the colon just before the attribute name.
        usize::from(self.attr_start)
            .checked_sub(1)
            .and_then(|colon| self.text.get(..colon))
    }

    /// The attribute name, as spelled in the input.
    pub fn attribute(&self) -> &str {
        let end = self
            .sub_start
            .map_or(self.text.len(), |s| usize::from(s) - 1);
        self.text
            .get(usize::from(self.attr_start)..end)
            .unwrap_or_default()
    }

    /// The sub-attribute name, if any.
    pub fn sub_attribute(&self) -> Option<&str> {
        self.sub_start.and_then(|s| self.text.get(usize::from(s)..))
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The same path without its sub-attribute.
    #[must_use]
    pub fn parent(&self) -> Self {
        match self.sub_start {
            Some(s) => Self {
                text: CompactString::new(self.text.get(..usize::from(s) - 1).unwrap_or_default()),
                attr_start: self.attr_start,
                sub_start: None,
            },
            None => self.clone(),
        }
    }

    /// True when the whole path text, read as a URN, is `urn`
    /// (case-insensitively): `urn:...:enterprise:2.0:User` parses as schema
    /// `urn:...:enterprise:2.0` plus attribute `User`, and this tells a bare
    /// extension URN apart from an attribute.
    pub fn is_urn(&self, urn: &str) -> bool {
        // Qualified and without a sub-attribute, the text is `schema:attribute`:
        // the URN itself.
        self.attr_start > 0 && self.sub_start.is_none() && urn.eq_ignore_ascii_case(&self.text)
    }
}

impl PartialEq for AttrPath {
    /// Case-insensitive (RFC 7643 §2.1, RFC 7644 §3.10). Paths equal up to
    /// ASCII case have their separators in the same places, so comparing
    /// the whole text compares every part.
    fn eq(&self, other: &Self) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }
}

impl Eq for AttrPath {}

impl Hash for AttrPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text
            .bytes()
            .for_each(|b| state.write_u8(b.to_ascii_lowercase()));
        state.write_u8(0xff);
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for AttrPath {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for AttrPath {
    type Error = PathError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl serde::Serialize for AttrPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for AttrPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    type Parts<'a> = (Option<&'a str>, &'a str, Option<&'a str>);

    #[test]
    fn byte_classes_are_the_grammar_sets() {
        let name_bytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        let other_path_bytes = ".~:%/?@+=;,!*$&";
        for b in 0..=u8::MAX {
            let name = name_bytes.as_bytes().contains(&b);
            let path = name || other_path_bytes.as_bytes().contains(&b);
            assert_eq!(is_name_char(b), name, "byte {b:#04x}");
            assert_eq!(is_path_byte(b), path, "byte {b:#04x}");
        }
    }

    #[test]
    fn short_and_long_paths_keep_their_parts() {
        // Inline (up to 24 bytes) and on the heap: the same answers.
        for text in [
            "userName",
            "name.familyName",
            "abcdefghijklmnopqrstuvw.x",
            &format!("{ENT}:manager.value"),
            &format!("{CORE}:{}", "a".repeat(900)),
        ] {
            let p = AttrPath::parse(text).unwrap();
            assert_eq!(p.as_str(), text);
            assert_eq!(p.to_string(), text);
            let rebuilt = AttrPath::from_parts(p.schema(), p.attribute(), p.sub_attribute());
            assert_eq!(rebuilt.unwrap(), p);
            assert_eq!(p.parent().sub_attribute(), None);
        }
    }

    fn parts(p: &AttrPath) -> Parts<'_> {
        (p.schema(), p.attribute(), p.sub_attribute())
    }

    #[test]
    fn parses_the_rfc_forms() {
        let cases: &[(&str, Parts<'_>)] = &[
            ("userName", (None, "userName", None)),
            ("name.familyName", (None, "name", Some("familyName"))),
            ("members", (None, "members", None)),
            ("groups.$ref", (None, "groups", Some("$ref"))),
            ("x509Certificates", (None, "x509Certificates", None)),
            ("a-b_c9", (None, "a-b_c9", None)),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
                (Some(CORE), "name", Some("familyName")),
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                (Some(ENT), "manager", Some("value")),
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                (Some(ENT), "employeeNumber", None),
            ),
            (
                ENT,
                (
                    Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0"),
                    "User",
                    None,
                ),
            ),
        ];
        for (text, want) in cases {
            let p = AttrPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parts(&p), *want, "{text}");
            assert_eq!(p.to_string(), *text);
        }
    }

    #[test]
    fn rejects_with_offset_and_expectation() {
        use PathErrorKind::*;
        let cases: &[(&str, usize, PathErrorKind)] = &[
            ("", 0, AttributeName),
            ("123invalid", 0, AttributeName),
            ("invalid@path", 7, NameChar),
            ("name..familyName", 5, AttributeName),
            ("a.b.c", 3, TooManySubAttributes),
            ("name.", 5, AttributeName),
            (".name", 0, AttributeName),
            ("emails[type eq \"work\"]", 6, End),
            ("userName ", 8, End),
            (" userName", 0, AttributeName),
            ("emails.type[type eq \"work\"].value", 11, End),
            ("foo:bar", 0, SchemaUrn),
            (":bar", 0, SchemaUrn),
            ("urn:x:", 6, AttributeName),
            ("$refs", 0, AttributeName),
            ("$", 0, AttributeName),
            ("na$me", 2, NameChar),
            ("名前", 0, AttributeName),
        ];
        for (text, offset, kind) in cases {
            let e = AttrPath::parse(text).expect_err(text);
            assert_eq!((e.offset(), e.kind()), (*offset, *kind), "{text}: {e}");
        }
    }

    #[test]
    fn error_message_says_what_and_where() {
        let e = AttrPath::parse("name.given.family").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid attribute path at byte 10: expected the end of the path (at most one sub-attribute), found '.'"
        );
        let scim: crate::ScimError = e.into();
        assert_eq!(scim.scim_type(), Some(&crate::ScimType::InvalidPath));
        assert_eq!(scim.status(), 400);
    }

    #[test]
    fn too_long_is_an_error_not_a_scan() {
        let long = "a".repeat(AttrPath::MAX_LEN + 1);
        assert_eq!(
            AttrPath::parse(&long).unwrap_err().kind(),
            PathErrorKind::TooLong
        );
        let ok = "a".repeat(AttrPath::MAX_LEN);
        assert!(AttrPath::parse(&ok).is_ok());
        let huge = format!("urn:x:{}", "y".repeat(1 << 20));
        assert_eq!(
            AttrPath::parse(&huge).unwrap_err().offset(),
            AttrPath::MAX_LEN
        );
    }

    #[test]
    fn compares_case_insensitively_and_keeps_spelling() {
        let a = AttrPath::parse("name.familyName").unwrap();
        let b = AttrPath::parse("NAME.FAMILYNAME").unwrap();
        assert_eq!(a, b);
        assert_eq!(b.to_string(), "NAME.FAMILYNAME");
        let hash = |p: &AttrPath| {
            use std::collections::hash_map::DefaultHasher;
            let mut h = DefaultHasher::new();
            p.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(a, AttrPath::parse("name").unwrap());
        assert_ne!(
            a,
            AttrPath::parse(&format!("{CORE}:name.familyName")).unwrap()
        );
    }

    #[test]
    fn prefix_stops_at_filter_delimiters() {
        for (text, used) in [
            ("emails[type eq \"work\"]", 6),
            ("title pr", 5),
            ("userName)", 8),
            ("name.familyName eq \"x\"", 15),
        ] {
            assert_eq!(AttrPath::parse_prefix(text).unwrap().1, used, "{text}");
        }
    }

    #[test]
    fn bare_urn_detection() {
        let p = AttrPath::parse(ENT).unwrap();
        assert!(p.is_urn(ENT));
        assert!(p.is_urn(&ENT.to_uppercase()));
        assert!(!p.is_urn(CORE));
        assert!(!AttrPath::parse("userName").unwrap().is_urn(ENT));
    }

    #[test]
    fn from_parts_validates() {
        let p = AttrPath::from_parts(Some(CORE), "name", Some("givenName")).unwrap();
        assert_eq!(p.to_string(), format!("{CORE}:name.givenName"));
        assert!(AttrPath::from_parts(None, "a.b", None).is_err());
        assert!(AttrPath::from_parts(Some("urn:a:b"), "c:d", None).is_err());
        assert!(AttrPath::from_parts(None, "9", None).is_err());
    }

    #[test]
    fn serde_as_string() {
        let p: AttrPath = serde_json::from_str("\"emails.value\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"emails.value\"");
        assert!(serde_json::from_str::<AttrPath>("\"a..b\"").is_err());
    }
}
