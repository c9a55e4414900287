//! Entra's API rules: the filter subset (each rule), group-PATCH planning.

use scimkit_entra::{
    api::{check_filter, plan_group_patch, PlanKind, MAX_MEMBERS_PER_ADD},
    ResourceKind,
};
use scimkit_filter::Filter;
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::{ResourceSchema, ScimError};
use serde_json::{json, Value};

const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const ENTRA_GROUP: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group";

fn supported(kind: ResourceKind, filter: &str) -> bool {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    check_filter(&f, kind).is_ok()
}

#[track_caller]
fn refused(kind: ResourceKind, filter: &str, clause: &str, reason_has: &str) {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    let err = check_filter(&f, kind).expect_err(filter);
    assert_eq!(err.clause(), clause, "{filter}");
    assert_eq!(err.span().slice(filter), clause, "{filter}: span");
    assert!(
        err.reason().contains(reason_has),
        "{filter}: {:?} lacks {reason_has:?}",
        err.reason()
    );
    let scim: ScimError = err.into();
    assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
}

#[test]
fn user_attributes_and_operators() {
    use ResourceKind::User;
    for f in [
        "active eq true",
        "active eq false",
        r#"userName eq "a@contoso.com""#,
        r#"USERNAME eq "a""#,
        r#"userName ew "@contoso.com""#,
        r#"externalId eq "x""#,
        r#"id eq "5cc0930a-9244-45eb-a34c-76273ac5f7a6""#,
        r#"groups.value eq "c2c2""#,
        &format!(r#"{ENTRA}:mailNickname eq "adele""#),
        &format!(r#"{ENTRA}:mailNickname ew "-admin""#),
        &format!(r#"{ENTRA}:ownedGroups.value eq "c2c2""#),
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a""#,
        // Entra's documented example.
        &format!(r#"not({ENTRA}:mailNickname ew "-admin") and userName ew "@contoso.com""#),
        r#"active eq true and userName ew "@x.com" and groups.value eq "g""#,
    ] {
        assert!(supported(User, f), "{f}");
    }
    refused(
        User,
        r#"displayName eq "A""#,
        r#"displayName eq "A""#,
        "02/2026",
    );
    refused(
        User,
        r#"title eq "A""#,
        r#"title eq "A""#,
        "title is not filterable",
    );
    refused(
        User,
        r#"active eq "true""#,
        r#"active eq "true""#,
        "true or false",
    );
    refused(User, "userName eq true", "userName eq true", "a string");
    refused(
        User,
        r#"externalId ew "x""#,
        r#"externalId ew "x""#,
        "eq only",
    );
    refused(User, r#"id ew "x""#, r#"id ew "x""#, "eq only");
    for op in ["co", "sw", "gt", "ge", "lt", "le", "ne"] {
        let f = format!(r#"userName {op} "a""#);
        refused(User, &f, &f, "eq and ew only");
    }
    refused(User, "userName pr", "userName pr", "pr is not supported");
    refused(
        User,
        r#"groups eq "g""#,
        r#"groups eq "g""#,
        "not filterable",
    );
    refused(
        User,
        r#"emails[type eq "work" and value eq "a"]"#,
        r#"emails[type eq "work" and value eq "a"]"#,
        "complex [] filters",
    );
}

#[test]
fn extension_attributes_must_be_urn_qualified() {
    refused(
        ResourceKind::User,
        r#"mailNickname eq "a""#,
        r#"mailNickname eq "a""#,
        &format!("fully URN-qualified: {ENTRA}:mailNickname"),
    );
    refused(
        ResourceKind::Group,
        "securityEnabled eq true",
        "securityEnabled eq true",
        &format!("{ENTRA_GROUP}:securityEnabled"),
    );
    // The wrong extension.
    refused(
        ResourceKind::User,
        &format!(r#"{ENTRA_GROUP}:mailNickname eq "a""#),
        &format!(r#"{ENTRA_GROUP}:mailNickname eq "a""#),
        "fully URN-qualified",
    );
}

#[test]
fn logic_and_only_not_around_ew_external_id_alone() {
    use ResourceKind::{Group, User};
    refused(
        User,
        r#"userName eq "a" or userName eq "b""#,
        r#"userName eq "a" or userName eq "b""#,
        "or is not supported",
    );
    refused(
        User,
        r#"not (userName eq "a")"#,
        r#"not (userName eq "a")"#,
        "not may only negate one ew",
    );
    refused(
        User,
        r#"not (userName ew "a" and userName ew "b")"#,
        r#"not (userName ew "a" and userName ew "b")"#,
        "not may only negate one ew",
    );
    refused(
        User,
        r#"not (not (userName ew "a"))"#,
        r#"not (not (userName ew "a"))"#,
        "not may only negate one ew",
    );
    refused(
        User,
        r#"userName eq "y" and externalId eq "x""#,
        r#"externalId eq "x""#,
        "cannot be combined",
    );
    refused(
        User,
        r#"not (userName ew "y") and externalId eq "x""#,
        r#"externalId eq "x""#,
        "cannot be combined",
    );
    assert!(supported(User, r#"externalId eq "x""#));
    // Groups: and only.
    refused(
        Group,
        r#"not (displayName ew "x")"#,
        r#"not (displayName ew "x")"#,
        "not is not supported on /groups",
    );
    refused(
        Group,
        r#"displayName eq "a" or displayName eq "b""#,
        r#"displayName eq "a" or displayName eq "b""#,
        "or is not supported",
    );
}

#[test]
fn group_attributes() {
    use ResourceKind::Group;
    for f in [
        r#"displayName eq "Sales and Marketing""#,
        r#"displayName ew "-ops""#,
        r#"id eq "c2c2""#,
        r#"members.value eq "5cc0930a""#,
        &format!("{ENTRA_GROUP}:securityEnabled eq true"),
        &format!("{ENTRA_GROUP}:mailEnabled eq false"),
        &format!(r#"{ENTRA_GROUP}:owners.value eq "u1""#),
        &format!(r#"displayName ew "-ops" and {ENTRA_GROUP}:mailEnabled eq false"#),
    ] {
        assert!(supported(Group, f), "{f}");
    }
    refused(
        Group,
        r#"externalId eq "x""#,
        r#"externalId eq "x""#,
        "not filterable",
    );
    refused(
        Group,
        r#"members.value ew "x""#,
        r#"members.value ew "x""#,
        "eq only",
    );
    refused(
        Group,
        &format!(r#"{ENTRA_GROUP}:securityEnabled eq "true""#),
        &format!(r#"{ENTRA_GROUP}:securityEnabled eq "true""#),
        "true or false",
    );
    // The user-only attributes are not group attributes.
    refused(
        Group,
        r#"userName eq "a""#,
        r#"userName eq "a""#,
        "not filterable",
    );
}

#[test]
fn the_first_refused_clause_is_named_within_a_longer_filter() {
    let f = r#"userName ew "@x.com" and active eq true and title sw "Dev""#;
    refused(ResourceKind::User, f, r#"title sw "Dev""#, "not filterable");
}

// ---------------------------------------------------------------------------
// plan_group_patch

fn request(ops: Value) -> PatchRequest {
    PatchRequest::from_value(
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops}),
        &PatchOptions::entra(),
    )
    .unwrap()
}

fn plan(ops: Value) -> Vec<(PlanKind, Value)> {
    plan_group_patch(&request(ops), "g1")
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p.url(), "/groups/g1");
            (p.kind(), p.body()["Operations"].clone())
        })
        .collect()
}

fn members(range: std::ops::Range<usize>) -> Value {
    range.map(|i| json!({"value": format!("u{i}")})).collect()
}

#[test]
fn member_adds_go_twenty_per_request() {
    for (n, sizes) in [
        (1, vec![1]),
        (20, vec![20]),
        (21, vec![20, 1]),
        (45, vec![20, 20, 5]),
    ] {
        let out = plan(json!([{"op": "add", "path": "members", "value": members(0..n)}]));
        let got: Vec<usize> = out
            .iter()
            .map(|(k, ops)| {
                assert_eq!(*k, PlanKind::AddMembers);
                assert_eq!(ops.as_array().unwrap().len(), 1);
                assert_eq!(ops[0]["op"], "add");
                assert_eq!(ops[0]["path"], "members");
                ops[0]["value"].as_array().unwrap().len()
            })
            .collect();
        assert_eq!(got, sizes, "{n}");
        assert!(got.iter().all(|s| *s <= MAX_MEMBERS_PER_ADD));
    }
    // Consecutive adds are packed; duplicates within a run sent once; `$ref: null` dropped.
    let out = plan(json!([
        {"op": "Add", "path": "members", "value": [{"$ref": null, "value": "a"}, {"value": "b"}]},
        {"op": "add", "path": "members", "value": [{"value": "a"}, {"value": "c", "display": "C"}]}
    ]));
    assert_eq!(
        out,
        [(
            PlanKind::AddMembers,
            json!([{"op": "add", "path": "members", "value": [{"value": "a"}, {"value": "b"}, {"value": "c"}]}])
        )]
    );
}

#[test]
fn removals_go_one_per_request() {
    let out = plan(json!([
        {"op": "remove", "path": "members[value eq \"a\"]"},
        {"op": "remove", "path": "members[value eq \"b\" or value eq \"c\"]"},
        // Entra's client quirk Q6: a value array.
        {"op": "Remove", "path": "members", "value": [{"value": "d"}, {"value": "e"}]}
    ]));
    let paths: Vec<(PlanKind, String)> = out
        .iter()
        .map(|(k, ops)| {
            assert_eq!(ops.as_array().unwrap().len(), 1);
            assert!(ops[0].get("value").is_none());
            (*k, ops[0]["path"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected: Vec<(PlanKind, String)> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|id| {
            (
                PlanKind::RemoveMember,
                format!("members[value eq \"{id}\"]"),
            )
        })
        .collect();
    assert_eq!(paths, expected);
}

#[test]
fn other_changes_go_first_together_and_membership_keeps_its_order() {
    let out = plan(json!([
        {"op": "add", "path": "members", "value": [{"value": "a"}]},
        {"op": "replace", "path": "displayName", "value": "Sales"},
        {"op": "remove", "path": "members[value eq \"a\"]"},
        {"op": "add", "value": {
            "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group": {"description": "D"},
            "members": [{"value": "b"}]}},
        {"op": "add", "path": "members", "value": [{"value": "a"}]}
    ]));
    assert_eq!(
        out,
        [
            (
                PlanKind::Properties,
                json!([
                    {"op": "replace", "path": "displayName", "value": "Sales"},
                    {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:description", "value": "D"}
                ])
            ),
            (
                PlanKind::AddMembers,
                json!([{"op": "add", "path": "members", "value": [{"value": "a"}]}])
            ),
            (
                PlanKind::RemoveMember,
                json!([{"op": "remove", "path": "members[value eq \"a\"]"}])
            ),
            (
                PlanKind::AddMembers,
                json!([{"op": "add", "path": "members", "value": [{"value": "b"}, {"value": "a"}]}])
            ),
        ]
    );
    // Each planned request applies under Entra's schema on its own.
    let plan = plan_group_patch(
        &request(json!([
            {"op": "add", "path": "members", "value": members(0..25)},
            {"op": "replace", "path": "displayName", "value": "X"},
            {"op": "remove", "path": "members[value eq \"u3\"]"}
        ])),
        "g1",
    )
    .unwrap();
    let mut group = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "G"});
    for p in &plan {
        let reparsed = PatchRequest::from_value(&p.body(), &PatchOptions::strict()).unwrap();
        // The same operations (a planned request keeps the original's options).
        assert_eq!(reparsed.operations, p.request().operations);
        reparsed.apply(&mut group, ResourceSchema::group()).unwrap();
    }
    assert_eq!(group["displayName"], "X");
    assert_eq!(group["members"].as_array().unwrap().len(), 24);
}

#[test]
fn plans_entra_cannot_make_are_errors() {
    for (ops, has) in [
        (
            json!([{"op": "replace", "path": "members", "value": [{"value": "a"}]}]),
            "replacing every member needs the current member list",
        ),
        (
            json!([{"op": "replace", "value": {"members": [{"value": "a"}]}}]),
            "replacing every member needs the current member list",
        ),
        (
            json!([{"op": "remove", "path": "members"}]),
            "remove them one by one",
        ),
        (
            json!([{"op": "remove", "path": "members[display eq \"x\"]"}]),
            "select members by id",
        ),
        (
            json!([{"op": "add", "path": "members[value eq \"x\"]", "value": {"value": "x"}}]),
            "added with the path members",
        ),
        (
            json!([{"op": "add", "path": "members", "value": "a"}]),
            "array of members",
        ),
        (
            json!([{"op": "add", "path": "members", "value": [{"value": 1}]}]),
            "string value",
        ),
        (
            json!([{"op": "add", "path": "members", "value": [{"value": "a b"}]}]),
            "member id",
        ),
        (
            json!([{"op": "remove", "path": "displayName", "value": "x"}]),
            "remove takes no value",
        ),
    ] {
        let err = plan_group_patch(&request(ops.clone()), "g1").expect_err(&ops.to_string());
        assert_eq!(err.status(), 400);
        assert!(
            err.detail().unwrap().contains(has),
            "{ops}: {:?}",
            err.detail()
        );
    }
    assert!(plan_group_patch(&request(json!([])), "g/1").is_err());
    assert!(plan_group_patch(&request(json!([])), "g1")
        .unwrap()
        .is_empty());
}

/// Issue 12 item 14: Entra's booleans are case-insensitive; parsed with
/// the Entra options, `active eq TRUE` passes the check.
#[test]
fn booleans_in_any_case_under_entra_options() {
    use scimkit_filter::ParseOptions;
    for text in ["active eq TRUE", "active eq False"] {
        assert!(Filter::parse(text).is_err(), "{text}");
        let f = Filter::parse_with(text, ParseOptions::entra()).unwrap();
        assert!(check_filter(&f, ResourceKind::User).is_ok(), "{text}");
    }
}

/// Issue 12 item 19: `page_size` documents both facts of fact sheet A8:
/// `filter.maxResults` 200, and the API reference's own filtered example
/// asking `count=999`.
#[test]
fn page_size_docs_state_both_filtered_paging_facts() {
    let source = include_str!("../src/api_rules/paging.rs");
    let docs: String = source
        .split("pub fn page_size(")
        .next()
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("///"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(docs.contains("filter.maxResults"), "{docs}");
    assert!(docs.contains("count=999"), "{docs}");
    assert!(docs.contains("unverified"), "{docs}");
    assert!(!docs.contains("do not expect more than 200"), "{docs}");
}
