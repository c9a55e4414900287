//! Scaling benchmarks: the costs a client controls, at n = 1k, 10k, 100k,
//! so that growth is visible (linear: 10x per step; quadratic: 100x).
//!
//! - `scaling/patch_add_new/<n>`: add n new members to a 10n-member group
//!   (n = 100k is the "100,000 into 1,000,000" target);
//! - `scaling/patch_remove_half/<n>`: remove half of n members by a filter;
//! - `scaling/patch_single_adds/<n>`: 1,000 one-member `add` operations
//!   in one request on an n-member group;
//! - `scaling/patch_remove_listed/<n>`: Entra's `remove` with a value array
//!   listing n/3 members of an n-member group;
//! - `scaling/co/<exact|fold>/<bytes>`: `co` with a literal of bytes/16
//!   that matches nowhere (the worst case of a naive search) against a
//!   value of `bytes`; `scaling/co_filter_60k_1m` the same through a parsed
//!   filter with a 60 KB literal and a 1 MB value;
//! - `scaling/projection/<n>`: `attributes` naming n attributes over a
//!   resource with n attributes (compile the names, then apply).
//!
//! Before measuring, a table of peak heap use goes to stderr: replacing n
//! members (n = 10k, 100k, 1M) through `PatchRequest::from_json` and
//! `apply_owned`, as a multiple of the members' own size, counted by a
//! wrapper around the system allocator.
//!
//! `cargo bench -p scimkit-benches --bench scaling` (about 4 minutes).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use scimkit_filter::Filter;
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::compare::Comparator;
use scimkit_schema::{AttributeType, Projection, ResourceSchema};
use serde_json::{json, Map, Value};

/// The system allocator, tracking the bytes in use and their peak.
struct PeakAlloc;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = IN_USE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// benches/Cargo.toml lowers the workspace's `forbid(unsafe_code)` to `deny`
// for this package so that allocator wrappers (GlobalAlloc is an unsafe
// trait) can opt out. Every method forwards to `System` unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: PeakAlloc = PeakAlloc;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn members(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"value": format!("{prefix}{i:07}")}))
        .collect()
}

fn group(members: Vec<Value>) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
           "id": "g1", "displayName": "Everyone", "members": members})
}

fn patch(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

/// Options that let one operation carry a million values.
fn bulk(mut options: PatchOptions) -> PatchOptions {
    options.max_values_per_operation = 2_000_000;
    options
}

/// Time `request` applied to clones of `resource` (clone and drop untimed).
fn bench_patch(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    resource: &Value,
    request: &PatchRequest,
) {
    let schema = ResourceSchema::group();
    let mut check = resource.clone();
    request
        .apply(&mut check, schema)
        .expect("the bench request applies");
    c.bench_function(id, |b| {
        b.iter_batched(
            || (resource.clone(), request.clone()),
            |(mut r, req)| {
                let outcome = req.apply_owned(&mut r, schema);
                black_box(outcome.is_ok());
                (r, outcome)
            },
            BatchSize::PerIteration,
        )
    });
}

fn patch_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(3));
    let strict = bulk(PatchOptions::strict());
    for n in SIZES {
        let resource = group(members("a", 10 * n));
        let body = patch(json!([{"op": "add", "path": "members", "value": members("b", n)}]));
        let request = PatchRequest::from_value(&body, &strict).unwrap();
        bench_patch(
            &mut g,
            BenchmarkId::new("patch_add_new", n),
            &resource,
            &request,
        );
    }
    for n in SIZES {
        let half: Vec<Value> = (0..n)
            .map(|i| json!({"value": format!("{}{i:07}", if i % 2 == 0 { 'e' } else { 'o' })}))
            .collect();
        let resource = group(half);
        let body = patch(json!([{"op": "remove", "path": "members[value sw \"e\"]"}]));
        let request = PatchRequest::from_value(&body, &strict).unwrap();
        bench_patch(
            &mut g,
            BenchmarkId::new("patch_remove_half", n),
            &resource,
            &request,
        );
    }
    for n in SIZES {
        let resource = group(members("a", n));
        let ops: Vec<Value> = (0..1000)
            .map(|i| json!({"op": "add", "path": "members", "value": [{"value": format!("new{i}")}]}))
            .collect();
        let request = PatchRequest::from_value(&patch(Value::Array(ops)), &strict).unwrap();
        bench_patch(
            &mut g,
            BenchmarkId::new("patch_single_adds", n),
            &resource,
            &request,
        );
    }
    let entra = bulk(PatchOptions::entra());
    for n in SIZES {
        let resource = group(members("a", n));
        let listed: Vec<Value> = (0..n)
            .step_by(3)
            .map(|i| json!({"value": format!("a{i:07}")}))
            .collect();
        let body = patch(json!([{"op": "Remove", "path": "members", "value": listed}]));
        let request = PatchRequest::from_value(&body, &entra).unwrap();
        bench_patch(
            &mut g,
            BenchmarkId::new("patch_remove_listed", n),
            &resource,
            &request,
        );
    }
    g.finish();
}

/// A value of `bytes` `a`s and a literal of `bytes / 16` `a`s ending in `b`:
/// no match, and every window of a naive search compares almost fully.
fn worst_case_substring(bytes: usize) -> (Value, Value) {
    let value = "a".repeat(bytes);
    let mut literal = "a".repeat(bytes / 16 - 1);
    literal.push('b');
    (Value::String(value), Value::String(literal))
}

fn compare_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(2));
    for bytes in [10_000, 100_000, 1_000_000] {
        let (value, literal) = worst_case_substring(bytes);
        for (label, exact) in [("exact", true), ("fold", false)] {
            let cmp = Comparator::new(AttributeType::String, exact);
            let operand = cmp.prepare(&literal).unwrap();
            g.bench_function(BenchmarkId::new(format!("co/{label}"), bytes), |b| {
                b.iter(|| black_box(cmp.contains(black_box(&value), &operand)))
            });
        }
    }
    let (value, _) = worst_case_substring(1_000_000);
    let literal = format!("{}b", "a".repeat(60_000 - 1));
    let filter = Filter::parse(&format!("title co \"{literal}\"")).unwrap();
    let compiled = filter.compile(ResourceSchema::user()).unwrap();
    let user = json!({"userName": "u", "title": value});
    g.bench_function("co_filter_60k_1m", |b| {
        b.iter(|| black_box(compiled.matches(black_box(&user))))
    });
    g.finish();
}

fn projection_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(2));
    for n in SIZES {
        let mut resource = Map::new();
        resource.insert(
            "schemas".into(),
            json!(["urn:ietf:params:scim:schemas:core:2.0:User"]),
        );
        resource.insert("id".into(), json!("u1"));
        for i in 0..n {
            resource.insert(format!("attr{i}"), json!(i));
        }
        let resource = Value::Object(resource);
        let names: Vec<String> = (0..n).map(|i| format!("attr{i}")).collect();
        let projection = Projection::from_query(Some(&names.join(",")), None).unwrap();
        // Compile (resolve the n names) and apply, as for one request; the
        // output is dropped outside the timing, as in the PATCH benches.
        g.bench_function(BenchmarkId::new("projection", n), |b| {
            b.iter_with_large_drop(|| {
                projection
                    .compile(ResourceSchema::user())
                    .apply(black_box(&resource))
            })
        });
    }
    g.finish();
}

/// Peak heap while replacing n members, as a multiple of what the n new
/// members take alone (a parsed `Vec<Value>` of them).
fn memory_table() {
    eprintln!("\npeak heap of a whole-members replace (from_json + apply_owned):");
    eprintln!("| members | body | new members alone | peak above resource+body | ratio |");
    eprintln!("|---|---|---|---|---|");
    let options = bulk(PatchOptions::strict());
    for n in [10_000, 100_000, 1_000_000] {
        let before = IN_USE.load(Ordering::Relaxed);
        let alone = members("b", n);
        let alone_bytes = IN_USE.load(Ordering::Relaxed) - before;
        let text = patch(json!([{"op": "replace", "path": "members", "value": alone}])).to_string();
        let mut resource = group(members("a", n));
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let outcome = PatchRequest::from_json(&text, &options)
            .and_then(|r| r.apply_owned(&mut resource, ResourceSchema::group()))
            .expect("the replace applies");
        let peak = PEAK.load(Ordering::Relaxed) - base;
        eprintln!(
            "| {n} | {} MB | {} MB | {} MB | {:.2} |",
            text.len() / 1_000_000,
            alone_bytes / 1_000_000,
            peak / 1_000_000,
            peak as f64 / alone_bytes as f64
        );
        drop((outcome, resource));
    }
    eprintln!();
}

fn all(c: &mut Criterion) {
    memory_table();
    patch_scaling(c);
    compare_scaling(c);
    projection_scaling(c);
}

criterion_group! {
    name = benches;
    config = scimkit_benches::quick();
    targets = all
}
criterion_main!(benches);
