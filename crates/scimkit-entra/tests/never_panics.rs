//! Property tests: the translators and checkers return `Ok` or `Err` on
//! any input they can be given, never panic, and are deterministic.

use proptest::prelude::*;
use scimkit_entra::{
    api::{check_filter, check_query, plan_group_patch},
    graph::{patch_to_graph, patch_to_graph_with, to_batches, GraphOptions, Method},
    odata::to_odata,
    permissions::{required_permissions, Touched},
    ResourceKind, ENTERPRISE_USER_URN,
};
use scimkit_filter::Filter;
use scimkit_patch::{PatchOptions, PatchRequest};
use serde_json::{json, Value};

const PATHS: &[&str] = &[
    "userName",
    "active",
    "title",
    "name",
    "name.givenName",
    "emails",
    "emails.value",
    r#"emails[type eq "work"]"#,
    r#"emails[type eq "work"].value"#,
    r#"emails[type eq "other"].value"#,
    r#"emails[type eq "work" and primary eq false].value"#,
    r#"emails[value eq "a"]"#,
    r#"phoneNumbers[type eq "mobile"].value"#,
    r#"addresses[type eq "work"]"#,
    "externalId",
    "groups",
    "members",
    r#"members[value eq "u1"]"#,
    "password",
    "meta.created",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:passwordProfile",
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname",
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:groupTypes",
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes",
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes:P",
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes:P.a",
    "nickName",
];

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-z0-9@ ./'\"-]{0,8}".prop_map(Value::String),
        Just(json!("False")),
        Just(json!("2026-01-01T00:00:00Z")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("value".to_owned()),
                        Just("type".to_owned()),
                        Just("primary".to_owned()),
                        Just("givenName".to_owned()),
                        Just("$ref".to_owned()),
                        Just("members".to_owned()),
                        Just(
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".to_owned()
                        ),
                        "[a-zA-Z.]{1,6}",
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["add", "Add", "replace", "remove", "Remove"]),
        prop::option::of(prop::sample::select(PATHS)),
        prop::option::of(value()),
    )
        .prop_map(|(op, path, value)| {
            let mut o = serde_json::Map::new();
            o.insert("op".into(), json!(op));
            if let Some(p) = path {
                o.insert("path".into(), json!(p));
            }
            if let Some(v) = value {
                o.insert("value".into(), v);
            }
            Value::Object(o)
        })
}

fn filter_text() -> impl Strategy<Value = String> {
    let attr = prop::sample::select(vec![
        "userName",
        "active",
        "title",
        "emails",
        "emails.value",
        "name",
        "groups.value",
        "members.value",
        "externalId",
        "meta.created",
        "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname",
        "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes:P.a",
        "x",
    ]);
    let op = prop::sample::select(vec!["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
    let lit = prop::sample::select(vec![
        r#""a'b""#,
        "true",
        "null",
        "3",
        r#""2026-01-01T00:00:00Z""#,
    ]);
    let leaf = (attr, op, lit).prop_map(|(a, o, l)| format!("{a} {o} {l}"));
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            inner.prop_map(|a| format!("title pr and {a}")),
            Just(r#"emails[type eq "work" and value sw "a"]"#.to_owned()),
            Just(
                r#"addresses[type eq "work" and (locality eq "a" or not (country eq "b"))]"#
                    .to_owned()
            ),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn patch_functions_never_panic(ops in prop::collection::vec(operation(), 0..5)) {
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops});
        if let Ok(request) = PatchRequest::from_value(&body, &PatchOptions::entra()) {
            for kind in ResourceKind::ALL {
                let first = patch_to_graph(kind, "id1", &request);
                prop_assert_eq!(&first, &patch_to_graph(kind, "id1", &request));
                if let Ok(out) = first {
                    let batches = to_batches(&out.requests);
                    prop_assert_eq!(batches.len(), out.requests.len().div_ceil(20));
                    prop_assert_eq!(out.permissions.len(), out.requests.len());
                }
                let carrier = GraphOptions::default().external_id_property("employeeId").unwrap();
                for current in [json!(null), json!("x"), json!({ENTERPRISE_USER_URN: 1}),
                                json!({ENTERPRISE_USER_URN: {"division": 5, "costCenter": "c"}})] {
                    let _ = patch_to_graph_with(kind, "id1", &request, Some(&current), &carrier);
                }
                if let Ok(touched) = Touched::from_patch(&request) {
                    let _ = required_permissions(Method::Patch, kind, &touched);
                }
            }
            if let Ok(plan) = plan_group_patch(&request, "g1") {
                for p in plan {
                    // Every planned request is a valid PatchOp.
                    prop_assert!(PatchRequest::from_value(&p.body(), &PatchOptions::strict()).is_ok());
                }
            }
        }
    }

    #[test]
    fn filter_functions_never_panic(text in filter_text()) {
        if let Ok(filter) = Filter::parse(&text) {
            for kind in ResourceKind::ALL {
                let _ = to_odata(&filter, kind);
                let _ = check_filter(&filter, kind);
                let touched = Touched::from_filter(&filter);
                prop_assert!(required_permissions(Method::Get, kind, &touched).is_ok());
            }
        }
    }

    #[test]
    fn query_check_never_panics(query in "[?a-zA-Z=&%0-9 +\t]{0,40}") {
        let _ = check_query(&query);
    }
}
