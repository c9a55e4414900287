//! The `peerbench` binary speaks the shared harness's protocol: fed a small
//! corpus through the harness's variables, its lines carry the harness's
//! fields, match counts equal to what the evaluator says, rejections
//! reported as `accepted: false` with a detail, and PATCH results equal to
//! the expected resources.

use std::path::PathBuf;
use std::process::Command;

use scimkit_filter::Filter;
use scimkit_schema::ResourceSchema;
use serde_json::{json, Value};

/// A fresh folder for one test's input files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scimkit-peerbench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Run `peerbench what` in `dir` (one repetition, two parse passes) and
/// return its JSON lines.
fn peerbench(dir: &PathBuf, what: &str) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_peerbench"))
        .arg(what)
        .current_dir(dir)
        .env("PEERBENCH_REPS", "1")
        .env("PEERBENCH_PASSES", "2")
        .env_remove("PEERBENCH_FILTERS")
        .env_remove("PEERBENCH_USERS")
        .env_remove("PEERBENCH_PATCH_CASES")
        .output()
        .expect("peerbench runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

fn keys(line: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = line
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

const FILTERS: [&str; 5] = [
    r#"userName eq "user7""#,
    r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
    // Does not parse (a string literal needs quotes).
    "userName eq bjensen",
    // Parses, but the User schema never returns a password.
    r#"password eq "secret""#,
    r#"title pr or NAME.FamilyName sw "o'""#,
];

fn users() -> Vec<Value> {
    (0..40)
        .map(|i| {
            json!({
                "userName": format!("user{i}"),
                "userType": if i % 3 == 0 { "Employee" } else { "Intern" },
                "emails": [{"type": if i % 2 == 0 { "work" } else { "home" }, "value": format!("u{i}@Example.COM")}],
                "name": {"familyName": if i % 5 == 0 { "O'Malley" } else { "Smith" }},
                "title": if i % 7 == 0 { Value::from("Engineer") } else { Value::Null },
            })
        })
        .collect()
}

#[test]
fn parse_and_eval_lines_follow_the_protocol() {
    let dir = scratch("filters");
    let text = format!("# a comment line, skipped\n\n{}\n", FILTERS.join("\n"));
    std::fs::write(dir.join("filters.txt"), text).expect("write filters");
    let users = users();
    std::fs::write(
        dir.join("users.json"),
        Value::from(users.clone()).to_string(),
    )
    .expect("write users");

    let lines = peerbench(&dir, "all");
    assert_eq!(lines.len(), 2, "`all` is parse then eval, never patch");
    let (parse, eval) = (&lines[0], &lines[1]);

    assert!(parse["peer"].as_str().unwrap().starts_with("rust scimkit"));
    assert_eq!(parse["op"], "parse");
    assert_eq!(
        keys(parse),
        [
            "accepted",
            "corpus_passes",
            "corpus_total_ns",
            "detail",
            "median_ns",
            "op",
            "peer",
            "per_filter_ns",
            "reps",
            "total_filters",
            "unit"
        ]
    );
    assert_eq!(parse["total_filters"], 5);
    assert_eq!(parse["accepted"], json!([true, true, false, true, true]));
    assert!(
        parse["detail"][2].as_str().unwrap().contains("12"),
        "the offset: {}",
        parse["detail"][2]
    );
    assert!(parse["per_filter_ns"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n.as_f64().unwrap() > 0.0));
    assert!(parse["median_ns"].as_f64().unwrap() > 0.0);
    assert_eq!(parse["corpus_passes"], 2);

    assert!(eval["peer"].as_str().unwrap().starts_with("rust scimkit"));
    assert_eq!(eval["op"], "eval");
    assert_eq!(
        keys(eval),
        [
            "accepted",
            "corpus_passes",
            "corpus_total_ns",
            "detail",
            "matches",
            "median_ns",
            "op",
            "peer",
            "per_filter_ns",
            "reps",
            "resources",
            "total_filters",
            "unit"
        ]
    );
    assert_eq!(eval["resources"], 40);
    assert_eq!(eval["accepted"], json!([true, true, false, false, true]));
    assert!(
        eval["detail"][3]
            .as_str()
            .unwrap()
            .contains("never returned"),
        "{}",
        eval["detail"][3]
    );
    assert_eq!(eval["per_filter_ns"][2], Value::Null);
    assert_eq!(eval["matches"][3], Value::Null);
    // The counts are the evaluator's.
    for (i, f) in FILTERS.iter().enumerate() {
        let Ok(compiled) = Filter::parse(f)
            .map_err(drop)
            .and_then(|f| f.compile(ResourceSchema::user()).map_err(drop))
        else {
            continue;
        };
        let n = users.iter().filter(|u| compiled.matches(u)).count();
        assert_eq!(eval["matches"][i], n, "{f}");
        assert!(eval["per_filter_ns"][i].as_f64().unwrap() > 0.0);
    }
    // And by hand: user7; employees (i % 3 == 0) with a work email (even i)
    // in 0..40; titled (i % 7 == 0) or O'Malley (i % 5 == 0): 6 + 8 - 2.
    assert_eq!(eval["matches"], json!([1, 7, null, null, 12]));
}

#[test]
fn patch_lines_carry_results_and_errors() {
    let dir = scratch("patch");
    let shared: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/patch_cases.json"
        ))
        .expect("cases"),
    )
    .expect("JSON");
    let mut good = shared["cases"][0].clone();
    assert_eq!(good["name"], "user_entra_5ops");
    let mut bad = good.clone();
    bad["name"] = "unknown_op".into();
    bad["request"]["Operations"][0]["op"] = "frobnicate".into();
    let expected = good["expected"].take();
    std::fs::write(
        dir.join("patch_cases.json"),
        json!({"cases": [good, bad]}).to_string(),
    )
    .expect("write");

    let lines = peerbench(&dir, "patch");
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert!(line["peer"].as_str().unwrap().starts_with("rust scimkit"));
        assert_eq!(line["op"], "patch");
        assert_eq!(
            keys(line),
            [
                "case",
                "copy_ns",
                "error",
                "median_ns",
                "op",
                "peer",
                "reps",
                "result"
            ]
        );
        assert!(line["median_ns"].as_f64().unwrap() > 0.0);
    }
    assert_eq!(lines[0]["case"], "user_entra_5ops");
    assert_eq!(lines[0]["error"], Value::Null);
    assert_eq!(lines[0]["result"], expected);
    assert_eq!(lines[1]["case"], "unknown_op");
    assert_eq!(lines[1]["result"], Value::Null);
    assert!(
        lines[1]["error"].as_str().unwrap().contains("frobnicate"),
        "{}",
        lines[1]["error"]
    );
}

#[test]
fn an_unknown_benchmark_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_peerbench"))
        .arg("sort")
        .output()
        .expect("peerbench runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown benchmark"));
}
