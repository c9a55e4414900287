//! A real server on an ephemeral loopback port, and a small HTTP client
//! over `ureq` that returns status, headers and JSON.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::sync::Arc;

use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
use scimkit_patch::PatchOptions;
use scimkit_server::{Auth, Dialect, Limits, Service, SqliteStore, Store};
use serde_json::Value;

pub const TOKEN: &str = "test-token-1";

pub struct Server {
    pub base: String,
    pub origin: String,
    pub store: Arc<SqliteStore>,
    agent: ureq::Agent,
    token: Option<String>,
    accept_json: bool,
}

pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a SCIM error with `status` and (if given) `scimType`.
    pub fn assert_error(&self, status: u16, scim_type: Option<&str>) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
            "{}",
            self.text
        );
        assert_eq!(self.body["status"], status.to_string(), "{}", self.text);
        assert_eq!(self.body["scimType"].as_str(), scim_type, "{}", self.text);
    }
}

pub fn codec() -> CursorCodec {
    CursorCodec::new(KeyRing::single(
        CursorKey::new(b"a 32-byte secret for the tests!!").unwrap(),
    ))
}

impl Server {
    pub fn start(dialect: Arc<dyn Dialect>) -> Self {
        Self::start_with(dialect, |s| s, ":memory:")
    }

    pub fn start_with(
        dialect: Arc<dyn Dialect>,
        configure: impl FnOnce(Service) -> Service,
        db: &str,
    ) -> Self {
        let store = Arc::new(SqliteStore::open(db).unwrap());
        let service = configure(
            Service::new(store.clone(), dialect, codec())
                .with_auth(Auth::Bearer(vec![TOKEN.into()]))
                .with_patch_options(PatchOptions::strict())
                .with_limits(Limits::default()),
        );
        Self::on(service, store)
    }

    pub fn on(service: Service, store: Arc<SqliteStore>) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                scimkit_server::serve(listener, service, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        let addr = rx.recv().unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            base: format!("http://{addr}/scim/v2"),
            origin: format!("http://{addr}"),
            store,
            agent,
            token: Some(TOKEN.into()),
            accept_json: true,
        }
    }

    pub fn without_token(&self) -> Self {
        Self {
            base: self.base.clone(),
            origin: self.origin.clone(),
            store: self.store.clone(),
            agent: self.agent.clone(),
            token: None,
            accept_json: self.accept_json,
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// A request to `path` (relative to the base, or absolute from `/`
    /// when it starts with `//`), with a body when `body` is some.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = match path.strip_prefix("//") {
            Some(abs) => format!("{}/{abs}", self.origin),
            None => format!("{}{path}", self.base),
        };
        let mut request = http::Request::builder().method(method).uri(&url);
        let own_auth = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"));
        if let (Some(t), false) = (&self.token, own_auth) {
            request = request.header("authorization", format!("Bearer {t}"));
        }
        let own_accept = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"));
        if self.accept_json && !own_accept {
            request = request.header("accept", "application/json");
        }
        if body.is_some()
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            request = request.header("content-type", "application/scim+json");
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = match body {
            Some(b) => self.agent.run(request.body(b.to_owned()).unwrap()),
            None => self.agent.run(request.body(()).unwrap()),
        }
        .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.into_body().read_to_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None, &[])
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, Some(&body.to_string()), &[])
    }

    pub fn put(&self, path: &str, body: &Value) -> Reply {
        self.send("PUT", path, Some(&body.to_string()), &[])
    }

    pub fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send("PATCH", path, Some(&body.to_string()), &[])
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None, &[])
    }
}

/// A PatchOp body.
pub fn patch_op(operations: Value) -> Value {
    serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    })
}

/// Percent-encodes a query parameter value.
pub fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
