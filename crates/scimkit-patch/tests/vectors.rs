//! PATCH path vectors (copied from the shared `vectors/` into `tests/data/`).
//! The RFC 7644 §3.5.2 request vectors run in `conformance.rs`.

use serde_json::Value;

/// PATCH path vectors from the RFC text and peers' suites (shared
/// `vectors/peer-parse.json`, `path_parse`): each parses exactly when the
/// vector says so, prints back as written, and a failure is invalidPath or
/// invalidFilter (RFC 7644 §3.12 lists both for PATCH).
#[test]
fn peer_path_vectors() {
    use scimkit_patch::PatchPath;
    let data: Value = serde_json::from_str(include_str!("data/path_parse.json")).unwrap();
    let cases = data["path_parse"].as_array().unwrap();
    for case in cases {
        let text = case["path"].as_str().unwrap();
        match (PatchPath::parse(text), case["ok"].as_bool().unwrap()) {
            (Ok(p), true) => assert_eq!(p.to_string(), text),
            (Err(e), false) => {
                let t = scimkit_schema::ScimError::from(e)
                    .scim_type()
                    .unwrap()
                    .as_str()
                    .to_owned();
                assert!(t == "invalidPath" || t == "invalidFilter", "{text}: {t}");
            }
            (Ok(p), false) => panic!("{text:?} should fail ({}), parsed as {p}", case["source"]),
            (Err(e), true) => panic!("{text:?} should parse: {e}"),
        }
    }
    assert_eq!(cases.len(), 22);
}
