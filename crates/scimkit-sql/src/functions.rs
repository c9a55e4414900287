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
//! | `scimkit_test_str(spec, text)` | the same test on a string value given as SQL text (a membership row's column; `NULL`: missing) |
//! | `scimkit_sort_key(spec, json)` | the sort key of the attribute value `json`, a SQL value ordered as the comparator orders (`NULL`: missing) |
//!
//! `spec` is a bound parameter written by the translator; it is read and
//! prepared once per statement. All three are deterministic (usable in
//! expression indexes) and never fail on a value: text that is not JSON
//! counts as missing.

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{ToSqlOutput, Value as DbValue, ValueRef};
use rusqlite::Connection;
use serde_json::Value;

use crate::leaf::{attribute, LeafSpec, PreparedLeaf, SortKeySpec};
use crate::sql::SqlValue;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Register `scimkit_attr`, `scimkit_test`, `scimkit_test_str` and `scimkit_sort_key` on a
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
    Ok(())
}

/// Argument `i` as JSON (`None`: NULL, not text, or not JSON).
fn json_arg(ctx: &Context<'_>, i: usize) -> Option<Value> {
    let text = ctx.get_raw(i).as_str().ok()?;
    serde_json::from_str(text).ok()
}

fn text_arg<'a>(ctx: &'a Context<'_>, i: usize) -> Option<&'a str> {
    match ctx.get_raw(i) {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn attr(ctx: &Context<'_>) -> rusqlite::Result<Option<String>> {
    let Some(container) = json_arg(ctx, 0) else {
        return Ok(None);
    };
    let urn = text_arg(ctx, 1);
    let Some(name) = text_arg(ctx, 2) else {
        return Ok(None);
    };
    Ok(attribute(&container, urn, name).map(Value::to_string))
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
}
