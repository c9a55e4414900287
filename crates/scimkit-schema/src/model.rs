//! The schema model of RFC 7643 §7 (Schema, Attribute) and §6 (ResourceType).
//!
//! These are plain serde types: they read what real servers return from
//! `/Schemas` and `/ResourceTypes` (a single document, a JSON array, or a
//! ListResponse with `Resources` or Entra's lowercase `resources`), ignore
//! unknown members, and fill the RFC 7643 §2.2 defaults for missing
//! characteristics (`type` string, `caseExact` false, `mutability`
//! readWrite, `returned` default, `uniqueness` none). Keyword values such as
//! `readOnly` are accepted in any ASCII case, as some servers capitalise them.
//!
//! Serialization writes every characteristic explicitly, so a printed
//! schema is complete without a reader having to know the defaults.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::excerpt;
use crate::{ScimError, ScimType};

/// The `schemas` URN of a Schema representation (RFC 7643 §7).
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// The `schemas` URN of a ResourceType representation (RFC 7643 §6).
pub const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

/// Declare a keyword enum that (de)serializes as its RFC spelling and
/// parses in any ASCII case.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ } default $default:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in RFC order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The keyword as RFC 7643 spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::$default
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownKeyword;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| UnknownKeyword {
                        what: stringify!($name),
                        value: s.to_owned(),
                    })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A keyword value outside the RFC's list (for example `mutability: "sometimes"`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} value {:?}", excerpt(value))]
pub struct UnknownKeyword {
    what: &'static str,
    value: String,
}

keyword_enum! {
    /// An attribute's data type (RFC 7643 §2.3).
    AttributeType {
        /// A sequence of Unicode characters (§2.3.1).
        String = "string",
        /// `true` or `false` (§2.3.2).
        Boolean = "boolean",
        /// A real number with at least one digit on each side of the point (§2.3.3).
        Decimal = "decimal",
        /// A whole number (§2.3.4).
        Integer = "integer",
        /// An xsd:dateTime such as `2008-01-23T04:56:22Z` (§2.3.5).
        DateTime = "dateTime",
        /// Base64-encoded bytes (§2.3.6); always case-exact.
        Binary = "binary",
        /// A URI for a resource (§2.3.7); always case-exact.
        Reference = "reference",
        /// A set of sub-attributes (§2.3.8).
        Complex = "complex",
    }
    default String
}

keyword_enum! {
    /// Whether and when a client may change an attribute (RFC 7643 §7).
    Mutability {
        /// The client cannot change it.
        ReadOnly = "readOnly",
        /// The client may change it.
        ReadWrite = "readWrite",
        /// The client may set it on create (or when it has no value), never change it.
        Immutable = "immutable",
        /// The client may set it; it is never returned.
        WriteOnly = "writeOnly",
    }
    default ReadWrite
}

keyword_enum! {
    /// When an attribute appears in responses (RFC 7643 §7).
    Returned {
        /// Always, whatever `attributes` / `excludedAttributes` say.
        Always = "always",
        /// Never.
        Never = "never",
        /// Unless excluded, or unless `attributes` names others only.
        Default = "default",
        /// Only when named in `attributes`.
        Request = "request",
    }
    default Default
}

keyword_enum! {
    /// How the server enforces uniqueness of values (RFC 7643 §7).
    Uniqueness {
        /// No uniqueness.
        None = "none",
        /// Unique within the server's endpoint or tenant.
        Server = "server",
        /// Globally unique.
        Global = "global",
    }
    default None
}

/// An attribute definition (RFC 7643 §7 `attributes`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attribute {
    /// The attribute's name, as spelled by the schema.
    pub name: String,
    /// The data type (default `string`).
    #[serde(rename = "type", default)]
    pub kind: AttributeType,
    /// Whether it holds a list of values.
    #[serde(default)]
    pub multi_valued: bool,
    /// A human-readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether a resource must have a value for it.
    #[serde(default)]
    pub required: bool,
    /// Suggested values (`work`, `home`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canonical_values: Vec<Value>,
    /// Whether string comparison is case-sensitive.
    #[serde(default)]
    pub case_exact: bool,
    /// Mutability.
    #[serde(default)]
    pub mutability: Mutability,
    /// When it is returned.
    #[serde(default)]
    pub returned: Returned,
    /// Uniqueness.
    #[serde(default)]
    pub uniqueness: Uniqueness,
    /// For references: the resource types they may point to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_types: Vec<String>,
    /// For complex attributes: their sub-attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_attributes: Vec<Self>,
}

impl Attribute {
    /// A new attribute with RFC 7643 §2.2 defaults.
    pub fn new(name: impl Into<String>, kind: AttributeType) -> Self {
        Self {
            name: name.into(),
            kind,
            multi_valued: false,
            description: None,
            required: false,
            canonical_values: Vec::new(),
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            reference_types: Vec::new(),
            sub_attributes: Vec::new(),
        }
    }

    /// The sub-attribute called `name` (case-insensitive).
    ///
    /// A multi-valued complex attribute also has the default sub-attributes
    /// of RFC 7643 §2.4 (`type`, `primary`, `display`, `value`, `$ref`) when
    /// its schema does not list them: the RFC's own Group schema omits
    /// `members.display`, which RFC 7644's PATCH examples send.
    pub fn sub_attribute(&self, name: &str) -> Option<&Self> {
        find_attribute(&self.sub_attributes, name).or_else(|| {
            (self.multi_valued && self.kind == AttributeType::Complex)
                .then(|| find_attribute(default_sub_attributes(), name))
                .flatten()
        })
    }

    /// Whether string comparisons on this attribute are case-sensitive:
    /// `caseExact`, and always for binary and reference (RFC 7643 §2.3.6–7).
    pub fn is_case_exact(&self) -> bool {
        self.case_exact || matches!(self.kind, AttributeType::Binary | AttributeType::Reference)
    }
}

/// RFC 7643 §2.4: the sub-attributes every multi-valued attribute may have.
fn default_sub_attributes() -> &'static [Attribute] {
    static S: std::sync::OnceLock<Vec<Attribute>> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let mut reference = Attribute::new("$ref", AttributeType::Reference);
        reference.case_exact = true;
        vec![
            Attribute::new("type", AttributeType::String),
            Attribute::new("primary", AttributeType::Boolean),
            Attribute::new("display", AttributeType::String),
            Attribute::new("value", AttributeType::String),
            reference,
        ]
    })
}

pub(crate) fn find_attribute<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// A schema (RFC 7643 §7): an id URN and its attributes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Schema {
    /// `schemas` of the representation (normally [`SCHEMA_URN`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The schema URN, such as `urn:ietf:params:scim:schemas:core:2.0:User`.
    pub id: String,
    /// Its human name, such as `User`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The attributes.
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    /// The `meta` object, kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
}

impl Schema {
    /// A new schema with no attributes.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            schemas: vec![SCHEMA_URN.to_owned()],
            id: id.into(),
            name: None,
            description: None,
            attributes: Vec::new(),
            meta: None,
        }
    }

    /// The top-level attribute called `name` (case-insensitive).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        find_attribute(&self.attributes, name)
    }

    /// Read one schema from JSON.
    pub fn from_json(json: &str) -> Result<Self, LoadError> {
        let schema: Self = serde_json::from_str(json).map_err(LoadError::json)?;
        schema.validate()?;
        Ok(schema)
    }

    /// Read what a server's `/Schemas` returns: one schema, a JSON array of
    /// schemas, or a ListResponse (`Resources` or `resources`).
    pub fn list_from_json(json: &str) -> Result<Vec<Self>, LoadError> {
        let schemas: Vec<Self> = load_list(json)?;
        for s in &schemas {
            s.validate()?;
        }
        Ok(schemas)
    }

    /// Structural checks serde cannot express: a non-empty id, names that are
    /// non-empty and unique (case-insensitively) at each level.
    fn validate(&self) -> Result<(), LoadError> {
        if self.id.trim().is_empty() {
            return Err(LoadError::invalid("schema `id` is empty"));
        }
        check_names(&self.id, &self.attributes)
    }
}

fn check_names(owner: &str, attrs: &[Attribute]) -> Result<(), LoadError> {
    for (i, a) in attrs.iter().enumerate() {
        if a.name.is_empty() {
            return Err(LoadError::invalid(format!(
                "an attribute of {} has no name",
                excerpt(owner)
            )));
        }
        if attrs[..i]
            .iter()
            .any(|b| b.name.eq_ignore_ascii_case(&a.name))
        {
            return Err(LoadError::invalid(format!(
                "{} defines attribute {:?} twice",
                excerpt(owner),
                excerpt(&a.name)
            )));
        }
        check_names(&format!("{owner}:{}", a.name), &a.sub_attributes)?;
    }
    Ok(())
}

/// A schema extension of a resource type (RFC 7643 §6 `schemaExtensions`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SchemaExtension {
    /// The extension's schema URN.
    pub schema: String,
    /// Whether resources of the type must include it.
    #[serde(default)]
    pub required: bool,
}

impl SchemaExtension {
    /// An extension reference.
    pub fn new(schema: impl Into<String>, required: bool) -> Self {
        Self {
            schema: schema.into(),
            required,
        }
    }
}

/// A resource type (RFC 7643 §6): endpoint, core schema, extensions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceType {
    /// `schemas` of the representation (normally [`RESOURCE_TYPE_URN`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The server's id for the type (often equal to `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The type's name, such as `User`.
    pub name: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The endpoint, such as `/Users`.
    pub endpoint: String,
    /// The core schema URN.
    pub schema: String,
    /// The extensions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_extensions: Vec<SchemaExtension>,
    /// The `meta` object, kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
}

impl ResourceType {
    /// A resource type with no extensions.
    pub fn new(
        name: impl Into<String>,
        endpoint: impl Into<String>,
        schema: impl Into<String>,
    ) -> Self {
        let name = name.into();
        Self {
            schemas: vec![RESOURCE_TYPE_URN.to_owned()],
            id: Some(name.clone()),
            name,
            description: None,
            endpoint: endpoint.into(),
            schema: schema.into(),
            schema_extensions: Vec::new(),
            meta: None,
        }
    }

    /// Read what a server's `/ResourceTypes` returns: one document, a JSON
    /// array, or a ListResponse (`Resources` or `resources`).
    pub fn list_from_json(json: &str) -> Result<Vec<Self>, LoadError> {
        let types: Vec<Self> = load_list(json)?;
        for rt in &types {
            rt.validate()?;
        }
        Ok(types)
    }

    /// `name`, `endpoint` and `schema` are REQUIRED (RFC 7643 §6) and must
    /// not be blank; extensions must not repeat the core schema or each other.
    fn validate(&self) -> Result<(), LoadError> {
        for (field, value) in [
            ("name", &self.name),
            ("endpoint", &self.endpoint),
            ("schema", &self.schema),
        ] {
            if value.trim().is_empty() {
                return Err(LoadError::invalid(format!(
                    "resource type `{field}` is empty"
                )));
            }
        }
        for (i, ext) in self.schema_extensions.iter().enumerate() {
            let repeated = ext.schema.eq_ignore_ascii_case(&self.schema)
                || self.schema_extensions[..i]
                    .iter()
                    .any(|e| e.schema.eq_ignore_ascii_case(&ext.schema));
            if repeated {
                return Err(LoadError::invalid(format!(
                    "resource type {}: schema {} is listed twice",
                    excerpt(&self.name),
                    excerpt(&ext.schema)
                )));
            }
        }
        Ok(())
    }
}

const LIST_RESPONSE_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// One document, an array, or a ListResponse holding `Resources`/`resources`.
fn load_list<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, LoadError> {
    let value: Value = serde_json::from_str(json).map_err(LoadError::json)?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            let key = map
                .keys()
                .find(|k| k.eq_ignore_ascii_case("Resources"))
                .cloned();
            let is_list_response = map
                .get("schemas")
                .and_then(Value::as_array)
                .is_some_and(|s| {
                    s.iter().any(|u| {
                        u.as_str()
                            .is_some_and(|u| u.eq_ignore_ascii_case(LIST_RESPONSE_URN))
                    })
                });
            match key.and_then(|k| map.remove(&k)) {
                Some(Value::Array(items)) => items,
                Some(_) => return Err(LoadError::invalid("`Resources` is not an array")),
                // RFC 7644 §3.4.2: `Resources` may be left out when there are no results.
                None if is_list_response => Vec::new(),
                None => vec![Value::Object(map)],
            }
        }
        _ => return Err(LoadError::invalid("expected a JSON object or array")),
    };
    items
        .into_iter()
        .map(|item| serde_json::from_value(item).map_err(LoadError::json))
        .collect()
}

/// A schema or resource-type document that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot load schema document: {message}")]
pub struct LoadError {
    message: String,
}

impl LoadError {
    /// serde_json quotes offending strings whole (`invalid type: string
    /// "…"`): keep an [`excerpt`] of its message, and where it was.
    fn json(e: serde_json::Error) -> Self {
        let full = e.to_string();
        let message = match excerpt(&full) {
            std::borrow::Cow::Borrowed(_) => full,
            cut if e.line() > 0 => format!("{cut} at line {} column {}", e.line(), e.column()),
            cut => cut.into_owned(),
        };
        Self { message }
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl From<LoadError> for ScimError {
    fn from(e: LoadError) -> Self {
        Self::new(ScimType::InvalidSyntax, e.to_string())
    }
}
