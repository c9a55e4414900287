//! The least-privilege calculator: each rule of the permission table (A7)
//! and of the mapping rows.

use scimkit_entra::{
    graph::Method,
    permissions::{
        discovery_permissions, required_permissions, AdminRole, Permission as P,
        RequiredPermissions, Touched,
    },
    ResourceKind,
};
use scimkit_filter::Filter;
use scimkit_patch::{PatchOptions, PatchPath, PatchRequest};
use scimkit_schema::AttrPath;
use serde_json::{json, Value};

const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CSA: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes";

fn patch(ops: Value) -> Touched {
    let request = PatchRequest::from_value(
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops}),
        &PatchOptions::entra(),
    )
    .unwrap();
    Touched::from_patch(&request).unwrap()
}

fn paths(paths: &[&str]) -> Touched {
    Touched::paths(paths.iter().map(|p| p.parse::<PatchPath>().unwrap()))
}

fn perms(method: Method, kind: ResourceKind, touched: &Touched) -> RequiredPermissions {
    required_permissions(method, kind, touched).unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn check(method: Method, kind: ResourceKind, touched: Touched, least: &[P], broader: &[P]) {
    let p = perms(method, kind, &touched);
    assert_eq!(p.least(), least, "least for {touched:?}");
    assert_eq!(p.broader(), broader, "broader for {touched:?}");
}

#[test]
fn user_patch_special_permissions() {
    use ResourceKind::User;
    // Only `active`: Graph's least set is the specific permission plus
    // User.Read.All (issue 12 item 11).
    check(
        Method::Patch,
        User,
        patch(json!([{"op": "replace", "path": "active", "value": false}])),
        &[P::UserEnableDisableAccountAll, P::UserReadAll],
        &[P::UserReadWriteAll],
    );
    // Entra's own disable request (quirk Q2).
    check(
        Method::Patch,
        User,
        patch(json!([{"op": "Replace", "path": "active", "value": "False"}])),
        &[P::UserEnableDisableAccountAll, P::UserReadAll],
        &[P::UserReadWriteAll],
    );
    // Only the mobile (or work) phone.
    for p in [
        r#"phoneNumbers[type eq "mobile"].value"#,
        r#"phoneNumbers[type eq "work"].value"#,
    ] {
        check(
            Method::Patch,
            User,
            paths(&[p]),
            &[P::UserPhoneReadWriteAll],
            &[P::UserReadWriteAll],
        );
    }
    // Other email.
    check(
        Method::Patch,
        User,
        paths(&[r#"emails[type eq "other"].value"#]),
        &[P::UserMailReadWriteAll],
        &[P::UserReadWriteAll],
    );
    // Lifecycle: the specific permission plus User.Read.All (item 11);
    // nothing broader grants the lifecycle write.
    check(
        Method::Patch,
        User,
        paths(&[&format!("{ENTRA}:employeeLeaveDateTime")]),
        &[P::UserLifeCycleInfoReadWriteAll, P::UserReadAll],
        &[P::UserReadWriteAll],
    );
    // Custom Security Attributes.
    check(
        Method::Patch,
        User,
        paths(&[&format!("{CSA}:Project.ProjectName")]),
        &[P::CustomSecAttributeAssignmentReadWriteAll],
        &[],
    );
}

#[test]
fn other_user_updates_need_read_update() {
    use ResourceKind::User;
    for p in [
        "displayName",
        "userName",
        "name.givenName",
        r#"emails[type eq "work"].value"#,
        r#"addresses[type eq "work"].locality"#,
        &format!("{ENTERPRISE}:department"),
        &format!("{ENTRA}:officeLocation"),
        "externalId",
    ] {
        check(
            Method::Patch,
            User,
            paths(&[p]),
            &[P::UserReadUpdateAll],
            &[P::UserReadWriteAll],
        );
    }
    // Mixed: each special one plus the general one.
    check(
        Method::Patch,
        User,
        patch(json!([
            {"op": "replace", "path": "active", "value": true},
            {"op": "replace", "path": "displayName", "value": "A"},
            {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "1"}
        ])),
        // Sorted by name: `-` sorts before `.`.
        &[
            P::UserPhoneReadWriteAll,
            P::UserEnableDisableAccountAll,
            P::UserReadAll,
            P::UserReadUpdateAll,
        ],
        &[P::UserReadWriteAll],
    );
    // A path-less value: one need per key.
    check(
        Method::Patch,
        User,
        patch(json!([{"op": "replace", "value": {"active": true,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "1"}}])),
        &[
            P::UserEnableDisableAccountAll,
            P::UserReadAll,
            P::UserReadUpdateAll,
        ],
        &[P::UserReadWriteAll],
    );
    // Nothing named, or the whole resource: the PATCH permission.
    check(
        Method::Patch,
        User,
        Touched::default(),
        &[P::UserReadUpdateAll],
        &[P::UserReadWriteAll],
    );
    check(
        Method::Patch,
        User,
        Touched::everything(),
        &[P::UserReadUpdateAll],
        &[P::UserReadWriteAll],
    );
}

#[test]
fn password_is_handled() {
    use ResourceKind::User;
    // Creating with a password: User.Create.
    let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a",
                      "password": "S3cret!", "active": true});
    check(
        Method::Post,
        User,
        Touched::from_resource(&body).unwrap(),
        &[P::UserCreate],
        &[P::UserReadWriteAll],
    );
    // Changing it by PATCH: Entra's SCIM API sets it on create only.
    let err = required_permissions(Method::Patch, User, &paths(&["password"])).unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("mutability"));
    assert!(err
        .detail()
        .unwrap()
        .contains("User-PasswordProfile.ReadWrite.All"));
    // The password flags: Graph's passwordProfile permission (inferred), with a note.
    let p = perms(
        Method::Patch,
        User,
        &paths(&[&format!(
            "{ENTRA}:passwordProfile.forceChangePasswordNextSignIn"
        )]),
    );
    assert_eq!(p.least(), [P::UserPasswordProfileReadWriteAll]);
    assert_eq!(p.broader(), [P::UserReadWriteAll]);
    assert!(p.notes().iter().any(|n| n.contains("inferred for SCIM")));
    let p = perms(
        Method::Patch,
        User,
        &paths(&[&format!("{ENTRA}:passwordForceChangeOnNextSignInWithMFA")]),
    );
    assert_eq!(p.least(), [P::UserPasswordProfileReadWriteAll]);
}

#[test]
fn notes_carry_the_caveats() {
    let p = perms(Method::Patch, ResourceKind::User, &paths(&["active"]));
    assert!(p.notes()[0].contains("admin role"), "{:?}", p.notes());
    let p = perms(
        Method::Patch,
        ResourceKind::User,
        &paths(&[&format!("{ENTRA}:employeeHireDate")]),
    );
    assert_eq!(p.least(), [P::UserReadUpdateAll]);
    assert!(p.notes()[0].contains("employeeHireDate"));
    assert!(perms(Method::Patch, ResourceKind::User, &paths(&["title"]))
        .notes()
        .is_empty());
}

#[test]
fn create_and_delete() {
    check(
        Method::Post,
        ResourceKind::User,
        Touched::everything(),
        &[P::UserCreate],
        &[P::UserReadWriteAll],
    );
    check(
        Method::Post,
        ResourceKind::Group,
        Touched::everything(),
        &[P::GroupCreate],
        &[P::GroupReadWriteAll],
    );
    // Custom Security Attributes on create.
    let body = json!({"userName": "a", CSA: {"Project": {"ProjectName": "X"}}, "meta": {"resourceType": "User"}});
    check(
        Method::Post,
        ResourceKind::User,
        Touched::from_resource(&body).unwrap(),
        &[P::CustomSecAttributeAssignmentReadWriteAll, P::UserCreate],
        &[P::UserReadWriteAll],
    );
    check(
        Method::Delete,
        ResourceKind::User,
        Touched::everything(),
        &[P::UserReadWriteAll],
        &[],
    );
    check(
        Method::Delete,
        ResourceKind::Group,
        Touched::everything(),
        &[P::GroupReadWriteAll],
        &[],
    );
    let err =
        required_permissions(Method::Put, ResourceKind::User, &Touched::everything()).unwrap_err();
    assert_eq!(err.status(), 405);
    assert!(Touched::from_resource(&json!([1])).is_err());
}

#[test]
fn group_patches() {
    use ResourceKind::Group;
    // Membership only.
    check(
        Method::Patch,
        Group,
        patch(json!([
            {"op": "add", "path": "members", "value": [{"value": "u1"}]},
            {"op": "remove", "path": "members[value eq \"u2\"]"}
        ])),
        &[P::GroupMemberReadWriteAll],
        &[P::GroupReadWriteAll],
    );
    check(
        Method::Patch,
        Group,
        patch(json!([{"op": "add", "value": {"members": [{"value": "u1"}]}}])),
        &[P::GroupMemberReadWriteAll],
        &[P::GroupReadWriteAll],
    );
    // Anything else (alone or with members): Group.ReadWrite.All.
    check(
        Method::Patch,
        Group,
        patch(json!([
            {"op": "add", "path": "members", "value": [{"value": "u1"}]},
            {"op": "replace", "path": "displayName", "value": "G"}
        ])),
        &[P::GroupReadWriteAll],
        &[],
    );
    check(
        Method::Patch,
        Group,
        paths(&["urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:description"]),
        &[P::GroupReadWriteAll],
        &[],
    );
}

#[test]
fn reads_and_filters() {
    use ResourceKind::{Group, User};
    // A full read.
    check(
        Method::Get,
        User,
        Touched::everything(),
        &[P::UserReadAll],
        &[P::UserReadWriteAll],
    );
    check(
        Method::Get,
        Group,
        Touched::everything(),
        &[P::GroupReadAll],
        &[P::GroupReadWriteAll],
    );
    // Basic profile: only id and userName touched.
    let basic = Touched::from_filter(&Filter::parse(r#"userName eq "a""#).unwrap())
        .and(Touched::attributes(&[AttrPath::parse("userName").unwrap()]));
    check(
        Method::Get,
        User,
        basic,
        &[P::UserReadBasicAll],
        &[P::UserReadAll, P::UserReadWriteAll],
    );
    check(
        Method::Get,
        User,
        Touched::from_filter(&Filter::parse(r#"id eq "x""#).unwrap()),
        &[P::UserReadBasicAll],
        &[P::UserReadAll, P::UserReadWriteAll],
    );
    // Filters on active, externalId, groups.value, mailNickname, ownedGroups.value need User.Read.All.
    for f in [
        "active eq true",
        r#"externalId eq "x""#,
        r#"groups.value eq "g1""#,
        &format!(r#"{ENTRA}:mailNickname eq "a""#),
        &format!(r#"{ENTRA}:ownedGroups.value eq "g1""#),
        r#"emails[type eq "work" and value eq "a"]"#,
    ] {
        check(
            Method::Get,
            User,
            Touched::from_filter(&Filter::parse(f).unwrap()),
            &[P::UserReadAll],
            &[P::UserReadWriteAll],
        );
    }
    // Unknown attributes: the full read.
    check(
        Method::Get,
        User,
        Touched::from_filter(&Filter::parse(r#"nickName eq "x""#).unwrap()),
        &[P::UserReadAll],
        &[P::UserReadWriteAll],
    );
    // Custom Security Attributes.
    let p = perms(
        Method::Get,
        User,
        &Touched::attributes(&[AttrPath::parse(&format!("{CSA}:Project")).unwrap()]),
    );
    assert_eq!(
        p.least(),
        [P::CustomSecAttributeAssignmentReadAll, P::UserReadBasicAll]
    );
    assert!(p.notes()[0].contains("CustomSecAttributeDefinition.Read.All"));
    // Group filters.
    check(
        Method::Get,
        Group,
        Touched::from_filter(
            &Filter::parse(r#"members.value eq "u1" and displayName eq "G""#).unwrap(),
        ),
        &[P::GroupReadAll],
        &[P::GroupReadWriteAll],
    );
}

#[test]
fn discovery() {
    let p = discovery_permissions(false);
    assert_eq!(p.least(), [P::GroupReadAll, P::UserReadAll]);
    assert_eq!(p.broader(), [P::GroupReadWriteAll, P::UserReadWriteAll]);
    let p = discovery_permissions(true);
    assert_eq!(
        p.least(),
        [
            P::CustomSecAttributeDefinitionReadAll,
            P::GroupReadAll,
            P::UserReadAll
        ]
    );
}

#[test]
fn writes_the_api_refuses_are_errors() {
    for (kind, path, scim_type) in [
        (ResourceKind::User, "nickName", "invalidPath"),
        (ResourceKind::User, "id", "mutability"),
        (ResourceKind::User, "groups", "mutability"),
        (
            ResourceKind::User,
            &format!("{ENTRA}:onPremisesSyncEnabled") as &str,
            "mutability",
        ),
        (
            ResourceKind::Group,
            "members[value eq \"x\"].display",
            "invalidPath",
        ),
        (ResourceKind::Group, "meta.created", "mutability"),
    ] {
        let err = required_permissions(Method::Patch, kind, &paths(&[path])).unwrap_err();
        assert_eq!(
            err.scim_type().map(|t| t.as_str()),
            Some(scim_type),
            "{path}"
        );
    }
}

#[test]
fn serializes_for_the_cli() {
    let p = perms(
        Method::Patch,
        ResourceKind::User,
        &paths(&["active", "title"]),
    );
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"least": ["User.EnableDisableAccount.All", "User.Read.All", "User.ReadUpdate.All"],
               "broader": ["User.ReadWrite.All"],
               "roles": ["sensitiveActionsOnPrivilegedUser"],
               "notes": [p.notes()[0]]})
    );
    // No roles: no member.
    let p = perms(Method::Patch, ResourceKind::User, &paths(&["title"]));
    assert!(serde_json::to_value(&p).unwrap().get("roles").is_none());
}

/// Issue 12, item 10: Graph's assign-manager call (PUT /users/{id}/manager/$ref)
/// needs User.ReadWrite.All for applications, not User.ReadUpdate.All.
#[test]
fn manager_assignment_needs_read_write_all() {
    for p in [
        format!("{ENTERPRISE}:manager"),
        format!("{ENTERPRISE}:manager.value"),
    ] {
        let needs = perms(Method::Patch, ResourceKind::User, &paths(&[&p]));
        assert_eq!(needs.least(), [P::UserReadWriteAll], "{p}");
        assert!(needs.broader().is_empty(), "{p}");
        assert!(
            needs
                .notes()
                .iter()
                .any(|n| n.contains("Graph's assign-manager page")),
            "{p}"
        );
    }
}

/// Issue 12, item 12: passwordProfile wants the User Administrator role
/// always; accountEnabled, mobilePhone and otherMails a role only for a
/// privileged target; other properties (businessPhones too) none.
#[test]
fn admin_roles_say_when_they_are_needed() {
    let roles = |p: &str| {
        perms(Method::Patch, ResourceKind::User, &paths(&[p]))
            .roles()
            .to_vec()
    };
    let password = format!("{ENTRA}:passwordProfile.forceChangePasswordNextSignIn");
    assert_eq!(roles(&password), [AdminRole::UserAdministrator]);
    for p in [
        "active",
        r#"phoneNumbers[type eq "mobile"].value"#,
        r#"emails[type eq "other"].value"#,
    ] {
        assert_eq!(
            roles(p),
            [AdminRole::SensitiveActionsOnPrivilegedUser],
            "{p}"
        );
    }
    for p in [
        r#"phoneNumbers[type eq "work"].value"#,
        "title",
        "displayName",
    ] {
        assert!(roles(p).is_empty(), "{p}");
    }
    assert!(AdminRole::SensitiveActionsOnPrivilegedUser
        .description()
        .contains("only when the target user is privileged"));
    assert!(AdminRole::UserAdministrator
        .description()
        .contains("every app-only update of passwordProfile"));
}

/// Issue 12 item 13: reading displayName, name or the work email needs
/// only User.ReadBasic.All (the basic profile); filtering on them does not
/// (User.ReadBasic.All filters on id and userName only).
#[test]
fn basic_profile_reads_need_only_read_basic() {
    use ResourceKind::User;
    for attrs in [
        &["displayName"][..],
        &["name"],
        &["name.givenName", "name.familyName"],
        &[r#"emails[type eq "work" and primary eq true].value"#],
        &["userName", "displayName", "name"],
    ] {
        check(
            Method::Get,
            User,
            paths(attrs),
            &[P::UserReadBasicAll],
            &[P::UserReadAll, P::UserReadWriteAll],
        );
    }
    // Filtering on displayName is beyond the basic profile's filters.
    check(
        Method::Get,
        User,
        Touched::from_filter(&Filter::parse(r#"displayName eq "A""#).unwrap())
            .and(paths(&["displayName"])),
        &[P::UserReadAll],
        &[P::UserReadWriteAll],
    );
    // Other attributes still need User.Read.All.
    check(
        Method::Get,
        User,
        paths(&["displayName", "title"]),
        &[P::UserReadAll],
        &[P::UserReadWriteAll],
    );
}

/// Issue 12 item 12: the role for passwordProfile is unconditional; the
/// role for accountEnabled, mobilePhone and otherMails applies only when
/// the target user is privileged; the result type says which.
#[test]
fn admin_roles_carry_their_condition() {
    use scimkit_entra::permissions::RoleCondition;
    assert_eq!(
        AdminRole::UserAdministrator.condition(),
        RoleCondition::Always
    );
    assert_eq!(
        AdminRole::UserAdministrator.graph_properties(),
        ["passwordProfile"]
    );
    assert_eq!(
        AdminRole::SensitiveActionsOnPrivilegedUser.condition(),
        RoleCondition::WhenTargetIsPrivileged
    );
    assert_eq!(
        AdminRole::SensitiveActionsOnPrivilegedUser.graph_properties(),
        ["accountEnabled", "mobilePhone", "otherMails"]
    );
    let p = perms(
        Method::Patch,
        ResourceKind::User,
        &paths(&[
            &format!("{ENTRA}:passwordProfile.forceChangePasswordNextSignIn"),
            "active",
        ]),
    );
    let conditions: Vec<_> = p.roles().iter().map(|r| r.condition()).collect();
    assert_eq!(
        conditions,
        [RoleCondition::Always, RoleCondition::WhenTargetIsPrivileged]
    );
    assert_eq!(
        serde_json::to_value(RoleCondition::WhenTargetIsPrivileged).unwrap(),
        "whenTargetIsPrivileged"
    );
}
