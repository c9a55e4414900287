//! `Filter::check_with` is `compile_with` without the matcher: the same
//! verdict, the same error (status, scimType, detail), on every filter of
//! the vectors (every schema and option combination) and on generated
//! filters that reach every rule (secrets, singular complex, dateTime and
//! number literals, unknown names, nested value paths, strict mode).

use proptest::prelude::*;
use scimkit_filter::{CompValue, CompareOp, CompileOptions, Filter};
use scimkit_schema::{AttrPath, ResourceSchema};
use serde_json::{Number, Value};

const EVAL: &str = include_str!("data/filter-eval.json");
const PARSE: &str = include_str!("data/filter-parse.json");
const PEER_PARSE: &str = include_str!("data/peer-filter-parse.json");

fn all_options() -> [CompileOptions; 4] {
    let d = CompileOptions::default();
    [
        d,
        d.strict_attributes(true),
        d.filter_never_returned(true),
        d.strict_attributes(true).filter_never_returned(true),
    ]
}

/// Every schema and option combination agrees; `Err(why)` otherwise.
fn agree(filter: &Filter) -> Result<(), String> {
    for schema in [ResourceSchema::user(), ResourceSchema::group()] {
        for options in all_options() {
            let compiled = filter.compile_with(schema, options).err();
            let checked = filter.check_with(schema, options).err();
            if compiled != checked {
                return Err(format!(
                    "{filter} ({options:?}): compile {compiled:?}, check {checked:?}"
                ));
            }
        }
    }
    Ok(())
}

/// Every string under a `"filter"` key, anywhere in a JSON document.
fn filters_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("filter", Value::String(s)) => out.push(s.clone()),
                    _ => filters_in(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| filters_in(i, out)),
        _ => {}
    }
}

#[test]
fn check_equals_compile_on_every_vector() {
    let mut texts = Vec::new();
    for doc in [EVAL, PARSE, PEER_PARSE] {
        let v: Value = serde_json::from_str(doc).unwrap();
        filters_in(&v, &mut texts);
    }
    let parsed: Vec<Filter> = texts.iter().filter_map(|t| Filter::parse(t).ok()).collect();
    assert!(parsed.len() > 200, "only {} vectors parsed", parsed.len());
    let mut errors = 0;
    for f in &parsed {
        if let Err(why) = agree(f) {
            panic!("{why}");
        }
        errors += usize::from(f.compile(ResourceSchema::user()).is_err());
    }
    // The vectors reach the error paths, not only the happy one.
    assert!(errors > 10, "only {errors} vectors fail to compile");
}

#[test]
fn check_refuses_a_tree_deeper_than_compile_accepts() {
    let mut f = Filter::parse(r#"userName eq "a""#).unwrap();
    for _ in 0..400 {
        f = Filter::negate(f);
    }
    let err = f.check_with(ResourceSchema::user(), CompileOptions::default());
    assert!(err.is_err());
    assert_eq!(
        err.err(),
        f.compile_with(ResourceSchema::user(), CompileOptions::default())
            .err()
    );
}

fn path(text: &'static str) -> AttrPath {
    AttrPath::parse(text).unwrap()
}

fn top_path() -> impl Strategy<Value = AttrPath> {
    proptest::sample::select(vec![
        path("userName"),
        path("title"),
        path("active"),
        path("emails"),
        path("emails.type"),
        path("emails.value"),
        path("name"),
        path("name.givenName"),
        path("password"),
        path("groups"),
        path("groups.value"),
        path("members.value"),
        path("meta.created"),
        path("meta.lastModified"),
        path("schemas"),
        path("id"),
        path("x509Certificates.value"),
        path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"),
        path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"),
        path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
        path("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"),
        path("urn:example:unknown:attr"),
        path("manager.value"),
        path("employeeNumber"),
        path("NickName"),
        path("unknownThing"),
        path("name.unknownSub"),
        path("userName.sub"),
    ])
}

fn sub_path() -> impl Strategy<Value = AttrPath> {
    proptest::sample::select(vec![
        path("type"),
        path("value"),
        path("primary"),
        path("display"),
        path("nope"),
        path("emails.value"),
        path("urn:x:y:value"),
    ])
}

fn value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        any::<u64>().prop_map(|n| CompValue::Number(n.into())),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(CompValue::Number),
        "[a-cA-C@. ]{0,4}".prop_map(|s: String| CompValue::String(s.into())),
        Just(CompValue::String("2011-05-13T04:42:34Z".into())),
        Just(CompValue::String("2011-05-13T04:42:34.5+02:00".into())),
        Just(CompValue::String("yesterday".into())),
        any::<String>().prop_map(|s: String| CompValue::String(s.into())),
    ]
}

fn op() -> impl Strategy<Value = CompareOp> {
    proptest::sample::select(CompareOp::ALL.to_vec())
}

fn leaf(paths: BoxedStrategy<AttrPath>) -> BoxedStrategy<Filter> {
    prop_oneof![
        (paths.clone(), op(), value()).prop_map(|(p, o, v)| Filter::compare(p, o, v)),
        paths.prop_map(Filter::present),
    ]
    .boxed()
}

fn logical(inner: BoxedStrategy<Filter>) -> BoxedStrategy<Filter> {
    inner
        .prop_recursive(4, 24, 3, |f| {
            prop_oneof![
                (f.clone(), f.clone()).prop_map(|(a, b)| Filter::and(a, b)),
                (f.clone(), f.clone()).prop_map(|(a, b)| Filter::or(a, b)),
                f.prop_map(Filter::negate),
            ]
        })
        .boxed()
}

fn filter() -> impl Strategy<Value = Filter> {
    let vp_paths = proptest::sample::select(vec![
        path("emails"),
        path("ims"),
        path("name"),
        path("userName"),
        path("groups"),
        path("members"),
        path("nothing"),
        path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"),
    ]);
    let inner = prop_oneof![
        4 => leaf(sub_path().boxed()),
        1 => (Just(path("emails")), leaf(sub_path().boxed()))
            .prop_map(|(p, f)| Filter::value_path(p, f)),
    ]
    .boxed();
    let value_path = (vp_paths, logical(inner)).prop_map(|(p, f)| Filter::value_path(p, f));
    let base = prop_oneof![3 => leaf(top_path().boxed()), 1 => value_path].boxed();
    logical(base)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn check_equals_compile_on_generated_filters(f in filter()) {
        prop_assert_eq!(agree(&f), Ok(()));
    }
}
