//! Fuzz scimkit-query's `ListQuery::from_query` (arbitrary query strings)
//! and `from_search_body` (when the input is JSON), under the RFC and the
//! Entra options, then compile against the User schema: never a panic.
//!
//! Checks: every refusal is a 400 with a scimType; an accepted query
//! serves at most maxPageSize, its fingerprint is stable, and compiling it
//! either succeeds or gives a 400.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_query::{ListQuery, ListQueryOptions};
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::Value;

fn check(result: Result<ListQuery, ScimError>, options: &ListQueryOptions) {
    match result {
        Err(e) => {
            assert_eq!(e.status(), 400, "{e:?}");
            assert!(e.scim_type().is_some(), "{e:?}");
        }
        Ok(q) => {
            assert!(q.page().count() <= options.pagination.effective_max_page_size());
            assert_eq!(q.fingerprint("User"), q.fingerprint("User"));
            if let Err(e) = q.compile(ResourceSchema::user()) {
                assert_eq!(e.status(), 400, "{e:?}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for options in [ListQueryOptions::default(), ListQueryOptions::entra()] {
        check(ListQuery::from_query(text, &options), &options);
        if let Ok(body) = serde_json::from_str::<Value>(text) {
            check(ListQuery::from_search_body(&body, &options), &options);
        }
    }
});
