//! The filter syntax tree.
//!
//! This module only represents filters; it knows nothing of evaluation
//! (see `eval`) or printing (see `display`). Every node carries the byte
//! [`Span`] of the input it was parsed from, so tools can point at the exact
//! clause they act on.
//!
//! `and` and `or` are n-ary: `a and b and c` is one [`Filter::And`] with
//! three children, and `(a and b) and c` parses to the same tree (grouping a
//! clause with the same operator changes nothing). Equality (`==`) is
//! structural and ignores spans; attribute paths compare case-insensitively
//! (RFC 7643 §2.1), literals exactly.

use std::fmt;

pub use compact_str::CompactString;
use scimkit_schema::AttrPath;
use serde_json::{Number, Value};

/// A byte range `start..end` of the parsed input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The text this span covers in `input` (empty if out of range).
    pub fn slice(self, input: &str) -> &str {
        input.get(self.start..self.end).unwrap_or_default()
    }
}

/// An attribute operator of RFC 7644 §3.4.2.2 Table 3 (other than `pr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `lt`: less than.
    Lt,
    /// `ge`: greater than or equal.
    Ge,
    /// `le`: less than or equal.
    Le,
}

impl CompareOp {
    /// Every operator.
    pub const ALL: [Self; 9] = [
        Self::Eq,
        Self::Ne,
        Self::Co,
        Self::Sw,
        Self::Ew,
        Self::Gt,
        Self::Lt,
        Self::Ge,
        Self::Le,
    ];

    /// The canonical (lowercase) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Lt => "lt",
            Self::Ge => "ge",
            Self::Le => "le",
        }
    }

    /// Parse an operator in any ASCII case.
    pub fn from_keyword(word: &str) -> Option<Self> {
        // Every operator is two ASCII letters: one match on their lower
        // case, rather than nine case-insensitive comparisons.
        let [a, b] = <[u8; 2]>::try_from(word.as_bytes()).ok()?;
        Some(match [a.to_ascii_lowercase(), b.to_ascii_lowercase()] {
            [b'e', b'q'] => Self::Eq,
            [b'n', b'e'] => Self::Ne,
            [b'c', b'o'] => Self::Co,
            [b's', b'w'] => Self::Sw,
            [b'e', b'w'] => Self::Ew,
            [b'g', b't'] => Self::Gt,
            [b'l', b't'] => Self::Lt,
            [b'g', b'e'] => Self::Ge,
            [b'l', b'e'] => Self::Le,
            _ => return None,
        })
    }

    /// True for `gt`, `lt`, `ge`, `le`.
    pub fn is_ordering(self) -> bool {
        matches!(self, Self::Gt | Self::Lt | Self::Ge | Self::Le)
    }

    /// True for `co`, `sw`, `ew`.
    pub fn is_substring(self) -> bool {
        matches!(self, Self::Co | Self::Sw | Self::Ew)
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison literal: a JSON `false`, `null`, `true`, number or string.
#[derive(Clone, Debug, PartialEq)]
pub enum CompValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A JSON number.
    Number(Number),
    /// A JSON string, unescaped. A [`CompactString`]: kept inline up to
    /// 24 bytes (most filter literals: `"work"`, `"bjensen"`, a dateTime),
    /// so parsing one does not allocate. It derefs to `str`, and converts
    /// from and into `String`.
    String(CompactString),
}

impl CompValue {
    /// As a JSON value.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => Value::Number(n.clone()),
            Self::String(s) => Value::String(s.to_string()),
        }
    }
}

/// A parsed filter.
///
/// Non-exhaustive: a later grammar (a compat form, an extension operator)
/// may add a variant; translators should refuse what they do not know.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Filter {
    /// `path op value`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The literal.
        value: CompValue,
        /// Where in the input.
        span: Span,
    },
    /// `path pr`.
    Present {
        /// The attribute tested.
        path: AttrPath,
        /// Where in the input.
        span: Span,
    },
    /// `a and b [and c ...]`: at least two children, none of them `And`.
    And {
        /// The operands, left to right.
        children: Vec<Self>,
        /// Where in the input.
        span: Span,
    },
    /// `a or b [or c ...]`: at least two children, none of them `Or`.
    Or {
        /// The operands, left to right.
        children: Vec<Self>,
        /// Where in the input.
        span: Span,
    },
    /// `not (f)`.
    Not {
        /// The negated filter.
        filter: Box<Self>,
        /// Where in the input.
        span: Span,
    },
    /// `path[f]`: one value of the multi-valued `path` satisfies all of `f`.
    ValuePath {
        /// The (complex, usually multi-valued) attribute.
        path: AttrPath,
        /// The filter on its sub-attributes.
        filter: Box<Self>,
        /// Where in the input.
        span: Span,
    },
}

impl Filter {
    /// The byte span of this node.
    pub fn span(&self) -> Span {
        match self {
            Self::Compare { span, .. }
            | Self::Present { span, .. }
            | Self::And { span, .. }
            | Self::Or { span, .. }
            | Self::Not { span, .. }
            | Self::ValuePath { span, .. } => *span,
        }
    }

    /// `path op value` with an empty span.
    pub fn compare(path: AttrPath, op: CompareOp, value: CompValue) -> Self {
        Self::Compare {
            path,
            op,
            value,
            span: Span::default(),
        }
    }

    /// `path pr` with an empty span.
    pub fn present(path: AttrPath) -> Self {
        Self::Present {
            path,
            span: Span::default(),
        }
    }

    /// `not (filter)` with an empty span.
    pub fn negate(filter: Self) -> Self {
        Self::Not {
            filter: Box::new(filter),
            span: Span::default(),
        }
    }

    /// `path[filter]` with an empty span.
    pub fn value_path(path: AttrPath, filter: Self) -> Self {
        Self::ValuePath {
            path,
            filter: Box::new(filter),
            span: Span::default(),
        }
    }

    /// `a and b`, flattened: an `And` operand contributes its children.
    pub fn and(a: Self, b: Self) -> Self {
        Self::join(true, a, b)
    }

    /// `a or b`, flattened: an `Or` operand contributes its children.
    pub fn or(a: Self, b: Self) -> Self {
        Self::join(false, a, b)
    }

    fn join(is_and: bool, a: Self, b: Self) -> Self {
        let span = Span::new(
            a.span().start.min(b.span().start),
            a.span().end.max(b.span().end),
        );
        let mut children = Vec::new();
        for operand in [a, b] {
            match operand {
                Self::And { children: c, .. } if is_and => children.extend(c),
                Self::Or { children: c, .. } if !is_and => children.extend(c),
                other => children.push(other),
            }
        }
        if is_and {
            Self::And { children, span }
        } else {
            Self::Or { children, span }
        }
    }

    /// The number of nodes in the tree.
    pub fn node_count(&self) -> usize {
        match self {
            Self::Compare { .. } | Self::Present { .. } => 1,
            Self::And { children, .. } | Self::Or { children, .. } => {
                1 + children.iter().map(Self::node_count).sum::<usize>()
            }
            Self::Not { filter, .. } | Self::ValuePath { filter, .. } => 1 + filter.node_count(),
        }
    }
}

impl PartialEq for Filter {
    /// Structural equality, ignoring spans.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Self::Compare {
                    path: p1,
                    op: o1,
                    value: v1,
                    ..
                },
                Self::Compare {
                    path: p2,
                    op: o2,
                    value: v2,
                    ..
                },
            ) => p1 == p2 && o1 == o2 && v1 == v2,
            (Self::Present { path: p1, .. }, Self::Present { path: p2, .. }) => p1 == p2,
            (Self::And { children: c1, .. }, Self::And { children: c2, .. })
            | (Self::Or { children: c1, .. }, Self::Or { children: c2, .. }) => c1 == c2,
            (Self::Not { filter: f1, .. }, Self::Not { filter: f2, .. }) => f1 == f2,
            (
                Self::ValuePath {
                    path: p1,
                    filter: f1,
                    ..
                },
                Self::ValuePath {
                    path: p2,
                    filter: f2,
                    ..
                },
            ) => p1 == p2 && f1 == f2,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_keywords_in_any_case() {
        for op in CompareOp::ALL {
            let word = op.as_str();
            let upper = word.to_ascii_uppercase();
            let mixed: String = word
                .chars()
                .enumerate()
                .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
                .collect();
            for spelling in [word, upper.as_str(), mixed.as_str()] {
                assert_eq!(CompareOp::from_keyword(spelling), Some(op), "{spelling}");
            }
        }
        for not_an_operator in ["", "e", "eqq", "pr", "and", "éq", "q", "en"] {
            assert_eq!(
                CompareOp::from_keyword(not_an_operator),
                None,
                "{not_an_operator}"
            );
        }
    }

    #[test]
    fn string_literals_convert_both_ways() {
        let short = CompValue::String("work".into());
        assert_eq!(short.to_json(), Value::String("work".to_owned()));
        let long = "x".repeat(100);
        assert_eq!(
            CompValue::String(long.clone().into()).to_json(),
            Value::String(long)
        );
    }
}
