//! Page-request parsing: one test per rule of the `request` module table,
//! for query strings, decoded pairs and `/.search` bodies.

use scimkit_cursor::{
    CursorErrorKind, OverMaxCount, PageRequest, PaginationConfig, PaginationMethod, Paging,
};
use scimkit_schema::{ScimError, ScimType};
use serde_json::{json, Value};

fn both() -> PaginationConfig {
    PaginationConfig::default() // cursor + index, index default, 100 / 1000
}

fn cursor_default() -> PaginationConfig {
    PaginationConfig::default().with_default_pagination_method(Some(PaginationMethod::Cursor))
}

fn q(query: &str, config: &PaginationConfig) -> Result<PageRequest, CursorErrorKind> {
    PageRequest::from_query(query, config).map_err(|e| e.kind())
}

fn scim_type(query: &str, config: &PaginationConfig) -> ScimType {
    let e: ScimError = PageRequest::from_query(query, config).unwrap_err().into();
    assert_eq!(e.status(), 400, "{query}");
    e.scim_type().cloned().unwrap()
}

fn body(v: Value, config: &PaginationConfig) -> Result<PageRequest, CursorErrorKind> {
    PageRequest::from_search_body(&v, config).map_err(|e| e.kind())
}

fn first(count: u32) -> PageRequest {
    PageRequest::new(Paging::Cursor(None), count)
}

fn at(cursor: &str, count: u32) -> PageRequest {
    PageRequest::new(Paging::Cursor(Some(cursor.parse().unwrap())), count)
}

fn index(start: u64, count: u32) -> PageRequest {
    PageRequest::new(Paging::Index(start), count)
}

// ----- choosing the method -----

#[test]
fn no_parameters_use_the_default_method() {
    assert_eq!(q("", &both()), Ok(index(1, 100)));
    assert_eq!(q("filter=x", &cursor_default()), Ok(first(100)));
    assert_eq!(q("", &PaginationConfig::entra()), Ok(first(100)));
    assert_eq!(q("", &PaginationConfig::index_only()), Ok(index(1, 100)));
}

#[test]
fn bare_and_empty_cursor_ask_for_the_first_page() {
    // RFC 9865's own example.
    assert_eq!(
        q("filter=userName%20sw%20J&cursor&count=10", &both()),
        Ok(first(10))
    );
    assert_eq!(q("cursor=&count=10", &both()), Ok(first(10)));
    assert_eq!(q("?cursor", &both()), Ok(first(100)));
    assert_eq!(
        body(json!({"cursor": "", "count": 10}), &both()),
        Ok(first(10))
    );
    let pairs = [("cursor", ""), ("count", "10")];
    assert_eq!(
        PageRequest::from_pairs(pairs, &both()).map_err(|e| e.kind()),
        Ok(first(10))
    );
}

#[test]
fn cursor_value_is_carried() {
    assert_eq!(
        q("cursor=VZUTiyhEQJ94IR&count=10", &both()),
        Ok(at("VZUTiyhEQJ94IR", 10))
    );
    // Percent-encoded unreserved characters decode to themselves.
    assert_eq!(q("cursor=a%2Db%7Ec", &both()), Ok(at("a-b~c", 100)));
    assert_eq!(
        body(json!({"cursor": "a.b_c"}), &both()),
        Ok(at("a.b_c", 100))
    );
    let r = q("cursor=abc", &both()).unwrap();
    assert_eq!(r.cursor().map(|c| c.as_str()), Some("abc"));
    assert_eq!(r.method(), PaginationMethod::Cursor);
    assert!(!r.is_first_cursor_page());
    assert_eq!(r.start_index(), None);
}

#[test]
fn cursor_text_outside_unreserved_is_invalid_cursor() {
    for query in [
        "cursor=a+b",    // '+' is a space
        "cursor=a%2Bb",  // '+' itself
        "cursor=a%2Fb",  // '/'
        "cursor=a%3D",   // '='
        "cursor=%C3%A9", // non-ASCII
        "cursor=%zz",    // bad escape
        "cursor=%ff",    // not UTF-8
        "cursor=a%00",
    ] {
        assert_eq!(
            q(query, &both()),
            Err(CursorErrorKind::InvalidCursorText),
            "{query}"
        );
        assert_eq!(scim_type(query, &both()), ScimType::InvalidCursor);
    }
    assert_eq!(
        body(json!({"cursor": 5}), &both()),
        Err(CursorErrorKind::InvalidCursorText)
    );
    assert_eq!(
        body(json!({"cursor": ["a"]}), &both()),
        Err(CursorErrorKind::InvalidCursorText)
    );
    assert_eq!(
        body(json!({"cursor": "a b"}), &both()),
        Err(CursorErrorKind::InvalidCursorText)
    );
}

#[test]
fn cursor_length_limit() {
    let config = both().with_max_cursor_length(10);
    assert!(q(&format!("cursor={}", "a".repeat(10)), &config).is_ok());
    assert_eq!(
        q(&format!("cursor={}", "a".repeat(11)), &config),
        Err(CursorErrorKind::InvalidCursorText)
    );
    // Escapes count after decoding, but raw input is bounded before decoding.
    assert!(q(&format!("cursor={}", "%61".repeat(10)), &config).is_ok());
    assert_eq!(
        q(&format!("cursor={}", "a".repeat(100_000)), &both()),
        Err(CursorErrorKind::InvalidCursorText)
    );
}

#[test]
fn cursor_with_start_index_is_invalid_value() {
    for query in [
        "cursor=abc&startIndex=1",
        "startIndex=1&cursor",
        "cursor=&startIndex=5",
    ] {
        assert_eq!(
            q(query, &both()),
            Err(CursorErrorKind::ConflictingPagination),
            "{query}"
        );
        assert_eq!(scim_type(query, &both()), ScimType::InvalidValue);
    }
    assert_eq!(
        body(json!({"cursor": "", "startIndex": 1}), &both()),
        Err(CursorErrorKind::ConflictingPagination)
    );
}

#[test]
fn unsupported_methods_are_invalid_value() {
    let entra = PaginationConfig::entra();
    let e = PageRequest::from_query("startIndex=1", &entra).unwrap_err();
    assert_eq!(
        (e.kind(), e.parameter()),
        (CursorErrorKind::UnsupportedMethod, Some("startIndex"))
    );
    assert_eq!(scim_type("startIndex=1", &entra), ScimType::InvalidValue);
    let index_only = PaginationConfig::index_only();
    let e = PageRequest::from_query("cursor", &index_only).unwrap_err();
    assert_eq!(
        (e.kind(), e.parameter()),
        (CursorErrorKind::UnsupportedMethod, Some("cursor"))
    );
    // Neither method: both refused, the request is a single index page.
    let none = both().with_cursor(false).with_index(false);
    assert!(q("cursor", &none).is_err());
    assert!(q("startIndex=1", &none).is_err());
    assert_eq!(q("count=5", &none), Ok(index(1, 5)));
}

// ----- count -----

#[test]
fn count_defaults_to_default_page_size() {
    let config = both().with_default_page_size(Some(25));
    assert_eq!(q("startIndex=1", &config), Ok(index(1, 25)));
    assert_eq!(q("cursor", &config), Ok(first(25)));
    let no_default = both().with_default_page_size(None).with_max_page_size(None);
    assert_eq!(q("", &no_default), Ok(index(1, 100)));
}

#[test]
fn count_above_max_is_clamped_by_default() {
    assert_eq!(q("count=5000", &both()), Ok(index(1, 1000)));
    assert_eq!(q("cursor&count=1001", &both()), Ok(first(1000)));
    assert_eq!(q("count=1000", &both()), Ok(index(1, 1000)));
    // Overflowing numbers are just very large.
    assert_eq!(
        q("count=99999999999999999999999999", &both()),
        Ok(index(1, 1000))
    );
    assert_eq!(
        body(json!({"count": 18446744073709551615u64}), &both()),
        Ok(index(1, 1000))
    );
    // No maximum: anything up to u32::MAX, beyond that saturates.
    let unbounded = both().with_max_page_size(None);
    assert_eq!(q("count=4294967295", &unbounded), Ok(index(1, u32::MAX)));
    assert_eq!(q("count=4294967296", &unbounded), Ok(index(1, u32::MAX)));
}

#[test]
fn count_above_max_can_be_refused() {
    let config = both().with_over_max_count(OverMaxCount::Reject);
    assert_eq!(q("count=1000", &config), Ok(index(1, 1000)));
    assert_eq!(q("count=1001", &config), Err(CursorErrorKind::InvalidCount));
    assert_eq!(
        scim_type("cursor&count=1001", &config),
        ScimType::InvalidCount
    );
    assert_eq!(
        q("count=99999999999999999999999999", &config),
        Err(CursorErrorKind::InvalidCount)
    );
    assert_eq!(
        body(json!({"count": 1001}), &config),
        Err(CursorErrorKind::InvalidCount)
    );
}

#[test]
fn negative_count_is_zero_for_index_and_invalid_for_cursor() {
    assert_eq!(q("count=-1", &both()), Ok(index(1, 0)));
    assert_eq!(
        q("startIndex=3&count=-99999999999999999999", &both()),
        Ok(index(3, 0))
    );
    assert_eq!(
        q("cursor&count=-1", &both()),
        Err(CursorErrorKind::InvalidCount)
    );
    assert_eq!(
        scim_type("cursor=abc&count=-5", &both()),
        ScimType::InvalidCount
    );
    // Cursor paging by default: still cursor paging.
    assert_eq!(
        q("count=-1", &cursor_default()),
        Err(CursorErrorKind::InvalidCount)
    );
    assert_eq!(body(json!({"count": -1}), &both()), Ok(index(1, 0)));
    assert_eq!(
        body(json!({"cursor": "", "count": -1}), &both()),
        Err(CursorErrorKind::InvalidCount)
    );
    // -0 is zero.
    assert_eq!(q("cursor&count=-0", &both()), Ok(first(0)));
}

#[test]
fn count_zero_is_allowed() {
    assert_eq!(q("count=0", &both()), Ok(index(1, 0)));
    assert_eq!(q("cursor&count=0", &both()), Ok(first(0)));
    assert_eq!(q("cursor&count=000", &both()), Ok(first(0)));
}

#[test]
fn non_numeric_count_is_invalid_count() {
    for query in [
        "count=ten",
        "count=1.5",
        "count=1e3",
        "count=%2B5",
        "count=+5",
        "count=5+",
        "count=%205",
        "count=",
        "count",
        "count=0x10",
        "count=--1",
        "count=%zz",
        "count=５",
    ] {
        assert_eq!(
            q(query, &both()),
            Err(CursorErrorKind::InvalidCount),
            "{query}"
        );
        assert_eq!(scim_type(query, &both()), ScimType::InvalidCount, "{query}");
    }
    for v in [
        json!("10"),
        json!(10.0),
        json!(1.5),
        json!(true),
        json!([10]),
        json!({}),
    ] {
        assert_eq!(
            body(json!({"count": v}), &both()),
            Err(CursorErrorKind::InvalidCount),
            "{v}"
        );
    }
}

// ----- startIndex -----

#[test]
fn start_index_below_one_is_one() {
    assert_eq!(q("startIndex=0", &both()), Ok(index(1, 100)));
    assert_eq!(q("startIndex=-5", &both()), Ok(index(1, 100)));
    assert_eq!(
        q("startIndex=-99999999999999999999", &both()),
        Ok(index(1, 100))
    );
    assert_eq!(q("startIndex=51&count=50", &both()), Ok(index(51, 50)));
    assert_eq!(
        q("startIndex=99999999999999999999", &both()),
        Ok(index(u64::MAX, 100))
    );
    assert_eq!(body(json!({"startIndex": -3}), &both()), Ok(index(1, 100)));
}

#[test]
fn non_numeric_start_index_is_invalid_value() {
    for query in [
        "startIndex=one",
        "startIndex=",
        "startIndex",
        "startIndex=1.0",
        "startIndex=%201",
    ] {
        assert_eq!(
            q(query, &both()),
            Err(CursorErrorKind::InvalidStartIndex),
            "{query}"
        );
        assert_eq!(scim_type(query, &both()), ScimType::InvalidValue);
    }
    assert_eq!(
        body(json!({"startIndex": "1"}), &both()),
        Err(CursorErrorKind::InvalidStartIndex)
    );
}

// ----- repeated parameters and names -----

#[test]
fn repeated_parameters_are_refused_with_their_own_type() {
    for (query, param, t) in [
        ("cursor=a&cursor=a", "cursor", ScimType::InvalidCursor),
        ("cursor&cursor", "cursor", ScimType::InvalidCursor),
        ("cursor=&Cursor=b", "cursor", ScimType::InvalidCursor),
        ("count=1&count=1", "count", ScimType::InvalidCount),
        ("count=1&COUNT=2", "count", ScimType::InvalidCount),
        (
            "startIndex=1&startindex=1",
            "startIndex",
            ScimType::InvalidValue,
        ),
    ] {
        let e = PageRequest::from_query(query, &both()).unwrap_err();
        assert_eq!(e.kind(), CursorErrorKind::RepeatedParameter, "{query}");
        assert_eq!(e.parameter(), Some(param));
        assert_eq!(scim_type(query, &both()), t);
    }
    // Across spellings in a body, and with a null second spelling.
    assert_eq!(
        body(json!({"count": 1, "Count": 1}), &both()),
        Err(CursorErrorKind::RepeatedParameter)
    );
    assert_eq!(
        body(json!({"Cursor": "", "cursor": null}), &both()),
        Err(CursorErrorKind::RepeatedParameter)
    );
    assert_eq!(
        body(json!({"Cursor": null, "cursor": ""}), &both()),
        Err(CursorErrorKind::RepeatedParameter)
    );
    let pairs = vec![
        ("count".to_owned(), "1".to_owned()),
        ("count".to_owned(), "2".to_owned()),
    ];
    assert_eq!(
        PageRequest::from_pairs(pairs, &both()).unwrap_err().kind(),
        CursorErrorKind::RepeatedParameter
    );
}

#[test]
fn names_match_in_any_case_and_after_decoding() {
    assert_eq!(q("COUNT=5&Cursor", &both()), Ok(first(5)));
    assert_eq!(q("c%6Funt=5&%63ursor=", &both()), Ok(first(5)));
    assert_eq!(q("STARTINDEX=2", &both()), Ok(index(2, 100)));
    assert_eq!(
        body(json!({"Count": 5, "CURSOR": ""}), &both()),
        Ok(first(5))
    );
}

#[test]
fn whitespace_around_names_is_refused() {
    // Microsoft Entra answers 400 to whitespace around `=`, encoded or not.
    for (query, kind) in [
        ("count%20=5", CursorErrorKind::InvalidCount),
        ("count+=5", CursorErrorKind::InvalidCount),
        ("%20cursor=", CursorErrorKind::InvalidCursorText),
        ("startIndex%09=1", CursorErrorKind::InvalidStartIndex),
        ("count=%205", CursorErrorKind::InvalidCount),
    ] {
        assert_eq!(q(query, &both()), Err(kind), "{query}");
    }
    let pairs = [("count ", "5")];
    assert_eq!(
        PageRequest::from_pairs(pairs, &both()).unwrap_err().kind(),
        CursorErrorKind::InvalidCount
    );
}

#[test]
fn other_parameters_and_noise_are_ignored() {
    assert_eq!(
        q("filter=userName%20eq%20%22a%26b%22&&sortBy=x&attributes=a,b&counts=9&xcursor=1&=&%zz=1&count=3",
          &both()),
        Ok(index(1, 3))
    );
    assert_eq!(
        body(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                    "filter": "x", "cursor": null, "count": null}),
            &both()
        ),
        Ok(index(1, 100))
    );
}

#[test]
fn search_body_must_be_an_object() {
    for v in [json!([]), json!("cursor"), json!(null), json!(1)] {
        let e = PageRequest::from_search_body(&v, &both()).unwrap_err();
        assert_eq!(e.kind(), CursorErrorKind::InvalidBody);
        let s: ScimError = e.into();
        assert_eq!(s.scim_type(), Some(&ScimType::InvalidSyntax));
    }
}

#[test]
fn query_pairs_and_body_agree() {
    // (query string, decoded pairs, search body)
    type Case = (&'static str, Vec<(&'static str, &'static str)>, Value);
    let cases: [Case; 5] = [
        (
            "cursor&count=10",
            vec![("cursor", ""), ("count", "10")],
            json!({"cursor": "", "count": 10}),
        ),
        (
            "cursor=abc",
            vec![("cursor", "abc")],
            json!({"cursor": "abc"}),
        ),
        (
            "startIndex=7&count=3",
            vec![("startIndex", "7"), ("count", "3")],
            json!({"startIndex": 7, "count": 3}),
        ),
        ("count=-2", vec![("count", "-2")], json!({"count": -2})),
        ("", vec![], json!({})),
    ];
    for config in [both(), cursor_default(), PaginationConfig::entra()] {
        for (query, pairs, b) in &cases {
            let from_query = q(query, &config);
            let from_pairs = PageRequest::from_pairs(pairs.clone(), &config).map_err(|e| e.kind());
            let from_body = body(b.clone(), &config);
            assert_eq!(from_query, from_pairs, "{query}");
            assert_eq!(from_query, from_body, "{query}");
        }
    }
}

#[test]
fn never_panics_on_hostile_queries() {
    let inputs = [
        "%",
        "%%",
        "%%%",
        "&&&&",
        "====",
        "?",
        "??cursor",
        "cursor=%",
        "count=%-1",
        "cursor=\u{0}",
        "count=\u{feff}1",
        "startIndex=\u{2212}1",
    ];
    for input in inputs {
        let _ = PageRequest::from_query(input, &both());
        let _ = PageRequest::from_query(input, &PaginationConfig::entra());
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use scimkit_cursor::QueryFingerprint;

    fn configs() -> [PaginationConfig; 4] {
        [
            both(),
            cursor_default(),
            PaginationConfig::entra().with_over_max_count(OverMaxCount::Reject),
            PaginationConfig::index_only(),
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_queries_never_panic(s in ".{0,200}", t in "[a-zA-Z=&%+0-9 -]{0,80}") {
            for c in configs() {
                let _ = PageRequest::from_query(&s, &c);
                let _ = PageRequest::from_query(&t, &c);
                let _ = PageRequest::from_pairs([(s.as_str(), t.as_str())], &c);
                let _ = QueryFingerprint::from_query(&s);
            }
        }

        #[test]
        fn query_and_body_agree_on_any_integer(count in any::<i64>(), start in any::<i64>(), cursor in any::<bool>()) {
            for c in configs() {
                let (query, b) = if cursor {
                    (format!("count={count}&cursor"), json!({"count": count, "cursor": ""}))
                } else {
                    (format!("count={count}&startIndex={start}"), json!({"count": count, "startIndex": start}))
                };
                prop_assert_eq!(q(&query, &c), body(b, &c), "{}", query);
            }
        }

        #[test]
        fn effective_count_is_within_bounds(count in any::<i64>()) {
            let c = both();
            if let Ok(r) = q(&format!("count={count}"), &c) {
                prop_assert!(r.count() <= 1000);
                prop_assert_eq!(r.count() as i64, count.clamp(0, 1000));
            }
        }

        #[test]
        fn attribute_order_and_case_do_not_matter(mut attrs in proptest::collection::vec("[a-z]{1,8}", 1..6)) {
            let a = QueryFingerprint::from_query(&format!("attributes={}", attrs.join(",")));
            attrs.reverse();
            let upper: Vec<String> = attrs.iter().map(|s| s.to_uppercase()).collect();
            let b = QueryFingerprint::from_query(&format!("attributes={}", upper.join("%2C%20")));
            prop_assert_eq!(a, b);
        }
    }
}
