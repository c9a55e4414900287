//! SCIM 2.0 filters (RFC 7644 §3.4.2.2): parse, print, evaluate, sort.
//!
//! ```
//! use scimkit_filter::Filter;
//! use scimkit_schema::ResourceSchema;
//! use serde_json::json;
//!
//! let filter = Filter::parse(r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#)?;
//! assert_eq!(
//!     filter.to_string(),
//!     r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#
//! );
//!
//! // Compile once against a schema (types, caseExact, extensions), match many.
//! let compiled = filter.compile(ResourceSchema::user())?;
//! let user = json!({
//!     "userName": "bjensen",
//!     "userType": "employee",
//!     "emails": [{"type": "work", "value": "bjensen@EXAMPLE.com"}],
//! });
//! assert!(compiled.matches(&user));
//!
//! // Errors say where and what, and convert to a SCIM 400 invalidFilter.
//! let err = Filter::parse("userName eq bjensen").unwrap_err();
//! assert_eq!(err.offset(), 12);
//! let scim: scimkit_schema::ScimError = err.into();
//! assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Concepts
//!
//! - [`Filter`]: the syntax tree, with a byte [`Span`] on every node.
//!   `Display` prints the canonical form.
//! - [`ParseOptions`]: length, nesting and size limits (safe defaults).
//! - [`FilterError`]: byte offset, what was expected, a caret rendering.
//! - [`CompiledFilter`]: a filter resolved against a resource schema (or
//!   against none), ready to match many resources without re-resolving.
//! - [`SortSpec`] / [`Sorter`]: `sortBy` and `sortOrder` (RFC 7644 §3.4.2.3).
//! - [`KeysetOrder`]: the total order of a cursor-paged list (the sort key,
//!   then `id`), the sort values a cursor position stores, and seeking
//!   after a stored position ([`KeysetBoundary`]).
//! - [`visit`]: a visitor and a fold over the tree, for translators
//!   (OData, SQL) written outside this crate.
//!
//! # Decisions where the RFCs are open
//!
//! Each is documented again beside the code that makes it, and tested
//! (`tests/data/filter-eval.json` names the cases).
//!
//! Parsing:
//! - **Whitespace**: any run of blanks where the ABNF has one SP, and
//!   leading/trailing blanks (as peers do); `not(x)` and `not (x)` both.
//! - **Nested value paths** and `path[...].sub` in a filter are errors
//!   ([`ParseOptions::value_path_sub_attribute`] accepts Entra's form).
//! - **Numbers are never changed silently**: an integer literal (no
//!   fraction, no exponent) must fit in 64 bits (`i64`/`u64`), so a 100-digit
//!   integer is `invalidFilter`, not `1e100`; a decimal is the nearest `f64`
//!   (as the resource values it is compared with are read), refused if it
//!   overflows or a non-zero literal rounds to 0. Whatever parses prints back
//!   (`Display`) to a literal that parses to the same number.
//! - **Nesting**: [`ParseOptions::max_depth`] (default 64) is clamped to
//!   [`ParseOptions::MAX_DEPTH_CEILING`] (128), which is safe on a 2 MiB
//!   thread stack for parsing and for everything done with the tree.
//! - **Error details** quote at most 64 characters of the input (then `…`);
//!   the byte offset or span says where.
//!
//! Evaluation (schema-aware [`Filter::compile`]):
//! - **Never-returned attributes** (`returned: "never"`, e.g. `password`,
//!   at any level: attribute, sub-attribute, extension, value path) are
//!   `invalidFilter` under every operator, `pr` included, and cannot be a
//!   `sortBy`: a filter on a secret reads it through list queries
//!   (`password sw "a"`, `"ab"`, ...). RFC 7643 §4.1.1 does not forbid it;
//!   refusing everything is the rule that leaks nothing. Some schemas use
//!   `returned: "never"` for filter-only attributes that are too large to
//!   return (Microsoft Entra's `groups`, `members`: clients send
//!   `groups.value eq "{id}"`); [`CompileOptions::filter_never_returned`]
//!   allows those, but never `writeOnly` ones (RFC 7643 §7: "e.g., a
//!   stored hash"), such as `password`. scimkit-patch sets it for PATCH
//!   value filters (`members[value eq "{id}"]`). Without a schema
//!   ([`Filter::compile_schemaless`]) nothing is known to be secret.
//! - **Complex attributes compared with a value**: a singular one (`name co
//!   "x"`, `manager eq "x"`) is `invalidFilter` (`name pr` is fine); a
//!   multi-valued one (`emails co "x"`) compares its `value` sub-attribute
//!   (RFC 7644 Figure 2, and what peers do).
//! - **Multi-valued attributes match if any value matches**, `eq null`
//!   included: `emails.type eq null` is true when one email has no type, as
//!   `emails[type eq null]` is; `ne` is always the negation of `eq`.
//! - **Missing and undefined attributes** have no value: comparisons are
//!   false except `ne` and `eq null` ([`CompileOptions::strict_attributes`]
//!   rejects undefined names instead).
//! - **caseExact** comes from the schema. For the common attributes (RFC
//!   7643 §3.1) the definition's own caseExact wins: `schemas` compares
//!   case-insensitively (`uri` reference, caseExact false); `id`,
//!   `externalId`, `meta.resourceType`, `meta.location`, `meta.version`
//!   exactly.
//! - **Unqualified extension names**: looked up in the core schema and the
//!   common attributes first, then in the extensions in the order the
//!   resource type lists them (`employeeNumber` finds the enterprise
//!   extension's attribute, in the extension object). RFC 7644 §3.10 only
//!   says clients SHOULD qualify them, and real clients do not always; a core
//!   attribute of the same name always wins. Without a schema an unqualified
//!   name is read at the top level only.
//! - **Deep values**: `pr` walks values iteratively, so resources built in
//!   code far deeper than any JSON parser allows evaluate without stack
//!   overflow; trees built in code deeper than a parsed filter can be are
//!   refused by `compile`.
//!
//! Sorting ([`SortSpec`], [`Sorter`], [`KeysetOrder`]):
//! - **By type**: strings case-insensitively unless caseExact (the same
//!   caseless key and PRECIS rule as filters), numbers numerically,
//!   dateTimes as instants, booleans `false` before `true`.
//! - **Multi-valued** attributes sort by their `primary` value, else their
//!   first; a multi-valued complex one without a sub-attribute (`emails`)
//!   by the `value` of that element.
//! - **Missing values** (and values the comparator cannot read, such as a
//!   malformed dateTime) sort **last when ascending and first when
//!   descending** (RFC 7644: "ordered last if ascending and first if
//!   descending").
//! - [`Sorter::sort`] is stable; [`KeysetOrder`] breaks ties by `id` (bytes,
//!   same direction), which keyset paging needs.
//! - `sortOrder` defaults to `ascending` and is case-insensitive; an
//!   unknown one or a malformed `sortBy` is `invalidValue`; a `sortBy` the
//!   schema does not define sorts nothing (every key missing) unless
//!   [`CompileOptions::strict_attributes`].
//!
//! # Crate features
//!
//! This crate has no optional features.

mod ast;
mod display;
mod error;
mod eval;
mod keyset;
mod parser;
pub mod selector;
mod sort;
pub mod visit;

pub use ast::{CompValue, CompactString, CompareOp, Filter, Span};
pub use error::{ErrorKind, FilterError};
pub use eval::{CompileOptions, CompiledFilter};
pub use keyset::{resource_id, KeysetBoundary, KeysetOrder};
pub use parser::ParseOptions;
pub use selector::{Selector, SelectorError};
pub use sort::{SortOrder, SortSpec, Sorter};

impl Filter {
    /// Parse a filter with the default [`ParseOptions`].
    pub fn parse(input: &str) -> Result<Self, FilterError> {
        parser::parse(input, ParseOptions::default())
    }

    /// Parse a filter under explicit limits.
    pub fn parse_with(input: &str, options: ParseOptions) -> Result<Self, FilterError> {
        parser::parse(input, options)
    }
}

/// Parse the value-path piece `attrPath[valFilter]` at the start of a PATCH
/// path such as `emails[type eq "work"].value`: the attribute, the filter
/// inside the brackets, and the number of bytes used (what follows, such as
/// `.value`, belongs to the caller's grammar). The one value-path parser of
/// scimkit: the PATCH crate calls this instead of parsing filters itself.
///
/// ```
/// let input = r#"emails[type eq "work"].value"#;
/// let (path, filter, used) = scimkit_filter::parse_value_path_prefix(input, Default::default()).unwrap();
/// assert_eq!(path.to_string(), "emails");
/// assert_eq!(filter.to_string(), r#"type eq "work""#);
/// assert_eq!(&input[used..], ".value");
/// ```
pub fn parse_value_path_prefix(
    input: &str,
    options: ParseOptions,
) -> Result<(scimkit_schema::AttrPath, Filter, usize), FilterError> {
    parser::parse_value_path_prefix(input, options)
}

impl std::str::FromStr for Filter {
    type Err = FilterError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
