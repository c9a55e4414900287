//! Which `$filter` operators Microsoft Graph runs on which `user` and
//! `group` properties, and whether only as an *advanced query*: Graph's own
//! capability table, as data the translator consults.
//!
//! Graph's page "Advanced query capabilities on Microsoft Entra ID objects"
//! (<https://learn.microsoft.com/graph/aad-advanced-queries>) has one table
//! per object type with the columns eq, startsWith, ge/le and null value,
//! each cell "supported by default", "requires advanced query parameters"
//! (`ConsistencyLevel: eventual` plus `$count=true`), "not supported" or
//! blank (not valid), and says: `endsWith` only in advanced queries and
//! only on `mail`, `otherMails`, `userPrincipalName` and `proxyAddresses`;
//! `/$count eq 0` and `/$count ne 0` only in advanced queries; `not` and
//! `ne` only in advanced queries, on every property that supports `eq`;
//! properties not listed "don't support `$filter` at all".
//!
//! [`capabilities`] holds one [`Capability`] per Graph property and
//! operator with its [`Support`] and its source; a property or operator
//! without a row is not filterable, and [`to_odata`](crate::odata::to_odata)
//! refuses it. A few rows come from the Graph resource pages (`user`,
//! `group`) for properties the advanced-query page leaves out (`id`,
//! collections such as `otherMails`), and Custom Security Attributes from
//! Graph's examples page for them; the row's [`Capability::source`] says
//! which. Where Graph documents an operator without saying whether it needs
//! advanced parameters, the row says [`Support::Advanced`]: advanced mode
//! accepts every default query too, so that only costs eventual
//! consistency.

use crate::ResourceKind;

/// A `$filter` operator class in Graph's capability table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GraphFilterOp {
    /// `eq` (on a collection: `prop/any(x:x eq ...)`).
    Eq,
    /// `startswith(prop, ...)`.
    StartsWith,
    /// `endswith(prop, ...)`.
    EndsWith,
    /// `ge` and `le` (Graph's table has no `gt`/`lt`).
    GeLe,
    /// `prop eq null` (and so `ne null`): the table's "null value" column.
    EqNull,
    /// `prop/$count eq 0` / `ne 0` on a collection.
    Count,
    /// `ne` and `not(...)`.
    Not,
}

impl GraphFilterOp {
    /// Every operator class, in table-column order.
    pub const ALL: &'static [Self] = &[
        Self::Eq,
        Self::StartsWith,
        Self::EndsWith,
        Self::GeLe,
        Self::EqNull,
        Self::Count,
        Self::Not,
    ];

    /// The operator as the error messages and docs name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::StartsWith => "startsWith",
            Self::EndsWith => "endsWith",
            Self::GeLe => "ge/le",
            Self::EqNull => "eq null",
            Self::Count => "/$count",
            Self::Not => "not/ne",
        }
    }
}

/// Whether Graph runs an operator on a property by default or only as an
/// advanced query. (Not at all: no [`Capability`] row.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Support {
    /// Works without advanced query parameters.
    Default,
    /// Needs `ConsistencyLevel: eventual` and `$count=true`.
    Advanced,
}

/// One row of the capability table: a Graph property, an operator, how
/// Graph supports it, and where that is documented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capability {
    resource: ResourceKind,
    property: &'static str,
    op: GraphFilterOp,
    support: Support,
    source: &'static str,
}

impl Capability {
    /// The resource type (`user` or `group` in Graph).
    pub fn resource(&self) -> ResourceKind {
        self.resource
    }

    /// The Graph property as `$filter` names it (`/` between members:
    /// `employeeOrgData/costCenter`; `customSecurityAttributes` for every
    /// Custom Security Attribute).
    pub fn property(&self) -> &'static str {
        self.property
    }

    /// The operator class.
    pub fn op(&self) -> GraphFilterOp {
        self.op
    }

    /// Default or advanced.
    pub fn support(&self) -> Support {
        self.support
    }

    /// The page and section that state the row.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

/// Every row, User rows then Group rows.
pub fn capabilities() -> &'static [Capability] {
    ROWS
}

/// How Graph supports `op` on `property` of `kind`; `None` when it does
/// not (no row). Property names compare ignoring ASCII case.
///
/// ```
/// use scimkit_entra::{odata::{capability, GraphFilterOp, Support}, ResourceKind};
///
/// assert_eq!(capability(ResourceKind::User, "mail", GraphFilterOp::EndsWith), Some(Support::Advanced));
/// assert_eq!(capability(ResourceKind::User, "mailNickname", GraphFilterOp::EndsWith), None);
/// assert_eq!(capability(ResourceKind::Group, "displayName", GraphFilterOp::Eq), Some(Support::Default));
/// ```
pub fn capability(kind: ResourceKind, property: &str, op: GraphFilterOp) -> Option<Support> {
    ROWS.iter()
        .find(|c| c.resource == kind && c.op == op && c.property.eq_ignore_ascii_case(property))
        .map(|c| c.support)
}

/// True when the table has any row for `property` of `kind`.
pub(crate) fn is_filterable(kind: ResourceKind, property: &str) -> bool {
    ROWS.iter()
        .any(|c| c.resource == kind && c.property.eq_ignore_ascii_case(property))
}

const AQ_USER: &str =
    "https://learn.microsoft.com/graph/aad-advanced-queries, table \"User properties\"";
const AQ_GROUP: &str =
    "https://learn.microsoft.com/graph/aad-advanced-queries, table \"Group properties\"";
const AQ_RULES: &str = "https://learn.microsoft.com/graph/aad-advanced-queries, \"Support for filter \
     by properties of Microsoft Entra ID (directory) objects\" (endsWith, /$count, not and ne rules)";
const AQ_CURRENT: &str = "https://learn.microsoft.com/graph/aad-advanced-queries, current tables as \
     checked for issue 12 (an older revision of the include listed more; the current one is followed)";
const USER_RESOURCE: &str =
    "https://learn.microsoft.com/graph/api/resources/user, Properties (\"Supports $filter (...)\")";
const GROUP_RESOURCE: &str =
    "https://learn.microsoft.com/graph/api/resources/group, Properties (\"Supports $filter (...)\")";
const CSA_EXAMPLES: &str =
    "https://learn.microsoft.com/graph/custom-security-attributes-examples, \
     \"List attribute assignments\" filters (ConsistencyLevel: eventual and $count=true)";

const fn row(
    resource: ResourceKind,
    property: &'static str,
    op: GraphFilterOp,
    support: Support,
    source: &'static str,
) -> Capability {
    Capability {
        resource,
        property,
        op,
        support,
        source,
    }
}

use GraphFilterOp as Op;
use ResourceKind::{Group, User};
use Support::Advanced as A;
use Support::Default as D;

const ROWS: &[Capability] = &[
    row(User, "id", Op::Eq, D, USER_RESOURCE),
    row(User, "id", Op::Not, A, AQ_RULES),
    row(User, "userPrincipalName", Op::Eq, D, AQ_USER),
    row(User, "userPrincipalName", Op::StartsWith, D, AQ_USER),
    row(User, "userPrincipalName", Op::EndsWith, A, AQ_RULES),
    row(User, "userPrincipalName", Op::Not, A, AQ_RULES),
    row(User, "displayName", Op::Eq, D, AQ_USER),
    row(User, "displayName", Op::StartsWith, D, AQ_USER),
    row(User, "displayName", Op::EqNull, A, AQ_USER),
    row(User, "displayName", Op::Not, A, AQ_RULES),
    row(User, "givenName", Op::Eq, D, AQ_USER),
    row(User, "givenName", Op::StartsWith, D, AQ_USER),
    row(User, "givenName", Op::EqNull, A, AQ_USER),
    row(User, "givenName", Op::Not, A, AQ_RULES),
    row(User, "surname", Op::Eq, D, AQ_USER),
    row(User, "surname", Op::StartsWith, D, AQ_USER),
    row(User, "surname", Op::EqNull, A, AQ_USER),
    row(User, "surname", Op::Not, A, AQ_RULES),
    row(User, "accountEnabled", Op::Eq, D, AQ_USER),
    row(User, "accountEnabled", Op::Not, A, AQ_RULES),
    row(User, "mail", Op::Eq, D, AQ_USER),
    row(User, "mail", Op::StartsWith, D, AQ_USER),
    row(User, "mail", Op::EndsWith, A, AQ_RULES),
    row(User, "mail", Op::EqNull, A, AQ_USER),
    row(User, "mail", Op::Not, A, AQ_RULES),
    row(User, "otherMails", Op::Eq, D, USER_RESOURCE),
    row(User, "otherMails", Op::StartsWith, D, USER_RESOURCE),
    row(User, "otherMails", Op::EndsWith, A, AQ_RULES),
    row(User, "otherMails", Op::Count, A, AQ_RULES),
    row(User, "otherMails", Op::Not, A, AQ_RULES),
    row(User, "proxyAddresses", Op::Eq, D, USER_RESOURCE),
    row(User, "proxyAddresses", Op::StartsWith, D, USER_RESOURCE),
    row(User, "proxyAddresses", Op::EndsWith, A, AQ_RULES),
    row(User, "proxyAddresses", Op::Count, A, AQ_RULES),
    row(User, "proxyAddresses", Op::Not, A, AQ_RULES),
    row(User, "imAddresses", Op::Eq, D, USER_RESOURCE),
    row(User, "imAddresses", Op::StartsWith, D, USER_RESOURCE),
    row(User, "imAddresses", Op::Not, A, AQ_RULES),
    row(User, "faxNumber", Op::Eq, A, AQ_USER),
    row(User, "faxNumber", Op::StartsWith, A, AQ_USER),
    row(User, "faxNumber", Op::EqNull, A, AQ_USER),
    row(User, "faxNumber", Op::Not, A, AQ_RULES),
    row(User, "mobilePhone", Op::Eq, A, AQ_USER),
    row(User, "mobilePhone", Op::StartsWith, A, AQ_USER),
    row(User, "mobilePhone", Op::EqNull, A, AQ_USER),
    row(User, "mobilePhone", Op::Not, A, AQ_RULES),
    row(User, "businessPhones", Op::Eq, A, AQ_CURRENT),
    row(User, "businessPhones", Op::StartsWith, A, AQ_CURRENT),
    row(User, "businessPhones", Op::Not, A, AQ_RULES),
    row(User, "preferredLanguage", Op::Eq, A, AQ_USER),
    row(User, "preferredLanguage", Op::StartsWith, A, AQ_USER),
    row(User, "preferredLanguage", Op::EqNull, A, AQ_USER),
    row(User, "preferredLanguage", Op::Not, A, AQ_RULES),
    row(User, "jobTitle", Op::Eq, D, AQ_USER),
    row(User, "jobTitle", Op::StartsWith, D, AQ_USER),
    row(User, "jobTitle", Op::EqNull, A, AQ_USER),
    row(User, "jobTitle", Op::Not, A, AQ_RULES),
    row(User, "employeeType", Op::Eq, A, AQ_USER),
    row(User, "employeeType", Op::Not, A, AQ_RULES),
    row(User, "streetAddress", Op::Eq, A, AQ_USER),
    row(User, "streetAddress", Op::StartsWith, A, AQ_USER),
    row(User, "streetAddress", Op::EqNull, A, AQ_USER),
    row(User, "streetAddress", Op::Not, A, AQ_RULES),
    row(User, "city", Op::Eq, D, AQ_USER),
    row(User, "city", Op::StartsWith, D, AQ_USER),
    row(User, "city", Op::EqNull, A, AQ_USER),
    row(User, "city", Op::Not, A, AQ_RULES),
    row(User, "state", Op::Eq, D, AQ_USER),
    row(User, "state", Op::StartsWith, D, AQ_USER),
    row(User, "state", Op::EqNull, A, AQ_USER),
    row(User, "state", Op::Not, A, AQ_RULES),
    row(User, "postalCode", Op::Eq, A, AQ_USER),
    row(User, "postalCode", Op::StartsWith, A, AQ_USER),
    row(User, "postalCode", Op::EqNull, A, AQ_USER),
    row(User, "postalCode", Op::Not, A, AQ_RULES),
    row(User, "country", Op::Eq, D, AQ_USER),
    row(User, "country", Op::StartsWith, D, AQ_USER),
    row(User, "country", Op::EqNull, A, AQ_USER),
    row(User, "country", Op::Not, A, AQ_RULES),
    row(User, "employeeId", Op::Eq, D, AQ_USER),
    row(User, "employeeId", Op::EqNull, A, AQ_USER),
    row(User, "employeeId", Op::Not, A, AQ_RULES),
    row(User, "department", Op::Eq, D, AQ_USER),
    row(User, "department", Op::StartsWith, D, AQ_USER),
    row(User, "department", Op::EqNull, A, AQ_USER),
    row(User, "department", Op::Not, A, AQ_RULES),
    row(User, "employeeOrgData/costCenter", Op::Eq, A, AQ_USER),
    row(User, "employeeOrgData/costCenter", Op::Not, A, AQ_RULES),
    row(User, "employeeOrgData/division", Op::Eq, A, AQ_USER),
    row(User, "employeeOrgData/division", Op::Not, A, AQ_RULES),
    row(User, "companyName", Op::Eq, A, AQ_USER),
    row(User, "companyName", Op::StartsWith, A, AQ_USER),
    row(User, "companyName", Op::EqNull, A, AQ_USER),
    row(User, "companyName", Op::Not, A, AQ_RULES),
    row(User, "creationType", Op::Eq, D, AQ_USER),
    row(User, "creationType", Op::Not, A, AQ_RULES),
    row(User, "employeeHireDate", Op::GeLe, A, AQ_CURRENT),
    row(User, "employeeLeaveDateTime", Op::Eq, A, USER_RESOURCE),
    row(User, "employeeLeaveDateTime", Op::GeLe, A, USER_RESOURCE),
    row(User, "employeeLeaveDateTime", Op::Not, A, AQ_RULES),
    row(User, "mailNickname", Op::Eq, D, AQ_USER),
    row(User, "mailNickname", Op::StartsWith, D, AQ_USER),
    row(User, "mailNickname", Op::EqNull, A, AQ_USER),
    row(User, "mailNickname", Op::Not, A, AQ_RULES),
    row(User, "officeLocation", Op::Eq, A, AQ_USER),
    row(User, "officeLocation", Op::StartsWith, A, AQ_USER),
    row(User, "officeLocation", Op::EqNull, A, AQ_USER),
    row(User, "officeLocation", Op::Not, A, AQ_RULES),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute1",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute1",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute1",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute2",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute2",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute2",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute3",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute3",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute3",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute4",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute4",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute4",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute5",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute5",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute5",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute6",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute6",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute6",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute7",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute7",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute7",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute8",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute8",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute8",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute9",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute9",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute9",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute10",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute10",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute10",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute11",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute11",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute11",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute12",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute12",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute12",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute13",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute13",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute13",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute14",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute14",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute14",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute15",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute15",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "onPremisesExtensionAttributes/extensionAttribute15",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(User, "onPremisesImmutableId", Op::Eq, D, AQ_USER),
    row(User, "onPremisesImmutableId", Op::Not, A, AQ_RULES),
    row(User, "onPremisesSamAccountName", Op::Eq, A, AQ_USER),
    row(User, "onPremisesSamAccountName", Op::StartsWith, A, AQ_USER),
    row(User, "onPremisesSamAccountName", Op::Not, A, AQ_RULES),
    row(User, "onPremisesSecurityIdentifier", Op::EqNull, A, AQ_USER),
    row(User, "onPremisesSyncEnabled", Op::Eq, D, AQ_USER),
    row(User, "onPremisesSyncEnabled", Op::EqNull, A, AQ_USER),
    row(User, "onPremisesSyncEnabled", Op::Not, A, AQ_RULES),
    row(
        User,
        "passwordProfile/forceChangePasswordNextSignIn",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "passwordProfile/forceChangePasswordNextSignIn",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "passwordProfile/forceChangePasswordNextSignIn",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(
        User,
        "passwordProfile/forceChangePasswordNextSignInWithMfa",
        Op::Eq,
        A,
        AQ_USER,
    ),
    row(
        User,
        "passwordProfile/forceChangePasswordNextSignInWithMfa",
        Op::EqNull,
        A,
        AQ_USER,
    ),
    row(
        User,
        "passwordProfile/forceChangePasswordNextSignInWithMfa",
        Op::Not,
        A,
        AQ_RULES,
    ),
    row(User, "usageLocation", Op::Eq, D, AQ_USER),
    row(User, "usageLocation", Op::StartsWith, D, AQ_USER),
    row(User, "usageLocation", Op::EqNull, A, AQ_USER),
    row(User, "usageLocation", Op::Not, A, AQ_RULES),
    row(User, "userType", Op::Eq, D, AQ_USER),
    row(User, "userType", Op::EqNull, A, AQ_USER),
    row(User, "userType", Op::Not, A, AQ_RULES),
    row(User, "customSecurityAttributes", Op::Eq, A, CSA_EXAMPLES),
    row(
        User,
        "customSecurityAttributes",
        Op::StartsWith,
        A,
        CSA_EXAMPLES,
    ),
    row(User, "customSecurityAttributes", Op::Not, A, CSA_EXAMPLES),
    row(Group, "id", Op::Eq, D, GROUP_RESOURCE),
    row(Group, "id", Op::Not, A, AQ_RULES),
    row(Group, "displayName", Op::Eq, D, AQ_GROUP),
    row(Group, "displayName", Op::StartsWith, D, AQ_GROUP),
    row(Group, "displayName", Op::EqNull, A, AQ_GROUP),
    row(Group, "displayName", Op::Not, A, AQ_RULES),
    row(Group, "createdDateTime", Op::GeLe, A, AQ_CURRENT),
    row(Group, "description", Op::Eq, A, AQ_GROUP),
    row(Group, "description", Op::StartsWith, A, AQ_GROUP),
    row(Group, "description", Op::Not, A, AQ_RULES),
    row(Group, "expirationDateTime", Op::Eq, A, AQ_GROUP),
    row(Group, "expirationDateTime", Op::GeLe, A, AQ_GROUP),
    row(Group, "expirationDateTime", Op::Not, A, AQ_RULES),
    row(Group, "groupTypes", Op::Eq, D, GROUP_RESOURCE),
    row(Group, "groupTypes", Op::Not, A, AQ_RULES),
    row(Group, "mailEnabled", Op::Eq, D, AQ_GROUP),
    row(Group, "mailEnabled", Op::Not, A, AQ_RULES),
    row(Group, "mailNickname", Op::Eq, D, AQ_GROUP),
    row(Group, "mailNickname", Op::StartsWith, D, AQ_GROUP),
    row(Group, "mailNickname", Op::EqNull, A, AQ_GROUP),
    row(Group, "mailNickname", Op::Not, A, AQ_RULES),
    row(Group, "onPremisesSamAccountName", Op::Eq, A, AQ_GROUP),
    row(
        Group,
        "onPremisesSamAccountName",
        Op::StartsWith,
        A,
        AQ_GROUP,
    ),
    row(Group, "onPremisesSamAccountName", Op::Not, A, AQ_RULES),
    row(
        Group,
        "onPremisesSecurityIdentifier",
        Op::EqNull,
        A,
        AQ_GROUP,
    ),
    row(Group, "onPremisesSyncEnabled", Op::Eq, D, AQ_GROUP),
    row(Group, "onPremisesSyncEnabled", Op::EqNull, A, AQ_GROUP),
    row(Group, "onPremisesSyncEnabled", Op::Not, A, AQ_RULES),
    row(Group, "proxyAddresses", Op::Eq, D, GROUP_RESOURCE),
    row(Group, "proxyAddresses", Op::StartsWith, D, GROUP_RESOURCE),
    row(Group, "proxyAddresses", Op::EndsWith, A, AQ_RULES),
    row(Group, "proxyAddresses", Op::Count, A, AQ_RULES),
    row(Group, "proxyAddresses", Op::Not, A, AQ_RULES),
    row(Group, "securityEnabled", Op::Eq, D, AQ_GROUP),
    row(Group, "securityEnabled", Op::Not, A, AQ_RULES),
];
