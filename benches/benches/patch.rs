//! criterion benchmarks for `scimkit-patch` on the shared PATCH workload
//! (`data/patch_cases.json`, written by `gen_patch_cases.py` beside the
//! users of `gen_users.py 1000`):
//!
//! - `user_entra_5ops`: a 5-operation Entra-style user update;
//! - `group1000_add20`: add 20 members to a 1,000-member group;
//! - `group1000_remove1`: remove one member by `members[value eq "..."]`.
//!
//! For each case, `patch/<case>/parse_apply` times
//! `PatchRequest::from_value` on the pre-parsed request JSON plus `apply`,
//! and `patch/<case>/apply_only` times `apply` of a pre-parsed request. The
//! resource is cloned in `iter_batched`'s setup and dropped after timing,
//! so neither the clone nor the drop is measured.
//!
//! Before measuring, two tables go to stderr: whether each case gives the
//! expected resource (`meta.lastModified` and `meta.version` ignored, as in
//! the generator's checker), and heap allocations per request counted by a
//! wrapper around the system allocator.
//!
//! Quick by default (2 s measurement, 0.5 s warm-up, 30 samples):
//! `cargo bench -p scimkit-benches --bench patch`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::Value;

/// The three cases (generated once; see the module docs).
const CASES_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/patch_cases.json");

/// The system allocator, counting calls to `alloc`, `alloc_zeroed` and
/// `realloc` (the calls that may hand out new memory).
struct CountingAlloc;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// The workspace forbids unsafe code; benches/Cargo.toml lowers that to
// `deny` for this package so that this one impl (GlobalAlloc is an unsafe
// trait) can opt out. Every method forwards to `System` unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// One PATCH case of the shared workload.
struct Case {
    name: String,
    schema: &'static ResourceSchema,
    resource: Value,
    request: Value,
    expected: Value,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(CASES_PATH).expect("benches/data/patch_cases.json");
    let mut doc: Value = serde_json::from_str(&text).expect("patch_cases.json is JSON");
    let Some(Value::Array(cases)) = doc.get_mut("cases").map(Value::take) else {
        panic!("patch_cases.json has no `cases` array");
    };
    cases
        .into_iter()
        .map(|mut c| {
            let schema = match c["resource_type"].as_str() {
                Some("User") => ResourceSchema::user(),
                Some("Group") => ResourceSchema::group(),
                other => panic!("unknown resource_type {other:?}"),
            };
            Case {
                name: c["name"].as_str().expect("case name").to_owned(),
                schema,
                resource: c["resource"].take(),
                request: c["request"].take(),
                expected: c["expected"].take(),
            }
        })
        .collect()
}

/// The options every case is applied with: RFC 7644 as written (the
/// workload's requests use lowercase ops and JSON booleans).
fn options() -> PatchOptions {
    PatchOptions::strict()
}

/// Parse and apply `case`'s request to `resource`.
fn parse_apply(case: &Case, resource: &mut Value, options: &PatchOptions) {
    let request = PatchRequest::from_value(&case.request, options).expect("request parses");
    let outcome = request
        .apply(resource, case.schema)
        .expect("request applies");
    black_box(outcome);
}

/// The resource without `meta.lastModified` and `meta.version`.
fn comparable(resource: &Value) -> Value {
    let mut r = resource.clone();
    if let Some(meta) = r.get_mut("meta").and_then(Value::as_object_mut) {
        meta.remove("lastModified");
        meta.remove("version");
    }
    r
}

/// A short description of where `got` and `want` first differ.
fn first_difference(path: &str, got: &Value, want: &Value) -> Option<String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                match g.get(k) {
                    None => return Some(format!("{path}/{k}: missing")),
                    Some(gv) => {
                        if let Some(d) = first_difference(&format!("{path}/{k}"), gv, wv) {
                            return Some(d);
                        }
                    }
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| format!("{path}/{k}: unexpected"))
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => g
            .iter()
            .zip(w)
            .enumerate()
            .find_map(|(i, (gv, wv))| first_difference(&format!("{path}/{i}"), gv, wv)),
        (Value::Array(g), Value::Array(w)) => Some(format!(
            "{path}: {} elements, expected {}",
            g.len(),
            w.len()
        )),
        _ if got == want => None,
        _ => Some(format!("{path}: {got}, expected {want}")),
    }
}

/// Not a benchmark: the correctness and allocation tables, on stderr.
fn correctness(_: &mut Criterion) {
    let options = options();
    eprintln!("\nPATCH correctness (meta.lastModified/version ignored), strict options:");
    eprintln!("{:<20} {:<8} detail", "case", "correct");
    for case in cases() {
        let mut resource = case.resource.clone();
        let (ok, detail) = match PatchRequest::from_value(&case.request, &options)
            .and_then(|r| r.apply(&mut resource, case.schema))
        {
            Err(e) => (false, format!("error: {e}")),
            Ok(_) => {
                match first_difference("", &comparable(&resource), &comparable(&case.expected)) {
                    None => (true, String::new()),
                    Some(d) => (false, d),
                }
            }
        };
        let yes_no = if ok { "yes" } else { "no" };
        eprintln!("{:<20} {yes_no:<8} {detail}", case.name);
    }

    const ROUNDS: usize = 100;
    eprintln!("\nheap allocations per request (mean of {ROUNDS}; the resource clone not counted):");
    eprintln!("{:<20} {:>12} {:>12}", "case", "parse+apply", "apply only");
    for case in cases() {
        // Once unmeasured, so that lazily built schemas are not counted.
        parse_apply(&case, &mut case.resource.clone(), &options);
        let request = PatchRequest::from_value(&case.request, &options).expect("request parses");
        let (mut parse_apply_allocs, mut apply_allocs) = (0, 0);
        for _ in 0..ROUNDS {
            let mut resource = case.resource.clone();
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            parse_apply(&case, &mut resource, &options);
            parse_apply_allocs += ALLOCATIONS.load(Ordering::Relaxed) - before;

            let mut resource = case.resource.clone();
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            let outcome = request.apply(&mut resource, case.schema);
            apply_allocs += ALLOCATIONS.load(Ordering::Relaxed) - before;
            black_box(outcome).expect("request applies");
        }
        eprintln!(
            "{:<20} {:>12.1} {:>12.1}",
            case.name,
            parse_apply_allocs as f64 / ROUNDS as f64,
            apply_allocs as f64 / ROUNDS as f64
        );
    }
    eprintln!();
}

fn patch(c: &mut Criterion) {
    let options = options();
    for case in cases() {
        let mut group = c.benchmark_group(format!("patch/{}", case.name));
        group.bench_function("parse_apply", |b| {
            b.iter_batched(
                || case.resource.clone(),
                |mut resource| {
                    let request = PatchRequest::from_value(black_box(&case.request), &options)
                        .expect("request parses");
                    let outcome = request.apply(&mut resource, case.schema);
                    // Returned, so that dropping them is not timed.
                    (resource, request, outcome)
                },
                BatchSize::LargeInput,
            )
        });
        let request = PatchRequest::from_value(&case.request, &options).expect("request parses");
        group.bench_function("apply_only", |b| {
            b.iter_batched(
                || case.resource.clone(),
                |mut resource| {
                    let outcome = black_box(&request).apply(&mut resource, case.schema);
                    (resource, outcome)
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = scimkit_benches::quick();
    targets = correctness, patch
}
criterion_main!(benches);
