//! Keyset paging over the filter crate's total order: every item is served
//! exactly once, in order, whatever the page size, direction, ties and
//! missing values, with positions passed through their JSON form as a
//! cursor would carry them.

use proptest::prelude::*;
use scimkit_filter::{resource_id, KeysetOrder, SortSpec};
use scimkit_schema::{ResourceSchema, SortValue};
use serde_json::{json, Value};

fn user(i: usize, name: Option<&str>, modified: Option<&str>, n: Option<i64>) -> Value {
    let mut u = json!({"id": format!("id-{i:03}")});
    if let Some(name) = name {
        u["userName"] = json!(name);
    }
    if let Some(m) = modified {
        u["meta"] = json!({"lastModified": m});
    }
    if let Some(n) = n {
        u["score"] = json!(n);
    }
    u
}

fn users() -> impl Strategy<Value = Vec<Value>> {
    let name = prop::option::of(prop::sample::select(vec![
        "alice",
        "Alice",
        "ALICE",
        "bob",
        "b\u{f6}b",
        "bo\u{308}b",
        "carol",
        "",
    ]));
    let modified = prop::option::of(prop::sample::select(vec![
        "2024-01-01T00:00:00Z",
        "2024-01-01T01:00:00+01:00",
        "2024-01-01T00:00:00.5Z",
        "2023-12-31T23:59:59-00:30",
        "not a date",
    ]));
    let score = prop::option::of(-3i64..3);
    prop::collection::vec((name, modified, score), 0..40).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (n, m, s))| user(i, n, m, s))
            .collect()
    })
}

/// Walk `sorted` page by page as a server would: each next page starts
/// right after the boundary decoded from the previous page's last item.
fn walk(order: &KeysetOrder, sorted: &[Value], page: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let chunk = &sorted[start..(start + page).min(sorted.len())];
        out.extend(chunk.iter().cloned());
        let last = chunk.last().unwrap();
        // What a cursor stores, through its JSON form.
        let stored = serde_json::to_string(&order.sort_values(last)).unwrap();
        let values: Vec<SortValue> = serde_json::from_str(&stored).unwrap();
        let boundary = order.boundary(&values, resource_id(last)).unwrap();
        let next = order.after(sorted, &boundary);
        assert_eq!(
            next,
            start + chunk.len(),
            "boundary {stored} {}",
            resource_id(last)
        );
        assert_eq!(order.before(sorted, &boundary), next - 1);
        start = next;
    }
    out
}

fn orders() -> Vec<KeysetOrder> {
    let mut all = vec![KeysetOrder::by_id()];
    for by in ["userName", "meta.lastModified", "displayName"] {
        for dir in ["ascending", "descending"] {
            let spec = SortSpec::from_query(by, Some(dir)).unwrap();
            all.push(KeysetOrder::new(
                spec.compile(ResourceSchema::user()).unwrap(),
            ));
        }
    }
    for dir in ["ascending", "descending"] {
        let spec = SortSpec::from_query("score", Some(dir)).unwrap();
        all.push(KeysetOrder::new(spec.compile_schemaless()));
    }
    all
}

proptest! {
    #[test]
    fn every_item_once_in_order(items in users(), page in 1usize..7) {
        for order in orders() {
            let mut sorted = items.clone();
            order.sort(&mut sorted);
            // The order is total: no two distinct items compare equal.
            for pair in sorted.windows(2) {
                prop_assert_eq!(order.compare(&pair[0], &pair[1]), std::cmp::Ordering::Less);
            }
            prop_assert_eq!(walk(&order, &sorted, page), sorted);
        }
    }

    #[test]
    fn sort_agrees_with_the_stable_sorter_on_keys(items in users()) {
        // KeysetOrder refines Sorter: the keys come out in the same order.
        let spec = SortSpec::from_query("userName", None).unwrap();
        let sorter = spec.compile(ResourceSchema::user()).unwrap();
        let mut a = items.clone();
        sorter.sort(&mut a);
        let mut b = items;
        KeysetOrder::new(sorter.clone()).sort(&mut b);
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(sorter.compare(x, y), std::cmp::Ordering::Equal);
        }
    }
}
