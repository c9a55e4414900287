//! Filter errors: where, what was expected, and a caret under the input.

use std::fmt;

use scimkit_schema::{ScimError, ScimType};

/// Why a filter was rejected, and at which byte.
///
/// ```
/// use scimkit_filter::Filter;
///
/// let input = "userName eq";
/// let err = Filter::parse(input).unwrap_err();
/// assert_eq!(err.offset(), 11);
/// assert_eq!(
///     err.render(input),
///     "invalid filter at byte 11: expected a space and a value after the operator, found end of input\n\
///      userName eq\n           ^"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    offset: usize,
    found: Option<char>,
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The filter is empty or blank.
    Empty,
    /// Longer than the configured limit (bytes).
    TooLong(usize),
    /// Nested deeper than the configured limit.
    TooDeep(usize),
    /// More nodes than the configured limit.
    TooManyNodes(usize),
    /// An attribute path was expected (the text says what part of it).
    AttributePath(&'static str),
    /// A filter expression was expected (after `and`, `or`, `(`, `[`).
    ExpectedFilter,
    /// A space and an operator were expected after an attribute path.
    ExpectedOperator,
    /// A word that is not an operator (`regex`); at most its first 64
    /// characters, then `…` (error details never repeat long input).
    UnknownOperator(String),
    /// A space and a value were expected after the operator.
    ExpectedValue,
    /// A JSON value was expected (`"text"`, a number, `true`, `false`, `null`).
    InvalidValue,
    /// A number JSON does not allow (`01`, `1.`, `+1`, `1e`), or one out of range.
    InvalidNumber(&'static str),
    /// A JSON string problem (unterminated, bad escape, lone surrogate).
    InvalidString(&'static str),
    /// `not` must be followed by a parenthesised filter.
    NotWithoutParens,
    /// A `(` or `[` opened at `open` was not closed.
    Unclosed {
        /// The bracket: `(` or `[`.
        bracket: char,
        /// Its byte offset.
        open: usize,
    },
    /// A `)` or `]` with nothing open.
    Unbalanced(char),
    /// A value path inside a value path (sub-attributes cannot be complex).
    NestedValuePath,
    /// A value path on a sub-attribute (`emails.type[...]`).
    ValuePathOnSubAttribute,
    /// Input left after a complete filter.
    TrailingInput,
}

impl ErrorKind {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("expected a filter, found an empty one"),
            Self::TooLong(n) => write!(f, "filter is longer than the limit of {n} bytes"),
            Self::TooDeep(n) => write!(f, "filter nests deeper than the limit of {n}"),
            Self::TooManyNodes(n) => write!(f, "filter has more than the limit of {n} expressions"),
            Self::AttributePath(what) => write!(f, "expected {what}"),
            Self::ExpectedFilter => f.write_str("expected a filter expression"),
            Self::ExpectedOperator => f.write_str(
                "expected a space and an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after the attribute",
            ),
            Self::UnknownOperator(op) => write!(
                f,
                "unknown operator {op:?}: expected eq, ne, co, sw, ew, gt, lt, ge, le or pr"
            ),
            Self::ExpectedValue => f.write_str("expected a space and a value after the operator"),
            Self::InvalidValue => f.write_str(
                "expected a JSON value: a \"string\", a number, true, false or null",
            ),
            Self::InvalidNumber(why) => write!(f, "invalid number: {why}"),
            Self::InvalidString(why) => write!(f, "invalid string: {why}"),
            Self::NotWithoutParens => f.write_str("expected `(` after `not`"),
            Self::Unclosed { bracket, open } => {
                let close = if *bracket == '(' { ')' } else { ']' };
                write!(f, "expected `{close}` to close the `{bracket}` at byte {open}")
            }
            Self::Unbalanced(c) => write!(f, "unbalanced `{c}`"),
            Self::NestedValuePath => {
                f.write_str("a value path cannot contain another value path")
            }
            Self::ValuePathOnSubAttribute => {
                f.write_str("a value filter `[...]` applies to an attribute, not a sub-attribute")
            }
            Self::TrailingInput => f.write_str("expected `and`, `or` or the end of the filter"),
        }
    }
}

impl FilterError {
    pub(crate) fn new(input: &str, offset: usize, kind: ErrorKind) -> Self {
        Self {
            offset,
            found: input.get(offset..).and_then(|s| s.chars().next()),
            kind,
        }
    }

    /// Byte offset of the problem in the input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The character at the offset (`None` at the end of input).
    pub fn found(&self) -> Option<char> {
        self.found
    }

    /// The message, then the input line holding the problem, then a caret
    /// under the offending byte. Long inputs are cut to a window around it.
    pub fn render(&self, input: &str) -> String {
        const WINDOW: usize = 60;
        let at = self.offset.min(input.len());
        let mut start = at.saturating_sub(WINDOW);
        while !input.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + WINDOW).min(input.len());
        while !input.is_char_boundary(end) {
            end += 1;
        }
        let line_start = input[start..at]
            .rfind(['\n', '\r'])
            .map_or(start, |i| start + i + 1);
        let line_end = input[at..end].find(['\n', '\r']).map_or(end, |i| at + i);
        // An ellipsis marks where the window, not a line break, cut the line.
        let cut_before = line_start > 0 && !input[..line_start].ends_with(['\n', '\r']);
        let cut_after = line_end < input.len() && !input[line_end..].starts_with(['\n', '\r']);
        let prefix = if cut_before { "…" } else { "" };
        let suffix = if cut_after { "…" } else { "" };
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        };
        let before = clean(&input[line_start..at]);
        let column = prefix.chars().count() + before.chars().count();
        format!(
            "{self}\n{prefix}{before}{}{suffix}\n{}^",
            clean(&input[at..line_end]),
            " ".repeat(column)
        )
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid filter at byte {}: ", self.offset)?;
        self.kind.describe(f)?;
        if !matches!(
            self.kind,
            ErrorKind::Empty
                | ErrorKind::Unbalanced(_)
                | ErrorKind::TooLong(_)
                | ErrorKind::TooDeep(_)
                | ErrorKind::TooManyNodes(_)
        ) {
            match self.found {
                Some(c) => write!(f, ", found {c:?}")?,
                None => f.write_str(", found end of input")?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for FilterError {}

impl From<FilterError> for ScimError {
    fn from(e: FilterError) -> Self {
        Self::new(ScimType::InvalidFilter, e.to_string())
    }
}
