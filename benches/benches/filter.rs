//! criterion benchmarks for `scimkit-filter`, side by side with the peer
//! crate `scim-filter` 0.2.3 (nom-based parser and matcher) wherever the
//! peer accepts the input:
//!
//! - `filter_parse/<name>`: parse one filter (short, typical, a 20-clause
//!   `or` chain, 10-deep nesting), and `filter_parse/corpus`: every filter of
//!   `data/filters.txt` per iteration (throughput = filters, so criterion
//!   prints filters/s; the peer's corpus is the filters it accepts).
//! - `filter_compile/typical`: compile a parsed filter against the User schema.
//! - `filter_eval/<name>`: match one filter against the 1,000 users of
//!   `data/users-1000.json` per iteration (throughput = resources).
//!
//! Before measuring, a table of match counts (scimkit vs peer) goes to
//! stderr so that differences in answers are visible next to the timings.
//!
//! Quick by default (2 s measurement, 0.5 s warm-up, 30 samples):
//! `cargo bench -p scimkit-benches --bench filter`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scimkit_filter::Filter;
use scimkit_schema::ResourceSchema;
use serde_json::Value;

/// The shared corpus: 35 filters, one per line.
const FILTERS: &str = include_str!("../data/filters.txt");

/// 1,000 synthetic users from `gen_users.py 1000` (read once, at startup).
const USERS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/users-1000.json");

/// The named parse benchmarks: name and how the filter starts in the corpus.
const PARSE_CASES: [(&str, &str); 4] = [
    ("short", r#"userName eq "bjensen""#),
    (
        "typical",
        r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
    ),
    (
        "or_chain_20",
        r#"userName eq "user1" or userName eq "user2" or"#,
    ),
    (
        "nested_10",
        r#"(userName eq "user1" or (userName eq "user2""#,
    ),
];

/// The evaluation benchmarks (chosen to fit the generated users).
const EVAL_CASES: [(&str, &str); 4] = [
    ("eq", r#"userName eq "user500""#),
    ("co", r#"emails.value co "example.com""#),
    (
        "value_path",
        r#"emails[type eq "work" and value co "@example.com"]"#,
    ),
    (
        "and_or",
        r#"title pr and userType eq "Employee" or userType eq "Intern""#,
    ),
];

fn corpus() -> Vec<&'static str> {
    FILTERS.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn users() -> Vec<Value> {
    let text = std::fs::read_to_string(USERS_PATH).expect("benches/data/users-1000.json");
    serde_json::from_str(&text).expect("users-1000.json is a JSON array of users")
}

/// The corpus filter that starts with `prefix`.
fn find(prefix: &str) -> &'static str {
    corpus()
        .into_iter()
        .find(|f| f.starts_with(prefix))
        .unwrap_or_else(|| panic!("no filter starting with {prefix:?} in filters.txt"))
}

/// Peer parse: what `scim_filter::parser::scim_filter_parser` does (that
/// function is `pub(crate)` in 0.2.3): the public `filter` combinator, then
/// reject leftover input.
fn peer_parse(input: &str) -> Option<scim_filter::parser::Filter<'_>> {
    match scim_filter::parser::filter(input) {
        Ok(("", f)) => Some(f),
        _ => None,
    }
}

/// Peer match count over `users`, and how many resources made it error.
fn peer_count(f: &scim_filter::parser::Filter<'_>, users: &[Value]) -> (usize, usize) {
    users
        .iter()
        .fold((0, 0), |(hits, errors), u| match f.r#match(u) {
            Ok(true) => (hits + 1, errors),
            Ok(false) => (hits, errors),
            Err(_) => (hits, errors + 1),
        })
}

fn scimkit_count(text: &str, users: &[Value]) -> String {
    let filter = match Filter::parse(text) {
        Ok(f) => f,
        Err(e) => return format!("rejected ({e})"),
    };
    match filter.compile(ResourceSchema::user()) {
        Ok(c) => users.iter().filter(|u| c.matches(u)).count().to_string(),
        Err(e) => format!("error ({e})"),
    }
}

/// One-time correctness table on stderr: the eval filters, then the corpus.
fn print_counts(users: &[Value]) {
    let short = |s: &str| {
        if s.chars().count() > 72 {
            format!("{}…", s.chars().take(71).collect::<String>())
        } else {
            s.to_owned()
        }
    };
    eprintln!(
        "\nmatch counts over {} users (scimkit compiled against User | scim-filter 0.2.3):",
        users.len()
    );
    eprintln!(
        "{:<74} {:>8} {:>16}  diff",
        "filter", "scimkit", "scim-filter"
    );
    let named = EVAL_CASES.iter().map(|(_, f)| *f);
    for text in named.chain(corpus()) {
        let ours = scimkit_count(text, users);
        let peer = match peer_parse(text) {
            None => "rejected".to_owned(),
            Some(f) => match peer_count(&f, users) {
                (hits, 0) => hits.to_string(),
                (_, errors) if errors == users.len() => "error".to_owned(),
                (hits, errors) => format!("{hits} (+{errors} err)"),
            },
        };
        let diff = if ours == peer { "" } else { "≠" };
        eprintln!("{:<74} {ours:>8} {peer:>16}  {diff}", short(text));
    }
    eprintln!();
}

fn filter_parse(c: &mut Criterion) {
    for (name, prefix) in PARSE_CASES {
        let text = find(prefix);
        let mut group = c.benchmark_group(format!("filter_parse/{name}"));
        group.bench_function("scimkit", |b| b.iter(|| Filter::parse(black_box(text))));
        if peer_parse(text).is_some() {
            group.bench_function("scim-filter", |b| {
                b.iter(|| peer_parse(black_box(text)).is_some())
            });
        } else {
            eprintln!("filter_parse/{name}: scim-filter rejects {text:?}");
        }
        group.finish();
    }

    let all = corpus();
    let ours: Vec<&str> = all
        .iter()
        .copied()
        .filter(|f| Filter::parse(f).is_ok())
        .collect();
    let (peer, peer_rejects): (Vec<&str>, Vec<&str>) =
        all.iter().copied().partition(|f| peer_parse(f).is_some());
    eprintln!(
        "filter_parse/corpus: scimkit accepts {}/{}, scim-filter accepts {}/{}; scim-filter rejects:",
        ours.len(),
        all.len(),
        peer.len(),
        all.len()
    );
    for f in &peer_rejects {
        eprintln!("  {f}");
    }
    let mut group = c.benchmark_group("filter_parse/corpus");
    group.throughput(Throughput::Elements(ours.len() as u64));
    group.bench_function("scimkit", |b| {
        b.iter(|| {
            ours.iter()
                .filter(|f| Filter::parse(black_box(f)).is_ok())
                .count()
        })
    });
    group.throughput(Throughput::Elements(peer.len() as u64));
    group.bench_function("scim-filter", |b| {
        b.iter(|| {
            peer.iter()
                .filter(|f| peer_parse(black_box(f)).is_some())
                .count()
        })
    });
    group.finish();
}

fn filter_compile(c: &mut Criterion) {
    let filter = Filter::parse(find(PARSE_CASES[1].1)).expect("typical filter parses");
    let user = ResourceSchema::user();
    let mut group = c.benchmark_group("filter_compile/typical");
    group.bench_function("scimkit", |b| {
        b.iter(|| black_box(&filter).compile(user).is_ok())
    });
    group.finish();
}

/// Not a benchmark: prints the match-count table before anything is measured.
fn correctness(_: &mut Criterion) {
    print_counts(&users());
}

fn filter_eval(c: &mut Criterion) {
    let users = users();
    for (name, text) in EVAL_CASES {
        let compiled = Filter::parse(text)
            .expect("eval filters parse")
            .compile(ResourceSchema::user())
            .expect("eval filters compile against User");
        let mut group = c.benchmark_group(format!("filter_eval/{name}"));
        group.throughput(Throughput::Elements(users.len() as u64));
        group.bench_function("scimkit", |b| {
            b.iter(|| {
                black_box(&users)
                    .iter()
                    .filter(|u| compiled.matches(u))
                    .count()
            })
        });
        if let Some(peer) = peer_parse(text) {
            group.bench_function("scim-filter", |b| {
                b.iter(|| {
                    black_box(&users)
                        .iter()
                        .filter(|u| matches!(peer.r#match(u), Ok(true)))
                        .count()
                })
            });
        } else {
            eprintln!("filter_eval/{name}: scim-filter rejects {text:?}");
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = scimkit_benches::quick();
    targets = correctness, filter_parse, filter_compile, filter_eval
}
criterion_main!(benches);
