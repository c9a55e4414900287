//! Fuzz `PageRequest::from_query` (arbitrary query strings) and
//! `PageRequest::from_search_body` (arbitrary JSON bodies) under a set of
//! fixed `PaginationConfig`s, plus one read from the input: never a panic.
//!
//! Input: `<query or JSON body>`, or `<config JSON> 0x00 <query or body>`
//! (split at the first NUL) to add a fuzzed configuration. The query part
//! goes through `from_query`, and through `from_search_body` if it is JSON.
//!
//! Checks on every answer: a request never serves more than maxPageSize,
//! uses only a supported method, carries a valid cursor within the
//! configured length or a startIndex of at least 1, and round-trips
//! through its JSON form; every refusal is a 400 with a scimType. A
//! configuration read from JSON round-trips through serde. The query
//! fingerprint of the same input is computed too (never panics).

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_cursor::{
    Cursor, CursorError, OverMaxCount, PageRequest, PaginationConfig, Paging, QueryFingerprint,
};
use scimkit_schema::ScimError;
use serde_json::Value;

fn configs() -> Vec<PaginationConfig> {
    vec![
        PaginationConfig::default(),
        PaginationConfig::cursor_only(),
        PaginationConfig::index_only(),
        PaginationConfig::entra(),
        PaginationConfig::entra()
            .with_over_max_count(OverMaxCount::Reject)
            .with_max_cursor_length(16),
        // Nothing supported, a default above the maximum.
        PaginationConfig::default()
            .with_cursor(false)
            .with_index(false)
            .with_default_pagination_method(None)
            .with_default_page_size(Some(5000))
            .with_max_page_size(Some(1))
            .with_cursor_timeout(None),
        // No sizes at all.
        PaginationConfig::cursor_only()
            .with_default_page_size(None)
            .with_max_page_size(None),
    ]
}

fn check(result: Result<PageRequest, CursorError>, config: &PaginationConfig, input: &str) {
    match result {
        Ok(r) => {
            assert!(
                r.count() <= config.effective_max_page_size(),
                "count {} above max for {input:?} under {config:?}",
                r.count()
            );
            match r.paging() {
                Paging::Cursor(c) => {
                    assert!(
                        config.cursor,
                        "cursor paging not offered: {input:?} {config:?}"
                    );
                    if let Some(c) = c {
                        assert!(Cursor::is_valid(c.as_str()));
                        assert!(c.len() <= config.max_cursor_length, "{input:?}");
                    }
                }
                Paging::Index(i) => {
                    assert!(*i >= 1, "startIndex {i} for {input:?}");
                    assert!(
                        config.index || !config.cursor,
                        "index paging not offered: {input:?} {config:?}"
                    );
                }
            }
            let json = serde_json::to_string(&r).expect("serialize");
            let back: PageRequest = serde_json::from_str(&json).expect("JSON form reads back");
            assert_eq!(back, r, "{json}");
        }
        Err(e) => {
            assert!(e.is_client_error(), "{e:?} for {input:?}");
            let _ = e.to_string();
            let scim = ScimError::from(e);
            assert_eq!(scim.status(), 400);
            assert!(scim.scim_type().is_some());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (config_part, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (Some(&data[..i]), &data[i + 1..]),
        None => (None, data),
    };
    let mut configs = configs();
    if let Some(Ok(config)) = config_part.map(serde_json::from_slice::<PaginationConfig>) {
        let v = serde_json::to_value(&config).expect("serialize config");
        let back: PaginationConfig = serde_json::from_value(v).expect("config reads back");
        assert_eq!(back, config);
        assert!(config.effective_default_page_size() <= config.effective_max_page_size());
        configs.push(config);
    }

    let text = String::from_utf8_lossy(rest);
    let _ = QueryFingerprint::from_query(&text);
    let body = serde_json::from_slice::<Value>(rest).ok();
    if let Some(body) = &body {
        let _ = QueryFingerprint::from_search_body(body);
    }
    for config in &configs {
        check(PageRequest::from_query(&text, config), config, &text);
        if let Some(body) = &body {
            check(PageRequest::from_search_body(body, config), config, &text);
        }
    }
});
