//! The filter parser (RFC 7644 §3.4.2.2 with its errata).
//!
//! A recursive-descent parser over the precedence levels
//! `or` < `and` < `not`/grouping < attribute expression, with nom parsers
//! for numbers and byte scans for keywords, operators and blanks. It never
//! backtracks over a nested structure, so time is linear in the input, and
//! every recursion passes a depth check first, so hostile nesting
//! (`((((...` a hundred thousand deep) is an error, not a stack overflow.
//! The depth limit cannot be raised past
//! [`ParseOptions::MAX_DEPTH_CEILING`], the depth that is safe on a 2 MiB
//! thread stack for everything done with the tree afterwards.
//!
//! Decisions where the RFC's ABNF and its own examples or real clients differ:
//! - **Whitespace.** The ABNF puts exactly one SP between tokens. We accept
//!   any run of blanks (SP, HTAB, CR, LF) wherever the ABNF has SP, and
//!   leading and trailing blanks, as every peer does; a separator is still
//!   required where the ABNF has one (`userName eq"x"` is an error), except
//!   next to brackets: `not(`, `(a pr)and(b pr)`.
//! - **`not`.** Both `not (x)` (the RFC examples) and `not(x)` (the ABNF as
//!   published, errata 7319) are accepted; `not` without parentheses is an
//!   error, so an attribute literally named `not` cannot start a filter.
//! - **Keywords need a word boundary**: `andrew`, `notation`, `orgId` and
//!   `prime` are attribute names.
//! - **Nested value paths** (`emails[type eq "x" and ims[...]]`) are rejected:
//!   sub-attributes cannot be complex (RFC 7643 §2.3.8).
//! - **`path[...].sub`** is a PATCH path, not a filter: rejected.

use nom::character::complete::digit0;
use nom::IResult;
use scimkit_schema::AttrPath;
use serde_json::Number;

use crate::ast::{CompValue, CompactString, CompareOp, Filter, Span};
use crate::error::{ErrorKind, FilterError};
use scimkit_schema::error::excerpt;

/// Limits applied while parsing. Exceeding one is an `invalidFilter` error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Longest accepted input, in bytes (default 64 KiB).
    pub max_length: usize,
    /// Deepest nesting of `( )`, `not ( )` and `[ ]` (default 64). Values
    /// above [`Self::MAX_DEPTH_CEILING`] act as the ceiling.
    pub max_depth: usize,
    /// Most expressions (attribute expressions, `and`, `or`, `not`, value
    /// paths) in one filter (default 4096).
    pub max_nodes: usize,
    /// Compat, off by default: accept `emails[type eq "work"].value eq "x"`
    /// as `emails[type eq "work" and value eq "x"]`. Microsoft Entra's
    /// provisioning service sends this form in user lookups; RFC 7644's
    /// grammar ends a value path at `]` (the `.value` form is a PATCH path).
    pub value_path_sub_attribute: bool,
    /// Compat, off by default: accept `true` and `false` in any letter case
    /// (`active eq TRUE`). Microsoft Entra's SCIM API documents its boolean
    /// filters as case-insensitive; RFC 7644's grammar (through RFC 7159)
    /// spells them lowercase only.
    pub case_insensitive_booleans: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_length: 64 * 1024,
            max_depth: 64,
            max_nodes: 4096,
            value_path_sub_attribute: false,
            case_insensitive_booleans: false,
        }
    }
}

impl ParseOptions {
    /// The highest nesting limit that takes effect: 128.
    ///
    /// The parser, and then compiling, evaluating, printing, folding,
    /// cloning and dropping the tree, recurse once per level. At 128 levels
    /// each of them needs well under 1 MiB of stack even in an unoptimised
    /// build (about 7.5 KiB per level for the parser there; much less
    /// optimised), so the deepest accepted filter is safe on a 2 MiB thread,
    /// the smallest stack Rust gives a spawned thread by default, with room
    /// left for the caller's frames. A larger `max_depth` is clamped to this
    /// ceiling rather than refused, so a configuration that asks for more
    /// still gets the most that is safe; [`FilterError`]'s
    /// [`ErrorKind::TooDeep`] reports the limit that applied. Real filters
    /// nest a handful of levels.
    pub const MAX_DEPTH_CEILING: usize = 128;

    /// The default limits plus what Microsoft Entra's provisioning service
    /// sends or accepts: [`Self::value_path_sub_attribute`] and
    /// [`Self::case_insensitive_booleans`].
    pub fn entra() -> Self {
        Self {
            value_path_sub_attribute: true,
            case_insensitive_booleans: true,
            ..Self::default()
        }
    }

    /// Set the length limit.
    #[must_use]
    pub fn max_length(mut self, bytes: usize) -> Self {
        self.max_length = bytes;
        self
    }

    /// Set the nesting limit, clamped to [`Self::MAX_DEPTH_CEILING`].
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.min(Self::MAX_DEPTH_CEILING);
        self
    }

    /// The nesting limit that applies: [`Self::max_depth`], at most
    /// [`Self::MAX_DEPTH_CEILING`] (the field is public, so it may have been
    /// set past the ceiling directly).
    pub fn effective_max_depth(&self) -> usize {
        self.max_depth.min(Self::MAX_DEPTH_CEILING)
    }

    /// Set the expression-count limit.
    #[must_use]
    pub fn max_nodes(mut self, nodes: usize) -> Self {
        self.max_nodes = nodes;
        self
    }
}

type Res<'s, T> = Result<(&'s str, T), FilterError>;

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Skip blanks.
///
/// A byte scan, like [`keyword`]: nom's `take_while` decodes a `char` per
/// step, and blanks are skipped several times per clause. The blanks are
/// ASCII, so the split is at a char boundary.
fn blanks(rest: &str) -> &str {
    let n = rest
        .bytes()
        .take_while(|&b| is_blank(char::from(b)))
        .count();
    rest.get(n..).unwrap_or(rest)
}

/// A word: letters, digits, `-`, `_` (operators, keywords, bare literals);
/// `(rest, word)`, or `None` when there is none. A byte scan (see
/// [`blanks`]) over ASCII bytes, so the split is at a char boundary.
fn word(rest: &str) -> Option<(&str, &str)> {
    let n = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        .count();
    if n == 0 {
        return None;
    }
    Some((rest.get(n..)?, rest.get(..n)?))
}

/// Bytes that continue a name, so a keyword followed by one is not a keyword.
fn continues_name(rest: &str) -> bool {
    rest.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'$'))
}

/// `kw` (lowercase ASCII) in any case, followed by a word boundary.
///
/// A plain byte comparison: nom's `tag_no_case` lowercases through Unicode
/// tables and was a quarter of the parse time on the benchmark corpus.
fn keyword<'s>(rest: &'s str, kw: &'static str) -> Option<&'s str> {
    let head = rest.as_bytes().get(..kw.len())?;
    if !head.eq_ignore_ascii_case(kw.as_bytes()) {
        return None;
    }
    // `head` is ASCII (it equals `kw` up to case), so this is a char boundary.
    let after = &rest[kw.len()..];
    (!continues_name(after)).then_some(after)
}

struct Parser<'s> {
    src: &'s str,
    opts: ParseOptions,
    depth: usize,
    nodes: usize,
    in_value_path: bool,
}

impl<'s> Parser<'s> {
    fn off(&self, rest: &str) -> usize {
        self.src.len() - rest.len()
    }

    fn err(&self, rest: &str, kind: ErrorKind) -> FilterError {
        FilterError::new(self.src, self.off(rest), kind)
    }

    fn enter(&mut self, rest: &str) -> Result<(), FilterError> {
        self.depth += 1;
        let limit = self.opts.effective_max_depth();
        if self.depth > limit {
            return Err(self.err(rest, ErrorKind::TooDeep(limit)));
        }
        Ok(())
    }

    fn node(&mut self, rest: &str) -> Result<(), FilterError> {
        self.nodes += 1;
        if self.nodes > self.opts.max_nodes {
            return Err(self.err(rest, ErrorKind::TooManyNodes(self.opts.max_nodes)));
        }
        Ok(())
    }

    /// After an operand: blanks, then `kw` and a boundary. A blank is needed
    /// before the keyword unless the operand ended with `)` or `]`.
    fn logical_keyword(&self, rest: &'s str, kw: &'static str) -> Option<&'s str> {
        let trimmed = blanks(rest);
        let closed = self.src[..self.off(rest)].ends_with([')', ']']);
        if trimmed.len() == rest.len() && !closed {
            return None;
        }
        let after = keyword(trimmed, kw)?;
        let spaced = blanks(after);
        (spaced.len() < after.len() || after.is_empty() || after.starts_with('(')).then_some(spaced)
    }

    fn or_expr(&mut self, rest: &'s str) -> Res<'s, Filter> {
        self.logical(rest, "or", false)
    }

    fn and_expr(&mut self, rest: &'s str) -> Res<'s, Filter> {
        self.logical(rest, "and", true)
    }

    /// `operand (kw operand)*` for `or` (operands are `and` expressions) and
    /// `and` (operands are unary expressions); n-ary and flattened.
    fn logical(&mut self, rest: &'s str, kw: &'static str, is_and: bool) -> Res<'s, Filter> {
        let operand = |p: &mut Self, r: &'s str| if is_and { p.unary(r) } else { p.and_expr(r) };
        let (mut rest, first) = operand(self, rest)?;
        let Some(after) = self.logical_keyword(rest, kw) else {
            return Ok((rest, first));
        };
        self.node(rest)?;
        let start = first.span().start;
        let mut children = Vec::with_capacity(4);
        let push = |f: Filter, children: &mut Vec<Filter>| match f {
            Filter::And { children: c, .. } if is_and => children.extend(c),
            Filter::Or { children: c, .. } if !is_and => children.extend(c),
            other => children.push(other),
        };
        push(first, &mut children);
        let mut next = after;
        loop {
            let (r, f) = operand(self, next)?;
            push(f, &mut children);
            rest = r;
            match self.logical_keyword(rest, kw) {
                Some(after) => next = after,
                None => break,
            }
        }
        let span = Span::new(start, self.off(rest));
        Ok((
            rest,
            if is_and {
                Filter::And { children, span }
            } else {
                Filter::Or { children, span }
            },
        ))
    }

    fn unary(&mut self, rest: &'s str) -> Res<'s, Filter> {
        match rest.chars().next() {
            None | Some(')' | ']') => return Err(self.err(rest, ErrorKind::ExpectedFilter)),
            Some('(') => return self.group(rest),
            _ => {}
        }
        if let Some(after) = keyword(rest, "not") {
            let start = self.off(rest);
            let open = blanks(after);
            if !open.starts_with('(') {
                return Err(self.err(open, ErrorKind::NotWithoutParens));
            }
            self.node(rest)?;
            let (r, inner) = self.group(open)?;
            let span = Span::new(start, self.off(r));
            return Ok((
                r,
                Filter::Not {
                    filter: Box::new(inner),
                    span,
                },
            ));
        }
        self.attr_expr(rest)
    }

    /// `( filter )`; `rest` starts with `(`.
    fn group(&mut self, rest: &'s str) -> Res<'s, Filter> {
        self.enter(rest)?;
        let open = self.off(rest);
        let (r, inner) = self.or_expr(blanks(&rest[1..]))?;
        let r = blanks(r);
        let Some(after) = r.strip_prefix(')') else {
            return Err(self.err(r, ErrorKind::Unclosed { bracket: '(', open }));
        };
        self.depth -= 1;
        Ok((after, inner))
    }

    fn attr_expr(&mut self, rest: &'s str) -> Res<'s, Filter> {
        let start = self.off(rest);
        let (path, used) = AttrPath::parse_prefix(rest).map_err(|e| {
            FilterError::new(
                self.src,
                start + e.offset(),
                ErrorKind::AttributePath(e.kind().expected()),
            )
        })?;
        let r = &rest[used..];
        self.node(r)?;
        if r.starts_with('[') {
            return self.value_path(path, start, r, true);
        }
        self.operator_tail(path, start, r)
    }

    /// ` op value` or ` pr` after the attribute path `path` (which began at
    /// byte `start`); `r` is what follows the path.
    fn operator_tail(&mut self, path: AttrPath, start: usize, r: &'s str) -> Res<'s, Filter> {
        let at_op = blanks(r);
        if at_op.len() == r.len() {
            return Err(self.err(r, ErrorKind::ExpectedOperator));
        }
        let Some((r, op_word)) = word(at_op) else {
            return Err(self.err(at_op, ErrorKind::ExpectedOperator));
        };
        if op_word.eq_ignore_ascii_case("pr") {
            let span = Span::new(start, self.off(r));
            return Ok((r, Filter::Present { path, span }));
        }
        let Some(op) = CompareOp::from_keyword(op_word) else {
            // The word is quoted in the error: at most a bounded prefix of it.
            return Err(self.err(
                at_op,
                ErrorKind::UnknownOperator(excerpt(op_word).into_owned()),
            ));
        };
        let at_value = blanks(r);
        if at_value.len() == r.len() || at_value.is_empty() {
            return Err(self.err(r, ErrorKind::ExpectedValue));
        }
        let (r, value) = self.comp_value(at_value)?;
        let span = Span::new(start, self.off(r));
        Ok((
            r,
            Filter::Compare {
                path,
                op,
                value,
                span,
            },
        ))
    }

    /// Compat (`ParseOptions::value_path_sub_attribute`): after
    /// `path[filter]`, `.sub op value` means `path[filter and sub op value]`.
    fn value_path_sub_attribute(&mut self, inner: Filter, after: &'s str) -> Res<'s, Filter> {
        let sub_start = self.off(after) + 1;
        let name = &after[1..];
        let (sub, used) = AttrPath::parse_prefix(name).map_err(|e| {
            FilterError::new(
                self.src,
                sub_start + e.offset(),
                ErrorKind::AttributePath(e.kind().expected()),
            )
        })?;
        if sub.schema().is_some() || sub.sub_attribute().is_some() {
            return Err(FilterError::new(
                self.src,
                sub_start,
                ErrorKind::AttributePath("one sub-attribute name after `].`"),
            ));
        }
        self.node(after)?;
        let (r, leaf) = self.operator_tail(sub, sub_start, &name[used..])?;
        Ok((r, Filter::and(inner, leaf)))
    }

    /// `path[filter]`; `rest` starts with `[`.
    fn value_path(
        &mut self,
        path: AttrPath,
        start: usize,
        rest: &'s str,
        allow_sub: bool,
    ) -> Res<'s, Filter> {
        if path.sub_attribute().is_some() {
            return Err(self.err(rest, ErrorKind::ValuePathOnSubAttribute));
        }
        if self.in_value_path {
            return Err(FilterError::new(
                self.src,
                start,
                ErrorKind::NestedValuePath,
            ));
        }
        self.enter(rest)?;
        let open = self.off(rest);
        self.in_value_path = true;
        let (r, inner) = self.or_expr(blanks(&rest[1..]))?;
        self.in_value_path = false;
        let r = blanks(r);
        let Some(after) = r.strip_prefix(']') else {
            return Err(self.err(r, ErrorKind::Unclosed { bracket: '[', open }));
        };
        self.depth -= 1;
        let (after, inner) =
            if allow_sub && self.opts.value_path_sub_attribute && after.starts_with('.') {
                self.value_path_sub_attribute(inner, after)?
            } else {
                (after, inner)
            };
        let span = Span::new(start, self.off(after));
        Ok((
            after,
            Filter::ValuePath {
                path,
                filter: Box::new(inner),
                span,
            },
        ))
    }

    fn comp_value(&self, rest: &'s str) -> Res<'s, CompValue> {
        match rest.as_bytes().first() {
            Some(b'"') => self.string(rest),
            Some(b'-' | b'0'..=b'9') => self.number(rest),
            Some(b) if b.is_ascii_alphabetic() => {
                let (r, w) = word(rest).unwrap_or((rest, ""));
                let value = match w {
                    "true" => CompValue::Bool(true),
                    "false" => CompValue::Bool(false),
                    "null" => CompValue::Null,
                    w if self.opts.case_insensitive_booleans && w.eq_ignore_ascii_case("true") => {
                        CompValue::Bool(true)
                    }
                    w if self.opts.case_insensitive_booleans && w.eq_ignore_ascii_case("false") => {
                        CompValue::Bool(false)
                    }
                    _ => return Err(self.err(rest, ErrorKind::InvalidValue)),
                };
                Ok((r, value))
            }
            _ => Err(self.err(rest, ErrorKind::InvalidValue)),
        }
    }

    /// A JSON number (RFC 8259 §6), kept exactly or refused (never changed
    /// silently, see [`number_value`]).
    fn number(&self, rest: &'s str) -> Res<'s, CompValue> {
        let digits = |r: &'s str| -> (&'s str, usize) {
            let parsed: IResult<&str, &str> = digit0(r);
            parsed.map_or((r, 0), |(r, d)| (r, d.len()))
        };
        let bad = |r: &str, why| Err(self.err(r, ErrorKind::InvalidNumber(why)));
        let mut r = rest.strip_prefix('-').unwrap_or(rest);
        match r.as_bytes().first() {
            Some(b'0') => {
                r = &r[1..];
                if r.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                    return bad(r, "leading zeros are not allowed");
                }
            }
            Some(b'1'..=b'9') => r = digits(r).0,
            _ => return bad(r, "expected a digit"),
        }
        let mut integer = true;
        if let Some(frac) = r.strip_prefix('.') {
            let (after, n) = digits(frac);
            if n == 0 {
                return bad(frac, "expected a digit after `.`");
            }
            r = after;
            integer = false;
        }
        if let Some(exp) = r.strip_prefix(['e', 'E']) {
            let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            let (after, n) = digits(exp);
            if n == 0 {
                return bad(exp, "expected exponent digits");
            }
            r = after;
            integer = false;
        }
        let text = &rest[..rest.len() - r.len()];
        match number_value(text, integer) {
            Ok(n) => Ok((r, CompValue::Number(n))),
            Err(why) => bad(rest, why),
        }
    }

    /// A JSON string (RFC 8259 §7): escapes, surrogate pairs, no raw controls.
    fn string(&self, rest: &'s str) -> Res<'s, CompValue> {
        let body = &rest[1..];
        let bytes = body.as_bytes();
        // Fast path: no escapes, so the literal is one slice, copied once.
        let special = bytes
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        if let Some(close) = special.filter(|&i| bytes.get(i) == Some(&b'"')) {
            return Ok((
                &body[close + 1..],
                CompValue::String(CompactString::new(&body[..close])),
            ));
        }
        let mut out = String::new();
        let mut run = 0; // start of the current unescaped run in `body`
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    out.push_str(&body[run..i]);
                    return Ok((&body[i + 1..], CompValue::String(out.into())));
                }
                b'\\' => {
                    out.push_str(&body[run..i]);
                    i = self.escape(body, i, &mut out)?;
                    run = i;
                }
                0x00..=0x1f => {
                    return Err(self.err(
                        &body[i..],
                        ErrorKind::InvalidString("control characters must be escaped"),
                    ))
                }
                _ => i += 1,
            }
        }
        Err(self.err(rest, ErrorKind::InvalidString("unterminated string")))
    }

    /// Decode the escape at `body[at]` (a backslash); return the index after it.
    fn escape(&self, body: &'s str, at: usize, out: &mut String) -> Result<usize, FilterError> {
        let bad = |why| self.err(&body[at..], ErrorKind::InvalidString(why));
        let c = match body.as_bytes().get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let Some(hi) = hex4(body, at + 2) else {
                    return Err(bad("expected four hex digits after `\\u`"));
                };
                let (code, next) = match hi {
                    0xD800..=0xDBFF => {
                        let lo = body
                            .get(at + 6..at + 8)
                            .filter(|s| *s == "\\u")
                            .and_then(|_| hex4(body, at + 8))
                            .filter(|lo| (0xDC00..=0xDFFF).contains(lo));
                        let Some(lo) = lo else {
                            return Err(bad(
                                "lone high surrogate (a `\\uDC00`-`\\uDFFF` escape must follow)",
                            ));
                        };
                        (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), at + 12)
                    }
                    0xDC00..=0xDFFF => return Err(bad("lone low surrogate")),
                    _ => (hi, at + 6),
                };
                out.push(char::from_u32(code).ok_or_else(|| bad("invalid code point"))?);
                return Ok(next);
            }
            Some(_) => {
                return Err(bad(
                    "unknown escape (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                ))
            }
            None => return Err(bad("unterminated string")),
        };
        out.push(c);
        Ok(at + 2)
    }
}

/// The value of a number literal that has JSON's syntax, or why it is
/// refused. The rule (RFC 7643 §2.3.4-§2.3.5 leave precision open):
/// - a literal without fraction or exponent is an integer and must fit in
///   64 bits (`i64` or `u64`); it is kept exactly. A longer one (a 100-digit
///   integer) is refused instead of becoming the float `1e100`. `-0` is `0`.
/// - a literal with a fraction or an exponent is a decimal, read as the
///   nearest `f64`, as serde_json reads the resource values it is compared
///   with; refused if that overflows (`1e400`), if a non-zero literal
///   rounds to zero (`1e-400`), or if its magnitude is 2^53 or more
///   (`1e100`), where neighbouring numbers share one `f64` and scimkit-schema's
///   comparator would refuse it anyway.
///
/// Whatever is accepted prints back (canonical `Display`) as a literal
/// that parses to the same number.
fn number_value(text: &str, integer: bool) -> Result<Number, &'static str> {
    if integer {
        if let Ok(n) = text.parse::<u64>() {
            return Ok(Number::from(n));
        }
        return text.parse::<i64>().map(Number::from).map_err(|_| {
            "integer out of range (an integer literal must fit in 64 bits; \
             write a fraction or an exponent for a decimal)"
        });
    }
    let value: f64 = text.parse().map_err(|_| "out of range")?;
    if !value.is_finite() {
        return Err("out of range");
    }
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    if value == 0.0 && mantissa.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        return Err("out of range (too small: it would round to 0)");
    }
    if value.abs() >= 9_007_199_254_740_992.0 {
        return Err("not exact (a decimal of 2^53 or more has no exact f64; \
             write an integer that fits in 64 bits)");
    }
    Number::from_f64(value).ok_or("out of range")
}

fn hex4(s: &str, at: usize) -> Option<u32> {
    let digits = s.get(at..at + 4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// Parse `src` under `opts`.
pub(crate) fn parse(src: &str, opts: ParseOptions) -> Result<Filter, FilterError> {
    if src.len() > opts.max_length {
        let mut at = opts.max_length;
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        return Err(FilterError::new(
            src,
            at,
            ErrorKind::TooLong(opts.max_length),
        ));
    }
    let mut p = Parser {
        src,
        opts,
        depth: 0,
        nodes: 0,
        in_value_path: false,
    };
    let rest = blanks(src);
    if rest.is_empty() {
        return Err(FilterError::new(src, 0, ErrorKind::Empty));
    }
    let (rest, filter) = p.or_expr(rest)?;
    let rest = blanks(rest);
    match rest.chars().next() {
        None => Ok(filter),
        Some(c @ (')' | ']')) => Err(p.err(rest, ErrorKind::Unbalanced(c))),
        Some(_) => Err(p.err(rest, ErrorKind::TrailingInput)),
    }
}

/// Parse `attrPath "[" valFilter "]"` at the start of `src`: the value-path
/// piece of a PATCH path (RFC 7644 §3.5.2, Figure 7). Returns the
/// attribute, the filter inside the brackets and the bytes used; what
/// follows (`.subAttr`) is the caller's grammar.
pub(crate) fn parse_value_path_prefix(
    src: &str,
    opts: ParseOptions,
) -> Result<(AttrPath, Filter, usize), FilterError> {
    if src.len() > opts.max_length {
        return Err(FilterError::new(
            src,
            0,
            ErrorKind::TooLong(opts.max_length),
        ));
    }
    let mut p = Parser {
        src,
        opts,
        depth: 0,
        nodes: 0,
        in_value_path: false,
    };
    let (path, used) = AttrPath::parse_prefix(src).map_err(|e| {
        FilterError::new(
            src,
            e.offset(),
            ErrorKind::AttributePath(e.kind().expected()),
        )
    })?;
    let rest = &src[used..];
    if !rest.starts_with('[') {
        return Err(p.err(
            rest,
            ErrorKind::Unclosed {
                bracket: '[',
                open: used,
            },
        ));
    }
    p.node(rest)?;
    match p.value_path(path, 0, rest, false)? {
        (after, Filter::ValuePath { path, filter, .. }) => Ok((path, *filter, p.off(after))),
        // `value_path` only ever builds a ValuePath.
        (after, _) => Err(p.err(after, ErrorKind::ExpectedFilter)),
    }
}
