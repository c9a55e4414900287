//! Extensions as wholes, and `schemas` kept in step with them (RFC 7643
//! §3): an extension object targeted by its URN, the URN added when its
//! object gains a value and dropped when it empties (a required one
//! stays), an extension whose URN a request drops leaving the resource,
//! and `schemas` checked after the request.

use scimkit_schema::json::{get_ci, key_ci};
use scimkit_schema::{AttrPath, Schema, ScimError};
use serde_json::Value;

use super::target::{Select, Tgt};
use super::{has_content, Engine};
use crate::request::OpKind;
use crate::targets::not_extension_object;
use crate::value::{excerpt, invalid_path, invalid_value, mutability};

impl<'a> Engine<'a, '_> {
    /// Whether the resource type requires the extension `id`.
    pub(super) fn required_extension(&self, id: &str) -> bool {
        self.schema
            .extensions()
            .any(|(s, required)| required && s.id.eq_ignore_ascii_case(id))
    }

    /// A bare extension URN as the target (or as a key of a path-less value).
    pub(super) fn whole_extension(
        &mut self,
        kind: OpKind,
        ext: &'a Schema,
        value: Option<Value>,
    ) -> Result<(), ScimError> {
        self.touch(ext);
        if kind == OpKind::Remove {
            let Some(key) = key_ci(self.res, &ext.id).map(str::to_owned) else {
                return Ok(());
            };
            // A required extension loses its attributes like any other (each
            // under its own rules); its URN stays in `schemas` (see
            // `sync_schemas`), exactly as when its last attribute is removed.
            if let Some(members) = self.res.get(&key).and_then(Value::as_object) {
                for (k, v) in members {
                    if let Some(def) = ext.attribute(k) {
                        if has_content(v) {
                            Self::removable(def, &format!("{}:{}", ext.id, def.name))?;
                        }
                    }
                }
            }
            let old = self.journal.set_root(self.res, &key, None);
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
                    self.apply_target(kind, &t, Some(v))?;
                }
                None => {
                    let path =
                        AttrPath::from_parts(Some(&ext.id), &key, None).map_err(ScimError::from)?;
                    self.unknown(
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

    /// After the operations: an extension whose URN left `schemas` (errata
    /// 7122's `remove schemas eq "urn:..."`) leaves the resource; `schemas`
    /// follows the extension objects touched; then `schemas` is checked.
    pub(super) fn finish(&mut self) -> Result<(), ScimError> {
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
                    && !listed_in(get_ci(self.res, "schemas"), &ext.id)
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
                    let listed = get_ci(self.res, "schemas")
                        .and_then(Value::as_array)
                        .is_some_and(|l| {
                            l.iter()
                                .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(&e.id)))
                        });
                    !listed && get_ci(self.res, &e.id).is_some_and(has_content)
                })
                .collect();
            for ext in dropped {
                self.whole_extension(OpKind::Remove, ext, None)?;
            }
        }
        self.sync_schemas();
        self.check_schemas()
    }

    /// Keep `schemas` in step with the extension objects touched.
    pub(super) fn sync_schemas(&mut self) {
        let touched = std::mem::take(&mut self.touched_ext);
        for id in touched {
            let key = key_ci(self.res, id).map(str::to_owned);
            let in_use = key
                .as_ref()
                .and_then(|k| self.res.get(k))
                .is_some_and(has_content);
            if !in_use {
                if let Some(k) = &key {
                    self.journal.set_root(self.res, k, None);
                }
            }
            let schemas_key = key_ci(self.res, "schemas").unwrap_or("schemas").to_owned();
            let mut schemas: Vec<Value> = get_ci(self.res, "schemas")
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
                        self.res,
                        &schemas_key,
                        Some(Value::Array(schemas.clone())),
                    );
                    self.record("schemas".to_owned(), old, Some(Value::Array(schemas)));
                }
                (false, true) if self.required_extension(id) => {}
                (false, true) => {
                    schemas.retain(|s| !s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(id)));
                    let old = self.journal.set_root(
                        self.res,
                        &schemas_key,
                        Some(Value::Array(schemas.clone())),
                    );
                    self.record("schemas".to_owned(), old, Some(Value::Array(schemas)));
                }
                _ => {}
            }
        }
    }

    /// `schemas` after the request: it must still name the core schema, and
    /// only schemas of this resource type (RFC 7643 §3).
    pub(super) fn check_schemas(&self) -> Result<(), ScimError> {
        if !self.changes.iter().any(|c| c.path == "schemas") {
            return Ok(());
        }
        let Some(Value::Array(schemas)) = get_ci(self.res, "schemas") else {
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
            let in_use = get_ci(self.res, &ext.id).is_some_and(has_content);
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
}
