//! The discovery documents: the ServiceProviderConfig is the documented
//! one, `/schemas` and `/resourcetypes` load through scimkit-schema, agree
//! with the mapping table, and carry filters and PATCH requests.

use scimkit_entra::{
    convert::to_graph,
    discovery::{
        group_schema, resource_schema, resource_types, schemas, service_provider_config,
        user_schema, RESOURCE_TYPES_JSON, SCHEMAS_JSON, SERVICE_PROVIDER_CONFIG_JSON,
    },
    mapping::{mappings, Direction, Multi},
    ResourceKind, ENTERPRISE_USER_URN, ENTRA_GROUP_URN, ENTRA_USER_URN, GROUP_URN, USER_URN,
};
use scimkit_filter::{CompileOptions, Filter};
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::{AttrPath, AttributeType, Mutability, ResourceType, Returned, Schema};
use serde_json::{json, Value};

fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn service_provider_config_is_exactly_the_documented_one() {
    // api.md A3 / seed 000 / MS-REF.
    let documented = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "/graph/overview",
        "pagination": {
            "cursor": true, "index": false, "defaultPaginationMethod": "cursor",
            "defaultPageSize": 100, "maxPageSize": 1000
        },
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": 200}
    });
    assert_eq!(service_provider_config(), &documented);
    let raw: Value = serde_json::from_str(SERVICE_PROVIDER_CONFIG_JSON).unwrap();
    assert_eq!(raw, documented);
    for missing in ["changePassword", "sort", "etag", "authenticationSchemes"] {
        assert!(
            service_provider_config().get(missing).is_none(),
            "{missing}"
        );
    }
}

#[test]
fn schemas_and_resource_types_load_through_scimkit_schema() {
    let ids: Vec<&str> = schemas().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            USER_URN,
            GROUP_URN,
            ENTERPRISE_USER_URN,
            ENTRA_USER_URN,
            ENTRA_GROUP_URN
        ]
    );
    // The same documents load as any server's would.
    assert_eq!(Schema::list_from_json(SCHEMAS_JSON).unwrap().len(), 5);
    let rts = ResourceType::list_from_json(RESOURCE_TYPES_JSON).unwrap();
    assert_eq!(rts, resource_types());
    let raw: Value = serde_json::from_str(SCHEMAS_JSON).unwrap();
    assert_eq!(raw["totalResults"], 5);
    assert!(
        raw.get("resources").is_some(),
        "Entra's lowercase resources"
    );

    let user = user_schema();
    assert_eq!(user.resource_type().endpoint, "/Users");
    let ext: Vec<(&str, bool)> = user.extensions().map(|(s, r)| (s.id.as_str(), r)).collect();
    assert_eq!(ext, [(ENTERPRISE_USER_URN, false), (ENTRA_USER_URN, false)]);
    let group = group_schema();
    assert_eq!(group.resource_type().endpoint, "/Groups");
    let ext: Vec<(&str, bool)> = group
        .extensions()
        .map(|(s, r)| (s.id.as_str(), r))
        .collect();
    assert_eq!(ext, [(ENTRA_GROUP_URN, true)]);
    let meta = resource_types()[0].meta.as_ref().unwrap();
    assert_eq!(meta["location"], "/resourcetypes/user");
}

#[test]
fn every_table_row_resolves_in_the_schema_with_its_characteristics() {
    for m in mappings() {
        if m.path().is_template() {
            continue; // Custom Security Attributes: defined per tenant.
        }
        let rs = resource_schema(m.resource());
        for path in m.accepted_paths() {
            let what = format!("{} {}:{path}", m.resource(), m.schema());
            let attr =
                AttrPath::from_parts(Some(m.schema()), path.attribute(), path.sub_attribute())
                    .unwrap();
            let resolved = rs.resolve(&attr).unwrap_or_else(|e| panic!("{what}: {e}"));
            let def = resolved.target();
            if m.scim_type() != AttributeType::Reference {
                assert_eq!(def.kind, m.scim_type(), "{what}: type");
            }
            if path.filter().is_none() && path.sub_attribute().is_none() {
                assert_eq!(
                    def.multi_valued,
                    m.multi() == Multi::Multiple,
                    "{what}: multi"
                );
            }
            if path.filter().is_some() {
                assert!(
                    resolved.attribute().multi_valued,
                    "{what}: typed attribute is multi-valued"
                );
                continue; // one sub-attribute serves several rows of different mutability
            }
            match m.direction() {
                Direction::Read => assert_eq!(
                    resolved.attribute().mutability,
                    Mutability::ReadOnly,
                    "{what}"
                ),
                Direction::Write => assert_eq!(def.mutability, Mutability::WriteOnly, "{what}"),
                Direction::Both if resolved.is_common() => {}
                Direction::Both => assert_eq!(
                    resolved.attribute().mutability,
                    Mutability::ReadWrite,
                    "{what}"
                ),
            }
            if m.returned() == Returned::Never {
                assert_eq!(
                    resolved.attribute().returned,
                    Returned::Never,
                    "{what}: returned"
                );
            }
        }
    }
}

#[test]
fn entra_documented_filters_compile_against_entra_schema() {
    // groups, ownedGroups, members, owners are returned "never" in Entra's
    // schema but filter-only by design: allowed on request.
    let strict = CompileOptions::default()
        .strict_attributes(true)
        .filter_never_returned(true);
    let users = [
        r#"userName eq "aduser2@goodworkarounddev.onmicrosoft.com""#,
        "active eq true",
        r#"externalId eq "x""#,
        r#"id eq "5cc0930a-9244-45eb-a34c-76273ac5f7a6""#,
        r#"groups.value eq "c9326764-801d-4932-9adf-12852c7f3491""#,
        r#"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname eq "aduser2""#,
        r#"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:ownedGroups.value eq "g""#,
        r#"not(urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:mailNickname ew "-admin") and userName ew "@goodworkarounddev.onmicrosoft.com""#,
    ];
    let user = data("seed_user.scim.json");
    for (i, text) in users.iter().enumerate() {
        let compiled = Filter::parse(text)
            .unwrap()
            .compile_with(user_schema(), strict)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        // The seed user matches all but the filter-only ones.
        let expected = !matches!(i, 2 | 4 | 6);
        assert_eq!(compiled.matches(&user), expected, "{text}");
    }
    let group = data("seed_groups_list.json")["resources"][0].clone();
    for text in [
        r#"displayName eq "Conditional Access Persona - Employee""#,
        r#"displayName ew "Employee""#,
        r#"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:securityEnabled eq true and urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:mailEnabled eq false"#,
    ] {
        let compiled = Filter::parse(text)
            .unwrap()
            .compile_with(group_schema(), strict)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(compiled.matches(&group), "{text}");
    }
    for text in [
        r#"members.value eq "5cc0930a-9244-45eb-a34c-76273ac5f7a6""#,
        r#"urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:owners.value eq "u""#,
    ] {
        let compiled = Filter::parse(text)
            .unwrap()
            .compile_with(group_schema(), strict)
            .unwrap();
        assert!(
            !compiled.matches(&group),
            "{text}: never returned, so no match in a body"
        );
    }
    // An attribute Entra does not have is rejected under strict compilation.
    let err = Filter::parse(r#"nickName eq "Babs""#)
        .unwrap()
        .compile_with(user_schema(), strict)
        .unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
}

fn patch(body: Value, options: &PatchOptions) -> PatchRequest {
    PatchRequest::from_value(&body, options).unwrap()
}

#[test]
fn patch_applies_to_entra_extension_attributes() {
    let mut user = data("seed_user.scim.json");
    let request = patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:officeLocation", "value": "Oslo"},
            {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:onPremisesExtensionAttributes.extensionAttribute7", "value": "x7"},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": {"value": "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:passwordForceChangeOnNextSignIn", "value": true}
        ]}),
        &PatchOptions::strict(),
    );
    let outcome = request.apply(&mut user, user_schema()).unwrap();
    assert!(!outcome.is_noop());
    let ext = &user[ENTRA_USER_URN];
    assert_eq!(ext["officeLocation"], "Oslo");
    assert_eq!(
        ext["onPremisesExtensionAttributes"],
        json!({"extensionAttribute7": "x7"})
    );
    assert_eq!(
        user[ENTERPRISE_USER_URN]["manager"]["value"],
        "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"
    );
    assert!(user["schemas"]
        .as_array()
        .unwrap()
        .contains(&json!(ENTERPRISE_USER_URN)));

    // The patched resource converts to the Graph body a proxy would send.
    let out = to_graph(ResourceKind::User, &user).unwrap();
    assert_eq!(out.body["officeLocation"], "Oslo");
    assert_eq!(
        out.body["onPremisesExtensionAttributes"],
        json!({"extensionAttribute7": "x7"})
    );
    assert_eq!(
        out.body["passwordProfile"]["forceChangePasswordNextSignIn"],
        true
    );
    assert_eq!(
        out.body["manager@odata.bind"],
        "https://graph.microsoft.com/v1.0/users/2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"
    );

    // Read-only Entra attributes cannot be patched.
    let before = user.clone();
    let err = patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User:onPremisesSyncEnabled", "value": false}
        ]}),
        &PatchOptions::strict(),
    )
    .apply(&mut user, user_schema())
    .unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("mutability"));
    assert_eq!(user, before);
}

#[test]
fn patch_as_entra_provisioning_sends_it() {
    let mut user = data("seed_user.scim.json");
    let entra = PatchOptions::entra();
    patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "a@contoso.com"},
            {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "2c2f6fb8"}
        ]}),
        &entra,
    )
    .apply(&mut user, user_schema())
    .unwrap();
    assert_eq!(user["active"], false);
    assert_eq!(
        user["emails"],
        json!([{"type": "work", "value": "a@contoso.com"}])
    );
    let out = to_graph(ResourceKind::User, &user).unwrap();
    assert_eq!(out.body["accountEnabled"], false);
    assert_eq!(out.body["mail"], "a@contoso.com");
}

#[test]
fn patch_group_membership_against_entra_group_schema() {
    let mut group = data("seed_groups_list.json")["resources"][0].clone();
    let strict = PatchOptions::strict();
    let members: Vec<Value> = (0..20).map(|i| json!({"value": format!("u{i}")})).collect();
    patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "add", "path": "members", "value": members}]}),
        &strict,
    )
    .apply(&mut group, group_schema())
    .unwrap();
    assert_eq!(group["members"].as_array().unwrap().len(), 20);
    patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "remove", "path": "members[value eq \"u3\"]"}]}),
        &strict,
    )
    .apply(&mut group, group_schema())
    .unwrap();
    assert_eq!(group["members"].as_array().unwrap().len(), 19);
    patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group:description", "value": "Employees"}]}),
        &strict,
    )
    .apply(&mut group, group_schema())
    .unwrap();
    assert_eq!(group[ENTRA_GROUP_URN]["description"], "Employees");
    // The Entra group extension is required.
    let err = patch(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "remove", "path": ENTRA_GROUP_URN}]}),
        &strict,
    )
    .apply(&mut group, group_schema())
    .unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("mutability"));
}
