//! The PATCH conformance runner (after rust-url's WPT runner): every case of
//! `data/patch-rfc.json` (RFC 7644 §3.5.2's examples and rules) and
//! `data/patch-semantics.json` (the rules and the points the RFC leaves
//! open, each with why) runs; all failures are reported together, and
//! `data/patch-expected-failures.json` names the known ones with a reason.
//! A case listed there that passes fails the run too (a stale entry).
//!
//! Each case is also a line `scimkit patch apply --jsonl` reads.

use std::collections::BTreeMap;

use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::Value;

const FILES: [(&str, &str); 2] = [
    ("patch-rfc.json", include_str!("data/patch-rfc.json")),
    (
        "patch-semantics.json",
        include_str!("data/patch-semantics.json"),
    ),
];

/// Run one case; `Err` says how it failed.
fn run(case: &Value) -> Result<(), String> {
    let schema = match case["resourceType"].as_str() {
        Some("Group") => ResourceSchema::group(),
        Some("User") | None => ResourceSchema::user(),
        Some(other) => return Err(format!("unknown resourceType {other}")),
    };
    let options = match case["compat"].as_str() {
        Some("entra") => PatchOptions::entra(),
        Some("strict") | None => PatchOptions::strict(),
        Some(other) => return Err(format!("unknown compat {other}")),
    };
    let mut resource = case["resource"].clone();
    let before = resource.clone();
    let result = PatchRequest::from_value(&case["request"], &options)
        .and_then(|r| r.apply(&mut resource, schema));
    let expect = &case["expect"];
    match (result, expect.get("resource"), expect.get("error")) {
        (Ok(outcome), Some(want), _) => {
            if &resource != want {
                return Err(format!("got {resource}\n      want {want}"));
            }
            if let Some(n) = expect.get("changes").and_then(Value::as_u64) {
                let got = outcome.changes().len() as u64;
                if got != n {
                    return Err(format!("{got} changes, want {n}: {:?}", outcome.changes()));
                }
            }
            Ok(())
        }
        (Err(e), _, Some(errors)) => {
            let t = e.scim_type().map(|t| t.as_str()).unwrap_or_default();
            let wanted = errors.as_array().into_iter().flatten();
            if !wanted.clone().any(|x| x == t) {
                return Err(format!("error {t} ({e}), want one of {errors}"));
            }
            if e.status() != 400 {
                return Err(format!("status {}, want 400", e.status()));
            }
            if let Some(part) = expect.get("detailContains").and_then(Value::as_str) {
                if !e.detail().unwrap_or_default().contains(part) {
                    return Err(format!("detail {:?} lacks {part:?}", e.detail()));
                }
            }
            if resource != before {
                return Err("the resource changed despite the error".into());
            }
            Ok(())
        }
        (Ok(_), _, Some(errors)) => Err(format!("succeeded, want an error in {errors}")),
        (Err(e), Some(_), _) => Err(format!("failed: {e}")),
        (r, None, None) => Err(format!("no expectation ({r:?})")),
    }
}

#[test]
fn patch_conformance() {
    let expected: Value =
        serde_json::from_str(include_str!("data/patch-expected-failures.json")).unwrap();
    let expected: BTreeMap<String, String> =
        serde_json::from_value(expected["cases"].clone()).unwrap();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut total = 0;
    for (file, text) in FILES {
        let data: Value = serde_json::from_str(text).unwrap();
        for case in data["cases"].as_array().unwrap() {
            total += 1;
            let name = case["name"].as_str().unwrap();
            match (run(case), expected.get(name)) {
                (Err(why), None) => unexpected.push(format!("{file}: {name}: {why}")),
                (Ok(()), Some(reason)) => {
                    stale.push(format!("{file}: {name} passes (listed: {reason})"))
                }
                _ => {}
            }
        }
    }
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} of {total} cases failed unexpectedly:\n  {}\nstale expected failures:\n  {}",
        unexpected.len(),
        unexpected.join("\n  "),
        stale.join("\n  ")
    );
    assert!(total >= 39, "only {total} cases ran");
}
