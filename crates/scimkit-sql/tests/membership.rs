//! Differential tests of the membership table: the ids SQLite and
//! PostgreSQL return for a filter on a Group table `with_members` (a User
//! table `with_groups`) are exactly the ids `CompiledFilter::matches`
//! accepts on the evaluator view: each document with `members` (`groups`)
//! replaced by its rows, `{value, type, display?}` in id order. Hand-picked
//! and generated filters, ids and displays that only compare equal
//! caselessly, stored documents carrying a stale `members` of their own.
//!
//! PostgreSQL runs when `SCIMKIT_PG_URL` is set (`.ci/postgres.sh`); else
//! it says loudly that it was skipped.

use std::collections::{BTreeMap, BTreeSet};

use postgres::types::ToSql;
use postgres::{Client, NoTls};
use proptest::prelude::*;
use rusqlite::Connection;
use scimkit_filter::{Filter, SortSpec};
use scimkit_schema::ResourceSchema;
use scimkit_sql::{
    register_functions, ColumnMap, Dialect, MemberType, Memberships, Select, Sql, SqlValue, Table,
};
use serde_json::{json, Map, Value};

const USERS: &str = include_str!("data/users.json");

/// Member ids: equal only caselessly, decomposed, empty, hostile.
const MEMBER_IDS: &[&str] = &[
    "u1",
    "U1",
    "u2",
    "alice",
    "ALICE",
    "Zoe\u{308}",
    "zo\u{eb}",
    "stra\u{df}e",
    "STRASSE",
    "",
    "x%_'",
    "\u{212a}elvin",
    "kelvin",
    "g1",
    "g2",
];
const GROUP_IDS: &[&str] = &[
    "g1",
    "G1",
    "g2",
    "g3",
    "admins",
    "ADMINS",
    "stra\u{df}e",
    "g4",
];
const DISPLAYS: &[Option<&str>] = &[
    None,
    Some("Admins"),
    Some("ADMINS"),
    Some("stra\u{df}e"),
    Some(""),
    Some("Ops"),
];

/// A small deterministic generator (the data must be the same every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

struct Row {
    group: String,
    member: String,
    kind: MemberType,
    display: Option<String>,
}

struct Data {
    groups: Vec<Value>,
    users: Vec<Value>,
    rows: Vec<Row>,
}

fn data() -> Data {
    let mut r = Lcg(7);
    let mut groups = Vec::new();
    for (i, g) in GROUP_IDS.iter().enumerate() {
        let mut doc = json!({"id": g, "displayName": format!("Group {i}")});
        if i.is_multiple_of(3) {
            // Stale members in the stored document: never read.
            doc["members"] = json!([{"value": "ghost", "type": "User"}]);
        }
        if i == 4 {
            doc["MEMBERS"] = json!([{"value": "u1"}]);
        }
        groups.push(doc);
    }
    let mut users: Vec<Value> = serde_json::from_str::<Vec<Value>>(USERS)
        .unwrap()
        .into_iter()
        .take(20)
        .collect();
    for id in MEMBER_IDS {
        let mut u = json!({"id": id, "userName": format!("user-{}", users.len())});
        if users.len().is_multiple_of(2) {
            u["groups"] = json!([{"value": "stale"}]);
        }
        users.push(u);
    }
    let user_ids: Vec<String> = users
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    let mut rows: BTreeMap<(String, String), Row> = BTreeMap::new();
    // Group 7 ("g4") stays empty.
    for g in &GROUP_IDS[..GROUP_IDS.len() - 1] {
        let display = DISPLAYS[r.next(DISPLAYS.len())].map(str::to_owned);
        for _ in 0..r.next(6) {
            let member = if r.next(2) == 0 {
                MEMBER_IDS[r.next(MEMBER_IDS.len())].to_owned()
            } else {
                user_ids[r.next(user_ids.len())].clone()
            };
            let kind = if member.starts_with('g') {
                MemberType::Group
            } else {
                MemberType::User
            };
            rows.entry(((*g).to_owned(), member.clone()))
                .or_insert(Row {
                    group: (*g).to_owned(),
                    member,
                    kind,
                    display: display.clone(),
                });
        }
    }
    Data {
        groups,
        users,
        rows: rows.into_values().collect(),
    }
}

/// The document as the evaluator sees it: `attr` (any case) replaced by
/// the elements, absent when there are none.
fn view(doc: &Value, attr: &str, elements: Vec<Value>) -> Value {
    let mut d = doc.clone();
    let o = d.as_object_mut().unwrap();
    o.retain(|k, _| !k.eq_ignore_ascii_case(attr));
    if !elements.is_empty() {
        o.insert(attr.to_owned(), Value::Array(elements));
    }
    d
}

fn element(value: &str, kind: &str, display: Option<&String>) -> Value {
    let mut m = Map::new();
    m.insert("value".into(), json!(value));
    m.insert("type".into(), json!(kind));
    if let Some(d) = display {
        m.insert("display".into(), json!(d));
    }
    Value::Object(m)
}

fn group_views(d: &Data) -> Vec<Value> {
    d.groups
        .iter()
        .map(|g| {
            let id = g["id"].as_str().unwrap();
            let mut rows: Vec<&Row> = d.rows.iter().filter(|r| r.group == id).collect();
            rows.sort_by(|a, b| a.member.as_bytes().cmp(b.member.as_bytes()));
            let els = rows
                .iter()
                .map(|r| element(&r.member, r.kind.as_str(), r.display.as_ref()))
                .collect();
            view(g, "members", els)
        })
        .collect()
}

fn user_views(d: &Data) -> Vec<Value> {
    d.users
        .iter()
        .map(|u| {
            let id = u["id"].as_str().unwrap();
            let mut rows: Vec<&Row> = d.rows.iter().filter(|r| r.member == id).collect();
            rows.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
            let els = rows
                .iter()
                .map(|r| element(&r.group, "direct", r.display.as_ref()))
                .collect();
            view(u, "groups", els)
        })
        .collect()
}

fn expected(filter: &Filter, schema: &ResourceSchema, docs: &[Value]) -> BTreeSet<String> {
    let compiled = filter.compile(schema).unwrap();
    docs.iter()
        .filter(|d| compiled.matches(d))
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

fn tables(columns: ColumnMap) -> (Table, Table, Memberships) {
    let m = Memberships::new("memberships").unwrap();
    let groups = Table::new("groups")
        .unwrap()
        .with_columns(columns.clone())
        .with_members(m.clone());
    let users = Table::new("users")
        .unwrap()
        .with_columns(columns)
        .with_groups(m.clone());
    (groups, users, m)
}

fn statements(
    d: &Data,
    dialect: Dialect,
    groups: &Table,
    users: &Table,
    m: &Memberships,
) -> Vec<Sql> {
    let mut out = Vec::new();
    for g in &d.groups {
        out.push(groups.insert(dialect, g).unwrap());
    }
    for u in &d.users {
        out.push(users.insert(dialect, u).unwrap());
    }
    for r in &d.rows {
        out.push(m.insert(dialect, &r.group, &r.member, r.kind, r.display.as_deref()));
    }
    out
}

struct Lite {
    conn: Connection,
    groups: Table,
    users: Table,
}

impl Lite {
    fn new(d: &Data, columns: ColumnMap) -> Self {
        let conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        let (groups, users, m) = tables(columns);
        for s in groups
            .ddl(Dialect::Sqlite)
            .into_iter()
            .chain(users.ddl(Dialect::Sqlite))
            .chain(m.ddl(Dialect::Sqlite))
        {
            conn.execute(&s, []).unwrap();
        }
        for s in statements(d, Dialect::Sqlite, &groups, &users, &m) {
            conn.execute(&s.text, rusqlite::params_from_iter(&s.params))
                .unwrap();
        }
        Self {
            conn,
            groups,
            users,
        }
    }

    fn ids(&self, select: &Select<'_>) -> Result<BTreeSet<String>, scimkit_schema::ScimError> {
        let sql = select.to_sql()?;
        let mut stmt = self
            .conn
            .prepare(&sql.text)
            .unwrap_or_else(|e| panic!("{e}: {}", sql.text));
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&sql.params), |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        Ok(rows.map(Result::unwrap).collect())
    }
}

fn pg_params(sql: &Sql) -> Vec<Box<dyn ToSql + Sync>> {
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

fn pg_run(client: &mut Client, sql: &Sql) -> Vec<postgres::Row> {
    let p = pg_params(sql);
    let refs: Vec<&(dyn ToSql + Sync)> = p.iter().map(|b| b.as_ref() as _).collect();
    client
        .query(sql.text.as_str(), &refs)
        .unwrap_or_else(|e| panic!("{e}: {}", sql.text))
}

struct Pg {
    client: Client,
    groups: Table,
    users: Table,
}

impl Pg {
    fn new(tag: &str, d: &Data, columns: ColumnMap) -> Option<Self> {
        let Ok(url) = std::env::var("SCIMKIT_PG_URL") else {
            eprintln!(
                "\n*** SKIPPED PostgreSQL {tag}: SCIMKIT_PG_URL is not set; run `source .ci/postgres.sh` ***\n"
            );
            return None;
        };
        let mut client = Client::connect(&url, NoTls).expect("connect to SCIMKIT_PG_URL");
        let schema = format!("m_{tag}_{}", std::process::id());
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema}"
            ))
            .unwrap();
        let (groups, users, m) = tables(columns);
        for s in groups
            .ddl(Dialect::Postgres)
            .into_iter()
            .chain(users.ddl(Dialect::Postgres))
            .chain(m.ddl(Dialect::Postgres))
        {
            client.batch_execute(&s).unwrap();
        }
        for s in statements(d, Dialect::Postgres, &groups, &users, &m) {
            pg_run(&mut client, &s);
        }
        Some(Self {
            client,
            groups,
            users,
        })
    }

    /// The ids, and that PostgreSQL answered without a residual.
    fn ids(&mut self, select: &Select<'_>) -> Result<BTreeSet<String>, scimkit_schema::ScimError> {
        let q = select.to_postgres()?;
        let rows = pg_run(&mut self.client, &q.sql);
        let docs: Vec<Value> = rows
            .iter()
            .map(|r| serde_json::from_str(r.get::<_, &str>(1)).unwrap())
            .collect();
        // Only the filters that also compare a caseless string in the
        // document (`displayName sw`, `userName sw`) have a residual.
        let doc_attrs = ["displayName", "userName"];
        let mentions_doc = select_mentions(select, &doc_attrs);
        assert!(
            q.residual.is_none() || mentions_doc,
            "membership filters are exact: {}",
            q.sql.text
        );
        let ids: BTreeSet<String> = q
            .finish(docs)
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect();
        // The count agrees whenever PostgreSQL counts.
        if let Some(count) = select.count_postgres()? {
            let n: i64 = pg_run(&mut self.client, &count)[0].get(0);
            assert_eq!(usize::try_from(n).unwrap(), ids.len(), "{}", count.text);
        }
        Ok(ids)
    }
}

/// Whether the select's filter text names one of `attrs`.
fn select_mentions(select: &Select<'_>, attrs: &[&str]) -> bool {
    let text = format!("{select:?}");
    attrs.iter().any(|a| text.contains(a))
}

const GROUP_FILTERS: &[&str] = &[
    r#"members.value eq "u1""#,
    r#"members eq "U1""#,
    r#"members eq "ALICE""#,
    "members pr",
    "not (members pr)",
    r#"members[type eq "User" and value eq "u1"]"#,
    r#"members[type eq "group"]"#,
    r#"members[not (type eq "group")]"#,
    r#"members.type eq "Group""#,
    r#"members.type ne "user""#,
    "members.type pr",
    r#"members.value co "1""#,
    r#"members.value sw "ZO""#,
    r#"members.value ew "SSE""#,
    r#"members.value eq "strasse""#,
    r#"members.value eq "KELVIN""#,
    r#"members.value gt "u""#,
    r#"members.value le "alice""#,
    "members eq null",
    "members ne null",
    "members.value eq null",
    "members.value pr",
    r#"members.value eq """#,
    r#"members.value ne "u1""#,
    r#"members.display eq null"#,
    r#"members.display pr"#,
    "members[value pr]",
    r#"members[value eq "zoë" or type eq "Group"]"#,
    r#"members[value co "%"]"#,
    r#"displayName sw "group" and members pr"#,
    r#"displayName eq "Group 3" or not (members.value eq "u2")"#,
    r#"urn:ietf:params:scim:schemas:core:2.0:Group:members.value eq "U2""#,
    r#"MEMBERS.VALUE eq "g1""#,
    r#"members[value gt "a" and value lt "v"]"#,
];

const USER_FILTERS: &[&str] = &[
    r#"groups.value eq "g1""#,
    r#"groups[value eq "G1"]"#,
    r#"groups eq "admins""#,
    r#"groups.display eq "admins""#,
    r#"groups.display co "SS""#,
    r#"groups.display eq "strasse""#,
    r#"groups.display eq """#,
    r#"groups.type eq "direct""#,
    r#"groups.type eq "indirect""#,
    r#"groups.type ne "DIRECT""#,
    "groups pr",
    "not (groups pr)",
    "groups[display pr]",
    "groups.display eq null",
    "groups.display ne null",
    r#"groups[type eq "direct" and display sw "adm"]"#,
    r#"groups[not (display pr)]"#,
    r#"groups.value gt "g2""#,
    r#"userName sw "user" and groups.value ew "1""#,
    r#"groups eq null or userName eq "user-25""#,
];

const REFUSED: &[(&str, bool)] = &[
    (r#"members.$ref eq "x""#, true),
    ("members[$ref pr]", true),
    (r#"groups.$ref co "x""#, false),
    (r#"groups[value eq "g1" and $ref pr]"#, false),
];

fn check_all(
    mut ids: impl FnMut(&Select<'_>) -> Result<BTreeSet<String>, scimkit_schema::ScimError>,
    groups: &Table,
    users: &Table,
    d: &Data,
) -> usize {
    let (gv, uv) = (group_views(d), user_views(d));
    let (gs, us) = (ResourceSchema::group(), ResourceSchema::user());
    let mut checked = 0;
    for (filters, table, schema, docs) in [
        (GROUP_FILTERS, groups, gs, &gv),
        (USER_FILTERS, users, us, &uv),
    ] {
        for text in filters {
            let f = Filter::parse(text).unwrap();
            let want = expected(&f, schema, docs);
            let got = ids(&Select::new(table, schema).filter(&f)).unwrap();
            assert_eq!(got, want, "filter {text}");
            checked += 1;
        }
    }
    for (text, group) in REFUSED {
        let f = Filter::parse(text).unwrap();
        let (table, schema) = if *group { (groups, gs) } else { (users, us) };
        let e = ids(&Select::new(table, schema).filter(&f)).unwrap_err();
        assert_eq!(e.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
        assert!(
            e.detail().unwrap_or_default().contains("$ref"),
            "{:?}",
            e.detail()
        );
    }
    checked
}

#[test]
fn sqlite_membership_filters_match_the_evaluator_view() {
    let d = data();
    assert!(d.rows.len() > 15, "{}", d.rows.len());
    let mut checked = 0;
    for columns in [ColumnMap::all(), ColumnMap::none()] {
        let db = Lite::new(&d, columns);
        checked += check_all(|s| db.ids(s), &db.groups, &db.users, &d);
    }
    // Some filters must match something and some not everything.
    let gv = group_views(&d);
    let f = Filter::parse("members pr").unwrap();
    let n = expected(&f, ResourceSchema::group(), &gv).len();
    assert!(n > 0 && n < gv.len());
    eprintln!("sqlite membership: {checked} filters checked");
}

#[test]
fn postgres_membership_filters_match_the_evaluator_view() {
    let d = data();
    let mut checked = 0;
    for (tag, columns) in [("all", ColumnMap::all()), ("none", ColumnMap::none())] {
        let Some(mut db) = Pg::new(tag, &d, columns) else {
            return;
        };
        let (g, u) = (db.groups.clone(), db.users.clone());
        checked += check_all(|s| db.ids(s), &g, &u, &d);
    }
    eprintln!("postgres membership: {checked} filters checked");
}

#[test]
fn sorting_by_a_membership_attribute_is_refused() {
    let (groups, users, _) = tables(ColumnMap::all());
    for (table, schema, by) in [
        (&groups, ResourceSchema::group(), "members"),
        (&groups, ResourceSchema::group(), "members.value"),
        (&users, ResourceSchema::user(), "groups.display"),
    ] {
        let sort = SortSpec::from_query(by, None).unwrap();
        let s = Select::new(table, schema).sort(&sort);
        for e in [s.to_sql().unwrap_err(), s.to_postgres().unwrap_err()] {
            assert_eq!(
                e.scim_type().map(|t| t.as_str()),
                Some("invalidValue"),
                "{by}"
            );
        }
    }
    // A table without memberships still sorts by them (from the document).
    let plain = Table::new("groups").unwrap();
    let sort = SortSpec::from_query("members", None).unwrap();
    assert!(Select::new(&plain, ResourceSchema::group())
        .sort(&sort)
        .to_sql()
        .is_ok());
}

fn lit() -> impl Strategy<Value = String> {
    let mut pool: Vec<String> = MEMBER_IDS
        .iter()
        .chain(GROUP_IDS)
        .map(|s| serde_json::to_string(s).unwrap())
        .collect();
    pool.extend(
        [
            "\"user\"",
            "\"GROUP\"",
            "\"direct\"",
            "\"adm\"",
            "\"s\"",
            "null",
            "true",
            "1",
        ]
        .map(str::to_owned),
    );
    prop::sample::select(pool)
}

fn leaf(attr: &'static str) -> impl Strategy<Value = String> {
    let subs = prop::sample::select(vec!["value", "type", "display", "primary", "VALUE"]);
    let ops = prop::sample::select(vec!["eq", "ne", "co", "sw", "ew", "gt", "le", "pr"]);
    prop_oneof![
        (subs.clone(), ops.clone(), lit()).prop_map(move |(s, o, l)| if o == "pr" {
            format!("{attr}.{s} pr")
        } else {
            format!("{attr}.{s} {o} {l}")
        }),
        (ops.clone(), lit()).prop_map(move |(o, l)| if o == "pr" {
            format!("{attr} pr")
        } else {
            format!("{attr} {o} {l}")
        }),
        (subs.clone(), ops, lit(), subs, lit()).prop_map(move |(s, o, l, s2, l2)| {
            let first = if o == "pr" {
                format!("{s} pr")
            } else {
                format!("{s} {o} {l}")
            };
            format!("{attr}[{first} and not ({s2} eq {l2})]")
        }),
    ]
}

fn tree(attr: &'static str) -> impl Strategy<Value = String> {
    leaf(attr).prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

struct Fixture {
    data: Data,
    lite: Lite,
    pg: Option<Pg>,
    gv: Vec<Value>,
    uv: Vec<Value>,
}

thread_local! {
    static FIXTURE: std::cell::RefCell<Fixture> = {
        let data = data();
        let lite = Lite::new(&data, ColumnMap::all());
        let pg = Pg::new("gen", &data, ColumnMap::all());
        let (gv, uv) = (group_views(&data), user_views(&data));
        std::cell::RefCell::new(Fixture { data, lite, pg, gv, uv })
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_membership_filters_match_on_both_databases(
        group_text in tree("members"),
        user_text in tree("groups"),
    ) {
        FIXTURE.with(|f| {
            let mut f = f.borrow_mut();
            let _ = f.data.rows.len();
            for (text, group) in [(&group_text, true), (&user_text, false)] {
                let Ok(filter) = Filter::parse(text) else { continue };
                let schema = if group { ResourceSchema::group() } else { ResourceSchema::user() };
                let table = if group { f.lite.groups.clone() } else { f.lite.users.clone() };
                let select = Select::new(&table, schema).filter(&filter);
                let Ok(compiled) = filter.compile(schema) else {
                    prop_assert!(select.to_sql().is_err());
                    continue;
                };
                let docs = if group { &f.gv } else { &f.uv };
                let want: BTreeSet<String> = docs
                    .iter()
                    .filter(|d| compiled.matches(d))
                    .map(|d| d["id"].as_str().unwrap().to_owned())
                    .collect();
                let lite = f.lite.ids(&select);
                match &lite {
                    Ok(got) => prop_assert_eq!(got, &want, "sqlite {}", text),
                    // Only `$ref` is refused.
                    Err(e) => prop_assert!(e.detail().unwrap_or_default().contains("$ref"), "{}", text),
                }
                if let Some(pg) = f.pg.as_mut() {
                    let got = pg.ids(&select);
                    match (&got, &lite) {
                        (Ok(got), _) => prop_assert_eq!(got, &want, "postgres {}", text),
                        (Err(e), Err(_)) => prop_assert!(e.detail().unwrap_or_default().contains("$ref"), "{}", text),
                        (Err(e), Ok(_)) => prop_assert!(false, "postgres refused {}: {:?}", text, e.detail()),
                    }
                }
            }
            Ok(())
        })?;
    }
}
