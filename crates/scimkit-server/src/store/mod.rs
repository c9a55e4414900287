//! Where resources live: the [`Store`] trait the handlers call, its
//! SQLite implementation ([`SqliteStore`], embedded, one process) and,
//! with the `postgres` feature, its PostgreSQL implementation
//! ([`PostgresStore`], one database shared by many instances).
//!
//! The trait is small on purpose. Everything SCIM-specific (ids, `meta`,
//! validation, PATCH, dialect shapes) happens in the handlers; a store
//! keeps documents, enforces what only a store can enforce atomically
//! (`userName` uniqueness, member references, one writer per resource at a
//! time) and answers list queries in SQL through scimkit-sql, never by
//! loading every row.
//!
//! The documents a store returns are *stored form*: the resource with
//! `id` and `meta` (`resourceType`, `created`, `lastModified`, `version`)
//! but no `meta.location`, with a group's `members` and a user's `groups`
//! filled in from the membership table. The dialect renders them for the
//! wire.

mod membership;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
mod postgres_members;
mod sqlite;
mod sqlite_members;

use scimkit_entra::ResourceKind;
use scimkit_filter::{CompileOptions, Filter, SortSpec};
use scimkit_schema::{ResourceSchema, ScimError};
use scimkit_sql::Position;
use serde_json::Value;

#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// A document to write, and the password hash to keep beside it (never in
/// the document: the hash is not an attribute and no filter reaches it).
#[derive(Debug)]
pub struct Write {
    /// The resource in stored form. A group's `members` go to the
    /// membership table; a user's `groups` are ignored (derived).
    pub doc: Value,
    /// A new PHC-format password hash, or `None` to keep the current one.
    pub password_hash: Option<String>,
}

impl Write {
    /// A write of `doc` with no password change.
    pub fn doc(doc: Value) -> Self {
        Self {
            doc,
            password_hash: None,
        }
    }
}

/// One list query as a store runs it: the filter and sort are pushed down
/// to SQL.
#[derive(Debug)]
pub struct ListPlan<'a> {
    /// The resource schema the filter and sort resolve against.
    pub schema: &'a ResourceSchema,
    /// The filter, if any.
    pub filter: Option<&'a Filter>,
    /// How the filter and sort compile against the schema.
    pub compile: CompileOptions,
    /// The sort, if any (else `id` order).
    pub sort: Option<&'a SortSpec>,
    /// Where the page starts (a cursor's keyset), if not at the beginning.
    pub position: Option<&'a Position>,
    /// Index paging: rows to skip (0-based), used only without `position`.
    pub offset: u64,
    /// The most rows to return.
    pub limit: u64,
    /// Also count every matching row (`totalResults`).
    pub count_total: bool,
    /// Whether the rows need their memberships (a user's `groups`, a
    /// group's `members`): false when the response's projection drops
    /// them (`attributes=userName`), which saves a join per page. A store
    /// may fill them anyway (it must, when it filters rows in memory).
    pub memberships: bool,
}

/// What [`Store::list`] returns.
#[derive(Debug, Default)]
pub struct ListedRows {
    /// The rows, in stored form and in order.
    pub rows: Vec<Value>,
    /// The number of matching rows, when asked for.
    pub total: Option<u64>,
}

/// The change a [`Store::update`] caller makes to the current resource
/// (stored form) inside the store's transaction; an error leaves the
/// resource untouched.
pub type Change<'a> = &'a mut dyn FnMut(Value) -> Result<Write, ScimError>;

/// A place to keep SCIM resources.
///
/// Every method is one transaction. Errors are SCIM errors: `404` for an
/// unknown id, `409 uniqueness` for a `userName` already taken (RFC 7644
/// §5 comparison), `400 invalidValue` for a member that does not exist,
/// `500` for a storage failure (the detail names the operation, not the
/// database's message).
pub trait Store: Send + Sync {
    /// The resource with `id`, or `None`.
    fn get(&self, kind: ResourceKind, id: &str) -> Result<Option<Value>, ScimError>;

    /// Stores a new resource (its `id` and `meta` already assigned) and
    /// returns it as stored.
    fn create(&self, kind: ResourceKind, write: Write) -> Result<Value, ScimError>;

    /// Runs `change` on the current resource and stores what it returns,
    /// atomically: concurrent updates of one resource are serialised (no
    /// update is lost), and an error from `change` or from storing leaves
    /// the resource as it was.
    fn update(&self, kind: ResourceKind, id: &str, change: Change<'_>) -> Result<Value, ScimError>;

    /// Deletes the resource after `check` accepts the current one (for
    /// `If-Match`), and removes it from every group. `404` when unknown.
    fn delete(
        &self,
        kind: ResourceKind,
        id: &str,
        check: &mut dyn FnMut(&Value) -> Result<(), ScimError>,
    ) -> Result<(), ScimError>;

    /// The rows a list query selects.
    fn list(&self, kind: ResourceKind, plan: &ListPlan<'_>) -> Result<ListedRows, ScimError>;
}

/// A `500` for a storage failure: `what` failed; the database's message
/// is kept as the source (for logs), not shown to the client.
pub(crate) fn storage_error(
    what: &str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> ScimError {
    ScimError::with_status(500, format!("storage failure while {what}")).with_source(source)
}

/// `404` for an unknown id.
pub(crate) fn not_found(kind: ResourceKind, id: &str) -> ScimError {
    ScimError::with_status(
        404,
        format!(
            "{} {} not found",
            kind.as_str(),
            scimkit_schema::error::excerpt(id)
        ),
    )
}
