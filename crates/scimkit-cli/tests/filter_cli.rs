//! `scimkit filter ...` from the outside: arguments in, stdout, stderr and
//! exit code out.

mod common;
use common::{assert_lines, scimkit, stderr, stdout};

use serde_json::{json, Value};

/// A file under the test target directory, unique per test.
fn temp_file(name: &str, contents: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("write temp file");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn parse_prints_the_canonical_form() {
    for (input, canonical) in [
        (r#"userName Eq "john""#, r#"userName eq "john""#),
        (
            "a eq 1 and (b eq 2 or c eq 3)",
            "a eq 1 and (b eq 2 or c eq 3)",
        ),
        ("not(x pr)", "not (x pr)"),
        ("((a pr)) AND b pr", "a pr and b pr"),
        (
            r#"emails[type eq "work" and not (value ew ".org")]"#,
            r#"emails[type eq "work" and not (value ew ".org")]"#,
        ),
    ] {
        let out = scimkit(&["filter", "parse", input], "");
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        assert_eq!(stdout(&out), format!("{canonical}\n"), "{input}");
        assert_eq!(stderr(&out), "");
    }
}

#[test]
fn parse_ast_prints_the_tree_with_spans() {
    let input = r#"userName eq "bjensen" and (emails[type eq "work"] or not (x pr) or y eq null)"#;
    let out = scimkit(&["filter", "parse", "--ast", input], "");
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().count(), 1);
    let want = json!({
        "op": "and", "span": [0, 77], "children": [
            {"op": "eq", "path": "userName", "value": "bjensen", "span": [0, 21]},
            {"op": "or", "span": [27, 76], "children": [
                {"op": "valuePath", "path": "emails", "span": [27, 49],
                 "filter": {"op": "eq", "path": "type", "value": "work", "span": [34, 48]}},
                {"op": "not", "span": [53, 63],
                 "filter": {"op": "pr", "path": "x", "span": [58, 62]}},
                {"op": "eq", "path": "y", "value": null, "span": [67, 76]},
            ]},
        ],
    });
    let got: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(got, want);
    // Members in a fixed order: op, path, value, span, then the operands.
    assert_eq!(
        scimkit(&["filter", "parse", "--ast", "not (a eq 1)"], "").stdout,
        b"{\"op\":\"not\",\"span\":[0,12],\"filter\":{\"op\":\"eq\",\"path\":\"a\",\"value\":1,\"span\":[5,11]}}\n"
    );
    // Every span is the text of its node.
    fn check_spans(node: &Value, input: &str) {
        let span = node["span"].as_array().unwrap();
        let (s, e) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
        let text = &input[s as usize..e as usize];
        if let Some(path) = node.get("path") {
            assert!(text.starts_with(path.as_str().unwrap()), "{text}");
        }
        let inner = node.get("filter").into_iter();
        let children = node["children"].as_array().into_iter().flatten();
        for child in inner.chain(children) {
            check_spans(child, input);
        }
    }
    check_spans(&got, input);
}

#[test]
fn parse_error_exits_1_with_a_caret_line() {
    let out = scimkit(&["filter", "parse", "userName eq bjensen"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_lines(
        stderr(&out),
        &[
            "scimkit: invalid filter at byte 12: expected a JSON value: a \"string\", a number, true, false or null, found 'b'",
            "userName eq bjensen",
            "            ^",
        ],
    );
    let out = scimkit(&["filter", "parse", "--ast", "a eq 1 and"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().nth(2), Some("          ^"));
}

#[test]
fn parse_jsonl_exact_lines() {
    let input = [
        r#"{"filter": "userName Eq \"john\""}"#,
        r#"{"filter": "userName eq"}"#,
        "not json",
        r#"{"filter": "not(x pr) or a eq 1 and b eq 2"}"#,
        r#"{"filter": 7}"#,
        r#"{}"#,
        "",
        r#"{"filter": "emails[type eq \"work\"]"}"#,
    ]
    .join("\n");
    let out = scimkit(&["filter", "parse", "--jsonl"], &input);
    assert!(out.status.success());
    assert_lines(
        stdout(&out),
        &[
            r#"{"canonical":"userName eq \"john\""}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid filter at byte 11: expected a space and a value after the operator, found end of input"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: expected ident at line 1 column 2"}}"#,
            r#"{"canonical":"not (x pr) or a eq 1 and b eq 2"}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`filter` must be a string"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `filter`"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: EOF while parsing a value at line 1 column 0"}}"#,
            r#"{"canonical":"emails[type eq \"work\"]"}"#,
        ],
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn eval_jsonl_exact_lines() {
    let input = [
        r#"{"filter": "userName eq \"BJensen\"", "resource": {"userName": "bjensen"}}"#,
        r#"{"filter": "userName eq \"BJensen\"", "resource": {"userName": "alice"}}"#,
        r#"{"filter": "userName eq", "resource": {}}"#,
        "{oops",
        r#"{"filter": "id eq \"ABC\"", "resource": {"id": "abc"}}"#,
        r#"{"filter": "x pr"}"#,
        r#"{"filter": "x pr", "resource": []}"#,
        r#"{"filter": "active gt true", "resource": {"active": true}}"#,
        r#"{"filter": "emails[type eq \"work\" and value co \"@example\"]", "resource": {"emails": [{"type": "home", "value": "a@example.com"}, {"type": "work", "value": "b@other.org"}]}}"#,
        r#"{"filter": "emails.type eq \"work\" and emails.value co \"@example\"", "resource": {"emails": [{"type": "home", "value": "a@example.com"}, {"type": "work", "value": "b@other.org"}]}}"#,
        r#"{"resource": {}}"#,
    ]
    .join("\n");
    let out = scimkit(&["filter", "eval", "--jsonl"], &input);
    assert!(out.status.success());
    assert_lines(
        stdout(&out),
        &[
            r#"{"match":true}"#,
            r#"{"match":false}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid filter at byte 11: expected a space and a value after the operator, found end of input"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: key must be a string at line 1 column 2"}}"#,
            r#"{"match":false}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `resource`"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`resource` must be a JSON object"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid filter at bytes 0..14: active gt true: `gt` is not defined for boolean attributes"}}"#,
            r#"{"match":false}"#,
            r#"{"match":true}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `filter`"}}"#,
        ],
    );
}

#[test]
fn eval_schema_user_compares_instants_none_compares_strings() {
    // 05:42:34+02:00 is 03:42:34Z, before 04:42:34Z; as a string it sorts after.
    let input = [
        r#"{"filter": "meta.lastModified gt \"2011-05-13T04:42:34Z\"", "resource": {"meta": {"lastModified": "2011-05-13T05:42:34+02:00"}}}"#,
        r#"{"filter": "meta.lastModified gt \"2011-05-13T04:42:34Z\"", "resource": {"meta": {"lastModified": "2011-05-13T06:42:35+02:00"}}}"#,
        r#"{"filter": "id eq \"ABC\"", "resource": {"id": "abc"}}"#,
        r#"{"filter": "meta.lastModified gt \"yesterday\"", "resource": {}}"#,
    ]
    .join("\n");
    let user = scimkit(&["filter", "eval", "--jsonl"], &input);
    let explicit = scimkit(&["filter", "eval", "--jsonl", "--schema", "User"], &input);
    let none = scimkit(&["filter", "eval", "--jsonl", "--schema", "none"], &input);
    assert_eq!(user.stdout, explicit.stdout);
    assert_lines(
        stdout(&user),
        &[
            r#"{"match":false}"#,
            r#"{"match":true}"#,
            r#"{"match":false}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid filter at bytes 0..32: meta.lastModified gt \"yesterday\": \"yesterday\" is not an xsd:dateTime such as \"2011-05-13T04:42:34Z\""}}"#,
        ],
    );
    assert_lines(
        stdout(&none),
        &[
            r#"{"match":true}"#,
            r#"{"match":true}"#,
            r#"{"match":true}"#,
            r#"{"match":false}"#,
        ],
    );
    let group = scimkit(&["filter", "eval", "--jsonl", "--schema", "group"], &input);
    assert!(group.status.success());
    let bad = scimkit(&["filter", "eval", "--jsonl", "--schema", "Device"], "");
    assert_eq!(bad.status.code(), Some(2));
}

const RESOURCES: &str = r#"  [
  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "bjensen",
   "displayName": "B], \"J\" [{", "emails": [ {"value": "bj@example.com", "type": "work"} ]},
  {"id": "abc", "userName": "alice"},
  42,
  {"userName": "BJENSEN", "id": "3"}
]
"#;

#[test]
fn eval_filter_over_a_json_array_file() {
    let path = temp_file("filter_eval_array.json", RESOURCES);
    let out = scimkit(
        &[
            "filter",
            "eval",
            "--filter",
            r#"userName eq "bjensen""#,
            &path,
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Compact, members and escapes as in the input, input order.
    assert_lines(
        stdout(&out),
        &[
            r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen","displayName":"B], \"J\" [{","emails":[{"value":"bj@example.com","type":"work"}]}"#,
            r#"{"userName":"BJENSEN","id":"3"}"#,
        ],
    );
    assert_eq!(
        stderr(&out),
        "scimkit: line 5: array element 3 is not a JSON object, skipped\n"
    );
    // Same from stdin, with `-`.
    let stdin = scimkit(
        &["filter", "eval", "-f", r#"userName eq "bjensen""#, "-"],
        RESOURCES,
    );
    assert_eq!(stdin.stdout, out.stdout);
    // `id` is caseExact in the User schema; without a schema strings
    // compare case-insensitively.
    let user = scimkit(&["filter", "eval", "-f", r#"id eq "ABC""#, &path], "");
    assert_eq!(stdout(&user), "");
    let none = scimkit(
        &[
            "filter",
            "eval",
            "-f",
            r#"id eq "ABC""#,
            "--schema",
            "none",
            &path,
        ],
        "",
    );
    assert_lines(stdout(&none), &[r#"{"id":"abc","userName":"alice"}"#]);
    // No array element at all.
    let empty = scimkit(&["filter", "eval", "-f", "id pr"], " \n [ ] \n");
    assert!(empty.status.success());
    assert_eq!(stdout(&empty), "");
}

#[test]
fn eval_filter_over_jsonl_on_stdin_skips_broken_lines() {
    let input = [
        r#"{"userName": "bjensen",   "id": "1"}"#,
        "",
        "{broken",
        r#"{"userName": "alice"}"#,
        "[1, 2]",
        "{\"userName\": \"BJensen\", \"nickName\": \"B J\"}\r",
    ]
    .join("\n");
    let out = scimkit(
        &["filter", "eval", "--filter", r#"userName eq "bjensen""#],
        &input,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_lines(
        stdout(&out),
        &[
            r#"{"userName":"bjensen","id":"1"}"#,
            r#"{"userName":"BJensen","nickName":"B J"}"#,
        ],
    );
    assert_lines(
        stderr(&out),
        &[
            "scimkit: line 3, column 2: not JSON (key must be a string), skipped",
            "scimkit: line 5: not a JSON object, skipped",
        ],
    );
    // Leading blank lines count.
    let out = scimkit(
        &["filter", "eval", "-f", "title pr"],
        "\n\n  {\"title\": 1}\n{\"title\"\n",
    );
    assert_eq!(stdout(&out), "{\"title\":1}\n");
    assert!(stderr(&out)
        .starts_with("scimkit: line 4, column 8: not JSON (EOF while parsing an object)"));
}

#[test]
fn eval_filter_failures() {
    // A filter that does not parse: caret rendering, exit 1, nothing read.
    let out = scimkit(
        &["filter", "eval", "-f", "userName eq"],
        "{\"userName\": \"title\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_lines(
        stderr(&out),
        &[
            "scimkit: invalid filter at byte 11: expected a space and a value after the operator, found end of input",
            "userName eq",
            "           ^",
        ],
    );
    // A filter the schema rejects: exit 1; without a schema it runs.
    let out = scimkit(&["filter", "eval", "-f", "active gt true"], "{}\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "scimkit: invalid filter for resource type User: invalid filter at bytes 0..14: active gt true: `gt` is not defined for boolean attributes\n"
    );
    let out = scimkit(
        &["filter", "eval", "-f", "active gt true", "--schema", "none"],
        "{}\n",
    );
    assert_eq!(out.status.code(), Some(0));
    // A malformed array: the matches before the problem, then exit 1.
    let out = scimkit(
        &["filter", "eval", "-f", "title pr"],
        "[{\"title\": 1},\n {\"title\": 2} {\"title\": 3}]",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "{\"title\":1}\n");
    assert_eq!(
        stderr(&out),
        "scimkit: line 2: array element 2 is not JSON (trailing characters)\n"
    );
    for (input, message) in [
        (
            "[{\"title\": 1},",
            "line 1: input ended inside the JSON array",
        ),
        (
            "[{\"title\": 1},]",
            "line 1: array element 2: expected a value",
        ),
        ("[]\n[]", "line 2: unexpected input after the JSON array"),
    ] {
        let out = scimkit(&["filter", "eval", "-f", "title pr"], input);
        assert_eq!(out.status.code(), Some(1), "{input}");
        assert_eq!(stderr(&out), format!("scimkit: {message}\n"), "{input}");
    }
    // A file that cannot be opened: exit 2.
    let out = scimkit(
        &[
            "filter",
            "eval",
            "-f",
            "title pr",
            "/nonexistent/resources.json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("scimkit: cannot open /nonexistent/resources.json"));
    // Usage errors.
    for args in [
        &["filter", "eval"][..],
        &["filter", "eval", "--jsonl", "-f", "title pr"],
        &["filter", "parse"],
        &["filter", "parse", "--jsonl", "title pr"],
        &["filter", "parse", "--jsonl", "--ast"],
    ] {
        assert_eq!(scimkit(args, "").status.code(), Some(2), "{args:?}");
    }
}

/// The filter evaluation cases of scimkit-filter (`tests/data/filter-eval.json`)
/// replayed through `filter eval --jsonl`, once per schema each case names:
/// every output line is the case's expected match or error.
#[test]
fn jsonl_replays_the_filter_eval_cases() {
    let data: Value = serde_json::from_str(include_str!(
        "../../scimkit-filter/tests/data/filter-eval.json"
    ))
    .unwrap();
    let cases = data.as_array().unwrap();
    let mut replayed = 0;
    for schema in ["User", "none"] {
        let chosen: Vec<&Value> = cases
            .iter()
            .filter(|c| match &c["schema"] {
                Value::Null => schema == "User",
                Value::String(s) => s == schema,
                Value::Array(list) => list.iter().any(|s| s == schema),
                _ => false,
            })
            .collect();
        let input: String = chosen.iter().map(|c| format!("{c}\n")).collect();
        let out = scimkit(&["filter", "eval", "--jsonl", "--schema", schema], &input);
        assert!(out.status.success(), "{}", stderr(&out));
        let lines: Vec<Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), chosen.len());
        for (case, got) in chosen.iter().zip(&lines) {
            let name = case["name"].as_str().unwrap();
            match (case.get("expect"), case.get("error")) {
                (Some(want), _) => assert_eq!(&got["match"], want, "{name} ({schema}): {got}"),
                (None, Some(err)) => assert_eq!(
                    got["error"]["scimType"], err["scimType"],
                    "{name} ({schema}): {got}"
                ),
                _ => panic!("{name}: no expectation"),
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 200, "{replayed}");
}

/// Entra's `emails[type eq "work"].value eq "x"`: refused by default with a
/// hint naming the switch, accepted with `--compat entra` (any case).
#[test]
fn entra_lookup_form_needs_compat_entra_and_says_so() {
    let text = r#"emails[type eq "work"].value eq "x""#;
    let out = scimkit(&["filter", "parse", text], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out)
        .contains("hint: this is Microsoft Entra's lookup form; `--compat entra` accepts it"));
    let out = scimkit(&["filter", "parse", "--compat", "Entra", text], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_lines(
        stdout(&out),
        &[r#"emails[type eq "work" and value eq "x"]"#],
    );
    let line = json!({"filter": text, "resource": {"emails": [{"type": "work", "value": "X"}]}});
    let out = scimkit(&["filter", "eval", "--jsonl"], &format!("{line}\n"));
    let got: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(got["error"]["scimType"], "invalidFilter");
    assert!(got["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("--compat entra"));
    let out = scimkit(
        &["filter", "eval", "--jsonl", "--compat", "entra"],
        &format!("{line}\n"),
    );
    assert_lines(stdout(&out), &[r#"{"match":true}"#]);
}

/// An attribute the schema does not define matches nothing, with a warning.
#[test]
fn unknown_attributes_match_nothing_with_a_warning() {
    let out = scimkit(
        &["filter", "eval", "-f", r#"usrName eq "a""#],
        "{\"userName\": \"a\"}\n",
    );
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("warning:") && stderr(&out).contains("usrName"));
    let out = scimkit(
        &["filter", "eval", "-f", r#"userName eq "a""#],
        "{\"userName\": \"a\"}\n",
    );
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}
