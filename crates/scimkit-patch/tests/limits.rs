//! Hostile sizes: the limits on what one operation carries, bounded error
//! echoes, and walks over resource values deeper than any parser allows.

use scimkit_patch::{Operation, PatchOptions, PatchPath, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::{json, Value};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn members(n: usize) -> Value {
    Value::Array((0..n).map(|i| json!({"value": format!("m{i}")})).collect())
}

fn body(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

#[test]
fn values_per_operation_is_limited_at_parse_and_at_apply() {
    let mut options = PatchOptions::strict();
    options.max_values_per_operation = 100;
    let over = body(json!([{"op": "add", "path": "members", "value": members(101)}]));
    let e = PatchRequest::from_value(&over, &options).unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidValue");
    assert_eq!(e.operation_index(), Some(0));
    let detail = e.detail().unwrap();
    assert!(detail.contains("limit of 100 values"), "{detail}");
    let at_limit = body(json!([{"op": "add", "path": "members", "value": members(100)}]));
    assert!(PatchRequest::from_value(&at_limit, &options).is_ok());

    // Built in code, the request is checked when applied, before any change.
    let request = PatchRequest::new(
        vec![
            Operation::replace(PatchPath::parse("displayName").unwrap(), json!("New")),
            Operation::add(PatchPath::parse("members").unwrap(), members(101)),
        ],
        options,
    );
    let mut group = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                           "id": "g1", "displayName": "Old"});
    let before = group.clone();
    let e = request
        .apply_owned(&mut group, ResourceSchema::group())
        .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidValue");
    assert_eq!(e.operation_index(), Some(1));
    assert_eq!(group, before);
}

#[test]
fn value_depth_is_limited() {
    let mut deep = json!("x");
    for _ in 0..40 {
        deep = json!([deep]);
    }
    let mut options = PatchOptions::strict();
    options.unknown_attributes = scimkit_patch::UnknownAttributes::Keep;
    let request = body(json!([{"op": "add", "path": "custom", "value": deep}]));
    let e = PatchRequest::from_value(&request, &options).unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidValue");
    assert!(e.detail().unwrap().contains("limit of 32 levels"));
    options.max_value_depth = 64;
    assert!(PatchRequest::from_value(&request, &options).is_ok());
}

#[test]
fn errors_echo_a_bounded_prefix() {
    let long = format!("title{}[", "x".repeat(1 << 20));
    let request = body(json!([{"op": "add", "path": long, "value": "v"}]));
    let e = PatchRequest::from_value(&request, &PatchOptions::strict()).unwrap_err();
    let detail = e.detail().unwrap();
    assert!(detail.len() < 600, "{} bytes of detail", detail.len());
    assert!(detail.contains("bytes)"), "{detail}");
    let op = body(json!([{"op": "x".repeat(1 << 20), "path": "title", "value": "v"}]));
    let e = PatchRequest::from_value(&op, &PatchOptions::strict()).unwrap_err();
    assert!(e.detail().unwrap().len() < 600);
}

/// A value nested far deeper than serde_json's parser allows, built in code.
fn nested(depth: usize) -> Value {
    let mut v = json!("leaf");
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

#[test]
fn walks_over_deep_resource_values_do_not_use_the_stack() {
    // On a 2 MiB stack (the default for spawned threads), a recursive walk
    // over 200,000 levels would abort the process.
    let outcome = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut user = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
                "id": "u1", "userName": "bjensen",
            });
            user[ENT] = json!({"employeeNumber": "1"});
            user[ENT]["costCenter"] = nested(200_000);
            let options = PatchOptions::strict();
            let request = PatchRequest::from_value(
                &body(json!([{"op": "remove", "path": format!("{ENT}:employeeNumber")}])),
                &options,
            )
            .unwrap();
            let result = request.apply_owned(&mut user, ResourceSchema::user());
            let ok = result.as_ref().map(|o| o.changes().len()).ok();
            let still_there = user[ENT].get("costCenter").is_some();
            // Dropping the deep value would recurse: leak it instead.
            std::mem::forget(user);
            std::mem::forget(result);
            (ok, still_there)
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(outcome, (Some(1), true));
}
