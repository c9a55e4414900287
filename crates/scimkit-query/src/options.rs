//! [`ListQueryOptions`]: limits and dialect rules of the list-query parser.
//!
//! Service providers differ in what they refuse. Microsoft Entra's SCIM API
//! answers 400 for any whitespace around `=` in a query string and for
//! `count=0`, and supports neither sorting nor index paging; RFC 7644
//! allows all of these. Those differences are options here, so a server
//! picks a dialect by value instead of writing checks around the parser.

use scimkit_cursor::PaginationConfig;
use scimkit_filter::{CompileOptions, ParseOptions};

/// How a list query is parsed and compiled.
///
/// ```
/// use scimkit_query::ListQueryOptions;
///
/// let rfc = ListQueryOptions::default();
/// assert!(rfc.sorting && rfc.zero_count && !rfc.refuse_padded_equals);
/// let entra = ListQueryOptions::entra();
/// assert!(!entra.sorting && !entra.zero_count && entra.refuse_padded_equals);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ListQueryOptions {
    /// Paging methods, page sizes and cursor limits.
    pub pagination: PaginationConfig,
    /// Filter grammar limits (length, depth, nodes) and compat rules.
    pub filter: ParseOptions,
    /// How filters and `sortBy` resolve against the schema.
    pub compile: CompileOptions,
    /// Refuse whitespace (encoded or not) before or after the `=` of any
    /// query parameter, as Microsoft Entra does (400). Off: a value may
    /// start with whitespace (filters are trimmed); a parameter *name* of
    /// ours padded with whitespace is refused either way, because silently
    /// ignoring `filter =...` would answer an unfiltered list.
    pub refuse_padded_equals: bool,
    /// Accept `count=0` (RFC 7644: return only `totalResults`). Microsoft
    /// Entra answers 400 `invalidCount`-style instead.
    pub zero_count: bool,
    /// Accept `sortBy` / `sortOrder`. Off: they are refused with
    /// `invalidValue` (the ServiceProviderConfig then says
    /// `sort.supported: false`), rather than ignored, so a client never
    /// mistakes an unsorted page for a sorted one.
    pub sorting: bool,
}

impl Default for ListQueryOptions {
    /// RFC 7644 / RFC 9865 behaviour with the default limits.
    fn default() -> Self {
        Self {
            pagination: PaginationConfig::default(),
            filter: ParseOptions::default(),
            compile: CompileOptions::default(),
            refuse_padded_equals: false,
            zero_count: true,
            sorting: true,
        }
    }
}

impl ListQueryOptions {
    /// Microsoft Entra's SCIM API (`/rp/scim`): cursor paging only (its
    /// [`PaginationConfig::entra`]), the Entra filter grammar
    /// ([`ParseOptions::entra`]), whitespace around `=` refused, `count=0`
    /// refused, no sorting.
    pub fn entra() -> Self {
        Self {
            pagination: PaginationConfig::entra(),
            filter: ParseOptions::entra(),
            // Entra filters on `groups.value` and `members.value`, which it
            // never returns (fact sheet A5, A9).
            compile: CompileOptions::default().filter_never_returned(true),
            refuse_padded_equals: true,
            zero_count: false,
            sorting: false,
        }
    }

    /// With this pagination configuration.
    pub fn with_pagination(mut self, pagination: PaginationConfig) -> Self {
        self.pagination = pagination;
        self
    }

    /// With these filter parse options.
    pub fn with_filter(mut self, filter: ParseOptions) -> Self {
        self.filter = filter;
        self
    }

    /// With these compile options.
    pub fn with_compile(mut self, compile: CompileOptions) -> Self {
        self.compile = compile;
        self
    }

    /// Refuse (or accept) whitespace around `=`.
    pub fn with_refuse_padded_equals(mut self, on: bool) -> Self {
        self.refuse_padded_equals = on;
        self
    }

    /// Accept (or refuse) `count=0`.
    pub fn with_zero_count(mut self, on: bool) -> Self {
        self.zero_count = on;
        self
    }

    /// Accept (or refuse) `sortBy` / `sortOrder`.
    pub fn with_sorting(mut self, on: bool) -> Self {
        self.sorting = on;
        self
    }
}
