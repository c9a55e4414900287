//! The least-privileged Graph application permissions a request to Entra's
//! SCIM API needs; the rules are documented on [`required_permissions`].

use std::collections::BTreeSet;

use scimkit_filter::Filter;
use scimkit_patch::{PatchPath, PatchRequest, Target};
use scimkit_schema::{AttrPath, ScimError, ScimType};
use serde::Serialize;
use serde_json::Value;

use crate::graph::Method;
use crate::patch_targets::targets;
use crate::permission::Permission as P;
use crate::table::{mappings_for, rows_for, Conversion, Mapping};
use crate::ResourceKind;

/// The attributes a request touches: read, filtered on, or written.
///
/// ```
/// use scimkit_entra::permissions::Touched;
/// use scimkit_filter::Filter;
///
/// // GET /users?filter=active eq true&attributes=userName
/// let touched = Touched::from_filter(&Filter::parse("active eq true")?)
///     .and(Touched::paths(["userName".parse()?]));
/// assert_eq!(touched.attribute_paths().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Touched {
    paths: Vec<PatchPath>,
    /// The subset of `paths` a filter tests: User.ReadBasic.All reads the
    /// basic profile but filters only on `id` and `userName` (A7).
    filtered: Vec<PatchPath>,
    everything: bool,
}

impl Touched {
    /// The whole resource: a `GET` without `attributes`, a `POST` or
    /// `DELETE` whose body is not at hand.
    pub fn everything() -> Self {
        Self {
            paths: Vec::new(),
            filtered: Vec::new(),
            everything: true,
        }
    }

    /// These attribute paths.
    pub fn paths(paths: impl IntoIterator<Item = PatchPath>) -> Self {
        Self {
            paths: paths.into_iter().collect(),
            filtered: Vec::new(),
            everything: false,
        }
    }

    /// The attributes of an `attributes` projection (or any list of paths).
    pub fn attributes(paths: &[AttrPath]) -> Self {
        Self::paths(paths.iter().cloned().map(PatchPath::Attribute))
    }

    /// The attributes a filter tests (value paths count as their
    /// attribute with the filter's `type`).
    pub fn from_filter(filter: &Filter) -> Self {
        let mut paths = Vec::new();
        collect_filter_paths(filter, &mut paths);
        Self {
            filtered: paths.clone(),
            ..Self::paths(paths)
        }
    }

    /// The targets of a PATCH request, path-less values expanded (one path
    /// per key). Errors as the request's keys: `400 invalidPath` for a key
    /// that is not an attribute path.
    pub fn from_patch(request: &PatchRequest) -> Result<Self, ScimError> {
        Ok(Self::paths(
            targets(request)?.into_iter().map(Target::into_path),
        ))
    }

    /// The attributes of a resource body (a `POST`): top-level keys, and
    /// the attributes inside extension objects (`schemas` skipped).
    pub fn from_resource(resource: &Value) -> Result<Self, ScimError> {
        let object = resource.as_object().ok_or_else(|| {
            ScimError::new(ScimType::InvalidSyntax, "a resource must be a JSON object")
        })?;
        let mut paths = Vec::new();
        for (key, value) in object {
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            let urn = key.starts_with("urn:") || key.starts_with("URN:");
            match value {
                Value::Object(inner) if urn => {
                    for k in inner.keys() {
                        if let Ok(p) = PatchPath::parse(&format!("{key}:{k}")) {
                            paths.push(p);
                        }
                    }
                }
                _ => {
                    if let Ok(p) = PatchPath::parse(key) {
                        paths.push(p);
                    }
                }
            }
        }
        Ok(Self::paths(paths))
    }

    /// Both sets.
    #[must_use]
    pub fn and(mut self, other: Self) -> Self {
        self.paths.extend(other.paths);
        self.filtered.extend(other.filtered);
        self.everything |= other.everything;
        self
    }

    /// The paths collected.
    pub fn attribute_paths(&self) -> &[PatchPath] {
        &self.paths
    }

    /// Whether the whole resource is touched.
    pub fn is_everything(&self) -> bool {
        self.everything
    }
}

fn collect_filter_paths(filter: &Filter, out: &mut Vec<PatchPath>) {
    match filter {
        Filter::Compare { path, .. } | Filter::Present { path, .. } => {
            out.push(PatchPath::Attribute(path.clone()));
        }
        Filter::And { children, .. } | Filter::Or { children, .. } => {
            children.iter().for_each(|c| collect_filter_paths(c, out));
        }
        Filter::Not { filter, .. } => collect_filter_paths(filter, out),
        Filter::ValuePath { path, filter, .. } => out.push(PatchPath::value_path(
            path.clone(),
            (**filter).clone(),
            None,
        )),
        // A filter form this crate does not know names no path it can map;
        // the OData translation refuses such a filter anyway.
        _ => {}
    }
}

/// A Microsoft Entra admin role Graph wants from an app-only caller
/// besides the permission (Graph's user-update page; the SCIM docs do not
/// say whether Entra's SCIM API wants the same: inferred, it does).
/// Serializes as its variant name in camelCase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum AdminRole {
    /// The User Administrator role, at least, for every app-only update of
    /// `passwordProfile`, whoever the user is.
    UserAdministrator,
    /// An admin role allowed to perform sensitive actions on the target
    /// user, needed only when that user is privileged (an admin): updates
    /// of `accountEnabled`, `mobilePhone` and `otherMails` (Graph's "Who
    /// can perform sensitive actions"). No role for other users.
    SensitiveActionsOnPrivilegedUser,
}

/// When an [`AdminRole`] is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum RoleCondition {
    /// For every app-only call, whoever the target user is.
    Always,
    /// Only when the target user is privileged (holds an admin role);
    /// no role for other users.
    WhenTargetIsPrivileged,
}

impl AdminRole {
    /// When the role is needed: [`RoleCondition::Always`] for the User
    /// Administrator role on `passwordProfile`,
    /// [`RoleCondition::WhenTargetIsPrivileged`] for `accountEnabled`,
    /// `mobilePhone` and `otherMails`.
    pub fn condition(self) -> RoleCondition {
        match self {
            Self::UserAdministrator => RoleCondition::Always,
            Self::SensitiveActionsOnPrivilegedUser => RoleCondition::WhenTargetIsPrivileged,
        }
    }

    /// The Graph user properties whose app-only update calls for the role.
    pub fn graph_properties(self) -> &'static [&'static str] {
        match self {
            Self::UserAdministrator => &["passwordProfile"],
            Self::SensitiveActionsOnPrivilegedUser => {
                &["accountEnabled", "mobilePhone", "otherMails"]
            }
        }
    }

    /// What the role is and when it is needed, for a person to read.
    pub fn description(self) -> &'static str {
        match self {
            Self::UserAdministrator => {
                "the User Administrator role (at least), for every app-only update of passwordProfile"
            }
            Self::SensitiveActionsOnPrivilegedUser => {
                "an admin role allowed to perform sensitive actions on the user, only when the \
                 target user is privileged (accountEnabled, mobilePhone, otherMails)"
            }
        }
    }
}

/// The permissions a request needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RequiredPermissions {
    least: Vec<P>,
    broader: Vec<P>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<AdminRole>,
    notes: Vec<String>,
}

impl RequiredPermissions {
    /// The least-privileged permissions to grant, all of them, sorted by
    /// name.
    pub fn least(&self) -> &[P] {
        &self.least
    }

    /// Broader permissions that would also grant some of [`Self::least`]
    /// (each in place of the ones it covers), sorted by name.
    pub fn broader(&self) -> &[P] {
        &self.broader
    }

    /// The admin roles Graph also wants from an app-only caller, each with
    /// its condition ([`AdminRole`]), sorted.
    pub fn roles(&self) -> &[AdminRole] {
        &self.roles
    }

    /// Caveats from the facts: permissions only Graph's docs name,
    /// whether the admin roles apply to SCIM, unverified rows.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    fn from_needs(needs: Vec<P>, notes: Vec<String>) -> Self {
        Self::from_needs_and_roles(needs, Vec::new(), notes)
    }

    fn from_needs_and_roles(needs: Vec<P>, roles: Vec<AdminRole>, notes: Vec<String>) -> Self {
        let roles: BTreeSet<AdminRole> = roles.into_iter().collect();
        let needs: BTreeSet<P> = needs.into_iter().collect();
        let least: BTreeSet<P> = needs
            .iter()
            .copied()
            .filter(|p| !needs.iter().any(|q| q != p && covers(*q, *p)))
            .collect();
        let broader: BTreeSet<P> = P::ALL
            .iter()
            .copied()
            .filter(|q| !least.contains(q) && least.iter().any(|p| covers(*q, *p)))
            .collect();
        let mut least: Vec<P> = least.into_iter().collect();
        let mut broader: Vec<P> = broader.into_iter().collect();
        least.sort_by_key(|p| p.as_str());
        broader.sort_by_key(|p| p.as_str());
        let mut unique_notes = Vec::new();
        for n in notes {
            if !unique_notes.contains(&n) {
                unique_notes.push(n);
            }
        }
        Self {
            least,
            broader,
            roles: roles.into_iter().collect(),
            notes: unique_notes,
        }
    }
}

/// Whether holding `q` grants what `p` grants, for this API (from the
/// table's alternatives and section A7).
fn covers(q: P, p: P) -> bool {
    use P::*;
    matches!(
        (q, p),
        (UserReadAll, UserReadBasicAll)
            | (
                UserReadWriteAll,
                UserReadBasicAll
                    | UserReadAll
                    | UserCreate
                    | UserReadUpdateAll
                    | UserMailReadWriteAll
                    | UserPhoneReadWriteAll
                    | UserEnableDisableAccountAll
                    | UserPasswordProfileReadWriteAll
            )
            | (
                GroupReadWriteAll,
                GroupReadAll | GroupCreate | GroupMemberReadWriteAll
            )
            | (
                CustomSecAttributeAssignmentReadWriteAll,
                CustomSecAttributeAssignmentReadAll
            )
    )
}

const ADMIN_ROLE_NOTE: &str = "Graph wants an admin role for app-only updates of accountEnabled, \
    mobilePhone and otherMails only when the target user is privileged (\"Who can perform \
    sensitive actions\"); the SCIM docs do not say whether SCIM does (inferred: the same rule \
    applies)";
const PASSWORD_PROFILE_NOTE: &str =
    "User-PasswordProfile.ReadWrite.All is Graph's least-privileged \
    permission for passwordProfile, and app-only calls also need the User Administrator role \
    (at least) whoever the user is (Graph user-update page); the SCIM docs mention neither \
    (inferred for SCIM)";
const MANAGER_NOTE: &str = "assigning or removing the manager (PUT or DELETE \
    /users/{id}/manager/$ref) needs User.ReadWrite.All for applications; User.ReadUpdate.All is \
    not enough (Graph's assign-manager page; inferred for SCIM)";
const HIRE_DATE_NOTE: &str =
    "employeeHireDate: Graph says app-only callers cannot update it, and may \
    need User-LifeCycleInfo.ReadWrite.All (unverified for SCIM)";
const CSA_SCHEMA_NOTE: &str = "reading the Custom Security Attributes schema \
    (/schemas/urn:...:CustomSecurityAttributes) also needs CustomSecAttributeDefinition.Read.All";

/// The least-privileged permissions for a request to Entra's SCIM API:
/// `method` on `kind` (`/users` or `/groups`), touching `touched`, from
/// section A7 of the fact sheet and each mapping row's permissions.
///
/// | Request | Least | Broader |
/// |---|---|---|
/// | `GET` users (full resources, or filters on `active`, `externalId`, `groups.value`, `mailNickname`, `ownedGroups.value`) | User.Read.All | User.ReadWrite.All |
/// | `GET` users filtering only on `id` and `userName`, reading only the basic profile (`id`, `userName`, `displayName`, `name`, the work email) | User.ReadBasic.All | User.Read.All, User.ReadWrite.All |
/// | `GET` groups | Group.Read.All | Group.ReadWrite.All |
/// | `POST` users / groups | User.Create / Group.Create | User.ReadWrite.All / Group.ReadWrite.All |
/// | `PATCH` users: `active` | User.EnableDisableAccount.All and User.Read.All | User.ReadWrite.All |
/// | `PATCH` users: `phoneNumbers[type eq "mobile"\|"work"].value` | User-Phone.ReadWrite.All | User.ReadWrite.All |
/// | `PATCH` users: `emails[type eq "other"].value` | User-Mail.ReadWrite.All | User.ReadWrite.All |
/// | `PATCH` users: `employeeLeaveDateTime` (lifecycle) | User-LifeCycleInfo.ReadWrite.All and User.Read.All | User.ReadWrite.All (for the read) |
/// | `PATCH` users: password flags (`passwordProfile.*`) | User-PasswordProfile.ReadWrite.All (inferred), and the User Administrator role | User.ReadWrite.All |
/// | `PATCH` users: `manager` (Graph's `PUT`/`DELETE .../manager/$ref`) | User.ReadWrite.All | — |
/// | `PATCH` users: anything else | User.ReadUpdate.All | User.ReadWrite.All |
/// | `PATCH` groups: members only | GroupMember.ReadWrite.All | Group.ReadWrite.All |
/// | `PATCH` groups: anything else | Group.ReadWrite.All | — |
/// | `DELETE` users / groups | User.ReadWrite.All / Group.ReadWrite.All | — |
/// | Custom Security Attributes | CustomSecAttributeAssignment.Read.All / .ReadWrite.All | CustomSecAttributeAssignment.ReadWrite.All |
/// | discovery (`/schemas`, ...) | User.Read.All and Group.Read.All | the ReadWrite pair |
///
/// The least set holds one permission per need, minus those another
/// member already grants (User.Read.All grants User.ReadBasic.All,
/// User.ReadWrite.All every user permission but User-LifeCycleInfo's,
/// Group.ReadWrite.All every group permission). The broader list holds
/// the permissions that would also grant some of them.
///
/// - `GET`: each touched attribute's read permission, plus what reading
///   `id` needs (it is always returned); [`Touched::everything`] reads the
///   full resource (User.Read.All, Group.Read.All). Attributes the table
///   does not map need the full read. User.ReadBasic.All reads the basic
///   profile (display name, first and last name, email address: Graph's
///   permissions reference) but filters only on `id` and `userName` (A7),
///   so a filter on another basic attribute needs User.Read.All.
/// - Admin roles ([`RequiredPermissions::roles`]): app-only updates of
///   `passwordProfile` need the User Administrator role (at least) for
///   every user; updates of `accountEnabled`, `mobilePhone` and
///   `otherMails` need a role only when the target user is privileged.
/// - `POST`: User.Create / Group.Create, plus
///   CustomSecAttributeAssignment.ReadWrite.All for Custom Security
///   Attributes. Read-only and unmapped attributes in the body are not
///   written (the API ignores or refuses them), so they need nothing.
/// - `PATCH`: each target's write permission (User.ReadUpdate.All where
///   the table gives only User.ReadWrite.All, which A7 calls the
///   least-privileged for PATCH /users); members alone,
///   GroupMember.ReadWrite.All. Nothing touched, or everything: the
///   generic PATCH permission.
/// - `DELETE`: User.ReadWrite.All / Group.ReadWrite.All.
///
/// Errors: `PUT` (Entra has none: `405`); a `PATCH` target with no Graph
/// property (`400 invalidPath`), read-only (`400 mutability`), or the
/// create-only `password` (`400 mutability`; Graph would want
/// User-PasswordProfile.ReadWrite.All, but Entra's SCIM API sets the
/// password on create only).
///
/// ```
/// use scimkit_entra::{graph::Method, permissions::{required_permissions, Permission, Touched}, ResourceKind};
/// use scimkit_patch::{PatchOptions, PatchRequest};
///
/// let disable = PatchRequest::from_json(r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [{"op": "replace", "path": "active", "value": false}]}"#, &PatchOptions::strict())?;
/// let p = required_permissions(Method::Patch, ResourceKind::User, &Touched::from_patch(&disable)?)?;
/// assert_eq!(p.least(), [Permission::UserEnableDisableAccountAll, Permission::UserReadAll]);
/// assert_eq!(p.broader(), [Permission::UserReadWriteAll]);
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn required_permissions(
    method: Method,
    kind: ResourceKind,
    touched: &Touched,
) -> Result<RequiredPermissions, ScimError> {
    let mut needs = Vec::new();
    let mut notes = Vec::new();
    let mut roles = Vec::new();
    let (read_all, write_all, create) = match kind {
        ResourceKind::User => (P::UserReadAll, P::UserReadWriteAll, P::UserCreate),
        ResourceKind::Group => (P::GroupReadAll, P::GroupReadWriteAll, P::GroupCreate),
    };
    match method {
        Method::Get => {
            // `id` is always returned.
            let id = mappings_for(kind).find(|m| m.is_core() && m.path().to_string() == "id");
            needs.extend(id.and_then(|r| r.access().read().first()));
            if touched.everything {
                needs.push(read_all);
            }
            for path in &touched.paths {
                let rows = rows_for(kind, path);
                if rows.is_empty() {
                    needs.push(read_all);
                }
                let filtered = touched.filtered.contains(path);
                for r in rows {
                    let read = r.access().read().first().copied().unwrap_or(read_all);
                    // User.ReadBasic.All reads the basic profile but filters
                    // on `id` and `userName` only (A7).
                    let basic_filter = matches!(r.path().attribute(), "id" | "userName")
                        && r.path().sub_attribute().is_none();
                    needs.push(
                        if filtered && read == P::UserReadBasicAll && !basic_filter {
                            P::UserReadAll
                        } else {
                            read
                        },
                    );
                    if r.path().is_template() {
                        notes.push(CSA_SCHEMA_NOTE.to_owned());
                    }
                }
            }
        }
        Method::Post => {
            needs.push(create);
            for path in &touched.paths {
                for r in rows_for(kind, path) {
                    if r.path().is_template() {
                        needs.extend(r.access().write().first());
                    }
                }
            }
        }
        Method::Patch => {
            let generic = match kind {
                ResourceKind::User => P::UserReadUpdateAll,
                ResourceKind::Group => P::GroupReadWriteAll,
            };
            if touched.everything || touched.paths.is_empty() {
                needs.push(generic);
            }
            for path in &touched.paths {
                for r in writable_rows(kind, path)? {
                    let (need, note, role) = patch_need(kind, r, generic);
                    needs.push(need);
                    if also_reads(need) {
                        needs.push(P::UserReadAll);
                    }
                    notes.extend(note.map(str::to_owned));
                    roles.extend(role);
                }
            }
        }
        Method::Delete => needs.push(write_all),
        Method::Put => {
            return Err(ScimError::with_status(
                405,
                "Entra's SCIM API has no PUT: update with PATCH",
            ))
        }
    }
    Ok(RequiredPermissions::from_needs_and_roles(
        needs, roles, notes,
    ))
}

/// The rows a PATCH target writes; errors for what cannot be written.
fn writable_rows(kind: ResourceKind, path: &PatchPath) -> Result<Vec<&'static Mapping>, ScimError> {
    let rows = rows_for(kind, path);
    if rows.is_empty() {
        return Err(ScimError::new(
            ScimType::InvalidPath,
            format!("{path} has no Microsoft Graph property"),
        ));
    }
    if rows.len() == 1 && rows[0].is_create_only() {
        return Err(ScimError::new(
            ScimType::Mutability,
            format!(
                "{path} can only be set on create (User.Create covers it); Graph would update \
                 passwordProfile with User-PasswordProfile.ReadWrite.All, but Entra's SCIM API has \
                 no password change"
            ),
        ));
    }
    let writable: Vec<_> = rows
        .into_iter()
        .filter(|r| r.is_writable() && !r.is_create_only())
        .collect();
    if writable.is_empty() {
        return Err(ScimError::new(
            ScimType::Mutability,
            format!("{path} is read-only"),
        ));
    }
    Ok(writable)
}

/// Whether Graph's least-privileged set for a write with `need` adds
/// User.Read.All: `accountEnabled` (User.EnableDisableAccount.All +
/// User.Read.All) and the lifecycle attributes such as
/// `employeeLeaveDateTime` (User-LifeCycleInfo.ReadWrite.All +
/// User.Read.All), fact sheet A7 and Graph's user-update page.
fn also_reads(need: P) -> bool {
    matches!(
        need,
        P::UserEnableDisableAccountAll | P::UserLifeCycleInfoReadWriteAll
    )
}

/// What a PATCH of one row needs, a note, and an admin role.
fn patch_need(
    kind: ResourceKind,
    row: &Mapping,
    generic: P,
) -> (P, Option<&'static str>, Option<AdminRole>) {
    let least = row.access().write_least().unwrap_or(generic);
    if kind == ResourceKind::Group {
        // Members: GroupMember.ReadWrite.All; anything else Group.ReadWrite.All.
        return (least, None, None);
    }
    let graph = row.graph().path();
    if graph.starts_with("passwordProfile.") {
        return (
            P::UserPasswordProfileReadWriteAll,
            Some(PASSWORD_PROFILE_NOTE),
            Some(AdminRole::UserAdministrator),
        );
    }
    if row.conversion() == Conversion::Relationship {
        // The manager: Graph's assign-manager call wants User.ReadWrite.All.
        return (P::UserReadWriteAll, Some(MANAGER_NOTE), None);
    }
    if row.is_unverified() {
        return (generic, Some(HIRE_DATE_NOTE), None);
    }
    let sensitive = matches!(graph, "accountEnabled" | "mobilePhone" | "otherMails");
    let note = sensitive.then_some(ADMIN_ROLE_NOTE);
    let role = sensitive.then_some(AdminRole::SensitiveActionsOnPrivilegedUser);
    // A7: User.ReadUpdate.All is the least privileged for PATCH /users
    // where the row itself names only User.ReadWrite.All.
    let need = if least == P::UserReadWriteAll {
        row.access().update().unwrap_or(generic)
    } else {
        least
    };
    (need, note, role)
}

/// The permissions the discovery endpoints need (`/serviceproviderconfig`,
/// `/resourcetypes`, `/schemas`): User.Read.All and Group.Read.All (or the
/// ReadWrite pair), plus CustomSecAttributeDefinition.Read.All for the
/// Custom Security Attributes schema.
///
/// ```
/// use scimkit_entra::permissions::{discovery_permissions, Permission};
///
/// let p = discovery_permissions(false);
/// assert_eq!(p.least(), [Permission::GroupReadAll, Permission::UserReadAll]);
/// ```
pub fn discovery_permissions(custom_security_attributes: bool) -> RequiredPermissions {
    let mut needs = vec![P::UserReadAll, P::GroupReadAll];
    if custom_security_attributes {
        needs.push(P::CustomSecAttributeDefinitionReadAll);
    }
    RequiredPermissions::from_needs(needs, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_is_a_partial_order_without_cycles() {
        for p in P::ALL {
            assert!(!covers(*p, *p));
            for q in P::ALL {
                assert!(!(covers(*p, *q) && covers(*q, *p)), "{p} {q}");
            }
        }
        // Nothing grants User-LifeCycleInfo.ReadWrite.All (the table lists no alternative).
        assert!(!P::ALL
            .iter()
            .any(|q| covers(*q, P::UserLifeCycleInfoReadWriteAll)));
    }

    #[test]
    fn least_drops_what_another_grants() {
        let r = RequiredPermissions::from_needs(
            vec![P::UserReadBasicAll, P::UserReadAll, P::UserReadAll],
            vec!["a".into(), "a".into()],
        );
        assert_eq!(r.least(), [P::UserReadAll]);
        assert_eq!(r.broader(), [P::UserReadWriteAll]);
        assert_eq!(r.notes(), ["a"]);
    }
}
