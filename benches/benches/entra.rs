//! criterion benchmarks for `scimkit-entra`: `from_graph` of the full seed
//! Graph user (every property Graph returns for it, nulls included),
//! `to_graph` of the full seed SCIM user (as Entra's SCIM API returned it:
//! mostly read-only attributes, reported back) and of a richly populated
//! one (typed emails, phones and address, enterprise extension with
//! manager, Entra extension, Custom Security Attributes), and `to_odata`
//! for four typical filters, parsed once outside the loop with
//! `ParseOptions::entra()`. `externalId eq` has no OData form (Graph keeps
//! it in `crossDomainData`), so that case times the error path.
//!
//! The seeds are scimkit-entra's test fixtures
//! (`crates/scimkit-entra/tests/data/seed_user.{graph,scim}.json`).
//!
//! Quick by default (2 s measurement, 0.5 s warm-up, 30 samples):
//! `cargo bench -p scimkit-benches --bench entra`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use scimkit_entra::{
    convert::{from_graph, to_graph},
    odata::to_odata,
    ResourceKind,
};
use scimkit_filter::{Filter, ParseOptions};
use serde_json::{json, Value};

const SEED_GRAPH_USER: &str =
    include_str!("../../crates/scimkit-entra/tests/data/seed_user.graph.json");
const SEED_SCIM_USER: &str =
    include_str!("../../crates/scimkit-entra/tests/data/seed_user.scim.json");

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ENTRA: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
const CSA: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes";

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("seed JSON")
}

/// A user with most writable rows set, as a provisioning client would POST it.
fn rich_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE, ENTRA, CSA],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "adele@contoso.com",
        "displayName": "Adele Vance",
        "name": {"givenName": "Adele", "familyName": "Vance"},
        "active": true,
        "title": "Retail Manager",
        "preferredLanguage": "en-US",
        "emails": [{"type": "work", "primary": true, "value": "adele@contoso.com"},
                   {"type": "other", "value": "adele@example.net"}],
        "phoneNumbers": [{"type": "work", "value": "+1 425 555 0109"},
                         {"type": "mobile", "value": "+1 425 555 0110"}],
        "addresses": [{"type": "work", "streetAddress": "18/2111", "locality": "Redmond",
                       "region": "WA", "postalCode": "98052", "country": "US"}],
        ENTERPRISE: {"employeeNumber": "42", "department": "Retail", "costCenter": "CC1",
                     "organization": "Contoso", "manager": {"value": "9c0f7a3e"}},
        ENTRA: {"mailNickname": "adele", "officeLocation": "18/2111", "usageLocation": "US",
                "employeeLeaveDateTime": "2030-01-01T00:00:00Z",
                "onPremisesExtensionAttributes": {"extensionAttribute1": "retail"}},
        CSA: {"Project": {"ProjectName": "Baker"}}
    })
}

fn conversions(c: &mut Criterion) {
    let graph = parse(SEED_GRAPH_USER);
    let seed = parse(SEED_SCIM_USER);
    let rich = rich_user();
    let mut group = c.benchmark_group("entra");
    group.bench_function("from_graph/seed_user", |b| {
        b.iter(|| from_graph(ResourceKind::User, black_box(&graph)).expect("from_graph"))
    });
    for (name, user) in [("seed_user", &seed), ("rich_user", &rich)] {
        group.bench_function(format!("to_graph/{name}"), |b| {
            b.iter(|| to_graph(ResourceKind::User, black_box(user)).expect("to_graph"))
        });
    }
    group.finish();
}

fn odata(c: &mut Criterion) {
    let cases = [
        ("userName_eq", r#"userName eq "adele@contoso.com""#, true),
        (
            "externalId_eq_not_expressible",
            r#"externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef""#,
            false,
        ),
        (
            "and_of_two",
            r#"userName sw "adele" and active eq true"#,
            true,
        ),
        ("userName_ew", r#"userName ew "@contoso.com""#, true),
    ];
    let mut group = c.benchmark_group("entra_to_odata");
    for (name, text, expressible) in cases {
        let filter = Filter::parse_with(text, ParseOptions::entra()).expect("filter");
        let result = to_odata(&filter, ResourceKind::User);
        assert_eq!(result.is_ok(), expressible, "{text}: {result:?}");
        if let Ok(q) = &result {
            eprintln!("{text} -> {} (advanced: {})", q.filter, q.advanced);
        }
        group.bench_function(name, |b| {
            b.iter(|| to_odata(black_box(&filter), ResourceKind::User))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = scimkit_benches::quick();
    targets = conversions, odata
}
criterion_main!(benches);
