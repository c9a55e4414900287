//! Filter → OData `$filter`: every rule with the string it gives, and
//! every clause Graph cannot express with the reason and span.

use scimkit_entra::{
    odata::{to_odata, ODataErrorKind},
    ResourceKind,
};
use scimkit_filter::{CompValue, CompareOp, Filter};
use scimkit_schema::{AttrPath, ScimError};

const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const ENTRA_GROUP: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CSA: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes";

fn odata(kind: ResourceKind, filter: &str) -> (String, bool) {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    let q = to_odata(&f, kind).unwrap_or_else(|e| panic!("{filter}: {e}"));
    (q.filter, q.advanced)
}

fn user(filter: &str) -> (String, bool) {
    odata(ResourceKind::User, filter)
}

fn group(filter: &str) -> (String, bool) {
    odata(ResourceKind::Group, filter)
}

#[track_caller]
fn check(kind: ResourceKind, cases: &[(&str, &str, bool)]) {
    for (scim, expected, advanced) in cases {
        assert_eq!(
            odata(kind, scim),
            ((*expected).to_owned(), *advanced),
            "{scim}"
        );
    }
}

#[test]
fn comparison_operators() {
    check(
        ResourceKind::User,
        &[
            (
                r#"userName eq "a@x.com""#,
                "userPrincipalName eq 'a@x.com'",
                false,
            ),
            (
                r#"userName ne "a@x.com""#,
                "userPrincipalName ne 'a@x.com'",
                true,
            ),
            // ge/le only where Graph's table lists them (not gt/lt at all).
            (
                &format!(r#"{ENTRA}:employeeHireDate le "2026-01-01T00:00:00Z""#),
                "employeeHireDate le 2026-01-01T00:00:00Z",
                true,
            ),
            (
                r#"displayName sw "Ad""#,
                "startswith(displayName,'Ad')",
                false,
            ),
            (
                r#"userName ew "@contoso.com""#,
                "endswith(userPrincipalName,'@contoso.com')",
                true,
            ),
            ("title pr", "jobTitle ne null", true),
            (r#"title eq null"#, "jobTitle eq null", true),
            (r#"title ne null"#, "jobTitle ne null", true),
            // Attribute names are case-insensitive; core URN-qualified paths work.
            (r#"USERNAME eq "a""#, "userPrincipalName eq 'a'", false),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "Vance""#,
                "surname eq 'Vance'",
                false,
            ),
        ],
    );
}

#[test]
fn logical_operators_and_parentheses() {
    check(
        ResourceKind::User,
        &[
            (
                r#"userName eq "a" and displayName sw "B""#,
                "userPrincipalName eq 'a' and startswith(displayName,'B')",
                false,
            ),
            (
                r#"userName eq "a" or userName eq "b""#,
                "userPrincipalName eq 'a' or userPrincipalName eq 'b'",
                false,
            ),
            (
                r#"(userName eq "a" or userName eq "b") and active eq true"#,
                "(userPrincipalName eq 'a' or userPrincipalName eq 'b') and accountEnabled eq true",
                false,
            ),
            (
                r#"userName eq "a" or userName eq "b" and active eq true"#,
                "userPrincipalName eq 'a' or userPrincipalName eq 'b' and accountEnabled eq true",
                false,
            ),
            (
                r#"not (userName eq "a")"#,
                "not(userPrincipalName eq 'a')",
                true,
            ),
            (
                r#"not (userName eq "a" or title pr) and active eq false"#,
                "not(userPrincipalName eq 'a' or jobTitle ne null) and accountEnabled eq false",
                true,
            ),
            // Entra's SCIM example, on a property Graph ends-with-filters.
            (
                r#"not(userName ew "-admin@contoso.com") and userName sw "a""#,
                "not(endswith(userPrincipalName,'-admin@contoso.com')) and startswith(userPrincipalName,'a')",
                true,
            ),
        ],
    );
}

#[test]
fn literals() {
    check(
        ResourceKind::User,
        &[
            // `'` doubled; `"` and other characters as they are.
            (
                r#"displayName eq "O'Brien""#,
                "displayName eq 'O''Brien'",
                false,
            ),
            (
                r#"displayName eq "R&D \"EU\"""#,
                "displayName eq 'R&D \"EU\"'",
                false,
            ),
            (r#"displayName eq "''""#, "displayName eq ''''''", false),
            // Booleans.
            ("active eq true", "accountEnabled eq true", false),
            ("active eq false", "accountEnabled eq false", false),
            // Date-times are unquoted, normalised to T/Z.
            (
                &format!(r#"{ENTRA}:employeeLeaveDateTime le "2026-01-01T00:00:00Z""#),
                "employeeLeaveDateTime le 2026-01-01T00:00:00Z",
                true,
            ),
            (
                &format!(r#"{ENTRA}:employeeHireDate ge "2025-08-04t14:23:29""#),
                "employeeHireDate ge 2025-08-04T14:23:29Z",
                true,
            ),
        ],
    );
    check(
        ResourceKind::Group,
        &[(
            r#"meta.created ge "2023-05-19T11:24:25+02:00""#,
            "createdDateTime ge 2023-05-19T11:24:25+02:00",
            true,
        )],
    );
    // A programmatic filter with a quote-heavy literal.
    let f = Filter::compare(
        AttrPath::parse("displayName").unwrap(),
        CompareOp::Eq,
        CompValue::String("it's 'quoted'".into()),
    );
    assert_eq!(
        to_odata(&f, ResourceKind::User).unwrap().filter,
        "displayName eq 'it''s ''quoted'''"
    );
}

#[test]
fn string_collections_use_any() {
    check(
        ResourceKind::User,
        &[
            (
                r#"emails[type eq "other" and value eq "a@x.com"]"#,
                "otherMails/any(x:x eq 'a@x.com')",
                false,
            ),
            (
                r#"emails[type eq "other" and value sw "a"]"#,
                "otherMails/any(x:startswith(x,'a'))",
                false,
            ),
            (
                r#"emails[type eq "other" and value ew "@x.com"]"#,
                "otherMails/any(x:endswith(x,'@x.com'))",
                true,
            ),
            (r#"emails[type eq "other"]"#, "otherMails/$count ne 0", true),
            (
                r#"emails[type eq "other" and value pr]"#,
                "otherMails/$count ne 0",
                true,
            ),
            (
                r#"phoneNumbers[type eq "work" and value eq "+1 425 555 0109"]"#,
                "businessPhones/any(x:x eq '+1 425 555 0109')",
                true,
            ),
            (
                &format!(r#"{ENTRA}:proxyAddresses eq "SMTP:a@x.com""#),
                "proxyAddresses/any(x:x eq 'SMTP:a@x.com')",
                false,
            ),
            (
                r#"ims[type eq "work" and value eq "a@im"]"#,
                "imAddresses/any(x:x eq 'a@im')",
                false,
            ),
            // `not` around a collection test: "no value equals".
            (
                r#"not (emails[type eq "other" and value eq "a@x.com"])"#,
                "not(otherMails/any(x:x eq 'a@x.com'))",
                true,
            ),
        ],
    );
    check(
        ResourceKind::Group,
        &[(
            &format!(r#"{ENTRA_GROUP}:groupTypes eq "Unified""#),
            "groupTypes/any(x:x eq 'Unified')",
            false,
        )],
    );
}

#[test]
fn value_paths_map_to_their_property() {
    check(
        ResourceKind::User,
        &[
            // `type eq "work"` is the work email and the SMTP proxy
            // addresses, which Entra emits as non-primary work emails.
            (
                r#"emails[type eq "work" and value eq "a@x.com"]"#,
                "(mail eq 'a@x.com' or proxyAddresses/any(x:x eq 'smtp:a@x.com'))",
                false,
            ),
            (
                r#"emails[type eq "work" and primary eq true and value eq "a@x.com"]"#,
                "mail eq 'a@x.com'",
                false,
            ),
            (
                r#"emails[type eq "work"]"#,
                "(mail ne null or proxyAddresses/any(x:startswith(x,'smtp:')))",
                true,
            ),
            (
                r#"phoneNumbers[type eq "mobile" and value sw "+1"]"#,
                "startswith(mobilePhone,'+1')",
                true,
            ),
            (
                r#"phoneNumbers[type eq "fax" and value eq "1"]"#,
                "faxNumber eq '1'",
                true,
            ),
            (
                r#"addresses[type eq "work" and locality eq "Oslo" and postalCode eq "0150"]"#,
                "city eq 'Oslo' and postalCode eq '0150'",
                true,
            ),
            (
                r#"addresses[type eq "work" and (locality eq "Oslo" or locality eq "Bergen")]"#,
                "city eq 'Oslo' or city eq 'Bergen'",
                false,
            ),
            (
                r#"addresses[type eq "work" and not (country eq "NO")]"#,
                "not(country eq 'NO')",
                true,
            ),
            // Entra emits SMTP proxy addresses as non-primary work emails.
            (
                r#"emails[type eq "work" and primary eq false and value eq "a@x.com"]"#,
                "proxyAddresses/any(x:x eq 'smtp:a@x.com')",
                false,
            ),
            (
                r#"emails[type eq "work" and primary eq false and value sw "al"]"#,
                "proxyAddresses/any(x:startswith(x,'smtp:al'))",
                false,
            ),
            (
                r#"emails[type eq "work" and primary eq false]"#,
                "proxyAddresses/any(x:startswith(x,'smtp:'))",
                false,
            ),
            // Without `type`: every mapped value.
            (
                r#"emails[value eq "a@x.com"]"#,
                "(mail eq 'a@x.com' or otherMails/any(x:x eq 'a@x.com') or proxyAddresses/any(x:x eq 'smtp:a@x.com'))",
                false,
            ),
            (
                r#"emails.value eq "a@x.com""#,
                "(mail eq 'a@x.com' or otherMails/any(x:x eq 'a@x.com') or proxyAddresses/any(x:x eq 'smtp:a@x.com'))",
                false,
            ),
            // A complex attribute without sub-attribute compares its `value`.
            (
                r#"emails eq "a@x.com""#,
                "(mail eq 'a@x.com' or otherMails/any(x:x eq 'a@x.com') or proxyAddresses/any(x:x eq 'smtp:a@x.com'))",
                false,
            ),
            (
                "name pr",
                "(givenName ne null or surname ne null)",
                true,
            ),
        ],
    );
}

#[test]
fn nested_and_extension_properties() {
    check(
        ResourceKind::User,
        &[
            (
                &format!(r#"{ENTERPRISE}:costCenter eq "CC1""#),
                "employeeOrgData/costCenter eq 'CC1'",
                true,
            ),
            (
                &format!(r#"{ENTERPRISE}:department eq "Sales""#),
                "department eq 'Sales'",
                false,
            ),
            (r#"department eq "Sales""#, "department eq 'Sales'", false),
            (
                &format!(r#"{ENTERPRISE}:employeeNumber eq "42""#),
                "employeeId eq '42'",
                false,
            ),
            (
                &format!(r#"{ENTRA}:onPremisesExtensionAttributes.extensionAttribute1 eq "x""#),
                "onPremisesExtensionAttributes/extensionAttribute1 eq 'x'",
                true,
            ),
            // Both spellings of the SAM account name.
            (
                &format!(r#"{ENTRA}:onPremisesSAMAccountName eq "ad""#),
                "onPremisesSamAccountName eq 'ad'",
                true,
            ),
            (
                &format!(r#"{ENTRA}:onPremisesSamAccountName eq "ad""#),
                "onPremisesSamAccountName eq 'ad'",
                true,
            ),
            // Core userType is employeeType; the Entra one is userType.
            (
                r#"userType eq "Contractor""#,
                "employeeType eq 'Contractor'",
                true,
            ),
            (
                &format!(r#"{ENTRA}:userType eq "Guest""#),
                "userType eq 'Guest'",
                false,
            ),
            // Custom Security Attributes (always advanced).
            (
                &format!(r#"{CSA}:Project.ProjectName eq "Baker""#),
                "customSecurityAttributes/Project/ProjectName eq 'Baker'",
                true,
            ),
            (
                &format!(r#"{CSA}:Engineering.Level sw "L""#),
                "startswith(customSecurityAttributes/Engineering/Level,'L')",
                true,
            ),
        ],
    );
    check(
        ResourceKind::Group,
        &[
            (
                &format!("{ENTRA_GROUP}:securityEnabled eq true"),
                "securityEnabled eq true",
                false,
            ),
            (
                &format!(r#"{ENTRA_GROUP}:proxyAddresses ew "@x.com""#),
                "proxyAddresses/any(x:endswith(x,'@x.com'))",
                true,
            ),
            (r#"id eq "c2c2""#, "id eq 'c2c2'", false),
        ],
    );
}

#[track_caller]
fn refused(kind: ResourceKind, filter: &str, clause: &str, reason_has: &str) -> ODataErrorKind {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    let err = to_odata(&f, kind).expect_err(filter);
    assert_eq!(err.clause(), clause, "{filter}");
    assert!(
        err.reason().contains(reason_has),
        "{filter}: {:?} lacks {reason_has:?}",
        err.reason()
    );
    // The span points at the clause in the input.
    assert_eq!(err.span().slice(filter), clause, "{filter}");
    let scim: ScimError = err.clone().into();
    assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
    err.kind()
}

#[test]
fn co_is_not_expressible() {
    for (kind, f) in [
        (ResourceKind::User, r#"displayName co "dam""#),
        (ResourceKind::User, r#"userName co "@""#),
        (ResourceKind::Group, r#"displayName co "ops""#),
    ] {
        assert_eq!(
            refused(kind, f, f, "co (contains) has no OData $filter form"),
            ODataErrorKind::NotExpressible
        );
    }
    let f = r#"userName eq "a" and emails[type eq "work" and value co "x"]"#;
    refused(ResourceKind::User, f, r#"value co "x""#, "$search");
    let err = to_odata(&Filter::parse(f).unwrap(), ResourceKind::User).unwrap_err();
    assert!(err
        .to_string()
        .starts_with(r#"not expressible as an OData $filter: `value co "x"` (bytes 46..58): co"#));
}

#[test]
fn what_graph_cannot_filter_is_named() {
    use ResourceKind::User;
    refused(
        User,
        r#"nickName eq "Babs""#,
        r#"nickName eq "Babs""#,
        "nickName has no Microsoft Graph property",
    );
    refused(
        User,
        r#"externalId eq "x""#,
        r#"externalId eq "x""#,
        "crossDomainData",
    );
    refused(
        User,
        r#"password eq "x""#,
        r#"password eq "x""#,
        "write-only",
    );
    refused(User, r#"name eq "x""#, r#"name eq "x""#, "complex");
    refused(
        User,
        r#"emails[type eq "home" and value eq "a"]"#,
        r#"value eq "a""#,
        r#"emails[type eq "home"].value has no Microsoft Graph property"#,
    );
    refused(
        User,
        r#"emails[type eq "other" and value ne "a"]"#,
        r#"value ne "a""#,
        "any() takes no ne",
    );
    refused(
        User,
        r#"emails[type eq "other" and value sw "a" and value ew "z"]"#,
        r#"value sw "a""#,
        "several conditions on one value of the Graph collection otherMails",
    );
    refused(
        User,
        r#"emails[type eq "work" or type eq "other"]"#,
        r#"emails[type eq "work" or type eq "other"]"#,
        "type and primary choose the Graph property",
    );
    refused(
        User,
        &format!(r#"{ENTRA}:proxyAddresses ne "x""#),
        &format!(r#"{ENTRA}:proxyAddresses ne "x""#),
        "any() takes no ne",
    );
    refused(
        User,
        r#"emails[type eq "work" and primary eq false and value ew "x"]"#,
        r#"value ew "x""#,
        "smtp: prefix",
    );
    refused(
        User,
        r#"meta.created ge "2020-01-01T00:00:00Z""#,
        r#"meta.created ge "2020-01-01T00:00:00Z""#,
        "no Microsoft Graph property",
    );
    refused(
        User,
        &format!(r#"{CSA}:Project eq "x""#),
        &format!(r#"{CSA}:Project eq "x""#),
        "name one Custom Security Attribute",
    );
}

#[test]
fn literals_that_do_not_fit_are_invalid() {
    use ResourceKind::User;
    for (f, reason) in [
        (r#"active eq "yes""#, "a boolean"),
        ("userName eq 1", "a string"),
        ("userName eq true", "a string"),
        (
            &format!(r#"{ENTRA}:employeeLeaveDateTime ge "soon""#) as &str,
            "not an xsd:dateTime",
        ),
        ("title gt null", "null compares with eq and ne only"),
    ] {
        assert_eq!(
            refused(User, f, f, reason),
            ODataErrorKind::InvalidLiteral,
            "{f}"
        );
    }
    refused(
        User,
        "active sw true",
        "active sw true",
        "does not support startsWith on users accountEnabled",
    );
}

#[test]
fn never_panics_on_any_parsed_filter() {
    let attrs = [
        "userName",
        "active",
        "emails",
        "emails.value",
        "name",
        "groups",
        "members",
        "meta.created",
        "x",
        "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes",
    ];
    let values = [
        r#""a'b""#,
        "true",
        "null",
        "1.5",
        r#""2020-01-01T00:00:00Z""#,
    ];
    for kind in ResourceKind::ALL {
        for a in attrs {
            for op in CompareOp::ALL {
                for v in values {
                    for text in [
                        format!("{a} {op} {v}"),
                        format!("not ({a} {op} {v})"),
                        format!("{a} pr or {a} {op} {v}"),
                        format!(r#"emails[type eq "work" and {a} {op} {v}]"#),
                        format!(r#"addresses[not (type eq "work") and {a} {op} {v}]"#),
                    ] {
                        if let Ok(f) = Filter::parse(&text) {
                            let _ = to_odata(&f, kind);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn query_and_headers() {
    let q = to_odata(
        &Filter::parse(r#"userName eq "a+b@x.com""#).unwrap(),
        ResourceKind::User,
    )
    .unwrap();
    assert!(!q.advanced);
    assert_eq!(q.query(), "$filter=userPrincipalName%20eq%20'a%2Bb@x.com'");
    assert!(q.headers().is_empty());
    assert_eq!(q.to_string(), q.filter);
    assert_eq!(
        serde_json::to_value(&q).unwrap(),
        serde_json::json!({"filter": "userPrincipalName eq 'a+b@x.com'", "advanced": false})
    );
    let _ = user("title pr");
    let _ = group("displayName pr");
}
