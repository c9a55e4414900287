//! The endpoint handlers: discovery, list and search, and one resource's
//! lifecycle. Each takes the request's [`Context`] and returns a response
//! or a `ScimError`, which [`Service::handle`](crate::Service::handle)
//! turns into the SCIM Error body.

mod discovery;
mod list;
mod resources;

use http::{header, Method};
use scimkit_schema::ScimError;
use serde_json::Value;

use crate::dialect::Base;
use crate::exchange::{ScimRequest, ScimResponse};
use crate::route::Route;
use crate::service::Service;

/// What every handler needs.
pub(crate) struct Context<'a> {
    pub(crate) service: &'a Service,
    pub(crate) request: &'a ScimRequest<'a>,
    pub(crate) base: &'a Base,
}

impl Context<'_> {
    /// The body as JSON.
    ///
    /// Errors: `invalidSyntax` naming the line and column of the fault.
    pub(crate) fn json_body(&self) -> Result<Value, ScimError> {
        serde_json::from_slice(self.request.body)
            .map_err(|e| ScimError::invalid_syntax(format!("the body is not valid JSON: {e}")))
    }

    /// A request header as text.
    pub(crate) fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.request.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Dispatches on the route (the method is already allowed there).
pub(crate) fn route(ctx: &Context<'_>, route: Route) -> Result<ScimResponse, ScimError> {
    let method = &ctx.request.method;
    match route {
        Route::ServiceProviderConfig => Ok(discovery::service_provider_config(ctx)),
        Route::Schemas => Ok(discovery::schemas(ctx)),
        Route::Schema(id) => discovery::schema(ctx, &id),
        Route::ResourceTypes => Ok(discovery::resource_types(ctx)),
        Route::ResourceType(name) => discovery::resource_type(ctx, &name),
        Route::Search(kind) => list::search(ctx, kind),
        Route::Collection(kind) if method == Method::GET => list::list(ctx, kind),
        Route::Collection(kind) => resources::create(ctx, kind),
        Route::Resource(kind, id) => match *method {
            Method::GET => resources::get(ctx, kind, &id),
            Method::PUT => resources::replace(ctx, kind, &id),
            Method::PATCH => resources::patch(ctx, kind, &id),
            _ => resources::delete(ctx, kind, &id),
        },
    }
}
