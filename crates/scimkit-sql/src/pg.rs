//! Filter -> PostgreSQL `WHERE` condition: exact where PostgreSQL can
//! compare as the evaluator does, a sound superset elsewhere.
//!
//! PostgreSQL 15 cannot run scimkit-schema's comparator (it has no full
//! Unicode case fold and no PRECIS), so each leaf test is either
//! - **exact**: the same answer as the evaluator on every document (`pr`,
//!   `eq null`/`ne null`, caseExact strings and references `eq`/`co`/`sw`/
//!   `ew`, caseExact string ordering, booleans `eq`, undefined attributes,
//!   and any comparison a [`ColumnMap`](crate::ColumnMap) column answers
//!   where the column is not `NULL`), or
//! - **approximate**: `TRUE` where the condition is in a positive context
//!   (under an even number of `not`s), `FALSE` under an odd number, so the
//!   whole condition always accepts at least the rows the evaluator accepts.
//!
//! The structure is the SQLite translation's: any-match over arrays with
//! `EXISTS` over `jsonb_array_elements`, value paths on one element,
//! members found by name ignoring ASCII case (the exact name first, else
//! the first such name in byte order, as `get_ci` on a sorted map). Every
//! piece is `TRUE` or `FALSE`, never `NULL`, so `NOT` is exact. Values are
//! bound as `$N::text`; the same placeholder is reused within a leaf.

use scimkit_filter::{CompValue, CompareOp, CompileOptions, Filter};
use scimkit_schema::{AttrPath, AttributeType, ResourceSchema, ScimError};
use serde_json::Value;

use crate::filter::{attached, keep_error, leaf_op, resolve, undefined_answer, Scope, Target};
use crate::leaf::{Leaf, Op};
use crate::membership::{Attached, Rows};
use crate::sql::Writer;
use crate::table::Table;

/// A translated condition.
pub(crate) struct Condition<'t> {
    /// The condition over alias `t`.
    pub(crate) sql: String,
    /// `false`: a superset; the caller applies the evaluator to its rows.
    pub(crate) exact: bool,
    /// The membership attributes the filter names: with a residual, the
    /// rows must carry them for the evaluator.
    pub(crate) memberships: Vec<&'t Attached>,
}

/// The condition of `filter` over alias `t`.
pub(crate) fn condition<'t>(
    w: &mut Writer,
    table: &'t Table,
    schema: &ResourceSchema,
    options: CompileOptions,
    filter: &Filter,
) -> Result<Condition<'t>, ScimError> {
    filter.check_with(schema, options)?;
    let mut t = Pg {
        w,
        table,
        positive: true,
        exact: true,
        unknown: false,
        error: None,
        memberships: Vec::new(),
    };
    let sql = t.node(filter, Scope::Resource(schema), "t.doc");
    if let Some(e) = t.error {
        return Err(e);
    }
    if t.unknown {
        return Err(ScimError::invalid_filter(
            "this filter form cannot be translated to SQL",
        ));
    }
    Ok(Condition {
        sql,
        exact: t.exact,
        memberships: t.memberships,
    })
}

struct Pg<'w, 't> {
    w: &'w mut Writer,
    table: &'t Table,
    /// Under an even number of `not`s.
    positive: bool,
    /// Every leaf so far was pushed down exactly.
    exact: bool,
    unknown: bool,
    error: Option<ScimError>,
    memberships: Vec<&'t Attached>,
}

fn bool_sql(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_owned()
}

/// The member named by placeholder `n` of the jsonb `x` (ASCII case
/// ignored, the exact name first), or SQL `NULL`.
fn member(x: &str, n: &str) -> String {
    format!(
        "COALESCE(({x}) -> {n}, (SELECT e.value FROM jsonb_each(CASE WHEN jsonb_typeof({x}) = 'object' \
         THEN {x} END) AS e WHERE lower(e.key COLLATE \"C\") = lower({n} COLLATE \"C\") \
         ORDER BY e.key COLLATE \"C\" LIMIT 1))"
    )
}

/// How one value is compared in SQL, on `l` (a jsonb that is not an array
/// and may be SQL `NULL`); `None` when PostgreSQL cannot do it exactly.
fn exact_compare(target: &Target<'_>, op: Op, value: &CompValue, w: &mut Writer) -> Option<String> {
    let c = target.comparator();
    let literal = value.to_json();
    if c.prepare(&literal).is_err() {
        return None;
    }
    let text =
        |l: &str| format!("(CASE WHEN jsonb_typeof({l}) = 'string' THEN {l} #>> '{{}}' END)");
    match (c.kind(), &literal) {
        (AttributeType::Boolean, Value::Bool(_)) if op == Op::Eq => {
            let p = w.bind(literal.to_string());
            Some(format!("(({{l}}) = ({p})::jsonb)"))
        }
        (AttributeType::String | AttributeType::Reference, Value::String(s)) if c.case_exact() => {
            let p = w.bind(s.as_str());
            let s = text("{l}");
            let ordered = c.kind() == AttributeType::String;
            Some(match op {
                Op::Eq => format!("({s} = {p})"),
                Op::Co => format!("(strpos({s}, {p}) > 0)"),
                Op::Sw => format!("starts_with({s}, {p})"),
                Op::Ew => format!("(right({s}, char_length({p})) = {p})"),
                Op::Gt if ordered => format!("({s} COLLATE \"C\" > {p})"),
                Op::Ge if ordered => format!("({s} COLLATE \"C\" >= {p})"),
                Op::Lt if ordered => format!("({s} COLLATE \"C\" < {p})"),
                Op::Le if ordered => format!("({s} COLLATE \"C\" <= {p})"),
                _ => return None,
            })
        }
        _ => None,
    }
}

impl<'t> Pg<'_, 't> {
    fn note(&mut self, att: &'t Attached) {
        if !self.memberships.contains(&att) {
            self.memberships.push(att);
        }
    }

    fn node(&mut self, filter: &Filter, scope: Scope<'_>, base: &str) -> String {
        match filter {
            Filter::Compare {
                path, op, value, ..
            } => self.compare(scope, base, path, Some(*op), value),
            Filter::Present { path, .. } => self.compare(scope, base, path, None, &CompValue::Null),
            Filter::And { children, .. } => {
                let parts: Vec<String> =
                    children.iter().map(|c| self.node(c, scope, base)).collect();
                format!("({})", parts.join(" AND "))
            }
            Filter::Or { children, .. } => {
                let parts: Vec<String> =
                    children.iter().map(|c| self.node(c, scope, base)).collect();
                format!("({})", parts.join(" OR "))
            }
            Filter::Not { filter, .. } => {
                self.positive = !self.positive;
                let inner = self.node(filter, scope, base);
                self.positive = !self.positive;
                format!("(NOT {inner})")
            }
            Filter::ValuePath { path, filter, .. } => self.value_path(scope, base, path, filter),
            _ => {
                self.unknown = true;
                bool_sql(false)
            }
        }
    }

    /// The jsonb of a resolved attribute read from `base`.
    fn value_sql(&mut self, target: &Target<'_>, base: &str) -> String {
        let container = match &target.urn {
            Some(u) => {
                let p = self.w.bind(u.as_str());
                member(base, &p)
            }
            None => base.to_owned(),
        };
        let n = self.w.bind(target.attr.as_str());
        member(&container, &n)
    }

    /// `Leaf::of` in SQL.
    fn leaf_sql(&mut self, leaf: &Leaf, v: &str) -> String {
        match &leaf.sub {
            Some(sub) => {
                let p = self.w.bind(sub.as_str());
                member(v, &p)
            }
            None if leaf.implicit_value => {
                let p = self.w.bind("value");
                format!(
                    "(CASE WHEN jsonb_typeof({v}) = 'object' THEN {} ELSE {v} END)",
                    member(v, &p)
                )
            }
            None => v.to_owned(),
        }
    }

    fn value_path(
        &mut self,
        scope: Scope<'_>,
        base: &str,
        path: &AttrPath,
        inner: &Filter,
    ) -> String {
        let Some(target) = resolve(scope, path, false) else {
            return bool_sql(false);
        };
        if target.def.kind != AttributeType::Complex {
            return bool_sql(false);
        }
        if let Some(att) = attached(self.table, scope, &target) {
            self.note(att);
            let r = Rows {
                w: self.w,
                attached: att,
            }
            .value_path(target.def, inner);
            return keep_error(&mut self.error, r, "FALSE");
        }
        let a = self.value_sql(&target, base);
        let v = self.w.alias("v");
        let element = format!("(CASE WHEN jsonb_typeof({v}.e) = 'object' THEN {v}.e END)");
        let on_element = self.node(inner, Scope::Element(target.def), &element);
        let on_object = self.node(inner, Scope::Element(target.def), &a);
        format!(
            "(CASE jsonb_typeof({a}) WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements({a}) AS {v}(e) \
             WHERE {on_element}) WHEN 'object' THEN {on_object} ELSE FALSE END)"
        )
    }

    fn compare(
        &mut self,
        scope: Scope<'_>,
        base: &str,
        path: &AttrPath,
        op: Option<CompareOp>,
        value: &CompValue,
    ) -> String {
        let Some(target) = resolve(scope, path, op.is_some()) else {
            return bool_sql(undefined_answer(op, value));
        };
        let Some((leaf_op, negate)) = leaf_op(op, value) else {
            return bool_sql(false);
        };
        // The rows answer exactly (or the translation is refused).
        if let Some(att) = attached(self.table, scope, &target) {
            self.note(att);
            let r = Rows {
                w: self.w,
                attached: att,
            }
            .compare(&target, leaf_op, negate, value);
            return keep_error(&mut self.error, r, "FALSE");
        }
        if negate {
            self.positive = !self.positive;
        }
        let general = self.any(&target, base, leaf_op, value);
        let column = crate::filter::column_test(self.w, self.table, scope, &target, leaf_op, value);
        let sql = match column {
            Some((col, test)) => format!(
                "((t.{col} IS NOT NULL AND t.{col} {test}) OR (t.{col} IS NULL AND {general}))"
            ),
            None => general,
        };
        if negate {
            self.positive = !self.positive;
            format!("(NOT {sql})")
        } else {
            sql
        }
    }

    /// A test PostgreSQL cannot do: the superset side of the context.
    fn approximate(&mut self) -> String {
        self.exact = false;
        bool_sql(self.positive)
    }

    /// Any-match of a leaf test over the attribute's values.
    fn any(&mut self, target: &Target<'_>, base: &str, op: Op, value: &CompValue) -> String {
        // The comparison of one non-array value `{l}`, or the whole test
        // approximated.
        let compare = match op {
            Op::Present => Some(
                "jsonb_path_exists({l}, 'strict $.** ? (@.type() == \"number\" || @.type() == \"boolean\" \
                 || (@.type() == \"string\" && @ != \"\"))')"
                    .to_owned(),
            ),
            Op::Unassigned => Some("(jsonb_typeof({l}) = 'null')".to_owned()),
            _ => exact_compare(target, op, value, self.w),
        };
        let Some(compare) = compare else {
            return self.approximate();
        };
        let a = self.value_sql(target, base);
        let j = self.w.alias("j");
        let x = self.w.alias("x");
        let l = self.leaf_sql(&target.leaf, &format!("{j}.e"));
        let l_single = self.leaf_sql(&target.leaf, &a);
        // The test on one value of the attribute (`PreparedLeaf::test`).
        let test = |l: &str| -> String {
            let on_items = compare.replace("{l}", &format!("{x}.e"));
            let on_one = compare.replace("{l}", l);
            if op == Op::Unassigned {
                format!(
                    "({l} IS NULL OR jsonb_typeof({l}) = 'null' OR (jsonb_typeof({l}) = 'array' AND \
                     (jsonb_array_length({l}) = 0 OR EXISTS (SELECT 1 FROM jsonb_array_elements({l}) AS {x}(e) \
                     WHERE jsonb_typeof({x}.e) = 'null'))))"
                )
            } else {
                format!(
                    "COALESCE(CASE jsonb_typeof({l}) WHEN 'array' THEN EXISTS (SELECT 1 FROM \
                     jsonb_array_elements({l}) AS {x}(e) WHERE COALESCE({on_items}, FALSE)) ELSE {on_one} END, FALSE)"
                )
            }
        };
        let on_element = test(&l);
        let on_single = test(&l_single);
        let empty = if op == Op::Unassigned {
            format!("jsonb_array_length({a}) = 0 OR ")
        } else {
            String::new()
        };
        format!(
            "(CASE jsonb_typeof({a}) WHEN 'array' THEN ({empty}EXISTS (SELECT 1 FROM jsonb_array_elements({a}) \
             AS {j}(e) WHERE {on_element})) ELSE {on_single} END)"
        )
    }
}
