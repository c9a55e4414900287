//! Evaluation semantics, one rule at a time (RFC 7644 §3.4.2.2, RFC 7643 §2.5).

use scimkit_filter::{CompileOptions, Filter};
use scimkit_schema::{ResourceSchema, ScimType};
use serde_json::{json, Value};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The RFC 7643 §8.2 style user, trimmed.
fn bjensen() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Babs Jensen",
        "title": "Tour Guide",
        "userType": "Employee",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "ims": [{"value": "someaimhandle", "type": "aim"}],
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W/\"3694e05e9dff591\""
        },
        ENT: {"employeeNumber": "701984", "department": "Tour Operations",
              "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}}
    })
}

fn schema_match(filter: &str, resource: &Value) -> bool {
    Filter::parse(filter)
        .unwrap_or_else(|e| panic!("{}", e.render(filter)))
        .compile(ResourceSchema::user())
        .unwrap_or_else(|e| panic!("{filter}: {e}"))
        .matches(resource)
}

fn plain_match(filter: &str, resource: &Value) -> bool {
    Filter::parse(filter).unwrap().matches(resource)
}

/// Both modes agree on these.
fn both(filter: &str, resource: &Value) -> bool {
    let a = schema_match(filter, resource);
    assert_eq!(
        a,
        plain_match(filter, resource),
        "schema vs schemaless: {filter}"
    );
    a
}

fn compile_err(filter: &str) -> String {
    let err = Filter::parse(filter)
        .unwrap()
        .compile(ResourceSchema::user())
        .expect_err(filter);
    assert_eq!(err.scim_type(), Some(&ScimType::InvalidFilter), "{filter}");
    assert_eq!(err.status(), 400);
    err.detail().unwrap_or_default().to_owned()
}

#[test]
fn rfc_7644_examples_evaluate_as_described() {
    let u = bjensen();
    let yes = [
        r#"userName eq "bjensen@example.com""#,
        r#"userName Eq "BJENSEN@example.com""#,
        r#"name.familyName co "ense""#,
        r#"userName sw "BJ""#,
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj""#,
        "title pr",
        r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified gt "2011-05-13T04:00:00Z""#,
        r#"title pr and userType eq "Employee""#,
        r#"title pr or userType eq "Intern""#,
        r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
        r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
        r#"userType eq "Employee" and (emails.type eq "work")"#,
        r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
        r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName sw "john""#,
    ];
    for f in yes {
        assert!(schema_match(f, &u), "should match: {f}");
    }
    let no = [
        r#"userName eq "bjensen""#,
        r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
        r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
        r#"title pr and userType eq "Intern""#,
        r#"emails[type eq "home" and value co "@example.com"]"#,
    ];
    for f in no {
        assert!(!schema_match(f, &u), "should not match: {f}");
    }
}

#[test]
fn multi_valued_any_match_vs_value_path() {
    let u = json!({"emails": [
        {"type": "work", "value": "a@home.org"},
        {"type": "home", "value": "b@example.com"}
    ]});
    // Two different emails satisfy the two conditions: the flat form matches...
    assert!(both(
        r#"emails.type eq "work" and emails.value co "example.com""#,
        &u
    ));
    // ...the value path needs one email to satisfy both.
    assert!(!both(
        r#"emails[type eq "work" and value co "example.com"]"#,
        &u
    ));
    assert!(both(
        r#"emails[type eq "home" and value co "example.com"]"#,
        &u
    ));
    assert!(both(r#"emails[not (type eq "work")]"#, &u));
    assert!(both(r#"emails[type eq "work" or value eq "nope"]"#, &u));
}

#[test]
fn complex_without_sub_attribute_compares_value() {
    let u = bjensen();
    assert!(both(r#"emails co "jensen.org""#, &u));
    assert!(both(r#"emails ew "@EXAMPLE.COM""#, &u));
    assert!(!both(r#"emails co "work""#, &u), "type is not compared");
    // A complex attribute without `value` cannot be compared.
    assert!(compile_err(r#"name eq "Jensen""#).contains("complex"));
}

#[test]
fn present_semantics() {
    let cases = [
        (json!({"title": "x"}), true),
        (json!({"title": ""}), false),
        (json!({"title": null}), false),
        (json!({}), false),
        (json!({"emails": []}), false),
        (json!({"emails": [{}]}), false),
        (json!({"emails": [{"value": ""}]}), false),
        (json!({"emails": [{"value": "a"}]}), true),
        (json!({"name": {}}), false),
        (json!({"name": {"givenName": null}}), false),
        (json!({"name": {"givenName": "B"}}), true),
        (json!({"active": false}), true),
    ];
    for (resource, want) in cases {
        let attr = resource
            .as_object()
            .unwrap()
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "title".into());
        assert_eq!(both(&format!("{attr} pr"), &resource), want, "{resource}");
    }
    assert!(both(
        "emails.value pr",
        &json!({"emails": [{"value": ""}, {"value": "x"}]})
    ));
    assert!(!both(
        "emails.value pr",
        &json!({"emails": [{"type": "work"}]})
    ));
}

#[test]
fn missing_attribute_rules() {
    let u = json!({"userName": "b"});
    assert!(!both(r#"title eq "x""#, &u));
    assert!(
        both(r#"title ne "x""#, &u),
        "ne is 'not identical': true for no value"
    );
    assert!(
        both("title eq null", &u),
        "unassigned equals null (RFC 7643 §2.5)"
    );
    assert!(!both("title ne null", &u));
    assert!(both("userName ne null", &u));
    assert!(!both("userName eq null", &u));
    assert!(both("title eq null", &json!({"title": null})));
    assert!(both("emails eq null", &json!({"emails": []})));
    for op in ["co", "sw", "ew", "gt", "ge", "lt", "le"] {
        assert!(!both(&format!(r#"title {op} "x""#), &u), "{op}");
        assert!(both(&format!(r#"not (title {op} "x")"#), &u), "not {op}");
    }
    assert!(!both("title pr", &u));
    assert!(both("not (title pr)", &u));
}

#[test]
fn ne_on_multi_valued_is_no_value_equal() {
    let u = bjensen();
    assert!(!both(r#"emails.type ne "work""#, &u), "one email is work");
    assert!(both(r#"emails.type ne "other""#, &u));
}

#[test]
fn undefined_attributes_have_no_value_unless_strict() {
    let u = json!({"userName": "b", "nosuch": "x"});
    // Present in the JSON, but the User schema does not define it.
    assert!(!schema_match(r#"nosuch eq "x""#, &u));
    assert!(schema_match(r#"not (nosuch eq "x")"#, &u));
    assert!(schema_match(r#"nosuch ne "x""#, &u));
    assert!(!schema_match("nosuch pr", &u));
    assert!(!schema_match(r#"name.nosuch eq "x""#, &u));
    assert!(!schema_match(
        r#"emails[nosuch eq "x"]"#,
        &json!({"emails": [{"nosuch": "x"}]})
    ));
    // Without a schema the attribute is simply there.
    assert!(plain_match(r#"nosuch eq "x""#, &u));
    // Strict mode rejects.
    let strict = CompileOptions::default().strict_attributes(true);
    for f in [
        r#"nosuch eq "x""#,
        "name.nosuch pr",
        r#"emails[nosuch eq "x"]"#,
    ] {
        let err = Filter::parse(f)
            .unwrap()
            .compile_with(ResourceSchema::user(), strict)
            .expect_err(f);
        assert_eq!(err.scim_type(), Some(&ScimType::InvalidFilter));
        assert!(err.detail().unwrap().contains("nosuch"), "{err}");
    }
}

#[test]
fn case_exact_follows_the_schema() {
    let u = bjensen();
    // id and externalId are caseExact (RFC 7643 §3.1).
    assert!(schema_match(
        r#"id eq "2819c223-7f76-453a-919d-413861904646""#,
        &u
    ));
    assert!(!schema_match(
        r#"id eq "2819C223-7F76-453A-919D-413861904646""#,
        &u
    ));
    assert!(plain_match(
        r#"id eq "2819C223-7F76-453A-919D-413861904646""#,
        &u
    ));
    // userName is not.
    assert!(schema_match(r#"userName eq "BJENSEN@EXAMPLE.COM""#, &u));
    // meta.version is caseExact.
    assert!(!schema_match(
        r#"meta.version eq "w/\"3694E05E9DFF591\"""#,
        &u
    ));
    // Unicode folding.
    assert!(both(
        r#"displayName eq "STRASSE""#,
        &json!({"displayName": "Straße"})
    ));
}

#[test]
fn datetimes_compare_as_instants_with_a_schema() {
    let u = json!({"meta": {"lastModified": "2011-05-13T06:42:34+02:00"}});
    assert!(schema_match(
        r#"meta.lastModified eq "2011-05-13T04:42:34Z""#,
        &u
    ));
    assert!(
        !plain_match(r#"meta.lastModified eq "2011-05-13T04:42:34Z""#, &u),
        "schemaless: strings"
    );
    let u = json!({"meta": {"lastModified": "2011-05-13T05:42:34+02:00"}});
    assert!(!schema_match(
        r#"meta.lastModified gt "2011-05-13T04:00:00Z""#,
        &u
    ));
    assert!(plain_match(
        r#"meta.lastModified gt "2011-05-13T04:00:00Z""#,
        &u
    ));
    // A bad dateTime literal is a compile error; a bad stored one just does not match.
    assert!(compile_err(r#"meta.created gt "yesterday""#).contains("xsd:dateTime"));
    assert!(!schema_match(
        r#"meta.created gt "2000-01-01T00:00:00Z""#,
        &json!({"meta": {"created": "soon"}})
    ));
}

#[test]
fn operators_the_rfc_forbids() {
    assert!(compile_err("active gt true").contains("boolean"));
    // The detail names the clause's byte range.
    assert_eq!(
        compile_err("userName pr and active gt true"),
        "invalid filter at bytes 16..30: active gt true: `gt` is not defined for boolean attributes"
    );
    assert!(compile_err(r#"x509Certificates.value lt "QUJD""#).contains("binary"));
    assert!(compile_err(r#"active co "tr""#).contains("boolean"));
    assert!(compile_err("userName gt null").contains("null"));
    // Type-mismatched literals.
    assert!(compile_err("userName eq 5").contains("number"));
    assert!(compile_err(r#"active eq "true""#).contains("string"));
    // A bare schema URN is not an attribute.
    compile_err(&format!("{ENT} pr"));
    // A value filter on a simple attribute.
    assert!(compile_err(r#"userName[value eq "x"]"#).contains("complex"));
    // Inside a value filter, names are sub-attributes.
    compile_err(r#"emails[emails.type eq "work"]"#);
    // Schemaless: no match instead of an error.
    assert!(!plain_match("active gt true", &json!({"active": true})));
    assert!(!plain_match(r#"active co "tr""#, &json!({"active": true})));
}

#[test]
fn booleans_and_numbers() {
    let u = json!({"active": true, "x": 10});
    assert!(both("active eq true", &u));
    assert!(!both("active eq false", &u));
    assert!(both("active ne false", &u));
    assert!(plain_match("x gt 9.5", &u));
    assert!(plain_match("x eq 10.0", &u));
    assert!(plain_match("x le 1e1", &u));
}

#[test]
fn extension_attributes_by_urn_and_unqualified() {
    let u = bjensen();
    assert!(schema_match(r#"employeeNumber eq "701984""#, &u));
    assert!(schema_match(
        &format!(r#"{ENT}:department eq "tour operations""#),
        &u
    ));
    assert!(schema_match(&format!("{ENT}:manager.value pr"), &u));
    // The key is found whatever its case.
    let upper = json!({ENT.to_uppercase(): {"employeeNumber": "1"}});
    assert!(schema_match(r#"employeeNumber eq "1""#, &upper));
    // Schemaless: a URN-qualified path looks in the object under that URN.
    assert!(plain_match(
        &format!(r#"{ENT}:employeeNumber eq "701984""#),
        &u
    ));
    assert!(plain_match(
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj""#,
        &u
    ));
}

#[test]
fn attribute_names_are_case_insensitive_in_resources() {
    let u = json!({"USERNAME": "b", "Emails": [{"TYPE": "work", "Value": "x@y"}]});
    assert!(both(r#"userName eq "b""#, &u));
    assert!(both(r#"emails[type eq "work" and value eq "x@y"]"#, &u));
    assert!(both(r#"emails.value eq "x@y""#, &u));
}

#[test]
fn non_object_resources_never_match() {
    for r in [json!(null), json!([]), json!("x"), json!(1)] {
        assert!(!both("userName pr", &r));
        assert!(both("userName eq null", &r));
    }
}
