//! Scaling of `scimkit-server`'s costs that a client controls, through
//! `Service::handle` (routing, authentication, JSON, the store) on an
//! in-memory SQLite store, at three sizes a decade apart so that growth is
//! visible (linear: about 10x per step):
//!
//! - `server/patch_add_members/<n>`: one PATCH adding n members to a new
//!   group (the group is created outside the timing);
//! - `server/get_group/<n>`: GET of a group with n members;
//! - `server/list_users/<count>`: a page of `count` users out of 10,000
//!   (10, 100, 1,000: the RFC dialect's largest page);
//! - `server/post_user/<bytes>`: POST of a user whose `displayName` is
//!   `bytes` long (the request body grows with it).
//!
//! `cargo bench -p scimkit-benches --bench server` (about 2 minutes).

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use http::{HeaderMap, Method};
use scimkit_cursor::{CursorCodec, CursorKey, KeyRing};
use scimkit_entra::ResourceKind;
use scimkit_server::{seed, Limits, Rfc, ScimRequest, Service, SqliteStore, Write};
use serde_json::{json, Value};

/// Users in the store, the pool members are drawn from.
const USERS: usize = 10_000;
const SIZES: [usize; 3] = [100, 1_000, 10_000];

struct Fixture {
    service: Service,
    headers: HeaderMap,
    user_ids: Vec<String>,
}

impl Fixture {
    fn new() -> Self {
        let store = SqliteStore::open(":memory:").expect("an in-memory store");
        let users: Vec<Value> = seed::users(USERS).collect();
        let user_ids = users
            .iter()
            .filter_map(|u| u["id"].as_str().map(str::to_owned))
            .collect();
        store
            .import(ResourceKind::User, users.into_iter().map(Write::doc))
            .expect("the users load");
        let key = CursorKey::new(b"a 32-byte secret for the benches").expect("a 32-byte key");
        let service = Service::new(
            Arc::new(store),
            Arc::new(Rfc::new()),
            CursorCodec::new(KeyRing::single(key)),
        )
        // Room for the largest request below (10,000 members, 100 kB names).
        .with_limits(Limits::default().with_max_body_bytes(16 << 20));
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/scim+json".parse().expect("a header value"),
        );
        Self {
            service,
            headers,
            user_ids,
        }
    }

    fn call(&self, method: Method, path: &str, query: Option<&str>, body: &[u8]) -> Vec<u8> {
        let response = self.service.handle(&ScimRequest {
            method,
            path,
            query,
            headers: &self.headers,
            body,
        });
        assert!(
            response.status.is_success(),
            "{path}: {} {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        );
        response.body
    }

    /// The first `n` users as member values.
    fn members(&self, n: usize) -> Vec<Value> {
        self.user_ids
            .iter()
            .take(n)
            .map(|id| json!({"value": id}))
            .collect()
    }

    /// A new group with the first `members` users; its id.
    fn group(&self, name: &str, members: usize) -> String {
        let body = json!({"displayName": name, "members": self.members(members)}).to_string();
        let created: Value = serde_json::from_slice(&self.call(
            Method::POST,
            "/scim/v2/Groups",
            None,
            body.as_bytes(),
        ))
        .expect("a JSON group");
        created["id"].as_str().unwrap_or_default().to_owned()
    }
}

/// Each scenario runs on a store of its own: the groups one creates must
/// not change what another measures (a user in many groups lists them all).
fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("server");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    let serial = AtomicUsize::new(0);
    let next = || serial.fetch_add(1, Ordering::Relaxed);

    let writes = Fixture::new();
    for n in SIZES {
        let members = writes.members(n);
        let patch = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": members}]
        })
        .to_string();
        group.bench_with_input(BenchmarkId::new("patch_add_members", n), &n, |b, _| {
            b.iter_batched(
                || {
                    let id = writes.group(&format!("patch {}", next()), 0);
                    format!("/scim/v2/Groups/{id}")
                },
                |path| black_box(writes.call(Method::PATCH, &path, None, patch.as_bytes())),
                BatchSize::PerIteration,
            );
        });
    }
    drop(writes);

    let reads = Fixture::new();
    for n in SIZES {
        // One group of each size: each of the first 100 users is in 3
        // groups, the next 900 in 2, the rest in 1.
        let path = format!("/scim/v2/Groups/{}", reads.group(&format!("get {n}"), n));
        group.bench_with_input(BenchmarkId::new("get_group", n), &n, |b, _| {
            b.iter(|| black_box(reads.call(Method::GET, &path, None, b"")));
        });
    }
    // The RFC dialect serves at most 1,000 resources per page.
    for n in [10, 100, 1_000] {
        let query = format!("count={n}");
        group.bench_with_input(BenchmarkId::new("list_users", n), &n, |b, _| {
            b.iter(|| black_box(reads.call(Method::GET, "/scim/v2/Users", Some(&query), b"")));
        });
    }
    drop(reads);

    let posts = Fixture::new();
    for n in SIZES {
        let bytes = n * 10;
        let name = "x".repeat(bytes);
        group.bench_with_input(BenchmarkId::new("post_user", bytes), &bytes, |b, _| {
            b.iter_batched(
                || json!({"userName": format!("bench{}", next()), "displayName": name}).to_string(),
                |body| black_box(posts.call(Method::POST, "/scim/v2/Users", None, body.as_bytes())),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, scaling);
criterion_main!(benches);
