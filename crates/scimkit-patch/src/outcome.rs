//! What a PATCH request changed.

use serde::Serialize;
use serde_json::Value;

/// The kind of one change.
///
/// Exhaustive on purpose: a value appears, changes or disappears; a
/// consumer that mirrors changes (to Graph, to an audit log) can rely on
/// handling all three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A value that was not there now is (an attribute, a sub-attribute or an
    /// element of a multi-valued attribute).
    Added,
    /// A value was replaced by another.
    Replaced,
    /// A value was removed.
    Removed,
}

/// One change: where, what kind, and the values before and after.
///
/// Made by [`PatchRequest::apply`](crate::PatchRequest::apply), read by
/// callers: non-exhaustive, so it may carry more (the operation index,
/// say) in a later version.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The attribute changed, in attribute notation: `name.givenName`,
    /// `members` (for an element added to or removed from it),
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
    pub path: String,
    /// Added, replaced or removed.
    pub kind: ChangeKind,
    /// The value before (`None` when added).
    pub old: Option<Value>,
    /// The value after (`None` when removed).
    pub new: Option<Value>,
}

/// The result of a successful PATCH.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatchOutcome {
    pub(crate) changes: Vec<Change>,
}

impl PatchOutcome {
    /// Every change, in the order it was made.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// True when the request changed nothing (an `add` of values already
    /// present, say): RFC 7644 §3.5.2.1 then keeps `meta.lastModified` and
    /// the ETag as they were.
    pub fn is_noop(&self) -> bool {
        self.changes.is_empty()
    }
}
