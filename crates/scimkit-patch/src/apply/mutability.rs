//! The schema's say on a change: `readOnly`, `immutable` and `required`
//! (RFC 7643 §2.2), for a write and for a removal.

use scimkit_schema::{Attribute, Mutability, ScimError};
use serde_json::Value;

use super::Engine;
use crate::value::{mutability, unassigned};

impl<'a> Engine<'a, '_> {
    /// Whether writing `new` over `current` is allowed; `Ok(false)` when it
    /// would change nothing.
    pub(super) fn writable(
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
    pub(super) fn removable(def: &Attribute, name: &str) -> Result<(), ScimError> {
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
}
