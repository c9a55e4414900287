//! `scimkit entra ...` from the outside: JSON lines in, exact JSON lines
//! and exit codes out.

mod common;
use common::{scimkit, stderr, stdout};

use serde_json::{json, Value};

/// Run `scimkit entra <sub> --jsonl [flags]` over `lines` (one JSON object
/// each) and check that it succeeds with exactly `want`.
fn check(sub: &str, flags: &[&str], lines: &[Value], want: &[&str]) {
    let input: Vec<String> = lines.iter().map(Value::to_string).collect();
    check_raw(sub, flags, &input.join("\n"), want);
}

fn check_raw(sub: &str, flags: &[&str], input: &str, want: &[&str]) {
    let mut args = vec!["entra", sub, "--jsonl"];
    args.extend_from_slice(flags);
    let out = scimkit(&args, input);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let got: Vec<&str> = stdout(&out).lines().collect();
    assert_eq!(got, want);
}

const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTRA_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn patch(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

/// What Entra's provisioning service sends to deactivate a user: a
/// capitalised op and a string boolean (strict RFC 7644 refuses both).
fn entra_deactivate() -> Value {
    patch(json!([{"op": "Replace", "path": "active", "value": "False"}]))
}

fn user() -> Value {
    json!({
        "schemas": [USER_URN, ENTRA_USER_URN],
        "id": "5cc0930a",
        "userName": "adele@contoso.com",
        "displayName": "Adele Vance",
        "active": true,
        "nickName": "Adele",
        "emails": [{"type": "work", "primary": true, "value": "adele@contoso.com"},
                   {"type": "home", "value": "adele@example.net"}],
        "phoneNumbers": [{"type": "mobile", "value": "+1 425 555 0109"}],
        ENTRA_USER_URN: {"mailNickname": "adele", "onPremisesSyncEnabled": false}
    })
}

const BAD_ACTIVE: &str = r#"{"error":{"status":400,"scimType":"invalidValue","detail":"active must be a boolean, not a string"}}"#;
const NOT_JSON: &str = r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: expected ident at line 1 column 2"}}"#;
const WIDGET: &str = r#"{"error":{"status":400,"scimType":"invalidValue","detail":"unknown resource type \"Widget\": expected \"User\" or \"Group\""}}"#;

#[test]
fn to_graph_bodies_unmapped_paths_and_errors() {
    let mut bad = user();
    bad["active"] = json!("yes");
    check_raw(
        "to-graph",
        &[],
        &[
            json!({"resourceType": "User", "resource": user()}).to_string(),
            json!({"resourceType": "User", "resource": bad}).to_string(),
            String::from("not json"),
            json!({"resourceType": "Widget", "resource": user()}).to_string(),
            json!({"resourceType": "user"}).to_string(),
            json!({"resourceType": "Group", "resource": {
                "schemas": [GROUP_URN], "displayName": "Sales", "members": [{"value": "u1"}]}})
            .to_string(),
        ]
        .join("\n"),
        &[
            r#"{"graph":{"accountEnabled":true,"displayName":"Adele Vance","mail":"adele@contoso.com","mailNickname":"adele","mobilePhone":"+1 425 555 0109","userPrincipalName":"adele@contoso.com"},"unmapped":["emails[type eq \"home\"]","id","nickName","urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:onPremisesSyncEnabled"]}"#,
            BAD_ACTIVE,
            NOT_JSON,
            WIDGET,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `resource`"}}"#,
            r#"{"graph":{"displayName":"Sales","members@odata.bind":["https://graph.microsoft.com/v1.0/directoryObjects/u1"]},"unmapped":[]}"#,
        ],
    );
}

#[test]
fn from_graph_resources_as_entra_returns_them() {
    check(
        "from-graph",
        &[],
        &[
            json!({"resourceType": "Group", "graph": {
                "id": "c9326764", "displayName": "Sales", "groupTypes": [], "mailEnabled": false,
                "securityEnabled": true, "createdDateTime": "2023-05-19T11:24:25+02:00"}}),
            json!({"resourceType": "User", "graph": {"id": "5cc0930a", "displayName": 5}}),
            json!({"resourceType": "User", "graph": [1]}),
            json!({"resourceType": "User", "graph": {
                "id": "5cc0930a", "userPrincipalName": "adele@contoso.com", "accountEnabled": false,
                "mobilePhone": "+1 425 555 0109", "businessPhones": [], "mail": null,
                "onPremisesExtensionAttributes": {"extensionAttribute1": "x"}}}),
        ],
        &[
            r#"{"resource":{"displayName":"Sales","id":"c9326764","meta":{"created":"2023-05-19T11:24:25+02:00","location":"/groups/c9326764","resourceType":"group"},"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group"],"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group":{"mailEnabled":false,"securityEnabled":true}}}"#,
            r#"{"error":{"status":400,"scimType":"invalidValue","detail":"Graph property displayName must be a string, not a number"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`graph` must be a JSON object"}}"#,
            r#"{"resource":{"active":false,"id":"5cc0930a","meta":{"location":"/users/5cc0930a","resourceType":"user"},"phoneNumbers":[{"type":"mobile","value":"+1 425 555 0109"}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User"],"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User":{"onPremisesExtensionAttributes":{"extensionAttribute1":"x"}},"userName":"adele@contoso.com"}}"#,
        ],
    );
}

#[test]
fn odata_filters_advanced_flags_and_two_kinds_of_error() {
    check(
        "odata",
        &[],
        &[
            json!({"resourceType": "User", "filter": "userName eq \"o'neil@contoso.com\""}),
            json!({"resourceType": "User", "filter": "userName ew \"@contoso.com\" and active eq true"}),
            // Not expressible: its own detail, naming the clause.
            json!({"resourceType": "User", "filter": "userName eq \"a\" or title co \"Dev\""}),
            // Does not parse.
            json!({"resourceType": "User", "filter": "userName eq"}),
            // Entra's lookup form parses (ParseOptions::entra()).
            json!({"resourceType": "User", "filter": "emails[type eq \"work\"].value eq \"a@x.com\""}),
            json!({"resourceType": "User", "filter": "emails[type eq \"other\" and value eq \"b@x.com\"]"}),
            json!({"resourceType": "Group", "filter": "displayName sw \"Sales\""}),
            json!({"resourceType": "User", "filter": 7}),
            json!({"resourceType": "User", "filter": "active eq \"yes\""}),
        ],
        &[
            r#"{"filter":"userPrincipalName eq 'o''neil@contoso.com'","advanced":false}"#,
            r#"{"filter":"endswith(userPrincipalName,'@contoso.com') and accountEnabled eq true","advanced":true}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"not expressible as an OData $filter: `title co \"Dev\"` (bytes 19..33): co (contains) has no OData $filter form for Microsoft Entra directory objects; Graph's $search is the nearest, tokenized and only on displayName and description"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid filter at byte 11: expected a space and a value after the operator, found end of input"}}"#,
            r#"{"filter":"(mail eq 'a@x.com' or proxyAddresses/any(x:x eq 'smtp:a@x.com'))","advanced":false}"#,
            r#"{"filter":"otherMails/any(x:x eq 'b@x.com')","advanced":false}"#,
            r#"{"filter":"startswith(displayName,'Sales')","advanced":false}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`filter` must be a string"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid literal for an OData $filter: `active eq \"yes\"` (bytes 0..15): the attribute is a boolean; the literal does not fit it"}}"#,
        ],
    );
}

#[test]
fn permissions_least_set_and_optional_broader_and_notes() {
    let disable = patch(json!([{"op": "replace", "path": "active", "value": false}]));
    let lines = [
        json!({"method": "PATCH", "resourceType": "User", "request": disable}),
        json!({"method": "PATCH", "resourceType": "User", "attributes": [
            "phoneNumbers[type eq \"mobile\"].value", "emails[type eq \"other\"].value"]}),
        json!({"method": "PATCH", "resourceType": "User",
               "attributes": ["urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:employeeLeaveDateTime"]}),
        json!({"method": "PATCH", "resourceType": "User", "attributes": ["displayName"]}),
        // Strict parsing by default: Entra's quirks are refused.
        json!({"method": "PATCH", "resourceType": "User", "request": entra_deactivate()}),
        json!({"method": "PATCH", "resourceType": "Group", "request": patch(json!([
            {"op": "add", "path": "members", "value": [{"value": "u1"}]}]))}),
        json!({"method": "PATCH", "resourceType": "Group", "attributes": ["displayName"]}),
        json!({"method": "GET", "resourceType": "User", "filter": "externalId eq \"x\""}),
        json!({"method": "GET", "resourceType": "User", "attributes": ["userName"]}),
        json!({"method": "GET", "resourceType": "Group"}),
        json!({"method": "POST", "resourceType": "User", "request": {"schemas": [USER_URN], "userName": "a"}}),
        json!({"method": "DELETE", "resourceType": "User"}),
        json!({"method": "PUT", "resourceType": "User"}),
        json!({"method": "PATCH", "resourceType": "User", "attributes": ["id"]}),
        json!({"method": "GET", "resourceType": "User", "request": {}}),
        json!({"method": "PATCH", "resourceType": "User", "attributes": "active"}),
        json!({"method": "PATCH", "resourceType": "User", "request": disable}),
    ];
    let error_lines = [
        r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"Operations[0]: unknown op \"Replace\": expected add, remove or replace","hint":"capitalised ops are an Entra quirk: PatchOptions::op_any_case (`--compat entra` in the CLI)"}}"#,
        r#"{"error":{"status":405,"detail":"Entra's SCIM API has no PUT: update with PATCH"}}"#,
        r#"{"error":{"status":400,"scimType":"mutability","detail":"id is read-only"}}"#,
        r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`request` is a PatchOp body (PATCH) or a resource (POST), not part of GET; use `attributes` or `filter`"}}"#,
        r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`attributes` must be an array of attribute paths (strings)"}}"#,
    ];
    check(
        "permissions",
        &[],
        &lines,
        &[
            r#"{"permissions":["User.EnableDisableAccount.All","User.Read.All"],"roles":["sensitiveActionsOnPrivilegedUser"]}"#,
            r#"{"permissions":["User-Mail.ReadWrite.All","User-Phone.ReadWrite.All"],"roles":["sensitiveActionsOnPrivilegedUser"]}"#,
            r#"{"permissions":["User-LifeCycleInfo.ReadWrite.All","User.Read.All"]}"#,
            r#"{"permissions":["User.ReadUpdate.All"]}"#,
            error_lines[0],
            r#"{"permissions":["GroupMember.ReadWrite.All"]}"#,
            r#"{"permissions":["Group.ReadWrite.All"]}"#,
            r#"{"permissions":["User.Read.All"]}"#,
            r#"{"permissions":["User.ReadBasic.All"]}"#,
            r#"{"permissions":["Group.Read.All"]}"#,
            r#"{"permissions":["User.Create"]}"#,
            r#"{"permissions":["User.ReadWrite.All"]}"#,
            error_lines[1],
            error_lines[2],
            error_lines[3],
            error_lines[4],
            r#"{"permissions":["User.EnableDisableAccount.All","User.Read.All"],"roles":["sensitiveActionsOnPrivilegedUser"]}"#,
        ],
    );
    check(
        "permissions",
        &["--broader", "--notes", "--compat", "entra"],
        &[
            json!({"method": "PATCH", "resourceType": "User", "request": entra_deactivate()}),
            json!({"method": "GET", "resourceType": "User", "attributes": ["userName"]}),
        ],
        &[
            r#"{"permissions":["User.EnableDisableAccount.All","User.Read.All"],"broader":["User.ReadWrite.All"],"roles":["sensitiveActionsOnPrivilegedUser"],"notes":["Graph wants an admin role for app-only updates of accountEnabled, mobilePhone and otherMails only when the target user is privileged (\"Who can perform sensitive actions\"); the SCIM docs do not say whether SCIM does (inferred: the same rule applies)"]}"#,
            r#"{"permissions":["User.ReadBasic.All"],"broader":["User.Read.All","User.ReadWrite.All"],"notes":[]}"#,
        ],
    );
    check(
        "permissions",
        &["--broader"],
        &[
            json!({"method": "PATCH", "resourceType": "Group", "request": patch(json!([
            {"op": "remove", "path": "members[value eq \"u1\"]"}]))}),
        ],
        &[r#"{"permissions":["GroupMember.ReadWrite.All"],"broader":["Group.ReadWrite.All"]}"#],
    );
}

#[test]
fn check_filter_supported_or_the_reason() {
    check(
        "check-filter",
        &[],
        &[
            json!({"resourceType": "User", "filter": "userName eq \"a@contoso.com\""}),
            json!({"resourceType": "User", "filter": "userName eq \"a\" or userName eq \"b\""}),
            json!({"resourceType": "User", "filter": "("}),
            json!({"resourceType": "User", "filter": "externalId eq \"x\" and userName eq \"y\""}),
            json!({"resourceType": "User", "filter":
                "not(urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname ew \"-admin\") and userName ew \"@contoso.com\""}),
            json!({"resourceType": "Group", "filter": "not (displayName ew \"-ops\")"}),
            json!({"resourceType": "Group", "filter": "displayName eq \"Sales\""}),
        ],
        &[
            r#"{"supported":true}"#,
            r#"{"supported":false,"reason":"Entra's SCIM API does not support `userName eq \"a\" or userName eq \"b\"`: or is not supported (send one request per alternative)"}"#,
            r#"{"error":{"status":400,"scimType":"invalidFilter","detail":"invalid filter at byte 1: expected a filter expression, found end of input"}}"#,
            r#"{"supported":false,"reason":"Entra's SCIM API does not support `externalId eq \"x\"`: externalId cannot be combined with other filters"}"#,
            r#"{"supported":true}"#,
            r#"{"supported":false,"reason":"Entra's SCIM API does not support `not (displayName ew \"-ops\")`: not is not supported on /groups (and only)"}"#,
            r#"{"supported":true}"#,
        ],
    );
}

const DEACTIVATE_CALL: &str = r#"{"requests":[{"method":"PATCH","url":"/users/u1","body":{"accountEnabled":false}}],"permissions":[{"least":["User.EnableDisableAccount.All","User.Read.All"],"roles":["sensitiveActionsOnPrivilegedUser"]}]}"#;

#[test]
fn patch_to_graph_requests_in_order_and_errors() {
    let user_patch = patch(json!([
        {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
         "value": {"value": "9c0f7a3e"}},
        {"op": "replace", "path": "active", "value": false},
        {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555 0100"}
    ]));
    let group_patch = patch(json!([
        {"op": "remove", "path": "members[value eq \"u3\"]"},
        {"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}]}
    ]));
    let deactivate = patch(json!([{"op": "replace", "path": "active", "value": false}]));
    check(
        "patch-to-graph",
        &[],
        &[
            json!({"resourceType": "User", "id": "5cc0930a", "request": user_patch}),
            json!({"resourceType": "Group", "id": "g1", "request": group_patch}),
            json!({"resourceType": "User", "id": "a/b", "request": deactivate}),
            json!({"resourceType": "User", "id": "u1", "request": entra_deactivate()}),
            json!({"resourceType": "User", "id": "u1", "request": patch(json!([
                {"op": "replace", "path": "nickName", "value": "Babs"}]))}),
            json!({"resourceType": "User", "request": deactivate}),
            json!({"resourceType": "User", "id": "u1", "request": deactivate}),
        ],
        &[
            r#"{"requests":[{"method":"PATCH","url":"/users/5cc0930a","body":{"accountEnabled":false,"mobilePhone":"+1 555 0100"}},{"method":"PUT","url":"/users/5cc0930a/manager/$ref","body":{"@odata.id":"https://graph.microsoft.com/v1.0/users/9c0f7a3e"}}],"permissions":[{"least":["User-Phone.ReadWrite.All","User.EnableDisableAccount.All","User.Read.All"],"roles":["sensitiveActionsOnPrivilegedUser"]},{"least":["User.ReadWrite.All"]}]}"#,
            r#"{"requests":[{"method":"POST","url":"/groups/g1/members/$ref","body":{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/u1"}},{"method":"POST","url":"/groups/g1/members/$ref","body":{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/u2"}},{"method":"DELETE","url":"/groups/g1/members/u3/$ref","body":null}],"permissions":[{"least":["GroupMember.ReadWrite.All"]},{"least":["GroupMember.ReadWrite.All"]},{"least":["GroupMember.ReadWrite.All"]}]}"#,
            r#"{"error":{"status":400,"scimType":"invalidValue","detail":"User id \"a/b\" is not a directory object id (an id goes into a Graph URL as is: letters, digits and -._~!$&'()*+,;=:@ only, at most 256 bytes)"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"Operations[0]: unknown op \"Replace\": expected add, remove or replace","hint":"capitalised ops are an Entra quirk: PatchOptions::op_any_case (`--compat entra` in the CLI)"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidPath","detail":"Operations[0]: nickName has no Microsoft Graph property"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `id`"}}"#,
            DEACTIVATE_CALL,
        ],
    );
}

/// Issue 12, items 1-3 through the CLI: externalId reported, never sent;
/// employeeOrgData completed from `current`; removals Graph refuses.
#[test]
fn patch_to_graph_external_id_org_data_and_refused_removals() {
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let cost_center = patch(json!([
        {"op": "replace", "path": format!("{enterprise}:costCenter"), "value": "CC1"}]));
    check(
        "patch-to-graph",
        &[],
        &[
            json!({"resourceType": "User", "id": "u1", "request": patch(json!([
                {"op": "replace", "path": "externalId", "value": "x-1"}]))}),
            json!({"resourceType": "User", "id": "u1", "request": cost_center,
                   "current": {enterprise: {"division": "Retail"}}}),
            json!({"resourceType": "User", "id": "u1", "request": cost_center}),
            json!({"resourceType": "User", "id": "u1", "request": cost_center, "current": "x"}),
            json!({"resourceType": "User", "id": "u1", "request": patch(json!([
                {"op": "remove", "path": "userName"}]))}),
        ],
        &[
            r#"{"requests":[],"permissions":[],"notWritable":[{"path":"externalId","reason":"Entra keeps externalId in crossDomainData, which is not a public Microsoft Graph property: no Graph request can write it (keep it in the proxy, or name a Graph property of your own to carry it)"}]}"#,
            r#"{"requests":[{"method":"PATCH","url":"/users/u1","body":{"employeeOrgData":{"costCenter":"CC1","division":"Retail"}}}],"permissions":[{"least":["User.ReadUpdate.All"]}]}"#,
            r#"{"error":{"status":400,"scimType":"invalidValue","detail":"Operations[0]: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter: Graph sets the employeeOrgData member an update leaves out to null, so changing costCenter alone would clear division; the user's current division is needed to send both (read the user first, or change both in one request)"}}"#,
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"`current` must be a JSON object"}}"#,
            r#"{"error":{"status":400,"scimType":"mutability","detail":"Operations[0]: userName cannot be removed: Graph's userPrincipalName is required and not nullable; replace it with a new value instead"}}"#,
        ],
    );
    // to-graph: externalId reported, not in the body.
    check(
        "to-graph",
        &[],
        &[json!({"resourceType": "User", "resource": {"userName": "a@x", "externalId": "x-1"}})],
        &[
            r#"{"graph":{"userPrincipalName":"a@x"},"unmapped":[],"notWritable":[{"path":"externalId","reason":"Entra keeps externalId in crossDomainData, which is not a public Microsoft Graph property: no Graph request can write it (keep it in the proxy, or name a Graph property of your own to carry it)"}]}"#,
        ],
    );
}

#[test]
fn patch_to_graph_entra_compat_and_batches() {
    check(
        "patch-to-graph",
        &["--compat", "entra", "--batch"],
        &[
            json!({"resourceType": "User", "id": "u1", "request": entra_deactivate()}),
            json!({"resourceType": "User", "id": "u1", "request": patch(json!([]))}),
        ],
        &[
            r#"{"requests":[{"method":"PATCH","url":"/users/u1","body":{"accountEnabled":false}}],"permissions":[{"least":["User.EnableDisableAccount.All","User.Read.All"],"roles":["sensitiveActionsOnPrivilegedUser"]}],"batches":[{"requests":[{"body":{"accountEnabled":false},"headers":{"Content-Type":"application/json"},"id":"1","method":"PATCH","url":"/users/u1"}]}]}"#,
            r#"{"requests":[],"permissions":[],"batches":[]}"#,
        ],
    );
    // 25 member additions: two $batch bodies, ids counting on.
    let adds: Vec<Value> = (0..25).map(|i| json!({"value": format!("u{i}")})).collect();
    let line = json!({"resourceType": "Group", "id": "g1",
        "request": patch(json!([{"op": "add", "path": "members", "value": adds}]))});
    let out = scimkit(
        &["entra", "patch-to-graph", "--jsonl", "--batch"],
        &line.to_string(),
    );
    assert!(out.status.success());
    let answer: Value = serde_json::from_str(stdout(&out)).expect("one JSON line");
    assert_eq!(answer["requests"].as_array().map(Vec::len), Some(25));
    let batches = answer["batches"].as_array().expect("batches");
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[0]["requests"].as_array().map(Vec::len), Some(20));
    assert_eq!(batches[1]["requests"][0]["id"], "21");
    assert_eq!(
        batches[1]["requests"][4]["body"]["@odata.id"],
        "https://graph.microsoft.com/v1.0/directoryObjects/u24"
    );
}

#[test]
fn blank_and_non_object_lines_get_error_lines_in_every_subcommand() {
    let lines = ["", "[1]", r#"{"resourceType": "Widget"}"#];
    for sub in [
        "to-graph",
        "from-graph",
        "odata",
        "permissions",
        "check-filter",
        "patch-to-graph",
    ] {
        let out = scimkit(&["entra", sub, "--jsonl"], &lines.join("\n"));
        assert!(out.status.success(), "{sub}: {}", stderr(&out));
        let got: Vec<&str> = stdout(&out).lines().collect();
        assert_eq!(got.len(), 3, "{sub}");
        assert_eq!(
            got[0],
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"line is not JSON: EOF while parsing a value at line 1 column 0"}}"#
        );
        assert_eq!(
            got[1],
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"each line must be a JSON object"}}"#
        );
        let want = if sub == "permissions" {
            r#"{"error":{"status":400,"scimType":"invalidSyntax","detail":"missing `method`"}}"#
        } else {
            WIDGET
        };
        assert_eq!(got[2], want, "{sub}");
    }
}

#[test]
fn without_jsonl_each_command_takes_one_document() {
    // An empty filter on stdin is an error for the person, not a JSON line.
    let out = scimkit(&["entra", "odata"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("scimkit: "), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    // What the single-document mode needs is asked for by name.
    let out = scimkit(&["entra", "permissions"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--method"), "{}", stderr(&out));
    let out = scimkit(&["entra", "patch-to-graph"], "{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--id"), "{}", stderr(&out));
}

/// Run `scimkit entra <args>` in single-document mode.
fn single(args: &[&str], stdin: &str) -> std::process::Output {
    let mut all = vec!["entra"];
    all.extend_from_slice(args);
    scimkit(&all, stdin)
}

#[track_caller]
fn single_ok(args: &[&str], stdin: &str) -> Value {
    let out = single(args, stdin);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    serde_json::from_str(stdout(&out)).unwrap()
}

#[test]
fn to_graph_single_document_from_a_file_or_stdin() {
    let user = json!({
        "schemas": [USER_URN],
        "userName": "adele@contoso.com",
        "externalId": "a-17",
        "active": true
    });
    let pretty = serde_json::to_string_pretty(&user).unwrap();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("entra-user.json");
    std::fs::write(&path, &pretty).unwrap();
    let from_file = single_ok(&["to-graph", path.to_str().unwrap()], "");
    assert_eq!(
        from_file["graph"],
        json!({"userPrincipalName": "adele@contoso.com", "accountEnabled": true})
    );
    assert_eq!(from_file["notWritable"][0]["path"], "externalId");
    // The same from stdin, `-` or absent.
    assert_eq!(single_ok(&["to-graph", "-"], &pretty), from_file);
    assert_eq!(single_ok(&["to-graph"], &pretty), from_file);
    // The externalId carrier.
    let carried = single_ok(
        &["to-graph", "--external-id-property", "employeeId"],
        &pretty,
    );
    assert_eq!(
        carried["graph"],
        json!({"userPrincipalName": "adele@contoso.com", "accountEnabled": true, "employeeId": "a-17"})
    );
    assert!(carried.get("notWritable").is_none());
    // A group, its type read from `schemas`.
    let group = json!({"schemas": [GROUP_URN], "displayName": "Sales"});
    assert_eq!(
        single_ok(&["to-graph"], &group.to_string())["graph"],
        json!({"displayName": "Sales"})
    );
}

#[test]
fn to_graph_carrier_flag_in_jsonl_mode() {
    check(
        "to-graph",
        &[
            "--external-id-property",
            "onPremisesExtensionAttributes.extensionAttribute1",
        ],
        &[json!({"resourceType": "User", "resource": {"schemas": [USER_URN], "externalId": "x"}})],
        &[
            r#"{"graph":{"onPremisesExtensionAttributes":{"extensionAttribute1":"x"}},"unmapped":[]}"#,
        ],
    );
}

#[test]
fn single_document_problems_go_to_stderr() {
    // A file that cannot be read: exit code 2.
    let out = single(&["to-graph", "/nonexistent/user.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("scimkit: cannot read /nonexistent/user.json"));
    assert_eq!(stdout(&out), "");
    // Not JSON: exit code 1.
    let out = single(&["from-graph"], "{oops");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("scimkit: stdin is not one JSON document"),
        "{}",
        stderr(&out)
    );
    // A SCIM error: its detail, exit code 1.
    let out = single(&["to-graph"], r#"{"userName": "a"}"#);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--resource-type"), "{}", stderr(&out));
    let out = single(
        &["to-graph", "--external-id-property", "crossDomainData"],
        "{}",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot carry externalId"),
        "{}",
        stderr(&out)
    );
    // --jsonl and a file do not mix.
    let out = single(&["to-graph", "--jsonl", "user.json"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn from_graph_odata_check_filter_single_document() {
    let group =
        json!({"id": "g1", "displayName": "Sales", "createdDateTime": "2022-01-11T01:23:26Z"});
    let scim = single_ok(
        &["from-graph", "--resource-type", "group"],
        &group.to_string(),
    );
    assert_eq!(
        scim["resource"]["meta"]["created"],
        "2022-01-11T01:23:26+00:00"
    );
    assert_eq!(scim["resource"]["meta"]["resourceType"], "group");

    assert_eq!(
        single_ok(&["odata", r#"userName ew "@contoso.com""#], ""),
        json!({"filter": "endswith(userPrincipalName,'@contoso.com')", "advanced": true})
    );
    assert_eq!(
        single_ok(
            &["odata", "--resource-type", "Group"],
            "displayName eq \"Sales\"\n"
        ),
        json!({"filter": "displayName eq 'Sales'", "advanced": false})
    );
    let out = single(
        &["odata", "--resource-type", "Group", r#"displayName ew "x""#],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("endsWith"), "{}", stderr(&out));

    // Issue 12 item 14: Entra's booleans in any case.
    assert_eq!(
        single_ok(&["check-filter", "active eq TRUE"], ""),
        json!({"supported": true})
    );
    assert_eq!(
        single_ok(
            &["check-filter"],
            r#"emails[type eq "work"].value eq "a@x.com""#
        )["supported"],
        false
    );
}

#[test]
fn check_filter_booleans_in_any_case_in_jsonl_mode() {
    check(
        "check-filter",
        &[],
        &[
            json!({"resourceType": "User", "filter": "active eq TRUE"}),
            json!({"resourceType": "Group", "filter": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:securityEnabled eq False"}),
        ],
        &[r#"{"supported":true}"#, r#"{"supported":true}"#],
    );
}

#[test]
fn patch_to_graph_and_permissions_single_document() {
    let body = patch(json!([
        {"op": "replace", "path": "active", "value": false},
        {"op": "replace", "path": "externalId", "value": "x-1"}
    ]))
    .to_string();
    let out = single_ok(&["patch-to-graph", "--id", "u1"], &body);
    assert_eq!(out["requests"][0]["body"], json!({"accountEnabled": false}));
    assert_eq!(out["notWritable"][0]["path"], "externalId");
    let carried = single_ok(
        &[
            "patch-to-graph",
            "--id",
            "u1",
            "--external-id-property",
            "employeeId",
            "--batch",
        ],
        &body,
    );
    assert_eq!(
        carried["requests"][0]["body"],
        json!({"accountEnabled": false, "employeeId": "x-1"})
    );
    assert!(carried.get("notWritable").is_none());
    assert_eq!(carried["batches"][0]["requests"][0]["id"], "1");
    // employeeOrgData needs the current resource, from --current.
    let cost = patch(json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter", "value": "CC2"}])).to_string();
    let current = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("entra-current.json");
    std::fs::write(
        &current,
        json!({"schemas": [USER_URN], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "D1"}}).to_string(),
    )
    .unwrap();
    let out = single_ok(
        &[
            "patch-to-graph",
            "--id",
            "u1",
            "--current",
            current.to_str().unwrap(),
        ],
        &cost,
    );
    assert_eq!(
        out["requests"][0]["body"],
        json!({"employeeOrgData": {"costCenter": "CC2", "division": "D1"}})
    );
    let out = single(&["patch-to-graph", "--id", "u1"], &cost);
    assert_eq!(out.status.code(), Some(1));

    // Permissions: the body for PATCH, flags for GET.
    assert_eq!(
        single_ok(&["permissions", "--method", "PATCH"], &body)["permissions"],
        json!([
            "User.EnableDisableAccount.All",
            "User.Read.All",
            "User.ReadUpdate.All"
        ])
    );
    assert_eq!(
        single_ok(
            &[
                "permissions",
                "--method",
                "get",
                "--attributes",
                "id,displayName,name"
            ],
            ""
        ),
        json!({"permissions": ["User.ReadBasic.All"]})
    );
    assert_eq!(
        single_ok(
            &[
                "permissions",
                "--method",
                "GET",
                "--resource-type",
                "Group",
                "--filter",
                "displayName eq \"S\""
            ],
            ""
        ),
        json!({"permissions": ["Group.Read.All"]})
    );
}
