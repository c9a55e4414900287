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
//!
//! One [`Engine`] holds the resource together with its journal and the
//! change list for the length of a request. This module is the driver
//! (atomicity, the change list, dispatch); the work is split by job:
//!
//! - [`target`]: a path resolved against the schema to the attribute it
//!   names, and the attribute's place (slot) in the resource;
//! - [`add`]: appending to multi-valued attributes (duplicates, upserts);
//! - [`replace`]: setting values, whole or sub-attribute by sub-attribute,
//!   and keeping one `primary`;
//! - [`remove`]: removing attributes, sub-attributes and elements;
//! - [`expression`]: errata 7122 expression paths over simple values;
//! - [`schemas`]: whole extension objects and `schemas` bookkeeping;
//! - [`unknown`]: attributes the schema does not define, kept as JSON;
//! - [`mutability`]: whether the schema lets a value change.

mod add;
mod expression;
mod mutability;
mod remove;
mod replace;
mod schemas;
mod target;
mod unknown;

use std::borrow::Borrow;

use scimkit_schema::json::{get_ci, member_ci};
use scimkit_schema::{AttributeType, ResourceSchema, ScimError, ScimType};
use serde_json::{Map, Value};

use crate::error::PatchError;
use crate::journal::{attr, Journal, Mark, Slot};
use crate::options::PatchOptions;
use crate::outcome::{Change, ChangeKind, PatchOutcome};
use crate::path::PatchPath;
use crate::request::OpKind;
use crate::targets::{pathless_without_object, value_key, ValueKey};
use crate::value::{check_value_limits, unassigned, Checker};

use target::{Select, Tgt};

fn no_target(detail: String) -> ScimError {
    ScimError::new(ScimType::NoTarget, detail)
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

/// One request being applied: the resource with its undo journal, the
/// schema and options it is applied under, and what it has changed.
pub(crate) struct Engine<'a, 'r> {
    /// The resource's members, changed in place; every change goes
    /// through `journal`, which can undo it.
    res: &'r mut Map<String, Value>,
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
/// [`PatchRequest::apply`](crate::PatchRequest::apply). The operations' values move into the resource.
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
    let listed = get_ci(res, "schemas").and_then(Value::as_array);
    let required_listed = schema
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
    let mut engine = Engine {
        res,
        schema,
        options,
        checker: Checker { options },
        journal: Journal::default(),
        changes: Vec::new(),
        touched_ext: Vec::new(),
        pending_old: Vec::new(),
        required_listed,
    };
    let operations = operations.into_iter();
    let count = operations.size_hint().0;
    engine.journal.index_first = count > 1;
    // Most operations record one change and one undo step: room for them
    // up front rather than growing the lists step by step.
    let room = count.min(1024);
    engine.changes.reserve(room);
    engine.journal.reserve(room);
    let mut result = Ok(());
    for (i, (kind, path, value)) in operations.enumerate() {
        let within_limits = value
            .as_ref()
            .map_or(Ok(()), |v| check_value_limits(v, options));
        let path = path.as_ref().map(Borrow::borrow);
        if let Err(e) = within_limits.and_then(|()| engine.operation(kind, path, value)) {
            result = Err(PatchError::in_operation(i, e));
            break;
        }
    }
    if result.is_ok() {
        result = engine.finish().map_err(PatchError::in_body);
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
            engine.journal.rollback(engine.res);
            Err(e)
        }
    }
}

impl<'a> Engine<'a, '_> {
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
        kind: OpKind,
        path: Option<&PatchPath>,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        match (path, kind, value) {
            (None, OpKind::Add | OpKind::Replace, Some(Value::Object(members))) => {
                self.pathless(kind, members)
            }
            (None, kind, _) => Err(pathless_without_object(kind)),
            (Some(path), kind, value) => self.at_path(kind, path, value),
        }
    }

    /// `add`/`replace` without a path: each member of the value object is an
    /// attribute (or, under an extension URN key, an object of them).
    fn pathless(&mut self, kind: OpKind, members: Map<String, Value>) -> Result<(), ScimError> {
        for (key, value) in members {
            match value_key(&key, |k| self.extension_named(k), self.options)? {
                ValueKey::Schema(ext) => self.whole_extension(kind, ext, Some(value))?,
                ValueKey::Path(path) => self.at_path(kind, &path, Some(value))?,
            }
        }
        Ok(())
    }

    fn apply_target(
        &mut self,
        kind: OpKind,
        t: &Tgt<'a, '_>,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        match (kind, &t.select) {
            (OpKind::Remove, Select::All) => match value {
                Some(v) => self.remove_values(t, v),
                None => self.remove_all(t),
            },
            (OpKind::Remove, Select::Elements(compiled, filter)) => {
                self.remove_filtered(t, compiled, filter)
            }
            (OpKind::Remove, Select::Values(expr)) => self.values_expression(t, expr, None),
            (OpKind::Replace, Select::Values(expr)) => {
                self.values_expression(t, expr, Some(value.unwrap_or(Value::Null)))
            }
            (_, Select::Elements(compiled, filter)) => {
                self.set_filtered(kind, t, compiled, filter, value.unwrap_or(Value::Null))
            }
            (_, Select::All | Select::Values(_)) => {
                let value = value.unwrap_or(Value::Null);
                match t.sub {
                    Some(sub) => self.set_sub_everywhere(t, sub, value),
                    None if value.is_null() && kind == OpKind::Replace => self.remove_all(t),
                    None if value.is_null() => Ok(()),
                    None if t.def.multi_valued && kind == OpKind::Add => self.append(t, value),
                    None if t.def.multi_valued => self.set_whole(t, value),
                    None if t.def.kind == AttributeType::Complex => self.merge_complex(t, value),
                    None => self.set_whole(t, value),
                }
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
