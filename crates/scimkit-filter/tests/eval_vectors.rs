//! Evaluation vectors: every case of `data/filter-eval.json`, run in one test.
//!
//! Written as data (in the style of rust-url's WPT runner) so the cases can
//! be read, extended and replayed without reading Rust, and so one run
//! reports every failing case instead of stopping at the first.
//!
//! A case is a JSON object:
//!
//! - `name`: unique; what `filter-eval-expected-failures.json` refers to.
//! - `note` (optional): why the case is there.
//! - `schema` (optional, default `"User"`): `"User"`, `"Group"`, `"none"`
//!   (compiled without a schema), or a list of these (the case runs under
//!   each and must give the same answer).
//! - `filter`: the filter text.
//! - `resource`: a JSON object.
//! - `expect`: `true` or `false`; or instead `error`: `{"scimType": ...,
//!   "detailContains": ...}`, the error parsing or compiling must give
//!   (`detailContains` is a string or a list of strings).
//!
//! `{"filter": ..., "resource": ...}` of every case is a valid input line of
//! `scimkit filter eval --jsonl --schema <schema>`, so the CLI can replay
//! the cases (it answers `{"match": ...}` or an error line).
//!
//! `data/filter-eval-expected-failures.json` maps a case name to the reason
//! it is known to fail. A listed case that passes fails the run too, so the
//! list cannot go stale.

use std::collections::{BTreeMap, BTreeSet};

use scimkit_filter::Filter;
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::{Map, Value};

const CASES: &str = include_str!("data/filter-eval.json");
const EXPECTED_FAILURES: &str = include_str!("data/filter-eval-expected-failures.json");

const KEYS: [&str; 7] = [
    "name", "note", "schema", "filter", "resource", "expect", "error",
];

fn schema_named(name: &str) -> Result<Option<&'static ResourceSchema>, String> {
    match name {
        "User" => Ok(Some(ResourceSchema::user())),
        "Group" => Ok(Some(ResourceSchema::group())),
        "none" => Ok(None),
        other => Err(format!("unknown schema {other:?}")),
    }
}

fn schemas(
    case: &Map<String, Value>,
) -> Result<Vec<(String, Option<&'static ResourceSchema>)>, String> {
    let names: Vec<&str> = match case.get("schema") {
        None => vec!["User"],
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().ok_or("`schema` entries must be strings"))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`schema` must be a string or a list".into()),
    };
    if names.is_empty() {
        return Err("`schema` is an empty list".into());
    }
    names
        .into_iter()
        .map(|n| Ok((n.to_owned(), schema_named(n)?)))
        .collect()
}

/// Parse, compile and match, as the CLI's `filter eval --jsonl` does.
fn outcome(
    filter: &str,
    schema: Option<&ResourceSchema>,
    resource: &Value,
) -> Result<bool, ScimError> {
    let parsed = Filter::parse(filter)?;
    let compiled = match schema {
        Some(rs) => parsed.compile(rs)?,
        None => parsed.compile_schemaless(),
    };
    Ok(compiled.matches(resource))
}

fn check_error(want: &Value, got: &ScimError) -> Result<(), String> {
    let want = want.as_object().ok_or("`error` must be an object")?;
    let scim_type = want
        .get("scimType")
        .and_then(Value::as_str)
        .ok_or("`error.scimType` must be a string")?;
    let got_type = got.scim_type().map(|t| t.as_str());
    if got_type != Some(scim_type) {
        return Err(format!("scimType {got_type:?}, want {scim_type:?} ({got})"));
    }
    let detail = got.detail().unwrap_or_default();
    let needles: Vec<&str> = match want.get("detailContains") {
        None => vec![],
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err("`error.detailContains` must be a string or a list".into()),
    };
    for needle in needles {
        if !detail.contains(needle) {
            return Err(format!("detail {detail:?} does not contain {needle:?}"));
        }
    }
    Ok(())
}

/// Run one case; `Err` says why it failed.
fn run(case: &Map<String, Value>) -> Result<(), String> {
    if let Some(key) = case.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!("unknown key {key:?}"));
    }
    let filter = case
        .get("filter")
        .and_then(Value::as_str)
        .ok_or("`filter` must be a string")?;
    let resource = case
        .get("resource")
        .filter(|r| r.is_object())
        .ok_or("`resource` must be a JSON object")?;
    let expect = case.get("expect");
    let error = case.get("error");
    if expect.is_some() == error.is_some() {
        return Err("give exactly one of `expect` and `error`".into());
    }
    for (name, schema) in schemas(case)? {
        let got = outcome(filter, schema, resource);
        let failed = match (expect, got) {
            (Some(want), Ok(got)) => {
                let want = want.as_bool().ok_or("`expect` must be a boolean")?;
                (got != want).then(|| format!("matched {got}, want {want}"))
            }
            (Some(_), Err(e)) => Some(format!("error {e}, want a match result")),
            (None, Ok(got)) => Some(format!("matched {got}, want an error")),
            (None, Err(e)) => check_error(error.unwrap_or(&Value::Null), &e).err(),
        };
        if let Some(why) = failed {
            return Err(format!("schema {name}: {why}"));
        }
    }
    Ok(())
}

#[test]
fn filter_eval_vectors() {
    let cases: Vec<Map<String, Value>> =
        serde_json::from_str(CASES).expect("filter-eval.json is a list of objects");
    let expected: BTreeMap<String, String> = serde_json::from_str(EXPECTED_FAILURES)
        .expect("filter-eval-expected-failures.json maps names to reasons");
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, case) in cases.iter().enumerate() {
        let name = case
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("#{i}"), str::to_owned);
        if !seen.insert(name.clone()) {
            failures.push(format!("{name}: duplicate name"));
            continue;
        }
        match (run(case), expected.get(&name)) {
            (Ok(()), None) | (Err(_), Some(_)) => {}
            (Err(why), None) => failures.push(format!("{name}: {why}")),
            (Ok(()), Some(reason)) => failures.push(format!(
                "{name}: listed as an expected failure ({reason}) but passes: remove the entry"
            )),
        }
    }
    for name in expected.keys().filter(|n| !seen.contains(*n)) {
        failures.push(format!(
            "{name}: expected failure for a case that does not exist"
        ));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 100, "the vectors were not all read");
}
