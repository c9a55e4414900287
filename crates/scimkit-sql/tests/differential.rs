//! Differential tests: the ids SQLite returns for a filter are exactly the
//! ids `CompiledFilter::matches` accepts, on the filter crate's evaluation
//! vectors, the shared benchmark corpus (1,000 generated users), and
//! generated filters, with and without the column map. Zero mismatches.

use std::collections::BTreeSet;

use proptest::prelude::*;
use rusqlite::Connection;
use scimkit_filter::Filter;
use scimkit_schema::ResourceSchema;
use scimkit_sql::{register_functions, ColumnMap, Dialect, Select, Table};
use serde_json::{json, Value};

const USERS: &str = include_str!("data/users.json");
const FILTERS: &str = include_str!("data/filters.txt");
const VECTORS: &str = include_str!("data/filter-eval.json");

struct Db {
    conn: Connection,
    table: Table,
}

impl Db {
    fn new(columns: ColumnMap) -> Self {
        let conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        let table = Table::new("resources").unwrap().with_columns(columns);
        for s in table.ddl(Dialect::Sqlite) {
            // The unique userName index would refuse some vector documents
            // that share a userName: this table stores them all.
            if !s.contains("UNIQUE") {
                conn.execute(&s, []).unwrap();
            }
        }
        Self { conn, table }
    }

    fn clear(&self) {
        self.conn.execute("DELETE FROM resources", []).unwrap();
    }

    fn insert(&self, doc: &Value) {
        let sql = self.table.insert(Dialect::Sqlite, doc).unwrap();
        self.conn
            .execute(&sql.text, rusqlite::params_from_iter(&sql.params))
            .unwrap();
    }

    fn ids(&self, filter: &Filter, schema: &ResourceSchema) -> BTreeSet<String> {
        let sql = Select::new(&self.table, schema)
            .filter(filter)
            .to_sql()
            .unwrap();
        let mut stmt = self.conn.prepare(&sql.text).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&sql.params), |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    }
}

fn expected(filter: &Filter, schema: &ResourceSchema, docs: &[Value]) -> BTreeSet<String> {
    let compiled = filter.compile(schema).unwrap();
    docs.iter()
        .filter(|d| compiled.matches(d))
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

fn users() -> Vec<Value> {
    serde_json::from_str(USERS).unwrap()
}

/// Documents that exercise the edges: unassigned forms, key case,
/// decomposed text, offsets, numbers, odd types.
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
        json!({"id": "e14", "userName": "a\u{0}b", "title": "%_\\'\"", "ims": [{"value": "x", "type": "xmpp"}, {"type": null}]}),
        json!({"id": "e15", "meta": {"created": "2011-05-13T04:42:34Z"}, "x509Certificates": [{"value": "QQ=="}]}),
    ]
}

#[test]
fn filter_eval_vectors_match_the_evaluator() {
    let cases: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    let (mut run, mut skipped_schemaless, mut not_compiling) = (0, 0, 0);
    for columns in [ColumnMap::all(), ColumnMap::none()] {
        let db = Db::new(columns);
        for (i, case) in cases.iter().enumerate() {
            let schemas: Vec<&str> = match case.get("schema") {
                None => vec!["User"],
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                Some(_) => panic!("bad schema"),
            };
            let Ok(filter) = Filter::parse(case["filter"].as_str().unwrap()) else {
                not_compiling += 1;
                continue;
            };
            let mut doc = case["resource"].clone();
            if !doc.get("id").is_some_and(Value::is_string) {
                doc["id"] = json!(format!("case-{i}"));
            }
            for name in schemas {
                let schema = match name {
                    "User" => ResourceSchema::user(),
                    "Group" => ResourceSchema::group(),
                    _ => {
                        skipped_schemaless += 1;
                        continue;
                    }
                };
                if filter.compile(schema).is_err() {
                    not_compiling += 1;
                    // The translator refuses exactly what compiling refuses.
                    let e = Select::new(&db.table, schema).filter(&filter).to_sql();
                    assert!(e.is_err(), "{}", case["name"]);
                    continue;
                }
                db.clear();
                db.insert(&doc);
                let want = expected(&filter, schema, std::slice::from_ref(&doc));
                assert_eq!(db.ids(&filter, schema), want, "case {}", case["name"]);
                run += 1;
            }
        }
    }
    eprintln!("vectors: {run} checked, {not_compiling} not compiling, {skipped_schemaless} schemaless skipped");
    assert!(run > 200);
}

#[test]
fn shared_corpus_matches_the_evaluator() {
    let mut docs = users();
    docs.extend(edge_docs());
    let schema = ResourceSchema::user();
    let mut checked = 0;
    for columns in [ColumnMap::all(), ColumnMap::none()] {
        let db = Db::new(columns);
        for d in &docs {
            db.insert(d);
        }
        for line in FILTERS.lines().filter(|l| !l.trim().is_empty()) {
            let filter = Filter::parse(line).unwrap();
            if filter.compile(schema).is_err() {
                continue;
            }
            let want = expected(&filter, schema, &docs);
            assert_eq!(db.ids(&filter, schema), want, "filter {line}");
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked}");
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
        Just("\"%_\\\\'\\\"\"".to_owned()),
        Just("\"2011-05-13T04:42:34Z\"".to_owned()),
        Just("\"2011-05-13T06:42:34+02:00\"".to_owned()),
        Just("\"2016-01-01T00:00:00-05:00\"".to_owned()),
        Just("\"2020-06-01T12:00:00.5Z\"".to_owned()),
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
        "name.givenName",
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
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_filters_match_the_evaluator(text in filter_text(), all_columns in any::<bool>()) {
        thread_local! {
            static DBS: (Db, Db, Vec<Value>) = {
                let mut docs: Vec<Value> = users().into_iter().step_by(10).collect();
                docs.extend(edge_docs());
                let a = Db::new(ColumnMap::all());
                let b = Db::new(ColumnMap::none());
                for d in &docs { a.insert(d); b.insert(d); }
                (a, b, docs)
            };
        }
        let schema = ResourceSchema::user();
        let Ok(filter) = Filter::parse(&text) else { return Ok(()); };
        DBS.with(|(a, b, docs)| {
            let db = if all_columns { a } else { b };
            match filter.compile(schema) {
                Err(_) => prop_assert!(Select::new(&db.table, schema).filter(&filter).to_sql().is_err()),
                Ok(_) => prop_assert_eq!(db.ids(&filter, schema), expected(&filter, schema, docs), "filter {}", text),
            }
            Ok(())
        })?;
    }
}
