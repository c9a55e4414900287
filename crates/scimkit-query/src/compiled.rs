//! [`CompiledListQuery`]: a list query resolved against a schema, and the
//! keyset paging that connects it to cursor tokens.

use std::borrow::Borrow;

use scimkit_cursor::{
    CursorCodec, Direction, Keyset, PageRequest, Paging, Position, QueryFingerprint,
};
use scimkit_filter::{resource_id, CompiledFilter, KeysetBoundary, KeysetOrder};
use scimkit_schema::{CompiledProjection, ResourceSchema, ScimError};
use serde_json::Value;

use crate::query::ListQuery;

/// A [`ListQuery`] compiled against one resource schema: a filter to match,
/// the keyset order to sort and seek in, a projection, and the cursor
/// binding.
///
/// An in-memory list endpoint (a SQL store does the same with
/// scimkit-sql):
///
/// ```
/// use scimkit_cursor::{CursorCodec, CursorKey, KeyRing, ListResponse};
/// use scimkit_query::{ListQuery, ListQueryOptions};
/// use scimkit_schema::ResourceSchema;
/// use serde_json::{json, Value};
///
/// let codec = CursorCodec::new(KeyRing::single(CursorKey::new(b"a 32-byte secret from your vault")?));
/// let store: Vec<Value> = (0..5).map(|i| json!({"id": format!("{i}"), "userName": format!("u{}", 4 - i)})).collect();
///
/// let serve = |query: &str| -> Result<ListResponse<Value>, scimkit_schema::ScimError> {
///     let q = ListQuery::from_query(query, &ListQueryOptions::default())?.compile(ResourceSchema::user())?;
///     let start = q.start(&codec)?;
///     let mut hits: Vec<&Value> = store.iter().filter(|r| q.matches(r)).collect();
///     q.order().sort(&mut hits);
///     let page = q.page(&hits, &start);
///     let mut response = ListResponse::new(page.items.iter().map(|r| q.project(r)).collect())
///         .with_total_results(hits.len() as u64);
///     if let (true, Some(last)) = (page.has_next, page.items.last()) {
///         response = response.with_next_cursor(q.next_cursor(&codec, last)?);
///     }
///     Ok(response)
/// };
///
/// let first = serve("sortBy=userName&count=2&attributes=userName&cursor")?;
/// assert_eq!(first.resources[0], json!({"id": "4", "userName": "u0"}));
/// let cursor = first.next_cursor.unwrap();
/// let second = serve(&format!("sortBy=userName&count=2&attributes=userName&cursor={cursor}"))?;
/// assert_eq!(second.resources[0]["userName"], "u2");
/// // The cursor is bound to its query.
/// let err = serve(&format!("sortBy=id&count=2&attributes=userName&cursor={cursor}")).unwrap_err();
/// assert_eq!(err.scim_type().unwrap().as_str(), "invalidCursor");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct CompiledListQuery<'s> {
    filter: Option<CompiledFilter>,
    order: KeysetOrder,
    projection: CompiledProjection<'s>,
    page: PageRequest,
    fingerprint: QueryFingerprint,
}

/// Where a page starts.
#[derive(Debug)]
#[non_exhaustive]
pub enum Start {
    /// The first page (no cursor, or a bare `cursor`).
    First,
    /// Strictly after this boundary (a `nextCursor`).
    After(KeysetBoundary),
    /// Strictly before this boundary (a `previousCursor`).
    Before(KeysetBoundary),
    /// Index paging: the 1-based `startIndex`.
    Index(u64),
}

/// One page of a sorted list ([`CompiledListQuery::page`]).
#[derive(Debug)]
pub struct Page<'a, T> {
    /// The items of the page, in order.
    pub items: &'a [T],
    /// Items follow the page (serve a `nextCursor`).
    pub has_next: bool,
    /// Items precede the page (a `previousCursor` may be served).
    pub has_previous: bool,
    /// The page's 1-based index of its first item in the whole list
    /// (`startIndex` of the response).
    pub start_index: u64,
}

impl<'s> CompiledListQuery<'s> {
    pub(crate) fn new(query: &ListQuery, schema: &'s ResourceSchema) -> Result<Self, ScimError> {
        let compile = query.options().compile;
        let filter = match query.filter() {
            Some(f) => Some(f.compile_with(schema, compile)?),
            None => None,
        };
        let sorter = match query.sort() {
            Some(s) => Some(s.compile_with(schema, compile)?),
            None => None,
        };
        Ok(Self {
            filter,
            order: KeysetOrder::from_sorter(sorter),
            projection: query.projection().compile(schema),
            page: query.page().clone(),
            fingerprint: query.fingerprint(&schema.resource_type().name),
        })
    }

    /// Whether `resource` matches the filter (everything does without one).
    pub fn matches(&self, resource: &Value) -> bool {
        self.filter.as_ref().is_none_or(|f| f.matches(resource))
    }

    /// The compiled filter, if there is one.
    pub fn filter(&self) -> Option<&CompiledFilter> {
        self.filter.as_ref()
    }

    /// The total order of the list: `sortBy` (if any), then `id`.
    pub fn order(&self) -> &KeysetOrder {
        &self.order
    }

    /// `resource` as the response shows it (`attributes`,
    /// `excludedAttributes`, `returned`).
    pub fn project(&self, resource: &Value) -> Value {
        self.projection.apply(resource)
    }

    /// `count`, `cursor` / `startIndex`.
    pub fn page_request(&self) -> &PageRequest {
        &self.page
    }

    /// The page size.
    pub fn count(&self) -> u32 {
        self.page.count()
    }

    /// What this query's cursors are bound to (resource type from the
    /// schema, canonical filter, sort, attribute lists).
    pub fn fingerprint(&self) -> &QueryFingerprint {
        &self.fingerprint
    }

    /// Where the requested page starts: the cursor verified with `codec`
    /// (signature, expiry, query binding, page size) and its position
    /// prepared for seeking.
    ///
    /// Errors: the codec's (`invalidCursor`, `expiredCursor`,
    /// `invalidCount`), and `invalidCursor` for a position that is not a
    /// keyset of this order (opaque, or another `sortBy`).
    pub fn start(&self, codec: &CursorCodec) -> Result<Start, ScimError> {
        match self.page.paging() {
            Paging::Cursor(None) => Ok(Start::First),
            Paging::Index(i) => Ok(Start::Index(*i)),
            Paging::Cursor(Some(cursor)) => {
                let decoded = codec.decode(cursor.as_str(), &self.fingerprint, self.count())?;
                let keyset = decoded.position().as_keyset().ok_or_else(|| {
                    ScimError::invalid_cursor("the cursor does not hold a keyset position")
                })?;
                let boundary = self.order.boundary(&keyset.sort_values, &keyset.id)?;
                Ok(match keyset.direction {
                    Direction::Previous => Start::Before(boundary),
                    Direction::Next => Start::After(boundary),
                })
            }
        }
    }

    /// The verified keyset of the request's cursor, for a store that seeks
    /// itself (scimkit-sql's `Position`): the same checks as
    /// [`start`](Self::start), then the boundary item's sort values, id and
    /// direction. `None` for the first page and for index paging.
    ///
    /// Errors: as [`start`](Self::start).
    pub fn cursor_keyset(&self, codec: &CursorCodec) -> Result<Option<Keyset>, ScimError> {
        let Paging::Cursor(Some(cursor)) = self.page.paging() else {
            return Ok(None);
        };
        let decoded = codec.decode(cursor.as_str(), &self.fingerprint, self.count())?;
        let keyset = decoded.position().as_keyset().cloned().ok_or_else(|| {
            ScimError::invalid_cursor("the cursor does not hold a keyset position")
        })?;
        // The boundary check refuses sort values of another order.
        self.order.boundary(&keyset.sort_values, &keyset.id)?;
        Ok(Some(keyset))
    }

    /// The page of `sorted` (sorted by [`order`](Self::order)) that
    /// `start` asks for: up to [`count`](Self::count) items, found by
    /// binary search for a cursor.
    pub fn page<'a, T: Borrow<Value>>(&self, sorted: &'a [T], start: &Start) -> Page<'a, T> {
        let count = usize::try_from(self.count()).unwrap_or(usize::MAX);
        let len = sorted.len();
        let (from, to) = match start {
            Start::First => (0, count.min(len)),
            Start::After(b) => {
                let from = self.order.after(sorted, b);
                (from, from.saturating_add(count).min(len))
            }
            Start::Before(b) => {
                let to = self.order.before(sorted, b);
                (to.saturating_sub(count), to)
            }
            Start::Index(i) => {
                let from = usize::try_from(i.saturating_sub(1))
                    .unwrap_or(usize::MAX)
                    .min(len);
                (from, from.saturating_add(count).min(len))
            }
        };
        Page {
            items: sorted.get(from..to).unwrap_or_default(),
            has_next: to < len,
            has_previous: from > 0,
            start_index: u64::try_from(from).unwrap_or(u64::MAX).saturating_add(1),
        }
    }

    /// The `nextCursor` of a page whose last item is `last`.
    pub fn next_cursor(&self, codec: &CursorCodec, last: &Value) -> Result<String, ScimError> {
        let position = Position::after(self.order.sort_values(last), resource_id(last));
        Ok(codec
            .encode(&position, &self.fingerprint, self.count())?
            .into_string())
    }

    /// The `previousCursor` of a page whose first item is `first`.
    pub fn previous_cursor(&self, codec: &CursorCodec, first: &Value) -> Result<String, ScimError> {
        let position = Position::before(self.order.sort_values(first), resource_id(first));
        Ok(codec
            .encode(&position, &self.fingerprint, self.count())?
            .into_string())
    }
}
