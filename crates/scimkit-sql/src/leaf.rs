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
use serde_json::Value;

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

/// A length-prefixed optional field of the compact form.
fn put_field(out: &mut String, field: Option<&str>) {
    match field {
        None => out.push('-'),
        Some(text) => {
            crate::sql::push_number(out, text.len());
            out.push(':');
            out.push_str(text);
        }
    }
}

/// Read a [`put_field`] field off the front of `rest`.
fn take_field<'a>(rest: &mut &'a str) -> Option<Option<&'a str>> {
    if let Some(after) = rest.strip_prefix('-') {
        *rest = after;
        return Some(None);
    }
    let (len, after) = rest.split_once(':')?;
    let len: usize = len.parse().ok()?;
    let field = after.get(..len)?;
    *rest = after.get(len..)?;
    Some(Some(field))
}

impl LeafSpec {
    /// The bound parameter that carries this test (see [`Self::encode`]).
    pub(crate) fn to_param(&self) -> String {
        self.encode(None, None)
    }

    /// The compact text form of this test, optionally with the attribute
    /// it reads (`scimkit_any`): `~op|type|` then three flags (caseExact
    /// `0`/`1`, text rule `u`/`c`, implicit `value` `0`/`1`), then the
    /// length-prefixed fields sub-attribute, extension URN and attribute
    /// name (`-` when absent, else `len:text`), then the literal (`s` +
    /// text, `n` + number, `b0`/`b1`, `z` for null, `j` + other JSON).
    /// Written with a few `push_str`s: the translation makes one per
    /// comparison.
    pub(crate) fn encode(&self, urn: Option<&str>, name: Option<&str>) -> String {
        let c = self.comparator;
        let mut out = String::with_capacity(48);
        out.push('~');
        out.push_str(self.op.as_str());
        out.push('|');
        out.push_str(c.kind().as_str());
        out.push('|');
        out.push(if c.case_exact() { '1' } else { '0' });
        out.push(if c.text_rule() == TextRule::Username {
            'u'
        } else {
            'c'
        });
        out.push(if self.leaf.implicit_value { '1' } else { '0' });
        put_field(&mut out, self.leaf.sub.as_deref());
        put_field(&mut out, urn);
        put_field(&mut out, name);
        match &self.literal {
            Value::String(t) => {
                out.push('s');
                out.push_str(t);
            }
            Value::Number(n) => {
                out.push('n');
                out.push_str(&n.to_string());
            }
            Value::Bool(b) => out.push_str(if *b { "b1" } else { "b0" }),
            Value::Null => out.push('z'),
            other => {
                out.push('j');
                out.push_str(&other.to_string());
            }
        }
        out
    }

    /// Read [`Self::encode`]'s form: the test, the URN and the name.
    pub(crate) fn decode(param: &str) -> Option<(Self, Option<String>, Option<String>)> {
        let rest = param.strip_prefix('~')?;
        let (op_text, rest) = rest.split_once('|')?;
        let op = Op::ALL.into_iter().find(|o| o.as_str() == op_text)?;
        let (kind_text, rest) = rest.split_once('|')?;
        let kind: AttributeType = kind_text.parse().ok()?;
        let mut flags = rest.chars();
        let exact = flags.next()? == '1';
        let rule = match flags.next()? {
            'u' => TextRule::Username,
            _ => TextRule::Caseless,
        };
        let implicit_value = flags.next()? == '1';
        let mut rest = flags.as_str();
        let sub = take_field(&mut rest)?;
        let urn = take_field(&mut rest)?;
        let name = take_field(&mut rest)?;
        let (tag, lit) = (rest.get(..1)?, rest.get(1..)?);
        let literal = match tag {
            "s" => Value::String(lit.to_owned()),
            "n" => Value::Number(lit.parse().ok()?),
            "b" => Value::Bool(lit == "1"),
            "z" => Value::Null,
            "j" => serde_json::from_str(lit).ok()?,
            _ => return None,
        };
        let spec = Self {
            op,
            comparator: Comparator::new(kind, exact).with_text_rule(rule),
            literal,
            leaf: Leaf {
                sub: sub.map(str::to_owned),
                implicit_value,
            },
        };
        Some((spec, urn.map(str::to_owned), name.map(str::to_owned)))
    }

    /// Read a parameter made by [`Self::to_param`] and prepare its literal.
    pub(crate) fn prepare(param: &str) -> Option<PreparedLeaf> {
        Self::decode(param)?.0.prepared()
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

    /// The whole any-match of one attribute value (`None`: missing), as
    /// the translation's `CASE json_type(a) WHEN 'array' ...` computes it:
    /// an array matches when one element does (`eq null`: also when it is
    /// empty), anything else is tested as it is.
    pub(crate) fn any(&self, value: Option<&Value>) -> bool {
        match value {
            Some(Value::Array(items)) => {
                (self.op == Op::Unassigned && items.is_empty())
                    || items.iter().any(|i| self.test(Some(i)))
            }
            other => self.test(other),
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
    /// The compact form: a [`LeafSpec::encode`] of a `pr` test.
    pub(crate) fn to_param(&self) -> String {
        LeafSpec {
            op: Op::Present,
            comparator: self.comparator,
            literal: Value::Null,
            leaf: self.leaf.clone(),
        }
        .encode(None, None)
    }

    pub(crate) fn from_param(param: &str) -> Option<Self> {
        let (spec, _, _) = LeafSpec::decode(param)?;
        Some(Self {
            comparator: spec.comparator,
            leaf: spec.leaf,
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
///
/// Written by hand from the Unix seconds (the proleptic Gregorian calendar,
/// Howard Hinnant's `civil_from_days`): a translation writes one per
/// dateTime comparison with a column, and formatting through `Display`
/// cost ten times more. `None` outside years 0000-9999 (which a
/// [`Timestamp`] never is). A test holds it to `Timestamp`'s `Display`.
pub fn instant_text(t: Timestamp) -> Option<String> {
    let secs = t.unix_seconds();
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let mut out = String::with_capacity(30);
    push_digits(&mut out, year, 4);
    out.push('-');
    push_digits(&mut out, month, 2);
    out.push('-');
    push_digits(&mut out, day, 2);
    out.push('T');
    push_digits(&mut out, of_day / 3600, 2);
    out.push(':');
    push_digits(&mut out, of_day / 60 % 60, 2);
    out.push(':');
    push_digits(&mut out, of_day % 60, 2);
    out.push('.');
    push_digits(&mut out, i64::from(t.nanos()), 9);
    out.push('Z');
    Some(out)
}

/// Year, month (1-12) and day (1-31) of a day counted from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `n` (not negative) in `width` decimal digits, zero-padded.
fn push_digits(out: &mut String, n: i64, width: u32) {
    let mut p = 10_i64.pow(width.saturating_sub(1));
    while p > 0 {
        let d = n / p % 10;
        out.push(char::from_digit(u32::try_from(d).unwrap_or(0), 10).unwrap_or('0'));
        p /= 10;
    }
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
    use proptest::prelude::*;
    use serde_json::json;

    proptest! {
        /// The hand-written instant text is `Timestamp`'s own `Display`
        /// (seconds) with nine fraction digits, over the whole range.
        #[test]
        fn instant_text_is_the_display_form(
            secs in -62_167_219_200_i64..=253_402_300_799,
            nanos in prop_oneof![Just(0_u32), Just(999_999_999), 0..1_000_000_000_u32],
        ) {
            let t = Timestamp::from_unix(secs, nanos).unwrap();
            let display = t.to_string();
            let want = format!("{}.{nanos:09}Z", &display[..19]);
            prop_assert_eq!(instant_text(t), Some(want));
        }
    }

    #[test]
    fn instant_text_at_the_edges() {
        for (secs, want) in [
            (-62_167_219_200, "0000-01-01T00:00:00.000000000Z"),
            (253_402_300_799, "9999-12-31T23:59:59.000000000Z"),
            (0, "1970-01-01T00:00:00.000000000Z"),
            (951_782_400, "2000-02-29T00:00:00.000000000Z"),
            (-1, "1969-12-31T23:59:59.000000000Z"),
        ] {
            let t = Timestamp::from_unix(secs, 0).unwrap();
            assert_eq!(instant_text(t).as_deref(), Some(want));
        }
    }

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
