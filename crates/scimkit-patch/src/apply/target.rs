//! Resolving a PATCH path against the resource schema to the attribute it
//! names ([`Tgt`]), and finding (or creating) that attribute's place in
//! the resource ([`Slot`]).

use scimkit_filter::{CompactString, CompareOp, CompileOptions, CompiledFilter, Filter};
use scimkit_schema::json::key_ci;
use scimkit_schema::{Attribute, AttributeType, Schema, ScimError, Target as SchemaTarget};
use serde_json::{Map, Value};

use super::Engine;
use crate::journal::Slot;
use crate::options::UnknownAttributes;
use crate::path::PatchPath;
use crate::request::OpKind;
use crate::value::{invalid_path, invalid_value};

/// Which values of the attribute an operation addresses.
pub(super) enum Select<'f> {
    /// All of them (no filter).
    All,
    /// The elements a value filter matches.
    Elements(CompiledFilter, &'f Filter),
    /// Errata 7122: simple values an expression matches.
    Values(&'f Filter),
}

/// A resolved operation target.
pub(super) struct Tgt<'s, 'f> {
    pub(super) ext: Option<&'s Schema>,
    pub(super) def: &'s Attribute,
    pub(super) sub: Option<&'s Attribute>,
    pub(super) select: Select<'f>,
}

impl Tgt<'_, '_> {
    /// The attribute in notation for change records.
    pub(super) fn name(&self) -> String {
        let mut name = self.attr_name();
        if let Some(sub) = self.sub {
            name.push('.');
            name.push_str(&sub.name);
        }
        name
    }

    /// The attribute without its sub-attribute, in notation.
    pub(super) fn attr_name(&self) -> String {
        // Pushed, not `format!`ted: one exact allocation, no formatter.
        let sub = self.sub.map_or(0, |s| s.name.len() + 1);
        match self.ext {
            Some(ext) => {
                let mut name = String::with_capacity(ext.id.len() + 1 + self.def.name.len() + sub);
                name.push_str(&ext.id);
                name.push(':');
                name.push_str(&self.def.name);
                name
            }
            None => {
                let mut name = String::with_capacity(self.def.name.len() + sub);
                name.push_str(&self.def.name);
                name
            }
        }
    }
}

/// The `eq` terms of a conjunction (`type eq "work" and primary eq true`),
/// from which an upsert builds the missing element (and a removal its
/// index probe).
pub(super) fn eq_terms(filter: &Filter) -> Option<Vec<(String, Value)>> {
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

impl<'a> Engine<'a, '_> {
    pub(super) fn at_path(
        &mut self,
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
                Ok(SchemaTarget::Extension(ext)) => self.whole_extension(kind, ext, value),
                Ok(SchemaTarget::Attribute(r)) => {
                    let t = Tgt {
                        ext: r.in_extension().then(|| r.schema()),
                        def: r.attribute(),
                        sub: r.sub_attribute(),
                        select: Select::All,
                    };
                    self.apply_target(kind, &t, value)
                }
                Err(e) => self.unknown(kind, a, value, ScimError::from(e)),
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
                self.apply_target(kind, &t, value)
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
                self.apply_target(kind, &t, value)
            }
        }
    }

    /// The slot of a target's attribute, creating its extension object when
    /// `create` (and the resource has none).
    pub(super) fn slot(
        &mut self,
        t: &Tgt<'a, '_>,
        create: bool,
    ) -> Result<Option<Slot>, ScimError> {
        let ext_key = match t.ext {
            None => None,
            Some(ext) => {
                self.touch(ext);
                match key_ci(self.res, &ext.id).map(CompactString::new) {
                    Some(k) => {
                        if !self.res.get(k.as_str()).is_some_and(Value::is_object) {
                            if !create || !self.res.get(k.as_str()).is_some_and(Value::is_null) {
                                return Err(invalid_value(format!(
                                    "the resource's {} member is not an object",
                                    ext.id
                                )));
                            }
                            self.journal
                                .set_root(self.res, &k, Some(Value::Object(Map::new())));
                        }
                        Some(k)
                    }
                    None if create => {
                        self.journal
                            .set_root(self.res, &ext.id, Some(Value::Object(Map::new())));
                        Some(CompactString::new(&ext.id))
                    }
                    None => return Ok(None),
                }
            }
        };
        let container = match &ext_key {
            Some(k) => self.res.get(k.as_str()).and_then(Value::as_object),
            None => Some(&*self.res),
        };
        let key = container
            .and_then(|c| key_ci(c, &t.def.name))
            .map_or_else(|| CompactString::new(&t.def.name), CompactString::new);
        Ok(Some(Slot { ext: ext_key, key }))
    }

    pub(super) fn touch(&mut self, ext: &'a Schema) {
        if !self.touched_ext.iter().any(|id| *id == ext.id) {
            self.touched_ext.push(&ext.id);
        }
    }

    pub(super) fn extension_named(&self, key: &str) -> Option<&'a Schema> {
        self.schema
            .extensions()
            .map(|(s, _)| s)
            .find(|s| s.id.eq_ignore_ascii_case(key))
    }
}
