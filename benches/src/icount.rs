//! Instruction-count workloads, run one per process under callgrind.
//!
//! Why: wall-clock timings on a shared 2-core machine drift by a factor of
//! two from one day to the next; the number of instructions a workload
//! executes does not, so a regression shows up in CI's log whatever the
//! machine is doing (the method of rustls' ci-bench). `.ci/instruction_counts.sh`
//! runs the `icount` binary once per workload under
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=*icount_measured*`:
//! only what runs inside `icount_measured` is counted, never the loading
//! of the corpus, the compiling of the filters or the copying of the
//! resources.
//!
//! The inputs are the shared corpus copied into `benches/data/`:
//! `filters.txt` (35 filters), `users-1000.json` (1,000 users) and
//! `patch_cases.json` (the PATCH workload).

use std::hint::black_box;

use scimkit_filter::{CompiledFilter, Filter};
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::Value;

/// The copies of the shared corpus, read at build time.
const FILTERS: &str = include_str!("../data/filters.txt");
const USERS: &str = include_str!("../data/users-1000.json");
const PATCH_CASES: &str = include_str!("../data/patch_cases.json");

/// How many times a PATCH workload is applied (on as many fresh copies):
/// enough that per-request counts do not depend on one-off costs.
const PATCH_ROUNDS: usize = 20;

/// One workload: its name, what it counts per unit, and how it is run.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    /// The name given to the `icount` binary.
    pub name: &'static str,
    /// What one unit is (the counts are also printed per unit).
    pub unit: &'static str,
    /// What the workload measures.
    pub about: &'static str,
}

/// Every workload, in the order the table lists them.
pub const WORKLOADS: [Workload; 5] = [
    Workload {
        name: "filter_parse",
        unit: "filter",
        about: "Filter::parse of each corpus filter",
    },
    Workload {
        name: "filter_eval",
        unit: "resource",
        about: "CompiledFilter::matches, each corpus filter (compiled against User) on each user",
    },
    Workload {
        name: "patch_user_5ops",
        unit: "request",
        about: "PatchRequest::parse + apply_owned, 5-op Entra-style user update",
    },
    Workload {
        name: "patch_group1000_add20",
        unit: "request",
        about: "PatchRequest::parse + apply_owned, add 20 members to 1,000",
    },
    Workload {
        name: "patch_group1000_remove1",
        unit: "request",
        about: "PatchRequest::parse + apply_owned, remove 1 of 1,000 by filter",
    },
];

/// The corpus filters.
fn filters() -> Vec<&'static str> {
    FILTERS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect()
}

/// What [`icount_measured`] runs: everything prepared, so that only the
/// measured calls remain.
enum Prepared {
    Parse(Vec<&'static str>),
    Eval(Vec<CompiledFilter>, Vec<Value>),
    Patch {
        body: String,
        schema: &'static ResourceSchema,
        copies: Vec<Value>,
        options: PatchOptions,
    },
}

impl Prepared {
    /// Take one unit of work out, to run before measuring: the first call
    /// pays one-off costs (lazy tables, the allocator tidying the heap the
    /// corpus loading left) that would otherwise be counted.
    fn warm_up(&mut self) -> Self {
        match self {
            Self::Parse(filters) => Self::Parse(filters.iter().take(1).copied().collect()),
            Self::Eval(compiled, users) => Self::Eval(
                compiled.iter().take(1).cloned().collect(),
                users.iter().take(1).cloned().collect(),
            ),
            Self::Patch {
                body,
                schema,
                copies,
                options,
            } => Self::Patch {
                body: body.clone(),
                schema,
                copies: copies.pop().into_iter().collect(),
                options: options.clone(),
            },
        }
    }

    fn units(&self) -> usize {
        match self {
            Self::Parse(filters) => filters.len(),
            Self::Eval(compiled, users) => compiled.len() * users.len(),
            Self::Patch { copies, .. } => copies.len(),
        }
    }
}

fn prepare(name: &str) -> Result<Prepared, String> {
    let patch_case = |case: &str| -> Result<Prepared, String> {
        let doc: Value = serde_json::from_str(PATCH_CASES).map_err(|e| e.to_string())?;
        let found = doc["cases"]
            .as_array()
            .and_then(|cases| cases.iter().find(|c| c["name"] == case))
            .ok_or_else(|| format!("no PATCH case {case:?} in patch_cases.json"))?;
        let schema = match found["resource_type"].as_str() {
            Some("Group") => ResourceSchema::group(),
            _ => ResourceSchema::user(),
        };
        Ok(Prepared::Patch {
            body: serde_json::to_string(&found["request"]).map_err(|e| e.to_string())?,
            schema,
            copies: vec![found["resource"].clone(); PATCH_ROUNDS + 1],
            options: PatchOptions::strict(),
        })
    };
    match name {
        "filter_parse" => Ok(Prepared::Parse(filters())),
        "filter_eval" => {
            let users = match serde_json::from_str(USERS) {
                Ok(Value::Array(users)) => users,
                _ => return Err("users-1000.json is not a JSON array".into()),
            };
            let compiled = filters()
                .into_iter()
                .filter_map(|f| Filter::parse(f).ok()?.compile(ResourceSchema::user()).ok())
                .collect();
            Ok(Prepared::Eval(compiled, users))
        }
        "patch_user_5ops" => patch_case("user_entra_5ops"),
        "patch_group1000_add20" => patch_case("group1000_add20"),
        "patch_group1000_remove1" => patch_case("group1000_remove1"),
        other => Err(format!("unknown workload {other:?}")),
    }
}

/// The measured part: callgrind counts the instructions of this function
/// and what it calls, nothing else.
#[inline(never)]
fn icount_measured(prepared: &mut Prepared) -> (usize, Vec<Result<(), String>>) {
    workload(prepared)
}

/// The work: a checksum, so that nothing is optimised away, and the PATCH
/// results, freed by the caller outside the measured part.
fn workload(prepared: &mut Prepared) -> (usize, Vec<Result<(), String>>) {
    let mut sum = 0usize;
    let mut results = Vec::new();
    match prepared {
        Prepared::Parse(filters) => {
            for f in filters.iter() {
                sum += usize::from(black_box(Filter::parse(black_box(f))).is_ok());
            }
        }
        Prepared::Eval(compiled, users) => {
            for c in compiled.iter() {
                for u in users.iter() {
                    sum += usize::from(c.matches(black_box(u)));
                }
            }
        }
        Prepared::Patch {
            body,
            schema,
            copies,
            options,
        } => {
            results.reserve(copies.len());
            for resource in copies.iter_mut() {
                let result = PatchRequest::parse(black_box(body), options)
                    .and_then(|r| r.apply_owned(resource, schema))
                    .map(drop)
                    .map_err(|e| e.to_string());
                results.push(result);
            }
        }
    }
    (sum, results)
}

/// Run workload `name` once: prepare, measure, then check the results.
/// Returns the number of units measured and the checksum (matches, parsed
/// filters or applied requests).
pub fn run(name: &str) -> Result<(usize, usize), String> {
    let mut prepared = prepare(name)?;
    drop(workload(&mut prepared.warm_up()));
    let units = prepared.units();
    let (sum, results) = icount_measured(&mut prepared);
    let applied = results.iter().filter(|r| r.is_ok()).count();
    if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
        return Err(format!("{name}: the request failed: {e}"));
    }
    Ok((units, sum + applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_runs_and_gives_the_known_answers() {
        for w in WORKLOADS {
            let (units, sum) = run(w.name).unwrap();
            assert!(units > 0, "{}", w.name);
            match w.name {
                // 35 filters, all valid.
                "filter_parse" => assert_eq!((units, sum), (35, 35)),
                "filter_eval" => assert_eq!(units, 35 * 1000),
                _ => assert_eq!((units, sum), (PATCH_ROUNDS, PATCH_ROUNDS)),
            }
        }
        assert!(run("nothing").is_err());
    }
}
