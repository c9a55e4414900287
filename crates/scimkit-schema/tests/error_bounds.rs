//! Error messages quote at most an excerpt of the input that caused them:
//! a megabyte of client input must not come back as a megabyte of `detail`.

use scimkit_schema::compare::{compare_values, values_equal};
use scimkit_schema::error::excerpt;
use scimkit_schema::{
    AttrPath, AttributeType, Mutability, Projection, ResourceSchema, Schema, ScimError,
};
use serde_json::{json, Value};

/// Generous: every message is a sentence plus one excerpt or two.
const MAX_MESSAGE: usize = 400;

fn megabyte() -> String {
    "x".repeat(1 << 20)
}

fn assert_short(what: &str, message: &str) {
    assert!(
        message.len() <= MAX_MESSAGE,
        "{what}: {} bytes: {}",
        message.len(),
        excerpt(message)
    );
}

#[test]
fn excerpt_of_a_megabyte() {
    let text = megabyte();
    let e = excerpt(&text);
    assert_short("excerpt", &e);
    assert!(e.starts_with("xxxx"));
    assert!(e.ends_with("…(1048576 bytes)"), "{e}");
}

#[test]
fn invalid_datetime_literal_and_value() {
    let big = Value::String(megabyte());
    let ok = json!("2011-05-13T04:42:34Z");
    for err in [
        compare_values(&ok, &big, AttributeType::DateTime, false).unwrap_err(),
        compare_values(&big, &ok, AttributeType::DateTime, false).unwrap_err(),
        values_equal(&ok, &big, AttributeType::DateTime, false).unwrap_err(),
    ] {
        assert_short("CompareError", &err.to_string());
        assert_short("ScimError", &ScimError::from(err).to_string());
    }
}

#[test]
fn path_and_projection_errors() {
    let huge = format!("userName{}", "!".repeat(1 << 20));
    let err = AttrPath::parse(&huge).unwrap_err();
    assert_short("PathError", &err.to_string());
    let err = Projection::from_query(Some(&huge), Some(&huge)).unwrap_err();
    assert_short("Projection", &err.to_string());
}

#[test]
fn resolve_errors_quote_an_excerpt_of_the_path() {
    // The longest path the parser accepts, unknown to the schema.
    let path = AttrPath::parse(&"a".repeat(AttrPath::MAX_LEN)).unwrap();
    let err = ResourceSchema::user().resolve(&path).unwrap_err();
    assert_short("ResolveError", &err.to_string());
    assert_eq!(
        err.path().len(),
        AttrPath::MAX_LEN,
        "the accessor keeps it whole"
    );
}

#[test]
fn schema_load_errors() {
    let err = megabyte().parse::<Mutability>().unwrap_err();
    assert_short("UnknownKeyword", &err.to_string());
    // serde_json quotes a mistyped string whole in its own message.
    let doc = json!({"id": "urn:x:y", "attributes": [{"name": "a", "multiValued": megabyte()}]});
    let err = Schema::from_json(&doc.to_string()).unwrap_err();
    let message = err.to_string();
    assert_short("LoadError", &message);
    assert!(message.contains("line 1 column"), "{message}");
    let doc = json!({"id": "urn:x:y", "attributes": [{"name": megabyte()}, {"name": megabyte()}]});
    let err = Schema::from_json(&doc.to_string()).unwrap_err();
    assert_short("LoadError", &err.to_string());
}
