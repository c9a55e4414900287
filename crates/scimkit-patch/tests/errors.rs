//! `PatchError`: which operation failed, kept as a number and in the
//! detail the client sees.

use scimkit_patch::{PatchError, PatchOptions, PatchRequest};
use scimkit_schema::{ResourceSchema, ScimError, ScimType};
use serde_json::{json, Value};

fn body(ops: Value) -> String {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
        .to_string()
}

fn user() -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
           "id": "1", "userName": "bjensen"})
}

fn apply(ops: Value) -> PatchError {
    let request = PatchRequest::from_json(&body(ops), &PatchOptions::strict()).unwrap();
    request
        .apply(&mut user(), ResourceSchema::user())
        .unwrap_err()
}

#[test]
fn an_apply_error_in_the_first_operation_is_index_0() {
    let e = apply(json!([{"op": "replace", "path": "id", "value": "2"}]));
    assert_eq!(e.operation_index(), Some(0));
    assert_eq!(e.scim_type(), Some(&ScimType::Mutability));
    assert_eq!(e.detail(), Some("id is readOnly"));
}

#[test]
fn an_apply_error_in_the_fourth_operation_is_index_3() {
    let e = apply(json!([
        {"op": "replace", "path": "displayName", "value": "B"},
        {"op": "add", "path": "nickName", "value": "Babs"},
        {"op": "remove", "path": "title"},
        {"op": "remove", "path": "emails[type eq \"work\"]"}
    ]));
    assert_eq!(e.operation_index(), Some(3));
    assert_eq!(e.status(), 400);
    assert_eq!(e.scim_type(), Some(&ScimType::NoTarget));
    let detail = e.detail().unwrap().to_owned();
    assert!(!detail.starts_with("Operations["), "{detail}");

    // The client sees the same status and scimType, and the index in the detail.
    let sent = ScimError::from(e);
    assert_eq!(sent.status(), 400);
    assert_eq!(sent.scim_type(), Some(&ScimType::NoTarget));
    assert_eq!(
        sent.detail(),
        Some(format!("Operations[3]: {detail}").as_str())
    );
}

#[test]
fn a_parse_error_in_an_operation_names_it() {
    let e = PatchRequest::from_json(
        &body(json!([
            {"op": "add", "path": "title", "value": "x"},
            {"op": "add", "path": "title", "value": "x"},
            {"op": "add", "path": "title", "value": "x"},
            {"op": "Add", "path": "title", "value": "x"}
        ])),
        &PatchOptions::strict(),
    )
    .unwrap_err();
    assert_eq!(e.operation_index(), Some(3));
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidSyntax));
    assert!(e.hint().is_some(), "the compat switch is the hint");
    let sent = ScimError::from(e);
    assert!(sent
        .detail()
        .unwrap()
        .starts_with("Operations[3]: unknown op"));
    assert!(sent.hint().is_some());
}

#[test]
fn body_level_errors_have_no_index() {
    let strict = PatchOptions::strict();
    let cases = [
        r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#.to_owned(),
        r#"{"schemas": ["urn:x"], "Operations": []}"#.to_owned(),
        "not json".to_owned(),
        body(json!([])),
    ];
    for case in &cases {
        let e = PatchRequest::from_json(case, &strict).unwrap_err();
        assert_eq!(e.operation_index(), None, "{case}");
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidSyntax), "{case}");
        let detail = e.detail().unwrap().to_owned();
        assert_eq!(ScimError::from(e).detail(), Some(detail.as_str()));
    }
    // A resource that is not an object, and `schemas` broken by the request.
    let request = PatchRequest::from_json(
        &body(json!([{"op": "add", "path": "title", "value": "x"}])),
        &strict,
    )
    .unwrap();
    let e = request
        .apply(&mut json!([]), ResourceSchema::user())
        .unwrap_err();
    assert_eq!(e.operation_index(), None);
    let request = PatchRequest::from_json(
        &body(json!([{"op": "replace", "path": "schemas", "value": ["urn:x"]}])),
        &strict,
    )
    .unwrap();
    let e = request
        .apply(&mut user(), ResourceSchema::user())
        .unwrap_err();
    assert_eq!(e.operation_index(), None);
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue));
}

#[test]
fn a_json_syntax_error_keeps_its_cause() {
    let e = PatchRequest::from_json("{", &PatchOptions::strict()).unwrap_err();
    assert!(std::error::Error::source(&e).is_some());
}
