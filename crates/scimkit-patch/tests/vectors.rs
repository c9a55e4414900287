//! RFC 7644 §3.5.2 PATCH vectors (copied from the shared `vectors/` into
//! `tests/data/`): the whole resulting resource, or the acceptable scimTypes.

use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::Value;

#[test]
fn rfc_patch_vectors() {
    let data: Value = serde_json::from_str(include_str!("data/patch-rfc.json")).unwrap();
    let cases = data["cases"].as_array().unwrap();
    let strict = PatchOptions::strict();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let schema = match case["resourceType"].as_str().unwrap() {
            "Group" => ResourceSchema::group(),
            _ => ResourceSchema::user(),
        };
        let mut resource = case["resource"].clone();
        let before = resource.clone();
        let result = PatchRequest::from_value(&case["request"], &strict)
            .and_then(|r| r.apply(&mut resource, schema, &strict));
        let expect = &case["expect"];
        match (result, expect.get("resource"), expect.get("error")) {
            (Ok(_), Some(want), _) => assert_eq!(&resource, want, "{name}"),
            (Err(e), _, Some(errors)) => {
                let t = e
                    .scim_type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default();
                assert!(
                    errors
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|x| x == &Value::String(t.clone())),
                    "{name}: got {t} ({e}), want one of {errors}"
                );
                assert_eq!(e.status(), 400, "{name}");
                assert_eq!(
                    resource, before,
                    "{name}: resource changed despite the error"
                );
            }
            (Ok(_), _, Some(errors)) => panic!("{name}: succeeded, want an error in {errors}"),
            (Err(e), Some(_), _) => panic!("{name}: {e}"),
            (r, None, None) => panic!("{name}: vector has no expectation ({r:?})"),
        }
    }
    assert_eq!(cases.len(), 15);
}

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
