//! The Entra dialect over HTTP: each emulated behaviour of the fact sheet
//! (shared/entra/api.md), with its section.

mod support;

use std::sync::Arc;

use scimkit_server::Entra;
use serde_json::{json, Value};
use support::{enc, patch_op, Server};

const ENTRA_USER: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const ENTRA_GROUP: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group";

fn server() -> Server {
    Server::start(Arc::new(Entra::new()))
}

fn user(name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": format!("{name}@contoso.example"),
        "password": "P@ssw0rd-long-enough",
        "name": {"givenName": "Given", "familyName": name},
        "active": true,
        "displayName": format!("{name} display"),
    })
}

fn group(name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", ENTRA_GROUP],
        "displayName": name,
        ENTRA_GROUP: {"mailEnabled": false, "mailNickname": name, "securityEnabled": true}
    })
}

fn create(s: &Server, path: &str, body: &Value) -> String {
    let r = s.post(path, body);
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_str().unwrap().to_owned()
}

#[test]
fn a10_post_users_requires_fields_and_derives_mail_nickname() {
    let s = server();
    for missing in ["password", "displayName", "active", "userName"] {
        let mut body = user("kim");
        body.as_object_mut().unwrap().remove(missing);
        let r = s.post("/users", &body);
        r.assert_error(400, Some("invalidValue"));
        assert!(
            r.body["detail"].as_str().unwrap().contains(missing),
            "{}",
            r.text
        );
    }
    let mut no_given = user("kim");
    no_given["name"] = json!({"familyName": "kim"});
    s.post("/users", &no_given)
        .assert_error(400, Some("invalidValue"));

    let created = s.post("/users", &user("kim"));
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body[ENTRA_USER]["mailNickname"], "kim");
    // A5: lowercase resourceType, relative lowercase location, no created /
    // lastModified / version on users.
    let id = created.body["id"].as_str().unwrap();
    assert_eq!(
        created.body["meta"],
        json!({"resourceType": "user", "location": format!("/users/{id}")})
    );
    assert_eq!(created.body.get("password"), None);

    // A10: mailNickname cannot be removed; the password cannot be changed.
    s.patch(
        &format!("/users/{id}"),
        &patch_op(json!([{"op": "remove", "path": format!("{ENTRA_USER}:mailNickname")}])),
    )
    .assert_error(400, Some("mutability"));
    s.patch(
        &format!("/users/{id}"),
        &patch_op(json!([{"op": "replace", "path": "password", "value": "NewP@ss-1234"}])),
    )
    .assert_error(400, Some("mutability"));
}

#[test]
fn a2_patch_204_no_put_no_search_and_accept_json() {
    let s = server();
    let id = create(&s, "/users", &user("lee"));
    let r = s.patch(
        &format!("/users/{id}"),
        &patch_op(json!([{"op": "replace", "path": "displayName", "value": "Lee"}])),
    );
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty());
    assert_eq!(s.get(&format!("/users/{id}")).body["displayName"], "Lee");

    let put = s.put(&format!("/users/{id}"), &user("lee"));
    put.assert_error(405, None);
    assert_eq!(put.header("allow"), Some("GET, PATCH, DELETE"));
    s.post("/users/.search", &json!({})).assert_error(404, None);

    // A2/A6: without Accept: application/json, 400 (A12 #3: scim+json too).
    let r = s.send(
        "DELETE",
        &format!("/users/{id}"),
        None,
        &[("accept", "application/scim+json")],
    );
    r.assert_error(400, Some("invalidSyntax"));
    assert_eq!(
        s.get(&format!("/users/{id}")).status,
        200,
        "nothing deleted"
    );
    assert_eq!(s.delete(&format!("/users/{id}")).status, 204);
    // A12 #8: unknown id is 404.
    s.get(&format!("/users/{id}")).assert_error(404, None);
}

#[test]
fn a3_service_provider_config_and_a4_schemas() {
    let s = server();
    let spc = s.get("/serviceproviderconfig");
    assert_eq!(
        spc.body["pagination"],
        json!({"cursor": true, "index": false, "defaultPaginationMethod": "cursor", "defaultPageSize": 100, "maxPageSize": 1000})
    );
    assert_eq!(spc.body["filter"]["maxResults"], 200);
    assert_eq!(spc.body["bulk"]["supported"], false);
    assert_eq!(spc.body["sort"]["supported"], false);
    let schemas = s.get("/schemas");
    assert_eq!(schemas.body["totalResults"], 5);
    assert!(
        schemas.body.get("resources").is_some(),
        "lowercase resources (A5)"
    );
    assert_eq!(
        s.get(&format!("/schemas/{ENTRA_USER}")).body["id"],
        ENTRA_USER
    );
    // The Entra path works too.
    let rp = s.get("//rp/scim/resourcetypes");
    assert_eq!(
        rp.body["resources"].as_array().unwrap().len(),
        2,
        "{}",
        rp.text
    );
}

#[test]
fn a8_a9_lists_cursor_only_and_the_filter_subset() {
    let s = server();
    for i in 0..5 {
        create(&s, "/users", &user(&format!("u{i}")));
    }
    // Unfiltered: no totalResults (MS-REF 1A); lowercase resources.
    let first = s.get("/users?count=2");
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body.get("totalResults"), None);
    assert_eq!(first.body["resources"].as_array().unwrap().len(), 2);
    assert_eq!(first.body.get("previousCursor"), None);
    let next = first.body["nextCursor"].as_str().unwrap();
    let second = s.get(&format!("/users?count=2&cursor={next}"));
    assert_eq!(second.body["resources"].as_array().unwrap().len(), 2);
    assert_eq!(
        second.body.get("previousCursor"),
        None,
        "A8: previousCursor is never mentioned"
    );

    // Filtered: totalResults present.
    let f = s.get(&format!(
        "/users?filter={}",
        enc("userName eq \"U3@contoso.example\"")
    ));
    assert_eq!(f.body["totalResults"], 1, "{}", f.text);

    // A9: refused operators and forms; whitespace around =; count=0; sortBy; startIndex.
    s.get(&format!("/users?filter={}", enc("userName co \"u\"")))
        .assert_error(400, Some("invalidFilter"));
    s.get(&format!(
        "/users?filter={}",
        enc("userName eq \"a\" or userName eq \"b\"")
    ))
    .assert_error(400, Some("invalidFilter"));
    s.get(&format!(
        "/users?filter={}",
        enc("externalId eq \"x\" and userName eq \"y\"")
    ))
    .assert_error(400, Some("invalidFilter"));
    s.get("/users?count%20=2")
        .assert_error(400, Some("invalidSyntax"));
    s.get("/users?count=%202")
        .assert_error(400, Some("invalidSyntax"));
    s.get("/users?count=0")
        .assert_error(400, Some("invalidSyntax"));
    assert_eq!(s.get("/users?sortBy=userName").status, 400);
}

#[test]
fn a8_user_pages_999_without_manager_and_100_with() {
    let s = server();
    for i in 0..3 {
        create(&s, "/users", &user(&format!("p{i}")));
    }
    // Observable: the cursor's count binding and itemsPerPage; with few
    // users we check the request is accepted both ways.
    let r = s.get("/users?count=999&attributes=userName");
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["itemsPerPage"], 3);
    let r = s.get("/users?count=5000");
    assert_eq!(r.status, 200, "{}", r.text);
}

#[test]
fn a5_groups_created_plus_00_and_members_never_returned() {
    let s = server();
    let u = create(&s, "/users", &user("m1"));
    let g = s.post("/groups", &group("Sales"));
    assert_eq!(g.status, 201, "{}", g.text);
    let gid = g.body["id"].as_str().unwrap().to_owned();
    let created = g.body["meta"]["created"].as_str().unwrap();
    assert!(created.ends_with("+00:00"), "{created}");
    assert_eq!(g.body["meta"]["resourceType"], "group");
    assert_eq!(g.body["meta"]["location"], format!("/groups/{gid}"));
    assert_eq!(g.body["meta"].get("lastModified"), None);

    let add = s.patch(
        &format!("/groups/{gid}"),
        &patch_op(json!([{"op": "add", "path": "members", "value": [{"value": u}]}])),
    );
    assert_eq!(add.status, 204, "{}", add.text);
    assert_eq!(
        s.get(&format!("/groups/{gid}")).body.get("members"),
        None,
        "members never returned"
    );
    // Membership is read by filter (A5).
    let by_member = s.get(&format!(
        "/groups?filter={}",
        enc(&format!("members.value eq \"{u}\""))
    ));
    assert_eq!(by_member.status, 200, "{}", by_member.text);
    assert_eq!(by_member.body["totalResults"], 1, "{}", by_member.text);
    let by_group = s.get(&format!(
        "/users?filter={}",
        enc(&format!("groups.value eq \"{gid}\""))
    ));
    assert_eq!(by_group.body["totalResults"], 1, "{}", by_group.text);
}

#[test]
fn a10_group_membership_patch_limits() {
    let s = server();
    let users: Vec<String> = (0..22)
        .map(|i| create(&s, "/users", &user(&format!("g{i}"))))
        .collect();
    let gid = create(&s, "/groups", &group("Team"));
    let path = format!("/groups/{gid}");
    let members = |ids: &[String]| Value::Array(ids.iter().map(|i| json!({"value": i})).collect());

    // At most 20 members per add.
    s.patch(
        &path,
        &patch_op(json!([{"op": "add", "path": "members", "value": members(&users[..21])}])),
    )
    .assert_error(400, Some("invalidValue"));
    assert_eq!(
        s.patch(
            &path,
            &patch_op(json!([{"op": "add", "path": "members", "value": members(&users[..20])}]))
        )
        .status,
        204
    );
    // Idempotent adds.
    assert_eq!(
        s.patch(
            &path,
            &patch_op(json!([{"op": "add", "path": "members", "value": members(&users[..2])}]))
        )
        .status,
        204
    );
    // No other change in the same PATCH.
    s.patch(
        &path,
        &patch_op(json!([
        {"op": "replace", "path": "displayName", "value": "Renamed"},
        {"op": "add", "path": "members", "value": members(&users[20..21])}])),
    )
    .assert_error(400, Some("invalidValue"));
    // One removal per call.
    let remove = |id: &str| json!({"op": "remove", "path": format!("members[value eq \"{id}\"]")});
    s.patch(
        &path,
        &patch_op(json!([remove(&users[0]), remove(&users[1])])),
    )
    .assert_error(400, Some("invalidValue"));
    assert_eq!(
        s.patch(&path, &patch_op(json!([remove(&users[0])]))).status,
        204
    );
    // An unknown member fails the whole request with Entra's message.
    let unknown = "00000000-0000-0000-0000-000000000000";
    let r = s.patch(&path, &patch_op(json!([{"op": "add", "path": "members", "value": [{"value": users[21]}, {"value": unknown}]}])));
    r.assert_error(400, Some("invalidValue"));
    assert_eq!(
        r.body["detail"],
        format!("Resource '{unknown}' does not exist or one of its queried reference-property objects are not present.")
    );
    let count = s.get(&format!(
        "/users?filter={}",
        enc(&format!("groups.value eq \"{gid}\""))
    ));
    assert_eq!(count.body["totalResults"], 19, "{}", count.text);
}
