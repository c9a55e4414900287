//! Setting values (RFC 7644 §3.5.2.3, and §3.5.2.1 for single values,
//! which `add` replaces): a whole attribute, the members of a complex
//! value, a sub-attribute on every element or on those a value filter
//! selects; and keeping at most one element `primary`.

use scimkit_filter::{CompiledFilter, Filter};
use scimkit_schema::json::key_ci;
use scimkit_schema::{Attribute, Mutability, ScimError};
use serde_json::{Map, Value};

use super::target::Tgt;
use super::{is_primary, matching, no_target, Engine};
use crate::journal::{attr, Slot};
use crate::request::OpKind;
use crate::value::{invalid_value, mutability};

impl<'a> Engine<'a, '_> {
    /// `add`/`replace` of a single-valued complex attribute: the given
    /// sub-attributes are set, the others kept.
    pub(super) fn merge_complex(&mut self, t: &Tgt<'a, '_>, value: Value) -> Result<(), ScimError> {
        let name = t.name();
        let new = self.checker.check(t.def, value, &name)?;
        let Value::Object(members) = new else {
            return Err(invalid_value(format!("{name}: expected an object")));
        };
        let Some(slot) = self.slot(t, true)? else {
            return Ok(());
        };
        let current = attr(self.res, &slot);
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
            let old = self.journal.set_attr(self.res, &slot, Some(new.clone()));
            self.record(name, old, Some(new));
            return Ok(());
        }
        for (key, v) in members {
            let Some(sub) = t.def.sub_attribute(&key) else {
                // Kept by UnknownAttributes::Keep.
                self.set_member_recorded(&slot, None, &key, v, &format!("{name}.{key}"))?;
                continue;
            };
            let actual = attr(self.res, &slot)
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, &sub.name))
                .unwrap_or(&sub.name)
                .to_owned();
            let old = attr(self.res, &slot).and_then(|o| o.get(&actual));
            let sub_name = format!("{name}.{}", sub.name);
            if old == Some(&v) || !Self::writable(sub, old, Some(&v), &sub_name)? {
                continue;
            }
            let old = self
                .journal
                .set_member(self.res, &slot, None, &actual, Some(v.clone()));
            self.record(sub_name, old, Some(v));
        }
        Ok(())
    }

    pub(super) fn set_member_recorded(
        &mut self,
        slot: &Slot,
        index: Option<usize>,
        key: &str,
        v: Value,
        path: &str,
    ) -> Result<(), ScimError> {
        let old = self
            .journal
            .set_member(self.res, slot, index, key, Some(v.clone()));
        if self.old(old) != Some(&v) {
            self.record(path.to_owned(), old, Some(v));
        }
        Ok(())
    }

    /// Set a whole attribute: `add`/`replace` of a simple single-valued one,
    /// or `replace` of a multi-valued one (all values; `[]` unassigns it).
    pub(super) fn set_whole(&mut self, t: &Tgt<'a, '_>, value: Value) -> Result<(), ScimError> {
        let name = t.name();
        let new = self.checker.check(t.def, value, &name)?;
        if new.as_array().is_some_and(Vec::is_empty) {
            return self.remove_all(t);
        }
        let Some(slot) = self.slot(t, true)? else {
            return Ok(());
        };
        let current = attr(self.res, &slot);
        if current == Some(&new) || !Self::writable(t.def, current, Some(&new), &name)? {
            return Ok(());
        }
        let old = self.journal.set_attr(self.res, &slot, Some(new.clone()));
        self.record(name, old, Some(new));
        Ok(())
    }

    /// `add`/`replace` of `attr.sub` without a filter: on the single complex
    /// value (created if missing), or on every element of a multi-valued one.
    pub(super) fn set_sub_everywhere(
        &mut self,
        t: &Tgt<'a, '_>,
        sub: &'a Attribute,
        value: Value,
    ) -> Result<(), ScimError> {
        let name = t.name();
        if value.is_null() {
            return self.remove_all(t);
        }
        let new = self.checker.check(sub, value, &name)?;
        if sub.mutability == Mutability::ReadOnly {
            return Err(mutability(format!("{name} is readOnly")));
        }
        let Some(slot) = self.slot(t, true)? else {
            return Ok(());
        };
        if t.def.multi_valued {
            let count = attr(self.res, &slot)
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
            return self.set_sub_at(t, &slot, sub, &indices, &new, &name);
        }
        if !attr(self.res, &slot).is_some_and(Value::is_object) {
            if !Self::writable(t.def, attr(self.res, &slot), None, &t.attr_name())? {
                return Ok(());
            }
            self.journal
                .set_attr(self.res, &slot, Some(Value::Object(Map::new())));
        }
        let actual = attr(self.res, &slot)
            .and_then(Value::as_object)
            .and_then(|o| key_ci(o, &sub.name))
            .unwrap_or(&sub.name)
            .to_owned();
        let old = attr(self.res, &slot).and_then(|o| o.get(&actual));
        if old == Some(&new) || !Self::writable(sub, old, Some(&new), &name)? {
            return Ok(());
        }
        let old = self
            .journal
            .set_member(self.res, &slot, None, &actual, Some(new.clone()));
        self.record(name, old, Some(new));
        Ok(())
    }

    /// Set `sub` to `new` on the elements at `indices`, keeping one primary.
    pub(super) fn set_sub_at(
        &mut self,
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
            let element = attr(self.res, slot).and_then(|v| v.get(i));
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
                .set_member(self.res, slot, Some(i), &actual, Some(new.clone()));
            self.record(name.to_owned(), old, Some(new.clone()));
        }
        if sub.name.eq_ignore_ascii_case("primary") && new == &Value::Bool(true) {
            self.keep_one_primary(t, slot, indices)?;
        }
        Ok(())
    }

    /// `add`/`replace` through a value filter.
    pub(super) fn set_filtered(
        &mut self,
        kind: OpKind,
        t: &Tgt<'a, '_>,
        compiled: &CompiledFilter,
        filter: &Filter,
        value: Value,
    ) -> Result<(), ScimError> {
        // `emails[type eq "work"]`, for the messages and records of the
        // paths that need it (printing the filter is not free).
        let filtered_name = || format!("{}[{filter}]", t.attr_name());
        let slot = self.slot(t, false)?;
        let indices: Vec<usize> = slot
            .as_ref()
            .map(|s| matching(self.res, s, |e| compiled.matches(e)))
            .unwrap_or_default();
        if indices.is_empty() {
            return self.upsert(kind, t, filter, value, &filtered_name());
        }
        let Some(slot) = slot else {
            return Ok(());
        };
        match t.sub {
            Some(sub) => {
                // Change records use plain attribute notation (`emails.value`).
                let sub_name = format!("{}.{}", t.attr_name(), sub.name);
                if value.is_null() {
                    return self.remove_sub_at(&slot, sub, &indices, &sub_name);
                }
                let new = self.checker.check(sub, value, &sub_name)?;
                if sub.mutability == Mutability::ReadOnly {
                    return Err(mutability(format!("{sub_name} is readOnly")));
                }
                self.set_sub_at(t, &slot, sub, &indices, &new, &sub_name)
            }
            None => {
                let name = filtered_name();
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
                        let old = self.journal.set_element(self.res, &slot, i, new.clone());
                        if self.old(old) != Some(&new) {
                            self.record(t.attr_name(), old, Some(new.clone()));
                        }
                    } else {
                        for (key, v) in members {
                            let actual = attr(self.res, &slot)
                                .and_then(|a| a.get(i))
                                .and_then(Value::as_object)
                                .and_then(|o| key_ci(o, key))
                                .unwrap_or(key)
                                .to_owned();
                            self.set_member_recorded(
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
                    self.keep_one_primary(t, &slot, &indices)?;
                }
                Ok(())
            }
        }
    }

    /// After elements at `chosen` became primary: the others stop being.
    pub(super) fn keep_one_primary(
        &mut self,
        t: &Tgt<'a, '_>,
        slot: &Slot,
        chosen: &[usize],
    ) -> Result<(), ScimError> {
        let others: Vec<usize> = attr(self.res, slot)
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
        self.clear_primaries(slot, &others, &t.attr_name());
        Ok(())
    }

    pub(super) fn clear_primaries(&mut self, slot: &Slot, indices: &[usize], name: &str) {
        for &i in indices {
            let key = attr(self.res, slot)
                .and_then(|v| v.get(i))
                .and_then(Value::as_object)
                .and_then(|o| key_ci(o, "primary"))
                .unwrap_or("primary")
                .to_owned();
            let old =
                self.journal
                    .set_member(self.res, slot, Some(i), &key, Some(Value::Bool(false)));
            self.record(format!("{name}.primary"), old, Some(Value::Bool(false)));
        }
    }
}
