//! `remove` (RFC 7644 §3.5.2.2): a whole attribute, a sub-attribute, the
//! elements a value filter selects (by index lookup for `value eq`), or
//! the elements covering Entra's listed values; an attribute left empty
//! is unassigned.

use scimkit_filter::{CompiledFilter, Filter};
use scimkit_schema::json::key_ci;
use scimkit_schema::{Attribute, Mutability, ScimError};
use serde_json::{Map, Value};

use super::target::{eq_terms, Tgt};
use super::{has_content, matching, no_target, Engine, Old};
use crate::element::{cover_pass, Keys};
use crate::journal::{attr, Slot};
use crate::value::{invalid_value, mutability, unassigned};

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

impl<'a> Engine<'a, '_> {
    /// `remove` of a whole attribute, or of `attr.sub`.
    pub(super) fn remove_all(&mut self, t: &Tgt<'a, '_>) -> Result<(), ScimError> {
        let name = t.name();
        let Some(slot) = self.slot(t, false)? else {
            return Ok(());
        };
        let current = attr(self.res, &slot);
        if unassigned(current) {
            return Ok(());
        }
        let Some(sub) = t.sub else {
            Self::removable(t.def, &name)?;
            let old = self.journal.set_attr(self.res, &slot, None);
            self.record(name, old, None);
            return Ok(());
        };
        if t.def.multi_valued {
            let count = current.and_then(Value::as_array).map_or(0, Vec::len);
            let indices: Vec<usize> = (0..count).collect();
            return self.remove_sub_at(&slot, sub, &indices, &name);
        }
        let actual = current
            .and_then(Value::as_object)
            .and_then(|o| key_ci(o, &sub.name))
            .map(str::to_owned);
        let Some(actual) = actual else {
            return Ok(());
        };
        Self::removable(sub, &name)?;
        let old = self
            .journal
            .set_member(self.res, &slot, None, &actual, None);
        self.record(name, old, None);
        // A complex value left with nothing in it becomes unassigned.
        if !attr(self.res, &slot).is_some_and(has_content) {
            Self::removable(t.def, &t.attr_name())?;
            self.journal.set_attr(self.res, &slot, None);
        }
        Ok(())
    }

    pub(super) fn remove_sub_at(
        &mut self,
        slot: &Slot,
        sub: &Attribute,
        indices: &[usize],
        name: &str,
    ) -> Result<(), ScimError> {
        for &i in indices {
            let actual = attr(self.res, slot)
                .and_then(|v| v.get(i))
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, &sub.name))
                .map(str::to_owned);
            if let Some(actual) = actual {
                Self::removable(sub, name)?;
                let old = self
                    .journal
                    .set_member(self.res, slot, Some(i), &actual, None);
                self.record(name.to_owned(), old, None);
            }
        }
        Ok(())
    }

    pub(super) fn unmatched_remove(&self, name: &str) -> Result<(), ScimError> {
        if self.options.remove_unmatched_is_noop {
            Ok(())
        } else {
            Err(no_target(format!("{name}: the filter matches no value")))
        }
    }

    /// Remove the elements at `indices`; an attribute left empty is unassigned.
    pub(super) fn remove_elements(
        &mut self,
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
        let total = attr(self.res, slot)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if indices.len() == total {
            Self::removable(t.def, &name)?;
        }
        if let Some((mark, count)) = self.journal.remove_elements(self.res, slot, indices) {
            for k in 0..count {
                self.record(name.clone(), Old::Removed(mark, k), None);
            }
        }
        if attr(self.res, slot)
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            self.journal.set_attr(self.res, slot, None);
        }
        Ok(())
    }

    /// `remove` through a value filter.
    pub(super) fn remove_filtered(
        &mut self,
        t: &Tgt<'a, '_>,
        compiled: &CompiledFilter,
        filter: &Filter,
    ) -> Result<(), ScimError> {
        let name = t.name();
        let Some(slot) = self.slot(t, false)? else {
            return self.unmatched_remove(&name);
        };
        let probe = eq_probe(filter)
            .filter(|p| Keys::for_probes(t.def, std::iter::once(p)) == Keys::Value)
            .filter(|_| self.journal.worth_indexing(self.res, &slot));
        let indices = match probe {
            // `members[value eq "id"]`: the element index answers without
            // evaluating the filter on every element.
            Some(probe) => {
                let items = attr(self.res, &slot)
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                let index = self.journal.index(self.res, &slot, t.def, Keys::Value);
                index
                    .candidate_positions(t.def, &probe)
                    .filter(|&i| items.get(i).is_some_and(|e| compiled.matches(e)))
                    .collect()
            }
            None => matching(self.res, &slot, |e| compiled.matches(e)),
        };
        if indices.is_empty() {
            return self.unmatched_remove(&name);
        }
        match t.sub {
            Some(sub) => self.remove_sub_at(&slot, sub, &indices, &name),
            None => self.remove_elements(t, &slot, &indices),
        }
    }

    /// Entra's `remove` with a `value` array: remove the elements that
    /// cover a listed value (see [`crate::element`]), in one pass.
    pub(super) fn remove_values(&mut self, t: &Tgt<'a, '_>, value: Value) -> Result<(), ScimError> {
        let name = t.name();
        if !t.def.multi_valued || t.sub.is_some() {
            return Err(invalid_value(format!(
                "{name}: remove with a value applies to multi-valued attributes"
            )));
        }
        let listed = self.checker.check(t.def, value, &name)?;
        let listed = listed.as_array().map(Vec::as_slice).unwrap_or_default();
        let Some(slot) = self.slot(t, false)? else {
            return self.unmatched_remove(&name);
        };
        let items = attr(self.res, &slot)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let keys = Keys::for_probes(t.def, listed.iter());
        let mut indices: Vec<usize> =
            if keys == Keys::Value && !self.journal.worth_indexing(self.res, &slot) {
                cover_pass(t.def, items, listed).1
            } else {
                let index = self.journal.index(self.res, &slot, t.def, keys);
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
        self.remove_elements(t, &slot, &indices)
    }
}
