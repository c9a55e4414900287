//! Filter -> SQL `WHERE` condition (SQLite), exactly as the evaluator answers.
//!
//! The translation walks the [`Filter`] tree and resolves every path the
//! way `Filter::compile` does (scimkit-schema's [`ResourceSchema::resolve`],
//! the same rules for extensions, common attributes, implicit `value`,
//! undefined attributes); the filter is compiled first, so every error is
//! the evaluator's own `invalidFilter`.
//!
//! Each piece of the result is 0 or 1, never `NULL`, so `NOT` is exact:
//! - `and` / `or` / `not`: the SQL operators;
//! - a comparison or `pr`: any-match over the attribute's values, `EXISTS
//!   (SELECT 1 FROM json_each(a) ...)` when it is an array, each value
//!   tested by `scimkit_test` (the evaluator's comparator);
//! - `ne` and `ne null`: `NOT` of `eq` and `eq null` (so `ne` on a missing
//!   attribute is true); `eq null` is also true for `[]` and `null`;
//! - `path[f]`: `EXISTS` over the array's elements (a single object as a
//!   one-element array), `f` on one element;
//! - an attribute the schema does not define: the constant the evaluator
//!   uses for a missing one;
//! - `eq`/`ne`/`gt`/`ge`/`lt`/`le` on an attribute with a column of the
//!   same comparator ([`ColumnMap`](crate::ColumnMap)): the column (its
//!   index), or the document where the column is `NULL`.

use scimkit_filter::{CompValue, CompareOp, CompileOptions, Filter};
use scimkit_schema::compare::Comparator;
use scimkit_schema::{AttrPath, Attribute, AttributeType, ResourceSchema, ScimError};

use crate::leaf::{Leaf, LeafSpec, Op};
use crate::membership::{Attached, Rows};
use crate::sql::{cat, Writer};
use crate::table::Table;

/// Where paths resolve: the resource, or one element inside `parent[...]`.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'a> {
    Resource(&'a ResourceSchema),
    Element(&'a Attribute),
}

/// A resolved attribute: where it is, how to reach the compared value, and
/// its definition.
pub(crate) struct Target<'a> {
    pub(crate) urn: Option<String>,
    pub(crate) attr: String,
    pub(crate) leaf: Leaf,
    pub(crate) def: &'a Attribute,
    pub(crate) common: bool,
}

impl Target<'_> {
    /// The evaluator's `comparator_for`: a common attribute's own caseExact
    /// wins for a `uri` reference (`schemas` compares case-insensitively).
    pub(crate) fn comparator(&self) -> Comparator {
        if self.common && self.def.kind == AttributeType::Reference && !self.def.case_exact {
            return Comparator::new(AttributeType::String, false);
        }
        Comparator::for_attribute(self.def)
    }

    /// SQL of the attribute's JSON text, read from the JSON `base`.
    pub(crate) fn value_sql(&self, w: &mut Writer, base: &str) -> String {
        let urn = match &self.urn {
            Some(u) => w.bind(u.as_str()),
            None => "NULL".to_owned(),
        };
        let name = w.bind(self.attr.as_str());
        cat(&["scimkit_attr(", base, ", ", &urn, ", ", &name, ")"])
    }
}

/// Resolve `path` as the evaluator does; `None` for an undefined attribute.
/// `compare`: a comparison or sort (a multi-valued complex attribute is
/// read through its `value`), not `pr` or a value path.
pub(crate) fn resolve<'a>(scope: Scope<'a>, path: &AttrPath, compare: bool) -> Option<Target<'a>> {
    let (urn, sub, mut def, common) = match scope {
        Scope::Element(parent) => {
            if path.schema().is_some() || path.sub_attribute().is_some() {
                return None;
            }
            (None, None, parent.sub_attribute(path.attribute())?, false)
        }
        Scope::Resource(rs) => {
            let found = rs.resolve(path).ok()?;
            let urn = found.in_extension().then(|| found.schema_urn().to_owned());
            let sub = path.sub_attribute().map(str::to_owned);
            (urn, sub, found.target(), found.is_common())
        }
    };
    let mut leaf = Leaf {
        sub,
        implicit_value: false,
    };
    if compare && def.kind == AttributeType::Complex && leaf.sub.is_none() && def.multi_valued {
        def = def.sub_attribute("value")?;
        leaf.implicit_value = true;
    }
    Some(Target {
        urn,
        attr: path.attribute().to_owned(),
        leaf,
        def,
        common,
    })
}

/// The `WHERE` condition of `filter` over table alias `t` (SQLite).
pub(crate) fn condition(
    w: &mut Writer,
    table: &Table,
    schema: &ResourceSchema,
    options: CompileOptions,
    filter: &Filter,
) -> Result<String, ScimError> {
    filter.check_with(schema, options)?;
    let mut t = Translator {
        w,
        table,
        unknown: false,
        error: None,
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
    Ok(sql)
}

/// `(column, "op ?k")` when a column answers this test exactly (both
/// dialects: the columns hold comparison keys ordered by bytes).
pub(crate) fn column_test(
    w: &mut Writer,
    table: &Table,
    scope: Scope<'_>,
    target: &Target<'_>,
    op: Op,
    value: &CompValue,
) -> Option<(&'static str, String)> {
    if !matches!(scope, Scope::Resource(_)) || target.urn.is_some() || target.leaf.implicit_value {
        return None;
    }
    let column = table
        .columns()
        .column_for(&target.attr, target.leaf.sub.as_deref())?;
    if column.comparator() != target.comparator() {
        return None;
    }
    let sql_op = match op {
        Op::Eq => "=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
        _ => return None,
    };
    let CompValue::String(text) = value else {
        return None;
    };
    let key = column.key(text);
    if key == crate::SqlValue::Null {
        return None;
    }
    Some((column.name(), cat(&[sql_op, " ", &w.bind(key)])))
}

struct Translator<'w, 't> {
    w: &'w mut Writer,
    table: &'t Table,
    /// A filter form this translator does not know was met (the `Filter`
    /// AST is non-exhaustive): the whole translation is refused.
    unknown: bool,
    /// The first refusal met (a membership attribute's `$ref`, ...).
    error: Option<ScimError>,
}

/// The membership attribute `target` is, when it is one of `table`'s and
/// resolved at the resource.
pub(crate) fn attached<'t>(
    table: &'t Table,
    scope: Scope<'_>,
    target: &Target<'_>,
) -> Option<&'t Attached> {
    if !matches!(scope, Scope::Resource(_)) || target.urn.is_some() || target.common {
        return None;
    }
    table.attached(&target.attr)
}

/// The SQL of a fallible piece, or `fallback` with the first error kept.
pub(crate) fn keep_error(
    slot: &mut Option<ScimError>,
    r: Result<String, ScimError>,
    fallback: &str,
) -> String {
    r.unwrap_or_else(|e| {
        slot.get_or_insert(e);
        fallback.to_owned()
    })
}

/// The evaluator's answer for an attribute the schema does not define
/// (missing everywhere): only `eq null` and `ne <value>` are true. Shared
/// by both dialects.
pub(crate) fn undefined_answer(op: Option<CompareOp>, value: &CompValue) -> bool {
    matches!(
        (op, value),
        (Some(CompareOp::Eq), CompValue::Null)
            | (
                Some(CompareOp::Ne),
                CompValue::String(_) | CompValue::Number(_) | CompValue::Bool(_)
            )
    )
}

/// The leaf test of a comparison (`None` for `pr`) and whether it is
/// negated (`ne` is "not eq"); `None` when the comparison is always false
/// (`null` with an operator other than `eq`/`ne`). Shared by both dialects.
pub(crate) fn leaf_op(op: Option<CompareOp>, value: &CompValue) -> Option<(Op, bool)> {
    Some(match (op, value) {
        (None, _) => (Op::Present, false),
        (Some(CompareOp::Eq), CompValue::Null) => (Op::Unassigned, false),
        (Some(CompareOp::Ne), CompValue::Null) => (Op::Unassigned, true),
        (Some(_), CompValue::Null) => return None,
        (Some(op), _) => match op {
            CompareOp::Eq => (Op::Eq, false),
            CompareOp::Ne => (Op::Eq, true),
            CompareOp::Co => (Op::Co, false),
            CompareOp::Sw => (Op::Sw, false),
            CompareOp::Ew => (Op::Ew, false),
            CompareOp::Gt => (Op::Gt, false),
            CompareOp::Ge => (Op::Ge, false),
            CompareOp::Lt => (Op::Lt, false),
            CompareOp::Le => (Op::Le, false),
        },
    })
}

fn join(parts: Vec<String>, op: &str) -> String {
    let len = parts.iter().map(|p| p.len() + op.len()).sum::<usize>() + 2;
    let mut s = String::with_capacity(len);
    s.push('(');
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push_str(op);
        }
        s.push_str(p);
    }
    s.push(')');
    s
}

fn bool_sql(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

impl Translator<'_, '_> {
    fn node(&mut self, filter: &Filter, scope: Scope<'_>, base: &str) -> String {
        match filter {
            Filter::Compare {
                path, op, value, ..
            } => self.compare(scope, base, path, Some(*op), value),
            Filter::Present { path, .. } => self.compare(scope, base, path, None, &CompValue::Null),
            Filter::And { children, .. } => join(
                children.iter().map(|c| self.node(c, scope, base)).collect(),
                " AND ",
            ),
            Filter::Or { children, .. } => join(
                children.iter().map(|c| self.node(c, scope, base)).collect(),
                " OR ",
            ),
            Filter::Not { filter, .. } => cat(&["(NOT ", &self.node(filter, scope, base), ")"]),
            Filter::ValuePath { path, filter, .. } => self.value_path(scope, base, path, filter),
            _ => {
                self.unknown = true;
                bool_sql(false)
            }
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
            let r = Rows {
                w: self.w,
                attached: att,
            }
            .value_path(target.def, inner);
            return keep_error(&mut self.error, r, "0");
        }
        // One pass over the elements: a single object is read as a
        // one-element array, anything else (missing, `null`, a string) as
        // no elements. The inner filter is translated once.
        let a = target.value_sql(self.w, base);
        let v = self.w.alias("v");
        let element = cat(&["(CASE ", &v, ".type WHEN 'object' THEN ", &v, ".value END)"]);
        let on_element = self.node(inner, Scope::Element(target.def), &element);
        cat(&[
            "EXISTS (SELECT 1 FROM json_each(CASE json_type(",
            &a,
            ") WHEN 'array' THEN ",
            &a,
            " WHEN 'object' THEN json_array(json(",
            &a,
            ")) END) AS ",
            &v,
            " WHERE ",
            &on_element,
            ")",
        ])
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
        if let Some(att) = attached(self.table, scope, &target) {
            let r = Rows {
                w: self.w,
                attached: att,
            }
            .compare(&target, leaf_op, negate, value);
            return keep_error(&mut self.error, r, "0");
        }
        let general = self.any(&target, base, leaf_op, value);
        let sql = match column_test(self.w, self.table, scope, &target, leaf_op, value) {
            Some((col, test)) => cat(&[
                "((t.",
                col,
                " IS NOT NULL AND t.",
                col,
                " ",
                &test,
                ") OR (t.",
                col,
                " IS NULL AND ",
                &general,
                "))",
            ]),
            None => general,
        };
        if negate {
            cat(&["(NOT ", &sql, ")"])
        } else {
            sql
        }
    }

    /// Any-match of a leaf test over the attribute's values (for `eq null`:
    /// also true for a missing attribute, `null` and `[]`).
    ///
    /// One call of `scimkit_any`, which reads the attribute from `base`
    /// and does the any-match in Rust (`PreparedLeaf::any`): one bound
    /// parameter and a few bytes of SQL per comparison, and the row's
    /// document parsed once for all of them.
    fn any(&mut self, target: &Target<'_>, base: &str, op: Op, value: &CompValue) -> String {
        let spec = LeafSpec {
            op,
            comparator: target.comparator(),
            literal: value.to_json(),
            leaf: target.leaf.clone(),
        };
        let s = self
            .w
            .bind(spec.encode(target.urn.as_deref(), Some(&target.attr)));
        let mut sql = String::with_capacity(base.len() + 20);
        sql.push_str("scimkit_any(");
        sql.push_str(&s);
        sql.push_str(", ");
        sql.push_str(base);
        sql.push(')');
        sql
    }
}
