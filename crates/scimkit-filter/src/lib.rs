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
//! - [`visit`]: a visitor and a fold over the tree, for translators
//!   (OData, SQL) written outside this crate.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod ast;
mod display;
mod error;
mod eval;
mod excerpt;
mod parser;
mod sort;
pub mod visit;

pub use ast::{CompValue, CompareOp, Filter, Span};
pub use error::{ErrorKind, FilterError};
pub use eval::{CompileOptions, CompiledFilter};
pub use parser::ParseOptions;
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
