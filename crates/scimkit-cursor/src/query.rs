//! Query-string plumbing shared by [`PageRequest`](crate::PageRequest) and
//! [`QueryFingerprint`](crate::QueryFingerprint).
//!
//! A query string is split on `&` (empty segments are skipped; one leading
//! `?` is dropped), each segment at its first `=` into a name and a value (a
//! segment without `=` has no value: `?cursor&count=10`). Names and values
//! are percent-decoded as `application/x-www-form-urlencoded`: `%XX` is a
//! byte and `+` is a space, which is what browsers, `curl --data-urlencode`
//! and most server frameworks produce.

use std::borrow::Cow;

use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// One `name[=value]` segment, still encoded.
pub(crate) struct RawParam<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: Option<&'a str>,
}

pub(crate) fn split(query: &str) -> impl Iterator<Item = RawParam<'_>> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|seg| match seg.split_once('=') {
            Some((name, value)) => RawParam {
                name,
                value: Some(value),
            },
            None => RawParam {
                name: seg,
                value: None,
            },
        })
}

/// Percent-decode (`%XX` and `+` as space). `None` on a malformed escape
/// (`%` not followed by two hex digits): RFC 3986 has no reading for it,
/// and a parameter that cannot be read is refused rather than guessed.
pub(crate) fn decode(raw: &str) -> Option<Cow<'_, [u8]>> {
    let bytes = raw.as_bytes();
    if !well_formed_escapes(bytes) {
        return None;
    }
    if !bytes.contains(&b'+') {
        return Some(percent_decode(bytes).into());
    }
    // `+` is a space in form encoding; `%2B` is a plus, so replace first.
    let spaced: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    Some(Cow::Owned(percent_decode(&spaced).collect()))
}

/// True when every `%` starts a `%XX` escape.
fn well_formed_escapes(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'%') {
        match rest.get(at + 1..at + 3) {
            Some([hi, lo]) if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit() => {
                rest = rest.get(at + 3..).unwrap_or_default();
            }
            _ => return false,
        }
    }
    true
}

/// Percent-decode, keeping a malformed escape literally (for hashing,
/// where any deterministic reading will do).
pub(crate) fn decode_lossy(raw: &str) -> Cow<'_, [u8]> {
    decode(raw).unwrap_or(Cow::Borrowed(raw.as_bytes()))
}

/// Percent-decode one query-string component (`%XX` and `+` as space, as
/// `application/x-www-form-urlencoded`) to UTF-8 text: the inverse of
/// [`encode_query_component`]. `None` on a malformed escape (`%` not
/// followed by two hex digits) or bytes that are not UTF-8, which a strict
/// server refuses rather than guesses at. Borrows when nothing is escaped.
///
/// ```
/// use scimkit_cursor::decode_query_component;
///
/// assert_eq!(decode_query_component("userName+eq+%22J%22").as_deref(), Some("userName eq \"J\""));
/// assert_eq!(decode_query_component("50%"), None);
/// assert_eq!(decode_query_component("%FF"), None);
/// ```
pub fn decode_query_component(raw: &str) -> Option<Cow<'_, str>> {
    decode_str(raw)
}

/// Percent-decode to UTF-8 text. `None` on a malformed escape or bytes
/// that are not UTF-8.
pub(crate) fn decode_str(raw: &str) -> Option<Cow<'_, str>> {
    match decode(raw)? {
        Cow::Borrowed(_) => Some(Cow::Borrowed(raw)),
        Cow::Owned(v) => String::from_utf8(v).ok().map(Cow::Owned),
    }
}

/// True for the RFC 3986 §2.3 unreserved characters, the only ones
/// RFC 9865 allows in a cursor.
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encode `s` for use as a query-string value: every byte outside
/// the RFC 3986 unreserved set becomes `%XX`.
///
/// A client needs this for cursors from servers that do not follow
/// RFC 9865's character rule: Microsoft Entra's cursors look like standard
/// base64 and may contain `+`, `/` and `=`, and a `+` sent raw is read as
/// a space by most servers. Cursors made by this crate's codec are already
/// unreserved and come back unchanged (borrowed).
///
/// ```
/// use scimkit_cursor::encode_query_component;
///
/// assert_eq!(encode_query_component("RFNw+dA/AQ=="), "RFNw%2BdA%2FAQ%3D%3D");
/// assert_eq!(encode_query_component("AQIDBA-_x"), "AQIDBA-_x");
/// ```
pub fn encode_query_component(s: &str) -> Cow<'_, str> {
    utf8_percent_encode(s, NOT_UNRESERVED).into()
}

/// Every byte but the RFC 3986 §2.3 unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        let parts: Vec<(&str, Option<&str>)> = split("?a=1&&b&c=&=d&e=f=g")
            .map(|p| (p.name, p.value))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("a", Some("1")),
                ("b", None),
                ("c", Some("")),
                ("", Some("d")),
                ("e", Some("f=g"))
            ]
        );
        assert_eq!(split("").count(), 0);
        assert_eq!(split("?").count(), 0);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("a%20b+c").as_deref(), Some(&b"a b c"[..]));
        assert_eq!(decode("%7e%7E").as_deref(), Some(&b"~~"[..]));
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%2"), None);
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode_str("%ff"), None);
        assert_eq!(decode_str("%C3%A9").as_deref(), Some("é"));
        assert_eq!(decode_lossy("%zz").as_ref(), b"%zz");
        assert_eq!(decode("a%2Bb+c").as_deref(), Some(&b"a+b c"[..]));
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("ok%41%"), None);
        assert!(matches!(decode("plain"), Some(Cow::Borrowed(_))));
    }

    #[test]
    fn encoding_roundtrips() {
        let s = "userName sw \"J\" & x=1+2 ~é";
        let e = encode_query_component(s);
        assert!(e.bytes().all(is_unreserved_or_pct));
        assert_eq!(decode_str(&e).as_deref(), Some(s));
    }

    fn is_unreserved_or_pct(b: u8) -> bool {
        is_unreserved(b) || b == b'%'
    }
}
