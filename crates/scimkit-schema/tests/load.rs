//! Loading `/Schemas` and `/ResourceTypes` documents the way real servers send them.

use scimkit_schema::{
    builtin, AttributeType, Mutability, ResourceSchema, ResourceType, Returned, Schema, ScimType,
};

const USER_JSON: &str = include_str!("../schemas/user.json");
const GROUP_JSON: &str = include_str!("../schemas/group.json");
const ENTERPRISE_JSON: &str = include_str!("../schemas/enterprise_user.json");
const RESOURCE_TYPES_JSON: &str = include_str!("../schemas/resource_types.json");

#[test]
fn rfc_8_7_1_schemas_load_verbatim() {
    for (json, id, count) in [
        (USER_JSON, "urn:ietf:params:scim:schemas:core:2.0:User", 21),
        (GROUP_JSON, "urn:ietf:params:scim:schemas:core:2.0:Group", 2),
        (
            ENTERPRISE_JSON,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            6,
        ),
    ] {
        let s = Schema::from_json(json).unwrap();
        assert_eq!(s.id, id);
        assert_eq!(s.attributes.len(), count);
        assert!(s.meta.is_some());
        // Serialize and read back: nothing lost.
        let again = Schema::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }
}

#[test]
fn list_response_wrapped_and_lowercase_resources() {
    let wrapped = format!(
        r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"itemsPerPage":3,"startIndex":1,
            "Resources":[{USER_JSON},{GROUP_JSON},{ENTERPRISE_JSON}]}}"#
    );
    let schemas = Schema::list_from_json(&wrapped).unwrap();
    assert_eq!(schemas.len(), 3);
    let lower = wrapped.replace("\"Resources\"", "\"resources\"");
    assert_eq!(Schema::list_from_json(&lower).unwrap(), schemas);
    let array = format!("[{USER_JSON},{GROUP_JSON}]");
    assert_eq!(Schema::list_from_json(&array).unwrap().len(), 2);
    assert_eq!(Schema::list_from_json(USER_JSON).unwrap().len(), 1);

    let rts = ResourceType::list_from_json(RESOURCE_TYPES_JSON).unwrap();
    let wrapped_rts = format!(r#"{{"totalResults":2,"Resources":{RESOURCE_TYPES_JSON}}}"#);
    assert_eq!(ResourceType::list_from_json(&wrapped_rts).unwrap(), rts);
    // A resource schema assembled from loaded documents behaves like the built-in one.
    let rs = ResourceSchema::new(rts[0].clone(), &schemas).unwrap();
    let p = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName"
        .parse()
        .unwrap();
    assert_eq!(
        rs.resolve(&p).unwrap().target().mutability,
        Mutability::ReadOnly
    );
}

#[test]
fn unknown_fields_defaults_and_keyword_case() {
    let doc = r#"{
        "id": "urn:example:params:scim:schemas:Device",
        "x-vendor": {"anything": [1, 2]},
        "attributes": [
            {"name": "serial", "mutability": "READONLY", "returned": "Always", "vendorFlag": true},
            {"name": "ports", "type": "complex", "multiValued": true,
             "subAttributes": [{"name": "speed", "type": "integer"}]}
        ]
    }"#;
    let s = Schema::from_json(doc).unwrap();
    let serial = s.attribute("SERIAL").unwrap();
    assert_eq!(serial.kind, AttributeType::String);
    assert_eq!(serial.mutability, Mutability::ReadOnly);
    assert_eq!(serial.returned, Returned::Always);
    assert!(!serial.case_exact && !serial.required && !serial.multi_valued);
    let speed = s
        .attribute("ports")
        .unwrap()
        .sub_attribute("speed")
        .unwrap();
    assert_eq!(speed.kind, AttributeType::Integer);
}

#[test]
fn bad_documents_are_invalid_syntax_errors() {
    for bad in [
        "",
        "{",
        "42",
        r#"{"attributes": []}"#,
        r#"{"id": "", "attributes": []}"#,
        r#"{"id": "urn:x", "attributes": [{"name": "a", "type": "text"}]}"#,
        r#"{"id": "urn:x", "attributes": [{"name": "a"}, {"name": "A"}]}"#,
        r#"{"id": "urn:x", "attributes": [{"name": ""}]}"#,
        r#"{"id": "urn:x", "attributes": [{"name": "a", "mutability": "sometimes"}]}"#,
        r#"{"Resources": {"id": "urn:x"}}"#,
        r#"{"id": "urn:x", "attributes": [{"name": "c", "type": "complex", "subAttributes": [{"name": "s"}, {"name": "S"}]}]}"#,
    ] {
        let err = Schema::list_from_json(bad).unwrap_err();
        let scim = scimkit_schema::ScimError::from(err);
        assert_eq!(scim.scim_type(), Some(&ScimType::InvalidSyntax), "{bad}");
    }
    // Deep nesting is a clean error (serde_json's recursion limit), not a stack overflow.
    let deep = "[".repeat(100_000);
    assert!(Schema::list_from_json(&deep).is_err());
}

#[test]
fn builtin_show_matches_file() {
    let shown = serde_json::to_value(builtin::user()).unwrap();
    assert_eq!(shown["attributes"][0]["name"], "userName");
    assert_eq!(
        shown["schemas"][0],
        "urn:ietf:params:scim:schemas:core:2.0:Schema"
    );
}

#[test]
fn empty_list_response_is_an_empty_list() {
    let empty =
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}"#;
    assert_eq!(Schema::list_from_json(empty).unwrap(), Vec::<Schema>::new());
    assert!(ResourceType::list_from_json(empty).unwrap().is_empty());
}

#[test]
fn resource_types_are_checked() {
    for bad in [
        r#"{"name": "", "endpoint": "/Users", "schema": "urn:x"}"#,
        r#"{"name": "User", "endpoint": " ", "schema": "urn:x"}"#,
        r#"{"name": "User", "endpoint": "/Users", "schema": ""}"#,
        r#"{"name": "User", "endpoint": "/Users", "schema": "urn:x", "schemaExtensions": [{"schema": "URN:X"}]}"#,
        r#"{"name": "User", "endpoint": "/Users", "schema": "urn:x", "schemaExtensions": [{"schema": "urn:y"}, {"schema": "urn:y"}]}"#,
    ] {
        assert!(ResourceType::list_from_json(bad).is_err(), "{bad}");
    }
}

#[test]
fn builtin_schemas_plug_into_resource_schema() {
    let rt = builtin::resource_types()[0].clone();
    let rs = ResourceSchema::new(rt, builtin::schemas()).unwrap();
    assert_eq!(rs.extensions().count(), 1);
}
