//! A SCIM server's two busiest handlers on the `scimkit` facade, over an
//! in-memory store: `GET /Users` (filter, sort, keyset cursor paging,
//! projection) and `PATCH /Users/{id}` (atomic, with a change list).
//! Framework glue (routing, status codes) is left out: each handler takes
//! the query string or body and returns the SCIM JSON or a `ScimError`.
//!
//! Run: `cargo run -p scimkit --example server_handlers`

use scimkit::cursor::{CursorCodec, CursorKey, KeyRing, ListResponse};
use scimkit::patch::{PatchOptions, PatchRequest};
use scimkit::query::{ListQuery, ListQueryOptions};
use scimkit::schema::{ResourceSchema, ScimError};
use serde_json::{json, Value};

/// `GET /Users?{query}`.
fn list_users(query: &str, store: &[Value], codec: &CursorCodec) -> Result<Value, ScimError> {
    let options = ListQueryOptions::default();
    let q = ListQuery::from_query(query, &options)?.compile(ResourceSchema::user())?;
    let start = q.start(codec)?; // verifies the cursor and prepares its position
    let mut hits: Vec<&Value> = store.iter().filter(|u| q.matches(u)).collect();
    q.order().sort(&mut hits); // sortBy, then id: a total order
    let page = q.page(&hits, &start); // binary search after the cursor
    let resources = page.items.iter().map(|u| q.project(u)).collect();
    let mut response = ListResponse::new(resources).with_total_results(hits.len() as u64);
    if let (true, Some(last)) = (page.has_next, page.items.last()) {
        response = response.with_next_cursor(q.next_cursor(codec, last)?);
    }
    serde_json::to_value(response).map_err(|e| ScimError::with_status(500, e.to_string()))
}

/// `PATCH /Users/{id}` with `body`: all operations or none.
fn patch_user(user: &mut Value, body: &str) -> Result<Value, ScimError> {
    let request = PatchRequest::parse(body, &PatchOptions::entra())?;
    let outcome = request.apply(user, ResourceSchema::user())?;
    eprintln!("{} change(s) to store or forward", outcome.changes().len());
    Ok(user.clone())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let codec = CursorCodec::new(KeyRing::single(CursorKey::new(
        b"a 32-byte secret from your vault",
    )?));
    let mut store: Vec<Value> = ["bjensen", "jsmith", "Alice", "bob", "carol"]
        .iter()
        .enumerate()
        .map(|(i, name)| json!({"id": format!("id-{i}"), "userName": name, "active": true,
                                "emails": [{"value": format!("{name}@example.com"), "type": "work"}]}))
        .collect();

    let mut cursor = String::new();
    let mut seen = Vec::new();
    loop {
        let query = format!("sortBy=userName&count=2&attributes=userName&cursor={cursor}");
        let page = list_users(&query, &store, &codec)?;
        println!("{page}");
        for u in page["Resources"].as_array().into_iter().flatten() {
            seen.push(u["userName"].as_str().unwrap_or_default().to_owned());
        }
        match page["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ["Alice", "bjensen", "bob", "carol", "jsmith"]);

    let body = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"},
                       {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "bj@example.com"}]}"#;
    let patched = patch_user(&mut store[0], body)?;
    assert_eq!(patched["active"], false);
    assert_eq!(patched["emails"][0]["value"], "bj@example.com");
    println!("{patched}");

    // A bad filter is the RFC error, naming the parameter.
    let err = list_users("filter=userName%20eq", &store, &codec).unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
    println!("{}", serde_json::to_string(&err)?);
    Ok(())
}
