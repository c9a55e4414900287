//! Property tests: SCIM -> Graph -> SCIM preserves every writable mapped
//! attribute of generated users and groups, and no input makes the
//! conversions panic.

use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use scimkit_entra::{
    convert::{from_graph, from_graph_with, to_graph, to_graph_with},
    graph::GraphOptions,
    mapping::mappings,
    ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN,
    ENTRA_USER_URN, GROUP_URN, USER_URN,
};
use serde_json::{json, Map, Value};

fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9][A-Za-z0-9 ._@+'-]{0,15}", "\\PC{1,12}",]
}

fn guid() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
}

fn datetime() -> impl Strategy<Value = String> {
    (
        2000u32..2040,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
        prop::sample::select(vec!["Z", "+02:00", "-05:30"]),
    )
        .prop_map(|(y, mo, d, h, mi, s, tz)| {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{tz}")
        })
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v);
    }
}

fn s(v: Option<String>) -> Option<Value> {
    v.map(Value::String)
}

/// A typed element as Entra returns it.
fn element(
    type_value: &str,
    primary: Option<bool>,
    fields: &[(&str, Option<String>)],
) -> Option<Value> {
    let mut e = Map::new();
    for (k, v) in fields {
        put(&mut e, k, s(v.clone()));
    }
    if e.is_empty() {
        return None;
    }
    if let Some(p) = primary {
        e.insert("primary".into(), json!(p));
    }
    e.insert("type".into(), json!(type_value));
    Some(Value::Object(e))
}

fn non_empty(items: Vec<Value>) -> Option<Value> {
    (!items.is_empty()).then_some(Value::Array(items))
}

prop_compose! {
    fn core_user()(
        names in (text(), of(text()), of(text()), of(text()), of(any::<bool>()), of(text()), of(text()), of(text()), of(text())),
        mail in of(text()),
        other_mails in vec(text(), 0..3),
        phones in (of(text()), of(text()), of(text())),
        address in (of(text()), of(text()), of(text()), of(text()), of(text())),
    ) -> Map<String, Value> {
        let (user_name, display, given, family, active, external, lang, title, user_type) = names;
        let mut u = Map::new();
        put(&mut u, "userName", Some(json!(user_name)));
        put(&mut u, "displayName", s(display));
        let mut name = Map::new();
        put(&mut name, "givenName", s(given));
        put(&mut name, "familyName", s(family));
        put(&mut u, "name", (!name.is_empty()).then_some(Value::Object(name)));
        put(&mut u, "active", active.map(Value::Bool));
        put(&mut u, "externalId", s(external));
        put(&mut u, "preferredLanguage", s(lang));
        put(&mut u, "title", s(title));
        put(&mut u, "userType", s(user_type));
        // Entra's order: the work mail, then the other mails.
        let mut emails: Vec<Value> = element("work", Some(true), &[("value", mail)]).into_iter().collect();
        emails.extend(other_mails.into_iter().map(|m| json!({"type": "other", "value": m})));
        put(&mut u, "emails", non_empty(emails));
        // Table order: fax, mobile, work.
        let (fax, mobile, work) = phones;
        let phone_numbers: Vec<Value> = [("fax", fax), ("mobile", mobile), ("work", work)]
            .into_iter()
            .filter_map(|(t, v)| element(t, None, &[("value", v)]))
            .collect();
        put(&mut u, "phoneNumbers", non_empty(phone_numbers));
        let (street, locality, region, postal, country) = address;
        let address = element("work", None, &[
            ("streetAddress", street), ("locality", locality), ("region", region),
            ("postalCode", postal), ("country", country),
        ]);
        put(&mut u, "addresses", address.map(|a| json!([a])));
        u
    }
}

prop_compose! {
    fn enterprise()(
        fields in (of(text()), of(text()), of(text()), of(text()), of(text())),
        manager in of(guid()),
    ) -> Map<String, Value> {
        let (number, department, cost_center, division, organization) = fields;
        let mut e = Map::new();
        put(&mut e, "employeeNumber", s(number));
        put(&mut e, "department", s(department));
        put(&mut e, "costCenter", s(cost_center));
        put(&mut e, "division", s(division));
        put(&mut e, "organization", s(organization));
        put(&mut e, "manager", manager.map(|m| json!({"value": m})));
        e
    }
}

prop_compose! {
    fn entra_user()(
        dates in (of(datetime()), of(datetime())),
        fields in (of(text()), of(text()), of(text()), of(text()), of(text()), of(text())),
        extension_attributes in vec(of(text()), 15),
        password_flags in (of(any::<bool>()), of(any::<bool>())),
    ) -> Map<String, Value> {
        let (hire, leave) = dates;
        let (nickname, office, immutable_id, data_location, usage_location, user_type) = fields;
        let mut e = Map::new();
        put(&mut e, "employeeHireDate", s(hire));
        put(&mut e, "employeeLeaveDateTime", s(leave));
        put(&mut e, "mailNickname", s(nickname));
        put(&mut e, "officeLocation", s(office));
        let mut ext = Map::new();
        for (i, v) in extension_attributes.into_iter().enumerate() {
            put(&mut ext, &format!("extensionAttribute{}", i + 1), s(v));
        }
        put(&mut e, "onPremisesExtensionAttributes", (!ext.is_empty()).then_some(Value::Object(ext)));
        put(&mut e, "onPremisesImmutableId", s(immutable_id));
        let mut profile = Map::new();
        put(&mut profile, "forceChangePasswordNextSignIn", password_flags.0.map(Value::Bool));
        put(&mut profile, "forceChangePasswordNextSignInWithMfa", password_flags.1.map(Value::Bool));
        put(&mut e, "passwordProfile", (!profile.is_empty()).then_some(Value::Object(profile)));
        put(&mut e, "preferredDataLocation", s(data_location));
        put(&mut e, "usageLocation", s(usage_location));
        put(&mut e, "userType", s(user_type));
        e
    }
}

fn csa_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::String),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        vec(text(), 1..3).prop_map(|v| json!(v)),
        vec(any::<i32>(), 1..3).prop_map(|v| json!(v)),
    ]
}

fn csa() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(
        "[A-Z][a-zA-Z0-9_]{0,8}",
        prop::collection::btree_map("[A-Za-z][a-zA-Z0-9_]{0,8}", csa_value(), 1..3),
        0..3,
    )
    .prop_map(|sets| {
        sets.into_iter()
            .map(|(k, v)| (k, Value::Object(v.into_iter().collect())))
            .collect()
    })
}

/// A user exactly as Entra's SCIM API would return it, plus a password.
fn user() -> impl Strategy<Value = (Value, Option<String>)> {
    (
        guid(),
        core_user(),
        enterprise(),
        entra_user(),
        csa(),
        of(text()),
    )
        .prop_map(|(id, core, ent, entra, csa, password)| {
            let mut u = Map::new();
            let mut schemas = vec![json!(USER_URN)];
            for (urn, ext) in [
                (ENTERPRISE_USER_URN, &ent),
                (ENTRA_USER_URN, &entra),
                (CUSTOM_SECURITY_ATTRIBUTES_URN, &csa),
            ] {
                if !ext.is_empty() {
                    schemas.push(json!(urn));
                    u.insert(urn.to_owned(), Value::Object(ext.clone()));
                }
            }
            u.insert("schemas".into(), Value::Array(schemas));
            u.insert("id".into(), json!(id));
            u.extend(core);
            u.insert(
                "meta".into(),
                json!({"location": format!("/users/{id}"), "resourceType": "user"}),
            );
            (Value::Object(u), password)
        })
}

fn group() -> impl Strategy<Value = Value> {
    (
        guid(),
        text(),
        (
            of(text()),
            vec(text(), 0..3),
            of(any::<bool>()),
            of(text()),
            of(any::<bool>()),
        ),
    )
        .prop_map(
            |(
                id,
                display,
                (description, group_types, mail_enabled, nickname, security_enabled),
            )| {
                let mut ext = Map::new();
                put(&mut ext, "description", s(description));
                put(
                    &mut ext,
                    "groupTypes",
                    non_empty(group_types.into_iter().map(Value::String).collect()),
                );
                put(&mut ext, "mailEnabled", mail_enabled.map(Value::Bool));
                put(&mut ext, "mailNickname", s(nickname));
                put(
                    &mut ext,
                    "securityEnabled",
                    security_enabled.map(Value::Bool),
                );
                let mut g = Map::new();
                let mut schemas = vec![json!(GROUP_URN)];
                if !ext.is_empty() {
                    schemas.push(json!(ENTRA_GROUP_URN));
                    g.insert(ENTRA_GROUP_URN.into(), Value::Object(ext));
                }
                g.insert("schemas".into(), Value::Array(schemas));
                g.insert("id".into(), json!(id));
                g.insert("displayName".into(), json!(display));
                g.insert(
                    "meta".into(),
                    json!({"location": format!("/groups/{id}"), "resourceType": "group"}),
                );
                Value::Object(g)
            },
        )
}

/// `externalId` has no public Graph property: the round trip carries it in
/// a directory extension of the caller's choosing.
fn carrier() -> GraphOptions {
    GraphOptions::default()
        .external_id_property("extension_0123abcd_scimExternalId")
        .expect("a Graph property name")
}

fn through_graph(kind: ResourceKind, resource: &Value) -> (Value, Vec<String>) {
    let options = carrier();
    let out = to_graph_with(kind, resource, &options).expect("generated resources convert");
    assert!(out.not_writable.is_empty());
    let mut body = out.body;
    body["id"] = resource["id"].clone();
    (
        from_graph_with(kind, &body, &options).expect("Graph bodies convert back"),
        out.unmapped,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn users_round_trip((expected, password) in user()) {
        let mut input = expected.clone();
        if let Some(p) = &password {
            input["password"] = json!(p);
        }
        let (back, unmapped) = through_graph(ResourceKind::User, &input);
        // `id` and `meta` are read-only: reported, and not part of the body.
        prop_assert_eq!(unmapped, ["id", "meta"]);
        // `password` is write-only: in the body, never returned.
        prop_assert_eq!(back, expected);
        // Without a carrier, externalId is reported as not writable, and lost.
        let plain = to_graph(ResourceKind::User, &input).expect("converts");
        let reported: Vec<&str> = plain.not_writable.iter().map(|n| n.path.as_str()).collect();
        let has_external = input.get("externalId").is_some();
        prop_assert_eq!(reported, if has_external { vec!["externalId"] } else { vec![] });
    }

    #[test]
    fn groups_round_trip(expected in group()) {
        let (back, unmapped) = through_graph(ResourceKind::Group, &expected);
        prop_assert_eq!(unmapped, ["id", "meta"]);
        prop_assert_eq!(back, expected);
    }

    #[test]
    fn conversions_never_panic(value in json_value(), kind in prop::sample::select(ResourceKind::ALL.to_vec())) {
        let _ = to_graph(kind, &value);
        let _ = from_graph(kind, &value);
        if let Ok(out) = to_graph(kind, &value) {
            prop_assert!(out.body.is_object());
            let _ = from_graph(kind, &out.body);
        }
    }
}

/// Keys that reach every branch of the converters.
const KEYS: &[&str] = &[
    "schemas",
    "id",
    "userName",
    "active",
    "name",
    "givenName",
    "emails",
    "phoneNumbers",
    "addresses",
    "ims",
    "groups",
    "members",
    "manager",
    "type",
    "primary",
    "value",
    "display",
    "streetAddress",
    "passwordProfile",
    "onPremisesExtensionAttributes",
    "extensionAttribute1",
    "password",
    "meta",
    "created",
    "mail",
    "otherMails",
    "proxyAddresses",
    "businessPhones",
    "accountEnabled",
    "customSecurityAttributes",
    "manager@odata.bind",
    "members@odata.bind",
    "groupTypes",
    "employeeLeaveDateTime",
    "createdDateTime",
    "externalId",
    "crossDomainData",
    "Project",
    "@odata.type",
    USER_URN,
    GROUP_URN,
    ENTERPRISE_USER_URN,
    ENTRA_USER_URN,
    ENTRA_GROUP_URN,
    CUSTOM_SECURITY_ATTRIBUTES_URN,
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![
            Just("work".to_owned()),
            Just("other".to_owned()),
            Just("mobile".to_owned()),
            Just("smtp:a@b".to_owned()),
            Just("2025-01-01T00:00:00Z".to_owned()),
            Just(USER_URN.to_owned()),
            Just(GROUP_URN.to_owned()),
            "\\PC{0,8}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|kvs| {
                Value::Object(kvs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// The generators above produce every writable attribute Entra returns:
/// if a row is added to the table, this fails until the generator knows it.
#[test]
fn generators_cover_every_writable_returned_row() {
    let covered: Vec<String> = [
        "userName",
        "displayName",
        "name.givenName",
        "name.familyName",
        "active",
        r#"emails[type eq "work" and primary eq true].value"#,
        r#"emails[type eq "other"].value"#,
        "externalId",
        r#"phoneNumbers[type eq "fax"].value"#,
        r#"phoneNumbers[type eq "mobile"].value"#,
        r#"phoneNumbers[type eq "work"].value"#,
        "preferredLanguage",
        "title",
        "userType",
        r#"addresses[type eq "work"].streetAddress"#,
        r#"addresses[type eq "work"].locality"#,
        r#"addresses[type eq "work"].region"#,
        r#"addresses[type eq "work"].postalCode"#,
        r#"addresses[type eq "work"].country"#,
        "employeeNumber",
        "department",
        "costCenter",
        "division",
        "organization",
        "manager.value",
        "employeeHireDate",
        "employeeLeaveDateTime",
        "mailNickname",
        "officeLocation",
        "onPremisesImmutableId",
        "passwordProfile.forceChangePasswordNextSignIn",
        "passwordProfile.forceChangePasswordNextSignInWithMfa",
        "preferredDataLocation",
        "usageLocation",
        "{attributeSet}.{attributeName}",
        // Group
        "displayName",
        "description",
        "groupTypes",
        "mailEnabled",
        "mailNickname",
        "securityEnabled",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .chain((1..=15).map(|i| format!("onPremisesExtensionAttributes.extensionAttribute{i}")))
    .collect();
    for m in mappings() {
        if m.is_writable() && m.is_returned() {
            let path = m.wire_path().to_string();
            assert!(
                covered.contains(&path),
                "generator misses {} {path}",
                m.resource()
            );
        }
    }
}
