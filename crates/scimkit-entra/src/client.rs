//! Microsoft Entra as a SCIM *client*: the default attribute mapping its
//! app-provisioning service uses when it provisions users and groups into
//! a SCIM server (client-quirks.md B1, from Microsoft's "Develop and plan
//! provisioning for a SCIM endpoint" tutorial).
//!
//! The left column uses the provisioning service's attribute names, which
//! follow Active Directory (`mobile`, `telephoneNumber`,
//! `facsimileTelephoneNumber`, `physicalDeliveryOfficeName`,
//! `IsSoftDeleted`, `objectId`) rather than Graph's. This is the mapping a
//! SCIM server should expect; it differs from the [service-provider
//! table](crate::mapping::mappings) (`mailNickname` → `externalId` here, for
//! example). Admins can change it per app.
//!
//! What Entra sends with it, quirks included, is in
//! `tests/data/entra_client_requests.json` (scimkit-patch's
//! `PatchOptions::entra()` and scimkit-filter accept it, as the crate's
//! tests check).

use scimkit_patch::PatchPath;

use crate::ResourceKind;
use ResourceKind::{Group, User};

/// One row of Entra's default provisioning mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientMapping {
    resource: ResourceKind,
    entra_attribute: &'static str,
    scim_path: &'static str,
    expression: Option<&'static str>,
    note: &'static str,
}

impl ClientMapping {
    /// `User` or `Group`.
    pub fn resource(&self) -> ResourceKind {
        self.resource
    }

    /// The source attribute in Entra (`userPrincipalName`, `mobile`).
    pub fn entra_attribute(&self) -> &'static str {
        self.entra_attribute
    }

    /// The SCIM path Entra writes (extension attributes URN-qualified).
    pub fn scim_path(&self) -> &'static str {
        self.scim_path
    }

    /// The SCIM path, parsed.
    pub fn patch_path(&self) -> Option<PatchPath> {
        PatchPath::parse(self.scim_path).ok()
    }

    /// The mapping expression, when the value is computed rather than
    /// copied (`active` from `IsSoftDeleted`).
    pub fn expression(&self) -> Option<&'static str> {
        self.expression
    }

    /// What the facts add (empty if nothing).
    pub fn note(&self) -> &'static str {
        self.note
    }
}

const fn row(
    resource: ResourceKind,
    entra_attribute: &'static str,
    scim_path: &'static str,
) -> ClientMapping {
    ClientMapping {
        resource,
        entra_attribute,
        scim_path,
        expression: None,
        note: "",
    }
}

static ROWS: &[ClientMapping] = &[
    row(User, "userPrincipalName", "userName"),
    ClientMapping {
        note: "sent without `primary` (quirk Q11); POST bodies add primary: true (Q10)",
        ..row(User, "mail", "emails[type eq \"work\"].value")
    },
    row(User, "displayName", "displayName"),
    row(User, "mailNickname", "externalId"),
    ClientMapping {
        expression: Some(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#),
        note: "the expression as vendor guides quote it; not re-read on a Microsoft page (client-quirks.md B1)",
        ..row(User, "IsSoftDeleted", "active")
    },
    row(User, "givenName", "name.givenName"),
    row(User, "surname", "name.familyName"),
    row(User, "jobTitle", "title"),
    row(
        User,
        "employeeId",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    ),
    row(
        User,
        "department",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    ),
    ClientMapping {
        note: "sent as a bare id string in PATCH values (quirk Q8)",
        ..row(
            User,
            "manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        )
    },
    row(User, "mobile", "phoneNumbers[type eq \"mobile\"].value"),
    row(User, "telephoneNumber", "phoneNumbers[type eq \"work\"].value"),
    row(
        User,
        "facsimileTelephoneNumber",
        "phoneNumbers[type eq \"fax\"].value",
    ),
    row(
        User,
        "streetAddress",
        "addresses[type eq \"work\"].streetAddress",
    ),
    row(User, "postalCode", "addresses[type eq \"work\"].postalCode"),
    row(
        User,
        "physicalDeliveryOfficeName",
        "addresses[type eq \"other\"].formatted",
    ),
    row(User, "proxyAddresses", "emails[type eq \"other\"].value"),
    row(Group, "displayName", "displayName"),
    ClientMapping {
        note: "groups are created without members; members follow by PATCH (quirk Q9)",
        ..row(Group, "members", "members")
    },
    row(Group, "objectId", "externalId"),
];

/// Entra's default provisioning mapping, User rows then Group rows, in
/// the order of Microsoft's tutorial.
///
/// ```
/// use scimkit_entra::{client::client_mappings, ResourceKind};
///
/// let upn = &client_mappings()[0];
/// assert_eq!((upn.entra_attribute(), upn.scim_path()), ("userPrincipalName", "userName"));
/// let groups = client_mappings().iter().filter(|m| m.resource() == ResourceKind::Group).count();
/// assert_eq!(groups, 3);
/// ```
pub fn client_mappings() -> &'static [ClientMapping] {
    ROWS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parses_and_every_row_is_unique() {
        for (i, m) in ROWS.iter().enumerate() {
            let p = m
                .patch_path()
                .unwrap_or_else(|| panic!("{}", m.scim_path()));
            assert_eq!(p.to_string(), m.scim_path());
            assert!(!ROWS[..i]
                .iter()
                .any(|o| o.resource == m.resource && o.scim_path == m.scim_path));
        }
        assert_eq!(ROWS.len(), 21);
        assert!(ROWS[4].expression().is_some() && !ROWS[4].note().is_empty());
    }
}
