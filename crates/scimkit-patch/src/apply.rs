//! Applying a PATCH request to a resource (RFC 7644 §3.5.2.1–3.5.2.3).
//!
//! Operations run in order, each seeing the result of the one before. All
//! mutations go through the undo [`Journal`], so when any operation fails
//! the resource is restored exactly and the error returned: the request
//! applies completely or not at all.
//!
//! The choices where RFC 7644 is open are public crate documentation
//! (`lib.rs`, "Decisions where RFC 7644 is open"), each with a case in
//! `tests/data/patch-semantics.json`.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::RandomState;

use scimkit_filter::{CompareOp, CompileOptions, CompiledFilter, Filter};
use scimkit_schema::compare::Comparator;
use scimkit_schema::json::{get_ci, key_ci, member_ci};
use scimkit_schema::{
    AttrPath, Attribute, AttributeType, Mutability, ResourceSchema, Schema, ScimError, ScimType,
    Target as SchemaTarget,
};
use serde_json::{Map, Value};

use crate::element::{cover_pass, covering_scan, json_hash, ElementIndex, Keys};
use crate::error::PatchError;
use crate::journal::{attr, Journal, Mark, Slot};
use crate::options::{PatchOptions, UnknownAttributes};
use crate::outcome::{Change, ChangeKind, PatchOutcome};
use crate::path::PatchPath;
use crate::request::OpKind;
use crate::targets::{not_extension_object, pathless_without_object, value_key, ValueKey};
use crate::value::{
    check_value_limits, excerpt, invalid_path, invalid_value, mutability, unassigned, Checker,
};

fn no_target(detail: String) -> ScimError {
    ScimError::new(ScimType::NoTarget, detail)
}

/// Which values of the attribute an operation addresses.
enum Select<'f> {
    /// All of them (no filter).
    All,
    /// The elements a value filter matches.
    Elements(CompiledFilter, &'f Filter),
    /// Errata 7122: simple values an expression matches.
    Values(&'f Filter),
}

/// A resolved operation target.
struct Tgt<'s, 'f> {
    ext: Option<&'s Schema>,
    def: &'s Attribute,
    sub: Option<&'s Attribute>,
    select: Select<'f>,
}

impl Tgt<'_, '_> {
    /// The attribute in notation for change records.
    fn name(&self) -> String {
        let mut name = match self.ext {
            Some(ext) => format!("{}:{}", ext.id, self.def.name),
            None => self.def.name.clone(),
        };
        if let Some(sub) = self.sub {
            name.push('.');
            name.push_str(&sub.name);
        }
        name
    }

    fn attr_name(&self) -> String {
        match self.ext {
            Some(ext) => format!("{}:{}", ext.id, self.def.name),
            None => self.def.name.clone(),
        }
    }
}

/// Does a resource value contain anything (RFC 7643 §2.5)? Iterative, so a
/// resource nested deeper than any parser allows cannot exhaust the stack.
pub(crate) fn has_content(v: &Value) -> bool {
    let mut pending = vec![v];
    while let Some(v) = pending.pop() {
        match v {
            Value::Null => {}
            Value::Array(items) if items.is_empty() => {}
            Value::Object(members) => pending.extend(members.values()),
            _ => return true,
        }
    }
    false
}

fn is_primary(v: &Value) -> bool {
    member_ci(v, "primary") == Some(&Value::Bool(true))
}

/// `value eq "x"` (or any single `sub eq literal`) as the element it
/// selects, for an index lookup; the filter still decides each candidate.
fn eq_probe(filter: &Filter) -> Option<Value> {
    if !matches!(filter, Filter::Compare { .. }) {
        return None;
    }
    let (name, literal) = eq_terms(filter)?.pop()?;
    (!literal.is_null()).then(|| {
        let mut element = Map::new();
        element.insert(name, literal);
        Value::Object(element)
    })
}

/// The `eq` terms of a conjunction (`type eq "work" and primary eq true`),
/// from which an upsert builds the missing element.
fn eq_terms(filter: &Filter) -> Option<Vec<(String, Value)>> {
    match filter {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
            ..
        } if path.schema().is_none() && path.sub_attribute().is_none() => {
            Some(vec![(path.attribute().to_owned(), value.to_json())])
        }
        Filter::And { children, .. } => {
            let mut terms = Vec::new();
            for c in children {
                terms.extend(eq_terms(c)?);
            }
            Some(terms)
        }
        _ => None,
    }
}

/// Where a change's old value is.
#[derive(Clone, Copy, Debug)]
enum Old {
    None,
    /// Held by the journal entry of a mutation.
    At(Mark),
    /// The `k`th element a removal took out.
    Removed(Mark, usize),
}

impl From<Option<Mark>> for Old {
    fn from(mark: Option<Mark>) -> Self {
        mark.map_or(Self::None, Self::At)
    }
}

impl From<Mark> for Old {
    fn from(mark: Mark) -> Self {
        Self::At(mark)
    }
}

pub(crate) struct Engine<'a> {
    schema: &'a ResourceSchema,
    options: &'a PatchOptions,
    checker: Checker<'a>,
    journal: Journal,
    changes: Vec<Change>,
    touched_ext: Vec<&'a str>,
    /// Changes whose old value is still in the journal.
    pending_old: Vec<(usize, Old)>,
    /// The required extensions `schemas` listed before the request.
    required_listed: Vec<&'a str>,
}

/// Apply `operations` to `resource` under `schema`; see
/// [`PatchRequest::apply`]. The operations' values move into the resource.
///
/// Each operation comes as its kind, its path (borrowed or owned) and its
/// value (moved in: [`PatchRequest::apply`](crate::PatchRequest::apply)
/// copies only the values, `apply_owned` not even those).
pub(crate) fn apply<P: Borrow<PatchPath>>(
    operations: impl IntoIterator<Item = (OpKind, Option<P>, Option<Value>)>,
    resource: &mut Value,
    schema: &ResourceSchema,
    options: &PatchOptions,
) -> Result<PatchOutcome, PatchError> {
    let Some(res) = resource.as_object_mut() else {
        return Err(PatchError::in_body(ScimError::new(
            ScimType::InvalidSyntax,
            "the resource to patch must be a JSON object",
        )));
    };
    let mut engine = Engine {
        schema,
        options,
        checker: Checker { options },
        journal: Journal::default(),
        changes: Vec::new(),
        touched_ext: Vec::new(),
        pending_old: Vec::new(),
        required_listed: Vec::new(),
    };
    let listed = get_ci(res, "schemas").and_then(Value::as_array);
    engine.required_listed = schema
        .extensions()
        .filter(|(ext, required)| {
            *required
                && listed.is_some_and(|l| {
                    l.iter()
                        .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(&ext.id)))
                })
        })
        .map(|(ext, _)| ext.id.as_str())
        .collect();
    let operations = operations.into_iter();
    engine.journal.index_first = operations.size_hint().0 > 1;
    let mut result = Ok(());
    for (i, (kind, path, value)) in operations.enumerate() {
        let within_limits = value
            .as_ref()
            .map_or(Ok(()), |v| check_value_limits(v, options));
        let path = path.as_ref().map(Borrow::borrow);
        if let Err(e) = within_limits.and_then(|()| engine.operation(res, kind, path, value)) {
            result = Err(PatchError::in_operation(i, e));
            break;
        }
    }
    if result.is_ok() {
        result = engine.finish(res).map_err(PatchError::in_body);
    }
    match result {
        Ok(()) => {
            let mut changes = engine.changes;
            for (at, old) in engine.pending_old {
                let value = match old {
                    Old::None => None,
                    Old::At(mark) => engine.journal.take(mark, None),
                    Old::Removed(mark, k) => engine.journal.take(mark, Some(k)),
                };
                if let Some(change) = changes.get_mut(at) {
                    change.old = value;
                }
            }
            Ok(PatchOutcome { changes })
        }
        Err(e) => {
            engine.journal.rollback(res);
            Err(e)
        }
    }
}

impl<'a> Engine<'a> {
    /// Record a change. The old value stays in the journal until the
    /// request succeeds, then moves into the change (never copied); an
    /// unassigned old value (null, `[]`) counts as none.
    fn record(&mut self, path: String, old: impl Into<Old>, new: Option<Value>) {
        let old = old.into();
        let held = match old {
            Old::None => None,
            Old::At(mark) => self.journal.old(mark),
            Old::Removed(mark, k) => self.journal.removed(mark, k),
        };
        let assigned = !unassigned(held);
        let kind = match (assigned, &new) {
            (false, None) => return,
            (false, Some(_)) => ChangeKind::Added,
            (true, None) => ChangeKind::Removed,
            (true, Some(_)) => ChangeKind::Replaced,
        };
        if assigned {
            self.pending_old.push((self.changes.len(), old));
        }
        self.changes.push(Change {
            path,
            kind,
            old: None,
            new,
        });
    }

    /// The old value of a mutation, while it is in the journal.
    fn old(&self, mark: Option<Mark>) -> Option<&Value> {
        mark.and_then(|m| self.journal.old(m))
    }

    fn operation(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        path: Option<&PatchPath>,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        match (path, kind, value) {
            (None, OpKind::Add | OpKind::Replace, Some(Value::Object(members))) => {
                self.pathless(res, kind, members)
            }
            (None, kind, _) => Err(pathless_without_object(kind)),
            (Some(path), kind, value) => self.at_path(res, kind, path, value),
        }
    }

    /// `add`/`replace` without a path: each member of the value object is an
    /// attribute (or, under an extension URN key, an object of them).
    fn pathless(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        members: Map<String, Value>,
    ) -> Result<(), ScimError> {
        for (key, value) in members {
            match value_key(&key, |k| self.extension_named(k), self.options)? {
                ValueKey::Schema(ext) => self.whole_extension(res, kind, ext, Some(value))?,
                ValueKey::Path(path) => self.at_path(res, kind, &path, Some(value))?,
            }
        }
        Ok(())
    }

    /// Whether the resource type requires the extension `id`.
    fn required_extension(&self, id: &str) -> bool {
        self.schema
            .extensions()
            .any(|(s, required)| required && s.id.eq_ignore_ascii_case(id))
    }

    fn extension_named(&self, key: &str) -> Option<&'a Schema> {
        self.schema
            .extensions()
            .map(|(s, _)| s)
            .find(|s| s.id.eq_ignore_ascii_case(key))
    }

    fn at_path(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        path: &PatchPath,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        // A PATCH value filter selects values the client writes: filter-only
        // attributes (returned "never", e.g. Entra's `members`) are fair
        // game; writeOnly ones stay refused by scimkit-filter.
        let strict = CompileOptions::default()
            .strict_attributes(self.options.unknown_attributes == UnknownAttributes::Reject)
            .filter_never_returned(true);
        match path {
            PatchPath::Attribute(a) => match self.schema.resolve_target(a) {
                Ok(SchemaTarget::Extension(ext)) => self.whole_extension(res, kind, ext, value),
                Ok(SchemaTarget::Attribute(r)) => {
                    let t = Tgt {
                        ext: r.in_extension().then(|| r.schema()),
                        def: r.attribute(),
                        sub: r.sub_attribute(),
                        select: Select::All,
                    };
                    self.apply_target(res, kind, &t, value)
                }
                Err(e) => self.unknown(res, kind, a, value, ScimError::from(e)),
            },
            PatchPath::ValuePath {
                attribute,
                filter,
                sub_attribute,
            } => {
                let r = self.schema.resolve(attribute).map_err(ScimError::from)?;
                let def = r.attribute();
                if def.kind != AttributeType::Complex || !def.multi_valued {
                    return Err(invalid_path(format!(
                        "{path}: a value filter applies to multi-valued complex attributes; {} is not one",
                        def.name
                    )));
                }
                let compiled = filter.compile_for_elements(def, strict)?;
                let sub = match sub_attribute {
                    None => None,
                    Some(name) => Some(def.sub_attribute(name).ok_or_else(|| {
                        invalid_path(format!(
                            "{path}: {:?} has no sub-attribute {name:?}",
                            def.name
                        ))
                    })?),
                };
                let t = Tgt {
                    ext: r.in_extension().then(|| r.schema()),
                    def,
                    sub,
                    select: Select::Elements(compiled, filter),
                };
                self.apply_target(res, kind, &t, value)
            }
            PatchPath::Expression { attribute, filter } => {
                let r = self.schema.resolve(attribute).map_err(ScimError::from)?;
                if r.sub_attribute().is_some()
                    || r.attribute().kind == AttributeType::Complex
                    || !r.attribute().multi_valued
                {
                    return Err(invalid_path(format!(
                        "{path}: an expression path selects values of a simple multi-valued attribute"
                    )));
                }
                let t = Tgt {
                    ext: r.in_extension().then(|| r.schema()),
                    def: r.attribute(),
                    sub: None,
                    select: Select::Values(filter),
                };
                self.apply_target(res, kind, &t, value)
            }
        }
    }

    /// The slot of a target's attribute, creating its extension object when
    /// `create` (and the resource has none).
    fn slot(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        create: bool,
    ) -> Result<Option<Slot>, ScimError> {
        let ext_key = match t.ext {
            None => None,
            Some(ext) => {
                self.touch(ext);
                match key_ci(res, &ext.id).map(str::to_owned) {
                    Some(k) => {
                        if !res.get(&k).is_some_and(Value::is_object) {
                            if !create || !res.get(&k).is_some_and(Value::is_null) {
                                return Err(invalid_value(format!(
                                    "the resource's {} member is not an object",
                                    ext.id
                                )));
                            }
                            self.journal
                                .set_root(res, &k, Some(Value::Object(Map::new())));
                        }
                        Some(k)
                    }
                    None if create => {
                        self.journal
                            .set_root(res, &ext.id, Some(Value::Object(Map::new())));
                        Some(ext.id.clone())
                    }
                    None => return Ok(None),
                }
            }
        };
        let container = match &ext_key {
            Some(k) => res.get(k).and_then(Value::as_object),
            None => Some(&*res),
        };
        let key = container
            .and_then(|c| key_ci(c, &t.def.name))
            .map_or_else(|| t.def.name.clone(), str::to_owned);
        Ok(Some(Slot { ext: ext_key, key }))
    }

    fn touch(&mut self, ext: &'a Schema) {
        if !self.touched_ext.iter().any(|id| *id == ext.id) {
            self.touched_ext.push(&ext.id);
        }
    }

    /// Whether writing `new` over `current` is allowed; `Ok(false)` when it
    /// would change nothing.
    fn writable(
        def: &Attribute,
        current: Option<&Value>,
        new: Option<&Value>,
        name: &str,
    ) -> Result<bool, ScimError> {
        match def.mutability {
            Mutability::ReadOnly if current == new => Ok(false),
            Mutability::ReadOnly => Err(mutability(format!("{name} is readOnly"))),
            Mutability::Immutable if unassigned(current) => Ok(true),
            Mutability::Immutable if current == new => Ok(false),
            Mutability::Immutable => Err(mutability(format!(
                "{name} is immutable and already has a value"
            ))),
            _ => Ok(true),
        }
    }

    /// Whether `def` may lose its value.
    fn removable(def: &Attribute, name: &str) -> Result<(), ScimError> {
        match def.mutability {
            Mutability::ReadOnly => Err(mutability(format!(
                "{name} is readOnly and cannot be removed"
            ))),
            Mutability::Immutable => Err(mutability(format!(
                "{name} is immutable and cannot be removed"
            ))),
            _ if def.required => Err(mutability(format!(
                "{name} is required and cannot be removed"
            ))),
            _ => Ok(()),
        }
    }

    fn apply_target(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        t: &Tgt<'a, '_>,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        match (kind, &t.select) {
            (OpKind::Remove, Select::All) => match value {
                Some(v) => self.remove_values(res, t, v),
                None => self.remove_all(res, t),
            },
            (OpKind::Remove, Select::Elements(compiled, filter)) => {
                self.remove_filtered(res, t, compiled, filter)
            }
            (OpKind::Remove, Select::Values(expr)) => self.values_expression(res, t, expr, None),
            (OpKind::Replace, Select::Values(expr)) => {
                self.values_expression(res, t, expr, Some(value.unwrap_or(Value::Null)))
            }
            (_, Select::Elements(compiled, filter)) => {
                self.set_filtered(res, kind, t, compiled, filter, value.unwrap_or(Value::Null))
            }
            (_, Select::All | Select::Values(_)) => {
                let value = value.unwrap_or(Value::Null);
                match t.sub {
                    Some(sub) => self.set_sub_everywhere(res, t, sub, value),
                    None if value.is_null() && kind == OpKind::Replace => self.remove_all(res, t),
                    None if value.is_null() => Ok(()),
                    None if t.def.multi_valued && kind == OpKind::Add => self.append(res, t, value),
                    None if t.def.multi_valued => self.set_whole(res, t, value),
                    None if t.def.kind == AttributeType::Complex => {
                        self.merge_complex(res, t, value)
                    }
                    None => self.set_whole(res, t, value),
                }
            }
        }
    }

    /// `add` to a multi-valued attribute: append what is not there yet
    /// (elements no present element covers; see [`crate::element`]).
    fn append(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = t.name();
        if t.def.mutability == Mutability::ReadOnly {
            return self.append_read_only(res, t, &value, &name);
        }
        let new = self.checker.check(t.def, value, &name)?;
        let Value::Array(new_items) = new else {
            return Err(invalid_value(format!("{name}: expected an array")));
        };
        if new_items.is_empty() {
            return Ok(());
        }
        let Some(slot) = self.slot(res, t, true)? else {
            return Ok(());
        };
        let existing: &[Value] = match attr(res, &slot) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(invalid_value(format!(
                    "the resource's {name} is not an array"
                )))
            }
        };
        let existing_len = existing.len();
        // Which new values are already there: looked up in the attribute's
        // element index (O(n) once per request, then O(1) per value), and in
        // one over the values kept so far, so a value sent twice is added once.
        let keys = Keys::for_probes(t.def, new_items.iter());
        let present = self.present(res, &slot, t.def, keys, &new_items);
        let mut to_add: Vec<Value> = Vec::new();
        let mut added = ElementIndex::new(keys);
        for (item, present) in new_items.into_iter().zip(present) {
            if !has_content(&item)
                || present
                || added.covering(t.def, &to_add, &item).next().is_some()
            {
                continue;
            }
            added.insert(t.def, to_add.len(), &item);
            to_add.push(item);
        }
        if to_add.is_empty() {
            return Ok(());
        }
        match t.def.mutability {
            Mutability::Immutable if existing_len > 0 => {
                return Err(mutability(format!(
                    "{name} is immutable and already has values"
                )))
            }
            _ => {}
        }
        let clear: Vec<usize> = if to_add.iter().any(is_primary) {
            matching(res, &slot, is_primary)
        } else {
            Vec::new()
        };
        self.clear_primaries(res, &slot, &clear, &name);
        for item in &to_add {
            self.record(name.clone(), Old::None, Some(item.clone()));
        }
        if existing_len == 0 {
            self.journal
                .set_attr(res, &slot, Some(Value::Array(to_add)));
        } else {
            self.journal.push(res, &slot, Some(t.def), to_add);
        }
        Ok(())
    }

    /// For each of `probes`, whether an element of the slot's attribute
    /// covers it: through the attribute's index when the request searches
    /// it again, else in one pass over its elements (probes with a `value`)
    /// or, for a few probes without one, a scan per probe.
    fn present(
        &mut self,
        res: &Map<String, Value>,
        slot: &Slot,
        def: &Attribute,
        keys: Keys,
        probes: &[Value],
    ) -> Vec<bool> {
        let items = attr(res, slot)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let indexed = self.journal.worth_indexing(res, slot);
        match keys {
            Keys::Value if !indexed => cover_pass(def, items, probes).0,
            Keys::All if !indexed && probes.len() <= 16 => probes
                .iter()
                .map(|p| covering_scan(def, items, p).next().is_some())
                .collect(),
            _ => {
                let index = self.journal.index(res, slot, def, keys);
                probes
                    .iter()
                    .map(|p| index.covering(def, items, p).next().is_some())
                    .collect()
            }
        }
    }

    /// `add` to a read-only multi-valued attribute: a no-op when every
    /// value given is already there (as given: the checker would strip the
    /// read-only sub-attributes), else `mutability`.
    fn append_read_only(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        value: &Value,
        name: &str,
    ) -> Result<(), ScimError> {
        let refused = || mutability(format!("{name} is readOnly"));
        let given = match value {
            Value::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        let Some(slot) = self.slot(res, t, false)? else {
            return Err(refused());
        };
        let keys = Keys::for_probes(t.def, given.iter().filter(|g| !g.is_null()));
        let present = self.present(res, &slot, t.def, keys, given);
        if given.iter().zip(present).all(|(g, p)| g.is_null() || p) {
            Ok(())
        } else {
            Err(refused())
        }
    }

    fn clear_primaries(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        indices: &[usize],
        name: &str,
    ) {
        for &i in indices {
            let key = attr(res, slot)
                .and_then(|v| v.get(i))
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, "primary"))
                .unwrap_or("primary")
                .to_owned();
            let old = self
                .journal
                .set_member(res, slot, Some(i), &key, Some(Value::Bool(false)));
            self.record(format!("{name}.primary"), old, Some(Value::Bool(false)));
        }
    }

    /// `add`/`replace` of a single-valued complex attribute: the given
    /// sub-attributes are set, the others kept.
    fn merge_complex(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = t.name();
        let new = self.checker.check(t.def, value, &name)?;
        let Value::Object(members) = new else {
            return Err(invalid_value(format!("{name}: expected an object")));
        };
        let Some(slot) = self.slot(res, t, true)? else {
            return Ok(());
        };
        let current = attr(res, &slot);
        if t.def.mutability == Mutability::ReadOnly
            && !matches!(current, Some(Value::Object(c)) if *c == members)
        {
            return Err(mutability(format!("{name} is readOnly")));
        }
        if !current.is_some_and(Value::is_object) {
            if members.is_empty() {
                return Ok(());
            }
            let new = Value::Object(members);
            if !Self::writable(t.def, current, Some(&new), &name)? {
                return Ok(());
            }
            let old = self.journal.set_attr(res, &slot, Some(new.clone()));
            self.record(name, old, Some(new));
            return Ok(());
        }
        for (key, v) in members {
            let Some(sub) = t.def.sub_attribute(&key) else {
                // Kept by UnknownAttributes::Keep.
                self.set_member_recorded(res, &slot, None, &key, v, &format!("{name}.{key}"))?;
                continue;
            };
            let actual = attr(res, &slot)
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, &sub.name))
                .unwrap_or(&sub.name)
                .to_owned();
            let old = attr(res, &slot).and_then(|o| o.get(&actual));
            let sub_name = format!("{name}.{}", sub.name);
            if old == Some(&v) || !Self::writable(sub, old, Some(&v), &sub_name)? {
                continue;
            }
            let old = self
                .journal
                .set_member(res, &slot, None, &actual, Some(v.clone()));
            self.record(sub_name, old, Some(v));
        }
        Ok(())
    }

    fn set_member_recorded(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        index: Option<usize>,
        key: &str,
        v: Value,
        path: &str,
    ) -> Result<(), ScimError> {
        let old = self
            .journal
            .set_member(res, slot, index, key, Some(v.clone()));
        if self.old(old) != Some(&v) {
            self.record(path.to_owned(), old, Some(v));
        }
        Ok(())
    }

    /// Set a whole attribute: `add`/`replace` of a simple single-valued one,
    /// or `replace` of a multi-valued one (all values; `[]` unassigns it).
    fn set_whole(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = t.name();
        let new = self.checker.check(t.def, value, &name)?;
        if new.as_array().is_some_and(Vec::is_empty) {
            return self.remove_all(res, t);
        }
        let Some(slot) = self.slot(res, t, true)? else {
            return Ok(());
        };
        let current = attr(res, &slot);
        if current == Some(&new) || !Self::writable(t.def, current, Some(&new), &name)? {
            return Ok(());
        }
        let old = self.journal.set_attr(res, &slot, Some(new.clone()));
        self.record(name, old, Some(new));
        Ok(())
    }

    /// `add`/`replace` of `attr.sub` without a filter: on the single complex
    /// value (created if missing), or on every element of a multi-valued one.
    fn set_sub_everywhere(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        sub: &'a Attribute,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = t.name();
        if value.is_null() {
            return self.remove_all(res, t);
        }
        let new = self.checker.check(sub, value, &name)?;
        if sub.mutability == Mutability::ReadOnly {
            return Err(mutability(format!("{name} is readOnly")));
        }
        let Some(slot) = self.slot(res, t, true)? else {
            return Ok(());
        };
        if t.def.multi_valued {
            let count = attr(res, &slot)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if count == 0 {
                return Err(no_target(format!(
                    "{name}: {} has no values to set {} on",
                    t.attr_name(),
                    sub.name
                )));
            }
            let indices: Vec<usize> = (0..count).collect();
            return self.set_sub_at(res, t, &slot, sub, &indices, &new, &name);
        }
        if !attr(res, &slot).is_some_and(Value::is_object) {
            if !Self::writable(t.def, attr(res, &slot), None, &t.attr_name())? {
                return Ok(());
            }
            self.journal
                .set_attr(res, &slot, Some(Value::Object(Map::new())));
        }
        let actual = attr(res, &slot)
            .and_then(Value::as_object)
            .and_then(|o| key_ci(o, &sub.name))
            .unwrap_or(&sub.name)
            .to_owned();
        let old = attr(res, &slot).and_then(|o| o.get(&actual));
        if old == Some(&new) || !Self::writable(sub, old, Some(&new), &name)? {
            return Ok(());
        }
        let old = self
            .journal
            .set_member(res, &slot, None, &actual, Some(new.clone()));
        self.record(name, old, Some(new));
        Ok(())
    }

    /// Set `sub` to `new` on the elements at `indices`, keeping one primary.
    #[allow(clippy::too_many_arguments)] // one call site per form; a struct would only rename them
    fn set_sub_at(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        slot: &Slot,
        sub: &Attribute,
        indices: &[usize],
        new: &Value,
        name: &str,
    ) -> Result<(), ScimError> {
        if sub.name.eq_ignore_ascii_case("primary")
            && new == &Value::Bool(true)
            && indices.len() > 1
        {
            return Err(invalid_value(format!(
                "{name}: would make more than one value primary"
            )));
        }
        for &i in indices {
            let element = attr(res, slot).and_then(|v| v.get(i));
            let actual = element
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, &sub.name))
                .unwrap_or(&sub.name)
                .to_owned();
            let old = element.and_then(|e| e.get(&actual));
            if old == Some(new) || !Self::writable(sub, old, Some(new), name)? {
                continue;
            }
            let old = self
                .journal
                .set_member(res, slot, Some(i), &actual, Some(new.clone()));
            self.record(name.to_owned(), old, Some(new.clone()));
        }
        if sub.name.eq_ignore_ascii_case("primary") && new == &Value::Bool(true) {
            self.keep_one_primary(res, t, slot, indices)?;
        }
        Ok(())
    }

    /// After elements at `chosen` became primary: the others stop being.
    fn keep_one_primary(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        slot: &Slot,
        chosen: &[usize],
    ) -> Result<(), ScimError> {
        let others: Vec<usize> = attr(res, slot)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, e)| !chosen.contains(i) && is_primary(e))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        self.clear_primaries(res, slot, &others, &t.attr_name());
        Ok(())
    }

    /// `add`/`replace` through a value filter.
    fn set_filtered(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        t: &Tgt<'a, '_>,
        compiled: &CompiledFilter,
        filter: &Filter,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = format!("{}[{filter}]", t.attr_name());
        let slot = self.slot(res, t, false)?;
        let indices: Vec<usize> = slot
            .as_ref()
            .map(|s| matching(res, s, |e| compiled.matches(e)))
            .unwrap_or_default();
        if indices.is_empty() {
            return self.upsert(res, kind, t, filter, value, &name);
        }
        let Some(slot) = slot else {
            return Ok(());
        };
        match t.sub {
            Some(sub) => {
                // Change records use plain attribute notation (`emails.value`).
                let sub_name = format!("{}.{}", t.attr_name(), sub.name);
                if value.is_null() {
                    return self.remove_sub_at(res, &slot, sub, &indices, &sub_name);
                }
                let new = self.checker.check(sub, value, &sub_name)?;
                if sub.mutability == Mutability::ReadOnly {
                    return Err(mutability(format!("{sub_name} is readOnly")));
                }
                self.set_sub_at(res, t, &slot, sub, &indices, &new, &sub_name)
            }
            None => {
                let new = self.checker.check_single(t.def, value, &name)?;
                let Value::Object(members) = &new else {
                    return Err(invalid_value(format!("{name}: expected an object")));
                };
                if !Self::writable(t.def, Some(&Value::Null), None, &name)? {
                    return Ok(());
                }
                let becomes_primary = is_primary(&new);
                if becomes_primary && indices.len() > 1 {
                    return Err(invalid_value(format!(
                        "{name}: would make more than one value primary"
                    )));
                }
                for &i in &indices {
                    if kind == OpKind::Replace {
                        let old = self.journal.set_element(res, &slot, i, new.clone());
                        if self.old(old) != Some(&new) {
                            self.record(t.attr_name(), old, Some(new.clone()));
                        }
                    } else {
                        for (key, v) in members {
                            let actual = attr(res, &slot)
                                .and_then(|a| a.get(i))
                                .and_then(Value::as_object)
                                .and_then(|o| key_ci(o, key))
                                .unwrap_or(key)
                                .to_owned();
                            self.set_member_recorded(
                                res,
                                &slot,
                                Some(i),
                                &actual,
                                v.clone(),
                                &format!("{}.{key}", t.attr_name()),
                            )?;
                        }
                    }
                }
                if becomes_primary {
                    self.keep_one_primary(res, t, &slot, &indices)?;
                }
                Ok(())
            }
        }
    }

    /// A value filter matched nothing: create the element (compat), or `noTarget`.
    fn upsert(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        t: &Tgt<'a, '_>,
        filter: &Filter,
        value: Value,
        name: &str,
    ) -> Result<(), ScimError> {
        let unmatched = || {
            no_target(format!(
                "{name}: the filter matches no value ({} through a value filter)",
                kind.as_str()
            ))
        };
        if !self.options.upsert_filtered {
            return Err(unmatched());
        }
        let Some(terms) = eq_terms(filter) else {
            return Err(unmatched());
        };
        if value.is_null() {
            return Ok(());
        }
        let mut element = Map::new();
        for (key, v) in terms {
            element.insert(key, v);
        }
        match (t.sub, value) {
            (Some(sub), v) => {
                element.insert(sub.name.clone(), v);
            }
            (None, Value::Object(members)) => element.extend(members),
            (None, _) => return Err(invalid_value(format!("{name}: expected an object"))),
        }
        let whole = Tgt {
            ext: t.ext,
            def: t.def,
            sub: None,
            select: Select::All,
        };
        self.append(res, &whole, Value::Array(vec![Value::Object(element)]))
    }

    /// `remove` of a whole attribute, or of `attr.sub`.
    fn remove_all(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
    ) -> Result<(), ScimError> {
        let name = t.name();
        let Some(slot) = self.slot(res, t, false)? else {
            return Ok(());
        };
        let current = attr(res, &slot);
        if unassigned(current) {
            return Ok(());
        }
        let Some(sub) = t.sub else {
            Self::removable(t.def, &name)?;
            let old = self.journal.set_attr(res, &slot, None);
            self.record(name, old, None);
            return Ok(());
        };
        if t.def.multi_valued {
            let count = current.and_then(Value::as_array).map_or(0, Vec::len);
            let indices: Vec<usize> = (0..count).collect();
            return self.remove_sub_at(res, &slot, sub, &indices, &name);
        }
        let actual = current
            .and_then(Value::as_object)
            .and_then(|o| key_ci(o, &sub.name))
            .map(str::to_owned);
        let Some(actual) = actual else {
            return Ok(());
        };
        Self::removable(sub, &name)?;
        let old = self.journal.set_member(res, &slot, None, &actual, None);
        self.record(name, old, None);
        // A complex value left with nothing in it becomes unassigned.
        if !attr(res, &slot).is_some_and(has_content) {
            Self::removable(t.def, &t.attr_name())?;
            self.journal.set_attr(res, &slot, None);
        }
        Ok(())
    }

    fn remove_sub_at(
        &mut self,
        res: &mut Map<String, Value>,
        slot: &Slot,
        sub: &Attribute,
        indices: &[usize],
        name: &str,
    ) -> Result<(), ScimError> {
        for &i in indices {
            let actual = attr(res, slot)
                .and_then(|v| v.get(i))
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, &sub.name))
                .map(str::to_owned);
            if let Some(actual) = actual {
                Self::removable(sub, name)?;
                let old = self.journal.set_member(res, slot, Some(i), &actual, None);
                self.record(name.to_owned(), old, None);
            }
        }
        Ok(())
    }

    fn unmatched_remove(&self, name: &str) -> Result<(), ScimError> {
        if self.options.remove_unmatched_is_noop {
            Ok(())
        } else {
            Err(no_target(format!("{name}: the filter matches no value")))
        }
    }

    /// Remove the elements at `indices`; an attribute left empty is unassigned.
    fn remove_elements(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        slot: &Slot,
        indices: &[usize],
    ) -> Result<(), ScimError> {
        let name = t.attr_name();
        if t.def.mutability == Mutability::ReadOnly || t.def.mutability == Mutability::Immutable {
            return Err(mutability(format!(
                "{name} is {} and cannot be changed",
                t.def.mutability
            )));
        }
        let total = attr(res, slot)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if indices.len() == total {
            Self::removable(t.def, &name)?;
        }
        if let Some((mark, count)) = self.journal.remove_elements(res, slot, indices) {
            for k in 0..count {
                self.record(name.clone(), Old::Removed(mark, k), None);
            }
        }
        if attr(res, slot)
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            self.journal.set_attr(res, slot, None);
        }
        Ok(())
    }

    /// `remove` through a value filter.
    fn remove_filtered(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        compiled: &CompiledFilter,
        filter: &Filter,
    ) -> Result<(), ScimError> {
        let name = t.name();
        let Some(slot) = self.slot(res, t, false)? else {
            return self.unmatched_remove(&name);
        };
        let probe = eq_probe(filter)
            .filter(|p| Keys::for_probes(t.def, std::iter::once(p)) == Keys::Value)
            .filter(|_| self.journal.worth_indexing(res, &slot));
        let indices = match probe {
            // `members[value eq "id"]`: the element index answers without
            // evaluating the filter on every element.
            Some(probe) => {
                let items = attr(res, &slot)
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                let index = self.journal.index(res, &slot, t.def, Keys::Value);
                index
                    .candidate_positions(t.def, &probe)
                    .filter(|&i| items.get(i).is_some_and(|e| compiled.matches(e)))
                    .collect()
            }
            None => matching(res, &slot, |e| compiled.matches(e)),
        };
        if indices.is_empty() {
            return self.unmatched_remove(&name);
        }
        match t.sub {
            Some(sub) => self.remove_sub_at(res, &slot, sub, &indices, &name),
            None => self.remove_elements(res, t, &slot, &indices),
        }
    }

    /// Entra's `remove` with a `value` array: remove the elements that
    /// cover a listed value (see [`crate::element`]), in one pass.
    fn remove_values(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = t.name();
        if !t.def.multi_valued || t.sub.is_some() {
            return Err(invalid_value(format!(
                "{name}: remove with a value applies to multi-valued attributes"
            )));
        }
        let listed = self.checker.check(t.def, value, &name)?;
        let listed = listed.as_array().map(Vec::as_slice).unwrap_or_default();
        let Some(slot) = self.slot(res, t, false)? else {
            return self.unmatched_remove(&name);
        };
        let items = attr(res, &slot)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let keys = Keys::for_probes(t.def, listed.iter());
        let mut indices: Vec<usize> =
            if keys == Keys::Value && !self.journal.worth_indexing(res, &slot) {
                cover_pass(t.def, items, listed).1
            } else {
                let index = self.journal.index(res, &slot, t.def, keys);
                listed
                    .iter()
                    .flat_map(|l| index.covering(t.def, items, l))
                    .collect()
            };
        indices.sort_unstable();
        indices.dedup();
        if indices.is_empty() {
            return self.unmatched_remove(&name);
        }
        self.remove_elements(res, t, &slot, &indices)
    }

    /// Errata 7122 expression paths: remove (`replacement` None) or replace
    /// the simple values the expression selects.
    fn values_expression(
        &mut self,
        res: &mut Map<String, Value>,
        t: &Tgt<'a, '_>,
        expr: &Filter,
        replacement: Option<Value>,
    ) -> Result<(), ScimError> {
        let name = format!("{expr}");
        let cmp = Comparator::for_attribute(t.def);
        let test: Box<dyn Fn(&Value) -> bool> = match expr {
            Filter::Present { .. } => Box::new(|v: &Value| has_content(v)),
            Filter::Compare { op, value, .. } => {
                let operand = cmp
                    .prepare(&value.to_json())
                    .map_err(|e| ScimError::new(ScimType::InvalidFilter, format!("{name}: {e}")))?;
                let op = *op;
                Box::new(move |v: &Value| match op {
                    CompareOp::Eq => cmp.equals(v, &operand),
                    CompareOp::Ne => !cmp.equals(v, &operand),
                    CompareOp::Co => cmp.contains(v, &operand),
                    CompareOp::Sw => cmp.starts_with(v, &operand),
                    CompareOp::Ew => cmp.ends_with(v, &operand),
                    _ => false,
                })
            }
            _ => return Err(invalid_path(format!("{name}: not an attribute expression"))),
        };
        let Some(slot) = self.slot(res, t, false)? else {
            return self.unmatched_remove(&name);
        };
        let indices = matching(res, &slot, &test);
        match replacement {
            None if indices.is_empty() => self.unmatched_remove(&name),
            None => self.remove_elements(res, t, &slot, &indices),
            Some(_) if indices.is_empty() => Err(no_target(format!(
                "{name}: the expression matches no value"
            ))),
            Some(v) => {
                let new = self.checker.check_single(t.def, v, &name)?;
                if !Self::writable(t.def, Some(&Value::Null), None, &name)? {
                    return Ok(());
                }
                for i in indices {
                    let old = self.journal.set_element(res, &slot, i, new.clone());
                    if self.old(old) != Some(&new) {
                        self.record(t.attr_name(), old, Some(new.clone()));
                    }
                }
                Ok(())
            }
        }
    }

    /// A bare extension URN as the target (or as a key of a path-less value).
    fn whole_extension(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        ext: &'a Schema,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        self.touch(ext);
        if kind == OpKind::Remove {
            let Some(key) = key_ci(res, &ext.id).map(str::to_owned) else {
                return Ok(());
            };
            // A required extension loses its attributes like any other (each
            // under its own rules); its URN stays in `schemas` (see
            // `sync_schemas`), exactly as when its last attribute is removed.
            if let Some(members) = res.get(&key).and_then(Value::as_object) {
                for (k, v) in members {
                    if let Some(def) = ext.attribute(k) {
                        if has_content(v) {
                            Self::removable(def, &format!("{}:{}", ext.id, def.name))?;
                        }
                    }
                }
            }
            let old = self.journal.set_root(res, &key, None);
            self.record(ext.id.clone(), old, None);
            return Ok(());
        }
        let members = match value {
            Some(Value::Object(m)) => m,
            Some(Value::Null) | None => return Ok(()),
            Some(_) => return Err(not_extension_object(&ext.id)),
        };
        for (key, v) in members {
            match ext.attribute(&key) {
                Some(def) => {
                    let t = Tgt {
                        ext: Some(ext),
                        def,
                        sub: None,
                        select: Select::All,
                    };
                    self.apply_target(res, kind, &t, Some(v))?;
                }
                None => {
                    let path =
                        AttrPath::from_parts(Some(&ext.id), &key, None).map_err(ScimError::from)?;
                    self.unknown(
                        res,
                        kind,
                        &path,
                        Some(v),
                        invalid_path(format!("{}: no attribute {}", ext.id, excerpt(&key))),
                    )?;
                }
            }
        }
        Ok(())
    }

    /// An attribute the schema does not define: rejected, or kept as JSON.
    fn unknown(
        &mut self,
        res: &mut Map<String, Value>,
        kind: OpKind,
        path: &AttrPath,
        value: Option<Value>,
        err: ScimError,
    ) -> Result<(), ScimError> {
        if self.options.unknown_attributes == UnknownAttributes::Reject
            || path.sub_attribute().is_some()
        {
            return Err(err);
        }
        let ext = match path.schema() {
            None => None,
            Some(urn) if urn.eq_ignore_ascii_case(&self.schema.core().id) => None,
            Some(urn) => Some(self.extension_named(urn).ok_or(err)?),
        };
        let container_key = match ext {
            None => None,
            Some(e) => {
                self.touch(e);
                match key_ci(res, &e.id).map(str::to_owned) {
                    Some(k) => Some(k),
                    None if kind == OpKind::Remove => return Ok(()),
                    None => {
                        self.journal
                            .set_root(res, &e.id, Some(Value::Object(Map::new())));
                        Some(e.id.clone())
                    }
                }
            }
        };
        let container = match &container_key {
            Some(k) => res.get(k).and_then(Value::as_object),
            None => Some(&*res),
        };
        let key = container
            .and_then(|c| key_ci(c, path.attribute()))
            .map_or_else(|| path.attribute().to_owned(), str::to_owned);
        let slot = Slot {
            ext: container_key,
            key,
        };
        let current = attr(res, &slot);
        let new = match (kind, value, current) {
            (OpKind::Remove, _, _) | (_, Some(Value::Null), _) => None,
            (OpKind::Add, Some(Value::Array(add)), Some(Value::Array(have))) => {
                // Append the values not already there (JSON equality, by hash).
                let hasher = RandomState::new();
                let mut known: HashMap<u64, Vec<usize>> = HashMap::with_capacity(have.len());
                for (i, v) in have.iter().enumerate() {
                    known.entry(json_hash(&hasher, v)).or_default().push(i);
                }
                let mut fresh: Vec<Value> = Vec::new();
                let mut fresh_known: HashMap<u64, Vec<usize>> = HashMap::new();
                for v in add {
                    let h = json_hash(&hasher, &v);
                    let seen = |m: &HashMap<u64, Vec<usize>>, list: &[Value]| {
                        m.get(&h)
                            .is_some_and(|is| is.iter().any(|&i| list.get(i) == Some(&v)))
                    };
                    if !seen(&known, have) && !seen(&fresh_known, &fresh) {
                        fresh_known.entry(h).or_default().push(fresh.len());
                        fresh.push(v);
                    }
                }
                let name = path.to_string();
                for v in &fresh {
                    self.record(name.clone(), Old::None, Some(v.clone()));
                }
                self.journal.push(res, &slot, None, fresh);
                return Ok(());
            }
            (_, Some(v), _) => Some(v),
            (_, None, _) => return Ok(()),
        };
        if new.as_ref() == current {
            return Ok(());
        }
        let old = self.journal.set_attr(res, &slot, new.clone());
        self.record(path.to_string(), old, new);
        Ok(())
    }

    /// `schemas` after the request: it must still name the core schema, and
    /// only schemas of this resource type (RFC 7643 §3).
    fn check_schemas(&self, res: &Map<String, Value>) -> Result<(), ScimError> {
        if !self.changes.iter().any(|c| c.path == "schemas") {
            return Ok(());
        }
        let Some(Value::Array(schemas)) = get_ci(res, "schemas") else {
            return Err(invalid_value(
                "schemas: required, and must list the resource's schema URNs".into(),
            ));
        };
        let known = |urn: &str| {
            urn.eq_ignore_ascii_case(&self.schema.core().id)
                || self
                    .schema
                    .extensions()
                    .any(|(e, _)| e.id.eq_ignore_ascii_case(urn))
        };
        for s in schemas {
            match s.as_str() {
                Some(urn) if known(urn) => {}
                _ => {
                    return Err(invalid_value(format!(
                        "schemas: {s} is not a schema of this resource type"
                    )))
                }
            }
        }
        if !schemas.iter().any(|s| {
            s.as_str()
                .is_some_and(|u| u.eq_ignore_ascii_case(&self.schema.core().id))
        }) {
            return Err(invalid_value(format!(
                "schemas: must contain {}",
                self.schema.core().id
            )));
        }
        for (ext, _) in self.schema.extensions() {
            let in_use = get_ci(res, &ext.id).is_some_and(has_content);
            let listed = schemas
                .iter()
                .any(|s| s.as_str().is_some_and(|u| u.eq_ignore_ascii_case(&ext.id)));
            if in_use && !listed {
                return Err(invalid_value(format!(
                    "schemas: must list {} while the resource has attributes of it",
                    ext.id
                )));
            }
        }
        Ok(())
    }

    /// After the operations: an extension whose URN left `schemas` (errata
    /// 7122's `remove schemas eq "urn:..."`) leaves the resource; `schemas`
    /// follows the extension objects touched; then `schemas` is checked.
    fn finish(&mut self, res: &mut Map<String, Value>) -> Result<(), ScimError> {
        let listed_in = |schemas: Option<&Value>, id: &str| {
            schemas.and_then(Value::as_array).is_some_and(|l| {
                l.iter()
                    .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(id)))
            })
        };
        if self.changes.iter().any(|c| c.path == "schemas") {
            for (ext, required) in self.schema.extensions() {
                if required
                    && self.required_listed.iter().any(|id| *id == ext.id)
                    && !listed_in(get_ci(res, "schemas"), &ext.id)
                {
                    return Err(mutability(format!(
                        "schemas: the extension {} is required by the resource type and cannot leave",
                        ext.id
                    )));
                }
            }
        }
        if self.changes.iter().any(|c| c.path == "schemas") {
            let dropped: Vec<&'a Schema> = self
                .schema
                .extensions()
                .map(|(e, _)| e)
                .filter(|e| {
                    let listed = get_ci(res, "schemas")
                        .and_then(Value::as_array)
                        .is_some_and(|l| {
                            l.iter()
                                .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(&e.id)))
                        });
                    !listed && get_ci(res, &e.id).is_some_and(has_content)
                })
                .collect();
            for ext in dropped {
                self.whole_extension(res, OpKind::Remove, ext, None)?;
            }
        }
        self.sync_schemas(res);
        self.check_schemas(res)
    }

    /// Keep `schemas` in step with the extension objects touched.
    fn sync_schemas(&mut self, res: &mut Map<String, Value>) {
        let touched = std::mem::take(&mut self.touched_ext);
        for id in touched {
            let key = key_ci(res, id).map(str::to_owned);
            let in_use = key
                .as_ref()
                .and_then(|k| res.get(k))
                .is_some_and(has_content);
            if !in_use {
                if let Some(k) = &key {
                    self.journal.set_root(res, k, None);
                }
            }
            let schemas_key = key_ci(res, "schemas").unwrap_or("schemas").to_owned();
            let mut schemas: Vec<Value> = get_ci(res, "schemas")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let listed = schemas
                .iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(id)));
            match (in_use, listed) {
                (true, false) => {
                    if schemas.is_empty() {
                        schemas.push(Value::String(self.schema.core().id.clone()));
                    }
                    schemas.push(Value::String(id.to_owned()));
                    let old = self.journal.set_root(
                        res,
                        &schemas_key,
                        Some(Value::Array(schemas.clone())),
                    );
                    self.record("schemas".to_owned(), old, Some(Value::Array(schemas)));
                }
                (false, true) if self.required_extension(id) => {}
                (false, true) => {
                    schemas.retain(|s| !s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(id)));
                    let old = self.journal.set_root(
                        res,
                        &schemas_key,
                        Some(Value::Array(schemas.clone())),
                    );
                    self.record("schemas".to_owned(), old, Some(Value::Array(schemas)));
                }
                _ => {}
            }
        }
    }
}

/// Indices of the slot's elements for which `test` holds (none when the
/// attribute is not an array).
fn matching(res: &Map<String, Value>, slot: &Slot, test: impl Fn(&Value) -> bool) -> Vec<usize> {
    attr(res, slot)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .filter(|(_, e)| test(e))
                .map(|(i, _)| i)
                .collect()
        })
        .unwrap_or_default()
}
