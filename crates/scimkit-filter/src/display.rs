//! Canonical printing.
//!
//! Operators and keywords in lowercase, one space between tokens,
//! `not (...)` with a space, the fewest parentheses that keep the tree
//! (an `or` inside an `and`, or a same-operator group built by hand),
//! strings JSON-escaped the way serde_json writes them, numbers as JSON.
//! Attribute paths keep their spelling. `Filter::parse(&f.to_string())`
//! gives back `f` (up to spans) for every parsed filter.

use std::fmt::{self, Write as _};

use crate::ast::{CompValue, Filter};

impl fmt::Display for CompValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::String(s) => write_json_string(f, s),
        }
    }
}

/// JSON string escaping (RFC 8259 §7): `"` `\` and control characters.
fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if c.is_ascii_control() => "",
            _ => continue,
        };
        f.write_str(&s[run..i])?;
        if escaped.is_empty() {
            write!(f, "\\u{:04x}", u32::from(c))?;
        } else {
            f.write_str(escaped)?;
        }
        run = i + c.len_utf8();
    }
    f.write_str(&s[run..])?;
    f.write_char('"')
}

fn write_operand(f: &mut fmt::Formatter<'_>, child: &Filter, parent_is_and: bool) -> fmt::Result {
    let needs_parens = match child {
        Filter::Or { .. } => true,
        Filter::And { .. } => parent_is_and,
        _ => false,
    };
    if needs_parens {
        write!(f, "({child})")
    } else {
        write!(f, "{child}")
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare {
                path, op, value, ..
            } => write!(f, "{path} {op} {value}"),
            Self::Present { path, .. } => write!(f, "{path} pr"),
            Self::And { children, .. } | Self::Or { children, .. } => {
                let is_and = matches!(self, Self::And { .. });
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if is_and { " and " } else { " or " })?;
                    }
                    write_operand(f, child, is_and)?;
                }
                Ok(())
            }
            Self::Not { filter, .. } => write!(f, "not ({filter})"),
            Self::ValuePath { path, filter, .. } => write!(f, "{path}[{filter}]"),
        }
    }
}
