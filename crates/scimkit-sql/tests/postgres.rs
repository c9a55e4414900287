//! The differential and paging suites on a real PostgreSQL cluster: the
//! rows `Select::to_postgres` returns, after `PgQuery::finish` (residual
//! filter, in-memory order, position, limit), are exactly the evaluator's
//! and `KeysetOrder`'s. Zero mismatches.
//!
//! Runs when `SCIMKIT_PG_URL` is set (`.ci/postgres.sh` starts a cluster
//! and sets it; CI always does); otherwise each test says loudly that it
//! was skipped. Each test works in its own schema, so they run in
//! parallel.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};

use postgres::types::ToSql;
use postgres::{Client, NoTls};
use proptest::prelude::*;
use scimkit_filter::{Filter, KeysetOrder, SortSpec};
use scimkit_schema::ResourceSchema;
use scimkit_sql::{ColumnMap, Dialect, Position, Select, Sql, SqlValue, Table};
use serde_json::{json, Value};

const USERS: &str = include_str!("data/users.json");
const FILTERS: &str = include_str!("data/filters.txt");
const VECTORS: &str = include_str!("data/filter-eval.json");

fn params(sql: &Sql) -> Vec<Box<dyn ToSql + Sync>> {
    sql.params
        .iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                SqlValue::Null => Box::new(None::<String>),
                SqlValue::Integer(i) => Box::new(*i),
                SqlValue::Real(f) => Box::new(*f),
                SqlValue::Text(s) => Box::new(s.clone()),
            }
        })
        .collect()
}

fn refs(p: &[Box<dyn ToSql + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    p.iter()
        .map(|b| b.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// PostgreSQL's `jsonb` cannot hold U+0000 in a string: such documents
/// cannot be stored there at all (documented), so the suite leaves them out.
fn storable(doc: &Value) -> bool {
    !doc.to_string().contains("\\u0000")
}

struct Db {
    client: Client,
    table: Table,
}

impl Db {
    /// A connection working in a fresh schema `tag`; `None` (and a loud
    /// message) without `SCIMKIT_PG_URL`.
    fn new(tag: &str, columns: ColumnMap, unique: bool) -> Option<Self> {
        let Ok(url) = std::env::var("SCIMKIT_PG_URL") else {
            eprintln!(
                "\n*** SKIPPED {tag}: SCIMKIT_PG_URL is not set; run `source .ci/postgres.sh` \
                 (CI always sets it) ***\n"
            );
            return None;
        };
        let mut client = Client::connect(&url, NoTls).expect("connect to SCIMKIT_PG_URL");
        let schema = format!("t_{tag}_{}", std::process::id());
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema}"
            ))
            .unwrap();
        let table = Table::new("resources").unwrap().with_columns(columns);
        for s in table.ddl(Dialect::Postgres) {
            if unique || !s.contains("UNIQUE") {
                client.batch_execute(&s).unwrap();
            }
        }
        Some(Self { client, table })
    }

    fn execute(&mut self, sql: &Sql) {
        let p = params(sql);
        self.client.execute(sql.text.as_str(), &refs(&p)).unwrap();
    }

    fn insert(&mut self, doc: &Value) {
        let sql = self.table.insert(Dialect::Postgres, doc).unwrap();
        self.execute(&sql);
    }

    fn delete(&mut self, id: &str) {
        let sql = self.table.delete(Dialect::Postgres, id);
        self.execute(&sql);
    }

    fn clear(&mut self) {
        self.client.batch_execute("DELETE FROM resources").unwrap();
    }

    /// The page's documents, and whether the SQL alone was exact.
    fn page(&mut self, select: &Select<'_>) -> (Vec<Value>, bool) {
        let q = select.to_postgres().unwrap();
        let p = params(&q.sql);
        let rows = self
            .client
            .query(q.sql.text.as_str(), &refs(&p))
            .unwrap_or_else(|e| panic!("{e}: {}", q.sql.text));
        let docs: Vec<Value> = rows
            .iter()
            .map(|r| serde_json::from_str(r.get::<_, &str>(1)).unwrap())
            .collect();
        (q.finish(docs), q.residual.is_none())
    }

    fn ids(&mut self, filter: &Filter, schema: &ResourceSchema) -> (BTreeSet<String>, bool) {
        let table = self.table.clone();
        let (docs, exact) = self.page(&Select::new(&table, schema).filter(filter));
        (docs.iter().map(id).collect(), exact)
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn expected(filter: &Filter, schema: &ResourceSchema, docs: &[Value]) -> BTreeSet<String> {
    let compiled = filter.compile(schema).unwrap();
    docs.iter()
        .filter(|d| compiled.matches(d))
        .map(id)
        .collect()
}

fn users() -> Vec<Value> {
    serde_json::from_str(USERS).unwrap()
}

/// The SQLite suite's edge documents (less the one PostgreSQL cannot store).
fn edge_docs() -> Vec<Value> {
    let ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    vec![
        json!({"id": "e1", "userName": null, "title": "", "emails": [], "name": {}}),
        json!({"id": "e2", "USERNAME": "BJensen", "Title": "Tour Guide", "EMAILS": [{"VALUE": "X@Example.COM", "Type": "WORK"}]}),
        json!({"id": "e3", "userName": "Zoe\u{308}", "displayName": "ZOË", "name": {"familyName": "O'Malley"}}),
        json!({"id": "e4", "meta": {"created": "2011-05-13T06:42:34+02:00", "lastModified": "2011-05-13T04:42:34.5Z"}}),
        json!({"id": "e5", "meta": {"created": "not a date", "lastModified": ["2011-05-13T04:42:34Z"]}}),
        json!({"id": "e6", "emails": [{"value": "a@x.org"}, {"type": "work"}, "loose", null, [1]]}),
        json!({"id": "e7", "emails": {"value": "single@example.com", "type": "work"}, "active": "true"}),
        json!({"id": "e8", ent: {"employeeNumber": "701984", "manager": {"value": "m1"}}, "x": 3}),
        json!({"id": "e9", ent: "not an object", "employeeNumber": "1"}),
        json!({"id": "e10", "userName": ["a", "b"], "externalId": 5, "displayName": 1.5}),
        json!({"id": "e11", "userName": "ＢＪＥＮＳＥＮ", "externalId": "ABC", "displayName": "straße"}),
        json!({"id": "e12", "displayName": "STRASSE", "name": {"familyName": ["Ab", "cd"]}, "emails": [{"value": ""}]}),
        json!({"id": "e13", "schemas": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"], "phoneNumbers": [{"value": "+1", "primary": true}]}),
        json!({"id": "e14", "userName": "a\u{1}b", "title": "%_\\'\"", "ims": [{"value": "x", "type": "xmpp"}, {"type": null}]}),
        json!({"id": "e15", "meta": {"created": "2011-05-13T04:42:34Z"}, "x509Certificates": [{"value": "QQ=="}]}),
        json!({"id": "e16", "externalId": "abc", "userType": "Employee", "title": ["Ab", "b"], "nickName": {"x": [""]}}),
    ]
}

#[test]
fn pg_filter_eval_vectors_match_the_evaluator() {
    let cases: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    let (mut run, mut exact, mut unstorable) = (0, 0, 0);
    for (tag, columns) in [
        ("vec_all", ColumnMap::all()),
        ("vec_none", ColumnMap::none()),
    ] {
        let Some(mut db) = Db::new(tag, columns, false) else {
            return;
        };
        for (i, case) in cases.iter().enumerate() {
            let schemas: Vec<&str> = match case.get("schema") {
                None => vec!["User"],
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                Some(_) => panic!("bad schema"),
            };
            let Ok(filter) = Filter::parse(case["filter"].as_str().unwrap()) else {
                continue;
            };
            let mut doc = case["resource"].clone();
            if !doc.get("id").is_some_and(Value::is_string) {
                doc["id"] = json!(format!("case-{i}"));
            }
            if !storable(&doc) {
                unstorable += 1;
                continue;
            }
            for name in schemas {
                let schema = match name {
                    "User" => ResourceSchema::user(),
                    "Group" => ResourceSchema::group(),
                    _ => continue,
                };
                if filter.compile(schema).is_err() {
                    let e = Select::new(&db.table, schema).filter(&filter).to_postgres();
                    assert!(e.is_err(), "{}", case["name"]);
                    continue;
                }
                db.clear();
                db.insert(&doc);
                let want = expected(&filter, schema, std::slice::from_ref(&doc));
                let (got, was_exact) = db.ids(&filter, schema);
                assert_eq!(got, want, "case {}", case["name"]);
                run += 1;
                exact += usize::from(was_exact);
            }
        }
    }
    eprintln!(
        "postgres vectors: {run} checked ({exact} exact in SQL), {unstorable} unstorable in jsonb"
    );
    assert!(run > 200);
}

#[test]
fn pg_shared_corpus_matches_the_evaluator() {
    let mut docs = users();
    docs.extend(edge_docs());
    let schema = ResourceSchema::user();
    let (mut checked, mut exact) = (0, 0);
    for (tag, columns) in [
        ("corpus_all", ColumnMap::all()),
        ("corpus_none", ColumnMap::none()),
    ] {
        let Some(mut db) = Db::new(tag, columns, false) else {
            return;
        };
        for d in &docs {
            db.insert(d);
        }
        for line in FILTERS.lines().filter(|l| !l.trim().is_empty()) {
            let filter = Filter::parse(line).unwrap();
            if filter.compile(schema).is_err() {
                continue;
            }
            let want = expected(&filter, schema, &docs);
            let (got, was_exact) = db.ids(&filter, schema);
            assert_eq!(got, want, "filter {line}");
            checked += 1;
            exact += usize::from(was_exact);
        }
    }
    eprintln!("postgres corpus: {checked} filters checked ({exact} exact in SQL)");
    assert!(checked >= 60, "{checked}");
}

/// Conditions PostgreSQL answers exactly leave no residual, and the rows
/// are still the evaluator's.
#[test]
fn pg_exact_conditions_have_no_residual() {
    let Some(mut db) = Db::new("exact", ColumnMap::all(), false) else {
        return;
    };
    let mut docs = users().into_iter().step_by(20).collect::<Vec<_>>();
    docs.extend(edge_docs());
    for d in &docs {
        db.insert(d);
    }
    let schema = ResourceSchema::user();
    for (text, exact) in [
        (r#"externalId eq "abc""#, true),
        (r#"externalId sw "a" and not (externalId ew "c")"#, true),
        (r#"externalId gt "a" or title pr"#, true),
        (r#"emails[value pr] and not (nickName pr)"#, true),
        (r#"name.familyName eq null or emails.type ne null"#, true),
        (r#"userName eq "bjensen""#, false),
        (r#"not (title eq "engineer")"#, false),
        (r#"meta.created gt "2011-05-13T04:00:00Z""#, false),
        (r#"undefinedAttr eq "x" or id pr"#, true),
    ] {
        let filter = Filter::parse(text).unwrap();
        let (got, was_exact) = db.ids(&filter, schema);
        assert_eq!(got, expected(&filter, schema, &docs), "{text}");
        assert_eq!(was_exact, exact, "{text}");
    }
}

/// `count_postgres` counts exactly what the evaluator matches when nothing
/// is residual, and says `None` exactly when something is.
#[test]
fn pg_count_matches_the_evaluator_or_defers() {
    let Some(mut db) = Db::new("count", ColumnMap::all(), false) else {
        return;
    };
    let mut docs = users();
    docs.extend(edge_docs());
    for d in &docs {
        db.insert(d);
    }
    let schema = ResourceSchema::user();
    let (mut counted, mut deferred) = (0, 0);
    let extra = [
        r#"externalId eq "abc""#,
        r#"emails[value pr] and not (nickName pr)"#,
        "id pr",
    ];
    let lines = FILTERS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .chain(extra)
        .map(str::to_owned)
        .chain([String::new()]);
    for line in lines {
        let filter = (!line.is_empty()).then(|| Filter::parse(&line).unwrap());
        if filter.as_ref().is_some_and(|f| f.compile(schema).is_err()) {
            continue;
        }
        let table = db.table.clone();
        let mut select = Select::new(&table, schema);
        if let Some(f) = &filter {
            select = select.filter(f);
        }
        let want = match &filter {
            Some(f) => expected(f, schema, &docs).len(),
            None => docs.len(),
        };
        let residual = select.to_postgres().unwrap().residual.is_some();
        match select.count_postgres().unwrap() {
            Some(sql) => {
                assert!(!residual, "{line}");
                let p = params(&sql);
                let n: i64 = db
                    .client
                    .query_one(sql.text.as_str(), &refs(&p))
                    .unwrap()
                    .get(0);
                assert_eq!(usize::try_from(n).unwrap(), want, "count {line}");
                counted += 1;
            }
            None => {
                assert!(residual, "{line}");
                assert_eq!(db.page(&select).0.len(), want, "{line}");
                deferred += 1;
            }
        }
    }
    eprintln!("postgres count: {counted} counted in SQL, {deferred} residual");
    assert!(counted >= 5 && deferred >= 5, "{counted} {deferred}");
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"bjensen\"".to_owned()),
        Just("\"BJENSEN\"".to_owned()),
        Just("\"ＢＪＥＮＳＥＮ\"".to_owned()),
        Just("\"user1\"".to_owned()),
        Just("\"u\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"work\"".to_owned()),
        Just("\"example.com\"".to_owned()),
        Just("\"o'malley\"".to_owned()),
        Just("\"Zoë\"".to_owned()),
        Just("\"strasse\"".to_owned()),
        Just("\"abc\"".to_owned()),
        Just("\"%_\\\\'\\\"\"".to_owned()),
        Just("\"2011-05-13T04:42:34Z\"".to_owned()),
        Just("\"2011-05-13T06:42:34+02:00\"".to_owned()),
        Just("\"2016-01-01T00:00:00-05:00\"".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("null".to_owned()),
        Just("1".to_owned()),
        Just("1.5".to_owned()),
        "[a-zA-Z0-9@.]{0,4}".prop_map(|s| format!("\"{s}\"")),
    ]
}

fn path() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "userName",
        "USERNAME",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName",
        "displayName",
        "externalId",
        "id",
        "title",
        "userType",
        "active",
        "name.familyName",
        "name",
        "emails",
        "emails.value",
        "emails.type",
        "emails.primary",
        "ims.type",
        "phoneNumbers.value",
        "meta.created",
        "meta.lastModified",
        "schemas",
        "x509Certificates.value",
        "employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "undefinedAttr",
    ])
}

fn leaf() -> impl Strategy<Value = String> {
    let ops = prop::sample::select(vec!["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
    prop_oneof![
        (path(), ops, literal()).prop_map(|(p, o, l)| format!("{p} {o} {l}")),
        path().prop_map(|p| format!("{p} pr")),
        (
            prop::sample::select(vec![
                "emails",
                "ims",
                "phoneNumbers",
                "name",
                "x509Certificates"
            ]),
            prop::sample::select(vec!["value", "type", "primary", "givenName", "display"]),
            prop::sample::select(vec!["eq", "ne", "co", "sw", "pr"]),
            literal()
        )
            .prop_map(|(p, s, o, l)| if o == "pr" {
                format!("{p}[{s} pr]")
            } else {
                format!("{p}[{s} {o} {l}]")
            }),
    ]
}

fn filter_text() -> impl Strategy<Value = String> {
    leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

type Dbs = Option<(RefCell<Db>, RefCell<Db>, Vec<Value>)>;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn pg_generated_filters_match_the_evaluator(text in filter_text(), all_columns in any::<bool>()) {
        thread_local! {
            static DBS: Dbs = {
                let mut docs: Vec<Value> = users().into_iter().step_by(10).collect();
                docs.extend(edge_docs());
                match (Db::new("gen_all", ColumnMap::all(), false), Db::new("gen_none", ColumnMap::none(), false)) {
                    (Some(mut a), Some(mut b)) => {
                        for d in &docs { a.insert(d); b.insert(d); }
                        Some((RefCell::new(a), RefCell::new(b), docs))
                    }
                    _ => None,
                }
            };
        }
        let schema = ResourceSchema::user();
        let Ok(filter) = Filter::parse(&text) else { return Ok(()); };
        DBS.with(|dbs| {
            let Some((a, b, docs)) = dbs else { return Ok(()) };
            let mut db = if all_columns { a.borrow_mut() } else { b.borrow_mut() };
            match filter.compile(schema) {
                Err(_) => prop_assert!(Select::new(&db.table, schema).filter(&filter).to_postgres().is_err()),
                Ok(_) => prop_assert_eq!(db.ids(&filter, schema).0, expected(&filter, schema, docs), "filter {}", text),
            }
            Ok(())
        })?;
    }
}

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

fn paging_docs() -> Vec<Value> {
    let mut docs: Vec<Value> = users().into_iter().step_by(8).collect();
    docs.push(json!({"id": "t1", "userName": "TIE", "title": "Engineer", "meta": {"lastModified": "2015-01-01T01:00:00+01:00"}}));
    docs.push(json!({"id": "t2", "userName": "tie2", "title": "engineer", "meta": {"lastModified": "2015-01-01T00:00:00Z"}}));
    docs.push(json!({"id": "T3", "emails": [{"value": "Z@x"}, {"value": "a@x", "primary": true}]}));
    docs.push(json!({"id": "t4", "userName": null, "displayName": "zz", "active": false}));
    docs
}

const SORTS: [Option<(&str, &str)>; 6] = [
    None,
    Some(("userName", "ascending")),
    Some(("userName", "descending")),
    Some(("title", "descending")),
    Some(("meta.lastModified", "descending")),
    Some(("emails", "ascending")),
];

#[test]
fn pg_pages_walk_every_row_once_in_keyset_order() {
    let schema = ResourceSchema::user();
    let docs = paging_docs();
    let mut rng = Lcg(7);
    let filters = [
        None,
        Some(Filter::parse(r#"userType eq "Employee" or title pr"#).unwrap()),
        Some(Filter::parse(r#"externalId pr or not (title pr)"#).unwrap()),
    ];
    let Some(mut db) = Db::new("pages", ColumnMap::all(), true) else {
        return;
    };
    for d in &docs {
        db.insert(d);
    }
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
            let table = db.table.clone();
            let mut base = Select::new(&table, schema);
            if let Some(s) = &spec {
                base = base.sort(s);
            }
            if let Some(f) = filter {
                base = base.filter(f);
            }
            let mut got: Vec<String> = Vec::new();
            let mut position: Option<Position> = None;
            loop {
                let mut q = base.clone().limit(1 + rng.below(60));
                if let Some(p) = &position {
                    q = q.position(p);
                }
                let (page, _) = db.page(&q);
                let Some(last) = page.last() else { break };
                position = Some(Position::after(order.sort_values(last), id(last)));
                got.extend(page.iter().map(id));
            }
            assert_eq!(got, want, "forwards, sort {sort:?}, filter {filter:?}");
            let mut back: Vec<String> = want.last().cloned().into_iter().collect();
            let last = docs.iter().find(|d| want.last() == Some(&id(d)));
            let mut position = last.map(|l| Position::before(order.sort_values(l), id(l)));
            while let Some(p) = &position {
                let (page, _) = db.page(&base.clone().limit(1 + rng.below(60)).position(p));
                let Some(first) = page.first() else { break };
                position = Some(Position::before(order.sort_values(first), id(first)));
                back.splice(0..0, page.iter().map(id));
            }
            assert_eq!(back, want, "backwards, sort {sort:?}, filter {filter:?}");
        }
    }
}

#[test]
fn pg_inserts_and_deletes_between_pages_skip_and_repeat_nothing() {
    let schema = ResourceSchema::user();
    let docs = paging_docs();
    let mut rng = Lcg(11);
    for (n, sort) in SORTS.into_iter().enumerate() {
        let Some(mut db) = Db::new(&format!("mutate{n}"), ColumnMap::all(), true) else {
            return;
        };
        for d in &docs {
            db.insert(d);
        }
        let spec = sort.map(|(by, order)| SortSpec::from_query(by, Some(order)).unwrap());
        let order = KeysetOrder::from_sorter(spec.as_ref().map(|s| s.compile(schema).unwrap()));
        let table = db.table.clone();
        let mut base = Select::new(&table, schema);
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
            let (page, _) = db.page(&q);
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
                    "meta": {"lastModified": format!("2016-0{}-01T00:00:00Z", 1 + n % 9)},
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
