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
use std::collections::BTreeMap;
use std::rc::Rc;

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{ToSqlOutput, Value as DbValue, ValueRef};
use rusqlite::Connection;
use serde_json::value::RawValue;
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

/// Texts at least this long (documents, not single values or elements)
/// are read through the per-row cache: see [`with_member`].
const CACHED_LEN: usize = 256;

/// A document's top-level members, each as the span of its JSON text:
/// found without building the whole tree (only the member a leaf reads is
/// parsed).
struct Doc {
    text: Box<str>,
    /// Key -> byte range of its value in `text` (a `BTreeMap` like
    /// `serde_json::Map`, so "the first key in order" is the same).
    members: BTreeMap<String, (usize, usize)>,
}

impl Doc {
    fn parse(text: &str) -> Option<Self> {
        let map: BTreeMap<String, &RawValue> = serde_json::from_str(text).ok()?;
        let base = text.as_ptr() as usize;
        let members = map
            .into_iter()
            .filter_map(|(k, v)| {
                let start = (v.get().as_ptr() as usize).checked_sub(base)?;
                Some((k, (start, start + v.get().len())))
            })
            .collect();
        Some(Self {
            text: text.into(),
            members,
        })
    }

    /// `get_ci`: the exact key first, else the first key equal ignoring
    /// ASCII case, parsed.
    fn member(&self, name: &str) -> Option<Value> {
        let (start, end) = self.members.get(name).or_else(|| {
            self.members
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })?;
        serde_json::from_str(self.text.get(*start..*end)?).ok()
    }
}

thread_local! {
    /// The last long document read on this thread.
    static LAST_DOC: RefCell<Option<Rc<Doc>>> = const { RefCell::new(None) };
}

/// Run `f` on the member `name` (of the extension object `urn`, when
/// given) of argument `i` read as a JSON object (`None`: NULL, not JSON,
/// not an object, or no such member) — `attribute` on the parsed argument.
///
/// A row's document is read by every leaf of a filter: the last long
/// document is kept (its text compared in full with the argument, so it
/// is always the argument's own) with the spans of its top-level members,
/// and a leaf parses only the member it reads.
fn with_member<T>(
    ctx: &Context<'_>,
    i: usize,
    urn: Option<&str>,
    name: &str,
    f: impl FnOnce(Option<&Value>) -> T,
) -> T {
    let Ok(text) = ctx.get_raw(i).as_str() else {
        return f(None);
    };
    if text.len() < CACHED_LEN {
        let v: Option<Value> = serde_json::from_str(text).ok();
        return f(v.as_ref().and_then(|v| attribute(v, urn, name)));
    }
    let cached = LAST_DOC.with(|c| {
        let c = c.try_borrow().ok()?;
        let doc = c.as_ref()?;
        (*doc.text == *text).then(|| Rc::clone(doc))
    });
    let doc = cached.or_else(|| {
        let doc = Rc::new(Doc::parse(text)?);
        LAST_DOC.with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = Some(Rc::clone(&doc));
            }
        });
        Some(doc)
    });
    let Some(doc) = doc else {
        return f(None);
    };
    match urn {
        None => f(doc.member(name).as_ref()),
        Some(urn) => {
            let ext = doc.member(urn);
            f(ext.as_ref().and_then(|e| attribute(e, None, name)))
        }
    }
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
    let hit = with_member(ctx, 1, spec.urn.as_deref(), &spec.name, |value| {
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
    Ok(with_member(ctx, 0, urn, name, |v| v.map(Value::to_string)))
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
        let pad = "x".repeat(300);
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
