//! Microsoft Entra provisioning quirks (shared `entra/client-quirks.md`, Q1–Q12):
//! strict mode refuses each with the right scimType; the Entra profile
//! accepts it and produces the RFC-correct result.

use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::{json, Value};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "u1",
        "userName": "bjensen@contoso.com",
        "active": true,
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "bjensen@contoso.com", "type": "work", "primary": true}]
    })
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "g1",
        "displayName": "Sales",
        "members": [{"value": "u1091"}, {"value": "u2000"}]
    })
}

fn apply(resource: &mut Value, ops: Value, options: &PatchOptions) -> Result<bool, ScimError> {
    let schema = if resource.get("userName").is_some() {
        ResourceSchema::user()
    } else {
        ResourceSchema::group()
    };
    let body =
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops});
    let before = resource.clone();
    let result = PatchRequest::from_value(&body, options)
        .and_then(|r| r.apply(resource, schema))
        .map(|o| o.is_noop());
    if result.is_err() {
        assert_eq!(*resource, before);
    }
    result.map_err(ScimError::from)
}

/// Strict refuses with `scim_type`; Entra accepts and the resource becomes `want`.
fn quirk(resource: Value, ops: Value, scim_type: &str, want: impl Fn(&mut Value)) {
    let mut strict = resource.clone();
    let e = apply(&mut strict, ops.clone(), &PatchOptions::strict())
        .expect_err("strict mode must refuse");
    assert_eq!(e.scim_type().map(|t| t.as_str()), Some(scim_type), "{e}");
    let mut entra = resource.clone();
    apply(&mut entra, ops, &PatchOptions::entra()).unwrap_or_else(|e| panic!("entra: {e}"));
    let mut expected = resource;
    want(&mut expected);
    assert_eq!(entra, expected);
}

#[test]
fn q1_q3_capitalised_ops() {
    quirk(
        user(),
        json!([{"op": "Replace", "path": "name.familyName", "value": "X"}]),
        "invalidSyntax",
        |u| {
            u["name"]["familyName"] = json!("X");
        },
    );
    quirk(
        user(),
        json!([{"op": "Add", "path": "nickName", "value": "Babs"}]),
        "invalidSyntax",
        |u| {
            u["nickName"] = json!("Babs");
        },
    );
    quirk(
        group(),
        json!([{"op": "REMOVE", "path": "members[value eq \"u2000\"]"}]),
        "invalidSyntax",
        |g| {
            g["members"] = json!([{"value": "u1091"}]);
        },
    );
}

#[test]
fn q2_booleans_as_strings() {
    quirk(
        user(),
        json!([{"op": "replace", "path": "active", "value": "False"}]),
        "invalidValue",
        |u| {
            u["active"] = json!(false);
        },
    );
    quirk(
        user(),
        json!([{"op": "replace", "value": {"active": "TRUE"}}]),
        "invalidValue",
        |_| {},
    );
    // Only true/false: other strings stay errors in the Entra profile too.
    let mut u = user();
    let e = apply(
        &mut u,
        json!([{"op": "replace", "path": "active", "value": "no"}]),
        &PatchOptions::entra(),
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidValue");
}

#[test]
fn q4_many_path_operations_work_in_both_modes() {
    let ops = json!([
        {"op": "replace", "path": "displayName", "value": "Pvlo"},
        {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@b.com"},
        {"op": "replace", "path": format!("{ENT}:employeeNumber"), "value": "Eqpj"}
    ]);
    for options in [PatchOptions::strict(), PatchOptions::entra()] {
        let mut u = user();
        apply(&mut u, ops.clone(), &options).unwrap();
        assert_eq!(u["displayName"], "Pvlo");
        assert_eq!(u["emails"][0]["value"], "a@b.com");
        assert_eq!(u[ENT]["employeeNumber"], "Eqpj");
        assert_eq!(u["schemas"][1], ENT);
    }
}

#[test]
fn q5_path_keys_in_a_pathless_value() {
    let ops = json!([{"op": "replace", "value": {
        "displayName": "Bjfe",
        "name.givenName": "Kkom",
        "name.familyName": "Unua",
        format!("{ENT}:employeeNumber"): "Aklq",
        "emails[type eq \"work\"].value": "k@contoso.com"
    }}]);
    quirk(user(), ops, "invalidPath", |u| {
        u["displayName"] = json!("Bjfe");
        u["name"] = json!({"givenName": "Kkom", "familyName": "Unua"});
        u["emails"][0]["value"] = json!("k@contoso.com");
        u[ENT] = json!({"employeeNumber": "Aklq"});
        u["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENT]);
    });
    quirk(
        user(),
        json!([{"op": "add", "value": {"name.formatted": "Barbara Jensen"}}]),
        "invalidPath",
        |u| {
            u["name"]["formatted"] = json!("Barbara Jensen");
        },
    );
}

#[test]
fn q6_remove_members_by_value_array() {
    quirk(
        group(),
        json!([{"op": "Remove", "path": "members", "value": [{"value": "u1091"}]}]),
        "invalidSyntax",
        |g| {
            g["members"] = json!([{"value": "u2000"}]);
        },
    );
    let ops = json!([{"op": "remove", "path": "members", "value": [{"value": "u1091"}, {"value": "u2000"}]}]);
    quirk(group(), ops, "invalidSyntax", |g| {
        g.as_object_mut().unwrap().remove("members");
    });
}

#[test]
fn q7_null_ref_is_ignored_in_both_modes() {
    let ops =
        json!([{"op": "add", "path": "members", "value": [{"$ref": null, "value": "f648f8d5"}]}]);
    for options in [PatchOptions::strict(), PatchOptions::entra()] {
        let mut g = group();
        apply(&mut g, ops.clone(), &options).unwrap();
        assert_eq!(g["members"][2], json!({"value": "f648f8d5"}));
    }
}

#[test]
fn q8_manager_as_a_bare_string() {
    let ops = json!([{"op": "add", "path": format!("{ENT}:manager"), "value": "2c2f6fb8"}]);
    quirk(user(), ops, "invalidValue", |u| {
        u[ENT] = json!({"manager": {"value": "2c2f6fb8"}});
        u["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENT]);
    });
    let ops = json!([{"op": "add", "value": {ENT: {"manager": "m9"}}}]);
    quirk(user(), ops, "invalidValue", |u| {
        u[ENT] = json!({"manager": {"value": "m9"}});
        u["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENT]);
    });
}

#[test]
fn q11_value_filter_on_an_element_that_does_not_exist_yet() {
    quirk(
        user(),
        json!([{"op": "Replace", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555"}]),
        "invalidSyntax",
        |u| {
            u["phoneNumbers"] = json!([{"type": "work", "value": "+1 555"}]);
        },
    );
    // With a lowercase op, strict mode's answer is the RFC's: noTarget.
    quirk(
        user(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"].formatted", "value": "18/2111"}]),
        "noTarget",
        |u| {
            u["addresses"] = json!([{"type": "work", "formatted": "18/2111"}]);
        },
    );
    quirk(
        user(),
        json!([{"op": "add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 666"}]),
        "noTarget",
        |u| {
            u["phoneNumbers"] = json!([{"type": "mobile", "value": "+1 666"}]);
        },
    );
    // A filter that is not a conjunction of `eq` terms cannot be upserted.
    let mut u = user();
    let e = apply(
        &mut u,
        json!([{"op": "replace", "path": "phoneNumbers[type ne \"work\"].value", "value": "1"}]),
        &PatchOptions::entra(),
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "noTarget");
}

#[test]
fn q12_add_on_an_existing_single_value_replaces_it() {
    let ops = json!([{"op": "add", "path": format!("{ENT}:department"), "value": "Retail"}, {"op": "add", "path": format!("{ENT}:department"), "value": "Sales"}]);
    for options in [PatchOptions::strict(), PatchOptions::entra()] {
        let mut u = user();
        apply(&mut u, ops.clone(), &options).unwrap();
        assert_eq!(u[ENT]["department"], "Sales");
    }
}

#[test]
fn empty_operations_array() {
    quirk(user(), json!([]), "invalidSyntax", |_| {});
    assert!(
        apply(&mut user(), json!([]), &PatchOptions::entra()).unwrap(),
        "a no-op"
    );
}

#[test]
fn removing_an_absent_member_again() {
    quirk(
        group(),
        json!([{"op": "remove", "path": "members[value eq \"gone\"]"}]),
        "noTarget",
        |_| {},
    );
}

#[test]
fn each_switch_alone() {
    // Turning on one switch accepts exactly that quirk.
    let mut only_case = PatchOptions::strict();
    only_case.op_any_case = true;
    let mut u = user();
    apply(
        &mut u,
        json!([{"op": "Replace", "path": "nickName", "value": "B"}]),
        &only_case,
    )
    .unwrap();
    let e = apply(
        &mut u,
        json!([{"op": "Replace", "path": "active", "value": "False"}]),
        &only_case,
    )
    .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "invalidValue");
}

/// A request keeps the options it was parsed with: the same body parsed
/// strictly cannot be applied leniently, nor the reverse.
#[test]
fn options_are_bound_at_parse() {
    let body = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "emails[type eq \"work\"].value", "value": "w@x"}]}"#;
    let user = || json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1", "userName": "b"});
    let strict = PatchRequest::parse(body, &PatchOptions::strict()).unwrap();
    assert_eq!(strict.options(), &PatchOptions::strict());
    let e = strict
        .apply(&mut user(), ResourceSchema::user())
        .unwrap_err();
    assert_eq!(e.scim_type().unwrap().as_str(), "noTarget");
    let entra = PatchRequest::parse(body, &PatchOptions::entra()).unwrap();
    let mut u = user();
    entra.apply(&mut u, ResourceSchema::user()).unwrap();
    assert_eq!(u["emails"], json!([{"type": "work", "value": "w@x"}]));
}
