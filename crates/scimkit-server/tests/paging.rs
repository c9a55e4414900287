//! Cursor paging through 1,000 users with `count=37` while other users
//! are created and deleted between pages: every user that exists for the
//! whole walk is seen exactly once, in order; and concurrent PATCHes of
//! one resource lose nothing.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use scimkit_entra::ResourceKind;
use scimkit_server::{Rfc, Store, Write};
use serde_json::{json, Value};
use support::{enc, patch_op, Server};

/// Stores a user directly (no password hashing, no HTTP): fast setup.
fn put_user(store: &dyn Store, i: usize) -> String {
    let id = format!("{i:08}-seeded");
    let doc = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": id, "userName": format!("user{:04}-{i}", (i * 7919) % 10_000),
        "meta": {"resourceType": "User", "created": "2026-12-01T00:00:00Z",
                 "lastModified": "2026-12-01T00:00:00Z", "version": "W/\"1\""}
    });
    store.create(ResourceKind::User, Write::doc(doc)).unwrap();
    id
}

fn walk(s: &Server, query: &str, mut between: impl FnMut(usize)) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let r = s.get(&format!("/Users?{query}&count=37&cursor={cursor}"));
        assert_eq!(r.status, 200, "{}", r.text);
        let resources = r.body["Resources"].as_array().unwrap();
        assert!(resources.len() <= 37);
        seen.extend(resources.iter().cloned());
        pages += 1;
        between(pages);
        match r.body["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    seen
}

#[test]
fn cursor_walk_sees_every_survivor_once_under_churn() {
    let s = Server::start(Arc::new(Rfc::new()));
    let store = s.store.clone();
    let stable: Vec<String> = (0..1000).map(|i| put_user(store.as_ref(), i)).collect();
    for (query, sort_key) in [
        ("attributes=userName", "id"),
        ("sortBy=userName&attributes=userName", "userName"),
    ] {
        let mut churn = Vec::new();
        let mut next = 10_000 + churn.len() * 100;
        let seen = walk(&s, query, |page| {
            // Create two users and delete one created earlier, between pages.
            for _ in 0..2 {
                churn.push(put_user(store.as_ref(), next));
                next += 1;
            }
            if page % 2 == 0 {
                let victim = churn.remove(0);
                store
                    .delete(ResourceKind::User, &victim, &mut |_| Ok(()))
                    .unwrap();
            }
        });
        let ids: Vec<&str> = seen.iter().map(|u| u["id"].as_str().unwrap()).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{query}: a user was served twice");
        for id in &stable {
            assert!(unique.contains(id.as_str()), "{query}: {id} was skipped");
        }
        // Served in the list's order.
        let keys: Vec<&str> = seen.iter().map(|u| u[sort_key].as_str().unwrap()).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "{query}: out of order");
        for id in churn {
            store
                .delete(ResourceKind::User, &id, &mut |_| Ok(()))
                .unwrap();
        }
    }
}

#[test]
fn concurrent_patches_lose_no_update() {
    let s = Arc::new(Server::start(Arc::new(Rfc::new())));
    let created = s.post("/Users", &json!({"userName": "shared"}));
    let id = created.body["id"].as_str().unwrap().to_owned();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let s = s.clone();
            let id = id.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    let email = format!("t{t}-{i}@example.com");
                    let r = s.patch(&format!("/Users/{id}"), &patch_op(json!([
                        {"op": "add", "path": "emails", "value": [{"value": email, "type": "other"}]}])));
                    assert_eq!(r.status, 200, "{}", r.text);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let user = s.get(&format!("/Users/{id}"));
    assert_eq!(
        user.body["emails"].as_array().unwrap().len(),
        40,
        "{}",
        user.text
    );
    assert_eq!(user.header("etag"), Some("W/\"41\""));
    let found = s.get(&format!(
        "/Users?filter={}",
        enc("emails.value ew \"-9@example.com\"")
    ));
    assert_eq!(found.body["totalResults"], 1);
}
