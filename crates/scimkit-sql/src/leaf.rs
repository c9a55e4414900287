//! What the registered SQL functions compute, in Rust: one leaf test on one
//! value of an attribute, and sort keys.
//!
//! The SQL text does the structure (`and`/`or`/`not`, the any-match over a
//! multi-valued attribute as `EXISTS` over `json_each`, value paths as a
//! condition on one element); a leaf test on one value is the evaluator's
//! own comparison: the literal is prepared by scimkit-schema's
//! [`Comparator`] (case folding, PRECIS for `userName`, instants, exact
//! numbers) and every value is compared by the same comparator. That is
//! how SQLite answers exactly as `CompiledFilter::matches`.
//!
//! A test travels to the database as a bound text parameter (a small JSON
//! object, [`LeafSpec::to_param`]); the function prepares it once per
//! statement (SQLite's auxiliary data) and reuses it for every row.

use std::cmp::Ordering;

use scimkit_schema::compare::{Comparator, Operand, TextRule};
use scimkit_schema::json::{get_ci, member_ci};
use scimkit_schema::{AttributeType, Timestamp};
use serde_json::{json, Value};

use crate::sql::SqlValue;

/// The operation of a leaf test; `ne` and `ne null` are the SQL `NOT` of
/// [`Op::Eq`] and [`Op::Unassigned`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Present,
    Unassigned,
    Eq,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    const ALL: [Self; 10] = [
        Self::Present,
        Self::Unassigned,
        Self::Eq,
        Self::Co,
        Self::Sw,
        Self::Ew,
        Self::Gt,
        Self::Ge,
        Self::Lt,
        Self::Le,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Present => "pr",
            Self::Unassigned => "null",
            Self::Eq => "eq",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

/// How a value of the attribute is reached from one value of the
/// attribute: through a sub-attribute, through the implicit `value` of a
/// multi-valued complex attribute, or as it is.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct Leaf {
    pub(crate) sub: Option<String>,
    pub(crate) implicit_value: bool,
}

impl Leaf {
    /// The evaluator's `Loc::leaf`.
    pub(crate) fn of<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        match &self.sub {
            Some(sub) => member_ci(v, sub),
            None if self.implicit_value && v.is_object() => member_ci(v, "value"),
            None => Some(v),
        }
    }
}

/// One leaf test: what `scimkit_test(spec, value)` evaluates.
#[derive(Clone, Debug)]
pub(crate) struct LeafSpec {
    pub(crate) op: Op,
    pub(crate) comparator: Comparator,
    pub(crate) literal: Value,
    pub(crate) leaf: Leaf,
}

fn rule_str(rule: TextRule) -> &'static str {
    match rule {
        TextRule::Username => "username",
        _ => "caseless",
    }
}

fn comparator_to_json(c: Comparator) -> Value {
    json!({"type": c.kind().as_str(), "exact": c.case_exact(), "rule": rule_str(c.text_rule())})
}

fn comparator_from_json(v: &Value) -> Option<Comparator> {
    let kind: AttributeType = v.get("type")?.as_str()?.parse().ok()?;
    let exact = v.get("exact")?.as_bool()?;
    let rule = match v.get("rule")?.as_str()? {
        "username" => TextRule::Username,
        _ => TextRule::Caseless,
    };
    Some(Comparator::new(kind, exact).with_text_rule(rule))
}

fn leaf_to_json(leaf: &Leaf) -> Value {
    json!({"sub": leaf.sub, "implicit": leaf.implicit_value})
}

fn leaf_from_json(v: &Value) -> Option<Leaf> {
    Some(Leaf {
        sub: match v.get("sub")? {
            Value::Null => None,
            s => Some(s.as_str()?.to_owned()),
        },
        implicit_value: v.get("implicit")?.as_bool()?,
    })
}

impl LeafSpec {
    /// The bound parameter that carries this test.
    pub(crate) fn to_param(&self) -> String {
        json!({
            "op": self.op.as_str(),
            "cmp": comparator_to_json(self.comparator),
            "lit": self.literal,
            "leaf": leaf_to_json(&self.leaf),
        })
        .to_string()
    }

    /// Read a parameter made by [`Self::to_param`] and prepare its literal.
    pub(crate) fn prepare(param: &str) -> Option<PreparedLeaf> {
        let v: Value = serde_json::from_str(param).ok()?;
        let op_text = v.get("op")?.as_str()?;
        let op = Op::ALL.into_iter().find(|o| o.as_str() == op_text)?;
        let comparator = comparator_from_json(v.get("cmp")?)?;
        let leaf = leaf_from_json(v.get("leaf")?)?;
        Self {
            op,
            comparator,
            literal: match op {
                Op::Present | Op::Unassigned => Value::Null,
                _ => v.get("lit")?.clone(),
            },
            leaf,
        }
        .prepared()
    }

    /// This test with its literal prepared (`None`: the comparator refuses
    /// the literal, which compiling the filter has already ruled out).
    pub(crate) fn prepared(&self) -> Option<PreparedLeaf> {
        let operand = match self.op {
            Op::Present | Op::Unassigned => Operand::null(),
            _ => self.comparator.prepare(&self.literal).ok()?,
        };
        Some(PreparedLeaf {
            op: self.op,
            comparator: self.comparator,
            operand,
            leaf: self.leaf.clone(),
        })
    }
}

/// A [`LeafSpec`] with its literal prepared, ready for many values.
#[derive(Debug)]
pub(crate) struct PreparedLeaf {
    op: Op,
    comparator: Comparator,
    operand: Operand,
    leaf: Leaf,
}

impl PreparedLeaf {
    /// The test on one value of the attribute (`None`: the attribute is
    /// missing), exactly as the evaluator tests each value it iterates.
    pub(crate) fn test(&self, value: Option<&Value>) -> bool {
        if self.op == Op::Unassigned {
            return match value.and_then(|v| self.leaf.of(v)) {
                None | Some(Value::Null) => true,
                Some(Value::Array(items)) => items.is_empty() || items.iter().any(Value::is_null),
                Some(_) => false,
            };
        }
        let Some(leaf) = value.and_then(|v| self.leaf.of(v)) else {
            return false;
        };
        match leaf {
            Value::Array(items) => items.iter().any(|v| self.compare(v)),
            other => self.compare(other),
        }
    }

    fn compare(&self, v: &Value) -> bool {
        let (c, o) = (&self.comparator, &self.operand);
        let accepts = |ord: Option<Ordering>, f: fn(Ordering) -> bool| ord.is_some_and(f);
        match self.op {
            Op::Present => scimkit_schema::json::is_non_empty(v),
            Op::Unassigned => v.is_null(),
            Op::Eq => c.equals(v, o),
            Op::Co => c.contains(v, o),
            Op::Sw => c.starts_with(v, o),
            Op::Ew => c.ends_with(v, o),
            Op::Gt => accepts(c.compare(v, o), Ordering::is_gt),
            Op::Ge => accepts(c.compare(v, o), Ordering::is_ge),
            Op::Lt => accepts(c.compare(v, o), Ordering::is_lt),
            Op::Le => accepts(c.compare(v, o), Ordering::is_le),
        }
    }
}

/// Where a sort key is read: what `scimkit_sort_key(spec, value)` takes.
#[derive(Clone, Debug)]
pub(crate) struct SortKeySpec {
    pub(crate) comparator: Comparator,
    pub(crate) leaf: Leaf,
}

impl SortKeySpec {
    pub(crate) fn to_param(&self) -> String {
        json!({"cmp": comparator_to_json(self.comparator), "leaf": leaf_to_json(&self.leaf)})
            .to_string()
    }

    pub(crate) fn from_param(param: &str) -> Option<Self> {
        let v: Value = serde_json::from_str(param).ok()?;
        Some(Self {
            comparator: comparator_from_json(v.get("cmp")?)?,
            leaf: leaf_from_json(v.get("leaf")?)?,
        })
    }

    /// The sort key of an attribute's value (`Sorter::key`: the primary or
    /// first value of a multi-valued one), as a SQL value whose SQL order
    /// is the comparator's order; `NULL` when it has none.
    pub(crate) fn key(&self, value: Option<&Value>) -> SqlValue {
        let chosen = match value {
            Some(Value::Array(items)) => items
                .iter()
                .find(|i| member_ci(i, "primary") == Some(&Value::Bool(true)))
                .or_else(|| items.first()),
            other => other,
        };
        let leaf = chosen
            .and_then(|c| self.leaf.of(c))
            .filter(|v| !v.is_null());
        sort_key(self.comparator, leaf)
    }
}

/// The SQL form of one value's sort key under `c` (`NULL`: missing, or a
/// value the comparator cannot read, which sorts as missing):
/// - text: its comparison key (`equality_key`), ordered by bytes (SQLite's
///   `BINARY`, PostgreSQL's `COLLATE "C"`), which is code point order;
/// - dateTime: [`instant_text`];
/// - numbers: an integer, or a double (an integer beyond `i64` becomes the
///   nearest double, the one place the SQL order may tie where the
///   evaluator's does not);
/// - booleans: 0 and 1.
pub(crate) fn sort_key(c: Comparator, value: Option<&Value>) -> SqlValue {
    let Some(v) = value else {
        return SqlValue::Null;
    };
    if c.prepare(v).is_err() {
        return SqlValue::Null;
    }
    match (c.kind(), v) {
        (AttributeType::DateTime, Value::String(s)) => {
            scimkit_schema::compare::parse_datetime(s).map_or(SqlValue::Null, instant_sql)
        }
        (_, Value::String(s)) => SqlValue::Text(c.equality_key(s).into_owned()),
        (_, Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => n.as_f64().map_or(SqlValue::Null, SqlValue::Real),
        },
        _ => SqlValue::Null,
    }
}

fn instant_sql(t: Timestamp) -> SqlValue {
    instant_text(t).map_or(SqlValue::Null, SqlValue::Text)
}

/// An instant as fixed-width UTC text, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`,
/// whose byte order is time order (years 0000 to 9999): the form of the
/// `created` / `last_modified` columns and of dateTime sort keys.
pub fn instant_text(t: Timestamp) -> Option<String> {
    let text = t.to_string();
    let seconds = text.get(..19)?;
    Some(format!("{seconds}.{:09}Z", t.nanos()))
}

/// The member `name` of a JSON object, or of the object under `urn` in it
/// (the evaluator's `Loc::attr_value`, names ignoring case).
pub(crate) fn attribute<'v>(
    container: &'v Value,
    urn: Option<&str>,
    name: &str,
) -> Option<&'v Value> {
    let object = container.as_object()?;
    let object = match urn {
        None => object,
        Some(urn) => get_ci(object, urn)?.as_object()?,
    };
    get_ci(object, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(op: Op, c: Comparator, lit: Value, leaf: Leaf) -> PreparedLeaf {
        let param = LeafSpec {
            op,
            comparator: c,
            literal: lit,
            leaf,
        }
        .to_param();
        LeafSpec::prepare(&param).unwrap()
    }

    #[test]
    fn spec_round_trips_and_compares_like_the_comparator() {
        let s = spec(
            Op::Eq,
            Comparator::username(),
            json!("ＢＪＥＮＳＥＮ"),
            Leaf::default(),
        );
        assert!(s.test(Some(&json!("bjensen"))));
        assert!(s.test(Some(&json!(["x", "BJensen"]))));
        assert!(!s.test(None));
        let sub = Leaf {
            sub: Some("type".into()),
            implicit_value: false,
        };
        let n = spec(
            Op::Unassigned,
            Comparator::new(AttributeType::String, false),
            Value::Null,
            sub,
        );
        assert!(n.test(Some(&json!({"value": "x"}))));
        assert!(n.test(None));
        assert!(!n.test(Some(&json!({"type": "work"}))));
        assert!(LeafSpec::prepare("{}").is_none());
    }

    #[test]
    fn instants_are_fixed_width() {
        let t: Timestamp = "2024-05-01T12:00:00.5+02:00".parse().unwrap();
        assert_eq!(instant_text(t).unwrap(), "2024-05-01T10:00:00.500000000Z");
        let c = Comparator::new(AttributeType::DateTime, false);
        assert_eq!(sort_key(c, Some(&json!("nope"))), SqlValue::Null);
    }

    #[test]
    fn sort_key_takes_primary_then_first() {
        let s = SortKeySpec {
            comparator: Comparator::new(AttributeType::String, false),
            leaf: Leaf {
                sub: Some("value".into()),
                implicit_value: false,
            },
        };
        let s = SortKeySpec::from_param(&s.to_param()).unwrap();
        let v = json!([{"value": "B"}, {"value": "A", "primary": true}]);
        assert_eq!(s.key(Some(&v)), SqlValue::from("a"));
        assert_eq!(s.key(Some(&json!([{"value": "C"}]))), SqlValue::from("c"));
        assert_eq!(s.key(None), SqlValue::Null);
    }
}
