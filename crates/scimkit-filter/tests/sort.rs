//! Sorting (RFC 7644 §3.4.2.3).

use scimkit_filter::{SortOrder, SortSpec};
use scimkit_schema::{ResourceSchema, ScimType};
use serde_json::{json, Value};

fn names(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|v| {
            v.get(key).map_or("-".to_owned(), |x| {
                x.to_string().trim_matches('"').to_owned()
            })
        })
        .collect()
}

fn sorted(sort_by: &str, order: Option<&str>, mut items: Vec<Value>) -> Vec<Value> {
    SortSpec::from_query(sort_by, order)
        .unwrap()
        .compile(ResourceSchema::user())
        .unwrap()
        .sort(&mut items);
    items
}

#[test]
fn strings_case_insensitive_missing_last_ascending_first_descending() {
    let users = vec![
        json!({"id": "1", "userName": "carol"}),
        json!({"id": "2"}),
        json!({"id": "3", "userName": "Alice"}),
        json!({"id": "4", "userName": "bob"}),
        json!({"id": "5", "userName": null}),
    ];
    assert_eq!(
        names(&sorted("userName", None, users.clone()), "id"),
        ["3", "4", "1", "2", "5"]
    );
    assert_eq!(
        names(&sorted("userName", Some("descending"), users), "id"),
        ["2", "5", "1", "4", "3"]
    );
}

#[test]
fn case_exact_attributes_sort_by_code_point() {
    let users = vec![
        json!({"externalId": "b"}),
        json!({"externalId": "B"}),
        json!({"externalId": "a"}),
    ];
    assert_eq!(
        names(&sorted("externalId", None, users), "externalId"),
        ["B", "a", "b"]
    );
}

#[test]
fn datetimes_sort_chronologically() {
    let users = vec![
        json!({"id": "late", "meta": {"created": "2011-05-13T06:00:00+02:00"}}),
        json!({"id": "early", "meta": {"created": "2011-05-13T04:30:00Z"}}),
    ];
    // As strings "2011-05-13T04..." < "2011-05-13T06...", but 06:00+02:00 is 04:00Z.
    assert_eq!(
        names(&sorted("meta.created", None, users), "id"),
        ["late", "early"]
    );
}

#[test]
fn multi_valued_sorts_by_primary_then_first() {
    let users = vec![
        json!({"id": "a", "emails": [{"value": "z@x"}, {"value": "a@x", "primary": true}]}),
        json!({"id": "b", "emails": [{"value": "m@x"}, {"value": "b@x"}]}),
        json!({"id": "c", "emails": []}),
    ];
    assert_eq!(
        names(&sorted("emails.value", None, users.clone()), "id"),
        ["a", "b", "c"]
    );
    // A multi-valued complex attribute without sub-attribute sorts by `value`.
    assert_eq!(names(&sorted("emails", None, users), "id"), ["a", "b", "c"]);
}

#[test]
fn stable_and_schemaless() {
    let items = vec![
        json!({"n": 2, "k": "first"}),
        json!({"n": 1}),
        json!({"n": 2, "k": "second"}),
        json!({"n": "text"}),
        json!({"n": true}),
    ];
    let mut got = items;
    SortSpec::from_query("n", None)
        .unwrap()
        .compile_schemaless()
        .sort(&mut got);
    assert_eq!(
        got,
        vec![
            json!({"n": true}),
            json!({"n": 1}),
            json!({"n": 2, "k": "first"}),
            json!({"n": 2, "k": "second"}),
            json!({"n": "text"})
        ]
    );
}

#[test]
fn parameters_and_errors() {
    let spec = SortSpec::from_query(" name.familyName ", Some("DESCENDING")).unwrap();
    assert_eq!(spec.order, SortOrder::Descending);
    assert_eq!(spec.path.to_string(), "name.familyName");
    assert_eq!(
        SortSpec::from_query("x", Some("")).unwrap().order,
        SortOrder::Ascending
    );
    for (by, order) in [("a..b", None), ("userName", Some("up"))] {
        let e = SortSpec::from_query(by, order).unwrap_err();
        assert_eq!(
            e.scim_type(),
            Some(&ScimType::InvalidValue),
            "{by} {order:?}"
        );
    }
    // A complex attribute needs a sub-attribute.
    let e = SortSpec::from_query("name", None)
        .unwrap()
        .compile(ResourceSchema::user())
        .unwrap_err();
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue));
    // Undefined: everything is "missing", order kept.
    let mut items = vec![json!({"id": "2"}), json!({"id": "1"})];
    SortSpec::from_query("nosuch", None)
        .unwrap()
        .compile(ResourceSchema::user())
        .unwrap()
        .sort(&mut items);
    assert_eq!(names(&items, "id"), ["2", "1"]);
}
