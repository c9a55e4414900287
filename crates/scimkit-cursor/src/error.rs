//! [`CursorError`]: the one error type of this crate.

use std::fmt;

use scimkit_schema::{ScimError, ScimType};

/// What went wrong. See each variant for the `scimType` it maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CursorErrorKind {
    // ----- decoding a token (client input) -----
    /// The token is longer than the codec's limit. Checked before any
    /// decoding. `invalidCursor`.
    TooLong,
    /// Not unpadded base64url, too short, or (after authentication) a
    /// structure that does not parse. `invalidCursor`.
    Malformed,
    /// The format byte names a token format this build does not read (for
    /// example a sealed token without the `sealed` feature). `invalidCursor`.
    UnknownVersion,
    /// No key in the ring has the token's key id (a retired key, or a token
    /// from another deployment). `invalidCursor`.
    UnknownKey,
    /// The MAC does not verify: the token was altered or forged.
    /// `invalidCursor`.
    BadSignature,
    /// The token was issued for a different query (filter, sortBy,
    /// sortOrder, attributes, excludedAttributes or resource type).
    /// `invalidCursor`.
    WrongQuery,
    /// The token has expired. `expiredCursor`.
    Expired,
    /// The token claims to be issued further in the future than the allowed
    /// clock skew (servers with diverging clocks). `invalidCursor`.
    NotYetValid,
    /// The token was issued for a different page size (`count`) than the
    /// request now asks for (RFC 9865: every request repeats the first
    /// one's parameters). `invalidCount`.
    CountChanged,

    // ----- page requests (client input) -----
    /// The `cursor` parameter is not a cursor: characters outside the
    /// RFC 3986 unreserved set, a bad percent-escape, not a string in a
    /// search body, or longer than the configured limit. `invalidCursor`.
    InvalidCursorText,
    /// `count` is not an integer, is negative under cursor paging, or is
    /// above `maxPageSize` when the configuration refuses such counts.
    /// `invalidCount`.
    InvalidCount,
    /// `startIndex` is not an integer. `invalidValue`.
    InvalidStartIndex,
    /// A pagination parameter appears more than once. The `scimType` is the
    /// parameter's own: `invalidCursor`, `invalidCount`, or `invalidValue`
    /// for `startIndex`.
    RepeatedParameter,
    /// `cursor` and `startIndex` in one request. `invalidValue`.
    ConflictingPagination,
    /// The request asks for a pagination method the configuration does not
    /// offer (`cursor` when `pagination.cursor` is false, `startIndex` when
    /// `pagination.index` is false). `invalidValue`.
    UnsupportedMethod,
    /// A `POST /.search` body that is not a JSON object. `invalidSyntax`.
    InvalidBody,

    // ----- encoding a token (server side: HTTP 500) -----
    /// The position does not fit in the codec's maximum token length.
    PositionTooLarge,
    /// The position cannot be encoded: a non-finite decimal, more than
    /// [`MAX_SORT_VALUES`](crate::MAX_SORT_VALUES) sort values, or a
    /// timestamp outside years 0000–9999.
    InvalidPosition,
    /// The clock reads a time a token cannot carry (after 2106-02-07, when
    /// 32-bit Unix seconds run out).
    ClockOutOfRange,
    /// The system random number generator failed (`sealed` only).
    Randomness,

    // ----- configuration (server side: HTTP 500) -----
    /// A key secret that is too short, or hex that does not parse.
    InvalidKey,
    /// A key ring with no keys.
    EmptyKeyRing,
}

/// An error from this crate: a [`CursorErrorKind`] plus, for page-request
/// errors, the name of the parameter at fault.
///
/// Small (24 bytes) and cheap to clone. Converts into
/// [`ScimError`] with the RFC's `scimType` and status, and a
/// kind-independent `detail`.
///
/// ```
/// use scimkit_cursor::{CursorError, CursorErrorKind, PageRequest, PaginationConfig};
/// use scimkit_schema::ScimError;
///
/// let err = PageRequest::from_query("count=ten", &PaginationConfig::default()).unwrap_err();
/// assert_eq!(err.kind(), CursorErrorKind::InvalidCount);
/// assert_eq!(err.parameter(), Some("count"));
/// let scim: ScimError = err.into();
/// assert_eq!(scim.status(), 400);
/// assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidCount"));
/// ```
///
/// Two audiences read it. A **server log** wants to know exactly what went
/// wrong (a tampered token, a token from another query, a retired key):
/// [`CursorError::kind`] and [`Display`](std::fmt::Display) say so. The
/// **client** gets a [`ScimError`] (via `From`) whose `detail` is the same
/// for every kind that maps to one `scimType`, so a response never reveals
/// whether a token was forged, signed by a retired key, or issued for
/// another query, let alone whether a page exists (RFC 9865 security
/// considerations).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CursorError {
    kind: CursorErrorKind,
    param: Option<&'static str>,
}

impl CursorError {
    pub(crate) const fn new(kind: CursorErrorKind) -> Self {
        Self { kind, param: None }
    }

    pub(crate) const fn param(kind: CursorErrorKind, param: &'static str) -> Self {
        Self {
            kind,
            param: Some(param),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> CursorErrorKind {
        self.kind
    }

    /// The query parameter at fault (`"cursor"`, `"count"` or
    /// `"startIndex"`), for page-request errors.
    pub fn parameter(&self) -> Option<&'static str> {
        self.param
    }

    /// True for errors caused by client input (HTTP 400); false for server
    /// faults (encoding, keys, randomness: HTTP 500).
    pub fn is_client_error(&self) -> bool {
        self.scim_type().is_some()
    }

    /// The RFC 7644 / RFC 9865 `scimType` this error answers with, or
    /// `None` for server faults.
    pub fn scim_type(&self) -> Option<ScimType> {
        use CursorErrorKind as K;
        Some(match self.kind {
            K::TooLong
            | K::Malformed
            | K::UnknownVersion
            | K::UnknownKey
            | K::BadSignature
            | K::WrongQuery
            | K::NotYetValid
            | K::InvalidCursorText => ScimType::InvalidCursor,
            K::Expired => ScimType::ExpiredCursor,
            K::CountChanged | K::InvalidCount => ScimType::InvalidCount,
            K::InvalidStartIndex | K::ConflictingPagination | K::UnsupportedMethod => {
                ScimType::InvalidValue
            }
            K::RepeatedParameter => match self.param {
                Some(CURSOR) => ScimType::InvalidCursor,
                Some(COUNT) => ScimType::InvalidCount,
                _ => ScimType::InvalidValue,
            },
            K::InvalidBody => ScimType::InvalidSyntax,
            K::PositionTooLarge
            | K::InvalidPosition
            | K::ClockOutOfRange
            | K::Randomness
            | K::InvalidKey
            | K::EmptyKeyRing => return None,
        })
    }

    /// The `detail` a client sees: one text per `scimType`, so that it
    /// reveals nothing the `scimType` does not.
    fn client_detail(&self) -> String {
        use CursorErrorKind as K;
        match self.kind {
            K::Expired => "The cursor has expired. Start again from the first page \
                           (an empty cursor)."
                .to_owned(),
            K::TooLong
            | K::Malformed
            | K::UnknownVersion
            | K::UnknownKey
            | K::BadSignature
            | K::WrongQuery
            | K::NotYetValid => "The cursor is not valid for this request. Use a \
                                 nextCursor or previousCursor value unchanged, with the \
                                 same query parameters as the request that returned it."
                .to_owned(),
            // Page-request errors describe the client's own input; the
            // log text is fine to show.
            _ => self.to_string(),
        }
    }
}

pub(crate) const CURSOR: &str = "cursor";
pub(crate) const COUNT: &str = "count";
pub(crate) const START_INDEX: &str = "startIndex";

impl fmt::Display for CursorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CursorErrorKind as K;
        let param = self.param.unwrap_or("parameter");
        match self.kind {
            K::TooLong => f.write_str("cursor token is longer than the configured limit"),
            K::Malformed => f.write_str("cursor token is malformed"),
            K::UnknownVersion => f.write_str("cursor token has an unknown format version"),
            K::UnknownKey => f.write_str("cursor token names a key id that is not in the key ring"),
            K::BadSignature => f.write_str("cursor token signature does not verify"),
            K::WrongQuery => f.write_str("cursor token was issued for a different query"),
            K::Expired => f.write_str("cursor token has expired"),
            K::NotYetValid => {
                f.write_str("cursor token is issued in the future (beyond the allowed clock skew)")
            }
            K::CountChanged => f.write_str(
                "`count` differs from the request that issued the cursor; \
                 repeat the original count",
            ),
            K::InvalidCursorText => f.write_str(
                "`cursor` must be empty or a cursor of RFC 3986 unreserved characters \
                 (A-Z a-z 0-9 - . _ ~) within the length limit",
            ),
            K::InvalidCount => f.write_str(
                "`count` must be a non-negative integer no greater than the maximum page size",
            ),
            K::InvalidStartIndex => f.write_str("`startIndex` must be an integer"),
            K::RepeatedParameter => write!(f, "`{param}` appears more than once"),
            K::ConflictingPagination => f.write_str(
                "`cursor` and `startIndex` cannot be combined: choose cursor or index pagination",
            ),
            K::UnsupportedMethod => match self.param {
                Some(CURSOR) => f.write_str("cursor pagination is not supported here"),
                Some(START_INDEX) => f.write_str(
                    "index pagination (`startIndex`) is not supported here; use `cursor`",
                ),
                _ => f.write_str("this pagination method is not supported here"),
            },
            K::InvalidBody => f.write_str("a search request body must be a JSON object"),
            K::PositionTooLarge => {
                f.write_str("cursor position is too large for the maximum token length")
            }
            K::InvalidPosition => f.write_str(
                "cursor position cannot be encoded (non-finite number, too many sort values, \
                 or a dateTime outside years 0000-9999)",
            ),
            K::ClockOutOfRange => {
                f.write_str("clock reading is outside the range a cursor token can carry")
            }
            K::Randomness => f.write_str("the system random number generator failed"),
            K::InvalidKey => f.write_str(
                "cursor key must be at least 16 bytes (32 hex digits) of secret material",
            ),
            K::EmptyKeyRing => f.write_str("cursor key ring has no keys"),
        }
    }
}

impl std::error::Error for CursorError {}

impl From<CursorError> for ScimError {
    /// The client sees one detail for every token failure (so a probe
    /// learns nothing about keys or formats); the precise reason stays on
    /// the server side, as the error's [`hint`](ScimError::hint) (which is
    /// never serialised) and its [`source`](std::error::Error::source).
    fn from(err: CursorError) -> Self {
        let scim = match err.scim_type() {
            Some(t) => {
                let detail = err.client_detail();
                let reason = err.to_string();
                let e = Self::new(t, detail.clone());
                if reason != detail {
                    e.with_hint(reason)
                } else {
                    e
                }
            }
            None => Self::with_status(500, err.to_string()),
        };
        scim.with_source(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small() {
        assert!(size_of::<CursorError>() <= 24);
    }

    #[test]
    fn token_errors_share_one_detail() {
        let kinds = [
            CursorErrorKind::TooLong,
            CursorErrorKind::Malformed,
            CursorErrorKind::UnknownVersion,
            CursorErrorKind::UnknownKey,
            CursorErrorKind::BadSignature,
            CursorErrorKind::WrongQuery,
            CursorErrorKind::NotYetValid,
        ];
        let details: Vec<ScimError> = kinds
            .iter()
            .map(|&k| ScimError::from(CursorError::new(k)))
            .collect();
        for (d, k) in details.iter().zip(kinds) {
            assert_eq!(d, &details[0]);
            // The precise reason is kept for the server's logs, never serialised.
            assert_eq!(d.hint(), Some(CursorError::new(k).to_string().as_str()));
            let wire = serde_json::to_string(d).unwrap();
            assert!(!wire.contains(&CursorError::new(k).to_string()), "{wire}");
            assert!(std::error::Error::source(d).is_some());
            assert_eq!(d.status(), 400);
            assert_eq!(d.scim_type(), Some(&ScimType::InvalidCursor));
        }
    }

    #[test]
    fn expired_is_expired_cursor() {
        let e = ScimError::from(CursorError::new(CursorErrorKind::Expired));
        assert_eq!(e.scim_type(), Some(&ScimType::ExpiredCursor));
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn repeated_parameter_types() {
        let t = |p| CursorError::param(CursorErrorKind::RepeatedParameter, p).scim_type();
        assert_eq!(t(CURSOR), Some(ScimType::InvalidCursor));
        assert_eq!(t(COUNT), Some(ScimType::InvalidCount));
        assert_eq!(t(START_INDEX), Some(ScimType::InvalidValue));
    }

    #[test]
    fn server_faults_are_500() {
        for k in [
            CursorErrorKind::PositionTooLarge,
            CursorErrorKind::InvalidPosition,
            CursorErrorKind::ClockOutOfRange,
            CursorErrorKind::Randomness,
            CursorErrorKind::InvalidKey,
            CursorErrorKind::EmptyKeyRing,
        ] {
            let e = CursorError::new(k);
            assert!(!e.is_client_error());
            let s = ScimError::from(e);
            assert_eq!(s.status(), 500);
            assert_eq!(s.scim_type(), None);
        }
    }
}
