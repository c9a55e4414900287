//! Page sizes and query strings (fact sheet A8, A9, A12); the rules are
//! documented on [`page_size`] and [`check_query`].

use scimkit_filter::Span;
use scimkit_schema::{AttrPath, ScimError, ScimType};

use super::Unsupported;
use crate::{ResourceKind, ENTERPRISE_USER_URN};

/// The page size when `count` is absent.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The largest user page (with a projection without `manager`).
pub const MAX_USER_PAGE_SIZE: u32 = 999;
/// The largest group page (also the ServiceProviderConfig's `maxPageSize`).
pub const MAX_GROUP_PAGE_SIZE: u32 = 1000;
/// The user page size when `manager` is returned.
pub const MANAGER_PAGE_SIZE: u32 = 100;
/// The ServiceProviderConfig's `filter.maxResults`.
pub const FILTER_MAX_RESULTS: u32 = 200;

/// The page size Entra uses for `count` on `kind`, given the `attributes`
/// projection (`None`: no projection, so the default attributes, manager
/// included, are returned).
///
/// Errors: `count=0` (`400 invalidCount`: Entra refuses it).
///
/// The rules:
///
/// - `count` sets the page size; the default is [`DEFAULT_PAGE_SIZE`].
/// - Users: up to [`MAX_USER_PAGE_SIZE`], but only with an `attributes`
///   projection that leaves out the enterprise `manager`; when `manager`
///   is returned (no projection, or one naming it), a `count` above
///   [`MANAGER_PAGE_SIZE`] is ignored and 100 is used.
/// - Groups: up to [`MAX_GROUP_PAGE_SIZE`].
/// - `count=0` is answered with `400` (observed on `/users`, A12; assumed
///   for `/groups`), not with an empty page.
/// - What happens above the maximum is undocumented; [`page_size`] caps
///   at it (inferred, as RFC 9865 lets a server lower `count`).
/// - Filtered queries: two documented facts, unreconciled (fact sheet
///   A8). The ServiceProviderConfig publishes `filter.maxResults`
///   [`FILTER_MAX_RESULTS`] (200), and no doc says how it relates to
///   `count`; yet the API reference's own example 1C asks
///   `GET /users?filter=active eq true&count=999&attributes=userName,id,displayName`.
///   Which wins is unverified, so [`page_size`] does not lower `count` for
///   filtered queries, and a client should accept pages of either size
///   (and follow `nextCursor`).
/// - Query strings: only `filter`, `attributes`, `excludedAttributes`,
///   `count` and `cursor`; any whitespace around `=`, encoded or not, is a
///   `400` ([`check_query`]).
///
/// ```
/// use scimkit_entra::{api::page_size, ResourceKind};
/// use scimkit_schema::AttrPath;
///
/// let user_name = [AttrPath::parse("userName")?];
/// assert_eq!(page_size(ResourceKind::User, Some(500), Some(&user_name))?, 500);
/// // Without a projection the manager is returned: 100 at most.
/// assert_eq!(page_size(ResourceKind::User, Some(500), None)?, 100);
/// assert_eq!(page_size(ResourceKind::User, Some(5000), Some(&user_name))?, 999);
/// // Example 1C of the API reference (filtered): count=999 with a projection.
/// let ex_1c = [AttrPath::parse("userName")?, AttrPath::parse("id")?, AttrPath::parse("displayName")?];
/// assert_eq!(page_size(ResourceKind::User, Some(999), Some(&ex_1c))?, 999);
/// assert_eq!(page_size(ResourceKind::Group, Some(5000), None)?, 1000);
/// assert_eq!(page_size(ResourceKind::Group, None, None)?, 100);
/// assert!(page_size(ResourceKind::User, Some(0), None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn page_size(
    kind: ResourceKind,
    count: Option<u32>,
    attributes: Option<&[AttrPath]>,
) -> Result<u32, ScimError> {
    let requested = match count {
        None => return Ok(DEFAULT_PAGE_SIZE),
        Some(0) => {
            return Err(ScimError::new(
                ScimType::InvalidCount,
                "Entra answers count=0 with 400; ask for at least one result",
            ))
        }
        Some(n) => n,
    };
    Ok(match kind {
        ResourceKind::User if requested > MANAGER_PAGE_SIZE && projects_manager(attributes) => {
            MANAGER_PAGE_SIZE
        }
        ResourceKind::User => requested.min(MAX_USER_PAGE_SIZE),
        ResourceKind::Group => requested.min(MAX_GROUP_PAGE_SIZE),
    })
}

/// Whether a user query returns the enterprise `manager`: with no
/// `attributes` projection (it is returned by default), or a projection
/// naming it (`urn:...:enterprise:2.0:User:manager`, its `.value`, the
/// whole enterprise extension, or a bare `manager`, which Entra wants
/// URN-qualified but which is counted to be safe).
pub fn projects_manager(attributes: Option<&[AttrPath]>) -> bool {
    let Some(paths) = attributes else {
        return true;
    };
    paths.iter().any(|p| {
        p.is_urn(ENTERPRISE_USER_URN)
            || (p.attribute().eq_ignore_ascii_case("manager")
                && p.schema()
                    .is_none_or(|s| s.eq_ignore_ascii_case(ENTERPRISE_USER_URN)))
    })
}

/// The query parameters Entra's SCIM API takes.
const PARAMETERS: [&str; 5] = [
    "filter",
    "attributes",
    "excludedAttributes",
    "count",
    "cursor",
];

/// Check a query string (with or without the leading `?`) against Entra's
/// rules: only `filter`, `attributes`, `excludedAttributes`, `count`
/// (a positive integer) and `cursor`, each once, and no whitespace
/// (blank, `+`, `%20`, `%09`) on either side of `=`, which Entra answers
/// with `400`. Names compare ignoring case. The filter itself is checked by
/// [`check_filter`](crate::api::check_filter).
///
/// ```
/// use scimkit_entra::api::check_query;
///
/// assert!(check_query("?filter=userName%20eq%20%22a%22&count=50").is_ok());
/// let err = check_query("filter =userName eq \"a\"").unwrap_err();
/// assert!(err.reason().contains("whitespace"));
/// assert!(check_query("startIndex=1").unwrap_err().reason().contains("cursor"));
/// ```
pub fn check_query(query: &str) -> Result<(), Unsupported> {
    let (offset, query) = match query.strip_prefix('?') {
        Some(rest) => (1, rest),
        None => (0, query),
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut start = offset;
    for param in query.split('&') {
        let span = Span::new(start, start + param.len());
        start += param.len() + 1;
        if param.is_empty() {
            continue;
        }
        let refuse = |reason: String| Err(Unsupported::query(param, span, reason));
        let Some((name, value)) = param.split_once('=') else {
            return refuse(format!("{param} has no value (name=value)"));
        };
        if ends_blank(name) || starts_blank(value) {
            return refuse(
                "whitespace around `=`, encoded or not, makes Entra answer 400".to_owned(),
            );
        }
        let Some(known) = PARAMETERS.iter().find(|p| p.eq_ignore_ascii_case(name)) else {
            let why = match name.to_ascii_lowercase().as_str() {
                "startindex" => "index paging is not supported: page with cursor",
                "sortby" | "sortorder" => "sorting is not supported",
                _ => "unknown parameter",
            };
            return refuse(format!(
                "{name}: {why}; Entra takes filter, attributes, excludedAttributes, count and cursor"
            ));
        };
        if seen.contains(known) {
            return refuse(format!("{known} is given twice"));
        }
        seen.push(known);
        let positive =
            value.bytes().all(|b| b.is_ascii_digit()) && !value.trim_start_matches('0').is_empty();
        if *known == "count" && !positive {
            return refuse(
                "count must be a positive integer (Entra answers count=0 with 400)".to_owned(),
            );
        }
    }
    Ok(())
}

fn starts_blank(s: &str) -> bool {
    let lower = s.get(..3).map(str::to_ascii_lowercase);
    s.starts_with([' ', '\t', '+']) || matches!(lower.as_deref(), Some("%20" | "%09"))
}

fn ends_blank(s: &str) -> bool {
    let lower = s
        .len()
        .checked_sub(3)
        .and_then(|i| s.get(i..))
        .map(str::to_ascii_lowercase);
    s.ends_with([' ', '\t', '+']) || matches!(lower.as_deref(), Some("%20" | "%09"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_on_either_side() {
        for q in [
            "filter =x",
            "filter= x",
            "filter%20=x",
            "filter=%20x",
            "filter+=x",
            "filter=+x",
            "count=%0910",
            "count\t=1",
        ] {
            let err = check_query(q).unwrap_err();
            assert!(err.reason().contains("whitespace"), "{q}");
            assert_eq!(err.span().slice(q), q);
        }
        // Blanks inside a value are the filter's business.
        assert!(check_query("filter=userName%20eq%20%22a%22").is_ok());
        assert!(check_query("filter=userName eq \"a b\"").is_ok());
    }

    #[test]
    fn parameters() {
        assert!(check_query("").is_ok());
        assert!(check_query("?").is_ok());
        assert!(check_query(
            "attributes=userName&excludedAttributes=members&cursor=abc&COUNT=1000&filter=x"
        )
        .is_ok());
        for (q, why) in [
            ("sortBy=userName", "sorting"),
            ("sortOrder=ascending", "sorting"),
            ("startIndex=1", "cursor"),
            ("foo=1", "unknown parameter"),
            ("count=0", "positive integer"),
            ("count=000", "positive integer"),
            ("count=-1", "positive integer"),
            ("count=", "positive integer"),
            ("count=1&count=2", "twice"),
            ("filter", "no value"),
        ] {
            let err = check_query(q).unwrap_err();
            assert!(err.reason().contains(why), "{q}: {}", err.reason());
        }
        let err = check_query("?count=10&sortBy=x").unwrap_err();
        assert_eq!((err.span().start, err.span().end), (10, 18));
        assert_eq!(err.clause(), "sortBy=x");
        let scim: ScimError = err.into();
        assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidSyntax"));
    }

    #[test]
    fn manager_projection() {
        let p = |s: &str| AttrPath::parse(s).unwrap();
        assert!(projects_manager(None));
        assert!(!projects_manager(Some(&[p("userName"), p("displayName")])));
        assert!(projects_manager(Some(&[p(&format!(
            "{ENTERPRISE_USER_URN}:manager"
        ))])));
        assert!(projects_manager(Some(&[p(&format!(
            "{ENTERPRISE_USER_URN}:MANAGER.value"
        ))])));
        assert!(projects_manager(Some(&[p(ENTERPRISE_USER_URN)])));
        assert!(projects_manager(Some(&[p("manager")])));
        assert!(!projects_manager(Some(&[p(&format!(
            "{ENTERPRISE_USER_URN}:department"
        ))])));
        assert!(!projects_manager(Some(&[])));
    }

    #[test]
    fn page_sizes() {
        let names = [AttrPath::parse("userName").unwrap()];
        let with_manager = [AttrPath::parse(&format!("{ENTERPRISE_USER_URN}:manager")).unwrap()];
        use ResourceKind::{Group, User};
        assert_eq!(page_size(User, None, None).unwrap(), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(User, None, Some(&names)).unwrap(), 100);
        assert_eq!(page_size(User, Some(50), None).unwrap(), 50);
        assert_eq!(page_size(User, Some(100), None).unwrap(), 100);
        assert_eq!(page_size(User, Some(101), None).unwrap(), 100);
        assert_eq!(page_size(User, Some(101), Some(&names)).unwrap(), 101);
        assert_eq!(page_size(User, Some(999), Some(&names)).unwrap(), 999);
        assert_eq!(page_size(User, Some(1000), Some(&names)).unwrap(), 999);
        assert_eq!(
            page_size(User, Some(500), Some(&with_manager)).unwrap(),
            100
        );
        assert_eq!(page_size(Group, Some(1000), None).unwrap(), 1000);
        assert_eq!(page_size(Group, Some(1001), None).unwrap(), 1000);
        assert_eq!(
            page_size(Group, Some(500), Some(&with_manager)).unwrap(),
            500
        );
        let err = page_size(Group, Some(0), None).unwrap_err();
        assert_eq!(err.scim_type().map(|t| t.as_str()), Some("invalidCount"));
    }
}
