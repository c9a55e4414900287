//! Bounding how much of the input an error message repeats.
//!
//! Error details go back to the client and into logs. A detail that echoes
//! its input whole turns a 1 MB filter into a 1 MB error body and a 1 MB log
//! line, so every piece of input a message quotes (an unknown operator, an
//! attribute path, a literal, a clause) is cut to [`MAX_CHARS`] characters
//! plus `…`. The byte offsets and spans in the message still say exactly
//! where the problem is.

use std::borrow::Cow;

/// The most characters of input one message quotes.
pub(crate) const MAX_CHARS: usize = 64;

/// `text`, cut to [`MAX_CHARS`] characters (at a char boundary) plus `…`.
pub(crate) fn excerpt(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", text.get(..cut).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_long_text_is_cut_at_a_char_boundary() {
        assert_eq!(excerpt("userName"), "userName");
        let exact = "é".repeat(MAX_CHARS);
        assert_eq!(excerpt(&exact), exact);
        let long = "é".repeat(MAX_CHARS + 1);
        assert_eq!(excerpt(&long), format!("{exact}…"));
    }
}
