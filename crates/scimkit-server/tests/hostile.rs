//! Hostile requests straight into the core (no HTTP): any method, path,
//! query, headers and body give a response, never a panic; a non-2xx
//! response is the SCIM Error JSON with its status; and a refused request
//! changes nothing stored. On the store `support::store` gives: SQLite
//! here, PostgreSQL when `on_postgres` includes this file.

mod support;

use std::sync::Arc;

use http::{HeaderMap, HeaderValue, Method};
use proptest::prelude::*;
use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
use scimkit_server::{Dialect, Entra, Rfc, ScimRequest, ScimResponse, Service};
use serde_json::Value;

/// A service over a fresh store holding one user and one group; the
/// second value keeps a PostgreSQL schema alive while the service is used.
fn service(dialect: Arc<dyn Dialect>) -> (Service, Option<Arc<support::PgSchema>>) {
    let (store, schema) = support::store(":memory:");
    let codec = CursorCodec::new(KeyRing::single(
        CursorKey::new(b"a 32-byte secret for the tests!!").unwrap(),
    ));
    let service = Service::new(store, dialect, codec);
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/scim+json"),
    );
    headers.insert("accept", HeaderValue::from_static("application/json"));
    for (path, body) in [
        (
            "/scim/v2/Users",
            r#"{"userName": "bjensen@example.com", "password": "Pa55word!x", "displayName": "B", "active": true, "name": {"givenName": "B", "familyName": "J"}}"#,
        ),
        (
            "/scim/v2/Groups",
            r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group"], "displayName": "G", "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group": {"mailEnabled": false, "mailNickname": "g", "securityEnabled": true}}"#,
        ),
    ] {
        let r = service.handle(&ScimRequest {
            method: Method::POST,
            path,
            query: None,
            headers: &headers,
            body: body.as_bytes(),
        });
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    }
    (service, schema)
}

/// Each case makes a fresh store: on PostgreSQL a schema (DDL), so fewer.
fn cases() -> u32 {
    if support::on_postgres() {
        48
    } else {
        300
    }
}

/// Everything stored, as the service lists it.
fn snapshot(service: &Service) -> Vec<u8> {
    let mut headers = HeaderMap::new();
    headers.insert("accept", HeaderValue::from_static("application/json"));
    let mut all = Vec::new();
    for path in ["/scim/v2/Users", "/scim/v2/Groups"] {
        let r = service.handle(&ScimRequest {
            method: Method::GET,
            path,
            query: Some("count=1000"),
            headers: &headers,
            body: b"",
        });
        all.extend(r.body);
    }
    all
}

fn check(response: &ScimResponse) {
    let status = response.status.as_u16();
    assert!(
        status < 500,
        "server error {status}: {}",
        String::from_utf8_lossy(&response.body)
    );
    if status >= 400 {
        let body: Value = serde_json::from_slice(&response.body).expect("error bodies are JSON");
        assert_eq!(
            body["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
        assert_eq!(body["status"], status.to_string());
    }
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::GET),
        Just(Method::POST),
        Just(Method::PUT),
        Just(Method::PATCH),
        Just(Method::DELETE),
        Just(Method::OPTIONS),
        Just(Method::HEAD),
    ]
}

fn path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("Users".to_owned()),
        Just("users".to_owned()),
        Just("Groups".to_owned()),
        Just(".search".to_owned()),
        Just("Schemas".to_owned()),
        Just("ResourceTypes".to_owned()),
        Just("ServiceProviderConfig".to_owned()),
        Just("%FF%FE".to_owned()),
        Just("%C3".to_owned()),
        Just("..".to_owned()),
        "[ -~]{0,12}",
    ];
    (
        prop_oneof![Just("/scim/v2"), Just("/rp/scim"), Just("")],
        prop::collection::vec(segment, 0..4),
    )
        .prop_map(|(base, segs)| format!("{base}/{}", segs.join("/")))
}

fn query() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[ -~]{0,40}",
        Just("filter=userName%20eq%20%22bjensen%40example.com%22".to_owned()),
        Just("filter=%28%28%28%28%28%28%28%28%28%28".to_owned()),
        Just("count=-1&startIndex=99999999999999999999999".to_owned()),
        Just("cursor=%FF%FE&count=0".to_owned()),
        Just("sortBy=emails.value&attributes=name.givenName,%00".to_owned()),
        Just("filter=emails%5Btype%20eq%20%22work%22%20and%20value%20co%20%22%25%22%5D".to_owned()),
    ])
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        "[ -~]{0,80}".prop_map(String::into_bytes),
        Just(br#"{"userName": "bjensen@EXAMPLE.com"}"#.to_vec()),
        Just(br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"userName"}]}"#.to_vec()),
        Just(br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"nope"}]}]}"#.to_vec()),
        Just(br#"{"userName": "\ud800"}"#.to_vec()),
        Just(br#"{"userName": 1e999999}"#.to_vec()),
        (1usize..3000).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes()),
        (1usize..200).prop_map(|n| format!("{{\"userName\":\"x\",\"name\":{}1{}}}", "{\"a\":".repeat(n), "}".repeat(n)).into_bytes()),
    ]
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    (
        prop::option::of(prop_oneof![
            Just("application/scim+json"),
            Just("text/plain"),
            Just("application/json; charset=utf-8")
        ]),
        prop::option::of(prop_oneof![
            Just("application/json"),
            Just("*/*"),
            Just("application/scim+json")
        ]),
        prop::option::of(prop_oneof![Just("W/\"1\""), Just("*"), Just("garbage")]),
    )
        .prop_map(|(ct, accept, if_match)| {
            let mut h = HeaderMap::new();
            if let Some(v) = ct {
                h.insert("content-type", HeaderValue::from_static(v));
            }
            if let Some(v) = accept {
                h.insert("accept", HeaderValue::from_static(v));
            }
            if let Some(v) = if_match {
                h.insert("if-match", HeaderValue::from_static(v));
            }
            h
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), .. ProptestConfig::default() })]

    #[test]
    fn any_request_is_answered_and_refusals_change_nothing(
        entra in any::<bool>(), method in method(), path in path(), query in query(),
        headers in headers(), body in body(),
    ) {
        let dialect: Arc<dyn Dialect> = if entra { Arc::new(Entra::new()) } else { Arc::new(Rfc::new()) };
        let (service, _schema) = service(dialect);
        let before = snapshot(&service);
        let response = service.handle(&ScimRequest {
            method, path: &path, query: query.as_deref(), headers: &headers, body: &body,
        });
        check(&response);
        if response.status.as_u16() >= 400 {
            prop_assert_eq!(before, snapshot(&service), "a refused request changed stored data");
        }
    }
}
