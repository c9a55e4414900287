//! The table in code is the fact sheet: every line of `data/mapping.tsv`
//! must match its row of `scimkit_entra::mapping::mappings()`, column by column, and
//! there must be no row more or less.

use scimkit_entra::{
    mapping::{mappings, GraphType, Mapping, Multi, ScimPath},
    permissions::Permission,
    ResourceKind, CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN,
    ENTRA_USER_URN,
};
use scimkit_schema::{AttributeType, Mutability, Returned};

const TSV: &str = include_str!("../data/mapping.tsv");
const HEADER: &str =
    "scim_path\tschema_urn\tgraph_property\ttype\tmulti\tmutability\tpermission\tsource\tnote";

fn lines() -> Vec<Vec<&'static str>> {
    let mut lines = TSV.lines();
    assert_eq!(lines.next(), Some(HEADER), "header of data/mapping.tsv");
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect()
}

fn scim_type(t: AttributeType) -> &'static str {
    match t {
        AttributeType::String => "string",
        AttributeType::Boolean => "boolean",
        AttributeType::DateTime => "dateTime",
        AttributeType::Reference => "reference",
        other => panic!("unexpected SCIM type {other}"),
    }
}

fn type_column(m: &Mapping) -> String {
    let graph = match m.graph_type() {
        GraphType::PerDefinition => {
            assert_eq!(m.scim_type(), AttributeType::Complex);
            return "per CSA definition (e.g. complex with String sub-attributes)".into();
        }
        GraphType::String => "String",
        GraphType::Boolean => "Boolean",
        GraphType::DateTimeOffset => "DateTimeOffset",
        GraphType::StringCollection => "String collection",
        GraphType::CrossDomainData => "(crossDomainData)",
        GraphType::Reference => "reference",
        GraphType::DirectoryObjectRelationship => "directoryObject relationship",
        other => panic!("unexpected Graph type {other:?}"),
    };
    format!("{}/{graph}", scim_type(m.scim_type()))
}

fn multi_column(m: &Mapping) -> &'static str {
    match m.multi() {
        Multi::Single => "false",
        Multi::Multiple => "true",
        Multi::PerDefinition => "per definition",
    }
}

fn mutability_column(m: &Mapping) -> &'static str {
    match (
        m.mutability(),
        m.returned(),
        m.is_unverified(),
        m.has_conflicting_docs(),
    ) {
        (Mutability::ReadWrite, Returned::Never, false, true) => {
            "readOnly (returned never) per MS-SCHEMA; writable via PATCH add/remove per MS-REF"
        }
        (Mutability::ReadOnly, Returned::Never, false, false) => "readOnly (returned never)",
        (Mutability::ReadOnly, Returned::Default, false, false) => "readOnly",
        (Mutability::ReadWrite, Returned::Default | Returned::Request, false, false) => "readWrite",
        (Mutability::ReadWrite, Returned::Default, true, false) => "readWrite?",
        (Mutability::WriteOnly, Returned::Never, false, false) => "writeOnly",
        other => panic!("{}: unexpected characteristics {other:?}", m.path()),
    }
}

/// Every permission named in the column, split into the `R:` and `W:` parts.
fn permission_names(column: &str) -> (Vec<Permission>, Vec<Permission>) {
    let (read, write) = match column.split_once(" W:") {
        Some((r, w)) => (r, w),
        None => (column, ""),
    };
    let read = read
        .strip_prefix("R:")
        .expect("permission column starts with R:");
    let names = |text: &str| -> Vec<Permission> {
        text.split(|c: char| c.is_whitespace() || "|();:+?".contains(c))
            .filter(|w| w.contains('.'))
            .map(|w| w.parse().unwrap_or_else(|e| panic!("{w}: {e}")))
            .collect()
    };
    (names(read), names(write))
}

#[test]
fn every_tsv_line_is_a_row_and_every_row_a_line() {
    let lines = lines();
    let rows = mappings();
    assert_eq!(lines.len(), 83, "data/mapping.tsv has 83 rows");
    assert_eq!(
        rows.len(),
        lines.len(),
        "rows in code vs lines in data/mapping.tsv"
    );
    for (i, (cols, m)) in lines.iter().zip(rows).enumerate() {
        let line = i + 2;
        assert_eq!(cols.len(), 9, "line {line}: 9 columns");
        assert_eq!(m.path().to_string(), cols[0], "line {line}: scim_path");
        assert_eq!(m.schema(), cols[1], "line {line}: schema_urn");
        assert_eq!(
            m.graph().to_string(),
            cols[2],
            "line {line}: graph_property"
        );
        assert_eq!(type_column(m), cols[3], "line {line}: type");
        assert_eq!(multi_column(m), cols[4], "line {line}: multi");
        assert_eq!(mutability_column(m), cols[5], "line {line}: mutability");
        let (read, write) = permission_names(cols[6]);
        assert_eq!(
            m.access().read(),
            read.as_slice(),
            "line {line}: R: permissions"
        );
        let mut in_code: Vec<Permission> = m.access().write().to_vec();
        in_code.extend(m.access().create());
        in_code.extend(m.access().update());
        in_code.extend(m.access().unverified_extra());
        in_code.extend(m.access().schema_read());
        assert_eq!(in_code, write, "line {line}: W: permissions");
        if m.access().write().len() == 2 {
            // "A (least) or B" / "A or B": the least privileged comes first.
            assert!(
                cols[6].contains(&format!("{} ", m.access().write()[0])),
                "line {line}"
            );
        }
        assert_eq!(
            m.is_create_only(),
            cols[6].contains("(create only)"),
            "line {line}: create only"
        );
        assert_eq!(m.source(), cols[7], "line {line}: source");
        assert_eq!(m.note(), cols[8], "line {line}: note");
        let says_inferred = format!("{} {}", cols[7], cols[8])
            .to_ascii_lowercase()
            .contains("inferred");
        assert_eq!(m.is_inferred(), says_inferred, "line {line}: inferred flag");
        let expected_kind = match cols[1] {
            ENTRA_GROUP_URN | "urn:ietf:params:scim:schemas:core:2.0:Group" => ResourceKind::Group,
            _ => ResourceKind::User,
        };
        assert_eq!(m.resource(), expected_kind, "line {line}: resource type");
    }
}

#[test]
fn inferred_rows_are_the_documented_ten() {
    let inferred: Vec<String> = mappings()
        .iter()
        .filter(|m| m.is_inferred())
        .map(|m| format!("{}:{}", m.resource(), m.path()))
        .collect();
    assert_eq!(
        inferred,
        [
            "User:id",
            "User:password",
            "User:externalId",
            "User:groups.value",
            "User:creationType",
            "User:passwordForceChangeOnNextSignIn",
            "User:securityIdentifier",
            "Group:id",
            "Group:meta.created",
            "Group:groupTypes",
        ]
    );
}

#[test]
fn paths_parse_as_patch_paths() {
    for m in mappings() {
        match m.patch_path() {
            None => {
                assert!(m.path().is_template());
                assert_eq!(m.schema(), CUSTOM_SECURITY_ATTRIBUTES_URN);
            }
            Some(p) => {
                let expected = if m.is_core() {
                    m.path().to_string()
                } else {
                    format!("{}:{}", m.schema(), m.path())
                };
                assert_eq!(p.to_string(), expected);
            }
        }
        // The wire spelling parses too.
        assert!(m.wire_path().is_template() || m.wire_path().to_patch_path(None).is_some());
    }
}

#[test]
fn wire_spellings_where_sources_disagree() {
    let wire: Vec<(String, String)> = mappings()
        .iter()
        .filter(|m| m.wire_path() != m.path())
        .map(|m| (m.path().to_string(), m.wire_path().to_string()))
        .collect();
    let expect = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        wire,
        [
            expect(
                r#"emails[type eq "proxyAddress"].value"#,
                r#"emails[type eq "work" and primary eq false].value"#
            ),
            expect("onPremisesSAMAccountName", "onPremisesSamAccountName"),
            expect(
                "passwordForceChangeOnNextSignIn",
                "passwordProfile.forceChangePasswordNextSignIn"
            ),
            expect(
                "passwordForceChangeOnNextSignInWithMFA",
                "passwordProfile.forceChangePasswordNextSignInWithMfa"
            ),
            expect("onPremisesSAMAccountName", "onPremisesSamAccountName"),
        ]
    );
    // Both the enterprise and the Entra extension rows exist for users.
    for urn in [ENTERPRISE_USER_URN, ENTRA_USER_URN] {
        assert!(mappings().iter().any(|m| m.schema() == urn));
    }
}

#[test]
fn no_two_rows_claim_the_same_path() {
    let rows = mappings();
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[..i] {
            let same = a.resource() == b.resource()
                && a.schema().eq_ignore_ascii_case(b.schema())
                && a.accepted_paths().any(|p: ScimPath| {
                    b.accepted_paths()
                        .any(|q| p.to_string().eq_ignore_ascii_case(&q.to_string()))
                });
            assert!(!same, "{} and {} overlap", a.path(), b.path());
        }
    }
}
