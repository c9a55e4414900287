//! Entra as a SCIM client: the corpus of requests its provisioning service
//! sends (tests/data/entra_client_requests.json) is accepted by
//! scimkit-patch in `PatchOptions::entra()` and by scimkit-filter, against
//! the RFC 7643 User (with Enterprise User) and Group schemas; and its
//! default attribute mapping names attributes of those schemas.

use scimkit_entra::{client::client_mappings, convert::to_graph, ResourceKind};
use scimkit_filter::{Filter, ParseOptions};
use scimkit_patch::{PatchOptions, PatchPath, PatchRequest};
use scimkit_schema::{AttrPath, Projection, ResourceSchema};
use serde_json::{json, Value};

fn corpus() -> Vec<Value> {
    let path = format!(
        "{}/tests/data/entra_client_requests.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["requests"].as_array().unwrap().clone()
}

fn kind(entry: &Value) -> ResourceKind {
    entry["resourceType"].as_str().unwrap().parse().unwrap()
}

fn schema(kind: ResourceKind) -> &'static ResourceSchema {
    match kind {
        ResourceKind::User => ResourceSchema::user(),
        ResourceKind::Group => ResourceSchema::group(),
    }
}

/// The resource a PATCH applies to: a user without work email or address
/// (so Q11 must upsert), a group with the members the removals name.
fn fixture(kind: ResourceKind) -> Value {
    match kind {
        ResourceKind::User => json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "id": "5cc0930a-9244-45eb-a34c-76273ac5f7a6",
            "userName": "adele@contoso.com",
            "active": true,
            "name": {"givenName": "Adele", "familyName": "Vance"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}
        }),
        ResourceKind::Group => json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": "c2c2c2c2-0000-4000-8000-000000000000",
            "displayName": "Sales",
            "members": [{"value": "u1091"}, {"value": "7f4b6c2e-5d1a-4e8b-9f3c-2a1b0c9d8e7f"}]
        }),
    }
}

/// What accepting one request means; `Err` says why it is not accepted.
fn accept(entry: &Value, options: &PatchOptions) -> Result<(), String> {
    let kind = kind(entry);
    match entry["method"].as_str().unwrap() {
        "PATCH" => {
            let request =
                PatchRequest::from_value(&entry["body"], options).map_err(|e| e.to_string())?;
            let mut resource = fixture(kind);
            request
                .apply(&mut resource, schema(kind))
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        "GET" => {
            if let Some(text) = entry["filter"].as_str() {
                let filter =
                    Filter::parse_with(text, ParseOptions::entra()).map_err(|e| e.to_string())?;
                filter.compile(schema(kind)).map_err(|e| e.to_string())?;
            }
            if let Some(excluded) = entry["excludedAttributes"].as_str() {
                Projection::from_query(None, Some(excluded)).map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        "POST" => {
            let out = to_graph(kind, &entry["body"]).map_err(|e| e.to_string())?;
            let expected: Vec<String> = serde_json::from_value(entry["unmapped"].clone()).unwrap();
            if out.unmapped != expected {
                return Err(format!(
                    "unmapped {:?}, expected {expected:?}",
                    out.unmapped
                ));
            }
            Ok(())
        }
        other => Err(format!("unknown method {other}")),
    }
}

#[test]
fn every_request_is_accepted_in_entra_mode() {
    let entries = corpus();
    assert!(entries.len() >= 20);
    let mut expected_failures = 0;
    for entry in &entries {
        let id = entry["id"].as_str().unwrap();
        let result = accept(entry, &PatchOptions::entra());
        match entry.get("expectedFailure").and_then(Value::as_str) {
            None => {
                if let Err(e) = result {
                    panic!("{id}: {e}");
                }
            }
            Some(reason) => {
                expected_failures += 1;
                assert!(
                    result.is_err(),
                    "{id} now passes: remove its expectedFailure ({reason})"
                );
            }
        }
    }
    // No known gaps: every request Entra sends is accepted.
    assert_eq!(expected_failures, 0);
}

#[test]
fn strict_mode_refuses_exactly_the_quirks() {
    for entry in corpus().iter().filter(|e| e["method"] == "PATCH") {
        let id = entry["id"].as_str().unwrap();
        let strict = entry["strict"].as_bool().unwrap();
        let result = accept(entry, &PatchOptions::strict());
        assert_eq!(result.is_ok(), strict, "{id}: {result:?}");
    }
}

#[test]
fn every_quirk_of_the_table_has_a_request() {
    let ids: Vec<String> = corpus()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    for q in 1..=13 {
        assert!(
            ids.iter()
                .any(|id| id == &format!("Q{q}") || id.starts_with(&format!("Q{q}-"))),
            "Q{q}"
        );
    }
    // Q14 sends nothing (Entra never clears values); Q15 is a filter.
    assert!(ids.iter().any(|id| id == "Q15"));
}

#[test]
fn entra_mode_applies_the_quirks_as_meant() {
    let entries = corpus();
    let by_id = |id: &str| entries.iter().find(|e| e["id"] == id).unwrap();
    let apply = |id: &str| {
        let entry = by_id(id);
        let kind = kind(entry);
        let request = PatchRequest::from_value(&entry["body"], &PatchOptions::entra()).unwrap();
        let mut resource = fixture(kind);
        request.apply(&mut resource, schema(kind)).unwrap();
        resource
    };
    assert_eq!(apply("Q2")["active"], false);
    let q5 = apply("Q5");
    assert_eq!(
        q5["name"],
        json!({"givenName": "Kkom", "familyName": "Unua"})
    );
    assert_eq!(
        q5["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["employeeNumber"],
        "Aklq"
    );
    assert_eq!(
        apply("Q6")["members"],
        json!([{"value": "7f4b6c2e-5d1a-4e8b-9f3c-2a1b0c9d8e7f"}])
    );
    assert_eq!(
        apply("Q8")["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]
            ["value"],
        "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"
    );
    let q11 = apply("Q11");
    assert_eq!(
        q11["emails"],
        json!([{"type": "work", "value": "updatedEmail@microsoft.com"}])
    );
    assert_eq!(
        q11["addresses"],
        json!([{"type": "work", "formatted": "18/2111"}])
    );
}

#[test]
fn default_mapping_names_attributes_of_the_rfc_schemas() {
    for m in client_mappings() {
        let path = m.patch_path().unwrap();
        let attr = match &path {
            PatchPath::Attribute(a) => a.clone(),
            PatchPath::ValuePath {
                attribute,
                sub_attribute,
                ..
            } => AttrPath::from_parts(
                attribute.schema(),
                attribute.attribute(),
                sub_attribute.as_deref(),
            )
            .unwrap(),
            _ => panic!("{path}"),
        };
        schema(m.resource())
            .resolve(&attr)
            .unwrap_or_else(|e| panic!("{}: {e}", m.scim_path()));
    }
}

/// Issue 12 item 16: Entra's default user mapping includes
/// `displayName -> displayName` (client-quirks.md B1).
#[test]
fn default_user_mapping_includes_display_name() {
    assert!(client_mappings()
        .iter()
        .any(|m| m.resource() == ResourceKind::User
            && m.entra_attribute() == "displayName"
            && m.scim_path() == "displayName"));
}
