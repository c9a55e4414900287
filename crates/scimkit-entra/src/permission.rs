//! Microsoft Graph application permissions that gate Entra's SCIM API.
//!
//! There are no SCIM-specific permissions: the API uses the ordinary Graph
//! application permissions (app-only tokens; delegated access is not
//! supported). The mapping table records, per attribute, which of these
//! reading and writing need ([`crate::mapping::Access`]).

use std::fmt;
use std::str::FromStr;

use scimkit_schema::{ScimError, ScimType};

macro_rules! permissions {
    ($($(#[$meta:meta])* $variant:ident = $text:literal,)+) => {
        /// A Microsoft Graph application permission.
        ///
        /// ```
        /// use scimkit_entra::permissions::Permission;
        ///
        /// let p: Permission = "User-Phone.ReadWrite.All".parse()?;
        /// assert_eq!(p, Permission::UserPhoneReadWriteAll);
        /// assert_eq!(p.to_string(), "User-Phone.ReadWrite.All");
        /// # Ok::<(), scimkit_schema::ScimError>(())
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Permission {
            $($(#[$meta])* $variant,)+
        }

        impl Permission {
            /// Every permission this crate knows.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The permission's name as Microsoft Graph spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }
    };
}

permissions! {
    /// Basic profile of users; may filter on `id` and `userName` only.
    UserReadBasicAll = "User.ReadBasic.All",
    /// Read users.
    UserReadAll = "User.Read.All",
    /// Read, create, update and delete users (DELETE needs this one).
    UserReadWriteAll = "User.ReadWrite.All",
    /// Create users (least privileged for POST /users).
    UserCreate = "User.Create",
    /// Update users (least privileged for PATCH /users).
    UserReadUpdateAll = "User.ReadUpdate.All",
    /// Update `emails[type eq "other"].value` (Graph `otherMails`).
    UserMailReadWriteAll = "User-Mail.ReadWrite.All",
    /// Update `phoneNumbers[type eq "mobile"|"work"].value` (Graph `mobilePhone`, `businessPhones`).
    UserPhoneReadWriteAll = "User-Phone.ReadWrite.All",
    /// Update `active` (Graph `accountEnabled`).
    UserEnableDisableAccountAll = "User.EnableDisableAccount.All",
    /// Update lifecycle attributes such as `employeeLeaveDateTime`.
    UserLifeCycleInfoReadWriteAll = "User-LifeCycleInfo.ReadWrite.All",
    /// Graph's least-privileged permission for `passwordProfile` (the SCIM
    /// docs do not mention it).
    UserPasswordProfileReadWriteAll = "User-PasswordProfile.ReadWrite.All",
    /// Read Custom Security Attributes on users.
    CustomSecAttributeAssignmentReadAll = "CustomSecAttributeAssignment.Read.All",
    /// Read and write Custom Security Attributes on users.
    CustomSecAttributeAssignmentReadWriteAll = "CustomSecAttributeAssignment.ReadWrite.All",
    /// Read the Custom Security Attributes schema.
    CustomSecAttributeDefinitionReadAll = "CustomSecAttributeDefinition.Read.All",
    /// Read groups.
    GroupReadAll = "Group.Read.All",
    /// Create groups (least privileged for POST /groups).
    GroupCreate = "Group.Create",
    /// Add and remove group members, nothing else.
    GroupMemberReadWriteAll = "GroupMember.ReadWrite.All",
    /// Every group operation; needed for group property PATCH and DELETE.
    GroupReadWriteAll = "Group.ReadWrite.All",
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serializes as the Graph name (`"User.Read.All"`).
impl serde::Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = ScimError;

    /// The Graph name, compared ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                ScimError::new(
                    ScimType::InvalidValue,
                    format!("unknown Microsoft Graph permission {s:?}"),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for (i, p) in Permission::ALL.iter().enumerate() {
            assert_eq!(p.as_str().parse::<Permission>().unwrap(), *p);
            assert!(!Permission::ALL[..i]
                .iter()
                .any(|q| q.as_str() == p.as_str()));
        }
        assert!("Directory.ReadWrite.All".parse::<Permission>().is_err());
        assert_eq!(
            serde_json::to_value(Permission::UserPhoneReadWriteAll).unwrap(),
            "User-Phone.ReadWrite.All"
        );
    }
}
