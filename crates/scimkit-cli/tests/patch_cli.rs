//! `scimkit patch ...` from the outside: arguments in, stdout, stderr and
//! exit code out.

mod common;
use common::{assert_lines, scimkit, stderr, stdout};

use std::path::PathBuf;

use serde_json::{json, Value};

/// A file in the system temp directory, unique per process and name;
/// removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("scimkit-patch-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("write temp file");
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn request(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba",
        "displayName": "Tour Guides",
        "members": [{"value": "2819c223"}]
    })
}

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "2819c223",
        "userName": "bjensen",
        "active": true
    })
}

/// The RFC 7644 §3.5.2.1 example: add a member to a Group.
fn add_member_line() -> String {
    json!({
        "resourceType": "Group",
        "resource": group(),
        "request": request(json!([
            {"op": "add", "path": "members", "value": [{"value": "902c246b"}]}
        ])),
    })
    .to_string()
}

/// What Microsoft Entra sends to deactivate a user.
fn entra_line() -> String {
    json!({
        "resource": user(),
        "request": request(json!([{"op": "Replace", "path": "active", "value": "False"}])),
    })
    .to_string()
}

fn replace_id_line() -> String {
    json!({
        "resource": user(),
        "request": request(json!([
            {"op": "replace", "path": "userName", "value": "babs"},
            {"op": "replace", "path": "id", "value": "new-id"}
        ])),
    })
    .to_string()
}

const PATCHED_GROUP: &str = r#"{"resource":{"displayName":"Tour Guides","id":"e9e30dba","members":[{"value":"2819c223"},{"value":"902c246b"}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]}}"#;
const INACTIVE_USER: &str = r#"{"resource":{"active":false,"id":"2819c223","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen"}}"#;
const ID_IS_READ_ONLY: &str =
    r#"{"error":{"status":400,"scimType":"mutability","detail":"Operations[1]: id is readOnly"}}"#;

#[test]
fn jsonl_applies_an_rfc_add_member_to_a_group() {
    let out = scimkit(&["patch", "apply", "--jsonl"], &add_member_line());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_lines(stdout(&out), &[PATCHED_GROUP]);
    // --schema applies when the line has no resourceType.
    let mut line: Value = serde_json::from_str(&add_member_line()).unwrap();
    line.as_object_mut().unwrap().remove("resourceType");
    let line = line.to_string();
    let out = scimkit(&["patch", "apply", "--jsonl", "--schema", "Group"], &line);
    assert_lines(stdout(&out), &[PATCHED_GROUP]);
    // ...and the default is User, which has no `members`.
    let out = scimkit(&["patch", "apply", "--jsonl"], &line);
    assert_lines(
        stdout(&out),
        &[
            r#"{"error":{"status":400,"scimType":"invalidPath","detail":"Operations[0]: attribute path \"members\": no such attribute in resource type User"}}"#,
        ],
    );
}

#[test]
fn jsonl_entra_request_needs_compat_entra() {
    let out = scimkit(&["patch", "apply", "--jsonl"], &entra_line());
    assert!(out.status.success());
    assert_lines(
        stdout(&out),
        &[
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"Operations[0]: unknown op \"Replace\": expected add, remove or replace","hint":"capitalised ops are an Entra quirk: PatchOptions::op_any_case (`--compat entra` in the CLI)"}}"#,
        ],
    );
    // `--compat` ignores case, like `--schema`.
    for compat in ["entra", "Entra", "ENTRA"] {
        let out = scimkit(
            &["patch", "apply", "--jsonl", "--compat", compat],
            &entra_line(),
        );
        assert!(out.status.success());
        assert_lines(stdout(&out), &[INACTIVE_USER]);
    }
}

#[test]
fn jsonl_mutability_error_changes_nothing() {
    let out = scimkit(&["patch", "apply", "--jsonl"], &replace_id_line());
    assert!(out.status.success());
    assert_lines(stdout(&out), &[ID_IS_READ_ONLY]);
}

#[test]
fn jsonl_bad_lines_get_error_lines_and_the_batch_goes_on() {
    let input = [
        add_member_line(),
        String::from("not json"),
        String::new(),
        json!({"request": request(json!([]))}).to_string(),
        json!({"resource": user(), "request": [1]}).to_string(),
        json!({"resource": user(), "request": request(json!([])), "resourceType": "Widget"})
            .to_string(),
        json!({"resource": user(), "request": request(json!([])), "resourceType": 7}).to_string(),
        replace_id_line(),
        entra_line(),
        add_member_line(),
    ]
    .join("\n");
    let out = scimkit(&["patch", "apply", "--jsonl"], &input);
    assert!(out.status.success());
    assert_lines(
        stdout(&out),
        &[
            PATCHED_GROUP,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: expected ident at line 1 column 2"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: EOF while parsing a value at line 1 column 0"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `resource`"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`request` must be a JSON object"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidValue","detail":"unknown resource type \"Widget\" (built in: User, Group)"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`resourceType` must be a string"}}"#,
            ID_IS_READ_ONLY,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"Operations[0]: unknown op \"Replace\": expected add, remove or replace","hint":"capitalised ops are an Entra quirk: PatchOptions::op_any_case (`--compat entra` in the CLI)"}}"#,
            PATCHED_GROUP,
        ],
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn jsonl_changes_lists_what_changed() {
    let noop = json!({
        "resourceType": "Group",
        "resource": group(),
        "request": request(json!([{"op": "add", "path": "members", "value": [{"value": "2819c223"}]}])),
    })
    .to_string();
    let input = [add_member_line(), entra_line(), noop, replace_id_line()].join("\n");
    let out = scimkit(
        &[
            "patch",
            "apply",
            "--jsonl",
            "--changes",
            "--compat",
            "entra",
        ],
        &input,
    );
    assert!(out.status.success());
    assert_lines(
        stdout(&out),
        &[
            r#"{"resource":{"displayName":"Tour Guides","id":"e9e30dba","members":[{"value":"2819c223"},{"value":"902c246b"}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]},"changes":[{"path":"members","kind":"added","old":null,"new":{"value":"902c246b"}}]}"#,
            r#"{"resource":{"active":false,"id":"2819c223","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen"},"changes":[{"path":"active","kind":"replaced","old":true,"new":false}]}"#,
            r#"{"resource":{"displayName":"Tour Guides","id":"e9e30dba","members":[{"value":"2819c223"}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]},"changes":[]}"#,
            ID_IS_READ_ONLY,
        ],
    );
}

#[test]
fn file_mode_prints_the_patched_resource() {
    let req = TempFile::new(
        "ok-request.json",
        &request(json!([
            {"op": "add", "path": "members", "value": [{"value": "902c246b"}]},
            {"op": "replace", "path": "displayName", "value": "Guides"}
        ]))
        .to_string(),
    );
    let res = TempFile::new("ok-group.json", &group().to_string());
    let args = [
        "patch",
        "apply",
        "--schema",
        "Group",
        "--request",
        req.path(),
    ];
    let want = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba",
        "displayName": "Guides",
        "members": [{"value": "2819c223"}, {"value": "902c246b"}]
    });

    let out = scimkit(&[&args[..], &[res.path()]].concat(), "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        format!("{}\n", serde_json::to_string_pretty(&want).unwrap())
    );

    // The resource from stdin, with the changes.
    let out = scimkit(&[&args[..], &["--changes"]].concat(), &group().to_string());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({
            "resource": want,
            "changes": [
                {"path": "members", "kind": "added", "old": null, "new": {"value": "902c246b"}},
                {"path": "displayName", "kind": "replaced", "old": "Tour Guides", "new": "Guides"}
            ]
        })
    );
}

#[test]
fn file_mode_errors_exit_1_with_rfc_error_json_on_stderr() {
    let req = TempFile::new(
        "bad-request.json",
        &request(json!([{"op": "replace", "path": "id", "value": "x"}])).to_string(),
    );
    let res = TempFile::new("bad-user.json", &user().to_string());
    let out = scimkit(&["patch", "apply", "--request", req.path(), res.path()], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    // Members in the RFC's order.
    assert_eq!(
        stderr(&out),
        r#"{
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:Error"
  ],
  "status": "400",
  "scimType": "mutability",
  "detail": "Operations[0]: id is readOnly"
}
"#
    );

    // The Entra request: refused in strict mode, applied with --compat entra.
    let entra = TempFile::new(
        "entra-request.json",
        &request(json!([{"op": "Replace", "path": "active", "value": "False"}])).to_string(),
    );
    let out = scimkit(
        &["patch", "apply", "--request", entra.path(), res.path()],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    // The RFC Error JSON, then the developer hint on a line of its own.
    let (json_text, hint) = stderr(&out).rsplit_once("\nhint: ").unwrap();
    let got: Value = serde_json::from_str(json_text).unwrap();
    assert_eq!(got["scimType"], "invalidSyntax");
    assert!(got.get("hint").is_none());
    assert!(hint.contains("--compat entra"), "{hint}");
    let out = scimkit(
        &[
            "patch",
            "apply",
            "--compat",
            "entra",
            "--request",
            entra.path(),
            res.path(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(got["active"], false);
}

#[test]
fn file_mode_unreadable_or_non_json_files_exit_2() {
    let req = TempFile::new(
        "io-request.json",
        &request(json!([{"op": "remove", "path": "active"}])).to_string(),
    );
    let res = TempFile::new("io-user.json", &user().to_string());
    let not_json = TempFile::new("io-not-json.json", "{\"id\": ");
    let missing = std::env::temp_dir().join(format!(
        "scimkit-patch-cli-{}-does-not-exist.json",
        std::process::id()
    ));
    let missing = missing.to_str().unwrap();
    for args in [
        ["--request", missing, res.path()],
        ["--request", req.path(), missing],
        ["--request", not_json.path(), res.path()],
        ["--request", req.path(), not_json.path()],
    ] {
        let out = scimkit(&[&["patch", "apply"], &args[..]].concat(), "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(
            stderr(&out).starts_with("scimkit: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // The same request and resource apply fine.
    let out = scimkit(&["patch", "apply", "--request", req.path(), res.path()], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(got.get("active"), None);
}

/// The PATCH conformance cases of scimkit-patch (`tests/data/*.json`),
/// replayed through `patch apply --jsonl`: each case is a valid input line,
/// and every output line gives the case's expected resource or error.
#[test]
fn jsonl_replays_the_patch_conformance_cases() {
    let files = [
        include_str!("../../scimkit-patch/tests/data/patch-rfc.json"),
        include_str!("../../scimkit-patch/tests/data/patch-semantics.json"),
    ];
    let mut replayed = 0;
    for compat in ["strict", "entra"] {
        let cases: Vec<Value> = files
            .iter()
            .flat_map(|text| {
                let data: Value = serde_json::from_str(text).unwrap();
                data["cases"].as_array().unwrap().clone()
            })
            .filter(|c| c["compat"].as_str().unwrap_or("strict") == compat)
            .collect();
        let input: String = cases.iter().map(|c| format!("{c}\n")).collect();
        let out = scimkit(&["patch", "apply", "--jsonl", "--compat", compat], &input);
        assert!(out.status.success(), "{}", stderr(&out));
        let lines: Vec<Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), cases.len());
        for (case, got) in cases.iter().zip(&lines) {
            let name = case["name"].as_str().unwrap();
            let expect = &case["expect"];
            if let Some(want) = expect.get("resource") {
                assert_eq!(&got["resource"], want, "{name}");
            } else {
                let t = got["error"]["scimType"].as_str().unwrap_or_default();
                let wanted = expect["error"].as_array().unwrap();
                assert!(wanted.iter().any(|w| w == t), "{name}: got {got}");
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 39, "{replayed}");
}
