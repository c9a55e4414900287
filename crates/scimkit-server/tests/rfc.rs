//! The RFC dialect over HTTP: user and group lifecycles, discovery, and
//! every error path with its status and scimType.

mod support;

use std::sync::Arc;

use scimkit_server::{Limits, Rfc};
use serde_json::json;
use support::{enc, patch_op, Server};

fn server() -> Server {
    Server::start(Arc::new(Rfc::new()))
}

fn bjensen() -> serde_json::Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bjensen",
        "externalId": "bj-1",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "displayName": "Babs Jensen",
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
        "password": "t1meMa$heen",
        "active": true
    })
}

#[test]
fn user_lifecycle() {
    let s = server();
    let created = s.post("/Users", &bjensen());
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let location = created.header("location").unwrap().to_owned();
    assert_eq!(location, format!("{}/Users/{id}", s.base));
    assert_eq!(created.body["meta"]["location"], location);
    assert_eq!(created.body["meta"]["resourceType"], "User");
    assert_eq!(
        created.body.get("password"),
        None,
        "passwords are never returned"
    );
    assert_eq!(created.header("etag"), Some("W/\"1\""));
    assert_eq!(
        created.header("content-type"),
        Some("application/scim+json")
    );

    let got = s.get(&format!("/Users/{id}"));
    assert_eq!(got.status, 200);
    assert_eq!(got.body["userName"], "bjensen");

    // Projection on a single resource.
    let projected = s.get(&format!("/Users/{id}?attributes=userName"));
    assert_eq!(projected.body.get("emails"), None);
    assert_eq!(projected.body["id"], id.as_str());

    let patched = s.patch(
        &format!("/Users/{id}"),
        &patch_op(json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "babs@example.com"},
                         {"op": "replace", "path": "active", "value": false}])),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["emails"][0]["value"], "babs@example.com");
    assert_eq!(patched.body["active"], false);
    assert_eq!(patched.header("etag"), Some("W/\"2\""));

    let mut replacement = bjensen();
    replacement["displayName"] = json!("Barbara J.");
    let put = s.send(
        "PUT",
        &format!("/Users/{id}"),
        Some(&replacement.to_string()),
        &[("if-match", "W/\"2\"")],
    );
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["displayName"], "Barbara J.");
    assert_eq!(put.body["meta"]["created"], created.body["meta"]["created"]);

    // A stale ETag: 412, and nothing changes.
    let stale = s.send(
        "PATCH",
        &format!("/Users/{id}"),
        Some(
            &patch_op(json!([{"op": "replace", "path": "displayName", "value": "x"}])).to_string(),
        ),
        &[("if-match", "W/\"1\"")],
    );
    stale.assert_error(412, None);
    assert_eq!(
        s.get(&format!("/Users/{id}")).body["displayName"],
        "Barbara J."
    );

    assert_eq!(s.delete(&format!("/Users/{id}")).status, 204);
    s.get(&format!("/Users/{id}")).assert_error(404, None);
    s.delete(&format!("/Users/{id}")).assert_error(404, None);
}

#[test]
fn group_lifecycle_with_members() {
    let s = server();
    let u1 = s
        .post(
            "/Users",
            &json!({"userName": "u1", "displayName": "User One"}),
        )
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let u2 = s.post("/Users", &json!({"userName": "u2"})).body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let group = s.post(
        "/Groups",
        &json!({"displayName": "Tour Guides", "members": [{"value": u1, "display": "User One"}]}),
    );
    assert_eq!(group.status, 201, "{}", group.text);
    let gid = group.body["id"].as_str().unwrap().to_owned();
    assert_eq!(group.body["members"][0]["value"], u1.as_str());
    assert_eq!(group.body["members"][0]["type"], "User");
    assert_eq!(
        group.body["members"][0]["$ref"],
        format!("{}/Users/{u1}", s.base)
    );

    // User.groups is derived from memberships.
    let user = s.get(&format!("/Users/{u1}"));
    assert_eq!(user.body["groups"][0]["value"], gid.as_str());
    assert_eq!(user.body["groups"][0]["display"], "Tour Guides");
    assert_eq!(user.body["groups"][0]["type"], "direct");

    // Add a member; an unknown member fails the whole request.
    let add = s.patch(
        &format!("/Groups/{gid}"),
        &patch_op(json!([{"op": "add", "path": "members", "value": [{"value": u2}]}])),
    );
    assert_eq!(add.status, 200, "{}", add.text);
    assert_eq!(add.body["members"].as_array().unwrap().len(), 2);
    let unknown = s.patch(
        &format!("/Groups/{gid}"),
        &patch_op(json!([
        {"op": "replace", "path": "displayName", "value": "Renamed"},
        {"op": "add", "path": "members", "value": [{"value": "no-such-id"}]}])),
    );
    unknown.assert_error(400, Some("invalidValue"));
    assert!(unknown.body["detail"]
        .as_str()
        .unwrap()
        .contains("no-such-id"));
    assert_eq!(
        s.get(&format!("/Groups/{gid}")).body["displayName"],
        "Tour Guides",
        "atomic"
    );

    // Remove by value filter.
    let removed = s.patch(
        &format!("/Groups/{gid}"),
        &patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{u1}\"]")}])),
    );
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(removed.body["members"][0]["value"], u2.as_str());
    assert_eq!(removed.body["members"].as_array().unwrap().len(), 1);

    // Deleting a user removes it from every group.
    assert_eq!(s.delete(&format!("/Users/{u2}")).status, 204);
    let after = s.get(&format!("/Groups/{gid}"));
    assert_eq!(after.body.get("members"), None, "{}", after.text);

    // readOnly groups on a user are ignored, never stored.
    let u3 = s.post(
        "/Users",
        &json!({"userName": "u3", "groups": [{"value": gid}]}),
    );
    assert_eq!(u3.status, 201);
    assert_eq!(u3.body.get("groups"), None);
}

/// Lists show memberships exactly as the projection says (the store
/// skips reading them when the projection drops them).
#[test]
fn list_memberships_follow_the_projection() {
    let s = server();
    let uid = s.post("/Users", &json!({"userName": "m1"})).body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let group = s.post(
        "/Groups",
        &json!({"displayName": "Crew", "members": [{"value": uid}]}),
    );
    assert_eq!(group.status, 201, "{}", group.text);
    let gid = group.body["id"].as_str().unwrap().to_owned();
    let users = |query: &str| {
        s.get(&format!(
            "/Users?filter={}&{query}",
            enc("userName eq \"m1\"")
        ))
    };
    let groups = |query: &str| {
        s.get(&format!(
            "/Groups?filter={}&{query}",
            enc("displayName eq \"Crew\"")
        ))
    };
    for (query, shown) in [
        ("", true),
        ("attributes=userName", false),
        ("attributes=groups", true),
        ("attributes=groups.display", true),
        ("excludedAttributes=groups", false),
        ("excludedAttributes=displayName", true),
    ] {
        let page = users(query);
        assert_eq!(page.status, 200, "{query}: {}", page.text);
        let user = &page.body["Resources"][0];
        assert_eq!(user["groups"].is_array(), shown, "{query}: {}", page.text);
        if shown && query != "attributes=groups.display" {
            assert_eq!(user["groups"][0]["value"], gid.as_str(), "{query}");
        }
    }
    assert_eq!(
        users("attributes=groups.display").body["Resources"][0]["groups"][0]["display"],
        "Crew"
    );
    for (query, shown) in [
        ("", true),
        ("attributes=displayName", false),
        ("attributes=members.value", true),
        ("excludedAttributes=members", false),
    ] {
        let page = groups(query);
        assert_eq!(page.status, 200, "{query}: {}", page.text);
        let g = &page.body["Resources"][0];
        assert_eq!(g["members"].is_array(), shown, "{query}: {}", page.text);
        if shown {
            assert_eq!(g["members"][0]["value"], uid.as_str(), "{query}");
        }
    }
}

#[test]
fn list_filter_sort_and_index_paging() {
    let s = server();
    for name in ["carol", "alice", "Bob", "dave"] {
        assert_eq!(
            s.post(
                "/Users",
                &json!({"userName": name, "title": if name == "dave" { "boss" } else { "staff" }})
            )
            .status,
            201
        );
    }
    let page = s.get(&format!(
        "/Users?filter={}&sortBy=userName&startIndex=2&count=2",
        enc("title eq \"STAFF\"")
    ));
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(page.body["totalResults"], 3);
    assert_eq!(page.body["startIndex"], 2);
    let names: Vec<_> = page.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bob", "carol"]);

    let search = s.post("/Users/.search", &json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName sw \"a\"", "attributes": ["userName"], "sortBy": "userName", "sortOrder": "descending"}));
    assert_eq!(search.status, 200, "{}", search.text);
    let names: Vec<_> = search.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice"]);

    let root = s.post(
        "/.search",
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "count": 10}),
    );
    assert_eq!(root.status, 200, "{}", root.text);
    assert_eq!(root.body["totalResults"], 4);
}

#[test]
fn cursor_pages_forward_and_back() {
    let s = server();
    for i in 0..7 {
        s.post("/Users", &json!({"userName": format!("user{i}")}));
    }
    let first = s.get("/Users?cursor&count=3&sortBy=userName");
    assert_eq!(first.status, 200, "{}", first.text);
    let next = first.body["nextCursor"].as_str().unwrap();
    let second = s.get(&format!("/Users?cursor={next}&count=3&sortBy=userName"));
    let names: Vec<_> = second.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["user3", "user4", "user5"]);
    let previous = second.body["previousCursor"].as_str().unwrap();
    let back = s.get(&format!("/Users?cursor={previous}&count=3&sortBy=userName"));
    let names: Vec<_> = back.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["user0", "user1", "user2"]);

    // A cursor is bound to its query, and a forged one is refused.
    s.get(&format!("/Users?cursor={next}&count=3&sortBy=displayName"))
        .assert_error(400, Some("invalidCursor"));
    s.get("/Users?cursor=AAAAforged&count=3")
        .assert_error(400, Some("invalidCursor"));
}

#[test]
fn error_paths() {
    let s = server();
    let id = s.post("/Users", &bjensen()).body["id"]
        .as_str()
        .unwrap()
        .to_owned();

    s.get(&format!("/Users?filter={}", enc("userName eq")))
        .assert_error(400, Some("invalidFilter"));
    s.post("/Users", &json!({"userName": "BJENSEN"}))
        .assert_error(409, Some("uniqueness"));
    s.post("/Users", &json!({"displayName": "no userName"}))
        .assert_error(400, Some("invalidValue"));
    s.patch(
        &format!("/Users/{id}"),
        &patch_op(json!([{"op": "replace", "path": "id", "value": "x"}])),
    )
    .assert_error(400, Some("mutability"));
    s.patch(
        &format!("/Users/{id}"),
        &patch_op(json!([{"op": "remove", "path": "emails[type eq \"home\"]"}])),
    )
    .assert_error(400, Some("noTarget"));
    s.patch(
        &format!("/Users/{id}"),
        &patch_op(json!([{"op": "add", "path": "nosuchattr", "value": 1}])),
    )
    .assert_error(400, Some("invalidPath"));
    s.send("POST", "/Users", Some("{\"userName\": "), &[])
        .assert_error(400, Some("invalidSyntax"));
    s.send(
        "POST",
        "/Users",
        Some("{}"),
        &[("content-type", "text/plain")],
    )
    .assert_error(415, None);
    s.without_token().get("/Users").assert_error(401, None);
    assert!(s
        .without_token()
        .get("/Users")
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer"));
    s.send("GET", "/Users", None, &[("authorization", "Bearer wrong")])
        .assert_error(401, None);
    s.get("/Devices").assert_error(404, None);
    s.get("//nothing/here").assert_error(404, None);
    let not_allowed = s.send("DELETE", "/Users", None, &[]);
    not_allowed.assert_error(405, None);
    assert_eq!(not_allowed.header("allow"), Some("GET, POST"));
    s.send("PUT", "/ServiceProviderConfig", Some("{}"), &[])
        .assert_error(405, None);
    s.get("/Schemas/urn:nope").assert_error(404, None);

    // Body too large: 413, nothing stored.
    let small = Server::start_with(
        Arc::new(Rfc::new()),
        |svc| svc.with_limits(Limits::default().with_max_body_bytes(200)),
        ":memory:",
    );
    let big = json!({"userName": "big", "displayName": "x".repeat(500)});
    small.post("/Users", &big).assert_error(413, None);
    assert_eq!(small.get("/Users").body["totalResults"], 0);
}

#[test]
fn discovery() {
    let s = server();
    let spc = s.get("/ServiceProviderConfig");
    assert_eq!(spc.status, 200);
    assert_eq!(spc.body["patch"]["supported"], true);
    assert_eq!(spc.body["etag"]["supported"], true);
    assert_eq!(spc.body["pagination"]["cursor"], true);
    let schemas = s.get("/Schemas");
    assert_eq!(schemas.body["totalResults"], 3);
    let user = s.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    assert_eq!(user.body["name"], "User");
    assert_eq!(
        user.body["meta"]["location"],
        format!(
            "{}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
            s.base
        )
    );
    let types = s.get("/resourcetypes");
    assert_eq!(types.body["Resources"].as_array().unwrap().len(), 2);
    assert_eq!(s.get("/ResourceTypes/Group").body["endpoint"], "/Groups");
}
