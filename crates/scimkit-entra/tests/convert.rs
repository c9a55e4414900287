//! SCIM <-> Graph conversions: the real responses of the facts, every row
//! of the table both ways, and the edge cases of typed attributes.

use scimkit_entra::{
    convert::{from_graph, from_graph_with, to_graph, to_graph_with},
    graph::GraphOptions,
    mapping::{mappings, Conversion, GraphType, Mapping, Multi, ScimPath},
    ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN,
    ENTRA_USER_URN,
};
use serde_json::{json, Map, Value};

fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn seed_group() -> Value {
    data("seed_groups_list.json")["resources"][0].clone()
}

// ---------------------------------------------------------------------------
// The real responses of the facts.

#[test]
fn seed_user_from_graph_is_exactly_the_scim_response() {
    let scim = from_graph(ResourceKind::User, &data("seed_user.graph.json")).unwrap();
    assert_eq!(scim, data("seed_user.scim.json"));
}

#[test]
fn seed_group_from_graph_is_exactly_the_scim_response() {
    let scim = from_graph(ResourceKind::Group, &data("seed_group.graph.json")).unwrap();
    assert_eq!(scim, seed_group());
}

#[test]
fn seed_user_to_graph_carries_the_writable_part_and_reports_the_rest() {
    let out = to_graph(ResourceKind::User, &data("seed_user.scim.json")).unwrap();
    assert_eq!(
        out.body,
        json!({
            "accountEnabled": true,
            "displayName": "AD User 2",
            "givenName": "AD",
            "surname": "User 2",
            "userPrincipalName": "aduser2@goodworkarounddev.onmicrosoft.com",
            "mailNickname": "aduser2",
            "onPremisesImmutableId": "GHZ3c/xXrkymTXPguc+A4w==",
            "passwordProfile": {
                "forceChangePasswordNextSignIn": true,
                "forceChangePasswordNextSignInWithMfa": false
            },
            "userType": "Member"
        })
    );
    let ext = |a: &str| format!("{ENTRA_USER_URN}:{a}");
    assert_eq!(
        out.unmapped,
        [
            "id".to_owned(),
            "meta".to_owned(),
            ext("lastPasswordChangeDateTime"),
            ext("onPremisesDistinguishedName"),
            ext("onPremisesDomainName"),
            ext("onPremisesSamAccountName"),
            ext("onPremisesSecurityIdentifier"),
            ext("onPremisesSyncEnabled"),
            ext("onPremisesUserPrincipalName"),
            ext("securityIdentifier"),
        ]
    );
}

#[test]
fn seed_group_to_graph_carries_the_writable_part_and_reports_the_rest() {
    let out = to_graph(ResourceKind::Group, &seed_group()).unwrap();
    assert_eq!(
        out.body,
        json!({
            "displayName": "Conditional Access Persona - Employee",
            "mailEnabled": false,
            "mailNickname": "d3a8c43c-8",
            "securityEnabled": true
        })
    );
    assert_eq!(
        out.unmapped,
        [
            "id".to_owned(),
            "meta".to_owned(),
            format!("{ENTRA_GROUP_URN}:securityIdentifier"),
        ]
    );
}

/// `x` without what Graph does not let a client write, as `from_graph`
/// would return it for an object with `id`.
fn writable_part(kind: ResourceKind, x: &Value, read_only: &[(&str, &str)]) -> Value {
    let mut expected = x.clone();
    let o = expected.as_object_mut().unwrap();
    for (container, key) in read_only {
        if container.is_empty() {
            o.remove(*key);
        } else if let Some(ext) = o.get_mut(*container).and_then(Value::as_object_mut) {
            ext.remove(*key);
        }
    }
    let id = x["id"].as_str().unwrap();
    o.insert(
        "meta".into(),
        json!({"location": kind.location(id), "resourceType": kind.meta_resource_type()}),
    );
    expected
}

fn round_trip(kind: ResourceKind, x: &Value) -> Value {
    let out = to_graph(kind, x).unwrap();
    let mut body = out.body;
    body["id"] = x["id"].clone();
    from_graph(kind, &body).unwrap()
}

#[test]
fn seed_user_round_trips_its_writable_attributes() {
    let x = data("seed_user.scim.json");
    let expected = writable_part(
        ResourceKind::User,
        &x,
        &[
            (ENTRA_USER_URN, "lastPasswordChangeDateTime"),
            (ENTRA_USER_URN, "onPremisesDistinguishedName"),
            (ENTRA_USER_URN, "onPremisesDomainName"),
            // `{}` on the wire: Graph returns the object with every value null.
            (ENTRA_USER_URN, "onPremisesExtensionAttributes"),
            (ENTRA_USER_URN, "onPremisesSamAccountName"),
            (ENTRA_USER_URN, "onPremisesSecurityIdentifier"),
            (ENTRA_USER_URN, "onPremisesSyncEnabled"),
            (ENTRA_USER_URN, "onPremisesUserPrincipalName"),
            (ENTRA_USER_URN, "securityIdentifier"),
        ],
    );
    assert_eq!(round_trip(ResourceKind::User, &x), expected);
}

#[test]
fn groups_round_trip_their_writable_attributes() {
    for x in [seed_group(), data("ms_ref_group.scim.json")] {
        let expected = writable_part(
            ResourceKind::Group,
            &x,
            &[(ENTRA_GROUP_URN, "securityIdentifier")],
        );
        assert_eq!(round_trip(ResourceKind::Group, &x), expected);
    }
}

#[test]
fn ms_ref_group_example_converts_from_its_graph_form() {
    let graph = json!({
        "id": "c2c2c2c2-...", "displayName": "Sales and Marketing", "description": "...",
        "groupTypes": ["Unified"], "mailEnabled": true, "mailNickname": "SalesandMarketing",
        "securityEnabled": false, "securityIdentifier": "...",
        "createdDateTime": "2022-01-11T01:23:26+00:00"
    });
    assert_eq!(
        from_graph(ResourceKind::Group, &graph).unwrap(),
        data("ms_ref_group.scim.json")
    );
}

// ---------------------------------------------------------------------------
// Every row of the table, both ways.

fn sample(m: &Mapping, i: usize) -> Value {
    match m.conversion() {
        Conversion::Boolean => json!(i.is_multiple_of(2)),
        Conversion::DateTime => json!(format!("2025-01-02T03:04:{:02}Z", i % 60)),
        Conversion::Relationship => json!(format!("0b1c2d3e-0000-4000-8000-{i:012}")),
        _ => json!(format!("v{i}")),
    }
}

/// A SCIM resource holding `value` at the row's `path`.
fn scim_with(m: &Mapping, path: ScimPath, value: &Value) -> Value {
    let mut leaf = value.clone();
    if m.multi() == Multi::Multiple && path.filter().is_none() && path.sub_attribute().is_none() {
        leaf = json!([leaf]);
    }
    let attr_value = match (path.filter(), path.sub_attribute()) {
        (Some(f), sub) => {
            let mut e = Map::new();
            e.insert("type".into(), json!(f.type_value()));
            if let Some(p) = f.primary() {
                e.insert("primary".into(), json!(p));
            }
            e.insert(sub.unwrap_or("value").into(), leaf);
            json!([e])
        }
        (None, Some(sub)) if m.multi() == Multi::Multiple => json!([{ sub: leaf }]),
        (None, Some(sub)) => json!({ sub: leaf }),
        (None, None) => leaf,
    };
    let mut resource = json!({ path.attribute(): attr_value });
    if !m.is_core() {
        resource = json!({ m.schema(): resource });
    }
    resource
}

/// A Graph object holding `value` at the row's property.
fn graph_with(m: &Mapping, value: &Value, id: &str) -> Value {
    let leaf = match m.conversion() {
        Conversion::StringCollection if m.graph().qualifier() == Some("only smtp: values") => {
            json!([format!("smtp:{}", value.as_str().unwrap())])
        }
        Conversion::StringCollection => json!([value]),
        Conversion::Relationship => json!({ "id": value }),
        _ => value.clone(),
    };
    let mut g = leaf;
    for segment in m.graph().path().rsplit('.') {
        g = json!({ segment: g });
    }
    g["id"] = json!(id);
    g
}

/// The SCIM path `to_graph` reports for the row, as built by `scim_with`.
fn reported_path(m: &Mapping, path: ScimPath) -> String {
    let prefix = if m.is_core() {
        String::new()
    } else {
        format!("{}:", m.schema())
    };
    format!("{prefix}{}", path.attribute())
}

#[test]
fn every_row_converts_both_ways() {
    let id = "11111111-2222-3333-4444-555555555555";
    for (i, m) in mappings().iter().enumerate() {
        if m.conversion() == Conversion::CustomSecurityAttributes {
            continue; // below
        }
        let what = format!("{} {}", m.resource(), m.path());
        let value = sample(m, i);

        // Graph -> SCIM: present exactly when the API returns it.
        let scim = from_graph(m.resource(), &graph_with(m, &value, id)).unwrap();
        let wire = m.wire_path();
        let container = if m.is_core() {
            &scim
        } else {
            &scim[m.schema()]
        };
        let found = match (wire.filter(), wire.sub_attribute()) {
            (None, None) => container.get(wire.attribute()).cloned(),
            (None, Some(sub)) => container
                .get(wire.attribute())
                .and_then(|a| a.get(sub))
                .cloned(),
            (Some(f), sub) => container
                .get(wire.attribute())
                .and_then(Value::as_array)
                .and_then(|els| {
                    els.iter()
                        .find(|e| e["type"] == json!(f.type_value()))
                        .and_then(|e| e.get(sub.unwrap_or("value")))
                        .cloned()
                }),
        };
        if m.path().to_string() == "id" {
            assert_eq!(found, Some(json!(id)), "{what}");
        } else if m.is_returned() {
            let expected = if m.multi() == Multi::Multiple && wire.filter().is_none() {
                json!([value])
            } else if m.path().attribute() == "meta" {
                // Written with `+00:00`, as Entra does (item 15).
                json!(value.as_str().unwrap().replace('Z', "+00:00"))
            } else {
                value.clone()
            };
            assert_eq!(found, Some(expected), "{what}: from_graph");
        } else {
            assert_eq!(found, None, "{what}: never returned");
        }

        // SCIM -> Graph, under each accepted spelling.
        for path in m.accepted_paths() {
            let out = to_graph(m.resource(), &scim_with(m, path, &value)).unwrap();
            if m.graph_type() == GraphType::CrossDomainData {
                // externalId: no public Graph property; reported, never in a body.
                assert_eq!(out.body, json!({}), "{what}: never in a Graph body");
                assert!(out.unmapped.is_empty(), "{what}");
                assert_eq!(out.not_writable.len(), 1, "{what}");
                assert_eq!(out.not_writable[0].path, reported_path(m, path), "{what}");
            } else if m.is_writable() {
                assert!(out.unmapped.is_empty(), "{what}: {:?}", out.unmapped);
                let mut g = &out.body;
                let segments: Vec<&str> = m.graph().segments().collect();
                let (last, parents) = segments.split_last().unwrap();
                for s in parents {
                    g = &g[*s];
                }
                let got = match m.conversion() {
                    Conversion::Relationship => {
                        let v = &g[format!("{last}@odata.bind")];
                        let url = v.as_array().map_or(v, |a| &a[0]);
                        json!(url.as_str().unwrap().rsplit('/').next().unwrap())
                    }
                    Conversion::StringCollection
                        if m.multi() == Multi::Single || path.filter().is_some() =>
                    {
                        g[*last][0].clone()
                    }
                    Conversion::StringCollection => g[*last][0].clone(),
                    _ => g[*last].clone(),
                };
                assert_eq!(got, value, "{what} via {path}: to_graph body {}", out.body);
            } else {
                assert_eq!(out.body, json!({}), "{what}: read-only");
                assert_eq!(out.unmapped.len(), 1, "{what}: {:?}", out.unmapped);
                assert!(
                    out.unmapped[0].starts_with(&reported_path(m, path)),
                    "{what}: {:?}",
                    out.unmapped
                );
            }
        }
    }
}

#[test]
fn custom_security_attributes_row_both_ways() {
    let scim = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", CUSTOM_SECURITY_ATTRIBUTES_URN],
        "userName": "a@contoso.com",
        CUSTOM_SECURITY_ATTRIBUTES_URN: {"Project": {"ProjectName": "IdentityHubV2", "Members": [3, 4]}}
    });
    let out = to_graph(ResourceKind::User, &scim).unwrap();
    assert!(out.unmapped.is_empty());
    assert_eq!(
        out.body["customSecurityAttributes"],
        json!({"Project": {
            "@odata.type": "#Microsoft.DirectoryServices.CustomSecurityAttributeValue",
            "ProjectName": "IdentityHubV2",
            "Members@odata.type": "#Collection(Int32)", "Members": [3, 4]
        }})
    );
    let mut body = out.body;
    body["id"] = json!("u1");
    let back = from_graph(ResourceKind::User, &body).unwrap();
    assert_eq!(
        back[CUSTOM_SECURITY_ATTRIBUTES_URN],
        scim[CUSTOM_SECURITY_ATTRIBUTES_URN]
    );
    assert_eq!(back["schemas"], scim["schemas"]);
}

// ---------------------------------------------------------------------------
// Typed multi-valued attributes and relationships.

fn user(extra: Value) -> Value {
    let mut u = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]});
    for (k, v) in extra.as_object().unwrap() {
        u[k] = v.clone();
    }
    u
}

#[test]
fn emails_route_by_type_and_primary() {
    let out = to_graph(
        ResourceKind::User,
        &user(json!({"emails": [
            {"type": "other", "value": "o1@x.com"},
            {"type": "work", "primary": true, "value": "w@x.com", "display": "W"},
            {"type": "other", "value": "o2@x.com"},
            {"type": "work", "primary": false, "value": "alias@x.com"},
            {"type": "proxyAddress", "value": "p@x.com"},
            {"type": "home", "value": "h@x.com"},
            {"value": "untyped@x.com"}
        ]})),
    )
    .unwrap();
    assert_eq!(
        out.body,
        json!({"mail": "w@x.com", "otherMails": ["o1@x.com", "o2@x.com"]})
    );
    assert_eq!(
        out.unmapped,
        [
            r#"emails[type eq "work" and primary eq true].display"#,
            r#"emails[type eq "work" and primary eq false].value"#,
            r#"emails[type eq "proxyAddress"].value"#,
            r#"emails[type eq "home"]"#,
            "emails",
        ]
    );
}

#[test]
fn a_work_email_without_primary_is_the_mail_unless_another_is_primary() {
    // Entra's provisioning service sends `emails[type eq "work"]` without `primary`.
    let out = to_graph(
        ResourceKind::User,
        &user(json!({"emails": [{"type": "Work", "value": "w@x.com"}]})),
    )
    .unwrap();
    assert_eq!(out.body, json!({"mail": "w@x.com"}));
    assert!(out.unmapped.is_empty());

    let out = to_graph(
        ResourceKind::User,
        &user(json!({"emails": [
            {"type": "work", "value": "second@x.com"},
            {"type": "work", "primary": true, "value": "w@x.com"}
        ]})),
    )
    .unwrap();
    assert_eq!(out.body, json!({"mail": "w@x.com"}));
    assert_eq!(out.unmapped, [r#"emails[type eq "work"]"#]);
}

#[test]
fn graph_holds_one_value_of_each_single_type() {
    let out = to_graph(
        ResourceKind::User,
        &user(json!({
            "phoneNumbers": [
                {"type": "work", "value": "+1 1"},
                {"type": "mobile", "value": "+1 2", "primary": true},
                {"type": "fax", "value": "+1 3"},
                {"type": "mobile", "value": "+1 4"}
            ],
            "addresses": [
                {"type": "work", "streetAddress": "1 Main St", "locality": "Oslo", "region": "Oslo",
                 "postalCode": "0150", "country": "NO", "formatted": "1 Main St, Oslo"},
                {"type": "home", "locality": "Bergen"}
            ]
        })),
    )
    .unwrap();
    assert_eq!(
        out.body,
        json!({
            "businessPhones": ["+1 1"], "mobilePhone": "+1 2", "faxNumber": "+1 3",
            "streetAddress": "1 Main St", "city": "Oslo", "state": "Oslo", "postalCode": "0150", "country": "NO"
        })
    );
    assert_eq!(
        out.unmapped,
        [
            r#"addresses[type eq "work"].formatted"#,
            r#"addresses[type eq "home"]"#,
        ]
    );
    // The second mobile number is mapped but has no room in Graph.
    assert_eq!(out.not_writable.len(), 1);
    assert_eq!(
        out.not_writable[0].path,
        r#"phoneNumbers[type eq "mobile"]"#
    );
    assert!(out.not_writable[0]
        .reason
        .starts_with(r#"only one phoneNumbers[type eq "mobile"] value maps to mobilePhone"#));
}

/// Issue 12 item 17: two work phones are not "no Graph property": only one
/// work phone maps to businessPhones.
#[test]
fn a_second_work_phone_is_reported_as_not_writable() {
    let out = to_graph(
        ResourceKind::User,
        &user(json!({"phoneNumbers": [
            {"type": "work", "value": "+1 1"},
            {"type": "work", "value": "+1 2"}
        ]})),
    )
    .unwrap();
    assert_eq!(out.body, json!({"businessPhones": ["+1 1"]}));
    assert!(out.unmapped.is_empty(), "{:?}", out.unmapped);
    assert_eq!(out.not_writable.len(), 1);
    assert!(
        out.not_writable[0]
            .reason
            .contains(r#"only one phoneNumbers[type eq "work"] value maps to businessPhones"#),
        "{}",
        out.not_writable[0].reason
    );
}

#[test]
fn graph_typed_values_come_back_in_scim_shape() {
    let scim = from_graph(
        ResourceKind::User,
        &json!({
            "id": "u1",
            "mail": "w@x.com",
            "otherMails": ["o@x.com"],
            "proxyAddresses": ["SMTP:w@x.com", "smtp:alias@x.com", "SIP:w@x.com"],
            "businessPhones": ["+1 1", "+1 9"],
            "mobilePhone": "+1 2",
            "imAddresses": ["im@x.com"],
            "streetAddress": "1 Main St", "city": "Oslo",
            "employeeOrgData": {"costCenter": "CC1", "division": null},
            "manager": {"@odata.type": "#microsoft.graph.user", "id": "m1", "displayName": "Boss"}
        }),
    )
    .unwrap();
    assert_eq!(
        scim,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER_URN, ENTRA_USER_URN],
            "id": "u1",
            "emails": [
                {"primary": true, "type": "work", "value": "w@x.com"},
                {"type": "other", "value": "o@x.com"},
                {"primary": false, "type": "work", "value": "w@x.com"},
                {"primary": false, "type": "work", "value": "alias@x.com"}
            ],
            "ims": [{"type": "work", "value": "im@x.com"}],
            "phoneNumbers": [
                {"type": "mobile", "value": "+1 2"},
                {"type": "work", "value": "+1 1"}
            ],
            "addresses": [{"type": "work", "streetAddress": "1 Main St", "locality": "Oslo"}],
            ENTERPRISE_USER_URN: {"costCenter": "CC1", "manager": {"value": "m1"}},
            ENTRA_USER_URN: {"proxyAddresses": ["SMTP:w@x.com", "smtp:alias@x.com", "SIP:w@x.com"]},
            "meta": {"location": "/users/u1", "resourceType": "user"}
        })
    );
}

#[test]
fn relationships_become_odata_bind_and_come_back() {
    let out = to_graph(
        ResourceKind::Group,
        &json!({"displayName": "G", "members": [{"value": "u1", "$ref": null, "display": "U"}, {"value": "u2"}]}),
    )
    .unwrap();
    assert_eq!(
        out.body,
        json!({"displayName": "G", "members@odata.bind": [
            "https://graph.microsoft.com/v1.0/directoryObjects/u1",
            "https://graph.microsoft.com/v1.0/directoryObjects/u2"
        ]})
    );
    assert_eq!(out.unmapped, ["members.display"]);

    // The enterprise manager as an object, or as Entra's provisioning
    // service sends it (a bare id, quirk Q8).
    for manager in [json!({"value": "m1"}), json!("m1")] {
        let out = to_graph(
            ResourceKind::User,
            &json!({ ENTERPRISE_USER_URN: {"manager": manager} }),
        )
        .unwrap();
        assert_eq!(
            out.body,
            json!({"manager@odata.bind": "https://graph.microsoft.com/v1.0/users/m1"})
        );
        let mut body = out.body;
        body["id"] = json!("u1");
        let back = from_graph(ResourceKind::User, &body).unwrap();
        assert_eq!(
            back[ENTERPRISE_USER_URN],
            json!({"manager": {"value": "m1"}})
        );
    }
    for bad in ["", "a/b", "a b", "x?y", "%2F"] {
        let err = to_graph(
            ResourceKind::User,
            &json!({ ENTERPRISE_USER_URN: {"manager": {"value": bad}} }),
        )
        .unwrap_err();
        assert_eq!(err.status(), 400, "{bad:?}");
    }
}

#[test]
fn both_spellings_accepted_and_the_wire_one_emitted() {
    // The schema doc's flat password flags and the wire's nested passwordProfile.
    for ext in [
        json!({"passwordForceChangeOnNextSignIn": true, "passwordForceChangeOnNextSignInWithMFA": false}),
        json!({"passwordProfile": {"forceChangePasswordNextSignIn": true, "forceChangePasswordNextSignInWithMfa": false}}),
        json!({"PASSWORDPROFILE": {"forceChangePasswordNextSignIn": true}, "passwordForceChangeOnNextSignIn": true,
               "passwordForceChangeOnNextSignInWithMfa": false}),
    ] {
        let out = to_graph(
            ResourceKind::User,
            &json!({"password": "S3cret!", ENTRA_USER_URN: ext}),
        )
        .unwrap();
        assert!(out.unmapped.is_empty(), "{:?}", out.unmapped);
        assert_eq!(
            out.body,
            json!({"passwordProfile": {"password": "S3cret!", "forceChangePasswordNextSignIn": true,
                                       "forceChangePasswordNextSignInWithMfa": false}})
        );
        let mut body = out.body;
        body["id"] = json!("u1");
        let back = from_graph(ResourceKind::User, &body).unwrap();
        assert_eq!(
            back[ENTRA_USER_URN],
            json!({"passwordProfile": {"forceChangePasswordNextSignIn": true,
                                       "forceChangePasswordNextSignInWithMfa": false}})
        );
        assert!(back.get("password").is_none(), "password is never returned");
    }
    // Conflicting values under the two spellings are an error, not a guess.
    let err = to_graph(
        ResourceKind::User,
        &json!({ ENTRA_USER_URN: {"passwordForceChangeOnNextSignIn": true,
                                  "passwordProfile": {"forceChangePasswordNextSignIn": false}} }),
    )
    .unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("invalidValue"));

    // onPremisesSAMAccountName (schema doc) and onPremisesSamAccountName (wire):
    // both read-only, both reported as sent; Graph's spelling read back.
    for spelling in ["onPremisesSAMAccountName", "onPremisesSamAccountName"] {
        let out = to_graph(
            ResourceKind::Group,
            &json!({ ENTRA_GROUP_URN: { spelling: "g" } }),
        )
        .unwrap();
        assert_eq!(out.unmapped, [format!("{ENTRA_GROUP_URN}:{spelling}")]);
    }
    let g = from_graph(
        ResourceKind::Group,
        &json!({"id": "g1", "onPremisesSAMAccountName": "sam"}),
    )
    .unwrap();
    assert_eq!(
        g[ENTRA_GROUP_URN],
        json!({"onPremisesSamAccountName": "sam"})
    );
}

#[test]
fn unknown_and_unmapped_input_is_reported_not_dropped() {
    // Entra's provisioning service's POST /Users (client quirk Q10) and POST /Groups (Q9).
    let out = to_graph(
        ResourceKind::User,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER_URN],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User_1@contoso.com", "active": true,
            "emails": [{"primary": true, "type": "work", "value": "Test_User_1@contoso.com"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            "roles": [],
            "urn:example:other:2.0:User": {"a": 1},
            ENTRA_GROUP_URN: {"mailEnabled": true}
        }),
    )
    .unwrap();
    assert_eq!(
        out.body,
        json!({
            "userPrincipalName": "Test_User_1@contoso.com", "accountEnabled": true,
            "mail": "Test_User_1@contoso.com", "surname": "familyName", "givenName": "givenName"
        })
    );
    // externalId is not written (no public Graph property holds it), and said so.
    assert_eq!(out.not_writable.len(), 1);
    assert_eq!(out.not_writable[0].path, "externalId");
    assert!(out.not_writable[0]
        .reason
        .contains("crossDomainData, which is not a public Microsoft Graph property"));
    assert_eq!(
        out.unmapped,
        [
            "meta",
            "name.formatted",
            "roles",
            "urn:example:other:2.0:User",
            ENTRA_GROUP_URN
        ]
    );
    let out = to_graph(
        ResourceKind::Group,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                        "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "displayName",
            "meta": {"resourceType": "Group"}
        }),
    )
    .unwrap();
    assert_eq!(out.body, json!({"displayName": "displayName"}));
    assert_eq!(out.unmapped, ["externalId", "meta"]);
}

#[test]
fn wrong_input_is_a_scim_error_never_a_panic() {
    let cases = [
        (json!("user"), "invalidSyntax"),
        (json!({"schemas": "x"}), "invalidSyntax"),
        (
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]}),
            "invalidValue",
        ),
        (json!({"active": "yes"}), "invalidValue"),
        (json!({"userName": 7}), "invalidValue"),
        (json!({"name": "Babs"}), "invalidValue"),
        (json!({"emails": {"type": "work"}}), "invalidValue"),
        (json!({"emails": ["a@b"]}), "invalidValue"),
        (
            json!({"emails": [{"type": 1, "value": "a@b"}]}),
            "invalidValue",
        ),
        (
            json!({"emails": [{"type": "work", "primary": "true", "value": "a@b"}]}),
            "invalidValue",
        ),
        (
            json!({"emails": [{"type": "other", "value": ["a@b"]}]}),
            "invalidValue",
        ),
        (json!({ ENTRA_USER_URN: "x" }), "invalidValue"),
        (
            json!({ ENTRA_USER_URN: {"employeeLeaveDateTime": "next week"} }),
            "invalidValue",
        ),
        (
            json!({ ENTRA_USER_URN: {"onPremisesExtensionAttributes": [1]} }),
            "invalidValue",
        ),
        (
            json!({ CUSTOM_SECURITY_ATTRIBUTES_URN: {"S": {"A": 1.5}} }),
            "invalidValue",
        ),
        (json!({"userName": "a", "USERNAME": "b"}), "invalidValue"),
    ];
    for (input, scim_type) in cases {
        let err = to_graph(ResourceKind::User, &input).unwrap_err();
        assert_eq!(
            err.scim_type().map(|t| t.as_str()),
            Some(scim_type),
            "{input}"
        );
        assert_eq!(err.status(), 400);
    }
    let err = to_graph(
        ResourceKind::Group,
        &json!({ ENTRA_GROUP_URN: {"groupTypes": "Unified"} }),
    )
    .unwrap_err();
    assert_eq!(err.status(), 400);

    let graph_cases = [
        json!([1]),
        json!({"id": 5}),
        json!({"accountEnabled": "true"}),
        json!({"businessPhones": "+1"}),
        json!({"otherMails": [1]}),
        json!({"manager": "m1"}),
        json!({"manager": {"displayName": "x"}}),
        json!({"manager@odata.bind": 3}),
        json!({"customSecurityAttributes": {"S": 1}}),
    ];
    for input in graph_cases {
        let err = from_graph(ResourceKind::User, &input).unwrap_err();
        assert_eq!(err.status(), 400, "{input}");
    }
}

#[test]
fn nulls_and_empty_collections_are_absent() {
    let out = to_graph(
        ResourceKind::User,
        &json!({"userName": null, "emails": [null], "name": {"givenName": null}, ENTRA_USER_URN: {"mailNickname": null}}),
    )
    .unwrap();
    assert_eq!(out.body, json!({}));
    assert!(out.unmapped.is_empty());
    let scim = from_graph(ResourceKind::User, &json!({"otherMails": [], "mail": null})).unwrap();
    assert_eq!(
        scim,
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "meta": {"resourceType": "user"}})
    );
}

#[test]
fn a_password_alone_does_not_make_an_empty_password_profile() {
    let out = to_graph(
        ResourceKind::User,
        &json!({"userName": "a@contoso.com", "password": "S3cret!"}),
    )
    .unwrap();
    assert_eq!(
        out.body,
        json!({"userPrincipalName": "a@contoso.com", "passwordProfile": {"password": "S3cret!"}})
    );
    let mut body = out.body;
    body["id"] = json!("u1");
    let back = from_graph(ResourceKind::User, &body).unwrap();
    assert_eq!(
        back,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "u1", "userName": "a@contoso.com",
            "meta": {"location": "/users/u1", "resourceType": "user"}
        })
    );
}

/// Issue 12, item 1: `externalId` never in a Graph body (`crossDomainData`
/// is not a public Graph property); reported, or carried where the caller says.
#[test]
fn external_id_is_reported_or_carried_by_a_property_of_the_callers_choice() {
    let user = json!({"userName": "a@contoso.com", "externalId": "x-1"});
    let out = to_graph(ResourceKind::User, &user).unwrap();
    assert_eq!(out.body, json!({"userPrincipalName": "a@contoso.com"}));
    assert!(!out.body.to_string().contains("crossDomainData"));
    assert_eq!(out.not_writable.len(), 1);
    assert_eq!(out.not_writable[0].path, "externalId");
    assert!(out.unmapped.is_empty());

    let nested = GraphOptions::default()
        .external_id_property("onPremisesExtensionAttributes.extensionAttribute3")
        .unwrap();
    let out = to_graph_with(ResourceKind::User, &user, &nested).unwrap();
    assert_eq!(
        out.body,
        json!({"userPrincipalName": "a@contoso.com",
               "onPremisesExtensionAttributes": {"extensionAttribute3": "x-1"}})
    );
    assert!(out.not_writable.is_empty());

    // Back: read from the carrier.
    let mut graph = out.body;
    graph["id"] = json!("u1");
    let scim = from_graph_with(ResourceKind::User, &graph, &nested).unwrap();
    assert_eq!(scim["externalId"], "x-1");
    assert_eq!(
        from_graph(ResourceKind::User, &graph)
            .unwrap()
            .get("externalId"),
        None
    );

    // A carrier another attribute also writes: same value fine, different an error.
    let employee_id = GraphOptions::default()
        .external_id_property("employeeId")
        .unwrap();
    let both = |number: &str| {
        json!({"userName": "a@contoso.com", "externalId": "x-1",
               ENTERPRISE_USER_URN: {"employeeNumber": number}})
    };
    let out = to_graph_with(ResourceKind::User, &both("x-1"), &employee_id).unwrap();
    assert_eq!(out.body["employeeId"], "x-1");
    let err = to_graph_with(ResourceKind::User, &both("E7"), &employee_id).unwrap_err();
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("invalidValue"));
    assert!(
        err.detail()
            .unwrap()
            .contains("give the Graph property employeeId different values"),
        "{err}"
    );
    // Wrong type: still an error, carried or not.
    for options in [GraphOptions::default(), employee_id] {
        let err =
            to_graph_with(ResourceKind::User, &json!({"externalId": 7}), &options).unwrap_err();
        assert_eq!(
            err.detail(),
            Some("externalId must be a string, not a number")
        );
    }
}

/// Issue 12 item 15: Graph writes `createdDateTime` with `Z`; Entra's SCIM
/// API writes `meta.created` with `+00:00`, and so does `from_graph`.
#[test]
fn meta_created_is_written_with_an_offset() {
    let group = serde_json::json!({
        "id": "g1", "displayName": "G", "createdDateTime": "2022-01-11T01:23:26Z"
    });
    let scim = from_graph(ResourceKind::Group, &group).unwrap();
    assert_eq!(scim["meta"]["created"], "2022-01-11T01:23:26+00:00");
}
