//! The `scimkit` binary from the outside: arguments in, stdout and exit code out.

mod common;
use common::{scimkit, stderr, stdout};

use serde_json::{json, Value};

#[test]
fn schema_show_user_prints_the_complete_rfc_schema() {
    let out = scimkit(&["schema", "show", "User"], "");
    assert!(out.status.success());
    let shown: Value = serde_json::from_str(stdout(&out)).unwrap();
    let rfc: Value =
        serde_json::from_str(include_str!("../../scimkit-schema/schemas/user.json")).unwrap();
    assert_eq!(shown["id"], "urn:ietf:params:scim:schemas:core:2.0:User");
    assert_eq!(
        shown["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"])
    );
    let names = |v: &Value| -> Vec<(String, Vec<String>)> {
        v["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let subs = a["subAttributes"]
                    .as_array()
                    .map(|s| {
                        s.iter()
                            .map(|x| x["name"].as_str().unwrap().to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                (a["name"].as_str().unwrap().to_owned(), subs)
            })
            .collect()
    };
    assert_eq!(names(&shown), names(&rfc));
    assert_eq!(names(&shown).len(), 21);
    // Every characteristic the RFC states is printed with the RFC's value.
    for (shown_attr, rfc_attr) in shown["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(rfc["attributes"].as_array().unwrap())
    {
        for (key, value) in rfc_attr.as_object().unwrap() {
            if key != "subAttributes" && !(key == "canonicalValues" && value == &json!([])) {
                assert_eq!(&shown_attr[key], value, "{} {key}", rfc_attr["name"]);
            }
        }
    }
}

#[test]
fn schema_show_by_urn_and_unknown() {
    let out = scimkit(
        &[
            "schema",
            "show",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        ],
        "",
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(v["attributes"].as_array().unwrap().len(), 6);
    let out = scimkit(&["schema", "show", "Device"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no built-in schema"));
}

#[test]
fn schema_resolve_jsonl_exact_lines() {
    let input = [
        r#"{"resourceType": "User", "path": "name.familyName"}"#,
        r#"{"resourceType": "User", "path": "a..b"}"#,
        r#"{"resourceType": "User", "path": "nickname"}"#,
        r#"{"resourceType": "User", "path": "nosuch"}"#,
        "not json",
        r#"{"resourceType": "User", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"}"#,
        r#"{"resourceType": "Group", "path": "members"}"#,
        r#"{"resourceType": "User", "path": "meta.lastModified"}"#,
        r#"{"resourceType": "User"}"#,
        r#"{"resourceType": "User", "path": "id"}"#,
    ]
    .join("\n");
    let out = scimkit(&["schema", "resolve", "--jsonl"], &input);
    assert!(out.status.success());
    let lines: Vec<&str> = stdout(&out).lines().collect();
    let want = [
        r#"{"schema":"urn:ietf:params:scim:schemas:core:2.0:User","attribute":"name","subAttribute":"familyName","type":"string","multiValued":false,"caseExact":false,"mutability":"readWrite","returned":"default"}"#,
        r#"{"error":{"status":400,"scimType":"invalidPath","detail":"invalid attribute path at byte 2: expected an attribute name (a letter, or `$ref`), found '.'"}}"#,
        r#"{"schema":"urn:ietf:params:scim:schemas:core:2.0:User","attribute":"nickName","subAttribute":null,"type":"string","multiValued":false,"caseExact":false,"mutability":"readWrite","returned":"default"}"#,
        r#"{"error":{"status":400,"scimType":"invalidPath","detail":"attribute path \"nosuch\": no such attribute in resource type User"}}"#,
        r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: expected ident at line 1 column 2"}}"#,
        r#"{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","attribute":"manager","subAttribute":"value","type":"string","multiValued":false,"caseExact":false,"mutability":"readWrite","returned":"default"}"#,
        r#"{"schema":"urn:ietf:params:scim:schemas:core:2.0:Group","attribute":"members","subAttribute":null,"type":"complex","multiValued":true,"caseExact":false,"mutability":"readWrite","returned":"default"}"#,
        r#"{"schema":"urn:ietf:params:scim:schemas:core:2.0:User","attribute":"meta","subAttribute":"lastModified","type":"dateTime","multiValued":false,"caseExact":false,"mutability":"readOnly","returned":"default"}"#,
        r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `path`"}}"#,
        r#"{"schema":"urn:ietf:params:scim:schemas:core:2.0:User","attribute":"id","subAttribute":null,"type":"string","multiValued":false,"caseExact":true,"mutability":"readOnly","returned":"always"}"#,
    ];
    assert_eq!(lines.len(), want.len());
    for (got, want) in lines.iter().zip(want) {
        assert_eq!(*got, want);
    }
}

#[test]
fn schema_resolve_single_path() {
    let out = scimkit(
        &[
            "schema",
            "resolve",
            "--resource-type",
            "Group",
            "displayName",
        ],
        "",
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(v["attribute"], "displayName");
    // An error goes to stderr, not stdout.
    let out = scimkit(&["schema", "resolve", "name.x"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let v: Value = serde_json::from_str(stderr(&out)).unwrap();
    assert_eq!(v["error"]["scimType"], "invalidPath");
}
