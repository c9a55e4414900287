//! [`Service`]: one SCIM service provider, framework-neutral. It takes a
//! [`ScimRequest`] and gives a [`ScimResponse`]; every failure, an unknown
//! route or method included, is a SCIM Error body with its status.
//!
//! The checks run in this order, so that each request meets the first
//! rule it breaks: route (`404`), authentication (`401`), method (`405`),
//! `Accept` (dialect), body size (`413`), content type (`415`), then the
//! handler.

use std::sync::Arc;

use http::{header, HeaderMap, Method};
use scimkit_cursor::CursorCodec;
use scimkit_patch::PatchOptions;
use scimkit_schema::ScimError;
use subtle::ConstantTimeEq;

use crate::dialect::Dialect;
use crate::exchange::{ScimRequest, ScimResponse};
use crate::handlers;
use crate::route::{self, Route};
use crate::store::Store;

/// Request limits, each enforced with the error RFC 7644 names.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Limits {
    /// The largest request body (`413`, RFC 7644 §3.12 "payload too
    /// large"). Default 1 MiB.
    pub max_body_bytes: usize,
}

impl Limits {
    /// These limits with [`max_body_bytes`](Self::max_body_bytes) set to `bytes`.
    #[must_use]
    pub fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1 << 20,
        }
    }
}

/// Who may call: bearer tokens, or anyone.
#[derive(Clone, Default)]
pub enum Auth {
    /// No authentication (local play only).
    #[default]
    None,
    /// `Authorization: Bearer <token>` with one of these tokens, compared
    /// in constant time.
    Bearer(Vec<String>),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("Auth::None"),
            Self::Bearer(t) => write!(f, "Auth::Bearer({} tokens)", t.len()),
        }
    }
}

impl Auth {
    fn admits(&self, headers: &HeaderMap) -> bool {
        let Self::Bearer(tokens) = self else {
            return true;
        };
        let Some(given) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("Bearer").then(|| token.trim())
            })
        else {
            return false;
        };
        // Every token is compared, so the time does not tell which matched.
        tokens.iter().fold(false, |found, t| {
            found | bool::from(t.as_bytes().ct_eq(given.as_bytes()))
        })
    }
}

/// A SCIM service provider: a store, a dialect, the cursor codec, PATCH
/// options and request limits.
#[derive(Debug, Clone)]
pub struct Service {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) dialect: Arc<dyn Dialect>,
    pub(crate) codec: Arc<CursorCodec>,
    pub(crate) patch: PatchOptions,
    pub(crate) limits: Limits,
    pub(crate) auth: Auth,
}

impl std::fmt::Debug for dyn Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("dyn Store")
    }
}

impl Service {
    /// A service over `store` speaking `dialect`, signing cursors with
    /// `codec`; strict PATCH, default limits, no authentication.
    pub fn new(store: Arc<dyn Store>, dialect: Arc<dyn Dialect>, codec: CursorCodec) -> Self {
        Self {
            store,
            dialect,
            codec: Arc::new(codec),
            patch: PatchOptions::strict(),
            limits: Limits::default(),
            auth: Auth::None,
        }
    }

    /// With these PATCH options (`PatchOptions::entra()` for `--compat entra`).
    pub fn with_patch_options(mut self, options: PatchOptions) -> Self {
        self.patch = options;
        self
    }

    /// With these limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// With this authentication.
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// The dialect.
    pub fn dialect(&self) -> &dyn Dialect {
        self.dialect.as_ref()
    }

    /// Answers one request.
    pub fn handle(&self, request: &ScimRequest<'_>) -> ScimResponse {
        match self.dispatch(request) {
            Ok(response) => response,
            Err(error) => {
                let response = ScimResponse::error(&error);
                if error.status() == 401 {
                    response.with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"scimkit\"")
                } else {
                    response
                }
            }
        }
    }

    fn dispatch(&self, request: &ScimRequest<'_>) -> Result<ScimResponse, ScimError> {
        let Some((route, base_path)) = route::parse(request.path) else {
            return Err(ScimError::with_status(
                404,
                format!(
                    "no SCIM endpoint at {}",
                    scimkit_schema::error::excerpt(request.path)
                ),
            ));
        };
        if !self.auth.admits(request.headers) {
            return Err(ScimError::with_status(
                401,
                "a valid bearer token is required (Authorization: Bearer <token>)",
            ));
        }
        let allowed = allowed_methods(&route, self.dialect.as_ref());
        if !allowed.contains(&request.method) {
            let list: Vec<&str> = allowed.iter().map(Method::as_str).collect();
            return Ok(ScimResponse::error(&ScimError::with_status(
                405,
                format!("{} is not allowed here", request.method),
            ))
            .with_header(header::ALLOW, &list.join(", ")));
        }
        if self.dialect.requires_accept_json() && !accepts_json(request.headers) {
            return Err(ScimError::invalid_syntax(
                "HTTP Accept header for application/json is missing",
            ));
        }
        let with_body = matches!(request.method, Method::POST | Method::PUT | Method::PATCH);
        if request.body.len() > self.limits.max_body_bytes {
            return Err(ScimError::with_status(
                413,
                format!(
                    "the request body exceeds {} bytes",
                    self.limits.max_body_bytes
                ),
            ));
        }
        if with_body && !json_content(request.headers) {
            return Err(ScimError::with_status(
                415,
                "the body must be application/scim+json or application/json",
            ));
        }
        let host = request
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let base = route::base(host, base_path);
        let ctx = handlers::Context {
            service: self,
            request,
            base: &base,
        };
        handlers::route(&ctx, route)
    }
}

/// The methods an endpoint answers.
fn allowed_methods(route: &Route, dialect: &dyn Dialect) -> Vec<Method> {
    match route {
        Route::Collection(_) => vec![Method::GET, Method::POST],
        Route::Resource(..) if dialect.supports_put() => {
            vec![Method::GET, Method::PUT, Method::PATCH, Method::DELETE]
        }
        Route::Resource(..) => vec![Method::GET, Method::PATCH, Method::DELETE],
        Route::Search(_) => vec![Method::POST],
        _ => vec![Method::GET],
    }
}

/// Whether a media type header value names JSON (`application/json`,
/// `application/scim+json`), parameters ignored.
fn is_json_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("application/scim+json")
}

fn json_content(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json_type)
}

/// Entra: `Accept` must list `application/json` (fact sheet A2, A6).
fn accepts_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            range
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("application/json")
        })
}
