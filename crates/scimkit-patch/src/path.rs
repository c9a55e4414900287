//! PATCH paths (RFC 7644 §3.5.2, Figure 7):
//!
//! ```text
//! PATH = attrPath / valuePath [subAttr]
//! ```
//!
//! `name.familyName`, `members[value eq "2819c223"]`,
//! `emails[type eq "work"].value`, a URN-qualified attribute, or a bare
//! extension URN. Errata 7122 (Held for Document Update) adds `attrExp`
//! (`schemas eq "urn:..."`), which addresses values of a simple
//! multi-valued attribute; it is accepted too.
//!
//! The attribute path comes from scimkit-schema and the value filter from
//! scimkit-filter ([`scimkit_filter::parse_value_path_prefix`]): there is one
//! grammar for each, and this module only glues them. A syntax error inside
//! the brackets is `invalidFilter`; anything else malformed is `invalidPath`
//! (RFC 7644 §3.12 lists both for PATCH).

use std::fmt;
use std::str::FromStr;

use scimkit_filter::{Filter, FilterError, ParseOptions};
use scimkit_schema::{AttrPath, PathError, ScimError, ScimType};

use crate::value::excerpt;

/// A parsed PATCH path.
///
/// Non-exhaustive, as are its value-path and expression forms: the PATCH
/// path grammar has grown once (errata 7122's expressions) and may again,
/// so a `match` needs a fallback arm and patterns on those forms a `..`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PatchPath {
    /// `attr`, `attr.sub`, `urn:...:attr[.sub]` or a bare extension URN.
    Attribute(AttrPath),
    /// `attr[filter]` or `attr[filter].sub`.
    #[non_exhaustive]
    ValuePath {
        /// The multi-valued complex attribute.
        attribute: AttrPath,
        /// Which of its values.
        filter: Filter,
        /// The sub-attribute of those values, if named.
        sub_attribute: Option<String>,
    },
    /// Errata 7122: `attr op value` or `attr pr`, selecting values of a
    /// simple multi-valued attribute (`schemas eq "urn:..."`).
    #[non_exhaustive]
    Expression {
        /// The attribute (the expression's path).
        attribute: AttrPath,
        /// The expression: a `Compare` or `Present` on `attribute`.
        filter: Filter,
    },
}

/// Why a text is not a PATCH path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid PATCH path {text}: {message}")]
pub struct PatchPathError {
    /// The path, quoted and cut to a bounded prefix.
    text: String,
    message: String,
    offset: usize,
    in_filter: bool,
}

impl PatchPathError {
    fn path(text: &str, e: &PathError) -> Self {
        Self {
            text: excerpt(text),
            message: e.to_string(),
            offset: e.offset(),
            in_filter: false,
        }
    }

    fn filter(text: &str, e: &FilterError) -> Self {
        Self {
            text: excerpt(text),
            message: e.to_string(),
            offset: e.offset(),
            in_filter: true,
        }
    }

    fn other(text: &str, offset: usize, message: &str) -> Self {
        Self {
            text: excerpt(text),
            message: format!("at byte {offset}: {message}"),
            offset,
            in_filter: false,
        }
    }

    /// What is wrong, without the path text.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset of the problem.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The `scimType`: `invalidFilter` for a syntax error inside `[...]`,
    /// `invalidPath` otherwise.
    pub fn scim_type(&self) -> ScimType {
        if self.in_filter {
            ScimType::InvalidFilter
        } else {
            ScimType::InvalidPath
        }
    }
}

impl From<PatchPathError> for ScimError {
    fn from(e: PatchPathError) -> Self {
        Self::new(e.scim_type(), e.to_string())
    }
}

impl PatchPath {
    /// `attribute[filter]`, or `attribute[filter].sub_attribute`, from its
    /// parts (a program that derives a PATCH path from a filter's value
    /// path, say). Nothing is checked here:
    /// [`PatchRequest::apply`](crate::PatchRequest::apply) checks the path
    /// against the schema.
    ///
    /// ```
    /// use scimkit_filter::Filter;
    /// use scimkit_patch::PatchPath;
    /// use scimkit_schema::AttrPath;
    ///
    /// let path = PatchPath::value_path(
    ///     AttrPath::parse("emails")?,
    ///     Filter::parse(r#"type eq "work""#)?,
    ///     Some("value".to_owned()),
    /// );
    /// assert_eq!(path, PatchPath::parse(r#"emails[type eq "work"].value"#)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value_path(attribute: AttrPath, filter: Filter, sub_attribute: Option<String>) -> Self {
        Self::ValuePath {
            attribute,
            filter,
            sub_attribute,
        }
    }

    /// Parse a PATCH path. No blanks are allowed around it.
    pub fn parse(text: &str) -> Result<Self, PatchPathError> {
        let (attribute, used) =
            AttrPath::parse_prefix(text).map_err(|e| PatchPathError::path(text, &e))?;
        let rest = &text[used..];
        match rest.as_bytes().first() {
            None => Ok(Self::Attribute(attribute)),
            Some(b'[') => Self::parse_value_path(text),
            Some(b' ') => Self::expression(text),
            Some(_) => Err(PatchPathError::other(
                text,
                used,
                "expected `[`, a sub-attribute or the end of the path",
            )),
        }
    }

    fn parse_value_path(text: &str) -> Result<Self, PatchPathError> {
        let (attribute, filter, used) =
            scimkit_filter::parse_value_path_prefix(text, ParseOptions::default())
                .map_err(|e| PatchPathError::filter(text, &e))?;
        let rest = &text[used..];
        let sub_attribute = match rest.strip_prefix('.') {
            None if rest.is_empty() => None,
            None => {
                return Err(PatchPathError::other(
                    text,
                    used,
                    "expected `.subAttribute` or the end of the path after `]`",
                ))
            }
            Some(name) => {
                let sub = AttrPath::parse(name)
                    .map_err(|e| PatchPathError::path(text, &e.shifted(used + 1)))?;
                if sub.schema().is_some() {
                    return Err(PatchPathError::other(
                        text,
                        used + 1,
                        "expected one sub-attribute name after `].`",
                    ));
                }
                if sub.sub_attribute().is_some() {
                    let dot = used + 1 + sub.attribute().len();
                    return Err(PatchPathError::other(
                        text,
                        dot,
                        "expected the end of the path after `].subAttribute`",
                    ));
                }
                Some(sub.attribute().to_owned())
            }
        };
        Ok(Self::ValuePath {
            attribute,
            filter,
            sub_attribute,
        })
    }

    fn expression(text: &str) -> Result<Self, PatchPathError> {
        let filter = Filter::parse(text).map_err(|e| PatchPathError::filter(text, &e))?;
        match &filter {
            Filter::Present { path, .. } => Ok(Self::Expression {
                attribute: path.clone(),
                filter,
            }),
            Filter::Compare { op, path, .. } if !op.is_ordering() => Ok(Self::Expression {
                attribute: path.clone(),
                filter,
            }),
            Filter::Compare { .. } => Err(PatchPathError::other(
                text,
                0,
                "an expression path selects values with eq, ne, co, sw, ew or pr",
            )),
            _ => Err(PatchPathError::other(
                text,
                0,
                "a PATCH path is an attribute, not a boolean expression",
            )),
        }
    }

    /// The attribute the path starts from.
    pub fn attribute(&self) -> &AttrPath {
        match self {
            Self::Attribute(a)
            | Self::ValuePath { attribute: a, .. }
            | Self::Expression { attribute: a, .. } => a,
        }
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Attribute(a) => write!(f, "{a}"),
            Self::ValuePath {
                attribute,
                filter,
                sub_attribute,
            } => {
                write!(f, "{attribute}[{filter}]")?;
                if let Some(sub) = sub_attribute {
                    write!(f, ".{sub}")?;
                }
                Ok(())
            }
            Self::Expression { filter, .. } => write!(f, "{filter}"),
        }
    }
}

impl FromStr for PatchPath {
    type Err = PatchPathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_figure_8_paths_round_trip() {
        for text in [
            "members",
            "name.familyName",
            r#"addresses[type eq "work"]"#,
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName"#,
            r#"emails[type eq "work"].value"#,
            r#"addresses[type eq "work"].streetAddress"#,
            "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            "title pr",
            r#"emails[type eq "work" and not (value ew "@x.org")].display"#,
        ] {
            let p = PatchPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.to_string(), text);
            assert_eq!(PatchPath::parse(&p.to_string()).unwrap(), p);
        }
    }

    #[test]
    fn malformed_paths() {
        let cases = [
            ("", ScimType::InvalidPath, 0),
            ("name..familyName", ScimType::InvalidPath, 5),
            ("a.b.c", ScimType::InvalidPath, 3),
            ("123invalid", ScimType::InvalidPath, 0),
            ("invalid@path", ScimType::InvalidPath, 7),
            (r#"emails[type eq "work""#, ScimType::InvalidFilter, 21),
            (
                r#"emails.type[type eq "work"].value"#,
                ScimType::InvalidFilter,
                11,
            ),
            (
                r#"emails[type eq "work"] and active eq true"#,
                ScimType::InvalidPath,
                22,
            ),
            (r#"not (emails[type eq "work"])"#, ScimType::InvalidPath, 0),
            (r#"(emails[type eq "work"])"#, ScimType::InvalidPath, 0),
            (
                r#"emails[type eq "work"].value.x"#,
                ScimType::InvalidPath,
                28,
            ),
            (r#"emails[type eq "work"]x"#, ScimType::InvalidPath, 22),
            (
                r#"emails[type eq "work"].urn:a:b"#,
                ScimType::InvalidPath,
                23,
            ),
            ("title gt 5", ScimType::InvalidPath, 0),
            ("name.familyName ", ScimType::InvalidFilter, 16),
        ];
        for (text, scim_type, offset) in cases {
            let e = PatchPath::parse(text).expect_err(text);
            assert_eq!(
                (e.scim_type(), e.offset()),
                (scim_type, offset),
                "{text}: {e}"
            );
            assert_eq!(ScimError::from(e).status(), 400);
        }
    }
}
