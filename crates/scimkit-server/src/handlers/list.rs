//! `GET /Users`, `GET /Groups`, `POST /Users/.search`, `POST /.search`
//! (RFC 7644 §3.4.2, §3.4.3; RFC 9865 cursors).
//!
//! The query is parsed once ([`ListQuery`]), checked against the
//! dialect's subset and page sizes, and run by the store in SQL: filter,
//! order, the cursor's keyset position and the page size are all pushed
//! down; one extra row tells whether another page follows.

use http::StatusCode;
use scimkit_cursor::{Direction, PaginationMethod};
use scimkit_entra::ResourceKind;
use scimkit_query::{CompiledListQuery, ListQuery};
use scimkit_schema::ScimError;
use scimkit_sql::Position;
use serde_json::{json, Map, Value};

use super::Context;
use crate::exchange::ScimResponse;
use crate::store::ListPlan;

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

pub(super) fn list(ctx: &Context<'_>, kind: ResourceKind) -> Result<ScimResponse, ScimError> {
    let dialect = ctx.service.dialect.as_ref();
    let raw = ctx.request.query.unwrap_or_default();
    dialect.check_query_string(raw)?;
    let query = ListQuery::from_query(raw, dialect.list_options())?;
    respond(ctx, kind, &query)
}

pub(super) fn search(
    ctx: &Context<'_>,
    kind: Option<ResourceKind>,
) -> Result<ScimResponse, ScimError> {
    let dialect = ctx.service.dialect.as_ref();
    if !dialect.supports_search() {
        return Err(ScimError::with_status(
            404,
            "this service has no .search endpoint",
        ));
    }
    let body = ctx.json_body()?;
    let query = ListQuery::from_search_body(&body, dialect.list_options())?;
    match kind {
        Some(kind) => respond(ctx, kind, &query),
        None => respond_root(ctx, &query),
    }
}

/// One page of one resource type.
fn respond(
    ctx: &Context<'_>,
    kind: ResourceKind,
    query: &ListQuery,
) -> Result<ScimResponse, ScimError> {
    let service = ctx.service;
    let dialect = service.dialect.as_ref();
    let schema = dialect.schema(kind);
    let page_size = dialect.check_list(kind, query)?;
    let compiled = query.compile(schema)?;
    let keyset = compiled.cursor_keyset(&service.codec)?;
    let position = keyset.map(|k| match k.direction {
        Direction::Previous => Position::before(k.sort_values, k.id),
        _ => Position::after(k.sort_values, k.id),
    });
    let backward = position
        .as_ref()
        .is_some_and(|p| p.seek == scimkit_sql::Seek::Before);
    let offset = compiled
        .page_request()
        .start_index()
        .map_or(0, |i| i.saturating_sub(1));
    let plan = ListPlan {
        schema,
        filter: query.filter(),
        compile: query.options().compile,
        sort: query.sort(),
        position: position.as_ref(),
        offset,
        limit: u64::from(page_size) + 1,
        count_total: dialect.total_results(query.filter().is_some()),
        memberships: returns_memberships(&compiled, kind),
    };
    let listed = service.store.list(kind, &plan)?;
    let mut rows = listed.rows;
    let more = rows.len() > page_size as usize;
    if more {
        if backward {
            rows.remove(0);
        } else {
            rows.truncate(page_size as usize);
        }
    }
    let cursor_paging = compiled.page_request().method() == PaginationMethod::Cursor;
    let mut response = Map::new();
    response.insert("schemas".into(), json!([LIST_RESPONSE]));
    if let Some(total) = listed.total {
        response.insert("totalResults".into(), json!(total));
    }
    response.insert("itemsPerPage".into(), json!(rows.len()));
    if cursor_paging {
        let has_next = if backward { !rows.is_empty() } else { more };
        let has_previous = if backward { more } else { position.is_some() };
        if let (true, Some(last)) = (has_next, rows.last()) {
            response.insert(
                "nextCursor".into(),
                json!(compiled.next_cursor(&service.codec, last)?),
            );
        }
        if let (true, Some(first), true) =
            (has_previous, rows.first(), dialect.serves_previous_cursor())
        {
            response.insert(
                "previousCursor".into(),
                json!(compiled.previous_cursor(&service.codec, first)?),
            );
        }
    } else {
        response.insert("startIndex".into(), json!(offset + 1));
    }
    let resources = render_all(ctx, kind, &compiled, rows);
    response.insert(dialect.resources_key().into(), Value::Array(resources));
    Ok(ScimResponse::json(StatusCode::OK, &Value::Object(response)))
}

/// Rows as the wire shows them: rendered by the dialect, then projected.
fn render_all(
    ctx: &Context<'_>,
    kind: ResourceKind,
    compiled: &CompiledListQuery<'_>,
    rows: Vec<Value>,
) -> Vec<Value> {
    rows.into_iter()
        .map(|mut row| {
            ctx.service.dialect.render(kind, &mut row, ctx.base);
            compiled.project(&row)
        })
        .collect()
}

/// Whether the response shows the memberships attribute of `kind`
/// (`groups` of users, `members` of groups) under the query's projection.
///
/// Asked of the projection itself, on a resource holding only that
/// attribute with every sub-attribute: whatever `attributes`,
/// `excludedAttributes` and the schema's `returned` say, the answer is the
/// one the real rows will get.
fn returns_memberships(compiled: &CompiledListQuery<'_>, kind: ResourceKind) -> bool {
    let attribute = match kind {
        ResourceKind::User => "groups",
        _ => "members",
    };
    let probe = json!({
        "id": "probe",
        attribute: [{"value": "probe", "display": "probe", "type": "direct", "$ref": "probe"}]
    });
    compiled.project(&probe).get(attribute).is_some()
}

/// `POST /.search`: Users, then Groups, as one list with index paging
/// (RFC 7644 §3.4.3). A filter must resolve against both resource types;
/// cursors and sorting are per resource type and refused here.
fn respond_root(ctx: &Context<'_>, query: &ListQuery) -> Result<ScimResponse, ScimError> {
    if query.sort().is_some() || query.page().cursor().is_some() {
        return Err(ScimError::invalid_value(
            "a root .search pages by startIndex only and cannot sort; search /Users/.search or /Groups/.search",
        ));
    }
    let service = ctx.service;
    let count = u64::from(query.page().count());
    let mut skip = query
        .page()
        .start_index()
        .map_or(0, |i| i.saturating_sub(1));
    let mut resources = Vec::new();
    let mut total = 0u64;
    for kind in ResourceKind::ALL {
        let schema = service.dialect.schema(kind);
        let compiled = query.compile(schema)?;
        let plan = ListPlan {
            schema,
            filter: query.filter(),
            compile: query.options().compile,
            sort: None,
            position: None,
            offset: skip,
            limit: count.saturating_sub(resources.len() as u64),
            count_total: true,
            memberships: returns_memberships(&compiled, kind),
        };
        let listed = service.store.list(kind, &plan)?;
        let kind_total = listed.total.unwrap_or_default();
        total += kind_total;
        skip = skip.saturating_sub(kind_total);
        if plan.limit > 0 {
            resources.extend(render_all(ctx, kind, &compiled, listed.rows));
        }
    }
    let mut response = Map::new();
    response.insert("schemas".into(), json!([LIST_RESPONSE]));
    response.insert("totalResults".into(), json!(total));
    response.insert("itemsPerPage".into(), json!(resources.len()));
    response.insert(
        "startIndex".into(),
        json!(query.page().start_index().unwrap_or(1)),
    );
    response.insert(
        service.dialect.resources_key().into(),
        Value::Array(resources),
    );
    Ok(ScimResponse::json(StatusCode::OK, &Value::Object(response)))
}
