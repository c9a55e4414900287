//! Keyset order: the total order of a cursor-paged list (RFC 9865), and the
//! bridge between a resource and a stored cursor position.
//!
//! A keyset cursor stores the last item's sort values and its `id`; the
//! next page is every item strictly after that boundary in one total
//! order. That order is defined here, once, so the in-memory path (this
//! module), the SQL translator (scimkit-sql derives its "after position"
//! predicate from the same rules) and the cursor positions
//! ([`SortValue`]s, stored by scimkit-cursor) agree:
//!
//! 1. the `sortBy` key as [`Sorter`] orders it (type-aware, caseExact,
//!    primary-or-first of a multi-valued attribute, a missing value last
//!    when ascending and first when descending);
//! 2. then `id`, compared by its bytes (in SQL: `COLLATE "C"` on
//!    PostgreSQL, `BINARY` on SQLite), in the same direction as the key, so
//!    the boundary test is one row comparison `(key, id) > (:key, :id)`
//!    (`<` when descending). A resource without a string `id` has the id `""`.
//!
//! Without `sortBy` the order is `id` alone, ascending, and positions carry
//! no sort values.
//!
//! A stored sort value is turned back into JSON and prepared by the same
//! comparator as the resources' values, so a position decoded from a
//! cursor compares exactly as the resource it was taken from. A value the
//! comparator cannot read (a malformed dateTime, a number where a string
//! is declared) sorts as missing, and is stored as [`SortValue::Null`].
//! Integers beyond `i64` are stored as decimals (exact up to 2^53).

use std::borrow::Borrow;
use std::cmp::Ordering;

use scimkit_schema::json::member_ci;
use scimkit_schema::{AttributeType, ScimError, SortValue};
use serde_json::Value;

use crate::sort::{Key, SortOrder, Sorter};

/// The total order of a keyset-paged list: the sort key, then `id`.
///
/// ```
/// use scimkit_filter::{KeysetOrder, SortSpec};
/// use scimkit_schema::{ResourceSchema, SortValue};
/// use serde_json::json;
///
/// let order = KeysetOrder::new(
///     SortSpec::from_query("userName", None)?.compile(ResourceSchema::user())?);
/// let mut users = vec![
///     json!({"id": "3", "userName": "carol"}),
///     json!({"id": "2", "userName": "Bob"}),
///     json!({"id": "1", "userName": "bob"}),
/// ];
/// order.sort(&mut users);
/// // "Bob" and "bob" tie on userName (caseExact false): id breaks the tie.
/// assert_eq!(users[0]["id"], "1");
///
/// // The last item of a page becomes the cursor position...
/// let values = order.sort_values(&users[1]);
/// assert_eq!(values, [SortValue::from("Bob")]);
/// // ...and the next page starts right after it, found by binary search.
/// let boundary = order.boundary(&values, "2")?;
/// assert_eq!(order.after(&users, &boundary), 2);
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
#[derive(Clone, Debug)]
pub struct KeysetOrder {
    sorter: Option<Sorter>,
}

/// A stored position prepared for comparisons: its key and id.
///
/// Made by [`KeysetOrder::boundary`] from a cursor's sort values and id.
pub struct KeysetBoundary {
    key: Option<Key>,
    id: String,
}

impl std::fmt::Debug for KeysetBoundary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeysetBoundary")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl KeysetBoundary {
    /// The boundary item's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The `id` a keyset order reads: the string `id` member, else `""`.
pub fn resource_id(resource: &Value) -> &str {
    member_ci(resource, "id")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

impl KeysetOrder {
    /// Ordered by `sortBy` (then `id`).
    pub fn new(sorter: Sorter) -> Self {
        Self {
            sorter: Some(sorter),
        }
    }

    /// Ordered by `id` alone (no `sortBy`).
    pub fn by_id() -> Self {
        Self { sorter: None }
    }

    /// [`new`](Self::new) or [`by_id`](Self::by_id).
    pub fn from_sorter(sorter: Option<Sorter>) -> Self {
        Self { sorter }
    }

    /// The sort key's sorter, if there is a `sortBy`.
    pub fn sorter(&self) -> Option<&Sorter> {
        self.sorter.as_ref()
    }

    /// The direction of the whole order (the `id` follows the key).
    pub fn order(&self) -> SortOrder {
        self.sorter
            .as_ref()
            .map_or(SortOrder::Ascending, Sorter::order)
    }

    /// How many sort values a position of this order carries (0 or 1).
    pub fn arity(&self) -> usize {
        usize::from(self.sorter.is_some())
    }

    /// The sort values a cursor position stores for `resource` (empty
    /// without `sortBy`).
    pub fn sort_values(&self, resource: &Value) -> Vec<SortValue> {
        let Some(sorter) = &self.sorter else {
            return Vec::new();
        };
        vec![sorter
            .key(resource)
            .map_or(SortValue::Null, |v| typed(sorter, v))]
    }

    fn key_of(&self, resource: &Value) -> Option<Key> {
        self.sorter.as_ref().map(|s| s.prepare(resource))
    }

    fn cmp_parts(&self, a: (Option<&Key>, &str), b: (Option<&Key>, &str)) -> Ordering {
        let by_key = match (&self.sorter, a.0, b.0) {
            (Some(s), Some(x), Some(y)) => s.cmp_prepared(x, y),
            _ => Ordering::Equal,
        };
        by_key.then_with(|| match self.order() {
            SortOrder::Ascending => a.1.cmp(b.1),
            SortOrder::Descending => b.1.cmp(a.1),
        })
    }

    /// Compare two resources in this total order.
    pub fn compare(&self, a: &Value, b: &Value) -> Ordering {
        self.cmp_parts(
            (self.key_of(a).as_ref(), resource_id(a)),
            (self.key_of(b).as_ref(), resource_id(b)),
        )
    }

    /// Sort in this total order (each key prepared once).
    pub fn sort<T: Borrow<Value>>(&self, items: &mut [T]) {
        let keys: Vec<(Option<Key>, &str)> = items
            .iter()
            .map(|i| (self.key_of(i.borrow()), resource_id(i.borrow())))
            .collect();
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| match (keys.get(a), keys.get(b)) {
            (Some(x), Some(y)) => self.cmp_parts((x.0.as_ref(), x.1), (y.0.as_ref(), y.1)),
            _ => Ordering::Equal,
        });
        drop(keys);
        permute(items, order);
    }

    /// Prepare a stored position (a cursor's sort values and id) for
    /// comparisons.
    ///
    /// Errors (`400 invalidCursor`): the number of sort values is not this
    /// order's [`arity`](Self::arity), which means the position was made
    /// for another `sortBy` (a cursor bound to its query never is).
    pub fn boundary(
        &self,
        sort_values: &[SortValue],
        id: &str,
    ) -> Result<KeysetBoundary, ScimError> {
        if sort_values.len() != self.arity() {
            return Err(ScimError::invalid_cursor(
                "the cursor was issued for a different sortBy",
            ));
        }
        let key = match (&self.sorter, sort_values.first()) {
            (Some(sorter), Some(value)) => {
                let json = value.to_json();
                Some(sorter.prepare_value(json.as_ref()))
            }
            _ => None,
        };
        Ok(KeysetBoundary {
            key,
            id: id.to_owned(),
        })
    }

    /// Where `resource` lies relative to `boundary` in this order.
    pub fn compare_to(&self, resource: &Value, boundary: &KeysetBoundary) -> Ordering {
        self.cmp_parts(
            (self.key_of(resource).as_ref(), resource_id(resource)),
            (boundary.key.as_ref(), &boundary.id),
        )
    }

    /// In `sorted` (sorted in this order), the index of the first item
    /// strictly after `boundary`: where a `nextCursor` page starts.
    pub fn after<T: Borrow<Value>>(&self, sorted: &[T], boundary: &KeysetBoundary) -> usize {
        sorted.partition_point(|r| self.compare_to(r.borrow(), boundary) != Ordering::Greater)
    }

    /// In `sorted`, the number of items strictly before `boundary`: a
    /// `previousCursor` page is the last `count` of them.
    pub fn before<T: Borrow<Value>>(&self, sorted: &[T], boundary: &KeysetBoundary) -> usize {
        sorted.partition_point(|r| self.compare_to(r.borrow(), boundary) == Ordering::Less)
    }
}

/// A resource's (non-null) sort value, typed the way the comparator reads it.
fn typed(sorter: &Sorter, value: &Value) -> SortValue {
    let comparator = sorter.comparator(value);
    if comparator.prepare(value).is_err() {
        return SortValue::Null;
    }
    match value {
        Value::Bool(b) => SortValue::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SortValue::Integer(i),
            None => n.as_f64().map_or(SortValue::Null, SortValue::Decimal),
        },
        Value::String(s) if comparator.kind() == AttributeType::DateTime => {
            scimkit_schema::compare::parse_datetime(s).map_or(SortValue::Null, SortValue::DateTime)
        }
        Value::String(s) => SortValue::String(s.clone()),
        Value::Null | Value::Array(_) | Value::Object(_) => SortValue::Null,
    }
}

/// Reorder `items` so that position `i` holds the item at `order[i]`.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut current = start;
        while let Some(&next) = order.get(current) {
            if let Some(slot) = order.get_mut(current) {
                *slot = current;
            }
            if next == start || next == current {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SortSpec;
    use scimkit_schema::ResourceSchema;
    use serde_json::json;

    fn order(sort_by: &str, sort_order: &str) -> KeysetOrder {
        KeysetOrder::new(
            SortSpec::from_query(sort_by, Some(sort_order))
                .unwrap()
                .compile(ResourceSchema::user())
                .unwrap(),
        )
    }

    #[test]
    fn permute_applies_any_permutation() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut v, vec![3, 0, 4, 1, 2]);
        assert_eq!(v, ['d', 'a', 'e', 'b', 'c']);
        let mut v = vec![1, 2, 3];
        permute(&mut v, vec![0, 1, 2]);
        assert_eq!(v, [1, 2, 3]);
        let mut v: Vec<u8> = vec![];
        permute(&mut v, vec![]);
    }

    #[test]
    fn missing_values_and_descending() {
        let users = [
            json!({"id": "a", "userName": "x"}),
            json!({"id": "b"}),
            json!({"id": "c", "userName": "y"}),
        ];
        let mut asc: Vec<&Value> = users.iter().collect();
        order("userName", "ascending").sort(&mut asc);
        let ids: Vec<&str> = asc.iter().map(|u| resource_id(u)).collect();
        assert_eq!(ids, ["a", "c", "b"]);
        let desc = order("userName", "descending");
        let mut d: Vec<&Value> = users.iter().collect();
        desc.sort(&mut d);
        let ids: Vec<&str> = d.iter().map(|u| resource_id(u)).collect();
        assert_eq!(ids, ["b", "c", "a"]);
        // The missing value is stored as null and found again.
        let values = desc.sort_values(&users[1]);
        assert_eq!(values, [SortValue::Null]);
        let b = desc.boundary(&values, "b").unwrap();
        assert_eq!(desc.after(&d, &b), 1);
        assert_eq!(desc.before(&d, &b), 0);
    }

    #[test]
    fn datetimes_store_as_instants() {
        let o = order("meta.lastModified", "ascending");
        let r = json!({"id": "1", "meta": {"lastModified": "2024-05-01T12:00:00+02:00"}});
        let values = o.sort_values(&r);
        assert_eq!(
            values,
            [SortValue::DateTime("2024-05-01T10:00:00Z".parse().unwrap())]
        );
        let b = o.boundary(&values, "1").unwrap();
        assert_eq!(o.compare_to(&r, &b), Ordering::Equal);
        // A malformed dateTime sorts as missing and is stored as null.
        let bad = json!({"id": "2", "meta": {"lastModified": "yesterday"}});
        assert_eq!(o.sort_values(&bad), [SortValue::Null]);
    }

    #[test]
    fn arity_is_checked() {
        let o = order("userName", "ascending");
        let err = o.boundary(&[], "1").unwrap_err();
        assert_eq!(err.scim_type().map(|t| t.as_str()), Some("invalidCursor"));
        assert_eq!(err.status(), 400);
        let by_id = KeysetOrder::by_id();
        assert!(by_id.boundary(&[SortValue::Null], "1").is_err());
        assert!(by_id.boundary(&[], "1").is_ok());
    }

    #[test]
    fn by_id_orders_bytes() {
        let mut v = vec![
            json!({"id": "b"}),
            json!({"id": "B"}),
            json!({}),
            json!({"id": "a"}),
        ];
        KeysetOrder::by_id().sort(&mut v);
        let ids: Vec<&str> = v.iter().map(resource_id).collect();
        assert_eq!(ids, ["", "B", "a", "b"]);
    }
}
