//! The mapping table: one row per SCIM attribute Entra's SCIM API maps onto
//! a Microsoft Graph `user` or `group` property.
//!
//! The rows are Rust data ([`mappings`]), written from the crate's
//! `data/mapping.tsv` (a copy of the project's fact sheet) and checked
//! against it row by row by `tests/mapping_tsv.rs`: a row missing, added or
//! different in either place fails that test.
//!
//! Each [`Mapping`] says
//! - where the value lives in SCIM: the schema URN and a [`ScimPath`]
//!   (`userName`, `name.givenName`, `emails[type eq "work" and primary eq true].value`),
//!   as documented, plus the spelling the live API uses when it differs
//!   ([`Mapping::wire_path`], for example `onPremisesSamAccountName` for the
//!   documented `onPremisesSAMAccountName`): both are accepted on input, the
//!   wire spelling is emitted;
//! - where it lives in Graph: a [`GraphProperty`], possibly nested
//!   (`passwordProfile.password`, `employeeOrgData.costCenter`);
//! - how the value converts ([`Conversion`]), whether it is multi-valued,
//!   its mutability and `returned` characteristic, and so its [`Direction`];
//! - which Graph application permissions read and write it ([`Access`]);
//! - whether the facts call the row (or part of it) inferred
//!   ([`Mapping::is_inferred`]), with the source and note of the fact sheet.

mod rows;

use std::fmt;

use scimkit_filter::{CompValue, CompareOp, Filter};
use scimkit_patch::PatchPath;
use scimkit_schema::{AttributeType, Mutability, Returned};

use crate::permission::Permission;
use crate::ResourceKind;

/// Every row of the table, in the order of `data/mapping.tsv`: User rows
/// (core, enterprise, Microsoft Entra, Custom Security Attributes), then
/// Group rows (core, Microsoft Entra).
///
/// ```
/// use scimkit_entra::{mapping::mappings, ResourceKind};
///
/// let active = mappings()
///     .iter()
///     .find(|m| m.resource() == ResourceKind::User && m.path().to_string() == "active")
///     .unwrap();
/// assert_eq!(active.graph().to_string(), "accountEnabled");
/// assert_eq!(active.access().write_least().unwrap().as_str(), "User.EnableDisableAccount.All");
/// ```
pub fn mappings() -> &'static [Mapping] {
    rows::ROWS
}

/// The rows of one resource type.
pub fn mappings_for(kind: ResourceKind) -> impl Iterator<Item = &'static Mapping> {
    rows::ROWS.iter().filter(move |m| m.resource == kind)
}

/// The rows a PATCH path touches, in table order: the row it names, or
/// every row beneath it (`name` touches `name.givenName` and
/// `name.familyName`; `addresses[type eq "work"]` the five address rows; a
/// bare extension URN every row of that extension). Empty when nothing in
/// the table is touched.
///
/// Names compare ignoring case; an unqualified path is looked up in the core
/// schema first, then in the extensions (RFC 7644 §3.10). A value filter
/// selects rows by its `type eq "..."` and `primary eq ...` terms; other
/// terms (such as `value eq "..."`) select nothing more precise, so every
/// row of the attribute whose type fits is returned. An element without
/// `primary` counts as the work mail, not as a proxy address (see the crate
/// docs).
///
/// ```
/// use scimkit_entra::{mapping::lookup, ResourceKind};
///
/// let rows = lookup(ResourceKind::User, &r#"phoneNumbers[type eq "mobile"].value"#.parse()?);
/// assert_eq!(rows.len(), 1);
/// assert_eq!(rows[0].graph().to_string(), "mobilePhone");
/// assert_eq!(lookup(ResourceKind::User, &"name".parse()?).len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lookup(kind: ResourceKind, path: &PatchPath) -> Vec<&'static Mapping> {
    let (attr, filter, sub) = match path {
        PatchPath::Attribute(a) => (a, None, a.sub_attribute()),
        PatchPath::ValuePath {
            attribute,
            filter,
            sub_attribute,
            ..
        } => (attribute, Some(filter), sub_attribute.as_deref()),
        // `schemas eq "..."` style paths address no mapped attribute.
        _ => return Vec::new(),
    };
    let selector = filter.map(PathSelector::from_filter);
    resolve(kind, attr, |m| {
        m.accepted_paths()
            .any(|p| p.touched_by(attr.attribute(), sub, selector.as_ref()))
    })
}

/// The rows a *filter* value path `attr[selector ...]` (with `sub`, the
/// sub-attribute its other terms compare) can match, read the way
/// evaluating the filter over [`from_graph`](crate::convert::from_graph)'s output
/// would: each typed row's element carries the `type` and `primary` the
/// live API emits ([`Mapping::wire_path`]), and the selector must match
/// them ([`Selector::matches`](scimkit_filter::Selector::matches)). So
/// `emails[type eq "work"]` is the work email *and* the SMTP proxy
/// addresses (Entra emits those as `type: "work", primary: false`),
/// `emails[primary eq true]` the work email only, `emails[type eq
/// "other"]` the other mails. A selector on an untyped row matches nothing.
pub(crate) fn rows_for_filter(
    kind: ResourceKind,
    attr: &scimkit_schema::AttrPath,
    selector: &scimkit_filter::Selector,
    sub: Option<&str>,
) -> Vec<&'static Mapping> {
    resolve(kind, attr, |m| {
        let wire = m.wire_path();
        let element = match wire.filter {
            Some(f) => selector.matches(Some(f.type_value), f.primary),
            None => selector.matches(None, None),
        };
        element
            && m.accepted_paths()
                .any(|p| p.touched_by(attr.attribute(), sub, None))
    })
}

/// The rows of `kind` in the schema `attr` names (or, unqualified, the
/// core schema first, then the extensions: RFC 7644 §3.10) that `hit`
/// accepts; a bare extension URN stands for every row of it.
fn resolve(
    kind: ResourceKind,
    attr: &scimkit_schema::AttrPath,
    hit: impl Fn(&Mapping) -> bool,
) -> Vec<&'static Mapping> {
    let rows_in = |schema: &str| -> Vec<&'static Mapping> {
        mappings_for(kind)
            .filter(|m| m.schema.eq_ignore_ascii_case(schema))
            .filter(|m| hit(m))
            .collect()
    };
    match attr.schema() {
        Some(urn) => {
            let hits = rows_in(urn);
            if !hits.is_empty() {
                return hits;
            }
            // A bare extension URN parses as `urn:...:2.0` + attribute `User`.
            let whole = attr.as_str();
            mappings_for(kind)
                .filter(|m| m.schema.eq_ignore_ascii_case(whole))
                .collect()
        }
        None => {
            let core = rows_in(kind.core_urn());
            if !core.is_empty() {
                return core;
            }
            kind.extension_urns()
                .iter()
                .map(|urn| rows_in(urn))
                .find(|hits| !hits.is_empty())
                .unwrap_or_default()
        }
    }
}

/// [`lookup`], plus the Custom Security Attributes template row for a path
/// under `urn:...:CustomSecurityAttributes` (`...:Project.ProjectName`, a
/// set, or the bare URN), which [`lookup`] leaves out because the template
/// names no fixed attribute. Callers tell the template apart with
/// [`ScimPath::is_template`].
pub(crate) fn rows_for(kind: ResourceKind, path: &PatchPath) -> Vec<&'static Mapping> {
    let attr = path.attribute();
    let csa = attr
        .schema()
        .is_some_and(|s| s.eq_ignore_ascii_case(crate::CUSTOM_SECURITY_ATTRIBUTES_URN))
        || attr.is_urn(crate::CUSTOM_SECURITY_ATTRIBUTES_URN);
    if csa {
        return mappings_for(kind)
            .filter(|m| m.path.is_template())
            .collect();
    }
    lookup(kind, path)
}

/// One row of the mapping table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub(crate) resource: ResourceKind,
    pub(crate) schema: &'static str,
    pub(crate) path: ScimPath,
    pub(crate) wire: Option<ScimPath>,
    pub(crate) graph: GraphProperty,
    pub(crate) scim_type: AttributeType,
    pub(crate) graph_type: GraphType,
    pub(crate) multi: Multi,
    pub(crate) mutability: Mutability,
    pub(crate) returned: Returned,
    pub(crate) create_only: bool,
    pub(crate) unverified: bool,
    pub(crate) conflicting_docs: bool,
    pub(crate) access: Access,
    pub(crate) inferred: bool,
    pub(crate) source: &'static str,
    pub(crate) note: &'static str,
}

impl Mapping {
    /// The resource type.
    pub fn resource(&self) -> ResourceKind {
        self.resource
    }

    /// The schema URN that defines the attribute.
    pub fn schema(&self) -> &'static str {
        self.schema
    }

    /// True for rows of the core User or Group schema.
    pub fn is_core(&self) -> bool {
        self.schema.eq_ignore_ascii_case(self.resource.core_urn())
    }

    /// The SCIM path as documented (the fact sheet's `scim_path` column).
    pub fn path(&self) -> ScimPath {
        self.path
    }

    /// The SCIM path as the live API spells or shapes it, which this crate
    /// emits: [`Self::path`] unless the wire differs (for example
    /// `passwordProfile.forceChangePasswordNextSignIn` for the documented
    /// `passwordForceChangeOnNextSignIn`).
    pub fn wire_path(&self) -> ScimPath {
        self.wire.unwrap_or(self.path)
    }

    /// The documented path and, if different, the wire path: every form
    /// accepted on input.
    pub fn accepted_paths(&self) -> impl Iterator<Item = ScimPath> {
        std::iter::once(self.path).chain(self.wire)
    }

    /// The documented path as a PATCH path, URN-qualified for extension
    /// attributes. `None` for the Custom Security Attributes template row,
    /// whose path has placeholders.
    pub fn patch_path(&self) -> Option<PatchPath> {
        self.path
            .to_patch_path((!self.is_core()).then_some(self.schema))
    }

    /// The Microsoft Graph property.
    pub fn graph(&self) -> GraphProperty {
        self.graph
    }

    /// The SCIM data type.
    pub fn scim_type(&self) -> AttributeType {
        self.scim_type
    }

    /// The Graph-side type, as the fact sheet names it.
    pub fn graph_type(&self) -> GraphType {
        self.graph_type
    }

    /// How a value converts between SCIM and Graph.
    pub fn conversion(&self) -> Conversion {
        match self.graph_type {
            GraphType::String | GraphType::CrossDomainData => Conversion::String,
            GraphType::Boolean => Conversion::Boolean,
            GraphType::DateTimeOffset => Conversion::DateTime,
            GraphType::StringCollection => Conversion::StringCollection,
            GraphType::Reference | GraphType::DirectoryObjectRelationship => {
                Conversion::Relationship
            }
            GraphType::PerDefinition => Conversion::CustomSecurityAttributes,
        }
    }

    /// Whether the SCIM attribute holds several values.
    pub fn multi(&self) -> Multi {
        self.multi
    }

    /// The effective mutability. For `members.value` this is `readWrite`:
    /// the schema doc says readOnly, but the API reference adds and removes
    /// members by PATCH ([`Self::has_conflicting_docs`]).
    pub fn mutability(&self) -> Mutability {
        self.mutability
    }

    /// When the attribute is returned (`never` for filter-only attributes
    /// such as `groups.value`, and for `password` and `members`).
    pub fn returned(&self) -> Returned {
        self.returned
    }

    /// Read, write or both, from the mutability.
    pub fn direction(&self) -> Direction {
        match self.mutability {
            Mutability::ReadOnly => Direction::Read,
            Mutability::WriteOnly => Direction::Write,
            _ => Direction::Both,
        }
    }

    /// True when a client may write the attribute.
    pub fn is_writable(&self) -> bool {
        self.direction() != Direction::Read
    }

    /// True when the API returns the attribute in resources (neither
    /// write-only nor `returned: never`).
    pub fn is_returned(&self) -> bool {
        self.direction() != Direction::Write && self.returned != Returned::Never
    }

    /// True when the attribute can only be set on create (`password`).
    pub fn is_create_only(&self) -> bool {
        self.create_only
    }

    /// True when the facts mark the mutability as unverified
    /// (`employeeHireDate`: Graph says app-only callers cannot update it).
    pub fn is_unverified(&self) -> bool {
        self.unverified
    }

    /// True when the sources disagree on the mutability (`members.value`).
    pub fn has_conflicting_docs(&self) -> bool {
        self.conflicting_docs
    }

    /// The permissions reading and writing need.
    pub fn access(&self) -> Access {
        self.access
    }

    /// True when the fact sheet's source or note says "inferred": no source
    /// states the row (or the part the note names) outright.
    pub fn is_inferred(&self) -> bool {
        self.inferred
    }

    /// The fact sheet's sources (URLs, `seed:` files), verbatim.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The fact sheet's note, verbatim (may be empty).
    pub fn note(&self) -> &'static str {
        self.note
    }
}

/// A SCIM attribute path inside one schema, with an optional value filter
/// on `type` (and `primary`): `userName`, `name.givenName`,
/// `emails[type eq "other"].value`.
///
/// `Display` prints the path as the fact sheet spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScimPath {
    attribute: &'static str,
    filter: Option<ValueFilter>,
    sub_attribute: Option<&'static str>,
}

/// The `[type eq "..." and primary eq ...]` filter of a typed multi-valued
/// attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueFilter {
    type_value: &'static str,
    primary: Option<bool>,
}

impl ValueFilter {
    pub(crate) const fn new(type_value: &'static str, primary: Option<bool>) -> Self {
        Self {
            type_value,
            primary,
        }
    }

    /// The `type` the element must have (`work`, `other`, `mobile`, ...).
    pub fn type_value(&self) -> &'static str {
        self.type_value
    }

    /// The `primary` the element must have, if the filter says.
    pub fn primary(&self) -> Option<bool> {
        self.primary
    }
}

impl fmt::Display for ValueFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "type eq \"{}\"", self.type_value)?;
        if let Some(p) = self.primary {
            write!(f, " and primary eq {p}")?;
        }
        Ok(())
    }
}

impl ScimPath {
    /// The Custom Security Attributes row's path template.
    pub(crate) const CSA_TEMPLATE: Self = Self {
        attribute: "{attributeSet}",
        filter: None,
        sub_attribute: Some("{attributeName}"),
    };

    pub(crate) const fn attr(attribute: &'static str) -> Self {
        Self {
            attribute,
            filter: None,
            sub_attribute: None,
        }
    }

    pub(crate) const fn sub(attribute: &'static str, sub: &'static str) -> Self {
        Self {
            attribute,
            filter: None,
            sub_attribute: Some(sub),
        }
    }

    pub(crate) const fn typed(
        attribute: &'static str,
        type_value: &'static str,
        primary: Option<bool>,
        sub: &'static str,
    ) -> Self {
        Self {
            attribute,
            filter: Some(ValueFilter::new(type_value, primary)),
            sub_attribute: Some(sub),
        }
    }

    /// The top-level attribute (`emails`, `name`, `userName`).
    pub fn attribute(&self) -> &'static str {
        self.attribute
    }

    /// The value filter, for typed multi-valued attributes.
    pub fn filter(&self) -> Option<ValueFilter> {
        self.filter
    }

    /// The sub-attribute (`value`, `givenName`, `streetAddress`).
    pub fn sub_attribute(&self) -> Option<&'static str> {
        self.sub_attribute
    }

    /// True for the Custom Security Attributes template
    /// `{attributeSet}.{attributeName}`, which names no fixed attribute.
    pub fn is_template(&self) -> bool {
        self.attribute.starts_with('{')
    }

    /// As a PATCH path, qualified with `schema` if given. `None` for the
    /// template.
    pub fn to_patch_path(&self, schema: Option<&str>) -> Option<PatchPath> {
        if self.is_template() {
            return None;
        }
        let text = match schema {
            Some(urn) => format!("{urn}:{self}"),
            None => self.to_string(),
        };
        PatchPath::parse(&text).ok()
    }

    /// Whether a path naming `attribute[.sub]` (optionally through a value
    /// filter summarised by `selector`) reaches this path: it names it or
    /// an ancestor of it.
    fn touched_by(
        &self,
        attribute: &str,
        sub: Option<&str>,
        selector: Option<&PathSelector>,
    ) -> bool {
        if self.is_template() || !self.attribute.eq_ignore_ascii_case(attribute) {
            return false;
        }
        if let Some(sel) = selector {
            if !sel.fits(self.filter) {
                return false;
            }
        }
        match (sub, self.sub_attribute) {
            (None, _) => true,
            (Some(s), Some(own)) => s.eq_ignore_ascii_case(own),
            (Some(_), None) => false,
        }
    }
}

impl fmt::Display for ScimPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.attribute)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub) = self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// What a PATCH value filter says about `type` and `primary`, read by
/// scimkit-filter's [`Selector`](scimkit_filter::Selector); a filter whose
/// `type`/`primary` terms are not plain (`or`, `not`, contradicting) is
/// opaque and matches on its top-level `type` only.
#[derive(Debug)]
enum PathSelector {
    Plain(scimkit_filter::Selector),
    Opaque(Option<String>),
}

impl PathSelector {
    fn from_filter(filter: &Filter) -> Self {
        match scimkit_filter::Selector::split(filter) {
            Ok((selector, _)) => Self::Plain(selector),
            Err(_) => {
                let terms: &[Filter] = match filter {
                    Filter::And { children, .. } => children,
                    other => std::slice::from_ref(other),
                };
                let type_value = terms.iter().rev().find_map(|t| match t {
                    Filter::Compare {
                        path,
                        op: CompareOp::Eq,
                        value: CompValue::String(s),
                        ..
                    } if scimkit_filter::selector::is_selector_attribute(path)
                        && path.attribute().eq_ignore_ascii_case("type") =>
                    {
                        Some(s.to_string())
                    }
                    _ => None,
                });
                Self::Opaque(type_value)
            }
        }
    }

    fn fits(&self, row: Option<ValueFilter>) -> bool {
        let Some(row) = row else {
            // Not a typed row: a value filter on it selects its elements.
            return true;
        };
        let (type_value, primary) = match self {
            Self::Plain(s) => (s.type_value(), Some(s.primary())),
            Self::Opaque(t) => (t.as_deref(), None),
        };
        if type_value.is_some_and(|t| !t.eq_ignore_ascii_case(row.type_value)) {
            return false;
        }
        let Some(primary) = primary else {
            return true;
        };
        match row.primary {
            None => true,
            // An element without `primary` is the work mail.
            Some(true) => primary != Some(false),
            // Proxy addresses are emitted as `primary: false` work emails.
            Some(false) => primary == Some(false),
        }
    }
}

/// A Microsoft Graph property: a dotted path into the Graph object
/// (`mail`, `passwordProfile.password`,
/// `onPremisesExtensionAttributes.extensionAttribute1`), with the fact
/// sheet's qualifier when only some values map (`proxyAddresses (only smtp:
/// values)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GraphProperty {
    path: &'static str,
    qualifier: Option<&'static str>,
}

impl GraphProperty {
    pub(crate) const fn new(path: &'static str) -> Self {
        Self {
            path,
            qualifier: None,
        }
    }

    pub(crate) const fn qualified(path: &'static str, qualifier: &'static str) -> Self {
        Self {
            path,
            qualifier: Some(qualifier),
        }
    }

    /// The dotted path.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The path's segments (`["passwordProfile", "password"]`).
    pub fn segments(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('.')
    }

    /// True when the property sits inside a Graph complex property.
    pub fn is_nested(&self) -> bool {
        self.path.contains('.')
    }

    /// The qualifier (`only smtp: values`, `direct groups`, ...), if any.
    pub fn qualifier(&self) -> Option<&'static str> {
        self.qualifier
    }
}

impl fmt::Display for GraphProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path)?;
        if let Some(q) = self.qualifier {
            write!(f, " ({q})")?;
        }
        Ok(())
    }
}

/// The Graph-side type of a row, as the fact sheet names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GraphType {
    /// `String`.
    String,
    /// `Boolean`.
    Boolean,
    /// `DateTimeOffset` (ISO 8601).
    DateTimeOffset,
    /// `String collection`.
    StringCollection,
    /// A value persisted in Graph's `crossDomainData` entity (`externalId`).
    CrossDomainData,
    /// A reference through a Graph relationship that SCIM only filters on
    /// (`memberOf`, `ownedObjects`, `owners`).
    Reference,
    /// A `directoryObject` relationship SCIM writes (`manager`, `members`).
    DirectoryObjectRelationship,
    /// Defined per tenant (Custom Security Attributes).
    PerDefinition,
}

/// How a value converts between SCIM and Graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Conversion {
    /// A string, copied.
    String,
    /// A JSON boolean, copied.
    Boolean,
    /// An RFC 3339 date-time string, checked and copied as written.
    DateTime,
    /// Graph holds a string collection: several SCIM values (`otherMails`)
    /// or one (`businessPhones`).
    StringCollection,
    /// A Graph relationship: an object id, written as an `@odata.bind`
    /// annotation and read from the expanded object.
    Relationship,
    /// Custom Security Attributes: attribute sets of typed values.
    CustomSecurityAttributes,
}

/// Whether the SCIM side holds several values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Multi {
    /// One value.
    Single,
    /// Several values.
    Multiple,
    /// Set by the attribute's definition (Custom Security Attributes).
    PerDefinition,
}

/// Which way a row's value flows through the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Read only (`readOnly`), including filter-only attributes.
    Read,
    /// Write only (`writeOnly`: `password`).
    Write,
    /// Read and write.
    Both,
}

/// The Graph application permissions a row needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub(crate) read: &'static [Permission],
    pub(crate) write: &'static [Permission],
    pub(crate) create: Option<Permission>,
    pub(crate) update: Option<Permission>,
    pub(crate) unverified_extra: Option<Permission>,
    pub(crate) schema_read: Option<Permission>,
}

impl Access {
    /// Permissions that read the attribute: any one suffices, least
    /// privileged first.
    pub fn read(&self) -> &'static [Permission] {
        self.read
    }

    /// Permissions that write it: any one suffices, least privileged first.
    /// Empty for read-only rows.
    pub fn write(&self) -> &'static [Permission] {
        self.write
    }

    /// The least-privileged write permission.
    pub fn write_least(&self) -> Option<Permission> {
        self.write.first().copied()
    }

    /// A narrower permission for writing on create, when the row names one
    /// (`userName`: `User.Create`).
    pub fn create(&self) -> Option<Permission> {
        self.create
    }

    /// A narrower permission for writing on update, when the row names one
    /// (`userName`: `User.ReadUpdate.All`).
    pub fn update(&self) -> Option<Permission> {
        self.update
    }

    /// A permission the facts say writing may also need, unverified
    /// (`employeeHireDate`: `User-LifeCycleInfo.ReadWrite.All?`).
    pub fn unverified_extra(&self) -> Option<Permission> {
        self.unverified_extra
    }

    /// The permission reading the attribute's schema needs (Custom Security
    /// Attributes: `CustomSecAttributeDefinition.Read.All`).
    pub fn schema_read(&self) -> Option<Permission> {
        self.schema_read
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ENTERPRISE_USER_URN, ENTRA_GROUP_URN, ENTRA_USER_URN};

    fn graph_of(kind: ResourceKind, path: &str) -> Vec<String> {
        let path: PatchPath = path.parse().unwrap();
        lookup(kind, &path)
            .iter()
            .map(|m| m.graph().to_string())
            .collect()
    }

    #[test]
    fn lookup_by_patch_path() {
        use ResourceKind::{Group, User};
        assert_eq!(graph_of(User, r#"emails[type eq "work"].value"#), ["mail"]);
        assert_eq!(
            graph_of(User, r#"emails[type eq "work" and primary eq true].value"#),
            ["mail"]
        );
        assert_eq!(
            graph_of(User, r#"emails[type eq "work" and primary eq false].value"#),
            ["proxyAddresses (only smtp: values)"]
        );
        assert_eq!(
            graph_of(User, r#"emails[type eq "other"].value"#),
            ["otherMails"]
        );
        assert_eq!(graph_of(User, r#"emails[value eq "a@b"]"#).len(), 3);
        assert_eq!(graph_of(User, "emails").len(), 3);
        assert_eq!(graph_of(User, r#"emails[type eq "home"].value"#).len(), 0);
        assert_eq!(graph_of(User, r#"addresses[type eq "work"]"#).len(), 5);
        assert_eq!(
            graph_of(User, r#"addresses[type eq "work"].locality"#),
            ["city"]
        );
        assert_eq!(graph_of(User, "name").len(), 2);
        assert_eq!(graph_of(User, "NAME.GIVENNAME"), ["givenName"]);
        // Unqualified names: core first, then the extensions.
        assert_eq!(graph_of(User, "userType"), ["employeeType"]);
        assert_eq!(
            graph_of(User, &format!("{ENTRA_USER_URN}:userType")),
            ["userType"]
        );
        assert_eq!(graph_of(User, "mailNickname"), ["mailNickname"]);
        assert_eq!(graph_of(User, "costCenter"), ["employeeOrgData.costCenter"]);
        assert_eq!(
            graph_of(User, &format!("{ENTERPRISE_USER_URN}:manager")),
            ["manager"]
        );
        // Both spellings where the sources disagree.
        for p in [
            "passwordForceChangeOnNextSignIn",
            "passwordProfile.forceChangePasswordNextSignIn",
        ] {
            assert_eq!(
                graph_of(User, &format!("{ENTRA_USER_URN}:{p}")),
                ["passwordProfile.forceChangePasswordNextSignIn"]
            );
        }
        assert_eq!(
            graph_of(User, &format!("{ENTRA_USER_URN}:passwordProfile")).len(),
            2
        );
        for p in ["onPremisesSAMAccountName", "onPremisesSamAccountName"] {
            assert_eq!(
                graph_of(Group, &format!("{ENTRA_GROUP_URN}:{p}")),
                ["onPremisesSamAccountName"]
            );
        }
        // Whole extensions.
        assert_eq!(graph_of(User, ENTRA_USER_URN).len(), 36);
        assert_eq!(graph_of(Group, ENTRA_GROUP_URN).len(), 12);
        assert_eq!(graph_of(User, ENTERPRISE_USER_URN).len(), 6);
        assert_eq!(graph_of(Group, r#"members[value eq "u1"]"#), ["members"]);
        assert!(graph_of(User, "nickName").is_empty());
        assert!(graph_of(User, "members").is_empty());
        assert!(graph_of(User, r#"schemas eq "urn:x""#).is_empty());
        assert!(graph_of(User, "urn:example:Other:attr").is_empty());
    }

    #[test]
    fn accessors() {
        let rows = mappings();
        let active = rows
            .iter()
            .find(|m| m.path().attribute() == "active")
            .unwrap();
        assert_eq!(active.direction(), Direction::Both);
        assert_eq!(active.conversion(), Conversion::Boolean);
        assert_eq!(active.access().read(), [Permission::UserReadAll]);
        assert_eq!(
            active.access().write(),
            [
                Permission::UserEnableDisableAccountAll,
                Permission::UserReadWriteAll
            ]
        );
        let password = rows
            .iter()
            .find(|m| m.path().attribute() == "password")
            .unwrap();
        assert_eq!(password.direction(), Direction::Write);
        assert!(password.is_create_only() && password.is_writable() && !password.is_returned());
        assert!(password.graph().is_nested());
        assert_eq!(
            password.graph().segments().collect::<Vec<_>>(),
            ["passwordProfile", "password"]
        );
        let hire = rows
            .iter()
            .find(|m| m.path().attribute() == "employeeHireDate")
            .unwrap();
        assert!(hire.is_unverified());
        assert_eq!(
            hire.access().unverified_extra(),
            Some(Permission::UserLifeCycleInfoReadWriteAll)
        );
        let members = rows
            .iter()
            .find(|m| m.path().attribute() == "members")
            .unwrap();
        assert!(members.has_conflicting_docs() && members.is_writable() && !members.is_returned());
        let user_name = &rows[1];
        assert_eq!(user_name.access().create(), Some(Permission::UserCreate));
        assert_eq!(
            user_name.access().update(),
            Some(Permission::UserReadUpdateAll)
        );
        let csa = rows.iter().find(|m| m.path().is_template()).unwrap();
        assert_eq!(csa.conversion(), Conversion::CustomSecurityAttributes);
        assert_eq!(csa.multi(), Multi::PerDefinition);
        assert_eq!(csa.returned(), Returned::Request);
        assert_eq!(
            csa.access().schema_read(),
            Some(Permission::CustomSecAttributeDefinitionReadAll)
        );
        assert!(csa.patch_path().is_none());
        assert_eq!(mappings_for(ResourceKind::Group).count(), 16);
        assert_eq!(mappings_for(ResourceKind::User).count(), 67);
    }
}
