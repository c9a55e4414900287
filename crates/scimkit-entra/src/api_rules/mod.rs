//! What Entra's SCIM API accepts, checked before a (billed) call:
//!
//! - [`check_filter`]: the documented filter subset of `/users` and
//!   `/groups` (section A9 of the fact sheet);
//! - [`plan_group_patch`]: a group PATCH split into the requests Entra
//!   allows (section A10);
//! - [`page_size`], [`projects_manager`] and [`check_query`]: the page-size
//!   rules and the query-string rules (sections A8, A9).
//!
//! A refusal is an [`Unsupported`]: the reason, the clause and its byte
//! span.

mod filter;
mod group_patch;
mod paging;

use scimkit_filter::Span;
use scimkit_schema::{ScimError, ScimType};

pub use filter::check_filter;
pub(crate) use group_patch::remove_with_value;
pub use group_patch::{plan_group_patch, PlanKind, PlannedPatch, MAX_MEMBERS_PER_ADD};
pub use paging::{
    check_query, page_size, projects_manager, DEFAULT_PAGE_SIZE, FILTER_MAX_RESULTS,
    MANAGER_PAGE_SIZE, MAX_GROUP_PAGE_SIZE, MAX_USER_PAGE_SIZE,
};

/// Something Entra's SCIM API would refuse, with the reason and where.
///
/// Converts into a `400` [`ScimError`]: `invalidFilter` for a filter,
/// `invalidSyntax` for a query string.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Entra's SCIM API does not support `{clause}`: {reason}")]
pub struct Unsupported {
    reason: String,
    clause: String,
    span: Span,
    in_filter: bool,
}

impl Unsupported {
    fn filter(clause: String, span: Span, reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            clause,
            span,
            in_filter: true,
        }
    }

    fn query(clause: &str, span: Span, reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            clause: clause.to_owned(),
            span,
            in_filter: false,
        }
    }

    /// Why Entra refuses it.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The clause refused (printed canonically for filters; as written for
    /// query strings).
    pub fn clause(&self) -> &str {
        &self.clause
    }

    /// Its byte span in the filter or query text (empty for filters built
    /// in code).
    pub fn span(&self) -> Span {
        self.span
    }
}

impl From<Unsupported> for ScimError {
    fn from(e: Unsupported) -> Self {
        let scim_type = if e.in_filter {
            ScimType::InvalidFilter
        } else {
            ScimType::InvalidSyntax
        };
        Self::new(scim_type, e.to_string())
    }
}
