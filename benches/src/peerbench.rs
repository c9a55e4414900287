//! scimkit's entry in the shared side-by-side benchmark (`../shared/bench/peers/`).
//!
//! Why here: the harness measures every peer and scimkit in one run and
//! divides paired timings, so scimkit's entry must call the API as it is
//! today. The harness builds and runs the `peerbench` binary of this package
//! when it exists (`run_scimkit.sh` looks for `name = "peerbench"` in
//! `benches/Cargo.toml`), so the entry lives with the crates it measures.
//!
//! The protocol is the harness's (`rust-harness/src/lib.rs`, `report.py`,
//! `ratios.py`): one JSON line per benchmark on stdout, the same fields, the
//! same timing method (each filter's calls calibrated to ~2 ms (parse) or
//! ~5 ms (eval over every resource) per repetition, the median of
//! `PEERBENCH_REPS` repetitions), and the same inputs, read from the working
//! directory unless the environment names them:
//!
//! | op | input (variable, default) |
//! |---|---|
//! | `parse` | `PEERBENCH_FILTERS`, `filters.txt` |
//! | `eval` | the filters and `PEERBENCH_USERS`, `users.json` |
//! | `patch` | `PEERBENCH_PATCH_CASES`, `patch_cases.json` |
//!
//! When a default file is not in the working directory, the copy in
//! `benches/data/` is used, so `cargo run --release -p scimkit-benches
//! --bin peerbench` works from the project root.
//!
//! scimkit is called the way a server calls it: `Filter::parse`; for
//! evaluation, `Filter::parse` then `compile` against the built-in User
//! schema once per filter, then `CompiledFilter::matches` per resource; for
//! PATCH, `PatchRequest::parse` of the body text under strict options and
//! `apply_owned` to a fresh copy of the resource (the copies are made, and
//! the results freed, outside the timed loop, like criterion's
//! `iter_batched` and like the garbage-collected peers, which free later).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use scimkit_filter::{CompiledFilter, Filter};
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::{json, Value};

/// The name every scimkit line starts with (`ratios.py` pairs by it).
pub const PEER: &str = "rust scimkit";

/// The harness's settings, read from the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Repetitions per measurement (`PEERBENCH_REPS`, default 5).
    pub reps: usize,
    /// Corpus passes of the parse total (`PEERBENCH_PASSES`, default 100).
    pub passes: usize,
    /// The filters file.
    pub filters: PathBuf,
    /// The users file (a JSON array of resources).
    pub users: PathBuf,
    /// The PATCH cases file.
    pub patch_cases: PathBuf,
}

/// A copy of the shared corpus in `benches/data/`.
fn data(file: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data")).join(file)
}

/// `var` if set, else `default` in the working directory if it is there,
/// else `fallback` in `benches/data/`.
fn input(var: &str, default: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(path) => PathBuf::from(path),
        None if std::path::Path::new(default).exists() => PathBuf::from(default),
        None => data(fallback),
    }
}

fn env_usize(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl Settings {
    /// The settings the harness passes through the environment.
    pub fn from_env() -> Self {
        Self {
            reps: env_usize("PEERBENCH_REPS", 5).max(1),
            passes: env_usize("PEERBENCH_PASSES", 100),
            filters: input("PEERBENCH_FILTERS", "filters.txt", "filters.txt"),
            users: input("PEERBENCH_USERS", "users.json", "users-1000.json"),
            patch_cases: input(
                "PEERBENCH_PATCH_CASES",
                "patch_cases.json",
                "patch_cases.json",
            ),
        }
    }
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// The filters: non-blank lines not starting with `#`.
pub fn load_filters(settings: &Settings) -> Result<Vec<String>, String> {
    Ok(read(&settings.filters)?
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// The resources: a JSON array.
pub fn load_users(settings: &Settings) -> Result<Vec<Value>, String> {
    match serde_json::from_str(&read(&settings.users)?) {
        Ok(Value::Array(users)) => Ok(users),
        Ok(_) => Err(format!("{} must be a JSON array", settings.users.display())),
        Err(e) => Err(format!("{} is not JSON: {e}", settings.users.display())),
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => v.get(n / 2).copied(),
        _ => Some((v.get(n / 2 - 1)? + v.get(n / 2)?) / 2.0),
    }
}

/// At most 300 characters, then `…` (as the harness clips details).
fn clip(s: String) -> String {
    match s.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s,
    }
}

/// Median ns per call of `f`, calibrated so one repetition lasts about
/// `target_ns` (the harness's `time_per_call`).
fn time_per_call(reps: usize, target_ns: f64, mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    f();
    let one = t.elapsed().as_nanos().max(1) as f64;
    let iters = ((target_ns / one) as usize).max(1);
    for _ in 0..iters.min(1000) {
        f();
    }
    let samples = (0..reps)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    median(samples).unwrap_or(f64::NAN)
}

/// Median ns of `f(copy)`: the copies are made before, and `f`'s outputs
/// dropped after, each timed loop (the fallback entry's `time_on_copies`).
fn time_on_copies<T, R>(
    reps: usize,
    target_ns: f64,
    make: impl Fn() -> T,
    mut f: impl FnMut(T) -> R,
) -> f64 {
    let t = Instant::now();
    drop(f(make()));
    let one = (t.elapsed().as_nanos() as f64).max(1.0);
    let iters = ((target_ns / one) as usize).max(1);
    for _ in 0..iters.min(1000) {
        drop(f(make()));
    }
    let samples = (0..reps)
        .map(|_| {
            let copies: Vec<T> = (0..iters).map(|_| make()).collect();
            let mut outs = Vec::with_capacity(iters);
            let t = Instant::now();
            for c in copies {
                outs.push(f(c));
            }
            let ns = t.elapsed().as_nanos() as f64 / iters as f64;
            drop(outs);
            ns
        })
        .collect();
    median(samples).unwrap_or(f64::NAN)
}

/// The `parse` line: every filter parsed with `Filter::parse`.
pub fn bench_parse(settings: &Settings, filters: &[String]) -> Value {
    let reps = settings.reps;
    let mut accepted = Vec::new();
    let mut detail = Vec::new();
    let mut per_filter = Vec::new();
    for f in filters {
        let parsed = Filter::parse(f);
        accepted.push(parsed.is_ok());
        detail.push(clip(match &parsed {
            Ok(ast) => format!("{ast:?}"),
            Err(e) => e.to_string(),
        }));
        per_filter.push(time_per_call(reps, 2e6, || {
            let _ = black_box(Filter::parse(black_box(f.as_str())));
        }));
    }
    let totals = (0..reps)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..settings.passes {
                for f in filters {
                    let _ = black_box(Filter::parse(black_box(f.as_str())));
                }
            }
            t.elapsed().as_nanos() as f64
        })
        .collect();
    let accepted_ns = per_filter
        .iter()
        .zip(&accepted)
        .filter(|(_, ok)| **ok)
        .map(|(ns, _)| *ns)
        .collect();
    json!({
        "peer": format!("{PEER} (Filter::parse)"), "op": "parse", "unit": "ns/parse",
        "reps": reps, "total_filters": filters.len(), "accepted": accepted, "detail": detail,
        "per_filter_ns": per_filter, "median_ns": median(accepted_ns),
        "corpus_passes": settings.passes, "corpus_total_ns": median(totals),
    })
}

/// Parse `filter` and compile it against the built-in User schema, as a
/// server does once per request.
pub fn compile_for_users(filter: &str) -> Result<CompiledFilter, String> {
    Filter::parse(filter)
        .map_err(|e| e.to_string())?
        .compile(ResourceSchema::user())
        .map_err(|e| e.to_string())
}

/// The `eval` line: each filter compiled once, then matched against every
/// resource; `matches` counts the resources that match.
pub fn bench_eval(settings: &Settings, filters: &[String], users: &[Value]) -> Value {
    let reps = settings.reps;
    let mut accepted = Vec::new();
    let mut detail = Vec::new();
    let mut matches = Vec::new();
    let mut per_filter = Vec::new();
    let mut compiled = Vec::new();
    for f in filters {
        match compile_for_users(f) {
            Err(e) => {
                accepted.push(false);
                detail.push(clip(e));
                matches.push(Value::Null);
                per_filter.push(Value::Null);
            }
            Ok(c) => {
                let n = users.iter().filter(|u| c.matches(u)).count();
                accepted.push(true);
                detail.push(String::new());
                matches.push(json!(n));
                let ns = time_per_call(reps, 5e6, || {
                    for u in users {
                        black_box(c.matches(black_box(u)));
                    }
                }) / users.len().max(1) as f64;
                per_filter.push(json!(ns));
                compiled.push(c);
            }
        }
    }
    let totals = (0..reps)
        .map(|_| {
            let t = Instant::now();
            for c in &compiled {
                for u in users {
                    black_box(c.matches(black_box(u)));
                }
            }
            t.elapsed().as_nanos() as f64
        })
        .collect();
    let accepted_ns = per_filter
        .iter()
        .zip(&accepted)
        .filter(|(_, ok)| **ok)
        .filter_map(|(ns, _)| ns.as_f64())
        .collect();
    json!({
        "peer": format!("{PEER} (compiled against User; CompiledFilter::matches)"),
        "op": "eval", "unit": "ns/resource", "reps": reps,
        "total_filters": filters.len(), "accepted": accepted, "detail": detail,
        "matches": matches, "per_filter_ns": per_filter, "resources": users.len(),
        "median_ns": median(accepted_ns), "corpus_passes": 1, "corpus_total_ns": median(totals),
    })
}

/// Parse a PatchOp body under strict options and apply it to `resource`.
pub fn patch_once(
    body: &str,
    resource: &mut Value,
    schema: &ResourceSchema,
    options: &PatchOptions,
) -> Result<(), String> {
    let request = PatchRequest::parse(body, options).map_err(|e| e.to_string())?;
    request
        .apply_owned(resource, schema)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The `patch` lines, one per case of the PATCH workload: the result (or
/// the error) of one application, and its median time.
pub fn bench_patch(settings: &Settings) -> Result<Vec<Value>, String> {
    let path = &settings.patch_cases;
    let doc: Value = serde_json::from_str(&read(path)?)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let Some(cases) = doc.get("cases").and_then(Value::as_array) else {
        return Err(format!("{} has no `cases` array", path.display()));
    };
    let options = PatchOptions::strict();
    let mut lines = Vec::new();
    for case in cases {
        let body = serde_json::to_string(&case["request"]).map_err(|e| e.to_string())?;
        let is_group = case["resource_type"].as_str() == Some("Group")
            || case["resource"]["schemas"].to_string().contains("Group");
        let schema = if is_group {
            ResourceSchema::group()
        } else {
            ResourceSchema::user()
        };
        let resource = &case["resource"];
        let mut out = resource.clone();
        let (result, error) = match patch_once(&body, &mut out, schema, &options) {
            Ok(()) => (out, Value::Null),
            Err(e) => (Value::Null, Value::String(e)),
        };
        let copy_ns = time_on_copies(
            settings.reps,
            2e6,
            || (),
            |()| {
                black_box(resource.clone());
            },
        );
        let net_ns = time_on_copies(
            settings.reps,
            2e6,
            || resource.clone(),
            |mut r| {
                let _ = black_box(patch_once(&body, &mut r, schema, &options));
                r
            },
        );
        lines.push(json!({
            "peer": format!("{PEER} (strict; PatchRequest::parse + apply_owned; result freed outside the timing)"),
            "op": "patch", "case": case["name"], "reps": settings.reps,
            "median_ns": net_ns, "copy_ns": copy_ns, "error": error, "result": result,
        }));
    }
    Ok(lines)
}

/// Run `what` (`parse`, `eval`, `all` = parse and eval, or `patch`) and
/// return its lines. `patch` is separate, as in the harness: its lines go
/// to another file.
pub fn run(what: &str, settings: &Settings) -> Result<Vec<Value>, String> {
    let mut lines = Vec::new();
    match what {
        "parse" | "eval" | "all" => {
            let filters = load_filters(settings)?;
            if what != "eval" {
                lines.push(bench_parse(settings, &filters));
            }
            if what != "parse" {
                let users = load_users(settings)?;
                lines.push(bench_eval(settings, &filters, &users));
            }
        }
        "patch" => lines = bench_patch(settings)?,
        other => {
            return Err(format!(
                "unknown benchmark {other:?}: use parse, eval, all or patch"
            ))
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_clip() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(clip("é".repeat(301)), format!("{}…", "é".repeat(300)));
        assert_eq!(clip("short".into()), "short");
    }
}
