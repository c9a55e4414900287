//! [`Entra`]: Microsoft Entra ID's SCIM API at `/rp/scim`, as the fact
//! sheet (`shared/entra/api.md`, sections A2–A12) documents it. The crate
//! README lists every emulated behaviour with its section.

use scimkit_entra::{api, discovery, ResourceKind};
use scimkit_patch::PatchRequest;
use scimkit_query::{ListQuery, ListQueryOptions};
use scimkit_schema::{json::member_ci, ResourceSchema, ScimError};
use serde_json::{json, Value};

use super::{Base, Dialect};

/// The Microsoft Entra URN of the user extension.
const ENTRA_USER: &str = "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User";

/// Microsoft Entra's SCIM API (`--dialect entra`).
#[derive(Debug, Clone)]
pub struct Entra {
    list: ListQueryOptions,
}

impl Default for Entra {
    fn default() -> Self {
        Self {
            list: ListQueryOptions::entra(),
        }
    }
}

impl Entra {
    /// The Entra dialect.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The `resources` of one of the crate's embedded list documents.
fn listed(document: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(document)
        .ok()
        .and_then(|v| {
            member_ci(&v, "resources")
                .and_then(Value::as_array)
                .cloned()
        })
        .unwrap_or_default()
}

/// A non-empty string at `name` of `object` (case-insensitive key).
fn non_empty<'v>(object: &'v Value, name: &str) -> Option<&'v str> {
    member_ci(object, name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

impl Dialect for Entra {
    fn name(&self) -> &'static str {
        "entra"
    }

    fn schema(&self, kind: ResourceKind) -> &'static ResourceSchema {
        discovery::resource_schema(kind)
    }

    fn list_options(&self) -> &ListQueryOptions {
        &self.list
    }

    /// A3: the documented document, plus the members RFC 7643 requires
    /// that the "truncated" example leaves out, with the values the rest
    /// of the fact sheet implies.
    fn service_provider_config(&self, _base: &Base) -> Value {
        let mut spc = discovery::service_provider_config().clone();
        if let Some(obj) = spc.as_object_mut() {
            obj.entry("changePassword")
                .or_insert(json!({"supported": false}));
            obj.entry("sort").or_insert(json!({"supported": false}));
            obj.entry("etag").or_insert(json!({"supported": false}));
            obj.entry("authenticationSchemes").or_insert(json!([{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Microsoft Entra app-only access tokens"
            }]));
        }
        spc
    }

    fn schemas(&self, _base: &Base) -> Vec<Value> {
        listed(discovery::SCHEMAS_JSON)
    }

    fn resource_types(&self, _base: &Base) -> Vec<Value> {
        listed(discovery::RESOURCE_TYPES_JSON)
    }

    /// A5: lowercase `resources`.
    fn resources_key(&self) -> &'static str {
        "resources"
    }

    /// A9: whitespace around `=` is a `400`.
    fn check_query_string(&self, raw: &str) -> Result<(), ScimError> {
        api::check_query(raw).map_err(ScimError::from)
    }

    /// A9: the filter subset; A8: page sizes (999 users without
    /// `manager`, else 100; 1000 groups).
    fn check_list(&self, kind: ResourceKind, query: &ListQuery) -> Result<u32, ScimError> {
        if let Some(filter) = query.filter() {
            api::check_filter(filter, kind)?;
        }
        let attributes = query.projection().attributes();
        let attributes = (!attributes.is_empty()).then_some(attributes);
        api::page_size(kind, Some(query.page().count()), attributes)
    }

    /// A5: `totalResults` on filtered results only (the unfiltered
    /// example, MS-REF 1A, has none).
    fn total_results(&self, filtered: bool) -> bool {
        filtered
    }

    /// A8: `previousCursor` is never mentioned.
    fn serves_previous_cursor(&self) -> bool {
        false
    }

    /// A2: no PUT.
    fn supports_put(&self) -> bool {
        false
    }

    /// A2: no `.search` (inferred: not in the endpoint list).
    fn supports_search(&self) -> bool {
        false
    }

    /// A2: PATCH answers `204` (newest doc).
    fn patch_no_content(&self) -> bool {
        true
    }

    /// A2, A6: `Accept: application/json` is required.
    fn requires_accept_json(&self) -> bool {
        true
    }

    /// A10: the password can only be set at creation.
    fn password_changeable(&self) -> bool {
        false
    }

    /// A10: POST /users requires `userName`, `password`,
    /// `name.givenName`, `name.familyName`, `active`, `displayName`;
    /// `mailNickname` is derived from `userName` (up to the first `@`)
    /// when missing, null or empty. POST /groups requires `displayName`.
    fn prepare_create(&self, kind: ResourceKind, doc: &mut Value) -> Result<(), ScimError> {
        let missing = |what: &str| {
            ScimError::invalid_value(format!("Required attribute '{what}' is missing or empty"))
        };
        if kind == ResourceKind::Group {
            return non_empty(doc, "displayName")
                .map(|_| ())
                .ok_or_else(|| missing("displayName"));
        }
        for name in ["userName", "password", "displayName"] {
            non_empty(doc, name).ok_or_else(|| missing(name))?;
        }
        let name = member_ci(doc, "name").unwrap_or(&Value::Null);
        for sub in ["givenName", "familyName"] {
            non_empty(name, sub).ok_or_else(|| missing(&format!("name.{sub}")))?;
        }
        if !member_ci(doc, "active").is_some_and(Value::is_boolean) {
            return Err(missing("active"));
        }
        let user_name = non_empty(doc, "userName").unwrap_or_default();
        let nickname = user_name.split('@').next().unwrap_or(user_name).to_owned();
        let Some(obj) = doc.as_object_mut() else {
            return Ok(());
        };
        let extension = obj.entry(ENTRA_USER).or_insert_with(|| json!({}));
        if let Some(ext) = extension.as_object_mut() {
            let present = ext.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("mailNickname") && v.as_str().is_some_and(|s| !s.is_empty())
            });
            if !present {
                ext.retain(|k, _| !k.eq_ignore_ascii_case("mailNickname"));
                ext.insert("mailNickname".into(), Value::String(nickname));
            }
        }
        if let Some(schemas) = obj.get_mut("schemas").and_then(Value::as_array_mut) {
            if !schemas.iter().any(|s| {
                s.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(ENTRA_USER))
            }) {
                schemas.push(Value::String(ENTRA_USER.into()));
            }
        }
        Ok(())
    }

    /// A10: a group PATCH either changes properties or makes one
    /// membership change: one `add` of at most 20 members, or the removal
    /// of one member.
    fn check_patch(
        &self,
        kind: ResourceKind,
        id: &str,
        request: &PatchRequest,
    ) -> Result<(), ScimError> {
        if kind != ResourceKind::Group {
            return Ok(());
        }
        let plan = api::plan_group_patch(request, id)?;
        if plan.len() > 1 {
            return Err(ScimError::invalid_value(format!(
                "this PATCH needs {} requests on Microsoft Entra: membership changes go alone, \
                 at most {} members per add and one member per removal",
                plan.len(),
                api::MAX_MEMBERS_PER_ADD
            )));
        }
        Ok(())
    }

    /// A10: `mailNickname` cannot be removed once set.
    fn check_update(
        &self,
        kind: ResourceKind,
        before: &Value,
        after: &Value,
    ) -> Result<(), ScimError> {
        if kind != ResourceKind::User {
            return Ok(());
        }
        let nickname = |doc: &Value| {
            member_ci(doc, ENTRA_USER)
                .and_then(|ext| non_empty(ext, "mailNickname"))
                .is_some()
        };
        if nickname(before) && !nickname(after) {
            return Err(ScimError::mutability("mailNickname cannot be removed"));
        }
        Ok(())
    }

    /// A5: relative lowercase `meta.location`, lowercase
    /// `meta.resourceType`; users carry no `created`, `lastModified` or
    /// `version`; groups carry `created` written `+00:00` and never
    /// `members`.
    fn render(&self, kind: ResourceKind, doc: &mut Value, _base: &Base) {
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        if kind == ResourceKind::Group {
            obj.remove("members");
        }
        if let Some(meta) = obj.get_mut("meta").and_then(Value::as_object_mut) {
            meta.remove("lastModified");
            meta.remove("version");
            if kind == ResourceKind::Group {
                if let Some(Value::String(created)) = meta.get_mut("created") {
                    if let Some(utc) = created.strip_suffix('Z') {
                        *created = format!("{utc}+00:00");
                    }
                }
            } else {
                meta.remove("created");
            }
            meta.insert("resourceType".into(), json!(kind.meta_resource_type()));
            meta.insert("location".into(), json!(kind.location(&id)));
        }
    }
}
