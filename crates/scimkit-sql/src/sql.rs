//! SQL text and its bound values: what every translation returns.
//!
//! No value of a filter, a cursor position or a document is ever written
//! into SQL text: each goes into [`Sql::params`] and the text refers to it
//! by the dialect's placeholder (`?1` on SQLite, `($1::text)` on PostgreSQL). The
//! only names written into text are the table's, which [`Table::new`]
//! validates, and this crate's fixed column and function names.
//!
//! [`Table::new`]: crate::Table::new

use std::fmt;

/// The database a statement is written for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// SQLite 3.45 or later (the `rusqlite` `bundled` build): `?N`
    /// placeholders, JSON documents as text, the comparators registered as
    /// SQL functions ([`register_functions`](crate::register_functions)).
    #[default]
    Sqlite,
    /// PostgreSQL 15 or later: `$N` placeholders (written `($N::text)`,
    /// `($N::int8)`, `($N::float8)` so each has the type of its value),
    /// `jsonb` documents; queries through
    /// [`Select::to_postgres`](crate::Select::to_postgres).
    Postgres,
}

/// A value bound to a placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlValue {
    /// SQL `NULL`.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// Text (UTF-8; may hold any character, NUL included).
    Text(String),
}

impl From<&str> for SqlValue {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl From<String> for SqlValue {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<Option<String>> for SqlValue {
    fn from(s: Option<String>) -> Self {
        s.map_or(Self::Null, Self::Text)
    }
}

impl rusqlite::ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Self::Null => ValueRef::Null,
            Self::Integer(i) => ValueRef::Integer(*i),
            Self::Real(f) => ValueRef::Real(*f),
            Self::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// A statement (or a fragment of one): SQL text with placeholders, and the
/// values bound to them, in placeholder order (`params[0]` is `?1`).
///
/// With rusqlite: `stmt.query(rusqlite::params_from_iter(&sql.params))`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sql {
    /// The SQL text.
    pub text: String,
    /// The bound values; `params[i]` is placeholder `i + 1`.
    pub params: Vec<SqlValue>,
}

impl fmt::Display for Sql {
    /// The SQL text (the values are not shown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Append the decimal digits of `n` (no formatting machinery).
pub(crate) fn push_number(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            // n % 10 < 10: always an ASCII digit.
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &d in digits.get(i..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// Builds SQL text and binds values, numbering placeholders per dialect.
#[derive(Debug)]
pub(crate) struct Writer {
    dialect: Dialect,
    pub(crate) params: Vec<SqlValue>,
    aliases: usize,
}

impl Writer {
    pub(crate) fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            params: Vec::new(),
            aliases: 0,
        }
    }

    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Bind `value`; returns its placeholder.
    pub(crate) fn bind(&mut self, value: impl Into<SqlValue>) -> String {
        let value = value.into();
        // PostgreSQL infers a parameter's type from its use; the cast fixes
        // it to the type the value is sent as.
        let cast = match value {
            SqlValue::Integer(_) => "::int8",
            SqlValue::Real(_) => "::float8",
            SqlValue::Null | SqlValue::Text(_) => "::text",
        };
        self.params.push(value);
        let n = self.params.len();
        // Built by hand: a translation binds a value per comparison.
        let mut p = String::with_capacity(16);
        match self.dialect {
            Dialect::Sqlite => {
                p.push('?');
                push_number(&mut p, n);
            }
            Dialect::Postgres => {
                p.push_str("($");
                push_number(&mut p, n);
                p.push_str(cast);
                p.push(')');
            }
        }
        p
    }

    /// A fresh table alias `{prefix}{n}` for a nested `json_each`.
    pub(crate) fn alias(&mut self, prefix: &str) -> String {
        self.aliases += 1;
        let mut a = String::with_capacity(prefix.len() + 4);
        a.push_str(prefix);
        push_number(&mut a, self.aliases);
        a
    }

    pub(crate) fn finish(self, text: String) -> Sql {
        Sql {
            text,
            params: self.params,
        }
    }
}

/// `parts` joined, in a string allocated once at its final size: the
/// translation builds SQL from many pieces, and `format!` (its formatting
/// machinery, and growing the string as it goes) cost more than the
/// translation itself.
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_per_dialect() {
        let mut w = Writer::new(Dialect::Sqlite);
        assert_eq!(w.bind("a"), "?1");
        assert_eq!(w.bind(SqlValue::Integer(2)), "?2");
        let mut p = Writer::new(Dialect::Postgres);
        assert_eq!(p.bind("a"), "($1::text)");
        assert_eq!(p.bind(SqlValue::Integer(3)), "($2::int8)");
        assert_eq!(w.alias("j"), "j1");
        let mut s = String::new();
        for n in [0, 7, 10, 1234, usize::MAX] {
            s.clear();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        assert_eq!(w.alias("j"), "j2");
        let sql = w.finish("x".into());
        assert_eq!(sql.params, [SqlValue::from("a"), SqlValue::Integer(2)]);
    }
}
