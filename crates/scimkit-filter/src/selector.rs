//! The `type`/`primary` selector of a value filter: what
//! `emails[type eq "work" and primary eq true]` says about *which* element
//! it means, apart from what it says about the element's value.
//!
//! Multi-valued attributes with a `type` (emails, phoneNumbers, addresses,
//! ims, ...) are addressed by their type, and sometimes by `primary`, in
//! PATCH paths, filters and mapping tables. Several crates need the same
//! reading of those terms (which terms count, when two contradict, how an
//! element is matched), so it lives here once.
//!
//! A *selector term* is `type eq "<string>"` or `primary eq true|false`,
//! naming the bare sub-attribute (no schema URN, no further sub-attribute).
//! Names compare case-insensitively (RFC 7643 §2.1).
//!
//! ```
//! use scimkit_filter::{Filter, Selector};
//!
//! let f = Filter::parse(r#"type eq "work" and primary eq true"#)?;
//! let s = Selector::exact(&f).unwrap();
//! assert_eq!((s.type_value(), s.primary()), (Some("work"), Some(true)));
//! assert!(s.matches(Some("Work"), Some(true)));
//! assert!(!s.matches(Some("work"), Some(false)));
//!
//! let f = Filter::parse(r#"type eq "other" and value sw "a""#)?;
//! let (s, rest) = Selector::split(&f)?;
//! assert_eq!(s.type_value(), Some("other"));
//! assert_eq!(rest.len(), 1);
//! assert_eq!(rest[0].to_string(), r#"value sw "a""#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use scimkit_schema::AttrPath;

use crate::{CompValue, CompareOp, Filter};

/// What a value filter's `type eq "..."` and `primary eq ...` terms
/// select. Empty when it has none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Selector {
    type_value: Option<String>,
    primary: Option<bool>,
}

/// Why a value filter's `type`/`primary` terms do not make one selector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SelectorError {
    /// Two terms contradict each other (`type eq "a" and type eq "b"`).
    Contradiction,
    /// `type` or `primary` is used other than as an `eq` term of the
    /// top-level `and` (`type eq "a" or type eq "b"`, `not (primary eq
    /// true)`, `type sw "w"`).
    NotPlain,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Contradiction => "the type and primary terms contradict each other",
            Self::NotPlain => {
                "type and primary select an element only as `type eq \"...\"` and \
                 `primary eq true|false` joined to the rest by `and`"
            }
        })
    }
}

impl std::error::Error for SelectorError {}

/// True when `path` names the selector sub-attribute `type` or `primary`
/// (bare: no schema URN, no sub-attribute).
pub fn is_selector_attribute(path: &AttrPath) -> bool {
    path.schema().is_none()
        && path.sub_attribute().is_none()
        && (path.attribute().eq_ignore_ascii_case("type")
            || path.attribute().eq_ignore_ascii_case("primary"))
}

impl Selector {
    /// A selector from its parts.
    pub fn new(type_value: Option<String>, primary: Option<bool>) -> Self {
        Self {
            type_value,
            primary,
        }
    }

    /// The `type` it requires, if any.
    pub fn type_value(&self) -> Option<&str> {
        self.type_value.as_deref()
    }

    /// The `primary` it requires, if any.
    pub fn primary(&self) -> Option<bool> {
        self.primary
    }

    /// True when it requires neither.
    pub fn is_empty(&self) -> bool {
        self.type_value.is_none() && self.primary.is_none()
    }

    /// Take one comparison into the selector: `Ok(true)` when it is a
    /// selector term (and agrees with those taken before), `Ok(false)` when
    /// it is not one, [`SelectorError::Contradiction`] when it contradicts
    /// an earlier term.
    pub fn absorb(
        &mut self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
    ) -> Result<bool, SelectorError> {
        if op != CompareOp::Eq || !is_selector_attribute(path) {
            return Ok(false);
        }
        match value {
            CompValue::String(t) if path.attribute().eq_ignore_ascii_case("type") => {
                if self.type_value.as_ref().is_some_and(|old| old != t) {
                    return Err(SelectorError::Contradiction);
                }
                self.type_value = Some(t.to_string());
                Ok(true)
            }
            CompValue::Bool(b) if path.attribute().eq_ignore_ascii_case("primary") => {
                if self.primary.is_some_and(|old| old != *b) {
                    return Err(SelectorError::Contradiction);
                }
                self.primary = Some(*b);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// The selector of a filter made *only* of selector terms joined by
    /// `and` (`type eq "work" and primary eq true`); `None` when it has
    /// other terms or contradicts itself.
    pub fn exact(filter: &Filter) -> Option<Self> {
        let (selector, rest) = Self::split(filter).ok()?;
        rest.is_empty().then_some(selector)
    }

    /// Split a value filter into its selector and the other terms of its
    /// top-level `and` (in order). An error when the selector contradicts
    /// itself, or when `type`/`primary` appears anywhere else (then the
    /// element it means depends on more than its type and primary).
    pub fn split(filter: &Filter) -> Result<(Self, Vec<&Filter>), SelectorError> {
        let terms: &[Filter] = match filter {
            Filter::And { children, .. } => children,
            other => std::slice::from_ref(other),
        };
        let mut selector = Self::default();
        let mut rest = Vec::new();
        for term in terms {
            let taken = match term {
                Filter::Compare {
                    path, op, value, ..
                } => selector.absorb(path, *op, value)?,
                _ => false,
            };
            if !taken {
                if mentions_selector(term) {
                    return Err(SelectorError::NotPlain);
                }
                rest.push(term);
            }
        }
        Ok((selector, rest))
    }

    /// Whether an element whose `type` and `primary` are these passes the
    /// selector, as evaluating the filter would decide: `type` compares
    /// ignoring case (its `caseExact` is false in RFC 7643 §4.1.2), and a
    /// required `primary` must be present with that value (an element
    /// without `primary` matches neither `primary eq true` nor `primary eq
    /// false`, like any comparison with a missing attribute).
    pub fn matches(&self, type_value: Option<&str>, primary: Option<bool>) -> bool {
        let type_ok = match (&self.type_value, type_value) {
            (None, _) => true,
            (Some(want), Some(have)) => want.eq_ignore_ascii_case(have),
            (Some(_), None) => false,
        };
        type_ok && self.primary.is_none_or(|want| primary == Some(want))
    }
}

/// True when `filter` compares or tests `type` or `primary` anywhere.
fn mentions_selector(filter: &Filter) -> bool {
    let mut found = false;
    filter.walk(&mut |node| match node {
        Filter::Compare { path, .. } | Filter::Present { path, .. } => {
            found |= is_selector_attribute(path);
        }
        _ => {}
    });
    found
}

impl fmt::Display for Selector {
    /// The selector as filter text (`type eq "work" and primary eq true`);
    /// empty when it selects nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(t) = &self.type_value {
            write!(f, "type eq {}", CompValue::String(t.as_str().into()))?;
            sep = " and ";
        }
        if let Some(p) = self.primary {
            write!(f, "{sep}primary eq {p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Filter {
        Filter::parse(s).unwrap()
    }

    #[test]
    fn exact_takes_only_selector_terms() {
        let s = Selector::exact(&f(r#"type eq "work" and primary eq true"#)).unwrap();
        assert_eq!(s, Selector::new(Some("work".into()), Some(true)));
        assert_eq!(s.to_string(), r#"type eq "work" and primary eq true"#);
        assert_eq!(
            Selector::exact(&f(r#"TYPE eq "x""#)).unwrap().type_value(),
            Some("x")
        );
        assert_eq!(
            Selector::exact(&f("primary eq false")).unwrap().primary(),
            Some(false)
        );
        for not_exact in [
            r#"type eq "work" and value eq "x""#,
            r#"type eq "a" and type eq "b""#,
            r#"type eq "a" or type eq "b""#,
            r#"type sw "w""#,
            r#"type eq true"#,
            r#"primary eq "true""#,
            "not (primary eq true)",
            r#"emails.type eq "work""#,
            r#"urn:x:type eq "work""#,
        ] {
            assert_eq!(Selector::exact(&f(not_exact)), None, "{not_exact}");
        }
        // Repeating a term is no contradiction.
        assert!(Selector::exact(&f(r#"type eq "a" and type eq "a""#)).is_some());
    }

    #[test]
    fn split_separates_the_rest_and_refuses_mixed_use() {
        let filter = f(r#"type eq "work" and value sw "a" and display pr"#);
        let (s, rest) = Selector::split(&filter).unwrap();
        assert_eq!(s.type_value(), Some("work"));
        let rest: Vec<String> = rest.iter().map(|r| r.to_string()).collect();
        assert_eq!(rest, [r#"value sw "a""#, "display pr"]);

        let filter = f(r#"value eq "x""#);
        let (s, rest) = Selector::split(&filter).unwrap();
        assert!(s.is_empty() && rest.len() == 1);

        assert_eq!(
            Selector::split(&f(r#"type eq "a" or value eq "b""#)).unwrap_err(),
            SelectorError::NotPlain
        );
        assert_eq!(
            Selector::split(&f(r#"value eq "b" and not (primary eq true)"#)).unwrap_err(),
            SelectorError::NotPlain
        );
        assert_eq!(
            Selector::split(&f(r#"type ne "a""#)).unwrap_err(),
            SelectorError::NotPlain
        );
        assert_eq!(
            Selector::split(&f("primary eq true and primary eq false")).unwrap_err(),
            SelectorError::Contradiction
        );
        assert!(!SelectorError::NotPlain.to_string().is_empty());
    }

    #[test]
    fn matches_like_evaluation() {
        let work_primary = Selector::new(Some("work".into()), Some(true));
        assert!(work_primary.matches(Some("WORK"), Some(true)));
        assert!(!work_primary.matches(Some("work"), None));
        assert!(!work_primary.matches(None, Some(true)));
        let primary = Selector::new(None, Some(true));
        assert!(primary.matches(Some("other"), Some(true)));
        assert!(!primary.matches(Some("other"), None));
        let not_primary = Selector::new(None, Some(false));
        assert!(not_primary.matches(Some("work"), Some(false)));
        assert!(!not_primary.matches(Some("other"), None));
        assert!(Selector::default().matches(None, None));
        assert_eq!(Selector::default().to_string(), "");
        assert_eq!(not_primary.to_string(), "primary eq false");
    }

    #[test]
    fn absorb_reports_each_term() {
        let mut s = Selector::default();
        let p = |t: &str| AttrPath::parse(t).unwrap();
        let work = CompValue::String("work".into());
        assert_eq!(s.absorb(&p("type"), CompareOp::Eq, &work), Ok(true));
        assert_eq!(s.absorb(&p("value"), CompareOp::Eq, &work), Ok(false));
        assert_eq!(s.absorb(&p("type"), CompareOp::Ne, &work), Ok(false));
        assert_eq!(
            s.absorb(&p("type"), CompareOp::Eq, &CompValue::String("x".into())),
            Err(SelectorError::Contradiction)
        );
    }
}
