//! Conformance vectors (copied from the shared `vectors/` into `tests/data/`).

use scimkit_schema::AttrPath;
use serde_json::Value;

/// PATCH path vectors: those without a value filter or blank are plain
/// attribute paths and must parse exactly when the vector says `ok`; the
/// value-path and expression forms belong to the filter/PATCH grammars, so
/// `AttrPath` must reject them.
#[test]
fn path_parse_vectors() {
    let data: Value = serde_json::from_str(include_str!("data/path_parse.json")).unwrap();
    let cases = data["path_parse"].as_array().unwrap();
    let mut plain = 0;
    for case in cases {
        let path = case["path"].as_str().unwrap();
        let ok = case["ok"].as_bool().unwrap();
        let is_plain = !path.contains(['[', ']', ' ', '(', ')']);
        let parsed = AttrPath::parse(path);
        if is_plain {
            plain += 1;
            assert_eq!(
                parsed.is_ok(),
                ok,
                "{path}: {parsed:?} ({})",
                case["source"]
            );
            if let Ok(p) = parsed {
                assert_eq!(p.to_string(), path);
            }
        } else {
            assert!(parsed.is_err(), "{path} is not a plain attribute path");
        }
    }
    assert!(plain >= 10, "only {plain} plain paths");
}
