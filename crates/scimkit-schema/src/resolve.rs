//! Resolving attribute paths against a resource type.
//!
//! A [`ResourceSchema`] is a resource type together with its core schema,
//! its extension schemas and the common attributes of RFC 7643 §3.1. It
//! answers "what is `emails.value` here?" once, so the filter, PATCH and
//! projection code can work from attribute definitions instead of names.
//!
//! Lookup rules (RFC 7644 §3.10):
//! - a path qualified with the core schema URN, or unqualified, is looked up
//!   in the core schema, then among the common attributes (`id`,
//!   `externalId`, `schemas`, `meta`);
//! - a path qualified with an extension URN is looked up in that extension,
//!   whose values live in the resource under the URN key;
//! - an unqualified name that neither the core schema nor the common
//!   attributes define is looked up in the extensions, in the order the
//!   resource type lists them (clients SHOULD qualify extension attributes
//!   but some do not);
//! - a bare extension URN names the whole extension object
//!   ([`Target::Extension`], PATCH uses it);
//! - everything else is a [`ResolveError`], never a panic.

use std::fmt;

use serde_json::Value;

use crate::error::excerpt;
use crate::json::get_ci;
use crate::model::{find_attribute, Attribute, AttributeType, ResourceType, Schema};
use crate::{builtin, AttrPath, ScimError, ScimType};

/// A resource type with the schemas that define its attributes.
#[derive(Clone, Debug)]
pub struct ResourceSchema {
    resource_type: ResourceType,
    core: Schema,
    extensions: Vec<(Schema, bool)>,
}

/// What a path resolves to: an attribute, or a whole extension object.
#[derive(Clone, Copy, Debug)]
pub enum Target<'s> {
    /// An attribute or sub-attribute.
    Attribute(ResolvedAttribute<'s>),
    /// A bare extension URN: the extension object in the resource.
    Extension(&'s Schema),
}

/// An attribute (and optional sub-attribute) found in a resource schema.
#[derive(Clone, Copy, Debug)]
pub struct ResolvedAttribute<'s> {
    schema: &'s Schema,
    in_extension: bool,
    common: bool,
    attribute: &'s Attribute,
    sub_attribute: Option<&'s Attribute>,
}

impl<'s> ResolvedAttribute<'s> {
    /// The schema that defines the attribute (the core schema for the
    /// common attributes).
    pub fn schema(&self) -> &'s Schema {
        self.schema
    }

    /// The URN of [`Self::schema`].
    pub fn schema_urn(&self) -> &'s str {
        &self.schema.id
    }

    /// The top-level attribute.
    pub fn attribute(&self) -> &'s Attribute {
        self.attribute
    }

    /// The sub-attribute, when the path named one.
    pub fn sub_attribute(&self) -> Option<&'s Attribute> {
        self.sub_attribute
    }

    /// The definition the path points at: the sub-attribute if named,
    /// otherwise the attribute.
    pub fn target(&self) -> &'s Attribute {
        self.sub_attribute.unwrap_or(self.attribute)
    }

    /// True when the attribute lives in an extension object of the resource.
    pub fn in_extension(&self) -> bool {
        self.in_extension
    }

    /// True for the RFC 7643 §3.1 common attributes.
    pub fn is_common(&self) -> bool {
        self.common
    }

    /// The JSON object of `resource` that holds the attribute: the resource
    /// itself, or its extension object.
    pub fn container<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        let object = resource.as_object()?;
        if self.in_extension {
            get_ci(object, &self.schema.id)
        } else {
            Some(resource)
        }
    }

    /// The attribute's value in `resource` (the whole attribute, not the
    /// sub-attribute), with case-insensitive key matching.
    pub fn value_in<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        get_ci(self.container(resource)?.as_object()?, &self.attribute.name)
    }
}

/// Why a path does not resolve.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ResolveError {
    path: String,
    resource_type: String,
    kind: ResolveErrorKind,
}

/// The kind of a [`ResolveError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveErrorKind {
    /// The URN is neither the core schema nor one of the extensions.
    UnknownSchema,
    /// No attribute of that name.
    UnknownAttribute,
    /// The attribute exists but has no such sub-attribute.
    UnknownSubAttribute,
    /// A sub-attribute was named on an attribute that is not complex.
    NotComplex,
    /// The path is a schema URN, not an attribute.
    SchemaNotAttribute,
}

impl ResolveError {
    fn new(path: &AttrPath, rs: &ResourceSchema, kind: ResolveErrorKind) -> Self {
        Self {
            path: path.to_string(),
            resource_type: rs.resource_type.name.clone(),
            kind,
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> &ResolveErrorKind {
        &self.kind
    }

    /// The path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn render(&self) -> String {
        let (p, rt) = (excerpt(&self.path), excerpt(&self.resource_type));
        match self.kind {
            ResolveErrorKind::UnknownSchema => {
                format!("attribute path {p:?}: schema is not used by resource type {rt}")
            }
            ResolveErrorKind::UnknownAttribute => {
                format!("attribute path {p:?}: no such attribute in resource type {rt}")
            }
            ResolveErrorKind::UnknownSubAttribute => {
                format!("attribute path {p:?}: no such sub-attribute in resource type {rt}")
            }
            ResolveErrorKind::NotComplex => {
                format!(
                    "attribute path {p:?}: the attribute is not complex and has no sub-attributes"
                )
            }
            ResolveErrorKind::SchemaNotAttribute => {
                format!("attribute path {p:?}: names a schema, not an attribute")
            }
        }
    }
}

impl From<ResolveError> for ScimError {
    fn from(e: ResolveError) -> Self {
        Self::new(ScimType::InvalidPath, e.to_string())
    }
}

/// A resource type whose schemas were not all supplied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "resource type {}: schema {} is not among the given schemas",
    excerpt(resource_type),
    excerpt(schema)
)]
pub struct MissingSchema {
    resource_type: String,
    schema: String,
}

impl From<MissingSchema> for ScimError {
    fn from(e: MissingSchema) -> Self {
        Self::new(ScimType::InvalidValue, e.to_string())
    }
}

impl ResourceSchema {
    /// Assemble a resource type from `schemas` (which may hold more than it
    /// needs, such as everything a server's `/Schemas` returned).
    pub fn new<'a>(
        resource_type: ResourceType,
        schemas: impl IntoIterator<Item = &'a Schema>,
    ) -> Result<Self, MissingSchema> {
        let schemas: Vec<&Schema> = schemas.into_iter().collect();
        let find = |urn: &str| {
            schemas
                .iter()
                .find(|s| s.id.eq_ignore_ascii_case(urn))
                .map(|s| (*s).clone())
                .ok_or_else(|| MissingSchema {
                    resource_type: resource_type.name.clone(),
                    schema: urn.to_owned(),
                })
        };
        let core = find(&resource_type.schema)?;
        let extensions = resource_type
            .schema_extensions
            .iter()
            .map(|e| find(&e.schema).map(|s| (s, e.required)))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            resource_type,
            core,
            extensions,
        })
    }

    /// The built-in RFC 7643 User resource type (with Enterprise User).
    pub fn user() -> &'static Self {
        builtin::user_resource()
    }

    /// The built-in RFC 7643 Group resource type.
    pub fn group() -> &'static Self {
        builtin::group_resource()
    }

    /// The resource type.
    pub fn resource_type(&self) -> &ResourceType {
        &self.resource_type
    }

    /// The core schema.
    pub fn core(&self) -> &Schema {
        &self.core
    }

    /// The extension schemas with their `required` flag.
    pub fn extensions(&self) -> impl Iterator<Item = (&Schema, bool)> {
        self.extensions.iter().map(|(s, r)| (s, *r))
    }

    /// The extension schema with this URN (case-insensitive).
    pub fn extension(&self, urn: &str) -> Option<&Schema> {
        self.extensions
            .iter()
            .map(|(s, _)| s)
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The common attributes (RFC 7643 §3.1).
    pub fn common_attributes(&self) -> &'static [Attribute] {
        builtin::common_attributes()
    }

    /// Resolve a path to an attribute; a bare extension URN is an error here
    /// (see [`Self::resolve_target`]).
    pub fn resolve(&self, path: &AttrPath) -> Result<ResolvedAttribute<'_>, ResolveError> {
        match self.resolve_target(path)? {
            Target::Attribute(a) => Ok(a),
            Target::Extension(_) => Err(ResolveError::new(
                path,
                self,
                ResolveErrorKind::SchemaNotAttribute,
            )),
        }
    }

    /// Resolve a path to an attribute or to a whole extension object.
    pub fn resolve_target(&self, path: &AttrPath) -> Result<Target<'_>, ResolveError> {
        let err = |kind| ResolveError::new(path, self, kind);
        let name = path.attribute();
        let (schema, in_extension, common, attribute) = match path.schema() {
            Some(urn) if urn.eq_ignore_ascii_case(&self.core.id) => self
                .in_core(name)
                .ok_or_else(|| err(ResolveErrorKind::UnknownAttribute))?,
            Some(urn) => match self.extension(urn) {
                Some(ext) => {
                    let a = ext
                        .attribute(name)
                        .ok_or_else(|| err(ResolveErrorKind::UnknownAttribute))?;
                    (ext, true, false, a)
                }
                None => {
                    if let Some(ext) = self
                        .extensions
                        .iter()
                        .map(|(s, _)| s)
                        .find(|s| path.is_urn(&s.id))
                    {
                        return Ok(Target::Extension(ext));
                    }
                    if path.is_urn(&self.core.id) {
                        return Err(err(ResolveErrorKind::SchemaNotAttribute));
                    }
                    return Err(err(ResolveErrorKind::UnknownSchema));
                }
            },
            None => match self.in_core(name) {
                Some(found) => found,
                None => self
                    .extensions
                    .iter()
                    .find_map(|(s, _)| s.attribute(name).map(|a| (s, true, false, a)))
                    .ok_or_else(|| err(ResolveErrorKind::UnknownAttribute))?,
            },
        };
        let sub_attribute = match path.sub_attribute() {
            None => None,
            Some(_) if attribute.kind != AttributeType::Complex => {
                return Err(err(ResolveErrorKind::NotComplex))
            }
            Some(sub) => Some(
                attribute
                    .sub_attribute(sub)
                    .ok_or_else(|| err(ResolveErrorKind::UnknownSubAttribute))?,
            ),
        };
        Ok(Target::Attribute(ResolvedAttribute {
            schema,
            in_extension,
            common,
            attribute,
            sub_attribute,
        }))
    }

    fn in_core(&self, name: &str) -> Option<(&Schema, bool, bool, &Attribute)> {
        if let Some(a) = self.core.attribute(name) {
            return Some((&self.core, false, false, a));
        }
        find_attribute(self.common_attributes(), name).map(|a| (&self.core, false, true, a))
    }

    /// Every attribute definition that applies at the top level of a
    /// resource's core part (core schema first, then common attributes).
    pub fn core_attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.core.attributes.iter().chain(self.common_attributes())
    }
}

impl fmt::Display for ResourceSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.resource_type.name, self.core.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{ENTERPRISE_USER_URN as ENT, USER_URN};
    use crate::model::{Mutability, Returned, SchemaExtension};
    use serde_json::json;

    fn resolve(path: &str) -> Result<ResolvedAttribute<'static>, ResolveError> {
        ResourceSchema::user().resolve(&path.parse().unwrap())
    }

    fn kind(path: &str) -> ResolveErrorKind {
        resolve(path).unwrap_err().kind().clone()
    }

    #[test]
    fn core_paths_qualified_or_not() {
        for p in [
            "name.familyName",
            "NAME.FAMILYNAME",
            &format!("{USER_URN}:name.familyName"),
        ] {
            let r = resolve(p).unwrap();
            assert_eq!(r.schema_urn(), USER_URN);
            assert_eq!(r.attribute().name, "name");
            assert_eq!(r.sub_attribute().unwrap().name, "familyName");
            assert!(!r.in_extension() && !r.is_common());
        }
        let emails = resolve("emails").unwrap();
        assert!(emails.attribute().multi_valued);
        assert!(emails.sub_attribute().is_none());
        assert_eq!(
            resolve("groups.$ref").unwrap().target().kind,
            AttributeType::Reference
        );
    }

    #[test]
    fn extension_paths() {
        let r = resolve(&format!("{ENT}:manager.value")).unwrap();
        assert_eq!(r.schema_urn(), ENT);
        assert!(r.in_extension());
        assert_eq!(r.target().name, "value");
        // Unqualified extension names resolve after core and common ones.
        let r = resolve("employeeNumber").unwrap();
        assert_eq!(r.schema_urn(), ENT);
        // The URN key is found case-insensitively in the resource.
        let user = json!({"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"employeeNumber": "7"}});
        assert_eq!(r.value_in(&user), Some(&json!("7")));
        assert_eq!(
            resolve("userName")
                .unwrap()
                .value_in(&json!({"username": "b"})),
            Some(&json!("b"))
        );
    }

    #[test]
    fn bare_extension_urn_is_a_target() {
        let rs = ResourceSchema::user();
        match rs.resolve_target(&ENT.parse().unwrap()).unwrap() {
            Target::Extension(s) => assert_eq!(s.id, ENT),
            Target::Attribute(a) => panic!("resolved to {}", a.attribute().name),
        }
        assert_eq!(kind(ENT), ResolveErrorKind::SchemaNotAttribute);
        assert_eq!(kind(USER_URN), ResolveErrorKind::SchemaNotAttribute);
    }

    #[test]
    fn common_attributes() {
        for (p, case_exact) in [("id", true), ("externalId", true), ("meta.created", false)] {
            let r = resolve(p).unwrap();
            assert!(r.is_common(), "{p}");
            assert_eq!(r.schema_urn(), USER_URN);
            assert_eq!(r.target().is_case_exact(), case_exact, "{p}");
        }
        assert_eq!(
            resolve("meta.lastModified").unwrap().target().kind,
            AttributeType::DateTime
        );
        assert_eq!(
            resolve("id").unwrap().attribute().mutability,
            Mutability::ReadOnly
        );
        assert_eq!(
            resolve("schemas").unwrap().attribute().returned,
            Returned::Always
        );
        assert_eq!(
            resolve(&format!("{USER_URN}:id")).unwrap().attribute().name,
            "id"
        );
        assert_eq!(
            kind(&format!("{ENT}:id")),
            ResolveErrorKind::UnknownAttribute
        );
        let g = ResourceSchema::group()
            .resolve(&"meta.version".parse().unwrap())
            .unwrap();
        assert!(g.target().is_case_exact());
    }

    #[test]
    fn unknown_paths_are_errors() {
        assert_eq!(kind("nmae"), ResolveErrorKind::UnknownAttribute);
        assert_eq!(kind("name.first"), ResolveErrorKind::UnknownSubAttribute);
        assert_eq!(kind("userName.x"), ResolveErrorKind::NotComplex);
        assert_eq!(
            kind("urn:example:other:2.0:User:userName"),
            ResolveErrorKind::UnknownSchema
        );
        let e = resolve("nmae").unwrap_err();
        assert_eq!(
            e.to_string(),
            "attribute path \"nmae\": no such attribute in resource type User"
        );
        let scim = ScimError::from(e);
        assert_eq!(scim.scim_type(), Some(&ScimType::InvalidPath));
        // Group does not have the enterprise extension.
        let g = ResourceSchema::group();
        assert!(g.resolve(&"employeeNumber".parse().unwrap()).is_err());
        assert!(g.resolve(&"members.value".parse().unwrap()).is_ok());
    }

    #[test]
    fn default_sub_attributes_of_multi_valued_complex() {
        // RFC 7643 §8.7.1's Group schema has no members.display; §2.4 makes it a default.
        let g = ResourceSchema::group();
        let display = g.resolve(&"members.display".parse().unwrap()).unwrap();
        assert_eq!(display.target().kind, AttributeType::String);
        let primary = g.resolve(&"members.primary".parse().unwrap()).unwrap();
        assert_eq!(primary.target().kind, AttributeType::Boolean);
        // Not for single-valued complex attributes.
        assert_eq!(kind("name.display"), ResolveErrorKind::UnknownSubAttribute);
    }

    #[test]
    fn assembles_from_loaded_schemas() {
        let mut rt = ResourceType::new("Device", "/Devices", "urn:example:Device");
        rt.schema_extensions
            .push(SchemaExtension::new("urn:example:DeviceExt", false));
        let mut core = Schema::new("urn:example:Device");
        core.attributes
            .push(Attribute::new("serial", AttributeType::String));
        let err = ResourceSchema::new(rt.clone(), std::slice::from_ref(&core)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "resource type Device: schema urn:example:DeviceExt is not among the given schemas"
        );
        let ext = Schema::new("urn:example:DeviceExt");
        let rs = ResourceSchema::new(rt, &[ext, core]).unwrap();
        assert_eq!(
            rs.resolve(&"SERIAL".parse().unwrap())
                .unwrap()
                .attribute()
                .name,
            "serial"
        );
        assert_eq!(rs.extensions().count(), 1);
    }
}
