//! Which endpoint a path names. Both base paths are served (`/scim/v2`,
//! and Entra's `/rp/scim`), and every fixed segment matches in any ASCII
//! case (Entra documents `/users`, RFC 7644 `/Users`). Segments are
//! percent-decoded; one that is not UTF-8 names no endpoint.

use percent_encoding::percent_decode_str;
use scimkit_entra::ResourceKind;

use crate::dialect::Base;

/// The base paths the API is served under.
pub const BASE_PATHS: [&str; 2] = ["/scim/v2", "/rp/scim"];

/// An endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/Users`, `/Groups`.
    Collection(ResourceKind),
    /// `/Users/{id}`, `/Groups/{id}`.
    Resource(ResourceKind, String),
    /// `/.search` (`None`) or `/Users/.search`.
    Search(Option<ResourceKind>),
    /// `/Schemas`.
    Schemas,
    /// `/Schemas/{urn}`.
    Schema(String),
    /// `/ResourceTypes`.
    ResourceTypes,
    /// `/ResourceTypes/{name}`.
    ResourceType(String),
    /// `/ServiceProviderConfig`.
    ServiceProviderConfig,
}

/// The route of `path` and the base it was reached under, or `None`.
pub(crate) fn parse(path: &str) -> Option<(Route, String)> {
    let (base, rest) = BASE_PATHS.iter().find_map(|base| {
        let head = path.get(..base.len())?;
        let rest = path.get(base.len()..)?;
        (head.eq_ignore_ascii_case(base) && (rest.is_empty() || rest.starts_with('/')))
            .then(|| (head.to_owned(), rest))
    })?;
    let mut segments = Vec::new();
    for raw in rest.split('/').filter(|s| !s.is_empty()) {
        segments.push(percent_decode_str(raw).decode_utf8().ok()?.into_owned());
    }
    let is = |s: &str, name: &str| s.eq_ignore_ascii_case(name);
    let kind = |s: &str| {
        if is(s, "Users") {
            Some(ResourceKind::User)
        } else if is(s, "Groups") {
            Some(ResourceKind::Group)
        } else {
            None
        }
    };
    let route = match segments.as_slice() {
        [one] if is(one, ".search") => Route::Search(None),
        [one] if is(one, "Schemas") => Route::Schemas,
        [one] if is(one, "ResourceTypes") => Route::ResourceTypes,
        [one] if is(one, "ServiceProviderConfig") => Route::ServiceProviderConfig,
        [one] => Route::Collection(kind(one)?),
        [first, second] if is(first, "Schemas") => Route::Schema(second.clone()),
        [first, second] if is(first, "ResourceTypes") => Route::ResourceType(second.clone()),
        [first, second] if is(second, ".search") => Route::Search(Some(kind(first)?)),
        [first, second] => Route::Resource(kind(first)?, second.clone()),
        _ => return None,
    };
    Some((route, base))
}

/// The [`Base`] of a request: its `Host` and the base path it used.
pub(crate) fn base(host: Option<&str>, path: String) -> Base {
    Base {
        origin: host.map(|h| format!("http://{h}")).unwrap_or_default(),
        path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_bases_and_any_case() {
        assert_eq!(
            parse("/scim/v2/Users").map(|r| r.0),
            Some(Route::Collection(ResourceKind::User))
        );
        assert_eq!(
            parse("/rp/scim/users/abc").map(|r| r.0),
            Some(Route::Resource(ResourceKind::User, "abc".into()))
        );
        assert_eq!(
            parse("/RP/SCIM/serviceproviderconfig").map(|r| r.0),
            Some(Route::ServiceProviderConfig)
        );
        assert_eq!(
            parse("/scim/v2/Groups/.search").map(|r| r.0),
            Some(Route::Search(Some(ResourceKind::Group)))
        );
        assert_eq!(
            parse("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").map(|r| r.0),
            Some(Route::Schema(
                "urn:ietf:params:scim:schemas:core:2.0:User".into()
            ))
        );
    }

    #[test]
    fn unknown_paths_and_bad_encodings_are_none() {
        for path in [
            "/",
            "/scim/v3/Users",
            "/scim/v2x/Users",
            "/scim/v2/Devices",
            "/scim/v2/Users/a/b",
            "/scim/v2/Users/%FF",
            "/scim/v2/Users/%C3",
        ] {
            assert_eq!(parse(path), None, "{path}");
        }
        assert_eq!(
            parse("/scim/v2/Users/a%20b").map(|r| r.0),
            Some(Route::Resource(ResourceKind::User, "a b".into()))
        );
    }
}
