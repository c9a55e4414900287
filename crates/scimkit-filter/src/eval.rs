//! Evaluation: a [`Filter`] compiled into a form that matches resources fast.
//!
//! Compiling resolves every attribute path once, picks each attribute's
//! comparator (type and caseExact), prepares every literal (type-checked,
//! case-folded, dateTime parsed) and rejects what the RFC calls invalid; the
//! per-resource work is then key lookups and comparisons, with no
//! allocation for the common operators.
//!
//! Semantics (RFC 7644 §3.4.2.2 and RFC 7643 §2.5), decided where the RFC is
//! silent:
//! - A multi-valued attribute matches if **any** of its values matches;
//!   `emails.type eq "work" and emails.value co "x"` may match through two
//!   different emails, while the value path `emails[type eq "work" and value
//!   co "x"]` needs one email to satisfy both.
//! - A complex attribute compared without a sub-attribute (`emails co
//!   "example.com"`) compares its `value` sub-attribute.
//! - `pr` is true when the attribute has a non-empty value: not null, not
//!   `""`, not `[]`, not an object whose members are all empty.
//! - A missing attribute has no value: every comparison with it is false,
//!   except `ne`, which is "not identical" and so true, and `eq null`, which
//!   is true because unassigned and null are the same state (RFC 7643 §2.5).
//!   `ne` is the negation of `eq` in every case, which on a multi-valued
//!   attribute means "no value equals".
//! - An attribute the schema does not define is treated as missing (RFC 7644
//!   §3.4.2.1); [`CompileOptions::strict_attributes`] rejects it instead.
//! - `gt`/`ge`/`lt`/`le` on boolean, binary or complex attributes,
//!   `co`/`sw`/`ew` on anything but string-valued attributes, `null` with
//!   anything but `eq`/`ne`, and literals of the wrong JSON type are
//!   `invalidFilter` errors when compiling against a schema.
//! - Compile errors name the clause's byte range (`invalid filter at bytes
//!   0..14: ...`), so a caller can underline it in the input.
//! - Without a schema, names are matched case-insensitively, strings compare
//!   case-insensitively, numbers numerically, and a dateTime is just a string
//!   (compile against a schema to compare instants); the checks above that
//!   need a type become "no match" instead of errors. An unqualified name
//!   is looked up at the top level only (an extension attribute needs its
//!   URN prefix), since without a schema nothing says which extension
//!   defines it.

use std::cmp::Ordering;

use scimkit_schema::compare::{Comparator, Operand};
use scimkit_schema::json::{get_ci, member_ci};
use scimkit_schema::{
    Attribute, AttributeType, ResolveErrorKind, ResourceSchema, ScimError, ScimType,
};
use serde_json::Value;

use crate::ast::{CompValue, CompareOp, Filter};

/// Options for [`Filter::compile_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompileOptions {
    /// Reject attributes the schema does not define (`invalidFilter`)
    /// instead of treating them as having no value.
    pub strict_attributes: bool,
}

impl CompileOptions {
    /// Set [`Self::strict_attributes`].
    #[must_use]
    pub fn strict_attributes(mut self, strict: bool) -> Self {
        self.strict_attributes = strict;
        self
    }
}

/// A filter ready to match resources.
#[derive(Clone, Debug)]
pub struct CompiledFilter {
    root: Node,
}

#[derive(Clone, Debug)]
enum Node {
    Const(bool),
    All(Box<[Self]>),
    Any(Box<[Self]>),
    Not(Box<Self>),
    Test(Box<Test>),
    ValuePath { loc: Loc, inner: Box<Self> },
}

/// Where an attribute's values are in a resource (or in one element of a
/// multi-valued attribute, inside a value path).
#[derive(Clone, Debug)]
pub(crate) struct Loc {
    container: Container,
    attr: Box<str>,
    sub: Option<Box<str>>,
    /// Complex attribute without a sub-attribute: use each element's `value`.
    implicit_value: bool,
}

#[derive(Clone, Debug)]
enum Container {
    /// The resource (or element) itself.
    Root,
    /// The extension object under this URN key.
    Extension(Box<str>),
    /// Without a schema: the object under this URN key if there is one,
    /// else the resource itself (a core-qualified path).
    Either(Box<str>),
}

#[derive(Clone, Debug)]
struct Test {
    loc: Loc,
    kind: TestKind,
}

#[derive(Clone, Debug)]
enum TestKind {
    Present,
    Unassigned,
    Assigned,
    Eq(Comparator, Operand),
    Ne(Comparator, Operand),
    Co(Comparator, Operand),
    Sw(Comparator, Operand),
    Ew(Comparator, Operand),
    Ord(Comparator, Operand, CompareOp),
}

fn non_empty(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().any(non_empty),
        Value::Object(members) => members.values().any(non_empty),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

impl Loc {
    pub(crate) fn attr_value<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        let object = resource.as_object()?;
        let container = match &self.container {
            Container::Root => object,
            Container::Extension(urn) => get_ci(object, urn)?.as_object()?,
            Container::Either(urn) => get_ci(object, urn)
                .and_then(Value::as_object)
                .unwrap_or(object),
        };
        get_ci(container, &self.attr)
    }

    /// From one value of the attribute to the value compared.
    pub(crate) fn leaf<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        match &self.sub {
            Some(sub) => member_ci(v, sub),
            None if self.implicit_value && v.is_object() => member_ci(v, "value"),
            None => Some(v),
        }
    }

    /// Whether `f` holds for any value of the attribute.
    fn any(&self, resource: &Value, mut f: impl FnMut(&Value) -> bool) -> bool {
        let mut test = |leaf: &Value| match leaf {
            Value::Array(items) => items.iter().any(&mut f),
            other => f(other),
        };
        match self.attr_value(resource) {
            None => false,
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| self.leaf(item))
                .any(&mut test),
            Some(v) => self.leaf(v).is_some_and(test),
        }
    }
}

impl Test {
    fn eval(&self, resource: &Value) -> bool {
        let loc = &self.loc;
        match &self.kind {
            TestKind::Present => loc.any(resource, non_empty),
            TestKind::Unassigned => !loc.any(resource, |v| !v.is_null()),
            TestKind::Assigned => loc.any(resource, |v| !v.is_null()),
            TestKind::Eq(c, o) => loc.any(resource, |v| c.equals(v, o)),
            TestKind::Ne(c, o) => !loc.any(resource, |v| c.equals(v, o)),
            TestKind::Co(c, o) => loc.any(resource, |v| c.contains(v, o)),
            TestKind::Sw(c, o) => loc.any(resource, |v| c.starts_with(v, o)),
            TestKind::Ew(c, o) => loc.any(resource, |v| c.ends_with(v, o)),
            TestKind::Ord(c, o, op) => loc.any(resource, |v| {
                c.compare(v, o)
                    .is_some_and(|ord| ordering_accepts(*op, ord))
            }),
        }
    }

    /// The result for an attribute with no value (missing or undefined).
    fn on_missing(&self) -> bool {
        matches!(self.kind, TestKind::Unassigned | TestKind::Ne(..))
    }
}

fn ordering_accepts(op: CompareOp, ord: Ordering) -> bool {
    match op {
        CompareOp::Gt => ord == Ordering::Greater,
        CompareOp::Ge => ord != Ordering::Less,
        CompareOp::Lt => ord == Ordering::Less,
        CompareOp::Le => ord != Ordering::Greater,
        _ => false,
    }
}

impl Node {
    fn eval(&self, resource: &Value) -> bool {
        match self {
            Self::Const(b) => *b,
            Self::All(nodes) => nodes.iter().all(|n| n.eval(resource)),
            Self::Any(nodes) => nodes.iter().any(|n| n.eval(resource)),
            Self::Not(node) => !node.eval(resource),
            Self::Test(test) => test.eval(resource),
            Self::ValuePath { loc, inner } => match loc.attr_value(resource) {
                Some(Value::Array(items)) => items.iter().any(|item| inner.eval(item)),
                Some(item @ Value::Object(_)) => inner.eval(item),
                _ => false,
            },
        }
    }
}

impl CompiledFilter {
    /// Whether `resource` matches.
    pub fn matches(&self, resource: &Value) -> bool {
        self.root.eval(resource)
    }
}

/// What paths are resolved against while compiling.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Resource(&'a ResourceSchema, CompileOptions),
    /// Inside `parent[...]`: names are sub-attributes of `parent`.
    Element(&'a Attribute, CompileOptions),
    Schemaless,
}

fn invalid(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidFilter, detail)
}

/// The attribute definition a leaf test compares, with its location.
struct Target<'a> {
    loc: Loc,
    def: Option<&'a Attribute>,
}

/// `Ok(None)`: the attribute is undefined and counts as having no value.
fn resolve<'a>(
    scope: Scope<'a>,
    path: &scimkit_schema::AttrPath,
    for_compare: bool,
) -> Result<Option<Target<'a>>, ScimError> {
    let plain = |container| Loc {
        container,
        attr: path.attribute().into(),
        sub: path.sub_attribute().map(Into::into),
        implicit_value: false,
    };
    let (mut loc, mut def) = match scope {
        Scope::Schemaless => {
            let container = path
                .schema()
                .map_or(Container::Root, |u| Container::Either(u.into()));
            let mut loc = plain(container);
            loc.implicit_value = for_compare && loc.sub.is_none();
            return Ok(Some(Target { loc, def: None }));
        }
        Scope::Element(parent, opts) => {
            if path.schema().is_some() || path.sub_attribute().is_some() {
                return Err(invalid(format!(
                    "inside the value filter of {:?}, name one of its sub-attributes; found {path:?}",
                    parent.name,
                    path = path.to_string()
                )));
            }
            match parent.sub_attribute(path.attribute()) {
                Some(def) => (plain(Container::Root), def),
                None if opts.strict_attributes => {
                    return Err(invalid(format!(
                        "{:?} has no sub-attribute {:?}",
                        parent.name,
                        path.attribute()
                    )))
                }
                None => return Ok(None),
            }
        }
        Scope::Resource(rs, opts) => match rs.resolve(path) {
            Ok(found) => {
                let container = if found.in_extension() {
                    Container::Extension(found.schema_urn().into())
                } else {
                    Container::Root
                };
                (plain(container), found.target())
            }
            Err(e) if *e.kind() == ResolveErrorKind::SchemaNotAttribute => {
                return Err(invalid(e.to_string()))
            }
            Err(e) if opts.strict_attributes => return Err(invalid(e.to_string())),
            Err(_) => return Ok(None),
        },
    };
    if for_compare && loc.sub.is_none() && def.kind == AttributeType::Complex {
        match def.sub_attribute("value") {
            Some(value) => {
                loc.implicit_value = true;
                def = value;
            }
            None => {
                return Err(invalid(format!(
                    "{path} is complex: compare one of its sub-attributes"
                )))
            }
        }
    }
    Ok(Some(Target {
        loc,
        def: Some(def),
    }))
}

fn compile_test(
    scope: Scope<'_>,
    path: &scimkit_schema::AttrPath,
    op: Option<CompareOp>,
    value: &CompValue,
) -> Result<Node, ScimError> {
    let Some(target) = resolve(scope, path, op.is_some())? else {
        // Undefined attribute: decide as for a missing one.
        let test = Test {
            loc: Loc {
                container: Container::Root,
                attr: "".into(),
                sub: None,
                implicit_value: false,
            },
            kind: test_kind_for_missing(op, value),
        };
        return Ok(Node::Const(test.on_missing()));
    };
    let Some(op) = op else {
        return Ok(Node::Test(Box::new(Test {
            loc: target.loc,
            kind: TestKind::Present,
        })));
    };
    let kind = match (op, value) {
        (CompareOp::Eq, CompValue::Null) => TestKind::Unassigned,
        (CompareOp::Ne, CompValue::Null) => TestKind::Assigned,
        (_, CompValue::Null) => {
            if target.def.is_none() {
                return Ok(Node::Const(false));
            }
            return Err(invalid(format!(
                "{path} {op} null: null can only be compared with eq or ne"
            )));
        }
        _ => match target.def {
            Some(def) => typed_kind(def, path, op, value)?,
            None => match schemaless_kind(op, value) {
                Some(kind) => kind,
                None => return Ok(Node::Const(false)),
            },
        },
    };
    Ok(Node::Test(Box::new(Test {
        loc: target.loc,
        kind,
    })))
}

fn test_kind_for_missing(op: Option<CompareOp>, value: &CompValue) -> TestKind {
    let dummy = || {
        (
            Comparator::new(AttributeType::String, false),
            Operand::null(),
        )
    };
    match (op, value) {
        (None, _) => TestKind::Present,
        (Some(CompareOp::Eq), CompValue::Null) => TestKind::Unassigned,
        (Some(CompareOp::Ne), CompValue::Null) => TestKind::Assigned,
        (Some(CompareOp::Ne), _) => {
            let (c, o) = dummy();
            TestKind::Ne(c, o)
        }
        _ => {
            let (c, o) = dummy();
            TestKind::Eq(c, o)
        }
    }
}

fn with_op(op: CompareOp, c: Comparator, o: Operand) -> TestKind {
    match op {
        CompareOp::Eq => TestKind::Eq(c, o),
        CompareOp::Ne => TestKind::Ne(c, o),
        CompareOp::Co => TestKind::Co(c, o),
        CompareOp::Sw => TestKind::Sw(c, o),
        CompareOp::Ew => TestKind::Ew(c, o),
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le => TestKind::Ord(c, o, op),
    }
}

fn typed_kind(
    def: &Attribute,
    path: &scimkit_schema::AttrPath,
    op: CompareOp,
    value: &CompValue,
) -> Result<TestKind, ScimError> {
    let c = Comparator::for_attribute(def);
    let check = if op.is_ordering() {
        c.check_ordering()
    } else if op.is_substring() {
        c.check_substring()
    } else {
        Ok(())
    };
    check.map_err(|_| {
        invalid(format!(
            "{path} {op} {value}: `{op}` is not defined for {} attributes",
            def.kind
        ))
    })?;
    let operand = c
        .prepare(&value.to_json())
        .map_err(|e| invalid(format!("{path} {op} {value}: {e}")))?;
    Ok(with_op(op, c, operand))
}

/// Without a schema the literal decides the comparator; `None` when the
/// operator cannot apply to such a literal (no match).
fn schemaless_kind(op: CompareOp, value: &CompValue) -> Option<TestKind> {
    let kind = match value {
        CompValue::String(_) => AttributeType::String,
        CompValue::Number(_) => AttributeType::Decimal,
        CompValue::Bool(_) => AttributeType::Boolean,
        CompValue::Null => return None,
    };
    let c = Comparator::new(kind, false);
    if (op.is_ordering() && c.check_ordering().is_err())
        || (op.is_substring() && c.check_substring().is_err())
    {
        return None;
    }
    let operand = c.prepare(&value.to_json()).ok()?;
    Some(with_op(op, c, operand))
}

/// Prefix a compile error with the byte range of the clause it concerns.
fn at_span(span: crate::ast::Span) -> impl Fn(ScimError) -> ScimError {
    move |e| {
        invalid(format!(
            "invalid filter at bytes {}..{}: {}",
            span.start,
            span.end,
            e.detail().unwrap_or_default()
        ))
    }
}

fn compile_node(filter: &Filter, scope: Scope<'_>) -> Result<Node, ScimError> {
    Ok(match filter {
        Filter::Compare {
            path,
            op,
            value,
            span,
        } => compile_test(scope, path, Some(*op), value).map_err(at_span(*span))?,
        Filter::Present { path, span } => {
            compile_test(scope, path, None, &CompValue::Null).map_err(at_span(*span))?
        }
        Filter::And { children, .. } => Node::All(
            children
                .iter()
                .map(|c| compile_node(c, scope))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Or { children, .. } => Node::Any(
            children
                .iter()
                .map(|c| compile_node(c, scope))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Not { filter, .. } => Node::Not(Box::new(compile_node(filter, scope)?)),
        Filter::ValuePath { path, filter, span } => compile_value_path(scope, path, filter, *span)?,
    })
}

fn compile_value_path(
    scope: Scope<'_>,
    path: &scimkit_schema::AttrPath,
    inner: &Filter,
    span: crate::ast::Span,
) -> Result<Node, ScimError> {
    let here = at_span(span);
    match scope {
        Scope::Element(..) => Err(here(invalid(format!(
            "{path}[...]: a value path cannot be nested"
        )))),
        Scope::Schemaless => {
            let Some(target) = resolve(scope, path, false)? else {
                return Ok(Node::Const(false));
            };
            Ok(Node::ValuePath {
                loc: target.loc,
                inner: Box::new(compile_node(inner, Scope::Schemaless)?),
            })
        }
        Scope::Resource(_, opts) => {
            let Some(target) = resolve(scope, path, false).map_err(&here)? else {
                return Ok(Node::Const(false));
            };
            let def = target
                .def
                .filter(|d| d.kind == AttributeType::Complex)
                .ok_or_else(|| {
                    here(invalid(format!(
                        "{path}[...]: value filters apply to complex attributes only"
                    )))
                })?;
            Ok(Node::ValuePath {
                loc: target.loc,
                inner: Box::new(compile_node(inner, Scope::Element(def, opts))?),
            })
        }
    }
}

impl Filter {
    /// Compile against a resource schema, treating undefined attributes as
    /// having no value. Errors are `invalidFilter`.
    pub fn compile(&self, schema: &ResourceSchema) -> Result<CompiledFilter, ScimError> {
        self.compile_with(schema, CompileOptions::default())
    }

    /// Compile against a resource schema with explicit options.
    pub fn compile_with(
        &self,
        schema: &ResourceSchema,
        options: CompileOptions,
    ) -> Result<CompiledFilter, ScimError> {
        Ok(CompiledFilter {
            root: compile_node(self, Scope::Resource(schema, options))?,
        })
    }

    /// Compile the filter of a value path (`emails[type eq "work"]`) for the
    /// elements of the complex attribute `parent`: names are its
    /// sub-attributes, and [`CompiledFilter::matches`] takes one element.
    pub fn compile_for_elements(
        &self,
        parent: &Attribute,
        options: CompileOptions,
    ) -> Result<CompiledFilter, ScimError> {
        if parent.kind != AttributeType::Complex {
            return Err(invalid(format!(
                "{}[...]: value filters apply to complex attributes only",
                parent.name
            )));
        }
        Ok(CompiledFilter {
            root: compile_node(self, Scope::Element(parent, options))?,
        })
    }

    /// Compile with RFC defaults and no schema (see the module docs).
    pub fn compile_schemaless(&self) -> CompiledFilter {
        // Without a schema nothing is rejected: every check that needs a
        // type turns into "no match" instead.
        let root = compile_node(self, Scope::Schemaless).unwrap_or(Node::Const(false));
        CompiledFilter { root }
    }

    /// Match one resource with RFC defaults and no schema. Compiles on every
    /// call: for many resources, compile once and call
    /// [`CompiledFilter::matches`].
    pub fn matches(&self, resource: &Value) -> bool {
        self.compile_schemaless().matches(resource)
    }
}

/// What a sort key is read through: a location and, with a schema, the
/// attribute's comparator.
#[derive(Clone, Debug)]
pub(crate) struct SortTarget {
    pub(crate) loc: Loc,
    pub(crate) comparator: Option<Comparator>,
}

/// Resolve a `sortBy` path; `Ok(None)` for an attribute the schema does not
/// define (nothing has a key).
pub(crate) fn resolve_sort_target(
    schema: Option<(&ResourceSchema, CompileOptions)>,
    path: &scimkit_schema::AttrPath,
) -> Result<Option<SortTarget>, ScimError> {
    let scope = schema.map_or(Scope::Schemaless, |(rs, opts)| Scope::Resource(rs, opts));
    let target = resolve(scope, path, true).map_err(|e| {
        ScimError::new(
            ScimType::InvalidValue,
            format!("sortBy: {}", e.detail().unwrap_or_default()),
        )
    })?;
    let Some(target) = target else {
        return Ok(None);
    };
    if let Some(def) = target.def {
        if def.kind == AttributeType::Complex {
            return Err(ScimError::new(
                ScimType::InvalidValue,
                format!("sortBy {path}: name a sub-attribute of this complex attribute"),
            ));
        }
    }
    Ok(Some(SortTarget {
        loc: target.loc,
        comparator: target.def.map(Comparator::for_attribute),
    }))
}
