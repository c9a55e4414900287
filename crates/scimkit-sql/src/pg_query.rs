//! What a PostgreSQL query returns and what the caller still does with
//! its rows: the residual filter, the in-memory order, the position and
//! the page size ([`PgQuery`]).
//!
//! PostgreSQL 15 cannot compare as the evaluator does everywhere (see
//! [`Select::to_postgres`](crate::Select::to_postgres)); the SQL returns a
//! superset of the page's candidates and [`PgQuery::finish`] turns them
//! into exactly the page the evaluator and `KeysetOrder` define.

use scimkit_filter::{CompiledFilter, KeysetBoundary, KeysetOrder};
use serde_json::Value;

use crate::select::Seek;
use crate::sql::Sql;

/// A PostgreSQL list query: the SQL (rows: `id`, `doc` as JSON text) and
/// what is left for the caller.
#[derive(Debug)]
pub struct PgQuery {
    /// The statement.
    pub sql: Sql,
    /// The part PostgreSQL could not decide: `None` when the condition is
    /// exact (the rows are the evaluator's), else the whole filter, which
    /// the caller applies to each row ([`finish`](Self::finish) does).
    pub residual: Option<CompiledFilter>,
    pub(crate) order: KeysetOrder,
    pub(crate) boundary: Option<(KeysetBoundary, Seek)>,
    pub(crate) limit: Option<u64>,
    /// Membership attributes the SQL added to each document for the
    /// residual; `finish` removes them.
    pub(crate) strip: Vec<&'static str>,
}

impl PgQuery {
    /// Whether the SQL alone returns the page (the condition is exact, and
    /// the order, position and limit are in the SQL: no `sortBy`).
    pub fn is_exact(&self) -> bool {
        self.residual.is_none() && self.order.sorter().is_none()
    }

    /// The page from the documents the SQL returned: those the residual
    /// accepts, in keyset order, after (or before) the position, at most
    /// `limit`. Cheap when the SQL already did it all.
    ///
    /// With a residual on a table whose `members` (or `groups`) the
    /// membership table answers, and a filter naming them, the SQL returns
    /// each document with that attribute filled from the rows (the
    /// evaluator needs it); `finish` removes it again, so the page holds
    /// the documents as stored, less any attribute of that name.
    pub fn finish(&self, rows: Vec<Value>) -> Vec<Value> {
        let mut rows: Vec<Value> = match &self.residual {
            Some(f) => rows.into_iter().filter(|d| f.matches(d)).collect(),
            None => rows,
        };
        if !self.strip.is_empty() {
            for d in &mut rows {
                if let Some(o) = d.as_object_mut() {
                    o.retain(|k, _| !self.strip.iter().any(|a| a.eq_ignore_ascii_case(k)));
                }
            }
        }
        self.order.sort(&mut rows);
        let limit = self
            .limit
            .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        match &self.boundary {
            None => rows.into_iter().take(limit).collect(),
            Some((b, Seek::After)) => {
                let start = self.order.after(&rows, b);
                rows.into_iter().skip(start).take(limit).collect()
            }
            Some((b, Seek::Before)) => {
                let end = self.order.before(&rows, b);
                rows.truncate(end);
                let start = end.saturating_sub(limit);
                rows.into_iter().skip(start).collect()
            }
        }
    }
}
