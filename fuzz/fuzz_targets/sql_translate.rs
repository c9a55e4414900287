//! Fuzz scimkit-sql: any filter the parser accepts and the User schema
//! compiles translates without panic (with a sort and a keyset position),
//! the produced SQL prepares and runs on SQLite, and its rows are the ones
//! the evaluator accepts; a filter that does not compile is refused by the
//! translator too.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scimkit_filter::{Filter, KeysetOrder, SortSpec};
use scimkit_schema::ResourceSchema;
use scimkit_sql::{register_functions, Dialect, Position, Select, Table};
use serde_json::{json, Value};

fn docs() -> &'static [Value] {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        vec![
            json!({"id": "1", "userName": "bjensen", "title": "Tour Guide", "active": true,
                   "emails": [{"type": "work", "value": "b@example.com", "primary": true}],
                   "meta": {"created": "2011-05-13T04:42:34Z"},
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}}),
            json!({"id": "2", "USERNAME": "Zoe\u{308}", "emails": [], "name": {"familyName": "O'Malley"}}),
            json!({"id": "3", "userName": null, "emails": [{"type": null}, "x"], "title": ""}),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(filter) = Filter::parse(text) else {
        return;
    };
    let schema = ResourceSchema::user();
    let table = Table::new("users").unwrap();
    let compiled = filter.compile(schema);
    let select = Select::new(&table, schema).filter(&filter);
    let Ok(compiled) = compiled else {
        assert!(select.to_sql().is_err(), "{text}");
        return;
    };
    let sort = SortSpec::from_query("userName", Some("descending")).unwrap();
    let order = KeysetOrder::new(sort.compile(schema).unwrap());
    let position = Position::after(order.sort_values(&docs()[0]), "1");
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    register_functions(&conn).unwrap();
    for ddl in table.ddl(Dialect::Sqlite) {
        conn.execute(&ddl, []).unwrap();
    }
    for d in docs() {
        let ins = table.insert(Dialect::Sqlite, d).unwrap();
        conn.execute(&ins.text, rusqlite::params_from_iter(&ins.params))
            .unwrap();
    }
    for sql in [
        select.to_sql().unwrap(),
        select.count_sql().unwrap(),
        select.clone().sort(&sort).position(&position).limit(2).to_sql().unwrap(),
    ] {
        let mut stmt = conn.prepare(&sql.text).unwrap();
        let mut rows = stmt.query(rusqlite::params_from_iter(&sql.params)).unwrap();
        while rows.next().unwrap().is_some() {}
    }
    let sql = select.to_sql().unwrap();
    let mut stmt = conn.prepare(&sql.text).unwrap();
    let got: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(&sql.params), |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want: Vec<String> = docs()
        .iter()
        .filter(|d| compiled.matches(d))
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, want, "{text}");
});
