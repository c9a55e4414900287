//! The rules table of `ListQuery`, row by row, and keyset paging end to end
//! through real cursor tokens.

use proptest::prelude::*;
use scimkit_cursor::{CursorCodec, CursorKey, KeyRing, ManualClock, PaginationConfig, Paging};
use scimkit_query::{ListQuery, ListQueryOptions, Start};
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::{json, Value};

fn rfc() -> ListQueryOptions {
    ListQueryOptions::default()
}

fn q(query: &str) -> Result<ListQuery, ScimError> {
    ListQuery::from_query(query, &rfc())
}

/// The scimType and detail of an error.
fn err(result: Result<ListQuery, ScimError>) -> (String, String) {
    let e = result.expect_err("expected an error");
    assert_eq!(e.status(), 400);
    (
        e.scim_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        e.detail().unwrap_or_default().to_owned(),
    )
}

#[test]
fn names_in_any_case_values_decoded() {
    let a = q("FILTER=userName+eq+%22a+b%22&SortBy=userName&sortorder=DESCENDING&ATTRIBUTES=userName&Count=3").unwrap();
    assert_eq!(a.filter().unwrap().to_string(), r#"userName eq "a b""#);
    let sort = a.sort().unwrap();
    assert_eq!(sort.path.to_string(), "userName");
    assert_eq!(sort.order.as_str(), "descending");
    assert_eq!(a.projection().attributes().len(), 1);
    assert_eq!(a.page().count(), 3);
    // A leading `?`, empty segments and other parameters are fine.
    let b = q("?&filter=userName%20pr&&other=%zz&x").unwrap();
    assert_eq!(b.filter().unwrap().to_string(), "userName pr");
}

#[test]
fn blank_filter_and_sort_are_absent() {
    let a = q("filter=&sortBy=%20").unwrap();
    assert!(a.filter().is_none());
    assert!(a.sort().is_none());
    // sortOrder alone is ignored (RFC 7644 defines it with sortBy).
    assert!(q("sortOrder=descending").unwrap().sort().is_none());
}

#[test]
fn errors_name_the_parameter() {
    let (t, d) = err(q("filter=userName%20eq"));
    assert_eq!(t, "invalidFilter");
    assert!(d.starts_with("filter: "), "{d}");
    let (t, d) = err(q("sortBy=name..x"));
    assert_eq!(t, "invalidValue");
    assert!(d.contains("sortBy"), "{d}");
    let (t, d) = err(q("sortBy=userName&sortOrder=up"));
    assert_eq!(t, "invalidValue");
    assert!(d.contains("sortOrder"), "{d}");
    let (t, d) = err(q("attributes=emails[type"));
    assert_eq!(t, "invalidValue");
    assert!(d.contains("attributes"), "{d}");
    let (t, d) = err(q("count=ten"));
    assert_eq!(t, "invalidCount");
    assert!(d.contains("count"), "{d}");
    assert_eq!(err(q("cursor=a%20b")).0, "invalidCursor");
}

#[test]
fn repeated_parameters_are_refused() {
    assert_eq!(
        err(q("filter=userName%20pr&Filter=id%20pr")).0,
        "invalidFilter"
    );
    assert_eq!(err(q("sortBy=a&sortby=b")).0, "invalidValue");
    assert_eq!(err(q("attributes=a&attributes=b")).0, "invalidValue");
    assert_eq!(err(q("count=1&COUNT=1")).0, "invalidCount");
}

#[test]
fn padded_names_are_refused_in_every_dialect() {
    assert_eq!(err(q("filter%20=userName%20pr")).0, "invalidFilter");
    assert_eq!(err(q("+count=5")).0, "invalidCount");
    assert_eq!(err(q("sortBy =userName")).0, "invalidValue");
}

#[test]
fn whitespace_around_equals_is_a_dialect_rule() {
    // RFC: a value may start with blanks; someone else's padded name is ignored.
    assert!(q("filter=%20userName%20pr&other%20=1").is_ok());
    let entra = ListQueryOptions::entra();
    let e = |s: &str| err(ListQuery::from_query(s, &entra));
    assert_eq!(e("filter=%20userName%20pr").0, "invalidFilter");
    assert_eq!(e("filter=+userName+pr").0, "invalidFilter");
    assert_eq!(e("count=+5").0, "invalidCount");
    let (t, d) = e("other%20=1");
    assert_eq!(t, "invalidValue");
    assert!(d.starts_with("other"), "{d}");
    assert!(ListQuery::from_query("filter=userName%20pr&count=5", &entra).is_ok());
}

#[test]
fn count_zero_and_sorting_are_dialect_rules() {
    assert_eq!(q("count=0").unwrap().page().count(), 0);
    let entra = ListQueryOptions::entra();
    assert_eq!(
        err(ListQuery::from_query("count=0", &entra)).0,
        "invalidCount"
    );
    let (t, d) = err(ListQuery::from_query("sortBy=userName", &entra));
    assert_eq!(t, "invalidValue");
    assert!(d.contains("sortBy"), "{d}");
    assert_eq!(
        err(ListQuery::from_query("sortOrder=ascending", &entra)).0,
        "invalidValue"
    );
    // Entra has no index paging.
    assert_eq!(
        err(ListQuery::from_query("startIndex=1", &entra)).0,
        "invalidValue"
    );
    let lenient = ListQueryOptions::entra()
        .with_zero_count(true)
        .with_sorting(true);
    assert!(ListQuery::from_query("count=0&sortBy=userName", &lenient).is_ok());
}

#[test]
fn malformed_escapes_in_ours_are_errors_in_others_ignored() {
    assert_eq!(
        err(q("filter=userName%20eq%20%22100%%22")).0,
        "invalidFilter"
    );
    assert_eq!(err(q("count=%zz")).0, "invalidCount");
    assert_eq!(err(q("cursor=%")).0, "invalidCursor");
    assert_eq!(err(q("sortBy=%FF")).0, "invalidValue");
    assert!(q("utm=%zz&x=%FF").is_ok());
}

#[test]
fn search_bodies() {
    let o = rfc();
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName   eq  \"x\" ", "sortBy": "userName", "sortOrder": "descending",
        "attributes": ["userName", "emails"], "excludedAttributes": null, "count": 5});
    let post = ListQuery::from_search_body(&body, &o).unwrap();
    let get = q("filter=userName%20eq%20%22x%22&sortBy=userName&sortOrder=descending&attributes=emails,userName&count=5").unwrap();
    // Canonical filter text: equivalent spellings share a fingerprint.
    assert_eq!(post.fingerprint("User"), get.fingerprint("User"));
    assert_ne!(post.fingerprint("User"), get.fingerprint("Group"));
    let e = |b: Value| err(ListQuery::from_search_body(&b, &o));
    assert_eq!(e(json!([])).0, "invalidSyntax");
    assert_eq!(e(json!({"schemas": ["urn:x"]})).0, "invalidValue");
    assert_eq!(e(json!({"attributes": "userName"})).0, "invalidValue");
    assert_eq!(e(json!({"attributes": ["a,b"]})).0, "invalidValue");
    assert_eq!(e(json!({"filter": 1})).0, "invalidFilter");
    assert_eq!(e(json!({"count": "5"})).0, "invalidCount");
    assert_eq!(
        e(json!({"filter": "a pr", "FILTER": "b pr"})).0,
        "invalidFilter"
    );
    assert!(ListQuery::from_search_body(&json!({}), &o).is_ok());
}

#[test]
fn pairs_agree_with_query_strings() {
    let pairs = [
        ("filter", "userName sw \"b\""),
        ("sortBy", "userName"),
        ("count", "4"),
        ("cursor", ""),
    ];
    let a = ListQuery::from_pairs(pairs, &rfc()).unwrap();
    let b = q("filter=userName%20sw%20%22b%22&sortBy=userName&count=4&cursor").unwrap();
    assert_eq!(a.fingerprint("User"), b.fingerprint("User"));
    assert_eq!(a.page(), b.page());
    assert!(matches!(a.page().paging(), Paging::Cursor(None)));
    let entra = ListQueryOptions::entra();
    assert!(ListQuery::from_pairs([("filter", " userName pr")], &entra).is_err());
    assert!(ListQuery::from_pairs([("filter ", "userName pr")], &rfc()).is_err());
}

#[test]
fn compile_errors_come_from_the_schema() {
    let schema = ResourceSchema::user();
    let e = q("filter=password%20pr")
        .unwrap()
        .compile(schema)
        .unwrap_err();
    assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
}

fn store() -> Vec<Value> {
    // Ties on userName (case-insensitive), a missing userName, 23 users.
    (0..23)
        .map(|i| {
            let mut u = json!({"id": format!("{:08x}-0000-4000-8000-000000000000", i * 7919 % 1000),
                               "displayName": format!("User {i}")});
            if i % 5 != 0 {
                u["userName"] = json!(if i % 2 == 0 {
                    format!("u{}", i / 3)
                } else {
                    format!("U{}", i / 3)
                });
            }
            u
        })
        .collect()
}

fn codec() -> CursorCodec {
    CursorCodec::new(KeyRing::single(
        CursorKey::new(b"0123456789abcdef0123456789abcdef").unwrap(),
    ))
    .with_clock(ManualClock::new(1_700_000_000))
}

/// A served page: its ids, its nextCursor and its previousCursor.
type Served = (Vec<String>, Option<String>, Option<String>);

/// One page of GET /Users?{base}&cursor={cursor}.
fn serve(base: &str, cursor: Option<&str>) -> Result<Served, ScimError> {
    let data = store();
    let codec = codec();
    let query = format!("{base}&cursor={}", cursor.unwrap_or(""));
    let q = ListQuery::from_query(&query, &rfc())?.compile(ResourceSchema::user())?;
    let start = q.start(&codec)?;
    let mut hits: Vec<&Value> = data.iter().filter(|r| q.matches(r)).collect();
    q.order().sort(&mut hits);
    let page = q.page(&hits, &start);
    let ids = page
        .items
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let next = match (page.has_next, page.items.last()) {
        (true, Some(last)) => Some(q.next_cursor(&codec, last)?),
        _ => None,
    };
    let prev = match (page.has_previous, page.items.first()) {
        (true, Some(first)) => Some(q.previous_cursor(&codec, first)?),
        _ => None,
    };
    Ok((ids, next, prev))
}

#[test]
fn keyset_paging_forward_and_back() {
    for base in [
        "sortBy=userName&count=4",
        "sortBy=userName&sortOrder=descending&count=5",
        "count=3",
        "filter=userName%20pr&sortBy=displayName&count=4",
    ] {
        let mut pages = Vec::new();
        let mut cursors = vec![None];
        let mut cursor: Option<String> = None;
        loop {
            let (ids, next, _) = serve(base, cursor.as_deref()).unwrap();
            pages.push(ids);
            match next {
                Some(n) => {
                    cursors.push(Some(n.clone()));
                    cursor = Some(n);
                }
                None => break,
            }
        }
        let all: Vec<String> = pages.concat();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "{base}: an item served twice");
        let expected = if base.starts_with("filter") {
            23 - 5
        } else {
            23
        };
        assert_eq!(all.len(), expected, "{base}");
        // Walking back from the last page with previousCursor gives the pages in reverse.
        let mut cursor = cursors.last().cloned().flatten();
        let mut back = vec![pages.last().unwrap().clone()];
        let (_, _, mut prev) = serve(base, cursor.as_deref()).unwrap();
        while let Some(p) = prev {
            let (ids, _, pp) = serve(base, Some(&p)).unwrap();
            back.push(ids);
            prev = pp;
            cursor = Some(p);
        }
        let _ = cursor;
        back.reverse();
        assert_eq!(back.concat(), all, "{base}");
    }
}

#[test]
fn cursors_are_bound_to_query_and_count() {
    let (_, next, _) = serve("sortBy=userName&count=4", None).unwrap();
    let next = next.unwrap();
    let e = serve("sortBy=displayName&count=4", Some(&next)).unwrap_err();
    assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidCursor"));
    let e = serve("sortBy=userName&count=5", Some(&next)).unwrap_err();
    assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidCount"));
    // The same query as a different spelling of the filter still resumes.
    let (_, n2, _) = serve("filter=userName%20pr&sortBy=userName&count=4", None).unwrap();
    assert!(serve(
        "filter=userName++pr+&sortBy=userName&count=4",
        Some(&n2.unwrap())
    )
    .is_ok());
}

#[test]
fn index_paging() {
    let o = rfc().with_pagination(PaginationConfig::index_only());
    let q = ListQuery::from_query("startIndex=21&count=5", &o)
        .unwrap()
        .compile(ResourceSchema::user())
        .unwrap();
    let start = q.start(&codec()).unwrap();
    assert!(matches!(start, Start::Index(21)));
    let data = store();
    let mut hits: Vec<&Value> = data.iter().collect();
    q.order().sort(&mut hits);
    let page = q.page(&hits, &start);
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.start_index, 21);
    assert!(!page.has_next && page.has_previous);
    let beyond = q.page(&hits, &Start::Index(u64::MAX));
    assert!(beyond.items.is_empty());
}

proptest! {
    #[test]
    fn never_panics(query in "[a-zA-Z%=&+ 0-9\"().\\[\\]]{0,80}") {
        let _ = q(&query).map(|l| l.compile(ResourceSchema::user()).map(|c| c.count()));
        let _ = ListQuery::from_query(&query, &ListQueryOptions::entra());
    }

    #[test]
    fn query_and_pairs_agree(
        filter in prop::sample::select(vec!["userName pr", "userName eq \"a&b=c\"", "title co \"+%\"", "bad ("]),
        count in 0u32..20,
    ) {
        let encoded: String = filter.bytes().map(|b| format!("%{b:02X}")).collect();
        let a = q(&format!("filter={encoded}&count={count}"));
        let b = ListQuery::from_pairs([("filter", filter.to_string()), ("count", count.to_string())], &rfc());
        match (a, b) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a.fingerprint("User"), b.fingerprint("User")),
            (Err(a), Err(b)) => prop_assert_eq!(a.detail(), b.detail()),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }
}
