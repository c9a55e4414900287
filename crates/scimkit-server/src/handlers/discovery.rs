//! `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes` (RFC 7644 §4):
//! the dialect's documents, listed in its ListResponse spelling.

use http::StatusCode;
use scimkit_schema::{json::member_ci, ScimError};
use serde_json::{json, Value};

use super::Context;
use crate::exchange::ScimResponse;

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// A ListResponse of every item (discovery lists are not paged).
fn list_response(ctx: &Context<'_>, items: Vec<Value>) -> ScimResponse {
    let mut body = json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": items.len(),
        "itemsPerPage": items.len(),
        "startIndex": 1,
    });
    if let Some(obj) = body.as_object_mut() {
        obj.insert(
            ctx.service.dialect.resources_key().into(),
            Value::Array(items),
        );
    }
    ScimResponse::json(StatusCode::OK, &body)
}

/// The item whose `key` equals `wanted` (ASCII case ignored).
fn find(items: Vec<Value>, key: &str, wanted: &str, what: &str) -> Result<ScimResponse, ScimError> {
    items
        .into_iter()
        .find(|item| {
            member_ci(item, key)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
        })
        .map(|item| ScimResponse::json(StatusCode::OK, &item))
        .ok_or_else(|| {
            ScimError::with_status(
                404,
                format!("no {what} {}", scimkit_schema::error::excerpt(wanted)),
            )
        })
}

pub(super) fn service_provider_config(ctx: &Context<'_>) -> ScimResponse {
    ScimResponse::json(
        StatusCode::OK,
        &ctx.service.dialect.service_provider_config(ctx.base),
    )
}

pub(super) fn schemas(ctx: &Context<'_>) -> ScimResponse {
    list_response(ctx, ctx.service.dialect.schemas(ctx.base))
}

pub(super) fn schema(ctx: &Context<'_>, id: &str) -> Result<ScimResponse, ScimError> {
    find(ctx.service.dialect.schemas(ctx.base), "id", id, "schema")
}

pub(super) fn resource_types(ctx: &Context<'_>) -> ScimResponse {
    list_response(ctx, ctx.service.dialect.resource_types(ctx.base))
}

pub(super) fn resource_type(ctx: &Context<'_>, name: &str) -> Result<ScimResponse, ScimError> {
    find(
        ctx.service.dialect.resource_types(ctx.base),
        "name",
        name,
        "resource type",
    )
}
