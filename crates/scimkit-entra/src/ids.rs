//! Directory object ids that this crate puts into Graph URLs
//! (`/users/{id}`, `/groups/{id}/members/{memberId}/$ref`,
//! `https://graph.microsoft.com/v1.0/directoryObjects/{id}`).
//!
//! Entra object ids are GUIDs; `/users/{id}` also takes a
//! userPrincipalName. Rather than percent-encoding, an id must already be
//! one URL path segment: RFC 3986 `pchar`s without `%` (letters, digits,
//! `-._~`, `!$&'()*+,;=`, `:` and `@`), at most [`MAX_ID_LEN`] bytes. So
//! nothing a client sends can add a segment (`/`), a query (`?`), a
//! fragment (`#`) or an escape (`%`) to a URL this crate builds.

use scimkit_schema::{ScimError, ScimType};

/// The longest id accepted, in bytes (a GUID has 36; a userPrincipalName
/// at most 113).
pub(crate) const MAX_ID_LEN: usize = 256;

/// True when `id` can stand as one Graph URL path segment.
pub(crate) fn is_object_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b':'
                        | b'@'
                )
        })
}

/// `id`, or `400 invalidValue` naming `what` (`"member id"`, `"group id"`).
pub(crate) fn check_object_id<'i>(id: &'i str, what: &str) -> Result<&'i str, ScimError> {
    if is_object_id(id) {
        Ok(id)
    } else {
        Err(ScimError::new(
            ScimType::InvalidValue,
            format!(
                "{what} {id:?} is not a directory object id (an id goes into a Graph URL as is: \
                 letters, digits and -._~!$&'()*+,;=:@ only, at most {MAX_ID_LEN} bytes)"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_path_segments() {
        for ok in [
            "5cc0930a-9244-45eb-a34c-76273ac5f7a6",
            "adele@contoso.com",
            "u1",
            "a.b_c~d",
        ] {
            assert!(is_object_id(ok), "{ok}");
        }
        for bad in [
            "",
            "a/b",
            "a b",
            "x?y",
            "%2F",
            "a#EXT#",
            "tab\t",
            "quote\"",
            "é",
            "a\\b",
            &"x".repeat(MAX_ID_LEN + 1),
        ] {
            assert!(!is_object_id(bad), "{bad:?}");
        }
        let err = check_object_id("a/b", "member id").unwrap_err();
        assert_eq!(err.status(), 400);
        assert!(err.detail().unwrap().starts_with("member id \"a/b\""));
    }
}
