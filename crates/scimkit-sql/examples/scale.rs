//! Query times on 100,000 users, SQLite and PostgreSQL, with and without
//! the `ColumnMap`'s indexed columns; prints a Markdown table (the one in
//! the crate README).
//!
//! ```text
//! cargo run --release -p scimkit-sql --example scale              # SQLite only
//! source .ci/postgres.sh && cargo run --release -p scimkit-sql --example scale
//! SCIMKIT_BENCH_USERS=10000 cargo run --release -p scimkit-sql --example scale
//! ```
//!
//! The users come from a deterministic generator shaped like
//! `shared/bench/gen_users.py` (same attributes and value mixes; ids are
//! UUID-like hex). Each query is timed end to end: statement execution,
//! reading every row, and on PostgreSQL `PgQuery::finish` (residual filter,
//! in-memory sort). A time is the median of up to 5 runs (3 when a run
//! takes over half a second). PostgreSQL is skipped, with a message, when
//! `SCIMKIT_PG_URL` is not set.

use std::time::{Duration, Instant};

use scimkit_filter::{Filter, SortSpec};
use scimkit_schema::{ResourceSchema, SortValue};
use scimkit_sql::{register_functions, ColumnMap, Dialect, Position, Select, Sql, SqlValue, Table};
use serde_json::{json, Value};

const GIVEN: &[&str] = &[
    "Barbara", "John", "Maria", "Wei", "Aisha", "Liam", "Noah", "Olivia", "Sven", "Priya", "Jesús",
    "Zoë",
];
const FAMILY: &[&str] = &[
    "Jensen", "O'Malley", "Smith", "Nguyen", "Garcia", "Müller", "Okafor", "Kowalski", "Tanaka",
    "Ericsson",
];
const TITLES: &[&str] = &["Tour Guide", "Engineer", "Manager", "Analyst", "Director"];
const TYPES: &[&str] = &["Employee", "Employee", "Employee", "Intern", "Contractor"];
const DEPTS: &[&str] = &["Tour Operations", "Engineering", "Sales", "Finance", "HR"];
const DOMAINS: &[&str] = &["example.com", "example.org", "foo.com"];
const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
}

fn user(i: usize, r: &mut Rng) -> Value {
    let (given, family) = (r.pick(GIVEN), r.pick(FAMILY));
    let user_name = if i == 0 {
        "bjensen".to_owned()
    } else {
        format!("user{i}")
    };
    let created = 1_262_304_000 + r.below(15 * 365 * 86_400) as i64;
    let modified = created + r.below(2 * 365 * 86_400) as i64;
    let at = |t: i64| {
        scimkit_schema::Timestamp::from_unix(t, 0)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let user_type = r.pick(TYPES);
    let ent = r.chance(0.7);
    let id = format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        r.next() as u32,
        r.next() as u16,
        r.next() as u16 & 0xfff,
        r.next() as u16,
        r.next() & 0xffff_ffff_ffff
    );
    let mut u = json!({
        "schemas": if ent { json!([CORE, ENT]) } else { json!([CORE]) },
        "id": id,
        "externalId": format!("ext-{i:05}"),
        "userName": user_name,
        "name": {"givenName": given, "familyName": family, "formatted": format!("{given} {family}")},
        "displayName": format!("{given} {family}"),
        "userType": user_type,
        "active": r.chance(0.85),
        "emails": [{"value": format!("{user_name}@{}", r.pick(DOMAINS)), "type": "work", "primary": true}],
        "phoneNumbers": [{"value": format!("+1-555-{}", 1000 + r.below(9000)), "type": "work"}],
        "meta": {"resourceType": "User", "created": at(created), "lastModified": at(modified),
                 "location": format!("https://example.com/v2/Users/{i}"),
                 "version": format!("W/\"{:012x}\"", r.next() & 0xffff_ffff_ffff)},
    });
    if r.chance(if user_type == "Intern" { 0.2 } else { 0.75 }) {
        u["title"] = json!(r.pick(TITLES));
    }
    if r.chance(0.5) {
        let home = json!({"value": format!("{user_name}.home@{}", r.pick(DOMAINS)), "type": "home", "primary": false});
        if let Some(a) = u["emails"].as_array_mut() {
            a.push(home);
        }
    }
    if r.chance(0.2) {
        u["ims"] = json!([{"value": format!("{user_name}@{}", r.pick(DOMAINS)), "type": "xmpp"}]);
    }
    if ent {
        u[ENT] = json!({"department": r.pick(DEPTS), "employeeNumber": (100_000 + i).to_string()});
    }
    u
}

fn users(n: usize) -> Vec<Value> {
    let mut r = Rng(7644);
    (0..n).map(|i| user(i, &mut r)).collect()
}

/// Median of up to 5 runs (3 when slow); `run` returns the row count.
fn time(mut run: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..5 {
        let start = Instant::now();
        rows = run();
        times.push(start.elapsed());
        if times.len() >= 3 && times.iter().any(|t| *t > Duration::from_millis(500)) {
            break;
        }
    }
    times.sort();
    (times[times.len() / 2], rows)
}

fn show(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.0} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}

struct Query {
    name: &'static str,
    filter: Option<Filter>,
    sort: Option<SortSpec>,
    position: Option<Position>,
    limit: Option<u64>,
}

fn queries(n: usize) -> Vec<Query> {
    let target = format!(r#"userName eq "user{}""#, n / 2);
    vec![
        Query {
            name: "`userName eq \"user…\"` (one row)",
            filter: Some(Filter::parse(&target).expect("filter")),
            sort: None,
            position: None,
            limit: None,
        },
        Query {
            name: "`emails[type eq \"work\" and value co \"@x\"]` (no row)",
            filter: Some(
                Filter::parse(r#"emails[type eq "work" and value co "@x"]"#).expect("filter"),
            ),
            sort: None,
            position: None,
            limit: None,
        },
        Query {
            name: "sortBy userName, 100 after `user5`",
            filter: None,
            sort: Some(SortSpec::from_query("userName", None).expect("sort")),
            position: Some(Position::after(vec![SortValue::from("user5")], "")),
            limit: Some(100),
        },
    ]
}

fn select<'a>(q: &'a Query, table: &'a Table) -> Select<'a> {
    let mut s = Select::new(table, ResourceSchema::user());
    if let Some(f) = &q.filter {
        s = s.filter(f);
    }
    if let Some(sort) = &q.sort {
        s = s.sort(sort);
    }
    if let Some(p) = &q.position {
        s = s.position(p);
    }
    if let Some(l) = q.limit {
        s = s.limit(l);
    }
    s
}

fn sqlite(docs: &[Value], columns: ColumnMap, qs: &[Query]) -> Vec<(Duration, usize)> {
    let mut conn = rusqlite::Connection::open_in_memory().expect("sqlite");
    register_functions(&conn).expect("functions");
    let table = Table::new("users").expect("table").with_columns(columns);
    for ddl in table.ddl(Dialect::Sqlite) {
        conn.execute(&ddl, []).expect("ddl");
    }
    let tx = conn.transaction().expect("tx");
    for d in docs {
        let ins = table.insert(Dialect::Sqlite, d).expect("insert");
        tx.prepare_cached(&ins.text)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(&ins.params)))
            .expect("insert");
    }
    tx.commit().expect("commit");
    conn.execute_batch("ANALYZE").expect("analyze");
    qs.iter()
        .map(|q| {
            let sql = select(q, &table).to_sql().expect("sql");
            let mut stmt = conn.prepare(&sql.text).expect("prepare");
            time(|| {
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(&sql.params))
                    .expect("query");
                let mut n = 0;
                while let Some(r) = rows.next().expect("row") {
                    let _doc: String = r.get(1).expect("doc");
                    n += 1;
                }
                n
            })
        })
        .collect()
}

fn pg_params(sql: &Sql) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    sql.params
        .iter()
        .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
            match p {
                SqlValue::Null => Box::new(None::<String>),
                SqlValue::Integer(i) => Box::new(*i),
                SqlValue::Real(f) => Box::new(*f),
                SqlValue::Text(s) => Box::new(s.clone()),
            }
        })
        .collect()
}

fn postgres(
    url: &str,
    docs: &[Value],
    columns: ColumnMap,
    tag: &str,
    qs: &[Query],
) -> Vec<(Duration, usize)> {
    use postgres::{Client, NoTls};
    let mut client = Client::connect(url, NoTls).expect("connect");
    let schema = format!("scale_{tag}");
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema}"
        ))
        .expect("schema");
    let table = Table::new("users").expect("table").with_columns(columns);
    for ddl in table.ddl(Dialect::Postgres) {
        client.batch_execute(&ddl).expect("ddl");
    }
    let mut tx = client.transaction().expect("tx");
    let first = table.insert(Dialect::Postgres, &docs[0]).expect("insert");
    let stmt = tx.prepare(&first.text).expect("prepare");
    for d in docs {
        let ins = table.insert(Dialect::Postgres, d).expect("insert");
        let p = pg_params(&ins);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            p.iter().map(|b| b.as_ref() as _).collect();
        tx.execute(&stmt, &refs).expect("insert");
    }
    tx.commit().expect("commit");
    client.batch_execute("ANALYZE users").expect("analyze");
    let out = qs
        .iter()
        .map(|q| {
            let pq = select(q, &table).to_postgres().expect("sql");
            let p = pg_params(&pq.sql);
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                p.iter().map(|b| b.as_ref() as _).collect();
            let stmt = client.prepare(&pq.sql.text).expect("prepare");
            time(|| {
                let rows = client.query(&stmt, &refs).expect("query");
                let docs: Vec<Value> = rows
                    .iter()
                    .filter_map(|r| serde_json::from_str(r.get::<_, &str>(1)).ok())
                    .collect();
                pq.finish(docs).len()
            })
        })
        .collect();
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .expect("drop");
    out
}

fn main() {
    let n: usize = std::env::var("SCIMKIT_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let start = Instant::now();
    let docs = users(n);
    eprintln!("generated {n} users in {:?}", start.elapsed());
    let qs = queries(n);
    let mut columns: Vec<(String, Vec<(Duration, usize)>)> = Vec::new();
    for (label, map) in [
        ("indexed columns", ColumnMap::all()),
        ("no columns", ColumnMap::none()),
    ] {
        let t = Instant::now();
        columns.push((format!("SQLite, {label}"), sqlite(&docs, map, &qs)));
        eprintln!("SQLite, {label}: {:?}", t.elapsed());
    }
    match std::env::var("SCIMKIT_PG_URL") {
        Ok(url) => {
            for (label, tag, map) in [
                ("indexed columns", "all", ColumnMap::all()),
                ("no columns", "none", ColumnMap::none()),
            ] {
                let t = Instant::now();
                columns.push((
                    format!("PostgreSQL, {label}"),
                    postgres(&url, &docs, map, tag, &qs),
                ));
                eprintln!("PostgreSQL, {label}: {:?}", t.elapsed());
            }
        }
        Err(_) => eprintln!(
            "*** PostgreSQL skipped: SCIMKIT_PG_URL is not set (source .ci/postgres.sh) ***"
        ),
    }
    print!("| query ({n} users) |");
    for (name, _) in &columns {
        print!(" {name} |");
    }
    println!();
    print!("|---|");
    for _ in &columns {
        print!("---|");
    }
    println!();
    for (i, q) in qs.iter().enumerate() {
        print!("| {} |", q.name);
        for (_, results) in &columns {
            let (d, rows) = results[i];
            print!(" {} ({rows} rows) |", show(d));
        }
        println!();
    }
}
