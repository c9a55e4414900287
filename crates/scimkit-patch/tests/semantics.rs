//! RFC 7644 §3.5.2.1–3.5.2.3 and RFC 7643 schema rules, one test per rule.

use scimkit_patch::{ChangeKind, PatchOptions, PatchOutcome, PatchRequest, UnknownAttributes};
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::{json, Value};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn user() -> Value {
    json!({
        "schemas": [USER],
        "id": "2819c223",
        "userName": "bjensen",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"}],
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"}
    })
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba",
        "displayName": "Tour Guides",
        "members": [{"value": "2819c223", "display": "Babs"}, {"value": "902c246b"}]
    })
}

fn request(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

fn run_with(
    resource: &mut Value,
    ops: Value,
    options: &PatchOptions,
) -> Result<PatchOutcome, ScimError> {
    let schema = if resource["schemas"][0] == json!(USER) || resource.get("userName").is_some() {
        ResourceSchema::user()
    } else {
        ResourceSchema::group()
    };
    let before = resource.clone();
    let result =
        PatchRequest::from_value(&request(ops), options).and_then(|r| r.apply(resource, schema));
    if result.is_err() {
        assert_eq!(
            *resource, before,
            "an error must leave the resource untouched"
        );
    }
    result.map_err(ScimError::from)
}

/// The User resource type with the enterprise extension optional.
fn optional_enterprise() -> ResourceSchema {
    let mut rt = scimkit_schema::builtin::resource_types()[0].clone();
    rt.schema_extensions[0].required = false;
    ResourceSchema::new(rt, scimkit_schema::builtin::schemas()).unwrap()
}

fn run(resource: &mut Value, ops: Value) -> Result<PatchOutcome, ScimError> {
    run_with(resource, ops, &PatchOptions::strict())
}

fn err(resource: &mut Value, ops: Value) -> String {
    let e = run(resource, ops).expect_err("should fail");
    assert_eq!(e.status(), 400);
    e.scim_type()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default()
}

// ---------- request model ----------

#[test]
fn request_structure_errors_are_invalid_syntax() {
    let strict = PatchOptions::strict();
    for body in [
        json!([]),
        json!({"Operations": [{"op": "add", "path": "title", "value": "x"}]}),
        json!({"schemas": ["urn:other"], "Operations": [{"op": "add", "path": "title", "value": "x"}]}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": {}}),
        request(json!([])),
        request(json!([1])),
        request(json!([{"path": "title"}])),
        request(json!([{"op": "copy", "path": "title"}])),
        request(json!([{"op": 1, "path": "title"}])),
        request(json!([{"op": "remove", "path": "members", "value": [{"value": "x"}]}])),
    ] {
        let e = PatchRequest::from_value(&body, &strict).expect_err(&body.to_string());
        assert_eq!(e.scim_type().unwrap().as_str(), "invalidSyntax", "{body}");
    }
    let e = PatchRequest::from_value(
        &request(json!([{"op": "add", "path": 5, "value": 1}])),
        &strict,
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidPath");
    let e = PatchRequest::from_value(
        &request(json!([{"op": "add", "path": "a..b", "value": 1}])),
        &strict,
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidPath");
    let e = PatchRequest::from_value(
        &request(json!([{"op": "add", "path": "emails[type eq]", "value": 1}])),
        &strict,
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidFilter");
    let e = PatchRequest::from_value(&request(json!([{"op": "add", "path": "title"}])), &strict)
        .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidValue");
    assert_eq!(e.operation_index(), Some(0));
}

#[test]
fn operation_limit() {
    let ops: Vec<Value> = (0..3)
        .map(|_| json!({"op": "add", "path": "title", "value": "x"}))
        .collect();
    let mut options = PatchOptions::strict();
    options.max_operations = 2;
    let e = PatchRequest::from_value(&request(Value::Array(ops)), &options).unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidSyntax");
    assert!(e.detail().unwrap().contains("limit is 2"));
}

// ---------- add ----------

#[test]
fn add_without_path_merges_attributes_and_extensions() {
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "add", "value": {
            "nickName": "Babs",
            "emails": [{"value": "babs@example.org", "type": "other"}],
            ENT: {"employeeNumber": "701984"}
        }}]),
    )
    .unwrap();
    assert_eq!(u["nickName"], "Babs");
    assert_eq!(u["emails"].as_array().unwrap().len(), 3);
    assert_eq!(u[ENT]["employeeNumber"], "701984");
    assert_eq!(
        u["schemas"],
        json!([USER, ENT]),
        "schemas gains the extension URN"
    );
}

#[test]
fn add_creates_a_missing_target() {
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "add", "path": "title", "value": "Tour Guide"}]),
    )
    .unwrap();
    assert_eq!(u["title"], "Tour Guide");
    run(
        &mut u,
        json!([{"op": "add", "path": "phoneNumbers", "value": [{"value": "555", "type": "work"}]}]),
    )
    .unwrap();
    assert_eq!(u["phoneNumbers"], json!([{"value": "555", "type": "work"}]));
}

#[test]
fn add_appends_to_multi_valued_without_duplicates() {
    let mut g = group();
    let out = run(&mut g, json!([{"op": "add", "path": "members", "value": [{"value": "902c246b"}, {"value": "new1"}]}])).unwrap();
    assert_eq!(g["members"].as_array().unwrap().len(), 3);
    assert_eq!(out.changes().len(), 1);
    assert_eq!(out.changes()[0].kind, ChangeKind::Added);
    assert_eq!(out.changes()[0].new, Some(json!({"value": "new1"})));
    // Adding only existing values changes nothing (RFC example): no-op outcome.
    let before = g.clone();
    let out = run(
        &mut g,
        json!([{"op": "add", "path": "members", "value": [{"value": "2819c223"}]}]),
    )
    .unwrap();
    assert!(out.is_noop());
    assert_eq!(g, before);
    // A single object for a multi-valued attribute is one value.
    run(
        &mut g,
        json!([{"op": "add", "path": "members", "value": {"value": "solo"}}]),
    )
    .unwrap();
    assert_eq!(g["members"][3], json!({"value": "solo"}));
}

#[test]
fn add_to_a_large_group_is_deduplicated_by_hash() {
    let mut g = group();
    let many: Vec<Value> = (0..500)
        .map(|i| json!({"value": format!("m{i}")}))
        .collect();
    run(
        &mut g,
        json!([{"op": "add", "path": "members", "value": many}]),
    )
    .unwrap();
    let again: Vec<Value> = (490..510)
        .map(|i| json!({"value": format!("M{i}")}))
        .collect();
    let out = run(
        &mut g,
        json!([{"op": "add", "path": "members", "value": again}]),
    )
    .unwrap();
    // members.value is not caseExact in the RFC Group schema: M490 equals m490.
    assert_eq!(out.changes().len(), 10);
    assert_eq!(g["members"].as_array().unwrap().len(), 2 + 500 + 10);
}

#[test]
fn add_merges_into_a_complex_target() {
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "add", "path": "name", "value": {"middleName": "Jane"}}]),
    )
    .unwrap();
    assert_eq!(
        u["name"],
        json!({"familyName": "Jensen", "givenName": "Barbara", "middleName": "Jane"})
    );
}

#[test]
fn add_replaces_a_single_valued_target() {
    let mut u = user();
    let out = run(
        &mut u,
        json!([{"op": "add", "path": "userName", "value": "babs"}]),
    )
    .unwrap();
    assert_eq!(u["userName"], "babs");
    assert_eq!(out.changes()[0].kind, ChangeKind::Replaced);
    assert_eq!(out.changes()[0].old, Some(json!("bjensen")));
}

// ---------- remove ----------

#[test]
fn remove_without_path_is_no_target() {
    let e = PatchRequest::from_value(&request(json!([{"op": "remove"}])), &PatchOptions::strict())
        .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "noTarget");
}

#[test]
fn remove_single_and_whole_multi_valued() {
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "emails"}]),
    )
    .unwrap();
    assert_eq!(u["name"], json!({"familyName": "Jensen"}));
    assert!(u.get("emails").is_none());
    // Removing what is not there changes nothing.
    assert!(run(&mut u, json!([{"op": "remove", "path": "title"}]))
        .unwrap()
        .is_noop());
    // A complex attribute left empty becomes unassigned.
    run(&mut u, json!([{"op": "remove", "path": "name.familyName"}])).unwrap();
    assert!(u.get("name").is_none());
}

#[test]
fn remove_with_filter_removes_matches_and_unassigns_when_empty() {
    let mut g = group();
    run(
        &mut g,
        json!([{"op": "remove", "path": "members[value eq \"2819c223\"]"}]),
    )
    .unwrap();
    assert_eq!(g["members"], json!([{"value": "902c246b"}]));
    run(
        &mut g,
        json!([{"op": "remove", "path": "members[value eq \"902c246b\"]"}]),
    )
    .unwrap();
    assert!(
        g.get("members").is_none(),
        "no values left: unassigned, not []"
    );
    // A filter matching nothing: noTarget in strict mode.
    assert_eq!(
        err(
            &mut group(),
            json!([{"op": "remove", "path": "members[value eq \"nobody\"]"}])
        ),
        "noTarget"
    );
}

#[test]
fn remove_with_filter_and_sub_attribute() {
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "remove", "path": "emails[type eq \"work\"].primary"}]),
    )
    .unwrap();
    assert_eq!(
        u["emails"][0],
        json!({"value": "bjensen@example.com", "type": "work"})
    );
    assert_eq!(
        u["emails"][1],
        json!({"value": "babs@jensen.org", "type": "home"})
    );
}

#[test]
fn remove_required_or_read_only_is_mutability() {
    assert_eq!(
        err(&mut user(), json!([{"op": "remove", "path": "userName"}])),
        "mutability"
    );
    assert_eq!(
        err(&mut user(), json!([{"op": "remove", "path": "id"}])),
        "mutability"
    );
    assert_eq!(
        err(&mut user(), json!([{"op": "remove", "path": "meta"}])),
        "mutability"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "remove", "path": "meta.created"}])
        ),
        "mutability"
    );
}

// ---------- replace ----------

#[test]
fn replace_without_path_replaces_attributes() {
    let mut u = user();
    run(&mut u, json!([{"op": "replace", "value": {"userName": "babs", "emails": [{"value": "x@y", "type": "work"}], "name": {"givenName": "Babs"}}}])).unwrap();
    assert_eq!(u["userName"], "babs");
    assert_eq!(u["emails"], json!([{"value": "x@y", "type": "work"}]));
    assert_eq!(
        u["name"],
        json!({"familyName": "Jensen", "givenName": "Babs"}),
        "complex: given sub-attributes replaced, others kept"
    );
}

#[test]
fn replace_multi_valued_without_filter_replaces_all() {
    let mut g = group();
    run(
        &mut g,
        json!([{"op": "replace", "path": "members", "value": [{"value": "only"}]}]),
    )
    .unwrap();
    assert_eq!(g["members"], json!([{"value": "only"}]));
}

#[test]
fn replace_of_missing_target_is_add() {
    let mut u = user();
    run(&mut u, json!([{"op": "replace", "path": "nickName", "value": "Babs"}, {"op": "replace", "path": "x509Certificates", "value": [{"value": "QUJD"}]}])).unwrap();
    assert_eq!(u["nickName"], "Babs");
    assert_eq!(u["x509Certificates"], json!([{"value": "QUJD"}]));
}

#[test]
fn replace_filter_matching_nothing_is_no_target() {
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "replace", "path": "emails[type eq \"other\"].value", "value": "x@y"}])
        ),
        "noTarget"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "replace", "path": "phoneNumbers[type eq \"work\"].value", "value": "555"}])
        ),
        "noTarget"
    );
}

#[test]
fn replace_filter_with_sub_attribute_sets_it_on_every_match() {
    let mut u = user();
    u["emails"][1]["type"] = json!("work");
    u["emails"][1]["primary"] = json!(false);
    run(
        &mut u,
        json!([{"op": "replace", "path": "emails[type eq \"work\"].display", "value": "W"}]),
    )
    .unwrap();
    assert_eq!(u["emails"][0]["display"], "W");
    assert_eq!(u["emails"][1]["display"], "W");
}

#[test]
fn replace_filter_without_sub_attribute_replaces_the_element() {
    let mut u = user();
    run(&mut u, json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": {"type": "work", "locality": "Burbank"}}])).unwrap();
    assert_eq!(
        u["addresses"],
        json!([{"type": "work", "locality": "Burbank"}])
    );
}

// ---------- schema rules ----------

#[test]
fn read_only_and_immutable() {
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "replace", "path": "id", "value": "other"}])
        ),
        "mutability"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "replace", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}])
        ),
        "mutability"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "add", "path": "groups", "value": [{"value": "g1"}]}])
        ),
        "mutability"
    );
    // The same value as now changes nothing, so it is not refused.
    assert!(run(
        &mut user(),
        json!([{"op": "replace", "path": "id", "value": "2819c223"}])
    )
    .unwrap()
    .is_noop());
    // members.value is immutable in the RFC Group schema: set once, then fixed.
    let mut g = group();
    assert_eq!(
        err(
            &mut g,
            json!([{"op": "replace", "path": "members[value eq \"902c246b\"].value", "value": "zzz"}])
        ),
        "mutability"
    );
}

#[test]
fn values_are_type_checked() {
    for (path, value) in [
        ("active", json!("yes")),
        ("active", json!("False")),
        ("userName", json!(5)),
        ("emails", json!([{"value": 5}])),
        ("name", json!("Barbara")),
        ("meta", json!({})),
        ("x509Certificates", json!([{"value": true}])),
        (&format!("{ENT}:manager"), json!("26118915")),
    ] {
        let code = err(
            &mut user(),
            json!([{"op": "replace", "path": path, "value": value}]),
        );
        assert!(
            code == "invalidValue" || code == "mutability",
            "{path}: {code}"
        );
    }
    let mut u = user();
    assert_eq!(
        err(
            &mut u,
            json!([{"op": "replace", "path": "meta.lastModified", "value": "not a date"}])
        ),
        "invalidValue"
    );
}

#[test]
fn unknown_attributes_rejected_or_kept() {
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "add", "path": "favoriteColor", "value": "blue"}])
        ),
        "invalidPath"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "add", "value": {"favoriteColor": "blue"}}])
        ),
        "invalidPath"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "add", "path": "name.nickname", "value": "x"}])
        ),
        "invalidPath"
    );
    let mut keep = PatchOptions::strict();
    keep.unknown_attributes = UnknownAttributes::Keep;
    let mut u = user();
    run_with(
        &mut u,
        json!([{"op": "add", "path": "favoriteColor", "value": "blue"}]),
        &keep,
    )
    .unwrap();
    assert_eq!(u["favoriteColor"], "blue");
    run_with(
        &mut u,
        json!([{"op": "remove", "path": "favoriteColor"}]),
        &keep,
    )
    .unwrap();
    assert!(u.get("favoriteColor").is_none());
}

#[test]
fn extension_urn_joins_and_leaves_schemas() {
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "add", "path": format!("{ENT}:department"), "value": "Tour Operations"}]),
    )
    .unwrap();
    assert_eq!(u["schemas"], json!([USER, ENT]));
    assert_eq!(u[ENT], json!({"department": "Tour Operations"}));
    // The RFC 7643 §8.6 User type requires the enterprise extension: its
    // URN stays when its last attribute goes (patch-semantics.json has the
    // cases); where it is optional, it leaves with the emptied object.
    let mut optional = u.clone();
    run(
        &mut u,
        json!([{"op": "remove", "path": format!("{ENT}:department")}]),
    )
    .unwrap();
    assert_eq!(u["schemas"], json!([USER, ENT]));
    assert!(u.get(ENT).is_none(), "an empty extension object is dropped");
    let rs = optional_enterprise();
    let strict = PatchOptions::strict();
    let body = request(json!([{"op": "remove", "path": format!("{ENT}:department")}]));
    PatchRequest::from_value(&body, &strict)
        .unwrap()
        .apply(&mut optional, &rs)
        .unwrap();
    assert_eq!(optional["schemas"], json!([USER]));
    assert!(optional.get(ENT).is_none());
    u["schemas"] = json!([USER]);
    // A bare extension URN as path.
    run(&mut u, json!([{"op": "add", "path": ENT, "value": {"employeeNumber": "1", "manager": {"value": "m1"}}}])).unwrap();
    assert_eq!(
        u[ENT],
        json!({"employeeNumber": "1", "manager": {"value": "m1"}})
    );
    run(
        &mut u,
        json!([{"op": "replace", "path": format!("{ENT}:manager.value"), "value": "m2"}]),
    )
    .unwrap();
    assert_eq!(u[ENT]["manager"], json!({"value": "m2"}));
}

#[test]
fn primary_is_unique() {
    let mut u = user();
    let out = run(&mut u, json!([{"op": "add", "path": "emails", "value": [{"value": "new@x", "type": "other", "primary": true}]}])).unwrap();
    assert_eq!(u["emails"][0]["primary"], false);
    assert_eq!(u["emails"][2]["primary"], true);
    assert!(out.changes().iter().any(|c| c.path == "emails.primary"));
    let mut u = user();
    run(
        &mut u,
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
    )
    .unwrap();
    assert_eq!(u["emails"][0]["primary"], false);
    assert_eq!(u["emails"][1]["primary"], true);
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "add", "path": "emails", "value": [{"value": "a@x", "primary": true}, {"value": "b@x", "primary": true}]}])
        ),
        "invalidValue"
    );
}

#[test]
fn atomic_on_a_late_failure() {
    let mut u = user();
    let before = u.clone();
    let e = run(
        &mut u,
        json!([
            {"op": "replace", "path": "userName", "value": "babs"},
            {"op": "add", "path": "emails", "value": [{"value": "n@x", "primary": true}]},
            {"op": "remove", "path": "addresses[type eq \"work\"]"},
            {"op": "add", "path": format!("{ENT}:department"), "value": "X"},
            {"op": "replace", "path": "id", "value": "nope"}
        ]),
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "mutability");
    assert!(e.detail().unwrap().starts_with("Operations[4]:"));
    assert_eq!(u, before);
}

#[test]
fn change_list_describes_each_change() {
    let mut u = user();
    let out = run(
        &mut u,
        json!([
            {"op": "replace", "path": "name.givenName", "value": "Babs"},
            {"op": "remove", "path": "emails[type eq \"home\"]"},
            {"op": "add", "path": "title", "value": "Guide"}
        ]),
    )
    .unwrap();
    let summary: Vec<(String, ChangeKind)> = out
        .changes()
        .iter()
        .map(|c| (c.path.clone(), c.kind))
        .collect();
    assert_eq!(
        summary,
        [
            ("name.givenName".to_owned(), ChangeKind::Replaced),
            ("emails".to_owned(), ChangeKind::Removed),
            ("title".to_owned(), ChangeKind::Added)
        ]
    );
    assert_eq!(
        out.changes()[1].old,
        Some(json!({"value": "babs@jensen.org", "type": "home"}))
    );
}

#[test]
fn schemas_stay_consistent() {
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "replace", "path": "schemas", "value": ["urn:x"]}])
        ),
        "invalidValue"
    );
    assert_eq!(
        err(
            &mut user(),
            json!([{"op": "replace", "path": "schemas", "value": [ENT]}])
        ),
        "invalidValue"
    );
    let mut u = user();
    u["schemas"] = json!([USER, ENT]);
    u[ENT] = json!({"employeeNumber": "1"});
    // Dropping a (required) extension's URN would drop the extension.
    assert_eq!(
        err(
            &mut u,
            json!([{"op": "replace", "path": "schemas", "value": [USER]}])
        ),
        "mutability"
    );
}

#[test]
fn change_paths_use_attribute_notation() {
    let mut u = user();
    let out = run(
        &mut u,
        json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "w@x"},
            {"op": "add", "path": "emails[type eq \"home\"]", "value": {"display": "Home"}},
            {"op": "remove", "path": "emails[type eq \"home\"].display"}
        ]),
    )
    .unwrap();
    let paths: Vec<&str> = out.changes().iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["emails.value", "emails.display", "emails.display"]);
}

#[test]
fn expression_paths_select_simple_values() {
    // Errata 7122: `remove schemas eq "<extension URN>"` removes the extension.
    // The RFC 7643 §8.6 User type requires the enterprise extension...
    let mut u = user();
    u["schemas"] = json!([USER, ENT]);
    u[ENT] = json!({"employeeNumber": "1"});
    assert_eq!(
        err(
            &mut u,
            json!([{"op": "remove", "path": format!("schemas eq \"{ENT}\"")}])
        ),
        "mutability"
    );
    // ...a resource type where it is optional lets it go.
    let rs = optional_enterprise();
    let strict = PatchOptions::strict();
    let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                      "Operations": [{"op": "remove", "path": format!("schemas eq \"{ENT}\"")}]});
    let out = PatchRequest::from_value(&body, &strict)
        .unwrap()
        .apply(&mut u, &rs)
        .unwrap();
    assert_eq!(u["schemas"], json!([USER]));
    assert!(u.get(ENT).is_none());
    assert_eq!(out.changes().len(), 2);
    // No value matches: noTarget.
    let e = PatchRequest::from_value(&body, &strict)
        .unwrap()
        .apply(&mut u, &rs)
        .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "noTarget");
}
