//! Attributes the schema does not define, under
//! [`UnknownAttributes::Keep`]: written as the JSON given (arrays merged
//! without duplicates, by hash), without type or mutability checks.

use std::collections::HashMap;
use std::hash::RandomState;

use scimkit_filter::CompactString;
use scimkit_schema::json::key_ci;
use scimkit_schema::{AttrPath, ScimError};
use serde_json::{Map, Value};

use super::{Engine, Old};
use crate::element::json_hash;
use crate::journal::{attr, Slot};
use crate::options::UnknownAttributes;
use crate::request::OpKind;

impl<'a> Engine<'a, '_> {
    /// An attribute the schema does not define: rejected, or kept as JSON.
    pub(super) fn unknown(
        &mut self,
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
                match key_ci(self.res, &e.id).map(CompactString::new) {
                    Some(k) => Some(k),
                    None if kind == OpKind::Remove => return Ok(()),
                    None => {
                        self.journal
                            .set_root(self.res, &e.id, Some(Value::Object(Map::new())));
                        Some(CompactString::new(&e.id))
                    }
                }
            }
        };
        let container = match &container_key {
            Some(k) => self.res.get(k.as_str()).and_then(Value::as_object),
            None => Some(&*self.res),
        };
        let key = container
            .and_then(|c| key_ci(c, path.attribute()))
            .map_or_else(|| CompactString::new(path.attribute()), CompactString::new);
        let slot = Slot {
            ext: container_key,
            key,
        };
        let current = attr(self.res, &slot);
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
                self.journal.push(self.res, &slot, None, fresh);
                return Ok(());
            }
            (_, Some(v), _) => Some(v),
            (_, None, _) => return Ok(()),
        };
        if new.as_ref() == current {
            return Ok(());
        }
        let old = self.journal.set_attr(self.res, &slot, new.clone());
        self.record(path.to_string(), old, new);
        Ok(())
    }
}
