//! Scale-out on PostgreSQL: two service instances (two servers on two
//! ports, each with its own `PostgresStore` and connection pool, as two
//! processes behind a load balancer would have) over one database.
//!
//! - A cursor issued by one instance is continued on the other (same
//!   cursor key): pages alternate between them and see every user once.
//! - Concurrent PATCHes of one user through both lose nothing (row locks
//!   in the database, not a lock in either process).
//! - `userName` uniqueness holds across instances.
//! - Two groups adding each other as members through both instances at
//!   once (a lock-order deadlock in the database) all succeed (retried).
//!
//! Runs when `SCIMKIT_PG_URL` is set (`.ci/postgres.sh`; CI always sets
//! it); otherwise each test says loudly that it was skipped.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
use scimkit_entra::ResourceKind;
use scimkit_patch::PatchOptions;
use scimkit_server::{Auth, Rfc, Service, Store, Write};
use serde_json::{json, Value};
use support::{codec, enc, patch_op, PgSchema, Server, TOKEN};

/// Two servers over one fresh schema; `None` when PostgreSQL is not
/// configured (after the loud notice).
fn two_instances() -> Option<(Arc<Server>, Arc<Server>, PgSchema)> {
    let schema = PgSchema::new()?;
    let instance = |codec: CursorCodec| {
        let store: Arc<dyn Store> = Arc::new(schema.open());
        let service = Service::new(store.clone(), Arc::new(Rfc::new()), codec)
            .with_auth(Auth::Bearer(vec![TOKEN.into()]))
            .with_patch_options(PatchOptions::strict());
        Arc::new(Server::on(service, store))
    };
    let a = instance(codec());
    let b = instance(codec());
    Some((a, b, schema))
}

fn put_user(store: &dyn Store, i: usize) {
    let doc = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("{i:06}-u"), "userName": format!("user{:04}", (i * 7919) % 10_000),
        "title": if i.is_multiple_of(3) { "Engineer" } else { "Manager" },
        "meta": {"resourceType": "User", "created": "2026-12-01T00:00:00Z",
                 "lastModified": "2026-12-01T00:00:00Z", "version": "W/\"1\""}
    });
    store.create(ResourceKind::User, Write::doc(doc)).unwrap();
}

#[test]
fn a_cursor_from_one_instance_continues_on_the_other() {
    let Some((a, b, _schema)) = two_instances() else {
        return;
    };
    for i in 0..120 {
        put_user(a.store.as_ref(), i);
    }
    // Exact SQL paging; in-memory sort; a residual filter (title is
    // compared caseless: not exact on PostgreSQL).
    for (query, expected) in [
        ("attributes=userName", 120),
        ("sortBy=userName&attributes=userName", 120),
        (
            &*format!(
                "filter={}&sortBy=userName&sortOrder=descending",
                enc("title eq \"engineer\"")
            ),
            40,
        ),
    ] {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        for page in 0.. {
            let server = if page % 2 == 0 { &a } else { &b };
            let r = server.get(&format!("/Users?{query}&count=7&cursor={cursor}"));
            assert_eq!(r.status, 200, "{query} page {page}: {}", r.text);
            assert_eq!(r.body["totalResults"], expected, "{query}: {}", r.text);
            seen.extend(r.body["Resources"].as_array().unwrap().iter().cloned());
            match r.body["nextCursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        let ids: BTreeSet<&str> = seen.iter().map(|u| u["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), seen.len(), "{query}: a user was served twice");
        assert_eq!(ids.len(), expected, "{query}: a user was skipped");
    }
    // A third instance with another key cannot read their cursors.
    let first = a.get("/Users?count=5&cursor=");
    let next = first.body["nextCursor"].as_str().unwrap().to_owned();
    let store: Arc<dyn Store> = Arc::new(_schema.open());
    let other_key = CursorCodec::new(KeyRing::single(
        CursorKey::new(b"another 32-byte secret, not ours").unwrap(),
    ));
    let c = Server::on(
        Service::new(store.clone(), Arc::new(Rfc::new()), other_key)
            .with_auth(Auth::Bearer(vec![TOKEN.into()])),
        store,
    );
    c.get(&format!("/Users?count=5&cursor={next}"))
        .assert_error(400, Some("invalidCursor"));
}

#[test]
fn concurrent_patches_through_both_instances_lose_no_update() {
    let Some((a, b, _schema)) = two_instances() else {
        return;
    };
    let created = a.post("/Users", &json!({"userName": "shared"}));
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let server = if t % 2 == 0 { a.clone() } else { b.clone() };
            let id = id.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    let email = format!("t{t}-{i}@example.com");
                    let r = server.patch(&format!("/Users/{id}"), &patch_op(json!([
                        {"op": "add", "path": "emails", "value": [{"value": email, "type": "other"}]}])));
                    assert_eq!(r.status, 200, "{}", r.text);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    for server in [&a, &b] {
        let user = server.get(&format!("/Users/{id}"));
        assert_eq!(
            user.body["emails"].as_array().unwrap().len(),
            40,
            "{}",
            user.text
        );
        assert_eq!(user.header("etag"), Some("W/\"41\""));
    }
}

#[test]
fn user_name_is_unique_across_instances() {
    let Some((a, b, _schema)) = two_instances() else {
        return;
    };
    assert_eq!(
        a.post("/Users", &json!({"userName": "bjensen"})).status,
        201
    );
    b.post("/Users", &json!({"userName": "BJensen"}))
        .assert_error(409, Some("uniqueness"));
    // Racing creates of one name: exactly one wins.
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let server = if t % 2 == 0 { a.clone() } else { b.clone() };
            std::thread::spawn(move || server.post("/Users", &json!({"userName": "race"})).status)
        })
        .collect();
    let mut statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409]);
}

#[test]
fn groups_adding_each_other_through_both_instances_all_succeed() {
    let Some((a, b, _schema)) = two_instances() else {
        return;
    };
    let create = |name: &str| -> String {
        let r = a.post("/Groups", &json!({"displayName": name}));
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_str().unwrap().to_owned()
    };
    let (g1, g2) = (create("one"), create("two"));
    let threads: Vec<_> = [
        (a.clone(), g1.clone(), g2.clone()),
        (b.clone(), g2.clone(), g1.clone()),
    ]
    .into_iter()
    .map(|(server, group, member)| {
        std::thread::spawn(move || {
            for _ in 0..15 {
                for op in [
                    json!({"op": "add", "path": "members", "value": [{"value": member}]}),
                    json!({"op": "remove", "path": format!("members[value eq \"{member}\"]")}),
                ] {
                    let r = server.patch(&format!("/Groups/{group}"), &patch_op(json!([op])));
                    assert!(r.status == 200 || r.status == 204, "{}", r.text);
                }
            }
            let r = server.patch(
                &format!("/Groups/{group}"),
                &patch_op(json!([{"op": "add", "path": "members", "value": [{"value": member}]}])),
            );
            assert!(r.status == 200 || r.status == 204, "{}", r.text);
        })
    })
    .collect();
    for t in threads {
        t.join().unwrap();
    }
    for (group, member) in [(&g1, &g2), (&g2, &g1)] {
        let r = b.get(&format!("/Groups/{group}"));
        let members: Vec<&Value> = r.body["members"].as_array().unwrap().iter().collect();
        assert_eq!(members.len(), 1, "{}", r.text);
        assert_eq!(members[0]["value"], json!(member));
    }
}
