//! The axum front end: every request goes to [`Service::handle`] on a
//! blocking thread (the store is synchronous), bodies limited to the
//! service's `max_body_bytes` before they are read whole.

use std::net::SocketAddr;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{Request, Response};
use axum::Router;
use scimkit_schema::ScimError;

use crate::exchange::{ScimRequest, ScimResponse};
use crate::service::Service;

/// An axum `Router` that answers every path with `service` (its own
/// routing gives SCIM errors for unknown paths and methods).
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub fn router(service: Service) -> Router {
    Router::new().fallback(handle).with_state(service)
}

async fn handle(State(service): State<Service>, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let limit = service.limits.max_body_bytes;
    // One byte over the limit is enough for the core to refuse with 413.
    let bytes = match to_bytes(body, limit.saturating_add(1)).await {
        Ok(b) => b,
        Err(_) => {
            return into_response(ScimResponse::error(&ScimError::with_status(
                413,
                format!("the request body exceeds {limit} bytes"),
            )))
        }
    };
    let answer = tokio::task::spawn_blocking(move || {
        service.handle(&ScimRequest {
            method: parts.method.clone(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body: &bytes,
        })
    })
    .await
    .unwrap_or_else(|_| {
        ScimResponse::error(&ScimError::with_status(500, "the request handler failed"))
    });
    into_response(answer)
}

fn into_response(answer: ScimResponse) -> Response<Body> {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers;
    response
}

/// Serves `service` on `listener` until `shutdown` resolves.
///
/// Errors: the listener's I/O errors.
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Service,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(service).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
