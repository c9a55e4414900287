//! A SCIM PATCH request to the Microsoft Graph calls that make the same
//! change.

use scimkit_filter::Selector;
use scimkit_patch::{OpKind, PatchPath, PatchRequest, Target};
use scimkit_schema::json::get_ci;
use scimkit_schema::{ScimError, ScimType};
use serde_json::{json, Map, Value};

use super::{GraphPatch, GraphRequest, Method};
use crate::convert::csa;
use crate::convert::graph_body::GraphBody;
use crate::convert::{to_graph_with, GRAPH_V1};
use crate::ids::check_object_id;
use crate::least_privilege::{required_permissions, RequiredPermissions, Touched};
use crate::membership::{member_changes, MemberChange};
use crate::options::{GraphOptions, NotWritable};
use crate::patch_targets::{at_index, schema_named, targets};
use crate::table::{rows_for, Conversion, GraphType, Mapping, Multi};
use crate::{ResourceKind, ENTERPRISE_USER_URN};

/// User properties Graph will not set to `null` in an update, with the
/// Graph rule (Graph's user resource and user-update pages).
const NOT_CLEARABLE: [(&str, &str); 4] = [
    (
        "userPrincipalName",
        "Graph's userPrincipalName is required and not nullable",
    ),
    (
        "displayName",
        "Graph's displayName can't be cleared during updates",
    ),
    ("mail", "Graph's mail can't be updated to null"),
    (
        "accountEnabled",
        "Graph's accountEnabled is required and not nullable",
    ),
];

/// The two members of Graph's `employeeOrgData`, with their SCIM
/// attribute names in the enterprise extension. Graph sets the member an
/// update leaves out to `null` (Graph's user-update page).
const ORG_DATA: [(&str, &str); 2] = [("costCenter", "costCenter"), ("division", "division")];

/// Translate a SCIM PATCH of the user or group `id` into the Microsoft
/// Graph calls that make the same change, in this order:
///
/// 1. one `PATCH /users/{id}` (or `/groups/{id}`) whose body carries every
///    property change, when there is one;
/// 2. the manager: `PUT /users/{id}/manager/$ref` with
///    `{"@odata.id": "https://graph.microsoft.com/v1.0/users/{managerId}"}`,
///    or `DELETE /users/{id}/manager/$ref`;
/// 3. member additions, `POST /groups/{id}/members/$ref` with
///    `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{memberId}"}`,
///    one per member in the order first named;
/// 4. member removals, `DELETE /groups/{id}/members/{memberId}/$ref`.
///
/// Operations apply in order, as in SCIM: a later write to a property
/// replaces an earlier one, and only the last operation on a member (or on
/// the manager) is kept, so every request is independent of the others
/// (and [`to_batches`](crate::graph::to_batches) needs no `dependsOn`). Values
/// convert as in [`to_graph`](crate::convert::to_graph): typed values route by their filter
/// (`emails[type eq "work"].value` → `mail`), nested properties nest
/// (`passwordProfile`, `employeeOrgData`), Custom Security Attributes get
/// their `@odata.type` annotations. `remove`, and a `null` value, clear the
/// property (`null`, or `[]` for a collection). A path-less value object
/// (with Entra's dotted and URN-qualified keys, quirk Q5) is one write per
/// key; `replace` of a multi-valued attribute (`emails`,
/// `addresses[type eq "work"]`) also clears the mapped properties its new
/// value leaves out.
///
/// The result ([`GraphPatch`]) also gives, for each request, the
/// permissions it needs ([`required_permissions`](crate::permissions::required_permissions)
/// for the SCIM targets that made it: least, broader, admin roles, notes),
/// and lists what no public Graph request can write
/// ([`GraphPatch::not_writable`]): `externalId`, which Entra keeps in
/// `crossDomainData`, is never put into a body (see
/// [`patch_to_graph_with`] to carry it in a property of your choosing).
///
/// The translation is stateless: it never reads the resource. What would
/// need the current values is an error rather than a guess, as is what
/// Entra's SCIM API itself would refuse. Errors (`400`, detail prefixed
/// with `Operations[i]`):
///
/// - `invalidPath`: a path with no Graph property (`nickName`,
///   `emails[type eq "home"].value`), a value filter with terms other than
///   `type`/`primary` (`emails[value eq "x"]`: a conditional change), a
///   sub-attribute of every value (`emails.value`);
/// - `mutability`: a read-only target (`id`, `groups`,
///   `...:onPremisesSyncEnabled`), `password` (set on create only), removing
///   `mailNickname`; removing (or clearing by `replace`) a user's
///   `userName`, `displayName`, `active` or work email, which Graph will
///   not set to `null` (`userPrincipalName` and `accountEnabled` are not
///   nullable, `displayName` "can't be cleared during updates", `mail`
///   "can't be updated to null"), the detail naming the Graph rule;
/// - `invalidValue`: a value of the wrong type, an id that cannot go into a
///   URL, `add` to a Graph collection that holds several values
///   (`otherMails`, `groupTypes`: Graph replaces the whole collection, so
///   appending needs the current values; send `replace` with the full
///   list), replacing or removing every member (needs the member list),
///   changing one of `costCenter` and `division` without the other
///   (Graph's `employeeOrgData` would lose it: [`patch_to_graph_with`]
///   takes the current user to send both);
/// - `id` that is not a directory object id.
///
/// ```
/// use scimkit_entra::{graph::{patch_to_graph, Method}, permissions::{AdminRole, Permission}, ResourceKind};
/// use scimkit_patch::{PatchOptions, PatchRequest};
/// use serde_json::json;
///
/// let request = PatchRequest::from_json(r#"{
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [
///         {"op": "replace", "path": "active", "value": false},
///         {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555 0100"},
///         {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
///          "value": {"value": "9c0f7a3e"}},
///         {"op": "replace", "path": "externalId", "value": "a-17"}
///     ]}"#, &PatchOptions::strict())?;
/// let out = patch_to_graph(ResourceKind::User, "5cc0930a", &request)?;
/// assert_eq!(out.not_writable[0].path, "externalId");
/// let calls = &out.requests;
/// assert_eq!(calls.len(), 2);
/// assert_eq!(out.permissions[0].roles(), [AdminRole::SensitiveActionsOnPrivilegedUser]);
/// assert_eq!(out.permissions[1].least(), [Permission::UserReadWriteAll]);
/// assert_eq!((calls[0].method, calls[0].url.as_str()), (Method::Patch, "/users/5cc0930a"));
/// assert_eq!(calls[0].body, Some(json!({"accountEnabled": false, "mobilePhone": "+1 555 0100"})));
/// assert_eq!((calls[1].method, calls[1].url.as_str()), (Method::Put, "/users/5cc0930a/manager/$ref"));
/// assert_eq!(calls[1].body, Some(json!({"@odata.id": "https://graph.microsoft.com/v1.0/users/9c0f7a3e"})));
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn patch_to_graph(
    kind: ResourceKind,
    id: &str,
    request: &PatchRequest,
) -> Result<GraphPatch, ScimError> {
    patch_to_graph_with(kind, id, request, None, &GraphOptions::default())
}

/// [`patch_to_graph`] with the resource as the caller holds it and
/// [`GraphOptions`].
///
/// - `current`: the SCIM resource (before or after the PATCH: only the
///   attributes the PATCH leaves alone are read). Graph sets the
///   `employeeOrgData` member an update leaves out to `null`, so a PATCH
///   that changes `costCenter` but not `division` (or the reverse) sends
///   the other member's current value from here (`null` when the resource
///   has none). Without it, such a PATCH is an error.
/// - `options`: [`GraphOptions::external_id_property`] writes `externalId`
///   to a property of the caller's choosing; by default `externalId` is
///   listed in [`GraphPatch::not_writable`] and sent nowhere.
///
/// Errors as [`patch_to_graph`]; also `400 invalidValue` when `current`
/// holds a `costCenter` or `division` that is not a string, or when
/// `externalId` and another attribute both write the carrying property.
///
/// ```
/// use scimkit_entra::{graph::{patch_to_graph, patch_to_graph_with, GraphOptions}, ResourceKind};
/// use scimkit_patch::{PatchOptions, PatchRequest};
/// use serde_json::json;
///
/// let request = PatchRequest::from_json(r#"{
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [{"op": "replace",
///         "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
///         "value": "CC1"}]}"#, &PatchOptions::strict())?;
/// // Without the current division, Graph would clear it: refused.
/// assert!(patch_to_graph(ResourceKind::User, "u1", &request).is_err());
/// let current = json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
///     {"costCenter": "CC0", "division": "Retail"}});
/// let out = patch_to_graph_with(ResourceKind::User, "u1", &request, Some(&current),
///                               &GraphOptions::default())?;
/// assert_eq!(out.requests[0].body,
///     Some(json!({"employeeOrgData": {"costCenter": "CC1", "division": "Retail"}})));
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn patch_to_graph_with(
    kind: ResourceKind,
    id: &str,
    request: &PatchRequest,
    current: Option<&Value>,
    options: &GraphOptions,
) -> Result<GraphPatch, ScimError> {
    check_object_id(id, &format!("{kind} id"))?;
    let mut plan = Plan::new(options);
    for target in targets(request)? {
        plan.index = target.operation_index();
        plan.target(kind, &target)
            .map_err(|e| at_index(target.operation_index(), e))?;
    }
    plan.finish(kind, id, current)
}

#[derive(Debug)]
struct Plan<'o> {
    options: &'o GraphOptions,
    /// The index of the operation being read.
    index: usize,
    properties: GraphBody<usize>,
    /// The targets that wrote `properties`, for the permissions.
    property_paths: Vec<PatchPath>,
    /// `Some(Some(id))`: set the manager; `Some(None)`: remove it.
    manager: Option<Option<String>>,
    manager_paths: Vec<PatchPath>,
    /// Each member named, in first-named order, with whether the last
    /// operation on it adds (`true`) or removes it.
    members: Vec<(String, bool)>,
    member_paths: Vec<PatchPath>,
    not_writable: Vec<NotWritable>,
    /// Who wrote the property carrying `externalId`: the SCIM path, whether
    /// it is `externalId`, the operation index.
    carrier_writers: Vec<(String, bool, usize)>,
}

impl<'o> Plan<'o> {
    fn new(options: &'o GraphOptions) -> Self {
        Self {
            options,
            index: 0,
            properties: GraphBody::default(),
            property_paths: Vec::new(),
            manager: None,
            manager_paths: Vec::new(),
            members: Vec::new(),
            member_paths: Vec::new(),
            not_writable: Vec::new(),
            carrier_writers: Vec::new(),
        }
    }

    fn target(&mut self, kind: ResourceKind, t: &Target<'_>) -> Result<(), ScimError> {
        let path = t.path();
        let rows = rows_for(kind, path);
        let Some(first) = rows.first() else {
            return Err(invalid_path(format!(
                "{path} has no Microsoft Graph property"
            )));
        };
        // A null value is "unassigned" (RFC 7643 §2.5): clear the target.
        let value = t.value().filter(|v| !v.is_null());
        let op = if value.is_none() {
            OpKind::Remove
        } else {
            t.op()
        };
        if rows.len() == 1 && first.is_create_only() {
            return Err(mutability(format!(
                "{path} can only be set when the {kind} is created (Entra's SCIM API has no password change)"
            )));
        }
        let members = rows
            .iter()
            .all(|r| r.conversion() == Conversion::Relationship && r.multi() == Multi::Multiple);
        if t.op() == OpKind::Remove && value.is_some() && !members {
            return Err(crate::api_rules::remove_with_value(path));
        }
        if rows.iter().all(|r| !r.is_writable()) {
            return Err(mutability(format!("{path} is read-only")));
        }
        if rows
            .iter()
            .all(|r| r.conversion() == Conversion::Relationship)
        {
            return if first.multi() == Multi::Multiple {
                self.member_paths.push(path.clone());
                self.members(op, path, t.value())
            } else {
                self.manager_paths.push(path.clone());
                self.manager(op, path, value)
            };
        }
        let external_only = rows
            .iter()
            .all(|r| r.graph_type() == GraphType::CrossDomainData);
        if !external_only || self.options.external_id().is_some() {
            self.property_paths.push(path.clone());
        }
        match (op, value) {
            (OpKind::Remove, _) => self.remove(kind, &rows, path),
            (_, Some(value)) => {
                let value = string_boolean(&rows, value);
                self.write(kind, op, &rows, path, value.as_ref())
            }
            (_, None) => Ok(()),
        }
    }

    /// `add`/`replace`: convert the value as a fragment of a resource with
    /// [`to_graph`](crate::convert::to_graph), then keep its writes.
    fn write(
        &mut self,
        kind: ResourceKind,
        op: OpKind,
        rows: &[&'static Mapping],
        path: &PatchPath,
        value: &Value,
    ) -> Result<(), ScimError> {
        let fragment = fragment(kind, rows, path, value)?;
        let out = to_graph_with(kind, &fragment, self.options)?;
        if let Some(first) = out.unmapped.first() {
            return Err(not_writable(kind, first));
        }
        for n in out.not_writable {
            NotWritable::push_unique(&mut self.not_writable, n);
        }
        if op == OpKind::Add {
            if let Some(r) = rows.iter().find(|r| {
                r.conversion() == Conversion::StringCollection
                    && r.multi() == Multi::Multiple
                    && body_has(&out.body, r)
            }) {
                return Err(invalid_value(format!(
                    "{path}: add to the Graph collection {} needs its current values (Graph \
                     replaces the whole collection); send replace with the full list",
                    r.graph().path()
                )));
            }
        }
        if op == OpKind::Replace && replaces_whole_values(rows, path) {
            for r in rows.iter().filter(|r| clearable(r)) {
                if !body_has(&out.body, r) {
                    self.clear(r, path);
                }
            }
        }
        if let Some(carrier) = self.options.external_id() {
            if carrier
                .split('.')
                .try_fold(&out.body, |v, k| v.get(k))
                .is_some()
            {
                let external = rows
                    .iter()
                    .all(|r| r.graph_type() == GraphType::CrossDomainData);
                self.carrier_writers
                    .push((path.to_string(), external, self.index));
            }
        }
        self.properties.overwrite_all(&out.body, self.index);
        Ok(())
    }

    /// Clear the property of `row`: `null`, or `[]` for a collection;
    /// `externalId` in the property that carries it, or nowhere.
    fn clear(&mut self, row: &Mapping, path: &PatchPath) {
        let carrier = self.options.external_id();
        if row.graph_type() == GraphType::CrossDomainData {
            match carrier {
                Some(c) => {
                    self.properties.overwrite(
                        c.split('.').map(str::to_owned).collect(),
                        Value::Null,
                        self.index,
                    );
                    self.carrier_writers
                        .push((path.to_string(), true, self.index));
                }
                None => NotWritable::push_unique(
                    &mut self.not_writable,
                    NotWritable::external_id(&path.to_string()),
                ),
            }
            return;
        }
        if carrier.is_some_and(|c| c == row.graph().path()) {
            self.carrier_writers
                .push((path.to_string(), false, self.index));
        }
        self.properties
            .overwrite(keys(row), clear_value(row), self.index);
    }

    /// `remove`: clear every writable property the path reaches.
    fn remove(
        &mut self,
        kind: ResourceKind,
        rows: &[&'static Mapping],
        path: &PatchPath,
    ) -> Result<(), ScimError> {
        if let PatchPath::ValuePath { filter, .. } = path {
            if Selector::exact(filter).is_none() {
                return Err(conditional(path));
            }
        }
        if rows.iter().any(|r| r.path().is_template()) {
            return self.remove_csa(path);
        }
        let targets: Vec<_> = rows.iter().filter(|r| clearable(r)).collect();
        if targets.is_empty()
            && !rows
                .iter()
                .any(|r| r.conversion() == Conversion::Relationship)
        {
            return Err(mutability(format!("{path} is read-only")));
        }
        if kind == ResourceKind::User && rows.iter().any(|r| r.graph().path() == "mailNickname") {
            return Err(mutability(format!(
                "{path}: Entra's mailNickname cannot be removed once set"
            )));
        }
        for r in targets {
            self.clear(r, path);
        }
        if rows
            .iter()
            .any(|r| r.conversion() == Conversion::Relationship)
        {
            // A whole enterprise extension removed: its manager too.
            self.manager = Some(None);
        }
        Ok(())
    }

    /// Removing one Custom Security Attribute: Graph takes `null` for it,
    /// inside its set with the set's `@odata.type`.
    fn remove_csa(&mut self, path: &PatchPath) -> Result<(), ScimError> {
        let attr = path.attribute();
        let (set, name) = match (attr.schema(), attr.sub_attribute()) {
            (Some(_), Some(name)) => (attr.attribute(), name),
            _ => {
                return Err(invalid_value(format!(
                    "{path}: remove Custom Security Attributes one by one \
                     (urn:...:CustomSecurityAttributes:{{set}}.{{attribute}}); a whole set needs its attribute names"
                )))
            }
        };
        if !csa::is_name(set) || !csa::is_name(name) {
            return Err(invalid_path(format!(
                "{path} is not a Custom Security Attribute name"
            )));
        }
        let at = |last: &str| {
            vec![
                csa::GRAPH_PROPERTY.to_owned(),
                set.to_owned(),
                last.to_owned(),
            ]
        };
        self.properties.overwrite(
            at("@odata.type"),
            Value::String(csa::SET_TYPE.to_owned()),
            self.index,
        );
        self.properties.overwrite(at(name), Value::Null, self.index);
        Ok(())
    }

    /// The enterprise `manager` (or `manager.value`): a bare id (Entra
    /// quirk Q8) or `{"value": id}`.
    fn manager(
        &mut self,
        op: OpKind,
        path: &PatchPath,
        value: Option<&Value>,
    ) -> Result<(), ScimError> {
        let value = match (op, value) {
            (OpKind::Remove, _) | (_, None) => {
                self.manager = Some(None);
                return Ok(());
            }
            (_, Some(v)) => v,
        };
        let id = match value {
            Value::String(id) => id.as_str(),
            Value::Object(object) => match get_ci(object, "value") {
                Some(Value::String(id)) => id.as_str(),
                Some(Value::Null) | None => {
                    self.manager = Some(None);
                    return Ok(());
                }
                Some(_) => return Err(invalid_value(format!("{path}: value must be a string"))),
            },
            _ => {
                return Err(invalid_value(format!(
                    "{path} takes a manager id or {{\"value\": id}}"
                )))
            }
        };
        let id = check_object_id(id, "manager id")?;
        self.manager = Some(Some(id.to_owned()));
        Ok(())
    }

    /// Group `members`, read by [`member_changes`]: the last change to a
    /// member counts.
    fn members(
        &mut self,
        op: OpKind,
        path: &PatchPath,
        value: Option<&Value>,
    ) -> Result<(), ScimError> {
        for change in member_changes(op, path, value)? {
            match change {
                MemberChange::Add(id) => self.member(id, true),
                MemberChange::Remove(id) => self.member(id, false),
            }
        }
        Ok(())
    }

    fn member(&mut self, id: &str, add: bool) {
        match self.members.iter_mut().find(|(m, _)| m == id) {
            Some(entry) => entry.1 = add,
            None => self.members.push((id.to_owned(), add)),
        }
    }

    /// The checks that need every operation, then the requests.
    fn finish(
        mut self,
        kind: ResourceKind,
        id: &str,
        current: Option<&Value>,
    ) -> Result<GraphPatch, ScimError> {
        self.check_carrier()?;
        if kind == ResourceKind::User {
            self.complete_org_data(current)?;
            self.check_not_clearable(kind)?;
        }
        let base = kind.location(id);
        let mut out = Vec::new();
        let mut permissions = Vec::new();
        if !self.properties.is_empty() {
            permissions.push(patch_permissions(kind, &self.property_paths)?);
            out.push(GraphRequest {
                method: Method::Patch,
                url: base.clone(),
                body: Some(self.properties.into_value()),
            });
        }
        let manager = match self.manager {
            Some(Some(manager)) => Some(GraphRequest {
                method: Method::Put,
                url: format!("{base}/manager/$ref"),
                body: Some(json!({"@odata.id": format!("{GRAPH_V1}/users/{manager}")})),
            }),
            Some(None) => Some(GraphRequest {
                method: Method::Delete,
                url: format!("{base}/manager/$ref"),
                body: None,
            }),
            None => None,
        };
        if let Some(request) = manager {
            permissions.push(patch_permissions(kind, &self.manager_paths)?);
            out.push(request);
        }
        let member_permissions = if self.members.is_empty() {
            None
        } else {
            Some(patch_permissions(kind, &self.member_paths)?)
        };
        for (member, _) in self.members.iter().filter(|(_, add)| *add) {
            out.push(GraphRequest {
                method: Method::Post,
                url: format!("{base}/members/$ref"),
                body: Some(json!({"@odata.id": format!("{GRAPH_V1}/directoryObjects/{member}")})),
            });
            permissions.extend(member_permissions.clone());
        }
        for (member, _) in self.members.iter().filter(|(_, add)| !*add) {
            out.push(GraphRequest {
                method: Method::Delete,
                url: format!("{base}/members/{member}/$ref"),
                body: None,
            });
            permissions.extend(member_permissions.clone());
        }
        Ok(GraphPatch {
            requests: out,
            permissions,
            not_writable: self.not_writable,
        })
    }

    /// `externalId` and another attribute may not both write the property
    /// that carries `externalId`.
    fn check_carrier(&self) -> Result<(), ScimError> {
        let external = self.carrier_writers.iter().find(|(_, e, _)| *e);
        let other = self.carrier_writers.iter().find(|(_, e, _)| !*e);
        match (external, other, self.options.external_id()) {
            (Some((ext, _, i)), Some((path, _, j)), Some(carrier)) => Err(at_index(
                (*i).max(*j),
                invalid_value(format!(
                    "{ext} and {path} both write the Microsoft Graph property {carrier}, which \
                     carries externalId"
                )),
            )),
            _ => Ok(()),
        }
    }

    /// Graph sets the `employeeOrgData` member an update leaves out to
    /// `null`: send the other member's current value with it.
    fn complete_org_data(&mut self, current: Option<&Value>) -> Result<(), ScimError> {
        let written: Vec<Option<usize>> = ORG_DATA
            .iter()
            .map(|(graph, _)| {
                self.properties
                    .get(&["employeeOrgData", graph])
                    .map(|(_, i)| *i)
            })
            .collect();
        let (origin, written_name, missing_graph, missing_name) = match written.as_slice() {
            [Some(i), None] => (*i, ORG_DATA[0].1, ORG_DATA[1].0, ORG_DATA[1].1),
            [None, Some(i)] => (*i, ORG_DATA[1].1, ORG_DATA[0].0, ORG_DATA[0].1),
            _ => return Ok(()),
        };
        let value = match current {
            Some(resource) => {
                current_org_member(resource, missing_name).map_err(|e| at_index(origin, e))?
            }
            None => {
                return Err(at_index(
                    origin,
                    invalid_value(format!(
                        "{ENTERPRISE_USER_URN}:{written_name}: Graph sets the employeeOrgData \
                         member an update leaves out to null, so changing {written_name} alone \
                         would clear {missing_name}; the user's current {missing_name} is needed \
                         to send both (read the user first, or change both in one request)"
                    )),
                ))
            }
        };
        self.properties.overwrite(
            vec!["employeeOrgData".to_owned(), missing_graph.to_owned()],
            value,
            origin,
        );
        Ok(())
    }

    /// Refuse `null` for the user properties Graph will not clear.
    fn check_not_clearable(&self, kind: ResourceKind) -> Result<(), ScimError> {
        for (keys, value, origin) in self.properties.iter() {
            let [key] = keys else { continue };
            let Some((graph, rule)) = NOT_CLEARABLE.iter().find(|(g, _)| g == key) else {
                continue;
            };
            if !value.is_null() {
                continue;
            }
            let scim = crate::table::mappings_for(kind)
                .find(|m| m.graph().path() == *graph)
                .map_or_else(|| (*graph).to_owned(), |m| m.path().to_string());
            return Err(at_index(
                *origin,
                mutability(format!(
                    "{scim} cannot be removed: {rule}; replace it with a new value instead"
                )),
            ));
        }
        Ok(())
    }
}

/// What one Graph request made from these PATCH targets needs, from
/// [`required_permissions`].
fn patch_permissions(
    kind: ResourceKind,
    paths: &[PatchPath],
) -> Result<RequiredPermissions, ScimError> {
    required_permissions(Method::Patch, kind, &Touched::paths(paths.iter().cloned()))
}

/// The current value of one `employeeOrgData` member in a SCIM user: a
/// string, or `null` when the user has none.
fn current_org_member(resource: &Value, name: &str) -> Result<Value, ScimError> {
    let object = resource
        .as_object()
        .ok_or_else(|| invalid_value("the current user must be a JSON object".to_owned()))?;
    let member = match get_ci(object, ENTERPRISE_USER_URN) {
        None | Some(Value::Null) => None,
        Some(Value::Object(ext)) => get_ci(ext, name),
        Some(_) => {
            return Err(invalid_value(format!(
                "the current user's {ENTERPRISE_USER_URN} must be an object"
            )))
        }
    };
    match member {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(_) => Err(invalid_value(format!(
            "the current user's {ENTERPRISE_USER_URN}:{name} must be a string"
        ))),
    }
}

/// Entra's provisioning service sends booleans as strings (`"False"`,
/// client quirk Q2, accepted by `PatchOptions::entra()`): read `"true"` /
/// `"false"` in any case as a boolean where the path names one boolean.
fn string_boolean<'v>(rows: &[&'static Mapping], value: &'v Value) -> std::borrow::Cow<'v, Value> {
    let boolean = rows.len() == 1 && rows[0].scim_type() == scimkit_schema::AttributeType::Boolean;
    match value {
        Value::String(s) if boolean && s.eq_ignore_ascii_case("true") => {
            std::borrow::Cow::Owned(Value::Bool(true))
        }
        Value::String(s) if boolean && s.eq_ignore_ascii_case("false") => {
            std::borrow::Cow::Owned(Value::Bool(false))
        }
        other => std::borrow::Cow::Borrowed(other),
    }
}

/// The SCIM resource fragment that holds `value` at `path`, for
/// [`to_graph`](crate::convert::to_graph): `name.givenName` → `{"name": {"givenName": v}}`,
/// `emails[type eq "work"].value` → `{"emails": [{"type": "work", "value": v}]}`,
/// extension attributes under their URN.
fn fragment(
    kind: ResourceKind,
    rows: &[&'static Mapping],
    path: &PatchPath,
    value: &Value,
) -> Result<Value, ScimError> {
    if let Some(urn) = schema_named(path) {
        let mut out = Map::new();
        out.insert(urn.to_owned(), value.clone());
        return Ok(Value::Object(out));
    }
    let multi = rows
        .iter()
        .any(|r| r.path().filter().is_some() || r.multi() == Multi::Multiple);
    let (attribute, element) = match path {
        PatchPath::Attribute(a) => match a.sub_attribute() {
            None => (a, value.clone()),
            Some(sub) if !multi => (a, object1(sub, value.clone())),
            Some(_) => {
                return Err(invalid_path(format!(
                    "{path} names a sub-attribute of every value of a multi-valued attribute; \
                     select values by type, as in emails[type eq \"work\"].value"
                )))
            }
        },
        PatchPath::ValuePath {
            attribute,
            filter,
            sub_attribute,
            ..
        } => {
            let selector = Selector::exact(filter).ok_or_else(|| conditional(path))?;
            let mut element = match sub_attribute {
                Some(sub) => {
                    let mut m = Map::new();
                    m.insert(sub.clone(), value.clone());
                    m
                }
                None => value.as_object().cloned().ok_or_else(|| {
                    invalid_value(format!("{path} takes an object (one value of {attribute})"))
                })?,
            };
            if let Some(t) = selector.type_value() {
                set_selected(&mut element, "type", Value::String(t.to_owned()), path)?;
            }
            if let Some(p) = selector.primary() {
                set_selected(&mut element, "primary", Value::Bool(p), path)?;
            }
            (attribute, Value::Array(vec![Value::Object(element)]))
        }
        _ => {
            return Err(invalid_path(format!(
                "{path} has no Microsoft Graph property"
            )))
        }
    };
    let inner = object1(attribute.attribute(), element);
    let schema = attribute.schema().unwrap_or_else(|| rows[0].schema());
    Ok(if schema.eq_ignore_ascii_case(kind.core_urn()) {
        inner
    } else {
        object1(schema, inner)
    })
}

/// Put the filter's `type` (or `primary`) into the element, unless the
/// element already says the same (a different value is an error).
fn set_selected(
    element: &mut Map<String, Value>,
    key: &str,
    value: Value,
    path: &PatchPath,
) -> Result<(), ScimError> {
    let existing = element
        .keys()
        .find(|k| k.eq_ignore_ascii_case(key))
        .cloned();
    match existing {
        Some(k) if element.get(&k) == Some(&value) => Ok(()),
        Some(k) if element.get(&k).is_some_and(Value::is_null) => {
            element.insert(k, value);
            Ok(())
        }
        Some(_) => Err(invalid_value(format!(
            "{path}: the value's {key} differs from the path's filter"
        ))),
        None => {
            element.insert(key.to_owned(), value);
            Ok(())
        }
    }
}

fn object1(key: &str, value: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_owned(), value);
    Value::Object(m)
}

/// Whether `replace` at `path` replaces whole values of a multi-valued
/// attribute (`emails`, `addresses[type eq "work"]`), so that what the new
/// value leaves out is cleared (RFC 7644 §3.5.2.3). A complex
/// single-valued attribute (`name`) keeps the sub-attributes left out.
fn replaces_whole_values(rows: &[&'static Mapping], path: &PatchPath) -> bool {
    match path {
        PatchPath::ValuePath { sub_attribute, .. } => sub_attribute.is_none(),
        PatchPath::Attribute(a) => {
            a.sub_attribute().is_none()
                && rows
                    .iter()
                    .any(|r| r.path().filter().is_some() || r.multi() == Multi::Multiple)
        }
        _ => false,
    }
}

/// Rows a PATCH may clear: writable plain properties (not relationships,
/// not the create-only password, not the Custom Security Attributes
/// template).
fn clearable(row: &Mapping) -> bool {
    row.is_writable()
        && !row.is_create_only()
        && row.conversion() != Conversion::Relationship
        && !row.path().is_template()
}

/// What clears a property in Graph: `[]` for a collection, else `null`.
fn clear_value(row: &Mapping) -> Value {
    if row.conversion() == Conversion::StringCollection {
        Value::Array(Vec::new())
    } else {
        Value::Null
    }
}

fn keys(row: &Mapping) -> Vec<String> {
    row.graph().segments().map(str::to_owned).collect()
}

fn body_has(body: &Value, row: &Mapping) -> bool {
    row.graph()
        .segments()
        .try_fold(body, |v, k| v.get(k))
        .is_some()
}

/// The error for a path [`to_graph`](crate::convert::to_graph) could not carry: read-only
/// (`mutability`) or unmapped (`invalidPath`).
fn not_writable(kind: ResourceKind, path: &str) -> ScimError {
    let read_only = PatchPath::parse(path).is_ok_and(|p| {
        let rows = rows_for(kind, &p);
        !rows.is_empty() && rows.iter().all(|r| !r.is_writable())
    });
    if read_only {
        mutability(format!("{path} is read-only"))
    } else {
        invalid_path(format!("{path} has no Microsoft Graph property"))
    }
}

fn conditional(path: &PatchPath) -> ScimError {
    invalid_path(format!(
        "{path}: a filter on the current values makes a conditional change, which Graph cannot \
         make; select values by type (and primary) only"
    ))
}

fn invalid_path(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidPath, detail)
}

fn invalid_value(detail: String) -> ScimError {
    ScimError::new(ScimType::InvalidValue, detail)
}

fn mutability(detail: String) -> ScimError {
    ScimError::new(ScimType::Mutability, detail)
}
