//! The rows of the mapping table, in the order of `data/mapping.tsv`.
//!
//! Written from the fact sheet; `tests/mapping_tsv.rs` compares every row
//! with its line of `data/mapping.tsv`, column by column. `source` and
//! `note` are the sheet's text verbatim. Fields left out take their value
//! from [`BASE`]: a core User string attribute, `readWrite`, read with
//! `User.Read.All`, written with `User.ReadWrite.All`.

use scimkit_schema::{AttributeType, Mutability, Returned};

use super::{Access, GraphProperty, GraphType, Mapping, Multi, ScimPath};
use crate::permission::Permission as P;
use crate::resource::{
    CUSTOM_SECURITY_ATTRIBUTES_URN, ENTERPRISE_USER_URN, ENTRA_GROUP_URN, ENTRA_USER_URN,
    GROUP_URN, USER_URN,
};
use crate::ResourceKind;

const fn access(read: &'static [P], write: &'static [P]) -> Access {
    Access {
        read,
        write,
        create: None,
        update: None,
        unverified_extra: None,
        schema_read: None,
    }
}

const USER_RW: Access = access(&[P::UserReadAll], &[P::UserReadWriteAll]);
const USER_RO: Access = access(&[P::UserReadAll], &[]);
const GROUP_RW: Access = access(&[P::GroupReadAll], &[P::GroupReadWriteAll]);
const GROUP_RO: Access = access(&[P::GroupReadAll], &[]);

const BASE: Mapping = Mapping {
    resource: ResourceKind::User,
    schema: USER_URN,
    path: ScimPath::attr(""),
    wire: None,
    graph: GraphProperty::new(""),
    scim_type: AttributeType::String,
    graph_type: GraphType::String,
    multi: Multi::Single,
    mutability: Mutability::ReadWrite,
    returned: Returned::Default,
    create_only: false,
    unverified: false,
    conflicting_docs: false,
    access: USER_RW,
    inferred: false,
    source: "",
    note: "",
};

pub(super) static ROWS: &[Mapping] = &[
    Mapping {
        path: ScimPath::attr("id"),
        graph: GraphProperty::new("id"),
        mutability: Mutability::ReadOnly,
        access: access(&[P::UserReadBasicAll, P::UserReadAll], &[P::UserReadWriteAll]),
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "inferred: examples show Entra object GUID; filterable eq; User.ReadBasic.All may filter on it",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("userName"),
        graph: GraphProperty::new("userPrincipalName"),
        access: Access { create: Some(P::UserCreate), update: Some(P::UserReadUpdateAll), ..access(&[P::UserReadBasicAll, P::UserReadAll], &[P::UserReadWriteAll]) },
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "required on POST; filter eq and ew; not(ew) allowed",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("displayName"),
        graph: GraphProperty::new("displayName"),
        access: access(&[P::UserReadBasicAll, P::UserReadAll], &[P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/graph/permissions-reference#userreadbasicall",
        note: "required on POST; 'eq' filter on users listed only in the 02/2026 doc (dropped in 09/2026 list)",
        ..BASE
    },
    Mapping {
        path: ScimPath::sub("name", "givenName"),
        graph: GraphProperty::new("givenName"),
        access: access(&[P::UserReadBasicAll, P::UserReadAll], &[P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/graph/permissions-reference#userreadbasicall",
        note: "required on POST",
        ..BASE
    },
    Mapping {
        path: ScimPath::sub("name", "familyName"),
        graph: GraphProperty::new("surname"),
        access: access(&[P::UserReadBasicAll, P::UserReadAll], &[P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/graph/permissions-reference#userreadbasicall",
        note: "required on POST",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("active"),
        graph: GraphProperty::new("accountEnabled"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        access: access(&[P::UserReadAll], &[P::UserEnableDisableAccountAll, P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:000_08258b85c55f660d.txt (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/enable-scim-api)",
        note: "required on POST; filter eq accepts true/false case-insensitive; Graph says app-only also needs an admin role for some targets",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("password"),
        graph: GraphProperty::new("passwordProfile.password"),
        mutability: Mutability::WriteOnly,
        returned: Returned::Never,
        create_only: true,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "graph_property inferred (doc says 'See notes'); required for managed (non-federated) domains; only settable on create; never returned",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("emails", "work", Some(true), "value"),
        graph: GraphProperty::new("mail"),
        access: access(&[P::UserReadBasicAll, P::UserReadAll], &[P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/graph/permissions-reference#userreadbasicall",
        note: "only one work+primary value allowed; PATCH path form shown in MS-REF example",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("emails", "other", None, "value"),
        graph: GraphProperty::new("otherMails"),
        graph_type: GraphType::StringCollection,
        multi: Multi::Multiple,
        access: access(&[P::UserReadAll], &[P::UserMailReadWriteAll, P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:000_08258b85c55f660d.txt (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/enable-scim-api)",
        note: "Graph: up to 250 values; update replaces whole set",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("emails", "proxyAddress", None, "value"),
        wire: Some(ScimPath::typed("emails", "work", Some(false), "value")),
        graph: GraphProperty::qualified("proxyAddresses", "only smtp: values"),
        graph_type: GraphType::StringCollection,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "currently emitted as type work, primary false (doc says this will change)",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("externalId"),
        graph: GraphProperty::new("crossDomainData.scim.v2.externalId"),
        graph_type: GraphType::CrossDomainData,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "NOT employeeId and NOT onPremisesImmutableId; persisted in Graph entity crossDomainData, which is NOT a public Graph user property: a Graph request body must never carry it (a proxy keeps externalId itself or maps it to a property of its own choosing); filter eq but cannot be combined with other filters; mutability inferred",
        ..BASE
    },
    Mapping {
        path: ScimPath::sub("groups", "value"),
        graph: GraphProperty::qualified("memberOf", "direct groups"),
        graph_type: GraphType::Reference,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        returned: Returned::Never,
        access: USER_RO,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "graph_property inferred (doc says 'See notes'); filter-only: groups.value eq \"{groupId}\" lists direct members",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("ims", "work", None, "value"),
        graph: GraphProperty::new("imAddresses"),
        graph_type: GraphType::StringCollection,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs (imAddresses read-only in Graph)",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("phoneNumbers", "fax", None, "value"),
        graph: GraphProperty::new("faxNumber"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "only one value of this type",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("phoneNumbers", "mobile", None, "value"),
        graph: GraphProperty::new("mobilePhone"),
        access: access(&[P::UserReadAll], &[P::UserPhoneReadWriteAll, P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:000_08258b85c55f660d.txt (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/enable-scim-api)",
        note: "only one value of this type",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("phoneNumbers", "work", None, "value"),
        graph: GraphProperty::new("businessPhones"),
        graph_type: GraphType::StringCollection,
        access: access(&[P::UserReadAll], &[P::UserPhoneReadWriteAll, P::UserReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:000_08258b85c55f660d.txt (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/enable-scim-api)",
        note: "Graph collection but only one number can be set; only one SCIM value of this type",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("preferredLanguage"),
        graph: GraphProperty::new("preferredLanguage"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "single value only (no ranked list); Graph expects ISO 639-1 e.g. en-US",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("title"),
        graph: GraphProperty::new("jobTitle"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        path: ScimPath::attr("userType"),
        graph: GraphProperty::new("employeeType"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "core userType -> employeeType; do not confuse with Entra-extension userType -> userType",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("addresses", "work", None, "streetAddress"),
        graph: GraphProperty::new("streetAddress"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "only one addresses value allowed, type must be work; PATCH filter only [type eq \"work\"]",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("addresses", "work", None, "locality"),
        graph: GraphProperty::new("city"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("addresses", "work", None, "region"),
        graph: GraphProperty::new("state"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("addresses", "work", None, "postalCode"),
        graph: GraphProperty::new("postalCode"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        path: ScimPath::typed("addresses", "work", None, "country"),
        graph: GraphProperty::new("country"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "09/2026 doc text (and MS-REF PATCH example) renders sub-attribute as 'country/region' (likely editorial); 03/2026 doc says 'country' (RFC 7643 name)",
        ..BASE
    },
    Mapping {
        schema: ENTERPRISE_USER_URN,
        path: ScimPath::attr("employeeNumber"),
        graph: GraphProperty::new("employeeId"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "Graph max length 16",
        ..BASE
    },
    Mapping {
        schema: ENTERPRISE_USER_URN,
        path: ScimPath::attr("department"),
        graph: GraphProperty::new("department"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        schema: ENTERPRISE_USER_URN,
        path: ScimPath::attr("costCenter"),
        graph: GraphProperty::new("employeeOrgData.costCenter"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "Graph (documented on the user-update page): updating employeeOrgData with one member omitted sets the other to null, so a proxy must send both members (read first)",
        ..BASE
    },
    Mapping {
        schema: ENTERPRISE_USER_URN,
        path: ScimPath::attr("division"),
        graph: GraphProperty::new("employeeOrgData.division"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "see costCenter note",
        ..BASE
    },
    Mapping {
        schema: ENTERPRISE_USER_URN,
        path: ScimPath::attr("organization"),
        graph: GraphProperty::new("companyName"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "Graph max length 64",
        ..BASE
    },
    Mapping {
        schema: ENTERPRISE_USER_URN,
        path: ScimPath::sub("manager", "value"),
        graph: GraphProperty::new("manager"),
        scim_type: AttributeType::Reference,
        graph_type: GraphType::DirectoryObjectRelationship,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "PATCH value is complex {\"value\":\"<managerObjectId>\"}; projecting manager caps page size at 100",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("creationType"),
        graph: GraphProperty::new("creationType"),
        mutability: Mutability::ReadOnly,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs (inferred)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("employeeHireDate"),
        graph: GraphProperty::new("employeeHireDate"),
        scim_type: AttributeType::DateTime,
        graph_type: GraphType::DateTimeOffset,
        unverified: true,
        access: Access { unverified_extra: Some(P::UserLifeCycleInfoReadWriteAll), ..access(&[P::UserReadAll], &[P::UserReadWriteAll]) },
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "Graph user-update page says app-only callers cannot update employeeHireDate; unverified for SCIM",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("employeeLeaveDateTime"),
        graph: GraphProperty::new("employeeLeaveDateTime"),
        scim_type: AttributeType::DateTime,
        graph_type: GraphType::DateTimeOffset,
        access: access(&[P::UserReadAll], &[P::UserLifeCycleInfoReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:000_08258b85c55f660d.txt (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/enable-scim-api)",
        note: "",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("lastPasswordChangeDateTime"),
        graph: GraphProperty::new("lastPasswordChangeDateTime"),
        scim_type: AttributeType::DateTime,
        graph_type: GraphType::DateTimeOffset,
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "wire example '2025-08-04T14:23:29+02:00'",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("mailNickname"),
        graph: GraphProperty::new("mailNickname"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "optional on POST (derived from userName before '@'); cannot be removed; filter eq and ew (full URN path)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("officeLocation"),
        graph: GraphProperty::new("officeLocation"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesDistinguishedName"),
        graph: GraphProperty::new("onPremisesDistinguishedName"),
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesDomainName"),
        graph: GraphProperty::new("onPremisesDomainName"),
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute1"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute1"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute2"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute2"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute3"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute3"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute4"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute4"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute5"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute5"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute6"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute6"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute7"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute7"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute8"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute8"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute9"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute9"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute10"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute10"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute11"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute11"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute12"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute12"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute13"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute13"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute14"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute14"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("onPremisesExtensionAttributes", "extensionAttribute15"),
        graph: GraphProperty::new("onPremisesExtensionAttributes.extensionAttribute15"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "read-only when user is onPremisesSyncEnabled (Graph); returned as {} when empty (seed 001)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesImmutableId"),
        graph: GraphProperty::new("onPremisesImmutableId"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "Graph: '$' and '_' not allowed; needed for federated-domain UPNs",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesSAMAccountName"),
        wire: Some(ScimPath::attr("onPremisesSamAccountName")),
        graph: GraphProperty::new("onPremisesSamAccountName"),
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "doc spells onPremisesSAMAccountName; wire (seed 001) spells onPremisesSamAccountName -> match case-insensitively",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesSecurityIdentifier"),
        graph: GraphProperty::new("onPremisesSecurityIdentifier"),
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesSyncEnabled"),
        graph: GraphProperty::new("onPremisesSyncEnabled"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("onPremisesUserPrincipalName"),
        graph: GraphProperty::new("onPremisesUserPrincipalName"),
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::sub("ownedGroups", "value"),
        graph: GraphProperty::qualified("ownedObjects", "groups only"),
        graph_type: GraphType::Reference,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        returned: Returned::Never,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "filter-only target: urn:...:User:ownedGroups.value eq \"{groupId}\"",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("passwordForceChangeOnNextSignIn"),
        wire: Some(ScimPath::sub("passwordProfile", "forceChangePasswordNextSignIn")),
        graph: GraphProperty::new("passwordProfile.forceChangePasswordNextSignIn"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "wire (seed 001) returns nested passwordProfile.forceChangePasswordNextSignIn instead; Graph least-priv write perm User-PasswordProfile.ReadWrite.All (inferred)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("passwordForceChangeOnNextSignInWithMFA"),
        wire: Some(ScimPath::sub("passwordProfile", "forceChangePasswordNextSignInWithMfa")),
        graph: GraphProperty::new("passwordProfile.forceChangePasswordNextSignInWithMfa"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "wire (seed 001) returns nested passwordProfile.forceChangePasswordNextSignInWithMfa",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("preferredDataLocation"),
        graph: GraphProperty::new("preferredDataLocation"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("proxyAddresses"),
        graph: GraphProperty::qualified("proxyAddresses", "all values"),
        graph_type: GraphType::StringCollection,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs (read-only in Graph)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("usageLocation"),
        graph: GraphProperty::new("usageLocation"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "ISO 3166 two-letter code",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("userType"),
        graph: GraphProperty::new("userType"),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "values Member/Guest; distinct from core userType (-> employeeType)",
        ..BASE
    },
    Mapping {
        schema: ENTRA_USER_URN,
        path: ScimPath::attr("securityIdentifier"),
        graph: GraphProperty::new("securityIdentifier"),
        mutability: Mutability::ReadOnly,
        access: USER_RO,
        inferred: true,
        source: "seed:001_448ab1deb6c27bfa.txt",
        note: "inferred: seen in wire response (seed 001) but absent from MS-SCHEMA user table",
        ..BASE
    },
    Mapping {
        schema: CUSTOM_SECURITY_ATTRIBUTES_URN,
        path: ScimPath::CSA_TEMPLATE,
        graph: GraphProperty::new("customSecurityAttributes.{attributeSet}.{attributeName}"),
        scim_type: AttributeType::Complex,
        graph_type: GraphType::PerDefinition,
        multi: Multi::PerDefinition,
        returned: Returned::Request,
        access: Access { schema_read: Some(P::CustomSecAttributeDefinitionReadAll), ..access(&[P::CustomSecAttributeAssignmentReadAll], &[P::CustomSecAttributeAssignmentReadWriteAll]) },
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "returned=request: ask via attributes=urn:...:CustomSecurityAttributes:{set}; PATCH op add path urn:...:CustomSecurityAttributes:Project.ProjectName",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: GROUP_URN,
        path: ScimPath::attr("id"),
        graph: GraphProperty::new("id"),
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "inferred: group object GUID; filter eq",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: GROUP_URN,
        path: ScimPath::attr("displayName"),
        graph: GraphProperty::new("displayName"),
        access: GROUP_RW,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "required on POST; filter eq and ew",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: GROUP_URN,
        path: ScimPath::sub("members", "value"),
        graph: GraphProperty::new("members"),
        scim_type: AttributeType::Reference,
        graph_type: GraphType::DirectoryObjectRelationship,
        multi: Multi::Multiple,
        returned: Returned::Never,
        conflicting_docs: true,
        access: access(&[P::GroupReadAll], &[P::GroupMemberReadWriteAll, P::GroupReadWriteAll]),
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "never returned in body; filter members.value eq \"{userId}\" (direct only); add <=20 per PATCH, remove 1 per PATCH",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: GROUP_URN,
        path: ScimPath::sub("meta", "created"),
        graph: GraphProperty::new("createdDateTime"),
        scim_type: AttributeType::DateTime,
        graph_type: GraphType::DateTimeOffset,
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        inferred: true,
        source: "seed:001_448ab1deb6c27bfa.txt ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "inferred mapping; e.g. '2023-05-19T11:24:25+02:00'",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("description"),
        graph: GraphProperty::new("description"),
        access: GROUP_RW,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "PATCH path urn:...:Microsoft:Entra:2.0:Group:description",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("expirationDateTime"),
        graph: GraphProperty::new("expirationDateTime"),
        scim_type: AttributeType::DateTime,
        graph_type: GraphType::DateTimeOffset,
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("groupTypes"),
        graph: GraphProperty::new("groupTypes"),
        graph_type: GraphType::StringCollection,
        multi: Multi::Multiple,
        access: GROUP_RW,
        inferred: true,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "'Unified' = Microsoft 365 group; 'DynamicMembership' = dynamic; mutability inferred",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("mailEnabled"),
        graph: GraphProperty::new("mailEnabled"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        access: GROUP_RW,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "filter eq (case-insensitive boolean); sent on POST in MS-REF example",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("mailNickname"),
        graph: GraphProperty::new("mailNickname"),
        access: GROUP_RW,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "Graph requires it on create; chars @()\\[]\";:.<>, and space not allowed",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("onPremisesSAMAccountName"),
        wire: Some(ScimPath::attr("onPremisesSamAccountName")),
        graph: GraphProperty::new("onPremisesSamAccountName"),
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("onPremisesSecurityIdentifier"),
        graph: GraphProperty::new("onPremisesSecurityIdentifier"),
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("onPremisesSyncEnabled"),
        graph: GraphProperty::new("onPremisesSyncEnabled"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::sub("owners", "value"),
        graph: GraphProperty::new("owners"),
        graph_type: GraphType::Reference,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        returned: Returned::Never,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "filter-only target: urn:...:Group:owners.value eq \"{userId}\"",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("proxyAddresses"),
        graph: GraphProperty::qualified("proxyAddresses", "all values"),
        graph_type: GraphType::StringCollection,
        multi: Multi::Multiple,
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation",
        note: "mutability from Graph docs",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("securityEnabled"),
        graph: GraphProperty::new("securityEnabled"),
        scim_type: AttributeType::Boolean,
        graph_type: GraphType::Boolean,
        access: GROUP_RW,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-reference",
        note: "filter eq (case-insensitive boolean)",
        ..BASE
    },
    Mapping {
        resource: ResourceKind::Group,
        schema: ENTRA_GROUP_URN,
        path: ScimPath::attr("securityIdentifier"),
        graph: GraphProperty::new("securityIdentifier"),
        mutability: Mutability::ReadOnly,
        access: GROUP_RO,
        source: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation ; seed:001_448ab1deb6c27bfa.txt",
        note: "mutability from Graph docs",
        ..BASE
    },
];
