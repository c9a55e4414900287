//! The comparison conformance runner (after rust-url's WPT runner): every
//! case of `data/compare.json` runs, all failures are reported together,
//! and `data/compare-expected-failures.json` names the known ones with a
//! reason (a listed case that passes fails the run).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use scimkit_schema::compare::{Comparator, CompareError, TextRule};
use scimkit_schema::AttributeType;
use serde_json::Value;

fn run(case: &Value) -> Result<(), String> {
    let kind = match case["type"].as_str() {
        Some("string") => AttributeType::String,
        Some("binary") => AttributeType::Binary,
        Some("dateTime") => AttributeType::DateTime,
        Some("integer") => AttributeType::Integer,
        Some("decimal") => AttributeType::Decimal,
        other => return Err(format!("unknown type {other:?}")),
    };
    let mut cmp = Comparator::new(kind, case["caseExact"].as_bool().unwrap_or(false));
    if case["rule"] == "username" {
        cmp = cmp.with_text_rule(TextRule::Username);
    }
    let operand = match (cmp.prepare(&case["literal"]), case.get("error")) {
        (Ok(op), None) => op,
        (Err(e), Some(want)) => {
            let got = match e {
                CompareError::InvalidDateTime(_) => "InvalidDateTime",
                CompareError::InexactNumber(_) => "InexactNumber",
                CompareError::TypeMismatch { .. } => "TypeMismatch",
                _ => "other",
            };
            return if want["kind"] == got {
                Ok(())
            } else {
                Err(format!("error {got} ({e}), want {}", want["kind"]))
            };
        }
        (Ok(_), Some(want)) => return Err(format!("prepared, want error {want}")),
        (Err(e), None) => return Err(format!("prepare failed: {e}")),
    };
    let value = &case["value"];
    let got = match case["op"].as_str() {
        Some("eq") => cmp.equals(value, &operand),
        Some("co") => cmp.contains(value, &operand),
        Some("sw") => cmp.starts_with(value, &operand),
        Some("ew") => cmp.ends_with(value, &operand),
        Some("gt") => cmp.compare(value, &operand) == Some(Ordering::Greater),
        Some("lt") => cmp.compare(value, &operand) == Some(Ordering::Less),
        other => return Err(format!("unknown op {other:?}")),
    };
    // Equality and the hashing key of text agree (servers deduplicate by it).
    if case["op"] == "eq" && matches!(kind, AttributeType::String | AttributeType::Binary) {
        if let (Some(a), Some(b)) = (value.as_str(), case["literal"].as_str()) {
            let keys_equal = cmp.equality_key(a) == cmp.equality_key(b);
            if keys_equal != got {
                return Err(format!("equals {got} but equality keys equal {keys_equal}"));
            }
        }
    }
    match case["expect"].as_bool() {
        Some(want) if want == got => Ok(()),
        Some(want) => Err(format!("got {got}, want {want}")),
        None => Err("no expectation".into()),
    }
}

#[test]
fn compare_conformance() {
    let data: Value = serde_json::from_str(include_str!("data/compare.json")).unwrap();
    let expected: Value =
        serde_json::from_str(include_str!("data/compare-expected-failures.json")).unwrap();
    let expected: BTreeMap<String, String> =
        serde_json::from_value(expected["cases"].clone()).unwrap();
    let cases = data["cases"].as_array().unwrap();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        match (run(case), expected.get(name)) {
            (Err(why), None) => unexpected.push(format!("{name}: {why}")),
            (Ok(()), Some(reason)) => stale.push(format!("{name} passes (listed: {reason})")),
            _ => {}
        }
    }
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} of {} cases failed unexpectedly:\n  {}\nstale expected failures:\n  {}",
        unexpected.len(),
        cases.len(),
        unexpected.join("\n  "),
        stale.join("\n  ")
    );
    assert!(cases.len() >= 21);
}
