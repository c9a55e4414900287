//! The two resource types Entra's SCIM API serves, and the schema URNs it uses.

use std::fmt;
use std::str::FromStr;

pub use scimkit_schema::builtin::{ENTERPRISE_USER_URN, GROUP_URN, USER_URN};
use scimkit_schema::{ScimError, ScimType};

/// The Microsoft Entra user extension (`urn:...:Microsoft:Entra:2.0:User`).
pub const ENTRA_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";
/// The Microsoft Entra group extension (`urn:...:Microsoft:Entra:2.0:Group`).
pub const ENTRA_GROUP_URN: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group";
/// Custom Security Attributes on users. Its attributes are defined per tenant
/// (`...:CustomSecurityAttributes:{attributeSet}.{attributeName}`), so it is
/// not part of the static `/Schemas` document.
pub const CUSTOM_SECURITY_ATTRIBUTES_URN: &str =
    "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:CustomSecurityAttributes";

/// A SCIM resource type of Entra's SCIM API.
///
/// ```
/// use scimkit_entra::ResourceKind;
///
/// let kind: ResourceKind = "user".parse()?;
/// assert_eq!(kind, ResourceKind::User);
/// assert_eq!(kind.location("5cc0930a"), "/users/5cc0930a");
/// assert_eq!(kind.meta_resource_type(), "user");
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    /// `User`: a Microsoft Graph `user`.
    User,
    /// `Group`: a Microsoft Graph `group`.
    Group,
}

impl ResourceKind {
    /// Both kinds, User first.
    pub const ALL: [Self; 2] = [Self::User, Self::Group];

    /// The ResourceType name: `User` or `Group`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
        }
    }

    /// The core schema URN.
    pub fn core_urn(self) -> &'static str {
        match self {
            Self::User => USER_URN,
            Self::Group => GROUP_URN,
        }
    }

    /// The extension schema URNs a resource of this kind may carry, in the
    /// order Entra lists them in `schemas`.
    pub fn extension_urns(self) -> &'static [&'static str] {
        match self {
            Self::User => &[
                ENTERPRISE_USER_URN,
                ENTRA_USER_URN,
                CUSTOM_SECURITY_ATTRIBUTES_URN,
            ],
            Self::Group => &[ENTRA_GROUP_URN],
        }
    }

    /// The lowercase collection path Entra uses: `/users` or `/groups`.
    pub fn collection_path(self) -> &'static str {
        match self {
            Self::User => "/users",
            Self::Group => "/groups",
        }
    }

    /// `meta.location` as Entra returns it: relative and lowercase, `/users/{id}`.
    pub fn location(self, id: &str) -> String {
        format!("{}/{id}", self.collection_path())
    }

    /// `meta.resourceType` as Entra returns it: lowercase `user` / `group`
    /// (RFC 7643 examples use `User` / `Group`).
    pub fn meta_resource_type(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ResourceKind {
    type Err = ScimError;

    /// `User` or `Group` in any ASCII case; anything else is `invalidValue`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                ScimError::new(
                    ScimType::InvalidValue,
                    format!("unknown resource type {s:?}: expected \"User\" or \"Group\""),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        for kind in ResourceKind::ALL {
            assert_eq!(kind.to_string().parse::<ResourceKind>().unwrap(), kind);
            assert_eq!(
                kind.as_str()
                    .to_uppercase()
                    .parse::<ResourceKind>()
                    .unwrap(),
                kind
            );
        }
        let err = "Device".parse::<ResourceKind>().unwrap_err();
        assert_eq!(err.status(), 400);
        assert_eq!(ResourceKind::Group.location("c9"), "/groups/c9");
        assert_eq!(ResourceKind::Group.core_urn(), GROUP_URN);
    }
}
