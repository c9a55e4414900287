//! The schemas RFC 7643 defines, built in: core User and Group (§8.7.1),
//! the Enterprise User extension (§4.3, §8.7.1), the common attributes
//! every resource has (§3.1), and the two resource types of §8.6.
//!
//! The JSON files under `schemas/` are the RFC's own representations; they
//! are parsed once, on first use.

use std::sync::OnceLock;

use crate::model::{
    Attribute, AttributeType, Mutability, ResourceType, Returned, Schema, Uniqueness, SCHEMA_URN,
};
use crate::resolve::ResourceSchema;

/// URN of the core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// URN of the core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// URN of the Enterprise User extension.
pub const ENTERPRISE_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const USER_JSON: &str = include_str!("../schemas/user.json");
const GROUP_JSON: &str = include_str!("../schemas/group.json");
const ENTERPRISE_USER_JSON: &str = include_str!("../schemas/enterprise_user.json");
const RESOURCE_TYPES_JSON: &str = include_str!("../schemas/resource_types.json");

fn parse_builtin(json: &'static str) -> Schema {
    // The embedded documents are constants of this crate, checked by the
    // tests in this module; a failure here is a build defect, not input.
    let mut schema = Schema::from_json(json).expect("built-in schema JSON is valid");
    if schema.schemas.is_empty() {
        schema.schemas.push(SCHEMA_URN.to_owned());
    }
    schema
}

/// The RFC 7643 core User schema.
pub fn user() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| parse_builtin(USER_JSON))
}

/// The RFC 7643 core Group schema.
pub fn group() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| parse_builtin(GROUP_JSON))
}

/// The RFC 7643 Enterprise User extension schema.
pub fn enterprise_user() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| parse_builtin(ENTERPRISE_USER_JSON))
}

/// The built-in schemas, core first.
pub fn schemas() -> [&'static Schema; 3] {
    [user(), group(), enterprise_user()]
}

/// A built-in schema by URN or by the short names `User`, `Group`,
/// `EnterpriseUser` (all case-insensitive).
pub fn by_name(name: &str) -> Option<&'static Schema> {
    let short = [
        ("User", user()),
        ("Group", group()),
        ("EnterpriseUser", enterprise_user()),
    ];
    short
        .iter()
        .find(|(n, s)| n.eq_ignore_ascii_case(name) || s.id.eq_ignore_ascii_case(name))
        .map(|(_, s)| *s)
}

/// The RFC 7643 §8.6 resource types: User (with the required Enterprise
/// User extension) and Group.
pub fn resource_types() -> &'static [ResourceType] {
    static S: OnceLock<Vec<ResourceType>> = OnceLock::new();
    S.get_or_init(|| {
        // Embedded constant, checked by the tests below.
        ResourceType::list_from_json(RESOURCE_TYPES_JSON)
            .expect("built-in resource types are valid")
    })
}

/// The User resource type: core User plus the Enterprise User extension.
pub fn user_resource() -> &'static ResourceSchema {
    static S: OnceLock<ResourceSchema> = OnceLock::new();
    S.get_or_init(|| builtin_resource("User"))
}

/// The Group resource type.
pub fn group_resource() -> &'static ResourceSchema {
    static S: OnceLock<ResourceSchema> = OnceLock::new();
    S.get_or_init(|| builtin_resource("Group"))
}

fn builtin_resource(name: &str) -> ResourceSchema {
    let rt = resource_types()
        .iter()
        .find(|rt| rt.name == name)
        .expect("built-in resource type exists")
        .clone();
    // Both the resource type and the schemas are embedded constants.
    ResourceSchema::new(rt, schemas()).expect("built-in resource types resolve")
}

/// The common attributes of RFC 7643 §3.1, which every resource type has
/// although no schema lists them: `id`, `externalId`, `schemas`, `meta`.
pub fn common_attributes() -> &'static [Attribute] {
    static S: OnceLock<Vec<Attribute>> = OnceLock::new();
    S.get_or_init(build_common_attributes)
}

fn attr(
    name: &str,
    kind: AttributeType,
    case_exact: bool,
    mutability: Mutability,
    returned: Returned,
) -> Attribute {
    let mut a = Attribute::new(name, kind);
    a.case_exact = case_exact;
    a.mutability = mutability;
    a.returned = returned;
    a
}

fn build_common_attributes() -> Vec<Attribute> {
    use AttributeType as T;
    use Mutability::{ReadOnly, ReadWrite};
    use Returned::{Always, Default};

    let mut id = attr("id", T::String, true, ReadOnly, Always);
    id.uniqueness = Uniqueness::Server;
    id.description =
        Some("A unique identifier for a SCIM resource as defined by the service provider.".into());

    let mut external_id = attr("externalId", T::String, true, ReadWrite, Default);
    external_id.description =
        Some("An identifier for the resource as defined by the provisioning client.".into());

    // RFC 7643 §3: `schemas` lists the schema URNs the resource uses; URNs
    // compare case-insensitively (RFC 7644 §3.10), so caseExact is false.
    let mut schemas = attr("schemas", T::Reference, false, ReadWrite, Always);
    schemas.multi_valued = true;
    schemas.required = true;
    schemas.reference_types = vec!["uri".into()];
    schemas.description =
        Some("The schema URNs that define the attributes present in the resource.".into());

    let mut location = attr("location", T::Reference, true, ReadOnly, Default);
    location.reference_types = vec!["uri".into()];
    let mut meta = attr("meta", T::Complex, false, ReadOnly, Default);
    meta.description = Some("Resource metadata, set by the service provider.".into());
    meta.sub_attributes = vec![
        attr("resourceType", T::String, true, ReadOnly, Default),
        attr("created", T::DateTime, false, ReadOnly, Default),
        attr("lastModified", T::DateTime, false, ReadOnly, Default),
        location,
        attr("version", T::String, true, ReadOnly, Default),
    ];
    vec![id, external_id, schemas, meta]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(attrs: &[Attribute]) -> Vec<&str> {
        attrs.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn user_schema_is_complete() {
        let u = user();
        assert_eq!(u.id, USER_URN);
        assert_eq!(
            names(&u.attributes),
            [
                "userName",
                "name",
                "displayName",
                "nickName",
                "profileUrl",
                "title",
                "userType",
                "preferredLanguage",
                "locale",
                "timezone",
                "active",
                "password",
                "emails",
                "phoneNumbers",
                "ims",
                "photos",
                "addresses",
                "groups",
                "entitlements",
                "roles",
                "x509Certificates",
            ]
        );
        let name = u.attribute("name").unwrap();
        assert_eq!(
            names(&name.sub_attributes),
            [
                "formatted",
                "familyName",
                "givenName",
                "middleName",
                "honorificPrefix",
                "honorificSuffix"
            ]
        );
        let addresses = u.attribute("addresses").unwrap();
        assert_eq!(
            names(&addresses.sub_attributes),
            [
                "formatted",
                "streetAddress",
                "locality",
                "region",
                "postalCode",
                "country",
                "type"
            ]
        );
        assert_eq!(
            names(&u.attribute("groups").unwrap().sub_attributes),
            ["value", "$ref", "display", "type"]
        );
        for multi in [
            "emails",
            "phoneNumbers",
            "ims",
            "photos",
            "entitlements",
            "roles",
            "x509Certificates",
        ] {
            let a = u.attribute(multi).unwrap();
            assert!(a.multi_valued, "{multi}");
            assert_eq!(
                names(&a.sub_attributes),
                ["value", "display", "type", "primary"],
                "{multi}"
            );
        }
        let user_name = u.attribute("username").unwrap();
        assert!(user_name.required);
        assert_eq!(user_name.uniqueness, Uniqueness::Server);
        let password = u.attribute("password").unwrap();
        assert_eq!(
            (password.mutability, password.returned),
            (Mutability::WriteOnly, Returned::Never)
        );
        assert_eq!(
            u.attribute("groups").unwrap().mutability,
            Mutability::ReadOnly
        );
        assert_eq!(u.attribute("active").unwrap().kind, AttributeType::Boolean);
        assert_eq!(
            u.attribute("x509Certificates")
                .unwrap()
                .sub_attribute("value")
                .unwrap()
                .kind,
            AttributeType::Binary
        );
    }

    #[test]
    fn group_and_enterprise_schemas_are_complete() {
        assert_eq!(names(&group().attributes), ["displayName", "members"]);
        assert_eq!(
            names(&group().attribute("members").unwrap().sub_attributes),
            ["value", "$ref", "type"]
        );
        let e = enterprise_user();
        assert_eq!(e.id, ENTERPRISE_USER_URN);
        assert_eq!(
            names(&e.attributes),
            [
                "employeeNumber",
                "costCenter",
                "organization",
                "division",
                "department",
                "manager"
            ]
        );
        assert_eq!(
            names(&e.attribute("manager").unwrap().sub_attributes),
            ["value", "$ref", "displayName"]
        );
    }

    #[test]
    fn resource_types_are_the_rfc_examples() {
        let rts = resource_types();
        assert_eq!(rts.len(), 2);
        assert_eq!(rts[0].endpoint, "/Users");
        assert_eq!(rts[0].schema_extensions[0].schema, ENTERPRISE_USER_URN);
        assert!(rts[0].schema_extensions[0].required);
        assert_eq!(rts[1].schema, GROUP_URN);
        assert_eq!(user_resource().core().id, USER_URN);
        assert_eq!(group_resource().core().id, GROUP_URN);
    }

    #[test]
    fn lookup_by_short_name_or_urn() {
        assert_eq!(by_name("user").unwrap().id, USER_URN);
        assert_eq!(by_name("EnterpriseUser").unwrap().id, ENTERPRISE_USER_URN);
        assert_eq!(by_name(&GROUP_URN.to_lowercase()).unwrap().id, GROUP_URN);
        assert!(by_name("Device").is_none());
    }

    #[test]
    fn common_attributes_follow_rfc_7643_3_1() {
        let c = common_attributes();
        assert_eq!(names(c), ["id", "externalId", "schemas", "meta"]);
        assert!(c[0].case_exact && c[1].case_exact);
        assert_eq!(c[0].returned, Returned::Always);
        assert_eq!(c[0].mutability, Mutability::ReadOnly);
        let meta = &c[3];
        assert_eq!(
            meta.sub_attribute("created").unwrap().kind,
            AttributeType::DateTime
        );
        assert_eq!(
            meta.sub_attribute("LASTMODIFIED").unwrap().kind,
            AttributeType::DateTime
        );
    }
}
