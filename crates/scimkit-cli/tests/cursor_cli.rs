//! `scimkit cursor ...` from the outside: JSON lines in, exact JSON lines,
//! stderr and exit codes out.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const KEY_A: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const KEY_B: &str = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
const NOW: u64 = 1_750_000_000;

/// The query of the first page: filter, two sort keys, count 2, bare cursor.
const QUERY: &str = "filter=userName%20sw%20%22J%22&sortBy=name.familyName,userName&count=2&cursor";
const POSITION: &str = r#"{"sortValues":["Jensen","bjensen@example.com"],"id":"2819c223-7f76-453a-919d-413861904646"}"#;
/// `POSITION` for `QUERY` at `NOW`, ttl 600, signed with `KEY_A` (whose
/// derived key id is 0xb9). Deterministic: signed tokens have no nonce.
const TOKEN_A: &str = "AbloTuGAaE7j2AAAAAIbRCi-_R3l6AECBQZKZW5zZW4FE2JqZW5zZW5AZXhhbXBsZS5jb20HKBnCI392RTqRnUE4YZBGRvLFvIRVis5FPUtqWh79w3g";
/// The same, signed with `KEY_B` (key id 0xe0).
const TOKEN_B: &str = "AeBoTuGAaE7j2AAAAAIbRCi-_R3l6AECBQZKZW5zZW4FE2JqZW5zZW5AZXhhbXBsZS5jb20HKBnCI392RTqRnUE4YZBGRtFbd2q6roYTn9fshNZj89I";

const INVALID_CURSOR: &str = r#"{"error":{"status":400,"scimType":"invalidCursor","detail":"The cursor is not valid for this request. Use a nextCursor or previousCursor value unchanged, with the same query parameters as the request that returned it."}}"#;
const EXPIRED_CURSOR: &str = r#"{"error":{"status":400,"scimType":"expiredCursor","detail":"The cursor has expired. Start again from the first page (an empty cursor)."}}"#;
const COUNT_CHANGED: &str = r#"{"error":{"status":400,"scimType":"invalidCount","detail":"`count` differs from the request that issued the cursor; repeat the original count"}}"#;
const BAD_COUNT: &str = r#"{"error":{"status":400,"scimType":"invalidCount","detail":"`count` must be a non-negative integer no greater than the maximum page size"}}"#;

/// Run `scimkit` with `SCIMKIT_CURSOR_KEYS` set to `env_keys` (or unset).
fn run(args: &[&str], env_keys: Option<&str>, stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scimkit"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match env_keys {
        Some(keys) => cmd.env("SCIMKIT_CURSOR_KEYS", keys),
        None => cmd.env_remove("SCIMKIT_CURSOR_KEYS"),
    };
    let mut child = cmd.spawn().expect("spawn scimkit");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    // A run that fails before reading its input may close stdin first.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    child.wait_with_output().expect("wait")
}

fn scimkit(args: &[&str], stdin: &str) -> Output {
    run(args, None, stdin)
}

fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).expect("utf-8 stderr")
}

/// An output line without the error's `hint` (the reason for the person at
/// the terminal, checked in `decode_errors_say_why`).
fn without_hint(line: &str) -> String {
    let mut v: Value = serde_json::from_str(line).expect("JSON line");
    if let Some(e) = v.get_mut("error").and_then(|e| e.as_object_mut()) {
        e.remove("hint");
    }
    v.to_string()
}

/// Run and check: exit code 0, exactly `want` on stdout (hints aside),
/// nothing on stderr.
fn assert_lines(args: &[&str], input: &[String], want: &[&str]) {
    let out = scimkit(args, &(input.join("\n") + "\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let got: Vec<String> = stdout(&out).lines().map(without_hint).collect();
    let want: Vec<String> = want.iter().map(|w| without_hint(w)).collect();
    assert_eq!(got, want);
}

#[test]
fn decode_errors_say_why() {
    // The client detail is one sentence for every token failure; the CLI
    // adds the reason as `hint`.
    // Another base64url character in the signed part.
    let mut tampered = TOKEN_A.to_owned().into_bytes();
    tampered[40] = if tampered[40] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let lines = [
        format!(
            r#"{{"cursor":{},"query":{},"now":{NOW}}}"#,
            json!(tampered),
            json!(QUERY)
        ),
        format!(
            r#"{{"cursor":{},"query":"filter=other","now":{NOW}}}"#,
            json!(TOKEN_A)
        ),
        format!(
            r#"{{"cursor":{},"query":{},"now":{}}}"#,
            json!(TOKEN_A),
            json!(QUERY),
            NOW + 601
        ),
    ];
    let out = run(
        &["cursor", "decode", "--jsonl"],
        Some(KEY_A),
        &(lines.join("\n") + "\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let hints: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["error"]["hint"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(
        hints,
        [
            "cursor token signature does not verify",
            "cursor token was issued for a different query",
            "cursor token has expired"
        ]
    );
}

fn encode_line(position: &str, query: &str, now: u64, ttl: u32) -> String {
    format!(
        r#"{{"position":{position},"query":{},"now":{now},"ttl":{ttl}}}"#,
        json!(query)
    )
}

fn decode_line(cursor: &str, query: &str, now: u64) -> String {
    json!({"cursor": cursor, "query": query, "now": now}).to_string()
}

/// The follow-up request: the first query with `cursor=<token>`.
fn next_query(token: &str) -> String {
    format!("{}={token}", QUERY)
}

fn decoded(position: &str, issued: u64, expires: u64) -> String {
    format!(r#"{{"position":{position},"issuedAt":{issued},"expiresAt":{expires}}}"#)
}

fn cursor_of(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    v["cursor"].as_str().expect("a cursor line").to_owned()
}

#[test]
fn encode_then_decode_round_trip() {
    assert_lines(
        &["cursor", "encode", "--jsonl", "--key", KEY_A],
        &[encode_line(POSITION, QUERY, NOW, 600)],
        &[&format!(r#"{{"cursor":"{TOKEN_A}"}}"#)],
    );
    assert!(TOKEN_A.len() < 120);
    // The follow-up request carries the token; `cursor` and `count` are not
    // part of the binding, the other parameters are, so both forms verify.
    let want = decoded(POSITION, NOW, NOW + 600);
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            decode_line(TOKEN_A, &next_query(TOKEN_A), NOW + 1),
            decode_line(TOKEN_A, QUERY, NOW),
            // Parameter order, name case and sortBy case do not matter.
            decode_line(
                TOKEN_A,
                "count=2&SORTBY=Name.FamilyName,UserName&filter=userName%20sw%20%22J%22",
                NOW,
            ),
        ],
        &[&want, &want, &want],
    );
}

#[test]
fn other_positions_round_trip() {
    let positions = [
        r#"{"sortValues":[{"dateTime":"2024-05-01T12:34:56.789Z"},42,null,true,2.5],"id":"u-7","direction":"previous"}"#,
        r#"{"sortValues":[],"id":"2819c223-7f76-453a-919d-413861904646"}"#,
        r#"{"opaque":"AP9wYWdlLTc"}"#,
    ];
    for sealed in [false, true] {
        let mut args = vec!["cursor", "encode", "--jsonl", "--key", KEY_A];
        if sealed {
            args.push("--sealed");
        }
        let input: Vec<String> = positions
            .iter()
            .map(|p| encode_line(p, "sortBy=meta.lastModified", NOW, 60))
            .collect();
        let out = scimkit(&args, &(input.join("\n") + "\n"));
        assert!(out.status.success());
        let tokens: Vec<String> = stdout(&out).lines().map(cursor_of).collect();
        assert_eq!(tokens.len(), 3);
        let lines: Vec<String> = tokens
            .iter()
            .map(|t| decode_line(t, "sortBy=meta.lastModified", NOW + 60))
            .collect();
        let want: Vec<String> = positions
            .iter()
            .map(|p| decoded(p, NOW, NOW + 60))
            .collect();
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        assert_lines(
            &["cursor", "decode", "--jsonl", "--key", KEY_A],
            &lines,
            &want,
        );
    }
}

#[test]
fn sealed_tokens_hide_the_position_and_decode() {
    let input = encode_line(POSITION, QUERY, NOW, 600);
    let args = ["cursor", "encode", "--jsonl", "--sealed", "--key", KEY_A];
    let first = cursor_of(stdout(&scimkit(&args, &input)).trim_end());
    let second = cursor_of(stdout(&scimkit(&args, &input)).trim_end());
    // A fresh random nonce every time; 40 bytes longer.
    assert_ne!(first, second);
    let bytes = |chars: usize| chars * 3 / 4; // unpadded base64
    assert_eq!(bytes(first.len()), bytes(TOKEN_A.len()) + 40);
    assert!(first.starts_with("Arlo"), "format 2, key id 0xb9: {first}");
    let want = decoded(POSITION, NOW, NOW + 600);
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            decode_line(&first, QUERY, NOW),
            decode_line(&second, QUERY, NOW),
            decode_line(&first, "sortBy=userName&count=2", NOW),
            decode_line(&first, QUERY, NOW + 601),
        ],
        &[&want, &want, INVALID_CURSOR, EXPIRED_CURSOR],
    );
}

#[test]
fn tampered_and_truncated_tokens_are_invalid_cursor() {
    let mut input = Vec::new();
    // One changed character anywhere: header, payload, MAC.
    for i in [0, 1, 5, 20, 40, 80, TOKEN_A.len() - 1] {
        let mut bytes = TOKEN_A.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        input.push(decode_line(
            std::str::from_utf8(&bytes).unwrap(),
            QUERY,
            NOW,
        ));
    }
    // Truncated, extended, re-encoded with padding, not base64url at all.
    for token in [
        &TOKEN_A[..TOKEN_A.len() - 1],
        &TOKEN_A[..TOKEN_A.len() - 22],
        &TOKEN_A[..30],
        &format!("{TOKEN_A}A"),
        &format!("{TOKEN_A}=="),
        &TOKEN_A.replace('-', "+"),
        "",
        "not a cursor",
        &"A".repeat(1025),
    ] {
        input.push(decode_line(token, QUERY, NOW));
    }
    let want = vec![INVALID_CURSOR; input.len()];
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &input,
        &want,
    );
}

#[test]
fn wrong_query_is_invalid_cursor() {
    let with_rt = |rt: &str| {
        json!({"cursor": TOKEN_A, "query": QUERY, "now": NOW, "resourceType": rt}).to_string()
    };
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            // Another filter, another sort, a sort order, attributes.
            decode_line(
                TOKEN_A,
                "filter=userName%20sw%20%22K%22&sortBy=name.familyName,userName&count=2",
                NOW,
            ),
            decode_line(
                TOKEN_A,
                "filter=userName%20sw%20%22J%22&sortBy=userName&count=2",
                NOW,
            ),
            decode_line(TOKEN_A, &format!("{QUERY}&sortOrder=descending"), NOW),
            decode_line(TOKEN_A, &format!("{QUERY}&attributes=userName"), NOW),
            // Bound to no resource type: naming one is another query.
            with_rt("User"),
        ],
        &[INVALID_CURSOR; 5],
    );
}

#[test]
fn wrong_key_is_invalid_cursor_and_rotation_works() {
    let lines = [
        decode_line(TOKEN_A, QUERY, NOW),
        decode_line(TOKEN_B, QUERY, NOW),
    ];
    let ok = decoded(POSITION, NOW, NOW + 600);
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_B],
        &lines,
        &[INVALID_CURSOR, &ok],
    );
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &lines,
        &[&ok, INVALID_CURSOR],
    );
    // Rotation: the new key first signs, the old one still verifies.
    assert_lines(
        &[
            "cursor", "encode", "--jsonl", "--key", KEY_B, "--key", KEY_A,
        ],
        &[encode_line(POSITION, QUERY, NOW, 600)],
        &[&format!(r#"{{"cursor":"{TOKEN_B}"}}"#)],
    );
    assert_lines(
        &[
            "cursor", "decode", "--jsonl", "--key", KEY_B, "--key", KEY_A,
        ],
        &lines,
        &[&ok, &ok],
    );
    // The same ring from the environment.
    let out = run(
        &["cursor", "decode", "--jsonl"],
        Some(&format!(" {KEY_B} , {KEY_A}")),
        &(lines.join("\n") + "\n"),
    );
    assert!(out.status.success());
    assert_eq!(stdout(&out), format!("{ok}\n{ok}\n"));
    // --key wins over the environment.
    let out = run(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        Some(KEY_B),
        &(lines.join("\n") + "\n"),
    );
    let got: Vec<String> = stdout(&out).lines().map(without_hint).collect();
    assert_eq!(got, [without_hint(&ok), without_hint(INVALID_CURSOR)]);
}

#[test]
fn expiry_is_inclusive_then_expired_cursor() {
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            decode_line(TOKEN_A, QUERY, NOW + 600),
            decode_line(TOKEN_A, QUERY, NOW + 601),
            decode_line(TOKEN_A, QUERY, u64::MAX),
            // Issued up to 60 s in the future: clock skew between servers.
            decode_line(TOKEN_A, QUERY, NOW - 60),
            decode_line(TOKEN_A, QUERY, NOW - 61),
        ],
        &[
            &decoded(POSITION, NOW, NOW + 600),
            EXPIRED_CURSOR,
            EXPIRED_CURSOR,
            &decoded(POSITION, NOW, NOW + 600),
            INVALID_CURSOR,
        ],
    );
}

#[test]
fn count_binding() {
    let config = |c: Value| {
        json!({"cursor": TOKEN_A, "query": "filter=userName%20sw%20%22J%22&sortBy=name.familyName,userName", "now": NOW, "config": c}).to_string()
    };
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            decode_line(TOKEN_A, &QUERY.replace("count=2", "count=3"), NOW),
            // No count: the default page size (100) is not 2.
            decode_line(TOKEN_A, &QUERY.replace("count=2&", ""), NOW),
            // ...unless the configuration's default is 2.
            config(json!({"cursor": true, "defaultPageSize": 2})),
            // A malformed count is refused before the token is looked at.
            decode_line(TOKEN_A, &QUERY.replace("count=2", "count=two"), NOW),
        ],
        &[
            COUNT_CHANGED,
            COUNT_CHANGED,
            &decoded(POSITION, NOW, NOW + 600),
            BAD_COUNT,
        ],
    );
    // Encoding takes the count from the query the same way: clamped to
    // maxPageSize (5000 -> 1000) unless the configuration refuses it.
    let out = scimkit(
        &["cursor", "encode", "--jsonl", "--key", KEY_A],
        &[
            encode_line(POSITION, "count=5000&cursor", NOW, 600),
            json!({"position": {"id": "x"}, "query": "count=5000&cursor", "now": NOW,
                   "config": {"cursor": true, "maxPageSize": 1000, "overMaxCount": "reject"}})
            .to_string(),
        ]
        .join("\n"),
    );
    let lines: Vec<&str> = stdout(&out).lines().collect();
    assert_eq!(lines[1], BAD_COUNT);
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            decode_line(&cursor_of(lines[0]), "count=1000", NOW),
            decode_line(&cursor_of(lines[0]), "count=999", NOW),
        ],
        &[&decoded(POSITION, NOW, NOW + 600), COUNT_CHANGED],
    );
}

#[test]
fn ttl_defaults_to_the_cursor_timeout() {
    let out = scimkit(
        &["cursor", "encode", "--jsonl", "--key", KEY_A],
        &[
            json!({"position": {"id": "x"}, "query": "", "now": NOW}).to_string(),
            json!({"position": {"id": "x"}, "query": "", "now": NOW,
                   "config": {"cursor": true, "cursorTimeout": 30}})
            .to_string(),
            json!({"position": {"id": "x"}, "query": "", "now": NOW, "ttl": 5,
                   "config": {"cursor": true, "cursorTimeout": 30}})
            .to_string(),
        ]
        .join("\n"),
    );
    let input: Vec<String> = stdout(&out)
        .lines()
        .map(|l| decode_line(&cursor_of(l), "", NOW))
        .collect();
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &input,
        &[
            &decoded(r#"{"sortValues":[],"id":"x"}"#, NOW, NOW + 600),
            &decoded(r#"{"sortValues":[],"id":"x"}"#, NOW, NOW + 30),
            &decoded(r#"{"sortValues":[],"id":"x"}"#, NOW, NOW + 5),
        ],
    );
}

#[test]
fn malformed_lines_are_error_lines() {
    let syntax = |d: &str| {
        format!(r#"{{"error":{{"status":400,"scimType":"invalidSyntax","detail":"{d}"}}}}"#)
    };
    assert_lines(
        &["cursor", "encode", "--jsonl", "--key", KEY_A],
        &[
            r#"{"query": ""}"#.to_owned(),
            r#"{"position": [], "query": ""}"#.to_owned(),
            r#"{"position": {"id": "x"}}"#.to_owned(),
            r#"{"position": {"id": "x"}, "query": "", "now": -1}"#.to_owned(),
            r#"{"position": {"id": "x"}, "query": "", "ttl": 4294967296}"#.to_owned(),
            r#"{"position": {"id": "x"}, "query": "", "config": []}"#.to_owned(),
            r#"{"position": {"id": "x"}, "query": "", "now": 4294967296}"#.to_owned(),
            String::new(),
        ],
        &[
            &syntax("missing `position`"),
            &syntax("`position` must be a JSON object"),
            &syntax("missing `query`"),
            &syntax("`now` must be a non-negative integer"),
            &syntax("`ttl` must be at most 4294967295"),
            &syntax("`config` must be a JSON object"),
            // A server fault (status 500): tokens carry 32-bit times.
            r#"{"error":{"status":500,"detail":"clock reading is outside the range a cursor token can carry"}}"#,
            &syntax("line is not JSON: EOF while parsing a value at line 1 column 0"),
        ],
    );
    assert_lines(
        &["cursor", "decode", "--jsonl", "--key", KEY_A],
        &[
            r#"{"query": ""}"#.to_owned(),
            r#"{"cursor": 1, "query": ""}"#.to_owned(),
        ],
        &[
            &syntax("missing `cursor`"),
            &syntax("`cursor` must be a string"),
        ],
    );
}

#[test]
fn page_requests() {
    let page = |q: &str| json!({"query": q}).to_string();
    let reject = json!({"query": "cursor&count=5000",
                        "config": {"cursor": true, "maxPageSize": 1000, "overMaxCount": "reject"}})
    .to_string();
    let entra = json!({"query": "",
                       "config": {"cursor": true, "index": false, "defaultPaginationMethod": "cursor",
                                  "defaultPageSize": 100, "maxPageSize": 1000}})
    .to_string();
    assert_lines(
        &["cursor", "page", "--jsonl"],
        &[
            page("count=50&cursor="),
            // RFC 9865's own first-page example: a bare `cursor`.
            page("filter=userName%20sw%20J&cursor&count=10"),
            page("filter=userName%20sw%20J&cursor=VZUTiyhEQJ94IR&count=10"),
            // The same request as a POST /.search body.
            json!({"body": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                            "filter": "userName sw J", "cursor": "", "count": 10}})
            .to_string(),
            page(""),
            page("startIndex=0&count=-3"),
            page("cursor&count=5000"),
            entra,
            // Bad counts.
            page("cursor&count=ten"),
            page("cursor&count=-1"),
            page("count=1.5"),
            page("count=1&Count=1"),
            reject,
            // Other refusals.
            page("cursor=abc&startIndex=1"),
            page("cursor=a%20b"),
            json!({"body": []}).to_string(),
            json!({"query": "", "body": {}}).to_string(),
            json!({"query": "", "config": {"maxPageSize": 0}}).to_string(),
            json!({"query": "cursor=abcdef", "config": {"cursor": true, "maxCursorLength": 5}})
                .to_string(),
            json!({"query": "", "config": {"overMaxCount": "drop"}}).to_string(),
        ],
        &[
            r#"{"method":"cursor","cursor":null,"count":50}"#,
            r#"{"method":"cursor","cursor":null,"count":10}"#,
            r#"{"method":"cursor","cursor":"VZUTiyhEQJ94IR","count":10}"#,
            r#"{"method":"cursor","cursor":null,"count":10}"#,
            r#"{"method":"index","startIndex":1,"count":100}"#,
            r#"{"method":"index","startIndex":1,"count":0}"#,
            r#"{"method":"cursor","cursor":null,"count":1000}"#,
            r#"{"method":"cursor","cursor":null,"count":100}"#,
            BAD_COUNT,
            BAD_COUNT,
            BAD_COUNT,
            r#"{"error":{"status":400,"scimType":"invalidCount","detail":"`count` appears more than once"}}"#,
            BAD_COUNT,
            r#"{"error":{"status":400,"scimType":"invalidValue","detail":"`cursor` and `startIndex` cannot be combined: choose cursor or index pagination"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidCursor","detail":"`cursor` must be empty or a cursor of RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) within the length limit"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"a search request body must be a JSON object"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"give `query` or `body`, not both"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`config`: must be a positive integer"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidCursor","detail":"`cursor` must be empty or a cursor of RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) within the length limit"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`config.overMaxCount` must be \"clamp\" or \"reject\""}}"#,
        ],
    );
}

#[test]
fn missing_or_bad_keys_are_usage_errors() {
    let input = decode_line(TOKEN_A, QUERY, NOW) + "\n";
    for args in [
        &["cursor", "decode", "--jsonl"][..],
        &["cursor", "encode", "--jsonl"][..],
    ] {
        for env in [None, Some(""), Some("  ")] {
            let out = run(args, env, &input);
            assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}");
            assert_eq!(stdout(&out), "");
            assert_eq!(
                stderr(&out),
                "scimkit: no cursor key: pass --key HEX (repeatable, newest first) or set \
                 SCIMKIT_CURSOR_KEYS to comma-separated hex secrets\n"
            );
        }
    }
    // A bad secret is named by position, never echoed.
    let short = "00112233445566778899aabbccddee";
    let out = scimkit(
        &[
            "cursor", "decode", "--jsonl", "--key", KEY_A, "--key", short,
        ],
        &input,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "scimkit: --key number 2: not a hex secret of at least 16 bytes (32 hex digits)\n"
    );
    let out = run(
        &["cursor", "decode", "--jsonl"],
        Some(&format!("{KEY_A},")),
        &input,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains(KEY_A));
    assert!(stderr(&out).starts_with("scimkit: SCIMKIT_CURSOR_KEYS: not a comma-separated"));
    // --jsonl and a file together are a usage error (exit code 2).
    let out = scimkit(&["cursor", "page", "--jsonl", "req.json"], "");
    assert_eq!(out.status.code(), Some(2));
    // Without --jsonl, empty stdin is not one JSON document (exit code 1).
    let out = scimkit(&["cursor", "page"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("scimkit: stdin is not one JSON document"),
        "{}",
        stderr(&out)
    );
    // `page` needs no key.
    let out = scimkit(&["cursor", "page", "--jsonl"], "{\"query\": \"\"}\n");
    assert!(out.status.success());
}

#[test]
fn single_document_modes() {
    // encode: one (pretty-printed) request object on stdin, one line out.
    let request = format!(
        "{{\n  \"position\": {POSITION},\n  \"query\": {},\n  \"now\": {NOW},\n  \"ttl\": 600\n}}\n",
        json!(QUERY)
    );
    let out = run(&["cursor", "encode", "--key", KEY_A], None, &request);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{{\"cursor\":\"{TOKEN_A}\"}}\n"));
    // decode from a file.
    let dir = std::env::temp_dir().join(format!("scimkit-cursor-single-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("decode.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"cursor": {}, "query": {}, "now": {NOW}}}"#,
            json!(TOKEN_A),
            json!(QUERY)
        ),
    )
    .unwrap();
    let out = run(
        &["cursor", "decode", "--key", KEY_A, file.to_str().unwrap()],
        None,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("{{\"position\":{POSITION}")),
        "{}",
        stdout(&out)
    );
    // A refused token: the client's detail and the reason, on stderr, exit 1.
    let out = run(
        &["cursor", "decode", "--key", KEY_A],
        None,
        &format!(
            r#"{{"cursor": {}, "query": "filter=other", "now": {NOW}}}"#,
            json!(TOKEN_A)
        ),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("The cursor is not valid for this request"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("hint: cursor token was issued for a different query"),
        "{}",
        stderr(&out)
    );
    // page, and a document that is not an object.
    let out = scimkit(&["cursor", "page"], r#"{"query": "count=5&cursor"}"#);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\"method\":\"cursor\",\"cursor\":null,\"count\":5}\n"
    );
    let out = scimkit(&["cursor", "page"], "[1]");
    assert_eq!(out.status.code(), Some(1));
    // A missing file is exit code 2.
    let out = scimkit(
        &["cursor", "page", dir.join("absent.json").to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
