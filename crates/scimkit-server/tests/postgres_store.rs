//! What only the PostgreSQL store can get wrong, over HTTP: U+0000 (which
//! PostgreSQL's `text` and `jsonb` cannot hold) never causes a `5xx` or a
//! change; lists whose filter is partly residual (compared in the service,
//! not in SQL) still page, count and index-page exactly as the evaluator
//! says, with and without `sortBy`; a renamed group shows its new name in
//! its members' `groups`.
//!
//! Runs when `SCIMKIT_PG_URL` is set (`.ci/postgres.sh`; CI always sets
//! it); otherwise each test says loudly that it was skipped.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use scimkit_patch::PatchOptions;
use scimkit_server::{Auth, Rfc, Service, Store};
use serde_json::{json, Value};
use support::{codec, enc, patch_op, PgSchema, Server, TOKEN};

fn server() -> Option<(Server, PgSchema)> {
    let schema = PgSchema::new()?;
    let store: Arc<dyn Store> = Arc::new(schema.open());
    let service = Service::new(store.clone(), Arc::new(Rfc::new()), codec())
        .with_auth(Auth::Bearer(vec![TOKEN.into()]))
        .with_patch_options(PatchOptions::strict());
    Some((Server::on(service, store), schema))
}

#[test]
fn nul_is_refused_or_unknown_never_a_server_error() {
    let Some((s, _schema)) = server() else {
        return;
    };
    let created = s.post("/Users", &json!({"userName": "plain", "title": "T"}));
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();

    s.post("/Users", &json!({"userName": "nul\u{0}name"}))
        .assert_error(400, Some("invalidValue"));
    s.get("/Users/a%00b").assert_error(404, None);
    s.delete("/Users/a%00b").assert_error(404, None);
    s.patch(
        &format!("/Users/{id}"),
        &patch_op(json!([{"op": "replace", "path": "title", "value": "x\u{0}y"}])),
    )
    .assert_error(400, Some("invalidValue"));
    s.get(&format!("/Users?filter={}", enc("userName eq \"a\u{0}b\"")))
        .assert_error(400, Some("invalidFilter"));
    s.post(
        "/Groups",
        &json!({"displayName": "g", "members": [{"value": "no\u{0}such"}]}),
    )
    .assert_error(400, Some("invalidValue"));
    // Nothing changed.
    let user = s.get(&format!("/Users/{id}"));
    assert_eq!(user.body["title"], "T", "{}", user.text);
    assert_eq!(user.header("etag"), Some("W/\"1\""));
    assert_eq!(s.get("/Users").body["totalResults"], 1);
    assert_eq!(s.get("/Groups").body["totalResults"], 0);
}

#[test]
fn residual_filters_page_count_and_index_page_exactly() {
    let Some((s, _schema)) = server() else {
        return;
    };
    // `title` is a caseless string on the document: residual on PostgreSQL.
    for i in 0..60 {
        let title = ["Engineer", "ENGINEER", "Manager"][i % 3];
        let r = s.post(
            "/Users",
            &json!({"userName": format!("u{i:03}"), "title": title}),
        );
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let filter = enc("title eq \"engineer\"");
    for sort in ["", "&sortBy=userName&sortOrder=descending"] {
        // Cursor pages: every match once, in order, with the right total.
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let r = s.get(&format!(
                "/Users?filter={filter}{sort}&count=7&cursor={cursor}"
            ));
            assert_eq!(r.status, 200, "{}", r.text);
            assert_eq!(r.body["totalResults"], 40, "{sort}: {}", r.text);
            seen.extend(
                r.body["Resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["userName"].as_str().unwrap().to_owned()),
            );
            match r.body["nextCursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (40, 40), "{sort}: {seen:?}");
        assert!(seen.iter().all(|n| {
            let i: usize = n[1..].parse().unwrap();
            i % 3 != 2
        }));
        // Index paging: startIndex 11, count 5 is the 11th..15th match.
        let all = s.get(&format!("/Users?filter={filter}{sort}&count=100"));
        let names: Vec<Value> = all.body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userName"].clone())
            .collect();
        assert_eq!(names.len(), 40);
        let page = s.get(&format!(
            "/Users?filter={filter}{sort}&startIndex=11&count=5"
        ));
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(page.body["totalResults"], 40);
        let got: Vec<Value> = page.body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userName"].clone())
            .collect();
        assert_eq!(got, names[10..15], "{sort}");
    }
    // Exact filter, index paging in SQL.
    let exact = s.get(&format!(
        "/Users?filter={}&startIndex=3&count=2",
        enc("userName sw \"u01\"")
    ));
    assert_eq!(exact.body["totalResults"], 10, "{}", exact.text);
    let got: Vec<&str> = exact.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(got.len(), 2, "{}", exact.text);
}

#[test]
fn a_renamed_group_shows_its_new_name_in_members_groups() {
    let Some((s, _schema)) = server() else {
        return;
    };
    let user = s.post("/Users", &json!({"userName": "member"}));
    let uid = user.body["id"].as_str().unwrap().to_owned();
    let group = s.post(
        "/Groups",
        &json!({"displayName": "Old", "members": [{"value": uid, "display": "as sent"}]}),
    );
    assert_eq!(group.status, 201, "{}", group.text);
    let gid = group.body["id"].as_str().unwrap().to_owned();
    let renamed = s.patch(
        &format!("/Groups/{gid}"),
        &patch_op(json!([{"op": "replace", "path": "displayName", "value": "New"}])),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["members"][0]["display"], "as sent");
    let user = s.get(&format!("/Users/{uid}"));
    assert_eq!(user.body["groups"][0]["display"], "New", "{}", user.text);
    // Deleting the user removes the membership.
    assert_eq!(s.delete(&format!("/Users/{uid}")).status, 204);
    let group = s.get(&format!("/Groups/{gid}"));
    assert!(group.body.get("members").is_none(), "{}", group.text);
}
