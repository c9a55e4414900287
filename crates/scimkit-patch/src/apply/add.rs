//! `add` to a multi-valued attribute (RFC 7644 §3.5.2.1): append the
//! values no stored element covers (see [`crate::element`]), once each;
//! a read-only attribute accepts only values already there; a value
//! filter that matches nothing can create its element (upsert).

use scimkit_filter::Filter;
use scimkit_schema::{Attribute, Mutability, ScimError};
use serde_json::{Map, Value};

use super::target::{eq_terms, Select, Tgt};
use super::{has_content, is_primary, matching, no_target, Engine, Old};
use crate::element::{cover_pass, covering_scan, ElementIndex, Keys};
use crate::journal::{attr, Slot};
use crate::request::OpKind;
use crate::value::{invalid_value, mutability};

impl<'a> Engine<'a, '_> {
    /// `add` to a multi-valued attribute: append what is not there yet
    /// (elements no present element covers; see [`crate::element`]).
    pub(super) fn append(&mut self, t: &Tgt<'a, '_>, value: Value) -> Result<(), ScimError> {
        let name = t.name();
        if t.def.mutability == Mutability::ReadOnly {
            return self.append_read_only(t, &value, &name);
        }
        let new = self.checker.check(t.def, value, &name)?;
        let Value::Array(new_items) = new else {
            return Err(invalid_value(format!("{name}: expected an array")));
        };
        if new_items.is_empty() {
            return Ok(());
        }
        let Some(slot) = self.slot(t, true)? else {
            return Ok(());
        };
        let existing: &[Value] = match attr(self.res, &slot) {
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
        let present = self.present(&slot, t.def, keys, &new_items);
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
            matching(self.res, &slot, is_primary)
        } else {
            Vec::new()
        };
        self.clear_primaries(&slot, &clear, &name);
        for item in &to_add {
            self.record(name.clone(), Old::None, Some(item.clone()));
        }
        if existing_len == 0 {
            self.journal
                .set_attr(self.res, &slot, Some(Value::Array(to_add)));
        } else {
            self.journal.push(self.res, &slot, Some(t.def), to_add);
        }
        Ok(())
    }

    /// For each of `probes`, whether an element of the slot's attribute
    /// covers it: through the attribute's index when the request searches
    /// it again, else in one pass over its elements (probes with a `value`)
    /// or, for a few probes without one, a scan per probe.
    pub(super) fn present(
        &mut self,
        slot: &Slot,
        def: &Attribute,
        keys: Keys,
        probes: &[Value],
    ) -> Vec<bool> {
        let items = attr(self.res, slot)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let indexed = self.journal.worth_indexing(self.res, slot);
        match keys {
            Keys::Value if !indexed => cover_pass(def, items, probes).0,
            Keys::All if !indexed && probes.len() <= 16 => probes
                .iter()
                .map(|p| covering_scan(def, items, p).next().is_some())
                .collect(),
            _ => {
                let index = self.journal.index(self.res, slot, def, keys);
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
    pub(super) fn append_read_only(
        &mut self,
        t: &Tgt<'a, '_>,
        value: &Value,
        name: &str,
    ) -> Result<(), ScimError> {
        let refused = || mutability(format!("{name} is readOnly"));
        let given = match value {
            Value::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        let Some(slot) = self.slot(t, false)? else {
            return Err(refused());
        };
        let keys = Keys::for_probes(t.def, given.iter().filter(|g| !g.is_null()));
        let present = self.present(&slot, t.def, keys, given);
        if given.iter().zip(present).all(|(g, p)| g.is_null() || p) {
            Ok(())
        } else {
            Err(refused())
        }
    }

    /// A value filter matched nothing: create the element (compat), or `noTarget`.
    pub(super) fn upsert(
        &mut self,
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
        self.append(&whole, Value::Array(vec![Value::Object(element)]))
    }
}
