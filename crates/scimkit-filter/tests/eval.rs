//! Evaluation semantics that cannot be written as data.
//!
//! Everything that is a filter, a resource and an answer lives in
//! `data/filter-eval.json` (run by `eval_vectors.rs`). What is left here
//! needs Rust: compile options, resources that are not JSON objects.

use scimkit_filter::{CompileOptions, Filter, SortSpec};
use scimkit_schema::{
    Attribute, AttributeType, Mutability, ResourceSchema, ResourceType, Returned, Schema,
    SchemaExtension, ScimError, ScimType,
};
use serde_json::json;

const DEVICE: &str = "urn:example:Device";
const DEVICE_EXT: &str = "urn:example:DeviceExt";

fn attr(name: &str, kind: AttributeType, returned: Returned) -> Attribute {
    let mut a = Attribute::new(name, kind);
    a.returned = returned;
    a
}

/// A resource type whose core and extension both define `label` (to test
/// core-first lookup) and that holds never-returned values at every level:
/// an attribute, sub-attributes of multi-valued and singular complex
/// attributes, an extension attribute, and a whole complex attribute.
fn device() -> ResourceSchema {
    use AttributeType::{Complex, String};
    use Returned::{Default, Never};
    let mut secret = attr("secret", String, Never);
    secret.mutability = Mutability::WriteOnly;
    let mut keys = attr("keys", Complex, Default);
    keys.multi_valued = true;
    keys.sub_attributes = vec![attr("value", String, Never), attr("type", String, Default)];
    let mut owner = attr("owner", Complex, Default);
    owner.sub_attributes = vec![
        attr("name", String, Default),
        attr("pinHash", String, Never),
    ];
    let mut vault = attr("vault", Complex, Never);
    vault.multi_valued = true;
    vault.sub_attributes = vec![attr("type", String, Default)];
    let mut core = Schema::new(DEVICE);
    core.attributes = vec![attr("label", String, Default), secret, keys, owner, vault];
    let mut ext = Schema::new(DEVICE_EXT);
    ext.attributes = vec![
        attr("label", String, Default),
        attr("pin", String, Never),
        attr("site", String, Default),
    ];
    let mut rt = ResourceType::new("Device", "/Devices", DEVICE);
    rt.schema_extensions
        .push(SchemaExtension::new(DEVICE_EXT, false));
    ResourceSchema::new(rt, &[core, ext]).unwrap()
}

fn compile_err(filter: &str, schema: &ResourceSchema) -> ScimError {
    let err = Filter::parse(filter)
        .unwrap()
        .compile(schema)
        .expect_err(filter);
    assert_eq!(err.scim_type(), Some(&ScimType::InvalidFilter), "{filter}");
    err
}

#[test]
fn never_returned_values_cannot_be_filtered_at_any_level() {
    let rs = device();
    let cases = [
        ("secret pr", "0..9", "secret"),
        (r#"secret eq "x""#, "0..13", "secret"),
        (r#"keys.value sw "a""#, "0..17", "value"),
        (r#"keys co "a""#, "0..11", "value"),
        (r#"label pr and keys[value eq "a"]"#, "18..30", "value"),
        (
            r#"keys[type eq "ssh" and not (value ew "a")]"#,
            "28..40",
            "value",
        ),
        (r#"owner.pinHash eq "x""#, "0..20", "pinHash"),
        ("owner pr", "0..8", "pinHash"),
        (r#"pin eq "1234""#, "0..13", "pin"),
        (r#"urn:example:DeviceExt:pin pr"#, "0..28", "pin"),
        (r#"vault[type eq "x"]"#, "0..18", "vault"),
        (r#"vault.type eq "x""#, "0..17", "vault"),
        ("vault pr", "0..8", "vault"),
    ];
    for (filter, span, name) in cases {
        let detail = compile_err(filter, &rs).detail().unwrap().to_owned();
        assert!(
            detail.contains(&format!("at bytes {span}:")),
            "{filter}: {detail}"
        );
        assert!(
            detail.contains(&format!("{name:?} is never returned")),
            "{filter}: {detail}"
        );
    }
    // What is returned stays usable, next to the secrets.
    for ok in [r#"keys[type eq "ssh"]"#, "owner.name pr", r#"site eq "x""#] {
        Filter::parse(ok).unwrap().compile(&rs).expect(ok);
    }
    // The filter of a PATCH value path, compiled for the elements.
    let keys = rs.core().attribute("keys").unwrap();
    let err = Filter::parse(r#"value eq "a""#)
        .unwrap()
        .compile_for_elements(keys, CompileOptions::default())
        .unwrap_err();
    assert_eq!(err.scim_type(), Some(&ScimType::InvalidFilter));
    assert!(err
        .detail()
        .unwrap()
        .contains("\"value\" is never returned"));
    // Sorting by a secret would leak its order: refused as well.
    let err = SortSpec::from_query("password", None)
        .unwrap()
        .compile(ResourceSchema::user())
        .unwrap_err();
    assert_eq!(err.scim_type(), Some(&ScimType::InvalidValue));
    assert!(err.detail().unwrap().contains("never returned"), "{err}");
}

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

#[test]
fn unqualified_names_resolve_core_first_then_extensions() {
    let rs = device();
    let device = json!({
        "label": "core",
        "site": "top-level",
        DEVICE_EXT: {"label": "ext", "site": "lab"},
    });
    let matches = |f: &str| {
        Filter::parse(f)
            .unwrap()
            .compile(&rs)
            .unwrap_or_else(|e| panic!("{f}: {e}"))
            .matches(&device)
    };
    // Defined by both: the core schema wins (RFC 7644 §3.10).
    assert!(matches(r#"label eq "core""#));
    assert!(!matches(r#"label eq "ext""#));
    assert!(matches(&format!(r#"{DEVICE}:label eq "core""#)));
    assert!(matches(&format!(r#"{DEVICE_EXT}:label eq "ext""#)));
    // Only in the extension: the fallback finds it, in the extension object
    // (the top-level member of the same name is not the attribute).
    assert!(matches(r#"site eq "lab""#));
    assert!(!matches(r#"site eq "top-level""#));
}

#[test]
fn filter_only_attributes_can_be_allowed_but_write_only_ones_never() {
    let rs = device();
    let allow = CompileOptions::default().filter_never_returned(true);
    let compile =
        |f: &str, schema: &ResourceSchema| Filter::parse(f).unwrap().compile_with(schema, allow);
    // returned "never" but not writeOnly: filter-only, allowed on request.
    let device = json!({"keys": [{"type": "ssh", "value": "k1"}], "vault": [{"type": "t"}]});
    for (f, want) in [
        (r#"keys[value eq "k1"]"#, true),
        (r#"keys.value eq "k2""#, false),
        ("vault pr", true),
        (r#"owner.pinHash eq "x""#, false),
        (r#"pin eq "1234""#, false),
    ] {
        assert_eq!(compile(f, &rs).expect(f).matches(&device), want, "{f}");
    }
    // writeOnly (a secret by RFC 7643 §7) stays refused.
    for (f, schema) in [
        ("secret pr", &rs),
        (r#"password eq "x""#, ResourceSchema::user()),
    ] {
        let err = compile(f, schema).unwrap_err();
        assert_eq!(err.scim_type(), Some(&ScimType::InvalidFilter));
        assert!(err.detail().unwrap().contains("never returned"), "{err}");
    }
}
