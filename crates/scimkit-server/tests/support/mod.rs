//! A real server on an ephemeral loopback port, and a small HTTP client
//! over `ureq` that returns status, headers and JSON.
//!
//! The store is SQLite (in memory), except in the test binary
//! `on_postgres`, which includes the HTTP suites and runs them on
//! PostgreSQL: there each server gets a fresh schema of the database at
//! `SCIMKIT_PG_URL` (dropped when the server is), or, when that is unset,
//! SQLite again after a loud notice.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::sync::Arc;

use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
use scimkit_patch::PatchOptions;
use scimkit_server::{Auth, Dialect, Limits, PostgresStore, Service, SqliteStore, Store};
use serde_json::Value;

pub const TOKEN: &str = "test-token-1";

pub struct Server {
    pub base: String,
    pub origin: String,
    pub store: Arc<dyn Store>,
    schema: Option<Arc<PgSchema>>,
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
        let (store, schema) = store(db);
        let service = configure(
            Service::new(store.clone(), dialect, codec())
                .with_auth(Auth::Bearer(vec![TOKEN.into()]))
                .with_patch_options(PatchOptions::strict())
                .with_limits(Limits::default()),
        );
        let mut server = Self::on(service, store);
        server.schema = schema;
        server
    }

    /// A server for `service` over `store` (the caller keeps any schema
    /// alive).
    pub fn on(service: Service, store: Arc<dyn Store>) -> Self {
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
            schema: None,
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
            schema: self.schema.clone(),
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

/// Whether this test binary runs the suites on PostgreSQL.
pub fn on_postgres() -> bool {
    env!("CARGO_CRATE_NAME") == "on_postgres"
}

/// The store a test runs on: a fresh PostgreSQL schema in the
/// `on_postgres` binary (kept alive by the second value, dropped with it),
/// else SQLite at `db`.
pub fn store(db: &str) -> (Arc<dyn Store>, Option<Arc<PgSchema>>) {
    match on_postgres().then(PgSchema::new) {
        Some(Some(schema)) => (Arc::new(schema.open()), Some(Arc::new(schema))),
        _ => (Arc::new(SqliteStore::open(db).unwrap()), None),
    }
}

/// A fresh schema in the database at `SCIMKIT_PG_URL`, dropped with its
/// tables when this is dropped.
pub struct PgSchema {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgSchema {
    /// `None`, after a loud notice, when `SCIMKIT_PG_URL` is unset.
    pub fn new() -> Option<Self> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let Ok(admin_url) = std::env::var("SCIMKIT_PG_URL") else {
            eprintln!(
                "\n*** SKIPPED PostgreSQL: SCIMKIT_PG_URL is not set; run `source .ci/postgres.sh` \
                 (CI always sets it) ***\n"
            );
            return None;
        };
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "t_{}_{}_{n}_{nanos}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        );
        let mut client = postgres::Client::connect(&admin_url, postgres::NoTls)
            .expect("connect to SCIMKIT_PG_URL");
        client
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        let sep = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{sep}options=-c%20search_path%3D{name}");
        Some(Self {
            url,
            admin_url,
            name,
        })
    }

    /// A store (its own connection pool, as another instance would have)
    /// in this schema.
    pub fn open(&self) -> PostgresStore {
        PostgresStore::open_with_pool_size(&self.url, 4).unwrap()
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
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
