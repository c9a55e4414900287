//! Keyset paging through SQL: walking a sorted result with random page
//! sizes gives every row exactly once, in `KeysetOrder`, forwards and
//! backwards, and still every surviving row exactly once while rows are
//! inserted and deleted between pages.

use std::collections::{BTreeSet, HashSet};

use rusqlite::Connection;
use scimkit_filter::{Filter, KeysetOrder, SortOrder, SortSpec};
use scimkit_schema::ResourceSchema;
use scimkit_sql::{register_functions, ColumnMap, Dialect, Position, Select, Table};
use serde_json::{json, Value};

const USERS: &str = include_str!("data/users.json");

/// A small deterministic generator (no dependency needed for page sizes).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn docs() -> Vec<Value> {
    let users: Vec<Value> = serde_json::from_str(USERS).unwrap();
    let mut docs: Vec<Value> = users.into_iter().step_by(8).collect();
    // Ties, missing keys, case variants, offsets.
    docs.push(json!({"id": "t1", "userName": "TIE", "title": "Engineer", "meta": {"lastModified": "2015-01-01T01:00:00+01:00"}}));
    docs.push(json!({"id": "t2", "userName": "tie2", "title": "engineer", "meta": {"lastModified": "2015-01-01T00:00:00Z"}}));
    docs.push(json!({"id": "T3", "emails": [{"value": "Z@x"}, {"value": "a@x", "primary": true}]}));
    docs.push(json!({"id": "t4", "userName": null, "displayName": "zz", "active": false}));
    docs
}

struct Db {
    conn: Connection,
    table: Table,
}

impl Db {
    fn new(columns: ColumnMap, docs: &[Value]) -> Self {
        let conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        let table = Table::new("users").unwrap().with_columns(columns);
        for s in table.ddl(Dialect::Sqlite) {
            conn.execute(&s, []).unwrap();
        }
        let db = Self { conn, table };
        for d in docs {
            db.insert(d);
        }
        db
    }

    fn insert(&self, d: &Value) {
        let sql = self.table.insert(Dialect::Sqlite, d).unwrap();
        self.conn
            .execute(&sql.text, rusqlite::params_from_iter(&sql.params))
            .unwrap();
    }

    fn delete(&self, id: &str) {
        let sql = self.table.delete(Dialect::Sqlite, id);
        self.conn
            .execute(&sql.text, rusqlite::params_from_iter(&sql.params))
            .unwrap();
    }

    fn page(&self, select: &Select<'_>) -> Vec<Value> {
        let sql = select.to_sql().unwrap();
        let mut stmt = self.conn.prepare(&sql.text).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&sql.params), |r| {
                r.get::<_, String>(1)
            })
            .unwrap();
        rows.map(|r| serde_json::from_str(&r.unwrap()).unwrap())
            .collect()
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

const SORTS: [Option<(&str, &str)>; 10] = [
    None,
    Some(("userName", "ascending")),
    Some(("userName", "descending")),
    Some(("name.familyName", "ascending")),
    Some(("title", "descending")),
    Some(("meta.lastModified", "descending")),
    Some(("emails", "ascending")),
    Some(("displayName", "ascending")),
    Some(("active", "descending")),
    Some(("undefinedAttr", "ascending")),
];

#[test]
fn pages_walk_every_row_once_in_keyset_order() {
    let schema = ResourceSchema::user();
    let docs = docs();
    let mut rng = Lcg(7);
    let filters = [
        None,
        Some(Filter::parse(r#"userType eq "Employee" or title pr"#).unwrap()),
    ];
    for columns in [ColumnMap::all(), ColumnMap::none()] {
        let db = Db::new(columns, &docs);
        for sort in SORTS {
            let spec = sort.map(|(by, order)| SortSpec::from_query(by, Some(order)).unwrap());
            let order = KeysetOrder::from_sorter(spec.as_ref().map(|s| s.compile(schema).unwrap()));
            for filter in &filters {
                let compiled = filter.as_ref().map(|f| f.compile(schema).unwrap());
                let mut want: Vec<&Value> = docs
                    .iter()
                    .filter(|d| compiled.as_ref().is_none_or(|c| c.matches(d)))
                    .collect();
                order.sort(&mut want);
                let want: Vec<String> = want.into_iter().map(id).collect();

                let mut base = Select::new(&db.table, schema);
                if let Some(s) = &spec {
                    base = base.sort(s);
                }
                if let Some(f) = filter {
                    base = base.filter(f);
                }
                // Forwards.
                let mut got: Vec<String> = Vec::new();
                let mut position: Option<Position> = None;
                loop {
                    let size = 1 + rng.below(60);
                    let mut q = base.clone().limit(size);
                    if let Some(p) = &position {
                        q = q.position(p);
                    }
                    let page = db.page(&q);
                    let Some(last) = page.last() else { break };
                    position = Some(Position::after(order.sort_values(last), id(last)));
                    got.extend(page.iter().map(id));
                }
                assert_eq!(got, want, "forwards, sort {sort:?}");
                // Backwards from past the end.
                let mut back: Vec<String> = Vec::new();
                let last = docs.iter().find(|d| want.last() == Some(&id(d)));
                let mut position = last.map(|l| Position::after(order.sort_values(l), id(l)));
                back.extend(want.last().cloned());
                if let Some(p) = &mut position {
                    p.seek = scimkit_sql::Seek::Before;
                }
                while let Some(p) = &position {
                    let size = 1 + rng.below(60);
                    let page = db.page(&base.clone().limit(size).position(p));
                    let Some(first) = page.first() else { break };
                    position = Some(Position::before(order.sort_values(first), id(first)));
                    back.splice(0..0, page.iter().map(id));
                }
                assert_eq!(back, want, "backwards, sort {sort:?}");
            }
        }
    }
}

#[test]
fn inserts_and_deletes_between_pages_skip_and_repeat_nothing() {
    let schema = ResourceSchema::user();
    let docs = docs();
    let mut rng = Lcg(11);
    for sort in SORTS {
        let db = Db::new(ColumnMap::all(), &docs);
        let spec = sort.map(|(by, order)| SortSpec::from_query(by, Some(order)).unwrap());
        let order = KeysetOrder::from_sorter(spec.as_ref().map(|s| s.compile(schema).unwrap()));
        let mut base = Select::new(&db.table, schema);
        if let Some(s) = &spec {
            base = base.sort(s);
        }
        let mut alive: Vec<String> = docs.iter().map(id).collect();
        let mut survivors: BTreeSet<String> = alive.iter().cloned().collect();
        let mut seen: Vec<Value> = Vec::new();
        let mut seen_ids: HashSet<String> = HashSet::new();
        let mut position: Option<Position> = None;
        let mut fresh = 0;
        loop {
            let mut q = base.clone().limit(1 + rng.below(25));
            if let Some(p) = &position {
                q = q.position(p);
            }
            let page = db.page(&q);
            let Some(last) = page.last() else { break };
            position = Some(Position::after(order.sort_values(last), id(last)));
            for row in page {
                assert!(
                    seen_ids.insert(id(&row)),
                    "{} seen twice, sort {sort:?}",
                    id(&row)
                );
                seen.push(row);
            }
            // Mutate: delete two random rows, insert two new ones.
            for _ in 0..2 {
                let i = rng.below(alive.len() as u64) as usize;
                let gone = alive.swap_remove(i);
                db.delete(&gone);
                survivors.remove(&gone);
                fresh += 1;
                let n = rng.below(1000);
                let doc = json!({
                    "id": format!("new-{fresh:04}"),
                    "userName": format!("fresh{n}-{fresh}"),
                    "title": if n.is_multiple_of(2) { json!("Engineer") } else { json!(null) },
                    "name": {"familyName": format!("F{n}")},
                    "meta": {"lastModified": format!("2016-0{}-01T00:00:00Z", 1 + n % 9)},
                    "active": n.is_multiple_of(3),
                });
                db.insert(&doc);
                alive.push(id(&doc));
            }
        }
        for s in &survivors {
            assert!(
                seen_ids.contains(s),
                "survivor {s} never seen, sort {sort:?}"
            );
        }
        for pair in seen.windows(2) {
            assert_eq!(
                order.compare(&pair[0], &pair[1]),
                std::cmp::Ordering::Less,
                "out of order, sort {sort:?}"
            );
        }
    }
}

#[test]
fn position_arity_is_checked() {
    let schema = ResourceSchema::user();
    let table = Table::new("users").unwrap();
    let spec = SortSpec::from_query("userName", None).unwrap();
    let p = Position::after(vec![], "1");
    let e = Select::new(&table, schema)
        .sort(&spec)
        .position(&p)
        .to_sql()
        .unwrap_err();
    assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidCursor"));
    let p = Position::after(vec!["x".into()], "1");
    assert!(Select::new(&table, schema).position(&p).to_sql().is_err());
}

/// A cached page statement runs again without being prepared again: the
/// limit is written into the SQL, because SQLite re-prepares a statement
/// whose bound `LIMIT ?` is bound again (it plans with the value), which
/// cost a quarter of a filtered list request in scimkit-server.
#[test]
fn a_page_statement_is_not_prepared_again_when_run_again() {
    let db = Db::new(ColumnMap::all(), &docs());
    let schema = ResourceSchema::user();
    let filter = Filter::parse(r#"userName eq "bjensen" or title pr"#).unwrap();
    let sort = SortSpec::new("userName".parse().unwrap(), SortOrder::Ascending);
    let first = Select::new(&db.table, schema)
        .filter(&filter)
        .sort(&sort)
        .limit(3);
    let sql = first.to_sql().unwrap();
    let mut stmt = db.conn.prepare_cached(&sql.text).unwrap();
    let mut runs = 0;
    for _ in 0..3 {
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&sql.params), |r| {
                r.get::<_, String>(0)
            })
            .unwrap()
            .count();
        assert!(rows <= 3);
        runs += 1;
    }
    assert_eq!(runs, 3);
    assert_eq!(
        stmt.get_status(rusqlite::StatementStatus::RePrepare),
        0,
        "{}",
        sql.text
    );
}
