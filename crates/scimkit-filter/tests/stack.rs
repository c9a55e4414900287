//! Stack safety on a 2 MiB thread (the default size of a spawned thread).
//!
//! Hostile filters nested past `ParseOptions::MAX_DEPTH_CEILING` in every way
//! the grammar nests must be errors, and the deepest accepted filter must
//! survive everything done with it; values built in code far deeper than any
//! JSON parser allows must evaluate, sort and test for presence without
//! recursion.

use scimkit_filter::visit::{fold, Fold};
use scimkit_filter::{CompValue, CompareOp, ErrorKind, Filter, ParseOptions, SortSpec, Span};
use scimkit_schema::{AttrPath, ResourceSchema, ScimType};
use serde_json::{json, Map, Value};

const CEILING: usize = ParseOptions::MAX_DEPTH_CEILING;

/// Run `f` on a thread with a 2 MiB stack; a stack overflow aborts the test
/// process, so reaching the end is the assertion.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Every way the grammar nests, `depth` levels deep (counted the way
/// `max_depth` counts: `(`, `not (` and `[`).
fn nestings(depth: usize) -> Vec<(&'static str, String)> {
    let alternating = {
        let mut s = String::from("a pr");
        for i in 0..depth {
            let op = if i % 2 == 0 { "and" } else { "or" };
            s = format!("b pr {op} ({s})");
        }
        s
    };
    vec![
        (
            "parens",
            format!("{}a pr{}", "(".repeat(depth), ")".repeat(depth)),
        ),
        (
            "not(",
            format!("{}a pr{}", "not(".repeat(depth), ")".repeat(depth)),
        ),
        (
            "not (",
            format!("{}a pr{}", "not (".repeat(depth), ")".repeat(depth)),
        ),
        (
            "not and",
            format!("{}a pr{}", "not(a pr and ".repeat(depth), ")".repeat(depth)),
        ),
        ("and/or", alternating),
        (
            "value path",
            format!(
                "emails[{}type pr{}]",
                "not(value pr or ".repeat(depth - 1),
                ")".repeat(depth - 1)
            ),
        ),
        (
            "inside value path",
            format!(
                "{}emails[{}type pr{}]{}",
                "(".repeat(depth / 2),
                "(".repeat(depth - depth / 2 - 1),
                ")".repeat(depth - depth / 2 - 1),
                ")".repeat(depth / 2)
            ),
        ),
    ]
}

struct Leaves;

impl Fold for Leaves {
    type Output = usize;
    type Error = ();
    fn compare(&mut self, _: &AttrPath, _: CompareOp, _: &CompValue, _: Span) -> Result<usize, ()> {
        Ok(1)
    }
    fn present(&mut self, _: &AttrPath, _: Span) -> Result<usize, ()> {
        Ok(1)
    }
    fn and(&mut self, c: Vec<usize>, _: Span) -> Result<usize, ()> {
        Ok(c.iter().sum())
    }
    fn or(&mut self, c: Vec<usize>, _: Span) -> Result<usize, ()> {
        Ok(c.iter().sum())
    }
    fn not(&mut self, inner: usize, _: Span) -> Result<usize, ()> {
        Ok(inner)
    }
    fn value_path(&mut self, _: &AttrPath, inner: usize, _: Span) -> Result<usize, ()> {
        Ok(inner)
    }
}

#[test]
fn max_depth_is_clamped_to_the_ceiling() {
    assert_eq!(CEILING, 128);
    assert_eq!(ParseOptions::default().max_depth, 64);
    let raised = ParseOptions::default().max_depth(100_000);
    assert_eq!(raised.max_depth, CEILING);
    assert_eq!(raised.effective_max_depth(), CEILING);
    // The field is public: set past the ceiling directly, the ceiling holds.
    let mut direct = ParseOptions::default();
    direct.max_depth = 100_000;
    assert_eq!(direct.effective_max_depth(), CEILING);
    assert_eq!(
        ParseOptions::default().max_depth(10).effective_max_depth(),
        10
    );
}

#[test]
fn hostile_nesting_past_the_ceiling_is_an_error_on_a_2_mib_stack() {
    on_small_stack(|| {
        let mut direct = ParseOptions::default().max_length(1 << 20);
        direct.max_depth = usize::MAX;
        for opts in [
            direct,
            ParseOptions::default()
                .max_length(1 << 20)
                .max_depth(1 << 20),
        ] {
            for extra in [1, 2, 1_000, 50_000] {
                for (how, input) in nestings(CEILING + extra) {
                    let e = Filter::parse_with(&input, opts).expect_err(how);
                    assert_eq!(e.kind(), &ErrorKind::TooDeep(CEILING), "{how} +{extra}");
                    let scim = scimkit_schema::ScimError::from(e.clone());
                    assert_eq!(scim.scim_type(), Some(&ScimType::InvalidFilter));
                    assert!(scim
                        .detail()
                        .unwrap()
                        .contains(&format!("at byte {}", e.offset())));
                    assert!(scim.detail().unwrap().len() < 200, "{how}: bounded detail");
                }
            }
        }
        // PATCH's value-path entry point has the same ceiling.
        let deep = format!(
            "emails[{}type pr{}]",
            "(".repeat(CEILING),
            ")".repeat(CEILING)
        );
        let mut opts = ParseOptions::default();
        opts.max_depth = usize::MAX;
        let e = scimkit_filter::parse_value_path_prefix(&deep, opts).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooDeep(CEILING));
    });
}

#[test]
fn the_deepest_accepted_filter_is_safe_to_use_on_a_2_mib_stack() {
    on_small_stack(|| {
        let opts = ParseOptions::default()
            .max_length(1 << 20)
            .max_depth(CEILING);
        let user = json!({"a": 1, "b": 2, "emails": [{"type": "work", "value": "x"}]});
        for (how, input) in nestings(CEILING) {
            let f = Filter::parse_with(&input, opts).unwrap_or_else(|e| panic!("{how}: {e}"));
            let compiled = f.compile(ResourceSchema::user()).expect(how);
            compiled.matches(&user);
            f.compile_schemaless().matches(&user);
            f.matches(&user);
            let printed = f.to_string();
            let again = Filter::parse_with(&printed, opts).expect(how);
            assert!(again == f, "{how}: round trip");
            let copy = f.clone();
            assert!(fold(&copy, &mut Leaves).is_ok(), "{how}");
            let mut seen = 0;
            f.walk(&mut |_| seen += 1);
            assert_eq!(seen, f.node_count(), "{how}");
            assert!(!format!("{f:?}").is_empty());
            drop((f, copy, again, compiled));
        }
    });
}

#[test]
fn trees_built_in_code_deeper_than_the_parser_allows_do_not_compile() {
    // Built and dropped on the main thread (Drop recurses); only the compile
    // runs on the small stack, and refuses before recursing too far.
    let mut f = Filter::present("a".parse().unwrap());
    for _ in 0..(4 * CEILING) {
        f = Filter::negate(f);
    }
    let f = std::sync::Arc::new(f);
    let shared = std::sync::Arc::clone(&f);
    on_small_stack(move || {
        let e = shared.compile(ResourceSchema::user()).unwrap_err();
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidFilter));
        assert!(e.detail().unwrap().contains("nests deeper than"), "{e}");
        assert!(!shared.compile_schemaless().matches(&json!({"a": 1})));
    });
}

/// `levels` nested arrays and objects around `leaf`, built without recursion.
fn deep_value(levels: usize, leaf: Value) -> Value {
    let mut v = leaf;
    for i in 0..levels {
        v = if i % 2 == 0 {
            Value::Array(vec![v])
        } else {
            let mut m = Map::new();
            m.insert("value".into(), v);
            Value::Object(m)
        };
    }
    v
}

/// Drop a value without recursion (serde_json's own drop recurses).
fn dismantle(v: Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => stack.extend(members.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[test]
fn values_nested_100_000_deep_evaluate_on_a_2_mib_stack() {
    on_small_stack(|| {
        const LEVELS: usize = 100_000;
        let mut resources = Vec::new();
        for (leaf, present) in [(json!("x"), true), (Value::Null, false), (json!(""), false)] {
            // No `json!` around a deep value: it would serialize it, recursively.
            let object = |key: &str, v: Value| {
                let mut m = Map::new();
                m.insert(key.to_owned(), v);
                m
            };
            let mut email = object("value", deep_value(LEVELS, leaf.clone()));
            email.insert("type".into(), json!("work"));
            let mut user = object("title", deep_value(LEVELS, leaf.clone()));
            user.insert(
                "name".into(),
                Value::Object(object("givenName", deep_value(LEVELS, leaf))),
            );
            user.insert("emails".into(), Value::Array(vec![Value::Object(email)]));
            resources.push((Value::Object(user), present));
        }
        // If an assertion fails, unwinding must not drop the deep values
        // (serde_json's drop recurses): they are dismantled at the end.
        let resources = std::mem::ManuallyDrop::new(resources);
        for (user, present) in resources.iter() {
            for filter in ["title pr", "name pr", "emails[value pr]", "emails.value pr"] {
                let f = Filter::parse(filter).unwrap();
                let schema = f.compile(ResourceSchema::user()).unwrap().matches(user);
                assert_eq!(schema, *present, "{filter}");
                assert_eq!(f.matches(user), *present, "{filter} schemaless");
            }
            for filter in [
                r#"title eq "x""#,
                r#"emails co "x""#,
                "title eq null",
                r#"name.givenName sw "x""#,
            ] {
                let f = Filter::parse(filter).unwrap();
                f.compile(ResourceSchema::user()).unwrap().matches(user);
                f.matches(user);
            }
        }
        let resources = std::mem::ManuallyDrop::into_inner(resources);
        let mut users = std::mem::ManuallyDrop::new(
            resources
                .into_iter()
                .map(|(u, _)| u)
                .collect::<Vec<Value>>(),
        );
        for by in ["title", "name.givenName", "emails"] {
            let spec = SortSpec::from_query(by, None).unwrap();
            spec.compile(ResourceSchema::user())
                .unwrap()
                .sort(&mut users);
            spec.compile_schemaless().sort(&mut users);
        }
        std::mem::ManuallyDrop::into_inner(users)
            .into_iter()
            .for_each(dismantle);
    });
}
