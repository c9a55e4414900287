//! Fuzz filter evaluation. The input is `<filter> NUL <JSON resource>`:
//! the filter is compiled against the built-in User schema (errors are
//! fine) and without a schema, and both compiled forms are matched against
//! the resource when it is JSON (also against each element of a JSON
//! array). `not (f)` must parse whenever `f` does, compile exactly when `f`
//! compiles, and match exactly the resources `f` does not.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_filter::{CompiledFilter, Filter, ParseOptions};
use scimkit_schema::ResourceSchema;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (filter_bytes, resource_bytes) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(filter_bytes) else {
        return;
    };
    let Ok(f) = Filter::parse(text) else {
        return;
    };
    let user_schema = ResourceSchema::user();
    let schemaless = f.compile_schemaless();
    let typed = f.compile(user_schema);

    // `not (f)`: one more level of nesting and one more node than `f`, and
    // the canonical form may be longer than the input, so widen the limits
    // by exactly that much.
    let defaults = ParseOptions::default();
    let negated_text = format!("not ({f})");
    let options = defaults
        .max_depth(defaults.max_depth + 1)
        .max_nodes(defaults.max_nodes + 1)
        .max_length(negated_text.len().max(defaults.max_length));
    let negated = Filter::parse_with(&negated_text, options).unwrap_or_else(|e| {
        panic!(
            "`not (f)` does not parse\nfilter: {text:?}\n{}",
            e.render(&negated_text)
        )
    });
    assert!(
        negated == Filter::negate(f.clone()),
        "`not (f)` parsed to something else than Not(f) for {text:?}"
    );
    let neg_schemaless = negated.compile_schemaless();
    let neg_typed = negated.compile(user_schema);
    assert_eq!(
        typed.is_ok(),
        neg_typed.is_ok(),
        "f and not (f) disagree on compiling against User: {text:?}: {:?} / {:?}",
        typed.as_ref().err(),
        neg_typed.as_ref().err()
    );

    let Ok(resource) = serde_json::from_slice::<Value>(resource_bytes) else {
        return;
    };
    let check = |r: &Value| {
        check_negation("schemaless", text, r, &schemaless, &neg_schemaless);
        if let (Ok(t), Ok(n)) = (&typed, &neg_typed) {
            check_negation("User", text, r, t, n);
        }
    };
    check(&resource);
    if let Value::Array(items) = &resource {
        items.iter().for_each(check);
    }
});

fn check_negation(
    how: &str,
    text: &str,
    resource: &Value,
    f: &CompiledFilter,
    not_f: &CompiledFilter,
) {
    let m = f.matches(resource);
    let n = not_f.matches(resource);
    assert_ne!(
        m, n,
        "{how}: f and not (f) both {m} for filter {text:?} on {resource}"
    );
}
