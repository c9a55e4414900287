//! scimkit-sql: translation time per filter of the shared corpus (filter
//! compiled and translated to a SQLite `SELECT`, with a sort and a keyset
//! position), and one query on SQLite over the corpus users.

use criterion::{criterion_group, criterion_main, Criterion};
use scimkit_filter::{Filter, SortSpec};
use scimkit_schema::{ResourceSchema, SortValue};
use scimkit_sql::{register_functions, Dialect, Position, Select, Table};
use std::hint::black_box;

const FILTERS: &str = include_str!("../../crates/scimkit-sql/tests/data/filters.txt");
const USERS: &str = include_str!("../../crates/scimkit-sql/tests/data/users.json");

fn translate(c: &mut Criterion) {
    let schema = ResourceSchema::user();
    let table = Table::new("users").unwrap();
    let filters: Vec<Filter> = FILTERS
        .lines()
        .filter_map(|l| Filter::parse(l).ok())
        .filter(|f| f.compile(schema).is_ok())
        .collect();
    let sort = SortSpec::from_query("userName", None).unwrap();
    let position = Position::after(vec![SortValue::from("user500")], "x");
    let mut g = c.benchmark_group("sql");
    g.bench_function(
        "translate corpus, whole (per filter: divide by corpus size)",
        |b| {
            b.iter(|| {
                for f in &filters {
                    black_box(Select::new(&table, schema).filter(f).to_sql().unwrap());
                }
            })
        },
    );
    let typical = Filter::parse(
        r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
    )
    .unwrap();
    g.bench_function("translate typical + sort + position + limit", |b| {
        b.iter(|| {
            black_box(
                Select::new(&table, schema)
                    .filter(&typical)
                    .sort(&sort)
                    .position(&position)
                    .limit(100)
                    .to_sql()
                    .unwrap(),
            )
        })
    });
    let eq = Filter::parse(r#"userName eq "user500""#).unwrap();
    g.bench_function("translate userName eq", |b| {
        b.iter(|| black_box(Select::new(&table, schema).filter(&eq).to_sql().unwrap()))
    });

    let conn = rusqlite::Connection::open_in_memory().unwrap();
    register_functions(&conn).unwrap();
    for ddl in table.ddl(Dialect::Sqlite) {
        conn.execute(&ddl, []).unwrap();
    }
    let users: Vec<serde_json::Value> = serde_json::from_str(USERS).unwrap();
    for u in &users {
        let ins = table.insert(Dialect::Sqlite, u).unwrap();
        conn.execute(&ins.text, rusqlite::params_from_iter(&ins.params))
            .unwrap();
    }
    for (name, filter) in [
        ("query 1,000 users: userName eq (index)", &eq),
        ("query 1,000 users: typical (scan)", &typical),
    ] {
        let sql = Select::new(&table, schema).filter(filter).to_sql().unwrap();
        let mut stmt = conn.prepare(&sql.text).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut rows = stmt.query(rusqlite::params_from_iter(&sql.params)).unwrap();
                let mut n = 0;
                while rows.next().unwrap().is_some() {
                    n += 1;
                }
                black_box(n)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, translate);
criterion_main!(benches);
