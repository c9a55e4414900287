//! Errata 7122 expression paths (`schemas eq "urn:..."`): removing or
//! replacing the values of a simple multi-valued attribute that an
//! expression selects.

use scimkit_filter::{CompareOp, Filter};
use scimkit_schema::compare::Comparator;
use scimkit_schema::{ScimError, ScimType};
use serde_json::Value;

use super::target::Tgt;
use super::{has_content, matching, no_target, Engine};
use crate::value::invalid_path;

impl<'a> Engine<'a, '_> {
    /// Errata 7122 expression paths: remove (`replacement` None) or replace
    /// the simple values the expression selects.
    pub(super) fn values_expression(
        &mut self,
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
        let Some(slot) = self.slot(t, false)? else {
            return self.unmatched_remove(&name);
        };
        let indices = matching(self.res, &slot, &test);
        match replacement {
            None if indices.is_empty() => self.unmatched_remove(&name),
            None => self.remove_elements(t, &slot, &indices),
            Some(_) if indices.is_empty() => Err(no_target(format!(
                "{name}: the expression matches no value"
            ))),
            Some(v) => {
                let new = self.checker.check_single(t.def, v, &name)?;
                if !Self::writable(t.def, Some(&Value::Null), None, &name)? {
                    return Ok(());
                }
                for i in indices {
                    let old = self.journal.set_element(self.res, &slot, i, new.clone());
                    if self.old(old) != Some(&new) {
                        self.record(t.attr_name(), old, Some(new.clone()));
                    }
                }
                Ok(())
            }
        }
    }
}
