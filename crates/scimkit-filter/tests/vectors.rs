//! Conformance vectors: RFC 7644 §3.4.2.2 examples and peers' suites
//! (copied from the shared `vectors/` into `tests/data/`).

use scimkit_filter::{Filter, FilterError};
use scimkit_schema::{ScimError, ScimType};
use serde_json::Value;

/// The value text of a comparison as written in the input.
fn value_text<'a>(input: &'a str, f: &Filter) -> &'a str {
    let text = f.span().slice(input);
    // path, blanks, operator, blanks, value
    let mut parts = text.splitn(2, char::is_whitespace);
    parts.next();
    let rest = parts.next().unwrap_or_default().trim_start();
    let mut parts = rest.splitn(2, char::is_whitespace);
    parts.next();
    parts.next().unwrap_or_default().trim_start()
}

/// The `filter-parse.json` s-expression: binary, left-associative.
fn sexpr(input: &str, f: &Filter) -> String {
    match f {
        Filter::Compare { path, op, .. } => format!("({op} {path} {})", value_text(input, f)),
        Filter::Present { path, .. } => format!("(pr {path})"),
        Filter::And { children, .. } | Filter::Or { children, .. } => {
            let kw = if matches!(f, Filter::And { .. }) {
                "and"
            } else {
                "or"
            };
            let mut acc = sexpr(input, &children[0]);
            for c in &children[1..] {
                acc = format!("({kw} {acc} {})", sexpr(input, c));
            }
            acc
        }
        Filter::Not { filter, .. } => format!("(not {})", sexpr(input, filter)),
        Filter::ValuePath { path, filter, .. } => {
            format!("(valuePath {path} {})", sexpr(input, filter))
        }
        other => panic!("a filter form this test does not know: {other:?}"),
    }
}

/// The `peer-parse.json` notation: n-ary `and(a, b)`, leaves `attr op value`.
fn nary(input: &str, f: &Filter) -> String {
    match f {
        Filter::Compare { path, op, .. } => format!("{path} {op} {}", value_text(input, f)),
        Filter::Present { path, .. } => format!("{path} pr"),
        Filter::And { children, .. } | Filter::Or { children, .. } => {
            let kw = if matches!(f, Filter::And { .. }) {
                "and"
            } else {
                "or"
            };
            let inner: Vec<String> = children.iter().map(|c| nary(input, c)).collect();
            format!("{kw}({})", inner.join(", "))
        }
        Filter::Not { filter, .. } => format!("not({})", nary(input, filter)),
        Filter::ValuePath { path, filter, .. } => format!("{path}[{}]", nary(input, filter)),
        other => panic!("a filter form this test does not know: {other:?}"),
    }
}

fn check_round_trip(input: &str, f: &Filter) {
    let printed = f.to_string();
    let again =
        Filter::parse(&printed).unwrap_or_else(|e| panic!("{printed}: {}", e.render(&printed)));
    assert_eq!(&again, f, "{input} -> {printed}");
    assert_eq!(
        again.to_string(),
        printed,
        "canonical form is a fixed point"
    );
}

fn check_invalid(input: &str, e: &FilterError) {
    assert!(e.offset() <= input.len(), "{input}: offset {}", e.offset());
    let scim = ScimError::from(e.clone());
    assert_eq!(scim.scim_type(), Some(&ScimType::InvalidFilter));
    assert_eq!(scim.status(), 400);
}

#[test]
fn filter_parse_vectors() {
    let data: Value = serde_json::from_str(include_str!("data/filter-parse.json")).unwrap();
    let valid = data["valid"].as_array().unwrap();
    for case in valid {
        let input = case["filter"].as_str().unwrap();
        let f = Filter::parse(input).unwrap_or_else(|e| panic!("{}", e.render(input)));
        assert_eq!(sexpr(input, &f), case["tree"].as_str().unwrap(), "{input}");
        check_round_trip(input, &f);
    }
    let invalid = data["invalid"].as_array().unwrap();
    for case in invalid {
        let input = case["filter"].as_str().unwrap();
        assert_eq!(case["scimType"], "invalidFilter");
        match Filter::parse(input) {
            Ok(f) => panic!("{input:?} parsed as {f}"),
            Err(e) => check_invalid(input, &e),
        }
    }
    assert_eq!((valid.len(), invalid.len()), (27, 23));
}

#[test]
fn peer_parse_vectors() {
    let data: Value = serde_json::from_str(include_str!("data/peer-filter-parse.json")).unwrap();
    let cases = data["filter_parse"].as_array().unwrap();
    for case in cases {
        let input = case["filter"].as_str().unwrap();
        let ok = case["ok"].as_bool().unwrap();
        match (Filter::parse(input), ok) {
            (Ok(f), true) => {
                if let Some(tree) = case["tree"].as_str() {
                    assert_eq!(nary(input, &f), tree, "{input}");
                }
                if let Some(canonical) = case["canonical"].as_str() {
                    assert_eq!(f.to_string(), canonical, "{input}");
                }
                check_round_trip(input, &f);
            }
            (Err(e), false) => check_invalid(input, &e),
            (Ok(f), false) => panic!("{input:?} should fail ({}), parsed as {f}", case["source"]),
            (Err(e), true) => panic!(
                "{input:?} should parse ({}): {}",
                case["source"],
                e.render(input)
            ),
        }
    }
    assert_eq!(cases.len(), 104);
}
