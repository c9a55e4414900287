//! One resource's lifecycle: `POST` (RFC 7644 §3.3), `GET` (§3.4.1),
//! `PUT` (§3.5.1), `PATCH` (§3.5.2), `DELETE` (§3.6), with `ETag` and
//! `If-Match` (§3.14).
//!
//! Writes run inside [`Store::update`](crate::Store::update): the change
//! is computed from the resource as the transaction read it, so a failed
//! PATCH or PUT leaves it untouched and concurrent writers never lose an
//! update.

use http::{header, StatusCode};
use scimkit_entra::ResourceKind;
use scimkit_patch::PatchRequest;
use scimkit_query::ListQuery;
use scimkit_schema::{json::member_ci, ScimError};
use serde_json::Value;

use super::Context;
use crate::exchange::ScimResponse;
use crate::resource::{self, if_match_accepts, precondition_failed, version_of};
use crate::store::Write;

/// The resource as the response shows it, with `ETag` (and `Location`
/// for a creation).
fn respond(
    ctx: &Context<'_>,
    kind: ResourceKind,
    mut stored: Value,
    status: StatusCode,
) -> Result<ScimResponse, ScimError> {
    let version = version_of(&stored);
    let dialect = ctx.service.dialect.as_ref();
    dialect.render(kind, &mut stored, ctx.base);
    let location = stored
        .get("meta")
        .and_then(|m| m.get("location"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let raw = ctx.request.query.unwrap_or_default();
    let query = ListQuery::from_query(raw, dialect.list_options())?;
    let shown = query.compile(dialect.schema(kind))?.project(&stored);
    let mut response =
        ScimResponse::json(status, &shown).with_header(header::ETAG, &resource::etag(version));
    if let (StatusCode::CREATED, Some(location)) = (status, location) {
        response = response.with_header(header::LOCATION, &location);
    }
    Ok(response)
}

/// `If-Match`, checked against the stored resource.
fn check_if_match(ctx: &Context<'_>, current: &Value) -> Result<(), ScimError> {
    match ctx.header(header::IF_MATCH) {
        Some(tags) if !if_match_accepts(tags, version_of(current)) => Err(precondition_failed()),
        _ => Ok(()),
    }
}

/// `schemas` must name the core schema; a body without `schemas` gets it.
fn check_schemas(body: &mut Value, kind: ResourceKind, core: &str) -> Result<(), ScimError> {
    let Some(obj) = body.as_object_mut() else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    };
    match member_ci(&Value::Object(obj.clone()), "schemas") {
        None => {
            obj.insert(
                "schemas".into(),
                Value::Array(vec![Value::String(core.into())]),
            );
            Ok(())
        }
        Some(Value::Array(list))
            if list
                .iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(core))) =>
        {
            Ok(())
        }
        Some(_) => Err(ScimError::invalid_syntax(format!(
            "\"schemas\" must list {core} for a {kind}"
        ))),
    }
}

fn refuse_password_change(ctx: &Context<'_>, hash: &Option<String>) -> Result<(), ScimError> {
    if hash.is_some() && !ctx.service.dialect.password_changeable() {
        return Err(ScimError::mutability(
            "the password can only be set when the user is created",
        ));
    }
    Ok(())
}

pub(super) fn get(
    ctx: &Context<'_>,
    kind: ResourceKind,
    id: &str,
) -> Result<ScimResponse, ScimError> {
    let stored = ctx
        .service
        .store
        .get(kind, id)?
        .ok_or_else(|| not_found(kind, id))?;
    respond(ctx, kind, stored, StatusCode::OK)
}

pub(super) fn create(ctx: &Context<'_>, kind: ResourceKind) -> Result<ScimResponse, ScimError> {
    let dialect = ctx.service.dialect.as_ref();
    let schema = dialect.schema(kind);
    let mut body = ctx.json_body()?;
    check_schemas(&mut body, kind, &schema.core().id)?;
    dialect.prepare_create(kind, &mut body)?;
    let (doc, password_hash) = resource::prepare(kind, schema, body, None, &resource::new_id())?;
    let stored = ctx
        .service
        .store
        .create(kind, Write { doc, password_hash })?;
    respond(ctx, kind, stored, StatusCode::CREATED)
}

/// Stores what `make` computes from the current resource (the new
/// document and password hash), inside the store's transaction, after
/// `If-Match` and before the dialect's update rules.
fn write_through(
    ctx: &Context<'_>,
    kind: ResourceKind,
    id: &str,
    make: &dyn Fn(&Value) -> Result<resource::Prepared, ScimError>,
) -> Result<Value, ScimError> {
    let dialect = ctx.service.dialect.as_ref();
    ctx.service.store.update(kind, id, &mut |current| {
        check_if_match(ctx, &current)?;
        let (doc, password_hash) = make(&current)?;
        dialect.check_update(kind, &current, &doc)?;
        refuse_password_change(ctx, &password_hash)?;
        Ok(Write { doc, password_hash })
    })
}

pub(super) fn replace(
    ctx: &Context<'_>,
    kind: ResourceKind,
    id: &str,
) -> Result<ScimResponse, ScimError> {
    let schema = ctx.service.dialect.schema(kind);
    let mut body = ctx.json_body()?;
    check_schemas(&mut body, kind, &schema.core().id)?;
    let stored = write_through(ctx, kind, id, &|current| {
        resource::prepare(kind, schema, body.clone(), Some(current), id)
    })?;
    respond(ctx, kind, stored, StatusCode::OK)
}

pub(super) fn patch(
    ctx: &Context<'_>,
    kind: ResourceKind,
    id: &str,
) -> Result<ScimResponse, ScimError> {
    let dialect = ctx.service.dialect.as_ref();
    let schema = dialect.schema(kind);
    let body = ctx.json_body()?;
    let request = PatchRequest::from_value(&body, &ctx.service.patch)?;
    dialect.check_patch(kind, id, &request)?;
    let stored = write_through(ctx, kind, id, &|current| {
        let mut doc = current.clone();
        request.apply(&mut doc, schema)?;
        resource::patched(doc, schema, current)
    })?;
    if dialect.patch_no_content() {
        let version = version_of(&stored);
        return Ok(ScimResponse::empty(StatusCode::NO_CONTENT)
            .with_header(header::ETAG, &resource::etag(version)));
    }
    respond(ctx, kind, stored, StatusCode::OK)
}

pub(super) fn delete(
    ctx: &Context<'_>,
    kind: ResourceKind,
    id: &str,
) -> Result<ScimResponse, ScimError> {
    ctx.service
        .store
        .delete(kind, id, &mut |current| check_if_match(ctx, current))?;
    Ok(ScimResponse::empty(StatusCode::NO_CONTENT))
}

fn not_found(kind: ResourceKind, id: &str) -> ScimError {
    crate::store::not_found(kind, id)
}
