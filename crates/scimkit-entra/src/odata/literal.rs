//! OData literals and URL encoding.
//!
//! - Strings are single-quoted, with `'` doubled (`'O''Brien'`).
//! - Booleans are `true` / `false`; numbers print as JSON does.
//! - Date-times (`Edm.DateTimeOffset`) are unquoted, with an uppercase `T`
//!   and `Z`; an xsd:dateTime without offset is read as UTC (as
//!   scimkit-schema compares it) and gets `Z`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use scimkit_schema::compare::parse_datetime;

/// `s` as an OData string literal.
pub(super) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `s` as an OData `DateTimeOffset` literal, if it is an xsd:dateTime.
pub(super) fn datetime(s: &str) -> Option<String> {
    parse_datetime(s)?;
    let mut out: String = s
        .chars()
        .map(|c| match c {
            't' => 'T',
            'z' => 'Z',
            other => other,
        })
        .collect();
    // Offsets follow the seconds (and fraction): `Z`, `+hh:mm`, `-hh:mm`.
    let tail = out.get(19..).unwrap_or_default();
    if !(tail.ends_with('Z') || tail.contains(['+', '-'])) {
        out.push('Z');
    }
    Some(out)
}

/// Percent-encode a query parameter value: everything but the RFC 3986
/// unreserved characters and `'()*,:/!@`, which OData filters are full of
/// and URLs allow (so `+`, `&`, `#`, `%`, `=` and blanks are encoded).
pub(super) fn encode_query_value(s: &str) -> String {
    utf8_percent_encode(s, ODATA_VALUE).to_string()
}

/// What [`encode_query_value`] encodes.
const ODATA_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b':')
    .remove(b'/')
    .remove(b'!')
    .remove(b'@');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_double_their_quotes() {
        assert_eq!(string("O'Brien"), "'O''Brien'");
        assert_eq!(string("''"), "''''''");
        assert_eq!(string(""), "''");
        assert_eq!(string("R&D (EU) \"x\" é"), "'R&D (EU) \"x\" é'");
    }

    #[test]
    fn datetimes_are_unquoted_and_normalised() {
        assert_eq!(
            datetime("2023-05-19T11:24:25+02:00").as_deref(),
            Some("2023-05-19T11:24:25+02:00")
        );
        assert_eq!(
            datetime("2023-05-19t11:24:25.5z").as_deref(),
            Some("2023-05-19T11:24:25.5Z")
        );
        assert_eq!(
            datetime("2023-05-19T11:24:25").as_deref(),
            Some("2023-05-19T11:24:25Z")
        );
        assert_eq!(
            datetime("2023-05-19T11:24:25-05:00").as_deref(),
            Some("2023-05-19T11:24:25-05:00")
        );
        assert_eq!(datetime("yesterday"), None);
        assert_eq!(datetime("2023-13-01T00:00:00Z"), None);
    }

    #[test]
    fn query_values_encode_what_urls_need() {
        assert_eq!(
            encode_query_value("userPrincipalName eq 'a+b@x.com'"),
            "userPrincipalName%20eq%20'a%2Bb@x.com'"
        );
        assert_eq!(encode_query_value("a&b#c%d=é"), "a%26b%23c%25d%3D%C3%A9");
        assert_eq!(
            encode_query_value("otherMails/any(x:x eq 'a')"),
            "otherMails/any(x:x%20eq%20'a')"
        );
    }
}
