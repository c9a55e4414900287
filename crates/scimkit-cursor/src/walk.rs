//! Client side: walk every page of a cursor-paginated query.
//!
//! [`walk`] follows `nextCursor` until a page has none (RFC 9865: the only
//! last-page signal), yielding resources one by one; [`walk_pages`] yields
//! whole pages. Both guard against servers that loop: a `nextCursor` seen
//! before, an empty `nextCursor` (which would restart from the first page),
//! and more than [`WalkState::DEFAULT_MAX_PAGES`] pages are errors, not
//! endless walks. For async clients, [`WalkState`] is the same guard as a
//! plain state machine to drive from your own loop.

use std::collections::HashSet;
use std::fmt;

use crate::list::ListResponse;

/// Why a walk stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WalkError<E> {
    /// Fetching a page failed.
    #[error("fetching a page failed: {0}")]
    Fetch(#[source] E),
    /// The server returned a `nextCursor` it had returned before: following
    /// it would loop.
    #[error("page {page} returned a nextCursor already seen; the server is looping")]
    RepeatedCursor {
        /// 1-based number of the page that carried it.
        page: u64,
    },
    /// The server returned an empty `nextCursor`; an empty cursor asks for
    /// the first page, so following it would loop.
    #[error("page {page} returned an empty nextCursor, which would restart the query")]
    EmptyCursor {
        /// 1-based number of the page that carried it.
        page: u64,
    },
    /// The walk reached its page limit with a `nextCursor` still present.
    #[error("stopped after {limit} pages with more still announced")]
    TooManyPages {
        /// The limit.
        limit: u64,
    },
}

/// The walk's guard as a state machine: ask [`next_request`](Self::next_request)
/// what to fetch, fetch it, report the page's `nextCursor` with
/// [`record`](Self::record), repeat until `next_request` says `None`.
///
/// ```
/// use scimkit_cursor::{WalkError, WalkState};
///
/// let mut state = WalkState::new();
/// assert_eq!(state.next_request(), Some(None));          // first page: no cursor
/// state.record::<()>(Some("c1")).unwrap();
/// assert_eq!(state.next_request(), Some(Some("c1")));
/// assert_eq!(state.record::<()>(Some("c1")), Err(WalkError::RepeatedCursor { page: 2 }));
/// ```
#[derive(Debug, Clone)]
pub struct WalkState {
    next: Next,
    seen: HashSet<String>,
    pages: u64,
    max_pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Next {
    First,
    Cursor(String),
    Done,
}

impl Default for WalkState {
    fn default() -> Self {
        Self::new()
    }
}

impl WalkState {
    /// Default page limit: 100,000 pages (100 million resources at
    /// Entra's 1000 per page).
    pub const DEFAULT_MAX_PAGES: u64 = 100_000;

    /// A walk that starts at the first page.
    pub fn new() -> Self {
        Self {
            next: Next::First,
            seen: HashSet::new(),
            pages: 0,
            max_pages: Self::DEFAULT_MAX_PAGES,
        }
    }

    /// Stop with [`WalkError::TooManyPages`] after `limit` pages.
    pub fn with_max_pages(mut self, limit: u64) -> Self {
        self.max_pages = limit;
        self
    }

    /// What to fetch next: `Some(None)` for the first page,
    /// `Some(Some(cursor))` to follow a cursor, `None` when done (or after
    /// an error).
    pub fn next_request(&self) -> Option<Option<&str>> {
        match &self.next {
            Next::First => Some(None),
            Next::Cursor(c) => Some(Some(c)),
            Next::Done => None,
        }
    }

    /// Pages recorded so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Record the `nextCursor` of the page just fetched. After an error the
    /// walk is over.
    pub fn record<E>(&mut self, next_cursor: Option<&str>) -> Result<(), WalkError<E>> {
        self.pages = self.pages.saturating_add(1);
        let page = self.pages;
        let result = match next_cursor {
            None => {
                self.next = Next::Done;
                return Ok(());
            }
            Some("") => Err(WalkError::EmptyCursor { page }),
            Some(c) if self.seen.contains(c) => Err(WalkError::RepeatedCursor { page }),
            Some(_) if page >= self.max_pages => Err(WalkError::TooManyPages {
                limit: self.max_pages,
            }),
            Some(c) => {
                self.seen.insert(c.to_owned());
                self.next = Next::Cursor(c.to_owned());
                return Ok(());
            }
        };
        self.next = Next::Done;
        result
    }

    /// End the walk (after a fetch error).
    fn stop(&mut self) {
        self.next = Next::Done;
    }
}

/// An iterator over pages; see [`walk_pages`].
pub struct Pages<E, F> {
    fetch: F,
    state: WalkState,
    /// An error about the last page's `nextCursor`, reported after the page.
    pending: Option<WalkError<E>>,
}

/// Walk all pages: call `fetch(None)` for the first page, then
/// `fetch(Some(next_cursor))` until a page has no `nextCursor`.
///
/// The cursor passed to `fetch` is the server's text verbatim; put it in a
/// URL with [`encode_query_component`](crate::encode_query_component).
/// A page whose `nextCursor` trips a guard is still yielded; the error
/// follows it. After the first error the iterator ends.
///
/// ```
/// use scimkit_cursor::{walk_pages, ListResponse};
///
/// let pages = walk_pages(|cursor: Option<&str>| -> Result<ListResponse<u32>, String> {
///     Ok(match cursor {
///         None => ListResponse::new(vec![1, 2]).with_next_cursor("p2"),
///         Some("p2") => ListResponse::new(vec![3]),
///         Some(other) => return Err(format!("unexpected cursor {other}")),
///     })
/// });
/// let sizes: Vec<usize> = pages.map(|p| p.unwrap().resources.len()).collect();
/// assert_eq!(sizes, [2, 1]);
/// ```
pub fn walk_pages<T, E, F>(fetch: F) -> Pages<E, F>
where
    F: FnMut(Option<&str>) -> Result<ListResponse<T>, E>,
{
    Pages {
        fetch,
        state: WalkState::new(),
        pending: None,
    }
}

impl<E, F> Pages<E, F> {
    /// Stop with [`WalkError::TooManyPages`] after `limit` pages.
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.state = self.state.with_max_pages(limit);
        self
    }

    /// Iterate resources instead of pages.
    pub fn resources<T>(self) -> Items<T, E, F> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }

    /// The guard's state (pages fetched so far).
    pub fn state(&self) -> &WalkState {
        &self.state
    }
}

impl<T, E, F> Iterator for Pages<E, F>
where
    F: FnMut(Option<&str>) -> Result<ListResponse<T>, E>,
{
    type Item = Result<ListResponse<T>, WalkError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        let cursor = self.state.next_request()?;
        match (self.fetch)(cursor) {
            Ok(page) => {
                if let Err(e) = self.state.record(page.next_cursor.as_deref()) {
                    self.pending = Some(e);
                }
                Some(Ok(page))
            }
            Err(e) => {
                self.state.stop();
                Some(Err(WalkError::Fetch(e)))
            }
        }
    }
}

impl<T, E, F> std::iter::FusedIterator for Pages<E, F> where
    F: FnMut(Option<&str>) -> Result<ListResponse<T>, E>
{
}

impl<E, F> fmt::Debug for Pages<E, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// An iterator over resources; see [`walk`].
pub struct Items<T, E, F> {
    pages: Pages<E, F>,
    buffer: std::vec::IntoIter<T>,
}

/// Walk all resources of all pages, following `nextCursor`; see
/// [`walk_pages`] for the contract of `fetch`.
///
/// ```
/// use scimkit_cursor::{walk, ListResponse, WalkError};
///
/// // A server that hands out the same cursor twice is caught, not followed forever.
/// let looping = walk(|cursor: Option<&str>| -> Result<ListResponse<u32>, ()> {
///     Ok(ListResponse::new(vec![if cursor.is_none() { 1 } else { 2 }]).with_next_cursor("same"))
/// });
/// let items: Vec<_> = looping.collect();
/// assert_eq!(items, [Ok(1), Ok(2), Err(WalkError::RepeatedCursor { page: 2 })]);
/// ```
pub fn walk<T, E, F>(fetch: F) -> Items<T, E, F>
where
    F: FnMut(Option<&str>) -> Result<ListResponse<T>, E>,
{
    walk_pages(fetch).resources()
}

impl<T, E, F> Items<T, E, F> {
    /// Stop with [`WalkError::TooManyPages`] after `limit` pages.
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.pages = self.pages.max_pages(limit);
        self
    }

    /// The guard's state (pages fetched so far).
    pub fn state(&self) -> &WalkState {
        &self.pages.state
    }
}

impl<T, E, F> Iterator for Items<T, E, F>
where
    F: FnMut(Option<&str>) -> Result<ListResponse<T>, E>,
{
    type Item = Result<T, WalkError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.buffer = page.resources.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<T, E, F> std::iter::FusedIterator for Items<T, E, F> where
    F: FnMut(Option<&str>) -> Result<ListResponse<T>, E>
{
}

impl<T, E, F> fmt::Debug for Items<T, E, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}
