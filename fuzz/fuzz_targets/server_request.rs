//! Fuzz scimkit-server's request handler: arbitrary method, path, query,
//! headers and body, against one service per dialect holding a user and a
//! group. Never a panic; never a 5xx; every non-2xx is the SCIM Error JSON
//! with its status; a refused request leaves the stored data as it was.
//!
//! Input layout: byte 0 picks the method and dialect, byte 1 the headers;
//! the rest is `path \n query \n body` (missing parts are empty).

#![no_main]

use std::sync::{Arc, OnceLock};

use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
use scimkit_server::{Dialect, Entra, Rfc, ScimRequest, Service, SqliteStore};
use serde_json::Value;

fn headers(flags: u8) -> HeaderMap {
    let mut h = HeaderMap::new();
    let pick = |bit: u8, a: &'static str, b: &'static str| if flags & bit == 0 { a } else { b };
    h.insert("content-type", HeaderValue::from_static(pick(1, "application/scim+json", "text/plain")));
    h.insert("accept", HeaderValue::from_static(pick(2, "application/json", "*/*")));
    if flags & 4 != 0 {
        h.insert("if-match", HeaderValue::from_static(pick(8, "W/\"1\"", "*")));
    }
    h
}

fn service(dialect: Arc<dyn Dialect>) -> Service {
    let store = Arc::new(SqliteStore::open(":memory:").expect("in-memory SQLite"));
    let codec = CursorCodec::new(KeyRing::single(CursorKey::new(b"a 32-byte secret for the fuzzer!").expect("key")));
    let service = Service::new(store, dialect, codec);
    let h = headers(0);
    for (path, body) in [
        ("/scim/v2/Users", r#"{"userName": "bjensen@example.com", "password": "Pa55word!x", "displayName": "B", "active": true, "name": {"givenName": "B", "familyName": "J"}}"#),
        ("/scim/v2/Groups", r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group"], "displayName": "G", "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group": {"mailEnabled": false, "mailNickname": "g", "securityEnabled": true}}"#),
    ] {
        service.handle(&ScimRequest { method: Method::POST, path, query: None, headers: &h, body: body.as_bytes() });
    }
    service
}

fn services() -> &'static [Service; 2] {
    static S: OnceLock<[Service; 2]> = OnceLock::new();
    S.get_or_init(|| [service(Arc::new(Rfc::new())), service(Arc::new(Entra::new()))])
}

fn snapshot(service: &Service) -> Vec<u8> {
    let h = headers(0);
    let mut all = Vec::new();
    for path in ["/scim/v2/Users", "/scim/v2/Groups"] {
        let r = service.handle(&ScimRequest { method: Method::GET, path, query: Some("count=1000"), headers: &h, body: b"" });
        all.extend(r.body);
    }
    all
}

fuzz_target!(|data: &[u8]| {
    let [first, flags, rest @ ..] = data else { return };
    let method = [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::HEAD][usize::from(first % 6)].clone();
    let service = &services()[usize::from(first / 6 % 2)];
    let mut parts = rest.splitn(3, |b| *b == b'\n');
    let path = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let query = parts.next().map(|q| String::from_utf8_lossy(q).into_owned());
    let body = parts.next().unwrap_or_default();
    let path = if path.starts_with('/') { path } else { format!("/scim/v2/{path}") };
    let h = headers(*flags);
    let before = snapshot(service);
    let response = service.handle(&ScimRequest { method, path: &path, query: query.as_deref(), headers: &h, body });
    let status = response.status.as_u16();
    assert!(status < 500, "{status}: {}", String::from_utf8_lossy(&response.body));
    if status >= 400 {
        let body: Value = serde_json::from_slice(&response.body).expect("error bodies are JSON");
        assert_eq!(body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
        assert_eq!(body["status"], status.to_string());
        assert_eq!(before, snapshot(service), "a refused request changed stored data");
    }
});
