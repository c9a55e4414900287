//! [`Rfc`]: RFC 7643 / RFC 7644 / RFC 9865 as written: `Resources`,
//! `meta.resourceType` `User`, absolute `meta.location`, index and cursor
//! paging, sorting, PUT, `.search`, PATCH answered `200` with the resource.

use std::sync::OnceLock;

use scimkit_entra::ResourceKind;
use scimkit_query::ListQueryOptions;
use scimkit_schema::{builtin, ResourceSchema, Schema};
use serde_json::{json, Value};

use super::{rfc_location, Base, Dialect};

/// The plain RFC dialect (`--dialect rfc`).
#[derive(Debug, Clone, Default)]
pub struct Rfc {
    list: ListQueryOptions,
}

impl Rfc {
    /// The RFC dialect with the default limits.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The User resource type with the Enterprise User extension optional:
/// RFC 7643 §8.6's example marks it required, which would refuse every
/// user without an employee number or manager.
fn user_schema() -> &'static ResourceSchema {
    static S: OnceLock<ResourceSchema> = OnceLock::new();
    S.get_or_init(|| {
        let mut rt = builtin::user_resource().resource_type().clone();
        for extension in &mut rt.schema_extensions {
            extension.required = false;
        }
        // The built-in schemas hold every URN the built-in type names.
        ResourceSchema::new(rt, builtin::schemas())
            .unwrap_or_else(|_| builtin::user_resource().clone())
    })
}

/// The `meta` of a discovery document (RFC 7643 §7, §6).
fn discovery_meta(base: &Base, resource_type: &str, endpoint: &str) -> Value {
    json!({"resourceType": resource_type, "location": base.url(endpoint)})
}

/// A schema's full representation (RFC 7643 §7).
pub(crate) fn schema_document(schema: &Schema, base: &Base) -> Value {
    let mut doc = serde_json::to_value(schema).unwrap_or(Value::Null);
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "schemas".into(),
            json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"]),
        );
        obj.insert(
            "meta".into(),
            discovery_meta(base, "Schema", &format!("/Schemas/{}", schema.id)),
        );
    }
    doc
}

impl Dialect for Rfc {
    fn name(&self) -> &'static str {
        "rfc"
    }

    fn schema(&self, kind: ResourceKind) -> &'static ResourceSchema {
        match kind {
            ResourceKind::User => user_schema(),
            _ => builtin::group_resource(),
        }
    }

    fn list_options(&self) -> &ListQueryOptions {
        &self.list
    }

    fn service_provider_config(&self, base: &Base) -> Value {
        let pagination = serde_json::to_value(&self.list.pagination).unwrap_or(Value::Null);
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://github.com/scimkit/scimkit",
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": self.list.pagination.effective_max_page_size()},
            "changePassword": {"supported": true},
            "sort": {"supported": true},
            "etag": {"supported": true},
            "pagination": pagination,
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication with a bearer token in the Authorization header",
                "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
                "primary": true
            }],
            "meta": discovery_meta(base, "ServiceProviderConfig", "/ServiceProviderConfig"),
        })
    }

    fn schemas(&self, base: &Base) -> Vec<Value> {
        builtin::schemas()
            .iter()
            .map(|s| schema_document(s, base))
            .collect()
    }

    fn resource_types(&self, base: &Base) -> Vec<Value> {
        [
            user_schema().resource_type(),
            builtin::group_resource().resource_type(),
        ]
        .into_iter()
        .map(|rt| {
            let mut doc = serde_json::to_value(rt).unwrap_or(Value::Null);
            if let Some(obj) = doc.as_object_mut() {
                obj.insert(
                    "meta".into(),
                    discovery_meta(base, "ResourceType", &format!("/ResourceTypes/{}", rt.name)),
                );
            }
            doc
        })
        .collect()
    }

    fn render(&self, kind: ResourceKind, doc: &mut Value, base: &Base) {
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(meta) = doc.get_mut("meta").and_then(Value::as_object_mut) {
            meta.insert(
                "location".into(),
                Value::String(rfc_location(base, kind, &id)),
            );
        }
        let (attribute, target) = match kind {
            ResourceKind::User => ("groups", Some(ResourceKind::Group)),
            _ => ("members", None),
        };
        for element in doc
            .get_mut(attribute)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let member_kind =
                target.unwrap_or_else(|| match element.get("type").and_then(Value::as_str) {
                    Some("Group") => ResourceKind::Group,
                    _ => ResourceKind::User,
                });
            let value = element
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(obj) = element.as_object_mut() {
                obj.insert(
                    "$ref".into(),
                    Value::String(rfc_location(base, member_kind, &value)),
                );
            }
        }
    }
}
