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
//! - A multi-valued complex attribute compared without a sub-attribute
//!   (`emails co "example.com"`) compares its `value` sub-attribute (RFC
//!   7644 §3.4.2.2, Figure 2; what peers do). A singular complex attribute
//!   compared with a value (`name co "x"`, `manager eq "x"`) is
//!   `invalidFilter`: it has no value of its own; `name pr` stays valid.
//! - An attribute or sub-attribute whose schema says `returned: "never"`
//!   (`password`) is `invalidFilter` under every operator, `pr` included,
//!   and so is `pr` on a complex attribute holding one, and sorting by it:
//!   a filter on a secret reads the secret through list queries.
//!   [`CompileOptions::filter_never_returned`] allows filter-only ones (not
//!   `writeOnly`), as Entra's schema has.
//! - The common attributes compare with the caseExact of their own
//!   definition (see [`comparator_for`]): `schemas` case-insensitively,
//!   `id`, `externalId` and `meta.resourceType`/`location`/`version`
//!   exactly.
//! - `pr` is true when the attribute has a non-empty value: not null, not
//!   `""`, not `[]`, not an object whose members are all empty.
//! - A missing attribute has no value: every comparison with it is false,
//!   except `ne`, which is "not identical" and so true, and `eq null`, which
//!   is true because unassigned and null are the same state (RFC 7643 §2.5).
//!   `ne` is the negation of `eq` in every case, which on a multi-valued
//!   attribute means "no value equals".
//! - `eq null` is any-match too: `emails.type eq null` is true when one
//!   email has no type although another has one (as `emails[type eq
//!   null]`); `emails.type ne null` is true when every email has a type.
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

use scimkit_schema::compare::{Comparator, CompareError, Operand};
use scimkit_schema::json::{is_non_empty, CiKey};
use scimkit_schema::{
    AttrPath, Attribute, AttributeType, Mutability, ResolveErrorKind, ResourceSchema, Returned,
    ScimError, ScimType,
};
use serde_json::Value;

use crate::ast::{CompValue, CompareOp, Filter};
use crate::ParseOptions;
use scimkit_schema::error::excerpt;

/// Options for [`Filter::compile_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompileOptions {
    /// Reject attributes the schema does not define (`invalidFilter`)
    /// instead of treating them as having no value.
    pub strict_attributes: bool,
    /// Allow filtering on attributes that are `returned: "never"` but not
    /// `writeOnly`: filter-only attributes, such as Microsoft Entra's
    /// `groups` and `members`, which are too large to return but which
    /// clients filter on (`groups.value eq "{id}"`). Off by default: a
    /// schema's `returned: "never"` is then refused. `writeOnly` attributes
    /// (`password`, stored hashes: RFC 7643 §7) are refused even when on.
    pub filter_never_returned: bool,
}

impl CompileOptions {
    /// Set [`Self::strict_attributes`].
    #[must_use]
    pub fn strict_attributes(mut self, strict: bool) -> Self {
        self.strict_attributes = strict;
        self
    }

    /// Set [`Self::filter_never_returned`].
    #[must_use]
    pub fn filter_never_returned(mut self, allow: bool) -> Self {
        self.filter_never_returned = allow;
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
///
/// Names are [`CiKey`]s: folded once here, so that matching a resource
/// compares bytes without lower-casing the filter's side again.
#[derive(Clone, Debug)]
pub(crate) struct Loc {
    container: Container,
    attr: CiKey,
    sub: Option<CiKey>,
    /// Complex attribute without a sub-attribute: use each element's
    /// `value` (this key).
    implicit_value: Option<CiKey>,
    /// Where the attribute's value is kept during one `matches` call, when
    /// the filter reads it more than once (see [`Memo`]).
    slot: Option<u8>,
}

/// The most attributes one `matches` call remembers (see [`Memo`]): one
/// bit each of `Memo::filled`.
const MEMO_SLOTS: usize = 8;
const _: () = assert!(MEMO_SLOTS <= u8::BITS as usize);

/// The attribute values one `matches` call has looked up, by slot.
///
/// A filter that names one attribute several times (`userName eq "a" or
/// userName eq "b" or ...`, `title pr and ... or title pr`) looks it up in
/// the resource once: a lookup (an exact probe of the sorted map, then a
/// case-insensitive scan when it misses) costs more than the comparison
/// that follows. Slots go to the attributes of the resource itself (not to
/// those read inside a value path's brackets, which change per element)
/// that the filter reads at least twice.
struct Memo<'v> {
    filled: u8,
    values: [Option<&'v Value>; MEMO_SLOTS],
}

impl<'v> Memo<'v> {
    fn new() -> Self {
        Self {
            filled: 0,
            values: [None; MEMO_SLOTS],
        }
    }
}

#[derive(Clone, Debug)]
enum Container {
    /// The resource (or element) itself.
    Root,
    /// The extension object under this URN key.
    Extension(CiKey),
    /// Without a schema: the object under this URN key if there is one,
    /// else the resource itself (a core-qualified path).
    Either(CiKey),
}

#[derive(Clone, Debug)]
struct Test {
    loc: Loc,
    kind: TestKind,
}

/// A leaf test; `O` is the prepared literal (`()` when only checking).
#[derive(Clone, Debug)]
enum TestKind<O = Operand> {
    Present,
    Unassigned,
    Assigned,
    Eq(Comparator, O),
    Ne(Comparator, O),
    Co(Comparator, O),
    Sw(Comparator, O),
    Ew(Comparator, O),
    Ord(Comparator, O, CompareOp),
}

impl Loc {
    /// [`Self::attr_value`], through the call's memo when the attribute
    /// has a slot.
    fn lookup<'v>(&self, resource: &'v Value, memo: &mut Memo<'v>) -> Option<&'v Value> {
        let Some(slot) = self.slot else {
            return self.attr_value(resource);
        };
        let bit = 1u8 << slot;
        let index = usize::from(slot);
        if memo.filled & bit != 0 {
            return memo.values.get(index).copied().flatten();
        }
        let found = self.attr_value(resource);
        if let Some(cell) = memo.values.get_mut(index) {
            *cell = found;
            memo.filled |= bit;
        }
        found
    }

    pub(crate) fn attr_value<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        let object = resource.as_object()?;
        let container = match &self.container {
            Container::Root => object,
            Container::Extension(urn) => urn.get(object)?.as_object()?,
            Container::Either(urn) => urn.get(object).and_then(Value::as_object).unwrap_or(object),
        };
        self.attr.get(container)
    }

    /// From one value of the attribute to the value compared.
    pub(crate) fn leaf<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        match (&self.sub, &self.implicit_value) {
            (Some(sub), _) => sub.member(v),
            (None, Some(value)) if v.is_object() => value.member(v),
            (None, _) => Some(v),
        }
    }

    /// `eq null`: whether the attribute, or one of its values, is
    /// unassigned (missing, `null` or `[]`, RFC 7643 §2.5).
    ///
    /// Any-match, like every other comparison on a multi-valued attribute
    /// (RFC 7644 §3.4.2.2): `emails.type eq null` is true when one email
    /// has no type, exactly as `emails[type eq null]` is, even if another
    /// email has one. `ne null` is its negation: every value is assigned.
    fn any_unassigned(&self, attr: Option<&Value>) -> bool {
        let unassigned = |leaf: Option<&Value>| match leaf {
            None | Some(Value::Null) => true,
            Some(Value::Array(items)) => items.is_empty() || items.iter().any(Value::is_null),
            Some(_) => false,
        };
        match attr {
            None | Some(Value::Null) => true,
            Some(Value::Array(items)) => {
                items.is_empty() || items.iter().any(|item| unassigned(self.leaf(item)))
            }
            Some(v) => unassigned(self.leaf(v)),
        }
    }

    /// Whether `f` holds for any value of the attribute.
    fn any(&self, attr: Option<&Value>, mut f: impl FnMut(&Value) -> bool) -> bool {
        let mut test = |leaf: &Value| match leaf {
            Value::Array(items) => items.iter().any(&mut f),
            other => f(other),
        };
        match attr {
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
    fn eval<'v>(&self, resource: &'v Value, memo: &mut Memo<'v>) -> bool {
        let loc = &self.loc;
        let attr = loc.lookup(resource, memo);
        match &self.kind {
            TestKind::Present => loc.any(attr, is_non_empty),
            TestKind::Unassigned => loc.any_unassigned(attr),
            TestKind::Assigned => !loc.any_unassigned(attr),
            TestKind::Eq(c, o) => loc.any(attr, |v| c.equals(v, o)),
            TestKind::Ne(c, o) => !loc.any(attr, |v| c.equals(v, o)),
            TestKind::Co(c, o) => loc.any(attr, |v| c.contains(v, o)),
            TestKind::Sw(c, o) => loc.any(attr, |v| c.starts_with(v, o)),
            TestKind::Ew(c, o) => loc.any(attr, |v| c.ends_with(v, o)),
            TestKind::Ord(c, o, op) => loc.any(attr, |v| {
                c.compare(v, o)
                    .is_some_and(|ord| ordering_accepts(*op, ord))
            }),
        }
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
    /// `memo` belongs to the resource being matched: inside a value path
    /// the elements are matched with no slots (their own memo).
    fn eval<'v>(&self, resource: &'v Value, memo: &mut Memo<'v>) -> bool {
        match self {
            Self::Const(b) => *b,
            Self::All(nodes) => nodes.iter().all(|n| n.eval(resource, memo)),
            Self::Any(nodes) => nodes.iter().any(|n| n.eval(resource, memo)),
            Self::Not(node) => !node.eval(resource, memo),
            Self::Test(test) => test.eval(resource, memo),
            Self::ValuePath { loc, inner } => {
                let mut element_memo = Memo::new();
                match loc.lookup(resource, memo) {
                    Some(Value::Array(items)) => {
                        items.iter().any(|item| inner.eval(item, &mut element_memo))
                    }
                    Some(item @ Value::Object(_)) => inner.eval(item, &mut element_memo),
                    _ => false,
                }
            }
        }
    }

    /// The locations this node reads in the resource itself (not inside
    /// value paths' brackets), for [`assign_slots`].
    fn resource_locs<'a>(&'a mut self, out: &mut Vec<&'a mut Loc>) {
        match self {
            Self::Const(_) => {}
            Self::All(nodes) | Self::Any(nodes) => {
                nodes.iter_mut().for_each(|n| n.resource_locs(out));
            }
            Self::Not(node) => node.resource_locs(out),
            Self::Test(test) => out.push(&mut test.loc),
            Self::ValuePath { loc, .. } => out.push(loc),
        }
    }
}

/// Give a [`Memo`] slot to each attribute of the resource that `root`
/// reads more than once (the same container and the same spelling: two
/// spellings may find different members), up to [`MEMO_SLOTS`].
fn assign_slots(root: &mut Node) {
    let mut locs = Vec::new();
    root.resource_locs(&mut locs);
    let same = |a: &Loc, b: &Loc| {
        a.attr.as_str() == b.attr.as_str()
            && match (&a.container, &b.container) {
                (Container::Root, Container::Root) => true,
                (Container::Extension(x), Container::Extension(y))
                | (Container::Either(x), Container::Either(y)) => x.as_str() == y.as_str(),
                _ => false,
            }
    };
    let mut next = 0u8;
    for i in 0..locs.len() {
        if usize::from(next) >= MEMO_SLOTS {
            break;
        }
        let (before, rest) = locs.split_at_mut(i);
        let Some((this, after)) = rest.split_first_mut() else {
            break;
        };
        if this.slot.is_some() || before.iter().any(|b| same(b, this)) {
            continue;
        }
        let mut shared = false;
        for other in after.iter_mut().filter(|o| same(o, this)) {
            other.slot = Some(next);
            shared = true;
        }
        if shared {
            this.slot = Some(next);
            next += 1;
        }
    }
}

impl CompiledFilter {
    fn new(mut root: Node) -> Self {
        assign_slots(&mut root);
        Self { root }
    }

    /// Whether `resource` matches.
    pub fn matches(&self, resource: &Value) -> bool {
        self.root.eval(resource, &mut Memo::new())
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

/// Where a resolved attribute is, as borrowed names: [`Target::loc`]
/// folds them into a [`Loc`] only when a matcher is built (a check needs
/// no location).
#[derive(Clone, Copy)]
enum Place<'s> {
    Root,
    Extension(&'s str),
    Either(&'s str),
}

/// The attribute definition a leaf test compares, with where it is.
struct Target<'a, 's> {
    path: &'s AttrPath,
    place: Place<'s>,
    /// Complex attribute without a sub-attribute: read each element's
    /// `value`.
    implicit_value: bool,
    def: Option<&'a Attribute>,
    /// A common attribute (RFC 7643 §3.1): see [`comparator_for`].
    common: bool,
}

impl Target<'_, '_> {
    fn comparator(&self) -> Option<Comparator> {
        self.def.map(|d| comparator_for(d, self.common))
    }

    /// The location a matcher reads (names folded once, here).
    fn loc(&self) -> Loc {
        Loc {
            container: match self.place {
                Place::Root => Container::Root,
                Place::Extension(u) => Container::Extension(CiKey::new(u)),
                Place::Either(u) => Container::Either(CiKey::new(u)),
            },
            attr: CiKey::new(self.path.attribute()),
            sub: self.path.sub_attribute().map(CiKey::new),
            implicit_value: self.implicit_value.then(|| CiKey::new("value")),
            slot: None,
        }
    }
}

/// The comparator for an attribute definition.
///
/// scimkit-schema's comparator treats every reference as caseExact (RFC
/// 7643 §2.3.7). The common attribute `schemas` is a `uri` reference whose
/// built-in definition says caseExact false, because schema URNs compare
/// case-insensitively (RFC 7644 §3.10); for the common attributes the
/// definition's own caseExact wins, so `schemas eq "URN:IETF:..."` matches.
/// The other common attributes (`id`, `externalId`, `meta.resourceType`,
/// `meta.location`, `meta.version`) are caseExact true (RFC 7643 §3.1).
fn comparator_for(def: &Attribute, common: bool) -> Comparator {
    if common && def.kind == AttributeType::Reference && !def.case_exact {
        return Comparator::new(AttributeType::String, false);
    }
    Comparator::for_attribute(def)
}

/// What a path is resolved for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Usage {
    /// `path op value` (and `sortBy`): a complex attribute without a
    /// sub-attribute is read through its `value` if it is multi-valued.
    Compare,
    /// `path pr`: the whole value, every sub-attribute of a complex one.
    Present,
    /// `path[...]`: the inner filter names the sub-attributes it reads.
    ValuePath,
}

/// Refuse filtering on what is never returned (RFC 7643 §7, `returned`
/// "never", such as `password`): otherwise `password sw "a"`, then `"ab"`,
/// ..., reads a secret through a list query one character at a time, and
/// even `eq` confirms a guess. Every operator is refused, `pr` too (it
/// tells which users have a password): the simplest rule that leaks nothing.
///
/// [`CompileOptions::filter_never_returned`] lets filter-only attributes
/// through; `writeOnly` ones (RFC 7643 §7: "e.g., a stored hash") never.
fn refuse_never_returned<'a>(
    path: &AttrPath,
    read: impl IntoIterator<Item = &'a Attribute>,
    opts: CompileOptions,
) -> Result<(), ScimError> {
    let secret = |a: &&Attribute| {
        a.returned == Returned::Never
            && (!opts.filter_never_returned || a.mutability == Mutability::WriteOnly)
    };
    match read.into_iter().find(secret) {
        None => Ok(()),
        Some(secret) => Err(invalid(format!(
            "{}: {:?} is never returned (returned \"never\"), so a filter cannot test it",
            excerpt(&path.to_string()),
            secret.name
        ))),
    }
}

/// A [`ResolveError`] as an `invalidFilter` detail, quoting a bounded part
/// of the path.
fn unresolved(path: &AttrPath, e: &scimkit_schema::ResolveError) -> ScimError {
    let why = match e.kind() {
        ResolveErrorKind::UnknownSchema => "its schema is not used by this resource type",
        ResolveErrorKind::UnknownAttribute => "no such attribute in this resource type",
        ResolveErrorKind::UnknownSubAttribute => "no such sub-attribute in this resource type",
        ResolveErrorKind::NotComplex => "the attribute is not complex and has no sub-attributes",
        ResolveErrorKind::SchemaNotAttribute => "names a schema, not an attribute",
        _ => "does not resolve",
    };
    invalid(format!(
        "attribute path {:?}: {why}",
        excerpt(&path.to_string())
    ))
}

/// `Ok(None)`: the attribute is undefined and counts as having no value.
/// Allocates nothing unless it fails: the location is built by the caller
/// ([`Target::loc`]) when it needs one.
fn resolve<'a, 's>(
    scope: Scope<'a>,
    path: &'s AttrPath,
    usage: Usage,
) -> Result<Option<Target<'a, 's>>, ScimError>
where
    'a: 's,
{
    let plain = |place| Target {
        path,
        place,
        implicit_value: false,
        def: None,
        common: false,
    };
    let opts = match scope {
        Scope::Resource(_, opts) | Scope::Element(_, opts) => opts,
        Scope::Schemaless => CompileOptions::default(),
    };
    let (mut target, mut def) = match scope {
        Scope::Schemaless => {
            let place = path.schema().map_or(Place::Root, Place::Either);
            let mut target = plain(place);
            if usage == Usage::Compare && path.sub_attribute().is_none() {
                target.implicit_value = true;
            }
            return Ok(Some(target));
        }
        Scope::Element(parent, opts) => {
            if path.schema().is_some() || path.sub_attribute().is_some() {
                return Err(invalid(format!(
                    "inside the value filter of {:?}, name one of its sub-attributes; found {:?}",
                    parent.name,
                    excerpt(&path.to_string())
                )));
            }
            match parent.sub_attribute(path.attribute()) {
                Some(def) => {
                    refuse_never_returned(path, [parent, def], opts)?;
                    (plain(Place::Root), def)
                }
                None if opts.strict_attributes => {
                    return Err(invalid(format!(
                        "{:?} has no sub-attribute {:?}",
                        parent.name,
                        excerpt(path.attribute())
                    )))
                }
                None => return Ok(None),
            }
        }
        // Unqualified names: core schema and common attributes first, then
        // the extensions in the resource type's order (scimkit-schema's
        // lookup, RFC 7644 §3.10: clients SHOULD, not MUST, qualify them).
        Scope::Resource(rs, opts) => match rs.resolve(path) {
            Ok(found) => {
                refuse_never_returned(
                    path,
                    [found.attribute()].into_iter().chain(found.sub_attribute()),
                    opts,
                )?;
                let place = if found.in_extension() {
                    Place::Extension(found.schema_urn())
                } else {
                    Place::Root
                };
                let mut target = plain(place);
                target.common = found.is_common();
                (target, found.target())
            }
            Err(e) if *e.kind() == ResolveErrorKind::SchemaNotAttribute => {
                return Err(unresolved(path, &e))
            }
            Err(e) if opts.strict_attributes => return Err(unresolved(path, &e)),
            Err(_) => return Ok(None),
        },
    };
    if def.kind == AttributeType::Complex && path.sub_attribute().is_none() {
        match usage {
            Usage::ValuePath => {}
            Usage::Present => refuse_never_returned(path, &def.sub_attributes, opts)?,
            // RFC 7644 §3.4.2.2: a singular complex attribute has no value
            // of its own to compare (`name eq "x"`, `manager eq "x"`).
            Usage::Compare if !def.multi_valued => {
                return Err(invalid(format!(
                    "{} is a singular complex attribute: compare one of its sub-attributes, \
                     or test it with pr",
                    excerpt(&path.to_string())
                )))
            }
            // A multi-valued complex attribute compares its `value`
            // sub-attribute (RFC 7644 §3.4.2.2, Figure 2: `emails co ...`).
            Usage::Compare => match def.sub_attribute("value") {
                Some(value) => {
                    refuse_never_returned(path, [value], opts)?;
                    target.implicit_value = true;
                    def = value;
                }
                None => {
                    return Err(invalid(format!(
                        "{} is complex and has no \"value\" sub-attribute: \
                         compare one of its sub-attributes",
                        excerpt(&path.to_string())
                    )))
                }
            },
        }
    }
    target.def = Some(def);
    Ok(Some(target))
}

/// What compiling produces: the matcher ([`Build`]), or nothing but the
/// verdict ([`Check`], for [`Filter::check_with`]). The rules (resolution,
/// operator and literal checks, error texts) are written once, in
/// [`compile_node`] and the functions it calls; a mode only says how to
/// build each piece, so `check_with` and `compile_with` cannot disagree.
trait Mode {
    type Node;
    type Operand;
    fn constant(value: bool) -> Self::Node;
    fn all(children: Vec<Self::Node>) -> Self::Node;
    fn any(children: Vec<Self::Node>) -> Self::Node;
    fn not(child: Self::Node) -> Self::Node;
    fn test(target: &Target<'_, '_>, kind: TestKind<Self::Operand>) -> Self::Node;
    fn value_path(target: &Target<'_, '_>, inner: Self::Node) -> Self::Node;
    /// Type-check `value` for comparator `c` (exactly `Comparator::prepare`'s
    /// verdict) and, when building, prepare it.
    fn operand(c: &Comparator, value: &CompValue) -> Result<Self::Operand, CompareError>;
}

/// Build the matcher.
struct Build;

impl Mode for Build {
    type Node = Node;
    type Operand = Operand;
    fn constant(value: bool) -> Node {
        Node::Const(value)
    }
    fn all(children: Vec<Node>) -> Node {
        Node::All(children.into_boxed_slice())
    }
    fn any(children: Vec<Node>) -> Node {
        Node::Any(children.into_boxed_slice())
    }
    fn not(child: Node) -> Node {
        Node::Not(Box::new(child))
    }
    fn test(target: &Target<'_, '_>, kind: TestKind) -> Node {
        Node::Test(Box::new(Test {
            loc: target.loc(),
            kind,
        }))
    }
    fn value_path(target: &Target<'_, '_>, inner: Node) -> Node {
        Node::ValuePath {
            loc: target.loc(),
            inner: Box::new(inner),
        }
    }
    fn operand(c: &Comparator, value: &CompValue) -> Result<Operand, CompareError> {
        c.prepare(&value.to_json())
    }
}

/// Check only: nothing is built (`Vec<()>` does not allocate).
struct Check;

impl Mode for Check {
    type Node = ();
    type Operand = ();
    fn constant(_: bool) {}
    fn all(_: Vec<()>) {}
    fn any(_: Vec<()>) {}
    fn not((): ()) {}
    fn test(_: &Target<'_, '_>, _: TestKind<()>) {}
    fn value_path(_: &Target<'_, '_>, (): ()) {}
    fn operand(c: &Comparator, value: &CompValue) -> Result<(), CompareError> {
        // A string literal for a string-valued comparator is the one case
        // where `prepare` cannot fail (it only computes the literal's
        // comparison key, which allocates): skip it. Every other literal
        // goes through `prepare` itself. The equivalence tests
        // (`tests/check.rs`) hold this to `compile_with`'s verdicts.
        if matches!(
            (c.kind(), value),
            (
                AttributeType::String | AttributeType::Binary | AttributeType::Reference,
                CompValue::String(_)
            )
        ) {
            return Ok(());
        }
        c.prepare(&value.to_json()).map(drop)
    }
}

fn compile_test<M: Mode>(
    scope: Scope<'_>,
    path: &AttrPath,
    op: Option<CompareOp>,
    value: &CompValue,
) -> Result<M::Node, ScimError> {
    let usage = if op.is_some() {
        Usage::Compare
    } else {
        Usage::Present
    };
    let Some(target) = resolve(scope, path, usage)? else {
        // Undefined attribute: decide as for a missing one.
        return Ok(M::constant(answer_for_missing(op, value)));
    };
    let Some(op) = op else {
        return Ok(M::test(&target, TestKind::Present));
    };
    let kind = match (op, value) {
        (CompareOp::Eq, CompValue::Null) => TestKind::Unassigned,
        (CompareOp::Ne, CompValue::Null) => TestKind::Assigned,
        (_, CompValue::Null) => {
            if target.def.is_none() {
                return Ok(M::constant(false));
            }
            return Err(invalid(format!(
                "{}: null can only be compared with eq or ne",
                clause(path, op, value)
            )));
        }
        _ => match (target.def, target.comparator()) {
            (Some(def), Some(c)) => typed_kind::<M>(def, c, path, op, value)?,
            _ => match schemaless_kind::<M>(op, value) {
                Some(kind) => kind,
                None => return Ok(M::constant(false)),
            },
        },
    };
    Ok(M::test(&target, kind))
}

/// The result of a test on an attribute with no value (missing or
/// undefined): only `eq null` and `ne <value>` are true.
fn answer_for_missing(op: Option<CompareOp>, value: &CompValue) -> bool {
    match (op, value) {
        (None, _) => false,
        (Some(CompareOp::Eq), CompValue::Null) => true,
        (Some(CompareOp::Ne), CompValue::Null) => false,
        (Some(CompareOp::Ne), _) => true,
        _ => false,
    }
}

fn with_op<O>(op: CompareOp, c: Comparator, o: O) -> TestKind<O> {
    match op {
        CompareOp::Eq => TestKind::Eq(c, o),
        CompareOp::Ne => TestKind::Ne(c, o),
        CompareOp::Co => TestKind::Co(c, o),
        CompareOp::Sw => TestKind::Sw(c, o),
        CompareOp::Ew => TestKind::Ew(c, o),
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le => TestKind::Ord(c, o, op),
    }
}

/// `path op value` as quoted in an error: at most [`excerpt`]'s bound.
fn clause(path: &AttrPath, op: CompareOp, value: &CompValue) -> String {
    excerpt(&format!("{path} {op} {value}")).into_owned()
}

fn typed_kind<M: Mode>(
    def: &Attribute,
    c: Comparator,
    path: &AttrPath,
    op: CompareOp,
    value: &CompValue,
) -> Result<TestKind<M::Operand>, ScimError> {
    let check = if op.is_ordering() {
        c.check_ordering()
    } else if op.is_substring() {
        c.check_substring()
    } else {
        Ok(())
    };
    check.map_err(|_| {
        invalid(format!(
            "{}: `{op}` is not defined for {} attributes",
            clause(path, op, value),
            def.kind
        ))
    })?;
    let operand = M::operand(&c, value).map_err(|e| {
        let why = match e {
            // The error quotes the literal whole: quote a bounded part.
            CompareError::InvalidDateTime(text) => format!(
                "{:?} is not an xsd:dateTime such as \"2011-05-13T04:42:34Z\"",
                excerpt(&text)
            ),
            other => other.to_string(),
        };
        invalid(format!("{}: {why}", clause(path, op, value)))
    })?;
    Ok(with_op(op, c, operand))
}

/// Without a schema the literal decides the comparator; `None` when the
/// operator cannot apply to such a literal (no match).
fn schemaless_kind<M: Mode>(op: CompareOp, value: &CompValue) -> Option<TestKind<M::Operand>> {
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
    let operand = M::operand(&c, value).ok()?;
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

/// The deepest tree `compile` accepts: what the parser can produce under
/// [`ParseOptions::MAX_DEPTH_CEILING`] (each nesting level holds a `not` or
/// value path and an `and`/`or`, plus the root and a leaf). A tree built in
/// code deeper than that is refused instead of risking the stack.
const MAX_TREE_DEPTH: usize = 2 * ParseOptions::MAX_DEPTH_CEILING + 2;

fn compile_node<M: Mode>(
    filter: &Filter,
    scope: Scope<'_>,
    depth: usize,
) -> Result<M::Node, ScimError> {
    if depth > MAX_TREE_DEPTH {
        return Err(at_span(filter.span())(invalid(format!(
            "the filter tree nests deeper than {MAX_TREE_DEPTH} levels"
        ))));
    }
    let depth = depth + 1;
    Ok(match filter {
        Filter::Compare {
            path,
            op,
            value,
            span,
        } => compile_test::<M>(scope, path, Some(*op), value).map_err(at_span(*span))?,
        Filter::Present { path, span } => {
            compile_test::<M>(scope, path, None, &CompValue::Null).map_err(at_span(*span))?
        }
        Filter::And { children, .. } => M::all(
            children
                .iter()
                .map(|c| compile_node::<M>(c, scope, depth))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Or { children, .. } => M::any(
            children
                .iter()
                .map(|c| compile_node::<M>(c, scope, depth))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Not { filter, .. } => M::not(compile_node::<M>(filter, scope, depth)?),
        Filter::ValuePath { path, filter, span } => {
            compile_value_path::<M>(scope, path, filter, *span, depth)?
        }
    })
}

fn compile_value_path<M: Mode>(
    scope: Scope<'_>,
    path: &AttrPath,
    inner: &Filter,
    span: crate::ast::Span,
    depth: usize,
) -> Result<M::Node, ScimError> {
    let here = at_span(span);
    match scope {
        Scope::Element(..) => Err(here(invalid(format!(
            "{}[...]: a value path cannot be nested",
            excerpt(&path.to_string())
        )))),
        Scope::Schemaless => {
            let Some(target) = resolve(scope, path, Usage::ValuePath)? else {
                return Ok(M::constant(false));
            };
            let inner = compile_node::<M>(inner, Scope::Schemaless, depth)?;
            Ok(M::value_path(&target, inner))
        }
        Scope::Resource(_, opts) => {
            let Some(target) = resolve(scope, path, Usage::ValuePath).map_err(&here)? else {
                return Ok(M::constant(false));
            };
            let def = target
                .def
                .filter(|d| d.kind == AttributeType::Complex)
                .ok_or_else(|| {
                    here(invalid(format!(
                        "{}[...]: value filters apply to complex attributes only",
                        excerpt(&path.to_string())
                    )))
                })?;
            let inner = compile_node::<M>(inner, Scope::Element(def, opts), depth)?;
            Ok(M::value_path(&target, inner))
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
        Ok(CompiledFilter::new(compile_node::<Build>(
            self,
            Scope::Resource(schema, options),
            0,
        )?))
    }

    /// Validate against a resource schema without building a matcher:
    /// exactly the error [`compile_with`](Self::compile_with) would return
    /// (same status, `scimType` and detail), `Ok(())` when it would
    /// succeed. For translators (SQL, OData) that need the evaluator's
    /// verdict but not its matcher; it shares `compile_with`'s rules, so
    /// the two cannot disagree, and allocates nothing on success.
    ///
    /// ```
    /// use scimkit_filter::{CompileOptions, Filter};
    /// use scimkit_schema::ResourceSchema;
    ///
    /// let schema = ResourceSchema::user();
    /// let ok = Filter::parse(r#"emails[type eq "work"]"#)?;
    /// assert!(ok.check_with(schema, CompileOptions::default()).is_ok());
    /// let bad = Filter::parse(r#"meta.created gt "yesterday""#)?;
    /// assert_eq!(
    ///     bad.check_with(schema, CompileOptions::default()).err(),
    ///     bad.compile_with(schema, CompileOptions::default()).err(),
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_with(
        &self,
        schema: &ResourceSchema,
        options: CompileOptions,
    ) -> Result<(), ScimError> {
        compile_node::<Check>(self, Scope::Resource(schema, options), 0)
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
        Ok(CompiledFilter::new(compile_node::<Build>(
            self,
            Scope::Element(parent, options),
            0,
        )?))
    }

    /// Compile with RFC defaults and no schema (see the module docs).
    pub fn compile_schemaless(&self) -> CompiledFilter {
        // Without a schema nothing is rejected: every check that needs a
        // type turns into "no match" instead.
        CompiledFilter::new(
            compile_node::<Build>(self, Scope::Schemaless, 0).unwrap_or(Node::Const(false)),
        )
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
    path: &AttrPath,
) -> Result<Option<SortTarget>, ScimError> {
    let scope = schema.map_or(Scope::Schemaless, |(rs, opts)| Scope::Resource(rs, opts));
    let target = resolve(scope, path, Usage::Compare).map_err(|e| {
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
                format!(
                    "sortBy {}: name a sub-attribute of this complex attribute",
                    excerpt(&path.to_string())
                ),
            ));
        }
    }
    Ok(Some(SortTarget {
        comparator: target.comparator(),
        loc: target.loc(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compiled(filter: &str) -> CompiledFilter {
        Filter::parse(filter)
            .unwrap()
            .compile(ResourceSchema::user())
            .unwrap()
    }

    fn slots(filter: &CompiledFilter) -> Vec<Option<u8>> {
        let mut root = filter.root.clone();
        let mut locs = Vec::new();
        root.resource_locs(&mut locs);
        locs.iter().map(|l| l.slot).collect()
    }

    #[test]
    fn attributes_read_twice_get_a_memo_slot() {
        let f = compiled(
            r#"userName eq "a" or title pr or userName eq "b" or emails[type eq "x"] or emails co "y""#,
        );
        assert_eq!(
            slots(&f),
            [Some(0), None, Some(0), Some(1), Some(1)],
            "userName and emails are looked up once per resource"
        );
        assert!(f.matches(&json!({"userName": "B"})));
        assert!(f.matches(&json!({"emails": [{"value": "xy"}]})));
        assert!(!f.matches(&json!({"userName": "c", "emails": [{"type": "z"}]})));
        // Once per filter: each `matches` call starts afresh.
        assert!(f.matches(&json!({"userName": "a"})));
        assert!(!f.matches(&json!({"userName": "c"})));
        // Read once: no slot. Inside brackets, names belong to elements.
        assert_eq!(
            slots(&compiled(r#"emails[type eq "a" or type eq "b"]"#)),
            [None]
        );
    }

    #[test]
    fn spellings_and_containers_do_not_share_a_slot() {
        // `userName` and `USERNAME` find different members of a resource
        // that has both (the exact spelling first).
        let f = compiled(r#"userName eq "exact" and USERNAME eq "upper""#);
        assert_eq!(slots(&f), [None, None]);
        assert!(f.matches(&json!({"userName": "exact", "USERNAME": "upper"})));
        let f = compiled(
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1" and employeeNumber eq "1" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "d""#,
        );
        // The unqualified name resolves to the same extension attribute.
        assert_eq!(slots(&f), [Some(0), Some(0), None]);
        let user = json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "1", "department": "D"}});
        assert!(f.matches(&user));
    }

    #[test]
    fn at_most_memo_slots_attributes_are_remembered() {
        let names: Vec<String> = (0..MEMO_SLOTS + 2).map(|i| format!("a{i}")).collect();
        let filter = names
            .iter()
            .map(|n| format!(r#"{n} eq "x" or {n} eq "y""#))
            .collect::<Vec<_>>()
            .join(" or ");
        let f = Filter::parse(&filter).unwrap().compile_schemaless();
        let got = slots(&f);
        assert_eq!(got.iter().flatten().count(), 2 * MEMO_SLOTS);
        assert_eq!(got.iter().flatten().max(), Some(&(MEMO_SLOTS as u8 - 1)));
        let last = names.last().unwrap();
        assert!(f.matches(&json!({ last.as_str(): "Y" })));
        assert!(!f.matches(&json!({ last.as_str(): "z" })));
    }
}
