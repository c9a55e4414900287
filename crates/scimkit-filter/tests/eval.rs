//! Evaluation semantics that cannot be written as data.
//!
//! Everything that is a filter, a resource and an answer lives in
//! `data/filter-eval.json` (run by `eval_vectors.rs`). What is left here
//! needs Rust: compile options, resources that are not JSON objects.

use scimkit_filter::{CompileOptions, Filter};
use scimkit_schema::{ResourceSchema, ScimType};
use serde_json::json;

#[test]
fn strict_attributes_rejects_undefined_names() {
    let strict = CompileOptions::default().strict_attributes(true);
    for f in [
        r#"nosuch eq "x""#,
        "name.nosuch pr",
        r#"emails[nosuch eq "x"]"#,
    ] {
        let err = Filter::parse(f)
            .unwrap()
            .compile_with(ResourceSchema::user(), strict)
            .expect_err(f);
        assert_eq!(err.scim_type(), Some(&ScimType::InvalidFilter));
        assert!(err.detail().unwrap().contains("nosuch"), "{err}");
    }
}

#[test]
fn non_object_resources_never_match() {
    for r in [json!(null), json!([]), json!("x"), json!(1)] {
        for f in ["userName pr", "userName eq null"] {
            let filter = Filter::parse(f).unwrap();
            let schema = filter.compile(ResourceSchema::user()).unwrap().matches(&r);
            assert_eq!(schema, filter.matches(&r), "{f} on {r}");
            assert_eq!(schema, f.ends_with("null"), "{f} on {r}");
        }
    }
}
