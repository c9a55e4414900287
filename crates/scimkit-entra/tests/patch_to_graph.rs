//! PATCH → Graph requests: bodies, ordering, relationships, errors, and
//! `$batch` splitting.

use scimkit_entra::{
    graph::{patch_to_graph, patch_to_graph_with, to_batches, GraphOptions, GraphRequest, Method},
    permissions::{AdminRole, Permission},
    ResourceKind,
};
use scimkit_patch::{PatchOptions, PatchRequest};
use serde_json::{json, Value};

const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CSA: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes";

fn request(ops: Value) -> PatchRequest {
    PatchRequest::from_value(
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops}),
        &PatchOptions::entra(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn calls(kind: ResourceKind, ops: Value) -> Vec<GraphRequest> {
    let out =
        patch_to_graph(kind, "id1", &request(ops.clone())).unwrap_or_else(|e| panic!("{ops}: {e}"));
    assert_eq!(out.permissions.len(), out.requests.len(), "{ops}");
    out.requests
}

/// The one `PATCH /users/id1` body of `ops`.
fn user_body(ops: Value) -> Value {
    let out = calls(ResourceKind::User, ops.clone());
    assert_eq!(out.len(), 1, "{ops}: {out:?}");
    assert_eq!(
        (out[0].method, out[0].url.as_str()),
        (Method::Patch, "/users/id1")
    );
    out[0].body.clone().unwrap()
}

fn error(kind: ResourceKind, ops: Value) -> (String, String) {
    let err = patch_to_graph(kind, "id1", &request(ops.clone())).expect_err(&ops.to_string());
    assert_eq!(err.status(), 400);
    (
        err.scim_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        err.detail().unwrap_or_default().to_owned(),
    )
}

#[test]
fn property_changes_make_one_patch_body() {
    assert_eq!(
        user_body(json!([
            {"op": "replace", "path": "displayName", "value": "Adele"},
            {"op": "replace", "path": "name.givenName", "value": "A"},
            {"op": "add", "path": "title", "value": "CEO"},
            {"op": "replace", "path": "active", "value": false},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@x.com"},
            {"op": "replace", "path": "emails[type eq \"other\"].value", "value": "o@x.com"},
            {"op": "replace", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 1"},
            {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 2"},
            {"op": "replace", "path": "addresses[type eq \"work\"].locality", "value": "Oslo"},
            {"op": "replace", "path": format!("{ENTERPRISE}:costCenter"), "value": "CC1"},
            {"op": "replace", "path": format!("{ENTERPRISE}:division"), "value": "D1"},
            {"op": "replace", "path": format!("{ENTRA}:employeeLeaveDateTime"), "value": "2026-01-31T00:00:00Z"},
            {"op": "replace", "path": format!("{ENTRA}:passwordProfile.forceChangePasswordNextSignIn"), "value": true},
            {"op": "replace", "path": format!("{ENTRA}:passwordForceChangeOnNextSignInWithMFA"), "value": false}
        ])),
        json!({
            "displayName": "Adele", "givenName": "A", "jobTitle": "CEO", "accountEnabled": false,
            "mail": "a@x.com", "otherMails": ["o@x.com"], "businessPhones": ["+1 1"],
            "mobilePhone": "+1 2", "city": "Oslo",
            "employeeOrgData": {"costCenter": "CC1", "division": "D1"},
            "employeeLeaveDateTime": "2026-01-31T00:00:00Z",
            "passwordProfile": {"forceChangePasswordNextSignIn": true,
                                "forceChangePasswordNextSignInWithMfa": false}
        })
    );
}

#[test]
fn later_operations_win() {
    assert_eq!(
        user_body(json!([
            {"op": "replace", "path": "title", "value": "A"},
            {"op": "replace", "path": "title", "value": "B"},
            {"op": "add", "path": "preferredLanguage", "value": "X"},
            {"op": "remove", "path": "preferredLanguage"},
            {"op": "remove", "path": "displayName"},
            {"op": "add", "path": "displayName", "value": "Y"}
        ])),
        json!({"jobTitle": "B", "preferredLanguage": null, "displayName": "Y"})
    );
}

#[test]
fn entra_client_quirks_translate() {
    // Q1/Q2: capitalised op, string boolean.
    assert_eq!(
        user_body(json!([{"op": "Replace", "path": "active", "value": "False"}])),
        json!({"accountEnabled": false})
    );
    // Q5: path-less replace with dotted and URN-qualified keys.
    assert_eq!(
        user_body(json!([{"op": "replace", "value": {
            "displayName": "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua",
            format!("{ENTERPRISE}:employeeNumber"): "Aklq"}}])),
        json!({"displayName": "Bjfe", "givenName": "Kkom", "surname": "Unua", "employeeId": "Aklq"})
    );
    // Extension objects in a path-less value, and a whole-schema path.
    assert_eq!(
        user_body(json!([
            {"op": "add", "value": {ENTRA: {"officeLocation": "18/2111", "usageLocation": "NO"}}},
            {"op": "add", "path": ENTERPRISE, "value": {"department": "Retail"}}
        ])),
        json!({"officeLocation": "18/2111", "usageLocation": "NO", "department": "Retail"})
    );
    // Q8: the manager as a bare id.
    let out = calls(
        ResourceKind::User,
        json!([{"op": "add", "path": format!("{ENTERPRISE}:manager"), "value": "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}]),
    );
    assert_eq!(
        out,
        [GraphRequest::new(
            Method::Put,
            "/users/id1/manager/$ref",
            Some(
                json!({"@odata.id": "https://graph.microsoft.com/v1.0/users/2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"})
            ),
        )]
    );
}

#[test]
fn remove_and_null_clear_properties() {
    assert_eq!(
        user_body(json!([
            {"op": "remove", "path": "title"},
            {"op": "remove", "path": "phoneNumbers[type eq \"work\"]"},
            {"op": "remove", "path": "emails[type eq \"other\"].value"},
            {"op": "replace", "path": "preferredLanguage", "value": null},
            {"op": "remove", "path": format!("{ENTERPRISE}:division")},
            {"op": "remove", "path": format!("{ENTERPRISE}:costCenter")},
            {"op": "remove", "path": format!("{ENTRA}:onPremisesExtensionAttributes.extensionAttribute3")}
        ])),
        json!({"jobTitle": null, "businessPhones": [], "otherMails": [], "preferredLanguage": null,
               "employeeOrgData": {"division": null, "costCenter": null},
               "onPremisesExtensionAttributes": {"extensionAttribute3": null}})
    );
    // Removing a whole complex attribute clears what it maps to.
    assert_eq!(
        user_body(json!([{"op": "remove", "path": "name"}])),
        json!({"givenName": null, "surname": null})
    );
    // ...every typed value of it.
    assert_eq!(
        user_body(json!([{"op": "remove", "path": "phoneNumbers"}])),
        json!({"faxNumber": null, "mobilePhone": null, "businessPhones": []})
    );
}

#[test]
fn replace_of_multi_valued_attributes_clears_what_is_left_out() {
    assert_eq!(
        user_body(json!([{"op": "replace", "path": "phoneNumbers",
            "value": [{"type": "mobile", "value": "+1 2"}]}])),
        json!({"mobilePhone": "+1 2", "businessPhones": [], "faxNumber": null})
    );
    assert_eq!(
        user_body(
            json!([{"op": "replace", "path": "addresses[type eq \"work\"]",
            "value": {"locality": "Oslo", "country": "NO"}}])
        ),
        json!({"city": "Oslo", "country": "NO", "streetAddress": null, "state": null, "postalCode": null})
    );
    assert_eq!(
        user_body(json!([{"op": "replace", "path": "emails", "value": [
            {"type": "work", "primary": true, "value": "a@x.com"},
            {"type": "other", "value": "b@x.com"}, {"type": "other", "value": "c@x.com"}]}])),
        json!({"mail": "a@x.com", "otherMails": ["b@x.com", "c@x.com"]})
    );
    // A complex single-valued attribute keeps what is left out (RFC 7644 §3.5.2.3).
    assert_eq!(
        user_body(json!([{"op": "replace", "path": "name", "value": {"givenName": "A"}}])),
        json!({"givenName": "A"})
    );
    // Add merges.
    assert_eq!(
        user_body(
            json!([{"op": "add", "path": "addresses[type eq \"work\"]", "value": {"locality": "Oslo"}}])
        ),
        json!({"city": "Oslo"})
    );
}

#[test]
fn custom_security_attributes_carry_their_annotations() {
    assert_eq!(
        user_body(json!([
            {"op": "add", "path": format!("{CSA}:Project.ProjectName"), "value": "IdentityHubV2"},
            {"op": "replace", "path": format!("{CSA}:Engineering"), "value": {"Level": 3, "Tags": ["a"]}},
            {"op": "remove", "path": format!("{CSA}:Marketing.Campaign")}
        ])),
        json!({"customSecurityAttributes": {
            "Project": {"@odata.type": "#Microsoft.DirectoryServices.CustomSecurityAttributeValue",
                        "ProjectName": "IdentityHubV2"},
            "Engineering": {"@odata.type": "#Microsoft.DirectoryServices.CustomSecurityAttributeValue",
                            "Level@odata.type": "#Int32", "Level": 3,
                            "Tags@odata.type": "#Collection(String)", "Tags": ["a"]},
            "Marketing": {"@odata.type": "#Microsoft.DirectoryServices.CustomSecurityAttributeValue",
                          "Campaign": null}
        }})
    );
    let (t, d) = error(
        ResourceKind::User,
        json!([{"op": "remove", "path": format!("{CSA}:Project")}]),
    );
    assert_eq!(t, "invalidValue");
    assert!(d.contains("one by one"), "{d}");
}

#[test]
fn manager_set_and_removed() {
    for value in [json!({"value": "m1"}), json!("m1")] {
        let out = calls(
            ResourceKind::User,
            json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager"), "value": value}]),
        );
        assert_eq!(out[0].method, Method::Put);
        assert_eq!(
            out[0].body,
            Some(json!({"@odata.id": "https://graph.microsoft.com/v1.0/users/m1"}))
        );
    }
    let out = calls(
        ResourceKind::User,
        json!([{"op": "replace", "path": "manager.value", "value": "m1"},
               {"op": "remove", "path": format!("{ENTERPRISE}:manager")}]),
    );
    assert_eq!(
        out,
        [GraphRequest::new(
            Method::Delete,
            "/users/id1/manager/$ref",
            None
        )]
    );
    // A null manager value removes it.
    let out = calls(
        ResourceKind::User,
        json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager"), "value": {"value": null}}]),
    );
    assert_eq!(out[0].method, Method::Delete);
}

#[test]
fn group_membership_and_ordering() {
    let out = calls(
        ResourceKind::Group,
        json!([
            {"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2", "$ref": null}]},
            {"op": "remove", "path": "members[value eq \"u3\"]"},
            {"op": "replace", "path": "displayName", "value": "Sales"},
            {"op": "Remove", "path": "members", "value": [{"value": "u4"}]},
            {"op": "add", "value": {"members": [{"value": "u5"}]}},
            {"op": "remove", "path": "members[value eq \"u2\"]"},
            {"op": "add", "path": "members", "value": [{"value": "u3"}]}
        ]),
    );
    let summary: Vec<(Method, &str)> = out.iter().map(|r| (r.method, r.url.as_str())).collect();
    assert_eq!(
        summary,
        [
            (Method::Patch, "/groups/id1"),
            (Method::Post, "/groups/id1/members/$ref"),
            (Method::Post, "/groups/id1/members/$ref"),
            (Method::Post, "/groups/id1/members/$ref"),
            (Method::Delete, "/groups/id1/members/u2/$ref"),
            (Method::Delete, "/groups/id1/members/u4/$ref"),
        ]
    );
    assert_eq!(out[0].body, Some(json!({"displayName": "Sales"})));
    let added: Vec<&Value> = out[1..4]
        .iter()
        .map(|r| &r.body.as_ref().unwrap()["@odata.id"])
        .collect();
    assert_eq!(
        added,
        [
            "https://graph.microsoft.com/v1.0/directoryObjects/u1",
            "https://graph.microsoft.com/v1.0/directoryObjects/u3",
            "https://graph.microsoft.com/v1.0/directoryObjects/u5"
        ]
    );
    // Several members in one filter.
    let out = calls(
        ResourceKind::Group,
        json!([{"op": "remove", "path": "members[value eq \"a\" or value eq \"b\"]"}]),
    );
    assert_eq!(out.len(), 2);
    // An empty request makes no call.
    assert!(calls(ResourceKind::Group, json!([])).is_empty());
}

#[test]
fn what_graph_cannot_do_statelessly_is_an_error() {
    use ResourceKind::{Group, User};
    let cases: Vec<(ResourceKind, Value, &str, &str)> = vec![
        (
            User,
            json!([{"op": "add", "path": "nickName", "value": "B"}]),
            "invalidPath",
            "nickName has no Microsoft Graph property",
        ),
        (
            User,
            json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "x"}]),
            "invalidPath",
            "emails[type eq \"home\"]",
        ),
        (
            User,
            json!([{"op": "replace", "path": "id", "value": "x"}]),
            "mutability",
            "id is read-only",
        ),
        (
            User,
            json!([{"op": "remove", "path": "groups"}]),
            "mutability",
            "read-only",
        ),
        (
            User,
            json!([{"op": "replace", "path": format!("{ENTRA}:onPremisesSyncEnabled"), "value": true}]),
            "mutability",
            "read-only",
        ),
        (
            User,
            json!([{"op": "replace", "path": "password", "value": "x"}]),
            "mutability",
            "only be set when the User is created",
        ),
        (
            User,
            json!([{"op": "remove", "path": format!("{ENTRA}:mailNickname")}]),
            "mutability",
            "cannot be removed once set",
        ),
        (
            User,
            json!([{"op": "add", "path": "emails[type eq \"other\"].value", "value": "x"}]),
            "invalidValue",
            "add to the Graph collection otherMails needs its current values",
        ),
        (
            User,
            json!([{"op": "add", "path": "emails", "value": [{"type": "other", "value": "x"}]}]),
            "invalidValue",
            "otherMails",
        ),
        (
            User,
            json!([{"op": "remove", "path": "emails[value eq \"a@x.com\"]"}]),
            "invalidPath",
            "conditional change",
        ),
        (
            User,
            json!([{"op": "replace", "path": "emails[type eq \"work\" and value eq \"a\"].value", "value": "b"}]),
            "invalidPath",
            "conditional change",
        ),
        (
            User,
            json!([{"op": "replace", "path": "emails.value", "value": "b"}]),
            "invalidPath",
            "every value",
        ),
        (
            User,
            json!([{"op": "replace", "path": "active", "value": "yes"}]),
            "invalidValue",
            "active",
        ),
        (
            User,
            json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager"), "value": {"value": "a/b"}}]),
            "invalidValue",
            "manager id \"a/b\"",
        ),
        (
            User,
            json!([{"op": "add", "path": "members", "value": [{"value": "u1"}]}]),
            "invalidPath",
            "members has no Microsoft Graph property",
        ),
        (
            Group,
            json!([{"op": "replace", "path": "members", "value": [{"value": "u1"}]}]),
            "invalidValue",
            "replacing every member",
        ),
        (
            Group,
            json!([{"op": "remove", "path": "members"}]),
            "invalidValue",
            "removing every member",
        ),
        (
            Group,
            json!([{"op": "remove", "path": "members[display eq \"x\"]"}]),
            "invalidPath",
            "select members by id",
        ),
        (
            Group,
            json!([{"op": "add", "path": "members", "value": [{"value": "../x"}]}]),
            "invalidValue",
            "member id",
        ),
        (
            Group,
            json!([{"op": "add", "path": "members", "value": "u1"}]),
            "invalidValue",
            "array of members",
        ),
        (
            Group,
            json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:groupTypes", "value": ["Unified"]}]),
            "invalidValue",
            "groupTypes",
        ),
    ];
    let mut cases = cases;
    cases.push((
        User,
        json!([{"op": "remove", "path": "title", "value": "CEO"}]),
        "invalidSyntax",
        "remove takes no value",
    ));
    for (kind, ops, scim_type, detail) in cases {
        let (t, d) = error(kind, ops.clone());
        assert_eq!(t, scim_type, "{ops}: {d}");
        assert!(d.contains(detail), "{ops}: {d:?} lacks {detail:?}");
        assert!(d.starts_with("Operations["), "{d}");
    }
    // The resource id goes into the URL.
    let err = patch_to_graph(User, "a/b", &request(json!([]))).unwrap_err();
    assert_eq!(err.status(), 400);
}

#[test]
fn batches_of_a_large_membership_change() {
    let members: Vec<Value> = (0..45).map(|i| json!({"value": format!("u{i}")})).collect();
    let out = calls(
        ResourceKind::Group,
        json!([{"op": "replace", "path": "displayName", "value": "All"},
               {"op": "add", "path": "members", "value": members}]),
    );
    assert_eq!(out.len(), 46);
    let batches = to_batches(&out);
    assert_eq!(batches.len(), 3);
    let sizes: Vec<usize> = batches
        .iter()
        .map(|b| b["requests"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [20, 20, 6]);
    assert_eq!(
        batches[0]["requests"][0],
        json!({"id": "1", "method": "PATCH", "url": "/groups/id1",
               "headers": {"Content-Type": "application/json"}, "body": {"displayName": "All"}})
    );
    assert_eq!(
        batches[2]["requests"][5],
        json!({"id": "46", "method": "POST", "url": "/groups/id1/members/$ref",
               "headers": {"Content-Type": "application/json"},
               "body": {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/u44"}})
    );
}

#[test]
fn translation_is_deterministic() {
    let ops = json!([
        {"op": "add", "path": "members", "value": [{"value": "b"}, {"value": "a"}]},
        {"op": "replace", "path": "displayName", "value": "G"},
        {"op": "remove", "path": "members[value eq \"c\"]"}
    ]);
    let first = calls(ResourceKind::Group, ops.clone());
    for _ in 0..5 {
        assert_eq!(calls(ResourceKind::Group, ops.clone()), first);
    }
}

fn with(
    current: Option<&Value>,
    options: &GraphOptions,
    ops: Value,
) -> scimkit_entra::graph::GraphPatch {
    patch_to_graph_with(
        ResourceKind::User,
        "id1",
        &request(ops.clone()),
        current,
        options,
    )
    .unwrap_or_else(|e| panic!("{ops}: {e}"))
}

fn error_with(current: Option<&Value>, options: &GraphOptions, ops: Value) -> (String, String) {
    let err = patch_to_graph_with(
        ResourceKind::User,
        "id1",
        &request(ops.clone()),
        current,
        options,
    )
    .expect_err(&ops.to_string());
    assert_eq!(err.status(), 400);
    (
        err.scim_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        err.detail().unwrap_or_default().to_owned(),
    )
}

/// Issue 12, item 1: `crossDomainData` is not a public Graph property, so
/// `externalId` never goes into a body; the result says it was not written.
#[test]
fn external_id_is_never_in_a_graph_body() {
    let out = patch_to_graph(
        ResourceKind::User,
        "id1",
        &request(json!([
            {"op": "replace", "path": "externalId", "value": "x-1"},
            {"op": "replace", "path": "title", "value": "T"}
        ])),
    )
    .unwrap();
    assert_eq!(out.requests.len(), 1);
    assert_eq!(out.requests[0].body, Some(json!({"jobTitle": "T"})));
    assert_eq!(out.not_writable.len(), 1);
    assert_eq!(out.not_writable[0].path, "externalId");
    assert!(out.not_writable[0]
        .reason
        .contains("not a public Microsoft Graph property"));
    // Alone (set, removed, or in a path-less value as Entra sends it): no request.
    for ops in [
        json!([{"op": "remove", "path": "externalId"}]),
        json!([{"op": "Replace", "value": {"externalId": "x-2"}}]),
    ] {
        let out = patch_to_graph(ResourceKind::User, "id1", &request(ops.clone())).unwrap();
        assert!(out.requests.is_empty(), "{ops}");
        assert!(out.permissions.is_empty(), "{ops}");
        assert_eq!(out.not_writable[0].path, "externalId", "{ops}");
    }
    // A value of the wrong type is still an error.
    assert_eq!(
        error(
            ResourceKind::User,
            json!([{"op": "add", "path": "externalId", "value": 7}])
        ),
        (
            "invalidValue".to_owned(),
            "Operations[0]: externalId must be a string, not a number".to_owned()
        )
    );
}

/// Issue 12, item 1: the opt-in carrier property.
#[test]
fn external_id_goes_to_the_callers_property_when_asked() {
    let carrier = GraphOptions::default()
        .external_id_property("employeeId")
        .unwrap();
    let out = with(
        None,
        &carrier,
        json!([{"op": "replace", "path": "externalId", "value": "x-1"}]),
    );
    assert_eq!(out.requests[0].body, Some(json!({"employeeId": "x-1"})));
    assert!(out.not_writable.is_empty());
    assert_eq!(out.permissions[0].least(), [Permission::UserReadUpdateAll]);
    let out = with(
        None,
        &carrier,
        json!([{"op": "remove", "path": "externalId"}]),
    );
    assert_eq!(out.requests[0].body, Some(json!({"employeeId": null})));
    // Another attribute writing the same property in the same PATCH: refused.
    let (kind, detail) = error_with(
        None,
        &carrier,
        json!([
            {"op": "replace", "path": "externalId", "value": "x-1"},
            {"op": "replace", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "E7"}
        ]),
    );
    assert_eq!(kind, "invalidValue");
    assert_eq!(
        detail,
        format!(
            "Operations[1]: externalId and {ENTERPRISE}:employeeNumber both write the Microsoft \
             Graph property employeeId, which carries externalId"
        )
    );
}

/// Issue 12, item 2: Graph sets the `employeeOrgData` member left out to
/// null, so both members are sent, the other from the caller's resource.
#[test]
fn employee_org_data_is_sent_with_both_members() {
    let options = GraphOptions::default();
    let cost_center =
        json!([{"op": "replace", "path": format!("{ENTERPRISE}:costCenter"), "value": "CC1"}]);
    assert_eq!(
        error(ResourceKind::User, cost_center.clone()),
        (
            "invalidValue".to_owned(),
            format!(
                "Operations[0]: {ENTERPRISE}:costCenter: Graph sets the employeeOrgData member an \
                 update leaves out to null, so changing costCenter alone would clear division; the \
                 user's current division is needed to send both (read the user first, or change \
                 both in one request)"
            )
        )
    );
    let current = json!({"userName": "a", ENTERPRISE: {"costCenter": "CC0", "Division": "Retail"}});
    let out = with(Some(&current), &options, cost_center.clone());
    assert_eq!(
        out.requests[0].body,
        Some(json!({"employeeOrgData": {"costCenter": "CC1", "division": "Retail"}}))
    );
    // A user without a division: it stays empty.
    for empty in [
        json!({}),
        json!({ENTERPRISE: null}),
        json!({ENTERPRISE: {"division": null}}),
    ] {
        let out = with(Some(&empty), &options, cost_center.clone());
        assert_eq!(
            out.requests[0].body,
            Some(json!({"employeeOrgData": {"costCenter": "CC1", "division": null}})),
            "{empty}"
        );
    }
    // Removing one member keeps the other.
    let out = with(
        Some(&current),
        &options,
        json!([{"op": "remove", "path": format!("{ENTERPRISE}:division")}]),
    );
    assert_eq!(
        out.requests[0].body,
        Some(json!({"employeeOrgData": {"costCenter": "CC0", "division": null}}))
    );
    // Both in one PATCH need nothing more.
    assert_eq!(
        user_body(json!([{"op": "add", "path": ENTERPRISE,
                          "value": {"costCenter": "C", "division": "D"}}])),
        json!({"employeeOrgData": {"costCenter": "C", "division": "D"}})
    );
    // A current value that is not a string.
    for (bad, detail) in [
        (
            json!({ENTERPRISE: {"division": 5}}),
            format!("the current user's {ENTERPRISE}:division must be a string"),
        ),
        (
            json!({ENTERPRISE: []}),
            format!("the current user's {ENTERPRISE} must be an object"),
        ),
        (
            json!("user"),
            "the current user must be a JSON object".to_owned(),
        ),
    ] {
        assert_eq!(
            error_with(Some(&bad), &options, cost_center.clone()),
            (
                "invalidValue".to_owned(),
                format!("Operations[0]: {detail}")
            )
        );
    }
}

/// Issue 12, item 3: what Graph will not set to null is refused, naming the rule.
#[test]
fn removals_graph_refuses_name_the_graph_rule() {
    let rule = |scim: &str, rule: &str| {
        format!(
            "Operations[0]: {scim} cannot be removed: {rule}; replace it with a new value instead"
        )
    };
    let mail = r#"emails[type eq "work" and primary eq true].value"#;
    let cases = [
        (
            json!([{"op": "remove", "path": "userName"}]),
            rule(
                "userName",
                "Graph's userPrincipalName is required and not nullable",
            ),
        ),
        (
            json!([{"op": "remove", "path": "displayName"}]),
            rule(
                "displayName",
                "Graph's displayName can't be cleared during updates",
            ),
        ),
        (
            json!([{"op": "replace", "path": "displayName", "value": null}]),
            rule(
                "displayName",
                "Graph's displayName can't be cleared during updates",
            ),
        ),
        (
            json!([{"op": "remove", "path": "active"}]),
            rule(
                "active",
                "Graph's accountEnabled is required and not nullable",
            ),
        ),
        (
            json!([{"op": "remove", "path": "emails[type eq \"work\"].value"}]),
            rule(mail, "Graph's mail can't be updated to null"),
        ),
        (
            json!([{"op": "remove", "path": "emails"}]),
            rule(mail, "Graph's mail can't be updated to null"),
        ),
        (
            json!([{"op": "replace", "path": "emails", "value": [{"type": "other", "value": "o@x"}]}]),
            rule(mail, "Graph's mail can't be updated to null"),
        ),
    ];
    for (ops, detail) in cases {
        assert_eq!(
            error(ResourceKind::User, ops.clone()),
            ("mutability".to_owned(), detail),
            "{ops}"
        );
    }
    // A group's displayName is not under the user rule.
    assert_eq!(
        calls(
            ResourceKind::Group,
            json!([{"op": "replace", "path": "displayName", "value": "G"}])
        )
        .len(),
        1
    );
}

/// Issue 12, item 4 (with items 10 and 12): each request comes with what it needs.
#[test]
fn each_request_comes_with_its_permissions() {
    let out = patch_to_graph(
        ResourceKind::User,
        "id1",
        &request(json!([
            {"op": "replace", "path": "active", "value": false},
            {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 2"},
            {"op": "replace", "path": format!("{ENTRA}:passwordProfile.forceChangePasswordNextSignIn"), "value": true},
            {"op": "replace", "path": format!("{ENTERPRISE}:manager"), "value": {"value": "m1"}}
        ])),
    )
    .unwrap();
    assert_eq!(out.requests.len(), 2);
    assert_eq!(out.permissions.len(), 2);
    let patch = &out.permissions[0];
    assert_eq!(
        patch.least(),
        [
            Permission::UserPasswordProfileReadWriteAll,
            Permission::UserPhoneReadWriteAll,
            Permission::UserEnableDisableAccountAll,
            Permission::UserReadAll
        ]
    );
    assert_eq!(
        patch.roles(),
        [
            AdminRole::UserAdministrator,
            AdminRole::SensitiveActionsOnPrivilegedUser
        ]
    );
    // The manager: Graph's assign-manager call wants User.ReadWrite.All (item 10).
    let (put, manager) = out.iter().nth(1).unwrap();
    assert_eq!(put.method, Method::Put);
    assert_eq!(manager.least(), [Permission::UserReadWriteAll]);
    assert!(manager.roles().is_empty());
    assert!(manager
        .notes()
        .iter()
        .any(|n| n.contains("User.ReadUpdate.All is not enough")));
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(
        json["permissions"][0]["roles"],
        json!(["userAdministrator", "sensitiveActionsOnPrivilegedUser"])
    );
    assert_eq!(
        json["permissions"][1]["least"],
        json!(["User.ReadWrite.All"])
    );
    assert_eq!(json["notWritable"], json!([]));

    // A group: properties with Group.ReadWrite.All, each member call GroupMember.ReadWrite.All.
    let out = patch_to_graph(
        ResourceKind::Group,
        "g1",
        &request(json!([
            {"op": "replace", "path": "displayName", "value": "G"},
            {"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}]},
            {"op": "remove", "path": "members[value eq \"u3\"]"}
        ])),
    )
    .unwrap();
    let least: Vec<_> = out.permissions.iter().map(|p| p.least().to_vec()).collect();
    assert_eq!(
        least,
        [
            vec![Permission::GroupReadWriteAll],
            vec![Permission::GroupMemberReadWriteAll],
            vec![Permission::GroupMemberReadWriteAll],
            vec![Permission::GroupMemberReadWriteAll]
        ]
    );
}
