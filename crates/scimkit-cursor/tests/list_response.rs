//! ListResponse serde: RFC 7644 / RFC 9865 examples and Microsoft Entra's
//! real responses (lowercase `resources`, no `totalResults`).

use scimkit_cursor::{ListResponse, ResourcesSpelling, LIST_RESPONSE_URN};
use serde_json::{json, Value};

type Page = ListResponse<Value>;

#[test]
fn rfc9865_example_page() {
    let page: Page = serde_json::from_str(
        r#"{
   "totalResults": 100,
   "itemsPerPage": 10,
   "previousCursor": "ze7L30kMiiLX6x",
   "nextCursor": "YkU3OF86Pz0rGv",
   "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
   "Resources": [{"id": "a"}]
}"#,
    )
    .unwrap();
    assert_eq!(page.total_results, Some(100));
    assert_eq!(page.items_per_page, Some(10));
    assert_eq!(page.previous_cursor.as_deref(), Some("ze7L30kMiiLX6x"));
    assert_eq!(page.next_cursor.as_deref(), Some("YkU3OF86Pz0rGv"));
    assert_eq!(page.resources, vec![json!({"id": "a"})]);
}

#[test]
fn entra_lowercase_resources_without_total() {
    // Shape of Microsoft Entra's unfiltered GET /users (MS-REF example 1A).
    let page: Page = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "itemsPerPage": 100,
        "nextCursor": "RFNwdAIAAQAAAB06MTAy",
        "resources": [{"id": "0c5c8e2a-0000-0000-0000-000000000001",
                       "meta": {"resourceType": "user", "location": "/users/0c5c8e2a"}}]
    }))
    .unwrap();
    assert_eq!(page.total_results, None);
    assert_eq!(page.resources.len(), 1);
    assert!(!page.is_last_page());
    // Re-serialized: RFC spelling by default, Entra's on request.
    let rfc = serde_json::to_value(&page).unwrap();
    assert!(rfc.get("Resources").is_some() && rfc.get("resources").is_none());
    assert!(rfc.get("totalResults").is_none());
    let entra = serde_json::to_value(page.with_spelling(ResourcesSpelling::Lowercase)).unwrap();
    assert!(entra.get("resources").is_some() && entra.get("Resources").is_none());
    assert_eq!(serde_json::from_value::<Page>(entra).unwrap(), page);
}

#[test]
fn last_page_has_no_next_cursor_member() {
    let page = ListResponse::new(vec![json!(1)]).with_total_results(1);
    let v = serde_json::to_value(&page).unwrap();
    assert_eq!(
        v,
        json!({"schemas": [LIST_RESPONSE_URN], "totalResults": 1, "itemsPerPage": 1, "Resources": [1]})
    );
    assert!(page.is_last_page());
}

#[test]
fn index_paging_fields() {
    let page = ListResponse::new(vec!["x".to_owned()])
        .with_total_results(10)
        .with_start_index(6);
    let v = serde_json::to_value(&page).unwrap();
    assert_eq!(v["startIndex"], 6);
    assert_eq!(
        serde_json::from_value::<ListResponse<String>>(v).unwrap(),
        page
    );
}

#[test]
fn cursor_type_goes_in_directly() {
    let c: scimkit_cursor::Cursor = "abc".parse().unwrap();
    let page = ListResponse::<Value>::new(vec![])
        .with_next_cursor(c.clone())
        .with_previous_cursor(c);
    assert_eq!(page.next_cursor.as_deref(), Some("abc"));
    assert_eq!(page.previous_cursor.as_deref(), Some("abc"));
}

#[test]
fn empty_results() {
    // RFC 7644 §3.4.2: Resources may be left out when there are none.
    let page: Page = serde_json::from_value(json!({
        "schemas": [LIST_RESPONSE_URN], "totalResults": 0}))
    .unwrap();
    assert!(page.resources.is_empty());
    let v = serde_json::to_value(ListResponse::<Value>::default()).unwrap();
    assert_eq!(
        v,
        json!({"schemas": [LIST_RESPONSE_URN], "itemsPerPage": 0, "Resources": []})
    );
}

#[test]
fn strictness() {
    for bad in [
        json!({"Resources": [1], "resources": [2]}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}),
        json!({"schemas": "urn:ietf:params:scim:api:messages:2.0:ListResponse"}),
        json!({"itemsPerPage": "10"}),
        json!({"nextCursor": 5}),
        json!("ListResponse"),
    ] {
        assert!(
            serde_json::from_value::<Page>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}
