//! Property tests: printing round-trips, parsing never panics, and logical
//! equivalences (double negation, De Morgan) hold under evaluation.

use proptest::prelude::*;
use scimkit_filter::{CompValue, CompareOp, Filter};
use scimkit_schema::{AttrPath, ResourceSchema};
use serde_json::{json, Number, Value};

fn path(text: &'static str) -> AttrPath {
    AttrPath::parse(text).unwrap()
}

fn top_path() -> impl Strategy<Value = AttrPath> {
    prop_oneof![
        Just(path("userName")),
        Just(path("title")),
        Just(path("active")),
        Just(path("emails")),
        Just(path("emails.type")),
        Just(path("emails.value")),
        Just(path("name.givenName")),
        Just(path(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"
        )),
        Just(path("NickName")),
    ]
}

fn sub_path() -> impl Strategy<Value = AttrPath> {
    prop_oneof![
        Just(path("type")),
        Just(path("value")),
        Just(path("primary"))
    ]
}

fn value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        // Decimals the parser keeps: finite and below 2^53 in magnitude.
        any::<f64>()
            .prop_filter("exact as f64", |f| f.abs() < 9_007_199_254_740_992.0)
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(CompValue::Number),
        "[a-cA-C@. ]{0,4}".prop_map(|s: String| CompValue::String(s.into())),
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
    let value_path = (
        prop_oneof![Just(path("emails")), Just(path("ims"))],
        logical(leaf(sub_path().boxed())),
    )
        .prop_map(|(p, f)| Filter::value_path(p, f));
    let base = prop_oneof![3 => leaf(top_path().boxed()), 1 => value_path].boxed();
    logical(base)
}

fn resource() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        Just(json!("a")),
        Just(json!("B")),
        Just(json!("")),
        Just(json!("a@b.c")),
        Just(Value::Null)
    ];
    let email = (text.clone(), text.clone(), any::<bool>())
        .prop_map(|(t, v, p)| json!({"type": t, "value": v, "primary": p}));
    (
        text.clone(),
        text.clone(),
        prop_oneof![Just(json!(true)), Just(json!(false)), Just(json!(1)), Just(Value::Null)],
        proptest::collection::vec(email, 0..3),
        text,
    )
        .prop_map(|(user, title, active, emails, number)| {
            json!({
                "userName": user,
                "title": title,
                "active": active,
                "emails": emails,
                "name": {"givenName": "a"},
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": number},
            })
        })
}

/// Both evaluation modes of `f` (the User-schema one only when it compiles).
fn evals(f: &Filter, r: &Value) -> (bool, Option<bool>) {
    let typed = f.compile(ResourceSchema::user()).ok().map(|c| c.matches(r));
    (f.compile_schemaless().matches(r), typed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printing_round_trips(f in filter()) {
        let printed = f.to_string();
        let again = Filter::parse(&printed);
        prop_assert!(again.is_ok(), "{printed}: {:?}", again.err());
        let again = again.unwrap();
        prop_assert_eq!(&again, &f);
        prop_assert_eq!(again.to_string(), printed);
    }

    #[test]
    fn double_negation(f in filter(), r in resource()) {
        let nn = Filter::negate(Filter::negate(f.clone()));
        prop_assert_eq!(evals(&nn, &r), evals(&f, &r));
    }

    #[test]
    fn negation_flips(f in filter(), r in resource()) {
        let (plain, typed) = evals(&f, &r);
        let (nplain, ntyped) = evals(&Filter::negate(f), &r);
        prop_assert_eq!(nplain, !plain);
        prop_assert_eq!(ntyped, typed.map(|t| !t));
    }

    #[test]
    fn de_morgan(a in filter(), b in filter(), r in resource()) {
        let not_and = Filter::negate(Filter::and(a.clone(), b.clone()));
        let or_nots = Filter::or(Filter::negate(a.clone()), Filter::negate(b.clone()));
        prop_assert_eq!(evals(&not_and, &r), evals(&or_nots, &r));
        let not_or = Filter::negate(Filter::or(a.clone(), b.clone()));
        let and_nots = Filter::and(Filter::negate(a), Filter::negate(b));
        prop_assert_eq!(evals(&not_or, &r), evals(&and_nots, &r));
    }

    #[test]
    fn parsing_never_panics(input in any::<String>()) {
        match Filter::parse(&input) {
            Ok(f) => prop_assert_eq!(Filter::parse(&f.to_string()).unwrap(), f),
            Err(e) => {
                prop_assert!(e.offset() <= input.len());
                let _ = e.render(&input);
            }
        }
    }

    #[test]
    fn filter_like_text_never_panics(input in r#"[a-z .()\[\]"\\0-9:-]{0,60}|(not|and|or|eq|pr| |\(|\)|"x"|a|\[|\]){0,20}"#) {
        if let Ok(f) = Filter::parse(&input) {
            let _ = f.compile(ResourceSchema::user());
            let _ = f.compile_schemaless().matches(&json!({"a": 1}));
            prop_assert_eq!(Filter::parse(&f.to_string()).unwrap(), f);
        }
    }
}
