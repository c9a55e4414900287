//! The framework-neutral request and response: what the core takes and
//! gives, built on the `http` crate's types so that any Rust HTTP stack
//! (axum, hyper, actix through a conversion) can carry them.

use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use scimkit_schema::ScimError;
use serde_json::Value;

/// One HTTP request, as the core sees it.
#[derive(Debug)]
pub struct ScimRequest<'a> {
    /// The method.
    pub method: Method,
    /// The path, still percent-encoded (`/scim/v2/Users/abc`).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: Option<&'a str>,
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The body bytes (already limited in size by the front end, or
    /// checked here against [`Limits::max_body_bytes`](crate::Limits)).
    pub body: &'a [u8],
}

/// One HTTP response: a status, headers, and a JSON body or none.
#[derive(Debug, Clone)]
pub struct ScimResponse {
    /// The status.
    pub status: StatusCode,
    /// Headers (`Content-Type`, `ETag`, `Location`, `WWW-Authenticate`).
    pub headers: HeaderMap,
    /// The body, already serialised.
    pub body: Vec<u8>,
}

/// The media type of every SCIM response body (RFC 7644 §3.1).
pub const SCIM_JSON: &str = "application/scim+json";

impl ScimResponse {
    /// A JSON response.
    pub fn json(status: StatusCode, body: &Value) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        Self {
            status,
            headers,
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    /// A response without a body.
    pub fn empty(status: StatusCode) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// The SCIM Error JSON of `error` with its status (RFC 7644 §3.12).
    pub fn error(error: &ScimError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_value(error).unwrap_or(Value::Null);
        Self::json(status, &body)
    }

    /// Adds a header (values that are not valid header text are dropped).
    pub fn with_header(mut self, name: header::HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.insert(name, v);
        }
        self
    }
}
