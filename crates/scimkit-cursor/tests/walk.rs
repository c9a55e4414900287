//! The client-side walker: follows nextCursor to the end, and refuses to
//! loop on servers that repeat cursors.

use std::cell::RefCell;
use std::collections::HashMap;

use scimkit_cursor::{
    walk, walk_pages, CursorCodec, CursorKey, KeyRing, ListResponse, PageRequest, PaginationConfig,
    Paging, Position, QueryFingerprint, WalkError, WalkState,
};

/// A server of `n` items in pages of `size`, with string cursors "p<k>".
fn paged(n: u32, size: u32) -> impl FnMut(Option<&str>) -> Result<ListResponse<u32>, String> {
    move |cursor| {
        let start = match cursor {
            None => 0,
            Some(c) => c
                .strip_prefix('p')
                .and_then(|k| k.parse::<u32>().ok())
                .ok_or_else(|| format!("bad cursor {c}"))?,
        };
        let end = (start + size).min(n);
        let mut page = ListResponse::new((start..end).collect()).with_total_results(u64::from(n));
        if end < n {
            page = page.with_next_cursor(format!("p{end}"));
        }
        Ok(page)
    }
}

#[test]
fn walks_all_items_in_order() {
    let items: Vec<u32> = walk(paged(95, 10)).collect::<Result<_, _>>().unwrap();
    assert_eq!(items, (0..95).collect::<Vec<_>>());
    let pages: Vec<usize> = walk_pages(paged(95, 10))
        .map(|p| p.unwrap().resources.len())
        .collect();
    assert_eq!(pages.len(), 10);
    assert_eq!(pages.last(), Some(&5));
}

#[test]
fn single_and_empty_results() {
    assert_eq!(walk(paged(0, 10)).count(), 0);
    assert_eq!(walk(paged(3, 10)).count(), 3);
    assert_eq!(walk_pages(paged(0, 10)).count(), 1);
}

#[test]
fn empty_pages_with_next_cursor_are_followed() {
    // RFC 9865 lets a page hold fewer results than count, even none.
    let mut calls = 0;
    let items: Vec<u32> = walk(|c: Option<&str>| -> Result<ListResponse<u32>, ()> {
        calls += 1;
        Ok(match c {
            None => ListResponse::new(vec![]).with_next_cursor("a"),
            Some("a") => ListResponse::new(vec![]).with_next_cursor("b"),
            _ => ListResponse::new(vec![7]),
        })
    })
    .collect::<Result<_, _>>()
    .unwrap();
    assert_eq!(items, [7]);
    assert_eq!(calls, 3);
}

#[test]
fn immediate_repeat_is_caught() {
    let mut calls = 0;
    let out: Vec<_> = walk(|_c: Option<&str>| -> Result<ListResponse<u32>, ()> {
        calls += 1;
        Ok(ListResponse::new(vec![calls]).with_next_cursor("same"))
    })
    .collect();
    assert_eq!(
        out,
        [Ok(1), Ok(2), Err(WalkError::RepeatedCursor { page: 2 })]
    );
    assert_eq!(calls, 2);
}

#[test]
fn longer_cycles_are_caught() {
    // a -> b -> c -> a ...
    let next: HashMap<Option<&str>, &str> = [
        (None, "a"),
        (Some("a"), "b"),
        (Some("b"), "c"),
        (Some("c"), "a"),
    ]
    .into();
    let out: Vec<_> = walk_pages(|c: Option<&str>| -> Result<ListResponse<u8>, ()> {
        Ok(ListResponse::new(vec![]).with_next_cursor(next[&c]))
    })
    .collect();
    assert_eq!(out.len(), 5);
    assert!(out[..4].iter().all(Result::is_ok));
    assert_eq!(out[4], Err(WalkError::RepeatedCursor { page: 4 }));
}

#[test]
fn empty_next_cursor_is_an_error() {
    let out: Vec<_> = walk(|c: Option<&str>| -> Result<ListResponse<u8>, ()> {
        assert!(c.is_none(), "the walker must not follow an empty cursor");
        Ok(ListResponse::new(vec![1]).with_next_cursor(""))
    })
    .collect();
    assert_eq!(out, [Ok(1), Err(WalkError::EmptyCursor { page: 1 })]);
}

#[test]
fn max_pages_guard() {
    let mut n = 0u32;
    let out: Vec<_> = walk(|_c: Option<&str>| -> Result<ListResponse<u32>, ()> {
        n += 1;
        Ok(ListResponse::new(vec![n]).with_next_cursor(format!("c{n}")))
    })
    .max_pages(3)
    .collect();
    assert_eq!(
        out,
        [
            Ok(1),
            Ok(2),
            Ok(3),
            Err(WalkError::TooManyPages { limit: 3 })
        ]
    );
    // A walk that ends exactly at the limit is fine.
    assert_eq!(
        walk(paged(30, 10))
            .max_pages(3)
            .filter(Result::is_err)
            .count(),
        0
    );
}

#[test]
fn fetch_errors_end_the_walk() {
    let mut calls = 0;
    let out: Vec<_> = walk(
        |c: Option<&str>| -> Result<ListResponse<u32>, &'static str> {
            calls += 1;
            match c {
                None => Ok(ListResponse::new(vec![1, 2]).with_next_cursor("x")),
                Some(_) => Err("HTTP 503"),
            }
        },
    )
    .collect();
    assert_eq!(out, [Ok(1), Ok(2), Err(WalkError::Fetch("HTTP 503"))]);
    assert_eq!(calls, 2);
    assert_eq!(
        WalkError::Fetch("HTTP 503").to_string(),
        "fetching a page failed: HTTP 503"
    );
}

#[test]
fn state_machine_for_async_clients() {
    let mut state = WalkState::new().with_max_pages(10);
    let mut fetch = paged(25, 10);
    let mut items = Vec::new();
    while let Some(cursor) = state.next_request() {
        let page = fetch(cursor).unwrap();
        state.record::<()>(page.next_cursor.as_deref()).unwrap();
        items.extend(page.resources);
    }
    assert_eq!(items.len(), 25);
    assert_eq!(state.pages(), 3);
    assert_eq!(state.next_request(), None);
}

#[test]
fn walks_a_real_codec_backed_server_with_entra_style_cursors() {
    // Server: 37 ids, Entra config, signed keyset cursors.
    let config = PaginationConfig::entra();
    let codec = CursorCodec::new(KeyRing::single(CursorKey::new(&[8; 32]).unwrap()));
    let ids: Vec<String> = (0..37).map(|i| format!("{i:04}")).collect();
    let seen_cursors = RefCell::new(Vec::new());
    let server = |query: &str| -> Result<ListResponse<String>, scimkit_schema::ScimError> {
        let req = PageRequest::from_query(query, &config)?;
        let fp = QueryFingerprint::builder()
            .resource_type("User")
            .query(query)
            .build();
        let start = match req.paging() {
            Paging::Cursor(Some(c)) => {
                seen_cursors.borrow_mut().push(c.as_str().to_owned());
                let d = codec.decode(c.as_str(), &fp, req.count())?;
                let id = &d.position().as_keyset().unwrap().id;
                ids.iter().position(|x| x == id).unwrap() + 1
            }
            _ => 0,
        };
        let end = (start + req.count() as usize).min(ids.len());
        let mut page = ListResponse::new(ids[start..end].to_vec());
        if end < ids.len() {
            let pos = Position::after(vec![], ids[end - 1].clone());
            page = page.with_next_cursor(codec.encode(&pos, &fp, req.count())?);
        }
        Ok(page)
    };
    let all: Vec<String> = walk(|c: Option<&str>| match c {
        None => server("filter=active%20eq%20true&count=10"),
        Some(c) => server(&format!(
            "filter=active%20eq%20true&count=10&cursor={}",
            scimkit_cursor::encode_query_component(c)
        )),
    })
    .collect::<Result<_, _>>()
    .unwrap();
    assert_eq!(all, ids);
    assert_eq!(seen_cursors.borrow().len(), 3);
}

#[test]
fn fetch_error_is_the_source() {
    use std::error::Error as _;
    let e: WalkError<std::io::Error> = WalkError::Fetch(std::io::Error::other("reset"));
    assert_eq!(e.source().map(|s| s.to_string()), Some("reset".to_owned()));
    assert!(WalkError::<std::io::Error>::TooManyPages { limit: 1 }
        .source()
        .is_none());
}
