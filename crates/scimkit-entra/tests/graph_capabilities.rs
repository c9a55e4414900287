//! Graph's `$filter` capability table (issue 12, items 5 to 9): the data
//! checked row by row against its transcription in
//! `tests/data/graph-filter-capabilities.tsv`, every row consulted by the
//! OData translator, everything else refused; and one test per item.

use std::collections::BTreeSet;

use scimkit_entra::{
    api::check_filter,
    mapping::{mappings_for, GraphType, Mapping},
    odata::{capabilities, capability, to_odata, GraphFilterOp, ODataErrorKind, Support},
    ResourceKind,
};
use scimkit_filter::Filter;
use scimkit_schema::AttributeType;

const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const ENTRA_GROUP: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CSA: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes";

const COLUMNS: [GraphFilterOp; 7] = [
    GraphFilterOp::Eq,
    GraphFilterOp::StartsWith,
    GraphFilterOp::EndsWith,
    GraphFilterOp::GeLe,
    GraphFilterOp::EqNull,
    GraphFilterOp::Count,
    GraphFilterOp::Not,
];

fn kind_of(name: &str) -> ResourceKind {
    match name {
        "User" => ResourceKind::User,
        "Group" => ResourceKind::Group,
        other => panic!("unknown resource {other}"),
    }
}

#[test]
fn the_table_matches_its_transcription_row_by_row() {
    let text = include_str!("data/graph-filter-capabilities.tsv");
    let mut expected = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 9, "{line}");
        for (op, cell) in COLUMNS.iter().zip(&cells[2..]) {
            let support = match *cell {
                "default" => Support::Default,
                "advanced" => Support::Advanced,
                "" => continue,
                other => panic!("{line}: cell {other:?}"),
            };
            expected.push((kind_of(cells[0]), cells[1], *op, support));
        }
    }
    let actual: Vec<_> = capabilities()
        .iter()
        .map(|c| (c.resource(), c.property(), c.op(), c.support()))
        .collect();
    for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
        assert_eq!(e, a, "row {i}");
    }
    assert_eq!(expected.len(), actual.len());
    // One row per property and operator, each with its source.
    let mut seen = BTreeSet::new();
    for c in capabilities() {
        assert!(
            seen.insert((format!("{:?}", c.resource()), c.property(), c.op().as_str())),
            "duplicate row {c:?}"
        );
        assert!(
            c.source().starts_with("https://learn.microsoft.com/graph/"),
            "{c:?}"
        );
        assert_eq!(
            capability(c.resource(), c.property(), c.op()),
            Some(c.support())
        );
    }
    // The page's rules, as rows: endsWith only on these four, advanced.
    let ends_with: BTreeSet<&str> = capabilities()
        .iter()
        .filter(|c| c.op() == GraphFilterOp::EndsWith)
        .inspect(|c| assert_eq!(c.support(), Support::Advanced))
        .map(|c| c.property())
        .collect();
    assert_eq!(
        ends_with,
        BTreeSet::from(["mail", "otherMails", "proxyAddresses", "userPrincipalName"])
    );
    for c in capabilities() {
        if matches!(c.op(), GraphFilterOp::Not | GraphFilterOp::Count) {
            assert_eq!(c.support(), Support::Advanced, "{c:?}");
        }
        // not/ne exactly where eq is.
        let has_eq = capability(c.resource(), c.property(), GraphFilterOp::Eq).is_some();
        let has_not = capability(c.resource(), c.property(), GraphFilterOp::Not).is_some();
        assert_eq!(has_eq, has_not, "{c:?}");
    }
}

/// A literal of the row's SCIM type.
fn literal(m: &Mapping) -> &'static str {
    match m.scim_type() {
        AttributeType::Boolean => "true",
        AttributeType::DateTime => r#""2026-01-01T00:00:00Z""#,
        _ => r#""a""#,
    }
}

/// A SCIM filter on the row's attribute with `test` (`eq "a"`, `pr`, ...)
/// in the spelling the live API uses.
fn filter_on(m: &Mapping, test: &str) -> String {
    let wire = m.wire_path();
    if wire.is_template() {
        return format!("{CSA}:Project.ProjectName {test}");
    }
    let prefix = if m.is_core() {
        String::new()
    } else {
        format!("{}:", m.schema())
    };
    match (wire.filter(), wire.sub_attribute()) {
        (Some(f), sub) => format!(
            "{prefix}{}[{f} and {} {test}]",
            wire.attribute(),
            sub.unwrap_or("value")
        ),
        (None, Some(sub)) => format!("{prefix}{}.{sub} {test}", wire.attribute()),
        (None, None) => format!("{prefix}{} {test}", wire.attribute()),
    }
}

/// The SCIM filter that exercises `op` on the row, and whether the
/// operator makes the query advanced whatever the table says.
fn exercise(m: &Mapping, op: GraphFilterOp) -> Option<(String, bool)> {
    let collection = m.graph_type() == GraphType::StringCollection;
    let lit = literal(m);
    Some(match op {
        GraphFilterOp::Eq => (filter_on(m, &format!("eq {lit}")), false),
        GraphFilterOp::StartsWith => (filter_on(m, r#"sw "a""#), false),
        GraphFilterOp::EndsWith => (filter_on(m, r#"ew "a""#), false),
        GraphFilterOp::GeLe => (filter_on(m, &format!("ge {lit}")), false),
        GraphFilterOp::EqNull if !collection => (filter_on(m, "eq null"), false),
        GraphFilterOp::Count if collection => (filter_on(m, "eq null"), false),
        GraphFilterOp::Not if collection => (
            format!("not ({})", filter_on(m, &format!("eq {lit}"))),
            true,
        ),
        GraphFilterOp::Not => (filter_on(m, &format!("ne {lit}")), true),
        _ => return None,
    })
}

/// The mapping rows whose Graph property is exactly one `$filter`
/// property (SMTP-only proxy addresses have their own tests below).
fn plain_rows() -> impl Iterator<Item = &'static Mapping> {
    ResourceKind::ALL
        .into_iter()
        .flat_map(mappings_for)
        .filter(|m| m.graph().qualifier() != Some("only smtp: values"))
}

fn property_of(m: &Mapping) -> String {
    if m.wire_path().is_template() {
        "customSecurityAttributes".to_owned()
    } else {
        m.graph().path().replace('.', "/")
    }
}

#[test]
fn every_row_is_consulted_and_everything_else_refused() {
    let mut consulted = BTreeSet::new();
    for m in plain_rows() {
        let kind = m.resource();
        let property = property_of(m);
        for op in GraphFilterOp::ALL.iter().copied() {
            let Some((text, always_advanced)) = exercise(m, op) else {
                continue;
            };
            let filter = Filter::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let result = to_odata(&filter, kind);
            match capability(kind, &property, op) {
                Some(support) => {
                    let q = result.unwrap_or_else(|e| panic!("{text}: {e}"));
                    assert_eq!(
                        q.advanced,
                        always_advanced || support == Support::Advanced,
                        "{text} -> {}",
                        q.filter
                    );
                    consulted.insert((format!("{kind:?}"), property.clone(), op.as_str()));
                }
                None => {
                    let e = result.expect_err(&text);
                    assert_eq!(e.kind(), ODataErrorKind::NotExpressible, "{text}: {e}");
                }
            }
        }
    }
    let rows: BTreeSet<_> = capabilities()
        .iter()
        .map(|c| {
            (
                format!("{:?}", c.resource()),
                c.property().to_owned(),
                c.op().as_str(),
            )
        })
        .collect();
    let unused: Vec<_> = rows.difference(&consulted).collect();
    assert!(unused.is_empty(), "rows never consulted: {unused:?}");
}

#[track_caller]
fn refused(kind: ResourceKind, filter: &str, reason_has: &str) {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    let e = to_odata(&f, kind).expect_err(filter);
    assert_eq!(e.kind(), ODataErrorKind::NotExpressible, "{filter}");
    assert!(e.reason().contains(reason_has), "{filter}: {e}");
}

#[track_caller]
fn translated(kind: ResourceKind, filter: &str) -> (String, bool) {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    let q = to_odata(&f, kind).unwrap_or_else(|e| panic!("{filter}: {e}"));
    (q.filter, q.advanced)
}

/// Item 5: what Graph cannot run is refused, with the reason.
#[test]
fn item5_refuses_what_graph_cannot_run() {
    use ResourceKind::{Group, User};
    refused(Group, r#"displayName ew "-ops""#, "endsWith");
    refused(
        Group,
        &format!(r#"{ENTRA_GROUP}:mailNickname ew "x""#),
        "endsWith works only on mail, otherMails, userPrincipalName and proxyAddresses",
    );
    refused(User, &format!(r#"{ENTRA}:mailNickname ew "x""#), "endsWith");
    refused(User, r#"displayName gt "M""#, "no gt");
    refused(User, r#"displayName lt "M""#, "no lt");
    refused(
        Group,
        r#"meta.created eq "2023-05-19T11:24:25Z""#,
        "does not support eq on groups createdDateTime",
    );
    refused(
        User,
        &format!(r#"{ENTRA}:employeeHireDate eq "2023-05-19T11:24:25Z""#),
        "does not support eq on users employeeHireDate",
    );
    refused(
        User,
        &format!(r#"{ENTERPRISE}:employeeNumber sw "4""#),
        "does not support startsWith on users employeeId",
    );
    refused(
        User,
        "userName eq null",
        "eq null on users userPrincipalName",
    );
    refused(
        Group,
        &format!("{ENTRA_GROUP}:groupTypes pr"),
        "/$count on groups groupTypes",
    );
    for (kind, attr) in [
        (User, format!("{ENTRA}:lastPasswordChangeDateTime")),
        (User, format!("{ENTRA}:onPremisesDomainName")),
        (User, format!("{ENTRA}:onPremisesUserPrincipalName")),
        (User, format!("{ENTRA}:preferredDataLocation")),
        (Group, format!("{ENTRA_GROUP}:securityIdentifier")),
    ] {
        let value = if attr.ends_with("DateTime") {
            r#""2023-05-19T11:24:25Z""#
        } else {
            r#""x""#
        };
        refused(kind, &format!("{attr} eq {value}"), "at all");
    }
}

/// Item 6: advanced mode wherever the table says so.
#[test]
fn item6_marks_advanced_where_the_table_says() {
    use ResourceKind::{Group, User};
    assert_eq!(
        translated(User, r#"phoneNumbers[type eq "work" and value eq "1"]"#),
        ("businessPhones/any(x:x eq '1')".to_owned(), true)
    );
    assert_eq!(
        translated(Group, &format!(r#"{ENTRA_GROUP}:description eq "d""#)),
        ("description eq 'd'".to_owned(), true)
    );
    assert_eq!(
        translated(Group, r#"meta.created ge "2023-05-19T11:24:25Z""#),
        ("createdDateTime ge 2023-05-19T11:24:25Z".to_owned(), true)
    );
    // And not where the table says default.
    assert_eq!(
        translated(User, r#"title sw "Dev""#),
        ("startswith(jobTitle,'Dev')".to_owned(), false)
    );
}

/// Item 7: passwordProfile/forceChangePasswordNextSignIn eq (advanced).
#[test]
fn item7_translates_force_change_password() {
    for attr in [
        "passwordProfile.forceChangePasswordNextSignIn",
        "passwordForceChangeOnNextSignIn",
    ] {
        assert_eq!(
            translated(ResourceKind::User, &format!("{ENTRA}:{attr} eq true")),
            (
                "passwordProfile/forceChangePasswordNextSignIn eq true".to_owned(),
                true
            )
        );
    }
}

/// Item 8: `emails[primary eq true]` is the work email only, and
/// `emails[type eq "work"]` means what it means on from-graph's output.
#[test]
fn item8_email_selectors_agree_with_from_graph() {
    use scimkit_entra::convert::from_graph;

    assert_eq!(
        translated(
            ResourceKind::User,
            r#"emails[primary eq true and value eq "a@x.com"]"#
        ),
        ("mail eq 'a@x.com'".to_owned(), false)
    );
    // Each selector picks, among from-graph's emails, exactly the elements
    // whose Graph properties its translation tests.
    let graph = serde_json::json!({
        "id": "u1", "mail": "w@x.com", "otherMails": ["o@x.com"],
        "proxyAddresses": ["SMTP:p@x.com", "sip:s@x.com"]
    });
    let user = from_graph(ResourceKind::User, &graph).unwrap();
    for (selector, graph_hits) in [
        (r#"primary eq true"#, vec!["w@x.com"]),
        (r#"type eq "work""#, vec!["w@x.com", "p@x.com"]),
        (r#"type eq "work" and primary eq false"#, vec!["p@x.com"]),
        (r#"type eq "other""#, vec!["o@x.com"]),
    ] {
        for address in ["w@x.com", "o@x.com", "p@x.com"] {
            let text = format!(r#"emails[{selector} and value eq "{address}"]"#);
            let f = Filter::parse(&text).unwrap();
            let scim_match = f.compile_schemaless().matches(&user);
            assert_eq!(scim_match, graph_hits.contains(&address), "{text}");
            let q = to_odata(&f, ResourceKind::User).unwrap();
            let mentions = |p: &str| q.filter.contains(p);
            let expect_props: Vec<&str> = match address {
                "w@x.com" => vec!["mail eq"],
                "o@x.com" => vec!["otherMails/"],
                _ => vec!["proxyAddresses/"],
            };
            assert_eq!(
                expect_props.iter().all(|p| mentions(p)),
                scim_match,
                "{text} -> {}",
                q.filter
            );
        }
    }
}

/// Item 9: relationship hints point the right way; check-filter's hint
/// for a value path names only what it accepts.
#[test]
fn item9_relationship_hints_point_the_right_way() {
    use ResourceKind::{Group, User};
    refused(User, r#"groups.value eq "G""#, "GET /groups/G/members");
    refused(
        User,
        &format!(r#"{ENTRA}:ownedGroups.value eq "G""#),
        "GET /groups/G/owners",
    );
    refused(
        User,
        &format!(r#"{ENTERPRISE}:manager.value eq "M""#),
        "GET /users/M/directReports",
    );
    refused(Group, r#"members.value eq "U""#, "GET /users/U/memberOf");
    refused(
        Group,
        &format!(r#"{ENTRA_GROUP}:owners.value eq "U""#),
        "GET /users/U/ownedObjects",
    );

    let lookup = Filter::parse_with(
        r#"emails[type eq "work"].value eq "a@x.com""#,
        scimkit_filter::ParseOptions::entra(),
    )
    .unwrap();
    let err = check_filter(&lookup, User).unwrap_err();
    assert!(!err.reason().contains("emails.value"), "{}", err.reason());
    // Whatever it suggests instead is accepted.
    assert!(err.reason().contains("userName"), "{}", err.reason());
    // Where `.value` is the accepted form, it is suggested.
    let f = Filter::parse(r#"groups[value eq "g"]"#).unwrap();
    let err = check_filter(&f, User).unwrap_err();
    assert!(err.reason().contains("groups.value"), "{}", err.reason());
    let f = Filter::parse(r#"groups.value eq "g""#).unwrap();
    assert!(check_filter(&f, User).is_ok());
}
