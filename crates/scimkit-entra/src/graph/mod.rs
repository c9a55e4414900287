//! Microsoft Graph requests: what a SCIM PATCH becomes on Graph
//! ([`patch_to_graph`]), and the JSON `$batch` bodies that carry them
//! ([`to_batches`]).
//!
//! A [`GraphRequest`] holds a method, a URL relative to the Graph v1.0 root
//! ([`GRAPH_V1`]), as `$batch` wants it, and an optional
//! JSON body. It serializes as `{"method": "PATCH", "url": "/users/{id}",
//! "body": {...}}` (`"body": null` when there is none).

mod patch;

pub use crate::options::{GraphOptions, NotWritable};

use std::fmt;
use std::str::FromStr;

use scimkit_schema::{ScimError, ScimType};
use serde::Serialize;
use serde_json::{json, Map, Value};

pub use patch::{patch_to_graph, patch_to_graph_with};

use crate::convert::GRAPH_V1;
use crate::least_privilege::RequiredPermissions;

/// The most requests one Graph JSON `$batch` may hold.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// An HTTP method.
///
/// ```
/// use scimkit_entra::graph::Method;
///
/// let m: Method = "patch".parse()?;
/// assert_eq!(m, Method::Patch);
/// assert_eq!(m.to_string(), "PATCH");
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// Every method.
    pub const ALL: [Self; 5] = [Self::Get, Self::Post, Self::Put, Self::Patch, Self::Delete];

    /// The method in uppercase, as HTTP spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = ScimError;

    /// The method in any ASCII case; anything else is `invalidValue`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                ScimError::new(
                    ScimType::InvalidValue,
                    format!("unknown HTTP method {s:?}: expected GET, POST, PUT, PATCH or DELETE"),
                )
            })
    }
}

/// One Microsoft Graph call.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GraphRequest {
    /// The method.
    pub method: Method,
    /// The URL relative to the Graph v1.0 root: `/users/{id}`,
    /// `/groups/{id}/members/$ref`.
    pub url: String,
    /// The JSON body, if any.
    pub body: Option<Value>,
}

impl GraphRequest {
    /// A request: `method` on `url` (relative to the Graph v1.0 root), with
    /// an optional JSON body.
    pub fn new(method: Method, url: impl Into<String>, body: Option<Value>) -> Self {
        Self {
            method,
            url: url.into(),
            body,
        }
    }

    /// The absolute URL: `https://graph.microsoft.com/v1.0/users/{id}`.
    pub fn absolute_url(&self) -> String {
        format!("{GRAPH_V1}{}", self.url)
    }

    /// This request as an item of a `$batch` body, with the given `id`
    /// (`Content-Type: application/json` when there is a body, as `$batch`
    /// requires).
    pub fn to_batch_item(&self, id: &str) -> Value {
        let mut item = Map::new();
        item.insert("id".to_owned(), Value::String(id.to_owned()));
        item.insert(
            "method".to_owned(),
            Value::String(self.method.as_str().to_owned()),
        );
        item.insert("url".to_owned(), Value::String(self.url.clone()));
        if let Some(body) = &self.body {
            item.insert(
                "headers".to_owned(),
                json!({"Content-Type": "application/json"}),
            );
            item.insert("body".to_owned(), body.clone());
        }
        Value::Object(item)
    }
}

/// What [`patch_to_graph`] gives: the Graph calls, what each needs, and
/// what no Graph call can carry. Serializes as `{"requests": [...],
/// "permissions": [...], "notWritable": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GraphPatch {
    /// The requests, in order.
    pub requests: Vec<GraphRequest>,
    /// What each request needs, by index (as many as `requests`): the
    /// least-privileged Graph permissions, broader ones, admin roles and
    /// notes, from [`required_permissions`](crate::permissions::required_permissions)
    /// for the SCIM targets that made the request.
    pub permissions: Vec<RequiredPermissions>,
    /// Attributes the PATCH writes that no public Graph request can
    /// (`externalId`): the proxy must keep them itself.
    pub not_writable: Vec<NotWritable>,
}

impl GraphPatch {
    /// Each request with what it needs.
    pub fn iter(&self) -> impl Iterator<Item = (&GraphRequest, &RequiredPermissions)> {
        self.requests.iter().zip(&self.permissions)
    }
}

/// `requests` as Graph JSON `$batch` bodies (`POST /$batch`), at most
/// [`MAX_BATCH_REQUESTS`] each, in order. Request ids count from `"1"`
/// across all batches, so every response maps back to its request.
///
/// Graph may run the requests of one batch in any order; the requests of
/// [`patch_to_graph`] are independent of one another (each touches a
/// different property, manager or member), so no `dependsOn` is set. An
/// empty slice gives no batch.
///
/// ```
/// use scimkit_entra::graph::{to_batches, GraphRequest, Method};
///
/// let requests: Vec<GraphRequest> = (0..45)
///     .map(|i| GraphRequest::new(Method::Delete, format!("/groups/g1/members/u{i}/$ref"), None))
///     .collect();
/// let batches = to_batches(&requests);
/// assert_eq!(batches.len(), 3);
/// assert_eq!(batches[2]["requests"][0]["id"], "41");
/// assert_eq!(batches[2]["requests"][4]["url"], "/groups/g1/members/u44/$ref");
/// ```
pub fn to_batches(requests: &[GraphRequest]) -> Vec<Value> {
    requests
        .chunks(MAX_BATCH_REQUESTS)
        .enumerate()
        .map(|(n, chunk)| {
            let items: Vec<Value> = chunk
                .iter()
                .enumerate()
                .map(|(i, r)| r.to_batch_item(&(n * MAX_BATCH_REQUESTS + i + 1).to_string()))
                .collect();
            json!({ "requests": items })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, url: &str, body: Option<Value>) -> GraphRequest {
        GraphRequest {
            method,
            url: url.to_owned(),
            body,
        }
    }

    #[test]
    fn methods_parse_and_print() {
        for m in Method::ALL {
            assert_eq!(m.as_str().to_lowercase().parse::<Method>().unwrap(), m);
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
        assert!("TRACE".parse::<Method>().is_err());
    }

    #[test]
    fn requests_serialize_with_method_url_and_body() {
        let r = req(Method::Patch, "/users/u1", Some(json!({"jobTitle": "X"})));
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"method": "PATCH", "url": "/users/u1", "body": {"jobTitle": "X"}})
        );
        assert_eq!(
            serde_json::to_value(req(Method::Delete, "/users/u1/manager/$ref", None)).unwrap(),
            json!({"method": "DELETE", "url": "/users/u1/manager/$ref", "body": null})
        );
        assert_eq!(
            r.absolute_url(),
            "https://graph.microsoft.com/v1.0/users/u1"
        );
    }

    #[test]
    fn batches_hold_at_most_twenty_with_ids_across_batches() {
        assert!(to_batches(&[]).is_empty());
        let one = to_batches(&[req(Method::Patch, "/users/u1", Some(json!({"a": 1})))]);
        assert_eq!(
            one,
            [
                json!({"requests": [{"id": "1", "method": "PATCH", "url": "/users/u1",
                "headers": {"Content-Type": "application/json"}, "body": {"a": 1}}]})
            ]
        );
        for n in [20usize, 21, 40, 41] {
            let requests: Vec<_> = (0..n)
                .map(|i| req(Method::Delete, &format!("/groups/g/members/{i}/$ref"), None))
                .collect();
            let batches = to_batches(&requests);
            assert_eq!(batches.len(), n.div_ceil(20), "{n}");
            let mut seen = 0;
            for b in &batches {
                let items = b["requests"].as_array().unwrap();
                assert!(items.len() <= MAX_BATCH_REQUESTS);
                for item in items {
                    seen += 1;
                    assert_eq!(item["id"], seen.to_string());
                    assert_eq!(item["url"], format!("/groups/g/members/{}/$ref", seen - 1));
                    assert!(item.get("headers").is_none() && item.get("body").is_none());
                }
            }
            assert_eq!(seen, n);
        }
    }
}
