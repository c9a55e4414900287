//! The SQL functions a SQLite connection needs before it runs translated
//! queries: [`register_functions`].
//!
//! They are this crate's Rust code (and through it scimkit-schema's
//! comparators), so a comparison inside SQLite is the evaluator's own:
//!
//! | function | returns |
//! |---|---|
//! | `scimkit_attr(json, urn, name)` | the JSON text of member `name` (ASCII case ignored) of the object `json`, or of its extension object `urn`; `NULL` if missing |
//! | `scimkit_test(spec, json)` | 1 when the leaf test `spec` holds for the attribute value `json` (`NULL`: missing), else 0 |
//! | `scimkit_any(spec, json)` | 1 when the leaf test `spec` holds for any value of the attribute `spec` names in the object `json` (the whole any-match of one comparison in one call), else 0 |
//! | `scimkit_test_str(spec, text)` | the same test on a string value given as SQL text (a membership row's column; `NULL`: missing) |
//! | `scimkit_sort_key(spec, json)` | the sort key of the attribute value `json`, a SQL value ordered as the comparator orders (`NULL`: missing) |
//!
//! `spec` is a bound parameter written by the translator; it is read and
//! prepared once per statement. A row's document is parsed once however
//! many leaves read it: the last long JSON text is kept with its parse
//! (compared byte for byte, per thread). All three are deterministic (usable in
//! expression indexes) and never fail on a value: text that is not JSON
//! counts as missing.

use std::cell::RefCell;
use std::rc::Rc;

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{ToSqlOutput, Value as DbValue, ValueRef};
use rusqlite::Connection;
use serde_json::Value;

use crate::leaf::{attribute, LeafSpec, PreparedLeaf, SortKeySpec};
use crate::sql::SqlValue;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Register `scimkit_attr`, `scimkit_test`, `scimkit_any`, `scimkit_test_str` and `scimkit_sort_key` on a
/// SQLite connection. Call it once per connection (a pool: on each new one).
///
/// Errors: only SQLite's own, when it cannot create a function.
pub fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("scimkit_attr", 3, flags, attr)?;
    conn.create_scalar_function("scimkit_test", 2, flags, test)?;
    conn.create_scalar_function("scimkit_sort_key", 2, flags, sort_key)?;
    conn.create_scalar_function("scimkit_test_str", 2, flags, test_str)?;
    conn.create_scalar_function("scimkit_any", 2, flags, any)?;
    Ok(())
}

/// Argument `i` as JSON (`None`: NULL, not text, or not JSON).
fn json_arg(ctx: &Context<'_>, i: usize) -> Option<Value> {
    let text = ctx.get_raw(i).as_str().ok()?;
    serde_json::from_str(text).ok()
}

/// Texts at least this long (documents, not single values) are parsed
/// once per row: see [`with_parsed`].
const CACHED_LEN: usize = 64;

/// A JSON text and its parse.
type Parsed = (Box<[u8]>, Rc<Value>);

thread_local! {
    /// The last long JSON text parsed on this thread, and its value.
    static LAST_DOC: RefCell<Option<Parsed>> = const { RefCell::new(None) };
}

/// Run `f` on argument `i` parsed as JSON (`None`: NULL, not text, or not
/// JSON). A row's document is read by every leaf of a filter; the text of
/// the last long document is kept with its parse, so each row's document
/// is parsed once however many leaves read it (the bytes are compared in
/// full, so a cached parse is always the argument's own).
fn with_parsed<T>(ctx: &Context<'_>, i: usize, f: impl FnOnce(Option<&Value>) -> T) -> T {
    let Ok(text) = ctx.get_raw(i).as_str() else {
        return f(None);
    };
    if text.len() < CACHED_LEN {
        let v: Option<Value> = serde_json::from_str(text).ok();
        return f(v.as_ref());
    }
    let cached = LAST_DOC.with(|c| {
        let c = c.try_borrow().ok()?;
        let (bytes, v) = c.as_ref()?;
        (**bytes == *text.as_bytes()).then(|| Rc::clone(v))
    });
    let doc = match cached {
        Some(v) => Some(v),
        None => {
            let parsed: Option<Value> = serde_json::from_str(text).ok();
            parsed.map(|v| {
                let v = Rc::new(v);
                LAST_DOC.with(|c| {
                    if let Ok(mut c) = c.try_borrow_mut() {
                        *c = Some((text.as_bytes().into(), Rc::clone(&v)));
                    }
                });
                v
            })
        }
    };
    f(doc.as_deref())
}

/// A prepared `scimkit_any` test: the leaf test and the attribute it reads.
struct PreparedAny {
    leaf: PreparedLeaf,
    urn: Option<String>,
    name: String,
}

fn any(ctx: &Context<'_>) -> rusqlite::Result<i64> {
    let spec = ctx.get_or_create_aux(0, |v| -> Result<PreparedAny, BoxError> {
        let text = v.as_str()?;
        let (spec, urn, name) =
            LeafSpec::decode(text).ok_or("scimkit_any: not a test written by scimkit-sql")?;
        Ok(PreparedAny {
            leaf: spec
                .prepared()
                .ok_or("scimkit_any: the literal does not fit the comparator")?,
            urn,
            name: name.ok_or("scimkit_any: no attribute name")?,
        })
    })?;
    let hit = with_parsed(ctx, 1, |container| {
        let value = container.and_then(|c| attribute(c, spec.urn.as_deref(), &spec.name));
        spec.leaf.any(value)
    });
    Ok(i64::from(hit))
}

fn text_arg<'a>(ctx: &'a Context<'_>, i: usize) -> Option<&'a str> {
    match ctx.get_raw(i) {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn attr(ctx: &Context<'_>) -> rusqlite::Result<Option<String>> {
    let urn = text_arg(ctx, 1);
    let Some(name) = text_arg(ctx, 2) else {
        return Ok(None);
    };
    Ok(with_parsed(ctx, 0, |container| {
        container
            .and_then(|c| attribute(c, urn, name))
            .map(Value::to_string)
    }))
}

fn test(ctx: &Context<'_>) -> rusqlite::Result<i64> {
    let spec = ctx.get_or_create_aux(0, |v| -> Result<PreparedLeaf, BoxError> {
        let text = v.as_str()?;
        LeafSpec::prepare(text)
            .ok_or_else(|| "scimkit_test: not a test written by scimkit-sql".into())
    })?;
    let value = json_arg(ctx, 1);
    Ok(i64::from(spec.test(value.as_ref())))
}

fn test_str(ctx: &Context<'_>) -> rusqlite::Result<i64> {
    let spec = ctx.get_or_create_aux(0, |v| -> Result<PreparedLeaf, BoxError> {
        let text = v.as_str()?;
        LeafSpec::prepare(text)
            .ok_or_else(|| "scimkit_test_str: not a test written by scimkit-sql".into())
    })?;
    let value = text_arg(ctx, 1).map(|s| Value::String(s.to_owned()));
    Ok(i64::from(spec.test(value.as_ref())))
}

fn sort_key(ctx: &Context<'_>) -> rusqlite::Result<ToSqlOutput<'static>> {
    let spec = ctx.get_or_create_aux(0, |v| -> Result<SortKeySpec, BoxError> {
        let text = v.as_str()?;
        SortKeySpec::from_param(text)
            .ok_or_else(|| "scimkit_sort_key: not a sort key written by scimkit-sql".into())
    })?;
    let value = json_arg(ctx, 1);
    Ok(ToSqlOutput::Owned(match spec.key(value.as_ref()) {
        SqlValue::Null => DbValue::Null,
        SqlValue::Integer(i) => DbValue::Integer(i),
        SqlValue::Real(f) => DbValue::Real(f),
        SqlValue::Text(s) => DbValue::Text(s),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_ignores_case_and_reads_extensions() {
        let c = Connection::open_in_memory().unwrap();
        register_functions(&c).unwrap();
        let q = |sql: &str| -> Option<String> { c.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            q(r#"select scimkit_attr('{"USERNAME":"x"}', NULL, 'userName')"#).as_deref(),
            Some(r#""x""#)
        );
        assert_eq!(
            q(r#"select scimkit_attr('{"urn:a":{"n":[1]}}', 'URN:A', 'N')"#).as_deref(),
            Some("[1]")
        );
        assert_eq!(q("select scimkit_attr('not json', NULL, 'a')"), None);
        assert_eq!(q("select scimkit_attr(NULL, NULL, 'a')"), None);
        let err = c.query_row("select scimkit_test('{}', '1')", [], |r| r.get::<_, i64>(0));
        assert!(err.is_err());
    }

    #[test]
    fn any_reads_each_rows_own_document_through_the_cache() {
        use crate::leaf::{Leaf, LeafSpec, Op};
        use scimkit_schema::compare::Comparator;
        use scimkit_schema::AttributeType;
        let c = Connection::open_in_memory().unwrap();
        register_functions(&c).unwrap();
        c.execute_batch("create table d (n integer, doc text)")
            .unwrap();
        // Long documents (cached), alternating, differing only late.
        let pad = "x".repeat(80);
        for (n, title) in [(1, "Boss"), (2, "boss"), (3, "Clerk"), (4, "BOSS")] {
            let doc = serde_json::json!({"pad": pad, "TITLE": title}).to_string();
            c.execute("insert into d values (?1, ?2)", rusqlite::params![n, doc])
                .unwrap();
        }
        c.execute(
            "insert into d values (5, '{\"title\": [\"a\", \"BOSS\"]}')",
            [],
        )
        .unwrap();
        c.execute("insert into d values (6, 'not json')", [])
            .unwrap();
        let spec = LeafSpec {
            op: Op::Eq,
            comparator: Comparator::new(AttributeType::String, false),
            literal: serde_json::json!("boss"),
            leaf: Leaf::default(),
        }
        .encode(None, Some("title"));
        let mut st = c
            .prepare("select n from d where scimkit_any(?1, doc) order by n")
            .unwrap();
        let hits: Vec<i64> = st
            .query_map([&spec], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(hits, [1, 2, 4, 5]);
        let bad = c.query_row("select scimkit_any('~eq|', '{}')", [], |r| {
            r.get::<_, i64>(0)
        });
        assert!(bad.is_err());
    }
}
