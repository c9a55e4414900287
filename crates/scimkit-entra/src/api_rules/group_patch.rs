//! A group PATCH split into the requests Entra's SCIM API allows (fact
//! sheet A10):
//!
//! - member additions: one `add` on path `members` with at most
//!   [`MAX_MEMBERS_PER_ADD`] values, and nothing else in that PATCH;
//! - member removals: one member per PATCH,
//!   `{"op": "remove", "path": "members[value eq \"<id>\"]"}`, and nothing
//!   else in that PATCH;
//! - every other change together in one PATCH.

use scimkit_patch::{
    OpKind, Operation, PatchOptions, PatchPath, PatchRequest, Target, PATCH_OP_URN,
};
use scimkit_schema::{ScimError, ScimType};
use serde_json::{json, Map, Value};

use crate::ids::check_object_id;
use crate::membership::{is_members, member_changes, MemberChange};
use crate::patch_targets::{at_index, targets};
use crate::ResourceKind;

/// The most members one `add` may carry in Entra's SCIM API.
pub const MAX_MEMBERS_PER_ADD: usize = 20;

/// What a planned PATCH does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlanKind {
    /// Every change other than membership.
    Properties,
    /// One `add` of up to [`MAX_MEMBERS_PER_ADD`] members.
    AddMembers,
    /// The removal of one member.
    RemoveMember,
}

/// One PATCH request to send to Entra's SCIM API.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedPatch {
    kind: PlanKind,
    url: String,
    request: PatchRequest,
}

impl PlannedPatch {
    /// What it does.
    pub fn kind(&self) -> PlanKind {
        self.kind
    }

    /// Where to send it, relative to the SCIM base URL: `/groups/{id}`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The request.
    pub fn request(&self) -> &PatchRequest {
        &self.request
    }

    /// The PatchOp JSON body, with `"Operations"` as Entra's docs advise.
    pub fn body(&self) -> Value {
        let ops: Vec<Value> = self
            .request
            .operations
            .iter()
            .map(|op| {
                let mut m = Map::new();
                m.insert("op".to_owned(), Value::String(op.op.as_str().to_owned()));
                if let Some(path) = &op.path {
                    m.insert("path".to_owned(), Value::String(path.to_string()));
                }
                if let Some(value) = &op.value {
                    m.insert("value".to_owned(), value.clone());
                }
                Value::Object(m)
            })
            .collect();
        json!({"schemas": [PATCH_OP_URN], "Operations": ops})
    }
}

/// Split a PATCH of the group `group_id` into requests Entra's SCIM API
/// accepts, in this order: one [`PlanKind::Properties`] request with every
/// change other than membership (if there is one), then the membership
/// changes in their original order, consecutive additions packed
/// [`MAX_MEMBERS_PER_ADD`] to a request (a member named twice in a run is
/// sent once), each removal alone.
///
/// Membership and property changes are independent, so moving the
/// property changes first changes nothing; the order among membership
/// changes is kept (adding and then removing a member is not the same as
/// the reverse). The plan is not atomic: requests that succeeded stay
/// applied when a later one fails.
///
/// Accepted forms: `add` on `members` (or a path-less `{"members": [...]}`)
/// with `[{"value": id}, ...]` (other sub-attributes, such as Entra's
/// `"$ref": null`, are dropped); `remove` on `members[value eq "id"]`
/// (several ids joined by `or` make several requests) or, as Entra's
/// provisioning service sends it, on `members` with a value array (quirk
/// Q6). Errors (`400`): replacing or removing every member (needs the
/// member list), other paths into `members`, ids that are not directory
/// object ids, path-less values that are not objects.
///
/// ```
/// use scimkit_entra::api::{plan_group_patch, PlanKind};
/// use scimkit_patch::{PatchOptions, PatchRequest};
/// use serde_json::json;
///
/// let members: Vec<_> = (0..25).map(|i| json!({"value": format!("u{i}")})).collect();
/// let request = PatchRequest::from_value(&json!({
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [
///         {"op": "add", "path": "members", "value": members},
///         {"op": "remove", "path": "members[value eq \"u99\"]"},
///         {"op": "replace", "path": "displayName", "value": "Sales"}
///     ]}), &PatchOptions::strict())?;
/// let plan = plan_group_patch(&request, "c2c2")?;
/// let kinds: Vec<_> = plan.iter().map(|p| p.kind()).collect();
/// assert_eq!(kinds, [PlanKind::Properties, PlanKind::AddMembers, PlanKind::AddMembers, PlanKind::RemoveMember]);
/// assert_eq!(plan[1].url(), "/groups/c2c2");
/// assert_eq!(plan[2].body()["Operations"][0]["value"].as_array().unwrap().len(), 5);
/// assert_eq!(plan[3].body(), json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [{"op": "remove", "path": "members[value eq \"u99\"]"}]}));
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
pub fn plan_group_patch(
    request: &PatchRequest,
    group_id: &str,
) -> Result<Vec<PlannedPatch>, ScimError> {
    let group_id = check_object_id(group_id, "group id")?;
    let url = ResourceKind::Group.location(group_id);
    let mut planner = Planner {
        url,
        options: request.options().clone(),
        properties: Vec::new(),
        membership: Vec::new(),
        adds: Vec::new(),
    };
    for target in targets(request)? {
        planner
            .target(&target)
            .map_err(|e| at_index(target.operation_index(), e))?;
    }
    Ok(planner.finish())
}

struct Planner {
    url: String,
    /// The original request's options, which each planned request keeps.
    options: PatchOptions,
    properties: Vec<Operation>,
    membership: Vec<PlannedPatch>,
    /// Member ids of the current run of additions.
    adds: Vec<String>,
}

impl Planner {
    fn target(&mut self, t: &Target<'_>) -> Result<(), ScimError> {
        if !is_members(t.path()) {
            // RFC 7644 remove takes no value (a `null` one says nothing);
            // Entra's value form (quirk Q6) is for members only.
            let value = t
                .value()
                .filter(|v| !(t.op() == OpKind::Remove && v.is_null()))
                .cloned();
            if t.op() == OpKind::Remove && value.is_some() {
                return Err(remove_with_value(t.path()));
            }
            self.properties
                .push(Operation::new(t.op(), Some(t.path().clone()), value));
            return Ok(());
        }
        for change in member_changes(t.op(), t.path(), t.value())? {
            match change {
                MemberChange::Add(id) => {
                    if !self.adds.iter().any(|a| a == id) {
                        self.adds.push(id.to_owned());
                    }
                    if self.adds.len() == MAX_MEMBERS_PER_ADD {
                        self.flush_adds();
                    }
                }
                MemberChange::Remove(id) => self.remove(id)?,
            }
        }
        Ok(())
    }

    fn remove(&mut self, id: &str) -> Result<(), ScimError> {
        self.flush_adds();
        // A JSON string is a SCIM filter string literal.
        let literal = Value::String(id.to_owned()).to_string();
        let path = PatchPath::parse(&format!("members[value eq {literal}]"))?;
        self.membership
            .push(self.planned(PlanKind::RemoveMember, vec![Operation::remove(path)]));
        Ok(())
    }

    fn flush_adds(&mut self) {
        if self.adds.is_empty() {
            return;
        }
        let values: Vec<Value> = self
            .adds
            .drain(..)
            .map(|id| json!({ "value": id }))
            .collect();
        let op = Operation::new(
            OpKind::Add,
            PatchPath::parse("members").ok(),
            Some(Value::Array(values)),
        );
        let planned = self.planned(PlanKind::AddMembers, vec![op]);
        self.membership.push(planned);
    }

    fn planned(&self, kind: PlanKind, operations: Vec<Operation>) -> PlannedPatch {
        PlannedPatch {
            kind,
            url: self.url.clone(),
            request: PatchRequest::new(operations, self.options.clone()),
        }
    }

    fn finish(mut self) -> Vec<PlannedPatch> {
        self.flush_adds();
        let mut out = Vec::with_capacity(self.membership.len() + 1);
        if !self.properties.is_empty() {
            let operations = std::mem::take(&mut self.properties);
            out.push(self.planned(PlanKind::Properties, operations));
        }
        out.append(&mut self.membership);
        out
    }
}

pub(crate) fn remove_with_value(path: &PatchPath) -> ScimError {
    ScimError::new(
        ScimType::InvalidSyntax,
        format!(
            "{path}: remove takes no value (Entra's remove with a value array is for members only); \
             select the values with a filter in the path"
        ),
    )
}
