//! Property tests: atomicity, idempotence, inverse operations.

use proptest::prelude::*;
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::{json, Value};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "id": "u1",
        "userName": "bjensen",
        "active": true,
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "phoneNumbers": [{"value": "555", "type": "work"}],
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"},
        ENT: {"employeeNumber": "701984", "manager": {"value": "m1"}}
    })
}

fn path() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("userName")),
        Just(json!("nickName")),
        Just(json!("active")),
        Just(json!("name")),
        Just(json!("name.givenName")),
        Just(json!("emails")),
        Just(json!("emails[type eq \"work\"]")),
        Just(json!("emails[type eq \"home\"].value")),
        Just(json!("emails[type eq \"other\"].value")),
        Just(json!("emails.primary")),
        Just(json!("phoneNumbers[type eq \"work\"].value")),
        Just(json!("id")),
        Just(json!("meta.created")),
        Just(json!(ENT)),
        Just(json!(format!("{ENT}:employeeNumber"))),
        Just(json!(format!("{ENT}:manager.value"))),
        Just(json!("x509Certificates")),
        Just(json!("nosuch")),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("text")),
        Just(json!("")),
        Just(json!(true)),
        Just(json!("False")),
        Just(json!(7)),
        Just(Value::Null),
        Just(json!({"givenName": "B"})),
        Just(json!({"value": "x@y", "type": "other", "primary": true})),
        Just(json!([{"value": "a@b", "type": "work"}])),
        Just(json!([{"value": "QUJD"}])),
        Just(json!({"employeeNumber": "9"})),
        Just(json!({"userName": "babs", "nickName": "B"})),
    ]
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just("add"),
            Just("replace"),
            Just("remove"),
            Just("Replace")
        ],
        path(),
        proptest::option::of(value()),
    )
        .prop_map(|(op, path, value)| {
            let mut o = json!({"op": op});
            if !path.is_null() {
                o["path"] = path;
            }
            if let Some(v) = value {
                o["value"] = v;
            }
            o
        })
}

fn body(ops: Vec<Value>) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

fn apply(
    resource: &mut Value,
    body: &Value,
    options: &PatchOptions,
) -> Result<bool, scimkit_patch::PatchError> {
    PatchRequest::from_value(body, options)?
        .apply(resource, ResourceSchema::user())
        .map(|o| o.is_noop())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any request: on error the resource is exactly as before; a no-op
    /// outcome means the resource did not change.
    #[test]
    fn atomic_and_honest(ops in proptest::collection::vec(operation(), 1..6), entra in any::<bool>()) {
        let options = if entra { PatchOptions::entra() } else { PatchOptions::strict() };
        let before = user();
        let mut r = before.clone();
        match apply(&mut r, &body(ops), &options) {
            Err(_) => prop_assert_eq!(&r, &before),
            Ok(true) => prop_assert_eq!(&r, &before),
            Ok(false) => {}
        }
    }

    /// Replace is idempotent: a second application changes nothing.
    #[test]
    fn replace_is_idempotent(path in path(), value in value()) {
        let mut op = json!({"op": "replace", "value": value});
        if !path.is_null() {
            op["path"] = path;
        }
        let b = body(vec![op]);
        let options = PatchOptions::entra();
        let mut r = user();
        if apply(&mut r, &b, &options).is_ok() {
            let once = r.clone();
            let second = apply(&mut r, &b, &options);
            prop_assert!(second.is_ok(), "{:?}", second);
            prop_assert!(second.unwrap(), "second replace changed something");
            prop_assert_eq!(r, once);
        }
    }

    /// Adding values already present changes nothing.
    #[test]
    fn adding_existing_values_is_a_noop(which in 0usize..2, upper in any::<bool>()) {
        let mut r = user();
        let mut existing = r["emails"][which].clone();
        if upper {
            // emails.value is not caseExact: the same value in other case is present.
            let v = existing["value"].as_str().unwrap().to_uppercase();
            existing["value"] = json!(v);
        }
        existing.as_object_mut().unwrap().remove("primary");
        let before = r.clone();
        let noop = apply(&mut r, &body(vec![json!({"op": "add", "path": "emails", "value": [existing]})]), &PatchOptions::strict());
        prop_assert_eq!(noop, Ok(true));
        prop_assert_eq!(r, before);
    }

    /// Removing a newly added element restores the original.
    #[test]
    fn remove_after_add_restores(local in "[a-z]{1,8}", kind in prop_oneof![Just("other"), Just("home2")]) {
        let mut r = user();
        let before = r.clone();
        let email = format!("{local}@new.example");
        let add = json!({"op": "add", "path": "emails", "value": [{"value": email, "type": kind}]});
        prop_assert_eq!(apply(&mut r, &body(vec![add]), &PatchOptions::strict()), Ok(false));
        let remove = json!({"op": "remove", "path": format!("emails[value eq \"{email}\"]")});
        prop_assert_eq!(apply(&mut r, &body(vec![remove]), &PatchOptions::strict()), Ok(false));
        prop_assert_eq!(r, before);
    }
}
