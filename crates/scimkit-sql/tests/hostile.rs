//! No value reaches SQL text: the text of a translated query does not
//! depend on the filter's literals, the cursor position or the document,
//! and hostile strings (quotes, backslashes, NUL, `%`, `_`, Unicode) are
//! matched as the evaluator matches them.

use proptest::prelude::*;
use rusqlite::Connection;
use scimkit_filter::{CompValue, CompareOp, Filter, SortSpec};
use scimkit_schema::{AttrPath, ResourceSchema, SortValue};
use scimkit_sql::{register_functions, Dialect, MemberType, Memberships, Position, Select, Table};
use serde_json::json;

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "'", "''", "\"", "\\", "\0", "%", "_", "--", "/*", ";", "?1", "$1", "é", "e\u{301}", "ß",
        "😀", "ＢＪ", " OR 1=1", "x",
    ]);
    prop::collection::vec(piece, 1..6).prop_map(|p| p.concat())
}

fn filters(text: &str) -> Vec<Filter> {
    let s = || CompValue::String(text.into());
    let path = |p: &str| AttrPath::parse(p).unwrap();
    let mut out = Vec::new();
    for p in [
        "userName",
        "displayName",
        "title",
        "emails.value",
        "employeeNumber",
    ] {
        for op in [
            CompareOp::Eq,
            CompareOp::Ne,
            CompareOp::Co,
            CompareOp::Sw,
            CompareOp::Ew,
            CompareOp::Gt,
        ] {
            out.push(Filter::compare(path(p), op, s()));
        }
    }
    out.push(Filter::value_path(
        path("emails"),
        Filter::compare(path("value"), CompareOp::Eq, s()),
    ));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sql_text_never_holds_a_value(text in hostile()) {
        let schema = ResourceSchema::user();
        let table = Table::new("users").unwrap();
        let conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        for s in table.ddl(Dialect::Sqlite) {
            conn.execute(&s, []).unwrap();
        }
        let doc = json!({"id": text, "userName": text, "displayName": text, "title": text,
                         "emails": [{"value": text}],
                         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": text}});
        let ins = table.insert(Dialect::Sqlite, &doc).unwrap();
        prop_assert_eq!(&ins.text, &table.insert(Dialect::Sqlite, &json!({"id": "x"})).unwrap().text);
        conn.execute(&ins.text, rusqlite::params_from_iter(&ins.params)).unwrap();
        let sort = SortSpec::from_query("userName", None).unwrap();
        let position = Position::after(vec![SortValue::from(text.as_str())], text.clone());
        let benign_position = Position::after(vec![SortValue::from("x")], "x");
        for (f, benign) in filters(&text).iter().zip(filters("x")) {
            let q = Select::new(&table, schema).filter(f).sort(&sort);
            let sql = q.clone().to_sql().unwrap();
            let b = Select::new(&table, schema).filter(&benign).sort(&sort).to_sql().unwrap();
            // The text is the same whatever the values are.
            prop_assert_eq!(&sql.text, &b.text);
            let paged = q.clone().position(&position).to_sql().unwrap();
            let paged_b = Select::new(&table, schema).filter(&benign).sort(&sort)
                .position(&benign_position).to_sql().unwrap();
            prop_assert_eq!(&paged.text, &paged_b.text);
            // And it runs, answering as the evaluator does.
            let want = f.compile(schema).unwrap().matches(&doc);
            let n: i64 = conn
                .query_row(&q.count_sql().unwrap().text, rusqlite::params_from_iter(&q.count_sql().unwrap().params), |r| r.get(0))
                .unwrap();
            prop_assert_eq!(n == 1, want, "{}", f);
            let mut stmt = conn.prepare(&paged.text).unwrap();
            let after: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(&paged.params), |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            // The only row is the position itself: nothing lies after it.
            prop_assert!(after.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The PostgreSQL translation binds every value too: its text is the
    /// same whatever the filter's literals and the position are (the
    /// postgres suite runs such queries on a real cluster).
    #[test]
    fn postgres_text_never_holds_a_value(text in hostile()) {
        let schema = ResourceSchema::user();
        let table = Table::new("users").unwrap();
        let doc = json!({"id": text, "userName": text});
        match table.insert(Dialect::Postgres, &doc) {
            // jsonb cannot hold U+0000: refused before the database sees it.
            Err(e) => prop_assert!(text.contains('\0') && e.detail().unwrap_or_default().contains("U+0000")),
            Ok(ins) => prop_assert_eq!(&ins.text, &table.insert(Dialect::Postgres, &json!({"id": "x"})).unwrap().text),
        }
        // Membership statements and filters bind every value as well.
        let m = Memberships::new("memberships").unwrap();
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            prop_assert_eq!(
                m.insert(d, &text, &text, MemberType::User, Some(&text)).text,
                m.insert(d, "x", "x", MemberType::User, Some("x")).text
            );
        }
        let groups = Table::new("groups").unwrap().with_members(m);
        let member_filter = |t: &str| {
            Filter::value_path(
                AttrPath::parse("members").unwrap(),
                Filter::compare(AttrPath::parse("value").unwrap(), CompareOp::Co, CompValue::String(t.into())),
            )
        };
        let (f, b) = (member_filter(&text), member_filter("x"));
        let gs = ResourceSchema::group();
        prop_assert_eq!(
            Select::new(&groups, gs).filter(&f).to_sql().unwrap().text,
            Select::new(&groups, gs).filter(&b).to_sql().unwrap().text
        );
        prop_assert_eq!(
            Select::new(&groups, gs).filter(&f).to_postgres().unwrap().sql.text,
            Select::new(&groups, gs).filter(&b).to_postgres().unwrap().sql.text
        );
        let sort = SortSpec::from_query("userName", None).unwrap();
        let position = Position::after(vec![], text.clone());
        let benign_position = Position::after(vec![], "x");
        for (f, benign) in filters(&text).iter().zip(filters("x")) {
            let q = Select::new(&table, schema).filter(f);
            let b = Select::new(&table, schema).filter(&benign);
            prop_assert_eq!(
                &q.clone().position(&position).limit(3).to_postgres().unwrap().sql.text,
                &b.clone().position(&benign_position).limit(3).to_postgres().unwrap().sql.text
            );
            prop_assert_eq!(
                &q.sort(&sort).to_postgres().unwrap().sql.text,
                &b.sort(&sort).to_postgres().unwrap().sql.text
            );
        }
    }
}
