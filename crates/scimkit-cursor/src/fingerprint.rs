//! [`QueryFingerprint`]: the query a cursor belongs to, as a SHA-256 hash.

use std::fmt;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::query;

const DOMAIN: &[u8] = b"scimkit-cursor query fingerprint v1\0";

/// A 32-byte SHA-256 fingerprint of a query's result-shaping parameters.
///
/// ```
/// use scimkit_cursor::QueryFingerprint;
///
/// let get = QueryFingerprint::builder()
///     .resource_type("User")
///     .query("filter=userName%20sw%20%22J%22&attributes=userName,displayName&count=10&cursor")
///     .build();
/// let post = QueryFingerprint::builder()
///     .resource_type("User")
///     .search_body(&serde_json::json!({
///         "filter": "userName sw \"J\"",
///         "attributes": ["displayName", "userName"],
///         "count": 10, "cursor": ""}))
///     .build();
/// assert_eq!(get, post);
/// assert_ne!(get, QueryFingerprint::builder().resource_type("Group").build());
/// ```
///
/// RFC 9865 requires every page request to repeat the first request's
/// parameters, with only `cursor` changing. A token records the fingerprint
/// of its query; presenting it with another query fails with
/// [`WrongQuery`](crate::CursorErrorKind::WrongQuery).
///
/// # What is bound, and how it is normalised
///
/// | Part | Normalisation | Why |
/// |---|---|---|
/// | resource type | ASCII-lowercased, trimmed | `/Users` and `/users` are one endpoint for most servers |
/// | `filter` | trimmed; **otherwise exact** | equivalent spellings (`userName eq "a"` vs `USERNAME  eq "a"`) differ: pass the canonical text (scimkit-filter's `Display`) to bind the meaning rather than the spelling |
/// | `sortBy` | ASCII-lowercased, trimmed | attribute names are case-insensitive (RFC 7643 §2.1) |
/// | `sortOrder` | ASCII-lowercased, trimmed; absent or empty = `ascending` | RFC 7644 §3.4.2.3 default |
/// | `attributes`, `excludedAttributes` | split on `,`, each trimmed and ASCII-lowercased, empties dropped, sorted, deduplicated | a set of case-insensitive names: order and case do not change the result |
/// | extra bindings ([`extra`](QueryFingerprintBuilder::extra)) | name lowercased, value exact, sorted by name then value | server-defined context: tenant, actor, API version |
///
/// `count`, `cursor` and `startIndex` are **not** bound. The page size is
/// recorded in the token separately so a changed `count` answers
/// `invalidCount` (RFC 9865's keyword for it), not `invalidCursor`.
///
/// A parameter given more than once is bound with all its values in order
/// (lists concatenate; for `attributes` the union is taken). The same
/// query sent as `GET ?...` and as a `POST /.search` body gets the same
/// fingerprint, so a cursor from one works with the other.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueryFingerprint([u8; 32]);

impl QueryFingerprint {
    /// A builder; call [`build`](QueryFingerprintBuilder::build) when done.
    pub fn builder() -> QueryFingerprintBuilder {
        QueryFingerprintBuilder::default()
    }

    /// The fingerprint of a query string's `filter`, `sortBy`, `sortOrder`,
    /// `attributes` and `excludedAttributes` (no resource type). Shorthand
    /// for `builder().query(query).build()`.
    pub fn from_query(query: &str) -> Self {
        Self::builder().query(query).build()
    }

    /// The fingerprint of a `POST /.search` body (no resource type).
    pub fn from_search_body(body: &Value) -> Self {
        Self::builder().search_body(body).build()
    }

    /// The 32 hash bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// From 32 hash bytes (for example a fingerprint stored by a server).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for QueryFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueryFingerprint(")?;
        for b in self.0.iter().take(8) {
            write!(f, "{b:02x}")?;
        }
        f.write_str("…)")
    }
}

/// Collects the parts of a query; see the [`QueryFingerprint`] for the
/// normalisation.
#[derive(Debug, Clone, Default)]
pub struct QueryFingerprintBuilder {
    resource_type: Vec<u8>,
    filter: Vec<Vec<u8>>,
    sort_by: Vec<Vec<u8>>,
    sort_order: Vec<Vec<u8>>,
    attributes: Vec<Vec<u8>>,
    excluded: Vec<Vec<u8>>,
    extra: Vec<(Vec<u8>, Vec<u8>)>,
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn lower(b: &[u8]) -> Vec<u8> {
    trim(b).to_ascii_lowercase()
}

fn push_list(into: &mut Vec<Vec<u8>>, list: &[u8]) {
    into.extend(
        list.split(|&c| c == b',')
            .map(lower)
            .filter(|item| !item.is_empty()),
    );
}

impl QueryFingerprintBuilder {
    /// The resource type or endpoint (`User`, `/Users`): whatever the server
    /// uses consistently.
    pub fn resource_type(mut self, name: &str) -> Self {
        self.resource_type = lower(name.as_bytes());
        self
    }

    /// A `filter` (decoded text). Pass the canonical form if equivalent
    /// spellings should share cursors.
    pub fn filter(mut self, filter: &str) -> Self {
        self.filter.push(trim(filter.as_bytes()).to_vec());
        self
    }

    /// A `sortBy` attribute path.
    pub fn sort_by(mut self, path: &str) -> Self {
        self.sort_by.push(lower(path.as_bytes()));
        self
    }

    /// A `sortOrder` (`ascending` / `descending`, any case).
    pub fn sort_order(mut self, order: &str) -> Self {
        self.sort_order.push(lower(order.as_bytes()));
        self
    }

    /// An `attributes` list (comma-separated, as in a query string).
    pub fn attributes(mut self, list: &str) -> Self {
        push_list(&mut self.attributes, list.as_bytes());
        self
    }

    /// An `excludedAttributes` list (comma-separated).
    pub fn excluded_attributes(mut self, list: &str) -> Self {
        push_list(&mut self.excluded, list.as_bytes());
        self
    }

    /// A server-defined binding (tenant, actor, API version...): a cursor
    /// issued under one value is refused under another.
    pub fn extra(mut self, name: &str, value: &str) -> Self {
        self.extra
            .push((lower(name.as_bytes()), value.as_bytes().to_vec()));
        self
    }

    /// Take `filter`, `sortBy`, `sortOrder`, `attributes` and
    /// `excludedAttributes` from a query string (names in any case,
    /// values percent-decoded; a malformed escape is kept literally).
    /// Every other parameter, `count` and `cursor` included, is ignored.
    pub fn query(mut self, query: &str) -> Self {
        for p in query::split(query) {
            let name = query::decode_lossy(p.name);
            let value = query::decode_lossy(p.value.unwrap_or(""));
            self.add(&name, &value);
        }
        self
    }

    /// Take the same parameters from a `POST /.search` body (keys in any
    /// case). `attributes` may be an array of names or one comma-separated
    /// string. Non-string values are bound by their JSON text.
    pub fn search_body(mut self, body: &Value) -> Self {
        let Some(map) = body.as_object() else {
            return self;
        };
        for (key, value) in map {
            match value {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        self.add(key.as_bytes(), json_text(item).as_bytes());
                    }
                }
                other => self.add(key.as_bytes(), json_text(other).as_bytes()),
            }
        }
        self
    }

    fn add(&mut self, name: &[u8], value: &[u8]) {
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        if is("filter") {
            self.filter.push(trim(value).to_vec());
        } else if is("sortBy") {
            self.sort_by.push(lower(value));
        } else if is("sortOrder") {
            self.sort_order.push(lower(value));
        } else if is("attributes") {
            push_list(&mut self.attributes, value);
        } else if is("excludedAttributes") {
            push_list(&mut self.excluded, value);
        }
    }

    /// Hash the collected parts.
    pub fn build(mut self) -> QueryFingerprint {
        // sortOrder: absent or empty means ascending (RFC 7644 §3.4.2.3).
        for order in &mut self.sort_order {
            if order.is_empty() {
                order.extend_from_slice(b"ascending");
            }
        }
        if self.sort_order.is_empty() {
            self.sort_order.push(b"ascending".to_vec());
        }
        self.attributes.sort();
        self.attributes.dedup();
        self.excluded.sort();
        self.excluded.dedup();
        self.extra.sort();

        let mut h = Sha256::new();
        h.update(DOMAIN);
        field(&mut h, 1, &self.resource_type);
        list(&mut h, 2, &self.filter);
        list(&mut h, 3, &self.sort_by);
        list(&mut h, 4, &self.sort_order);
        list(&mut h, 5, &self.attributes);
        list(&mut h, 6, &self.excluded);
        h.update([7]);
        h.update((self.extra.len() as u64).to_be_bytes());
        for (name, value) in &self.extra {
            field(&mut h, 8, name);
            field(&mut h, 9, value);
        }
        QueryFingerprint(h.finalize().into())
    }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// tag, length (u64 BE), bytes: an unambiguous concatenation.
fn field(h: &mut Sha256, tag: u8, bytes: &[u8]) {
    h.update([tag]);
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn list(h: &mut Sha256, tag: u8, items: &[Vec<u8>]) {
    h.update([tag]);
    h.update((items.len() as u64).to_be_bytes());
    for item in items {
        field(h, 0, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(s: &str) -> QueryFingerprint {
        QueryFingerprint::from_query(s)
    }

    #[test]
    fn ignores_paging_and_unknown_params() {
        assert_eq!(
            q("filter=a&count=5&cursor=xyz&startIndex=3&foo=bar"),
            q("filter=a")
        );
    }

    #[test]
    fn normalisation() {
        assert_eq!(q("sortBy=userName"), q("SORTBY=USERNAME"));
        assert_eq!(
            q("sortBy=userName"),
            q("sortBy=userName&sortOrder=ascending")
        );
        assert_eq!(q("sortBy=userName"), q("sortBy=userName&sortOrder="));
        assert_eq!(q("sortOrder=Descending"), q("sortOrder=descending"));
        assert_ne!(q("sortOrder=descending"), q(""));
        assert_eq!(q("attributes=b,a"), q("attributes=A,%20b,,a"));
        assert_eq!(q("attributes=a&attributes=b"), q("attributes=a,b"));
        assert_eq!(q("filter=+x+"), q("filter=x"));
        assert_ne!(q("filter=x"), q("filter=X"));
        assert_ne!(q("filter=x"), q("filter=x&filter=x"));
        assert_ne!(q("attributes=a"), q("excludedAttributes=a"));
        assert_ne!(q("filter=a,b"), q("filter=a&filter=b"));
        assert_ne!(q("sortBy=a&sortBy=b"), q("sortBy=b&sortBy=a"));
    }

    #[test]
    fn parts_do_not_run_together() {
        assert_ne!(q("filter=ab"), q("filter=a&sortBy=b"));
        let a = QueryFingerprint::builder().extra("t", "1").build();
        let b = QueryFingerprint::builder().extra("t", "2").build();
        let c = QueryFingerprint::builder().extra("T", "1").build();
        assert_ne!(a, b);
        assert_eq!(a, c);
        assert_ne!(a, QueryFingerprint::builder().build());
    }

    #[test]
    fn resource_type_is_bound() {
        let u = QueryFingerprint::builder().resource_type("User").build();
        assert_eq!(
            u,
            QueryFingerprint::builder().resource_type(" user ").build()
        );
        assert_ne!(
            u,
            QueryFingerprint::builder().resource_type("Group").build()
        );
        assert_ne!(u, QueryFingerprint::builder().build());
    }

    #[test]
    fn search_body_matches_query() {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "Filter": "displayName sw \"smith\"",
            "attributes": ["displayName", "userName"],
            "excludedAttributes": "emails",
            "sortBy": "displayName",
            "cursor": "", "count": 10});
        assert_eq!(
            QueryFingerprint::from_search_body(&body),
            q(
                "filter=displayName+sw+%22smith%22&attributes=userName,displayName\
               &excludedAttributes=emails&sortBy=displayName"
            )
        );
        assert_eq!(QueryFingerprint::from_search_body(&json!([])), q(""));
    }
}
