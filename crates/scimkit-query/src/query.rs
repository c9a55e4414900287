//! [`ListQuery`]: the parameters of a list or search request, parsed once.

use std::borrow::Cow;

use scimkit_cursor::{decode_query_component, PageRequest, QueryFingerprint};
use scimkit_filter::{Filter, SortOrder, SortSpec};
use scimkit_schema::error::excerpt;
use scimkit_schema::{Projection, ResourceSchema, ScimError};
use serde_json::Value;

use crate::compiled::CompiledListQuery;
use crate::options::ListQueryOptions;

/// The `schemas` value of a `POST .search` body (RFC 7644 §3.4.3).
pub const SEARCH_REQUEST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// A list query: `filter`, `sortBy`/`sortOrder`, `attributes`/
/// `excludedAttributes`, `count`, `startIndex`, `cursor`.
///
/// Parsed once from a query string ([`from_query`](Self::from_query)),
/// from decoded pairs ([`from_pairs`](Self::from_pairs)) or from a
/// `POST .search` body ([`from_search_body`](Self::from_search_body));
/// then [`compile`](Self::compile)d against a resource schema.
///
/// ```
/// use scimkit_query::{ListQuery, ListQueryOptions};
///
/// let options = ListQueryOptions::default();
/// let q = ListQuery::from_query(
///     "filter=userName%20sw%20%22j%22&sortBy=userName&attributes=userName&count=2&cursor",
///     &options)?;
/// assert_eq!(q.filter().map(|f| f.to_string()).as_deref(), Some(r#"userName sw "j""#));
/// assert_eq!(q.page().count(), 2);
///
/// let body = serde_json::json!({"filter": "userName sw \"j\"", "sortBy": "userName",
///                               "attributes": ["userName"], "count": 2, "cursor": ""});
/// let same = ListQuery::from_search_body(&body, &options)?;
/// assert_eq!(same.fingerprint("User"), q.fingerprint("User"));
///
/// // Errors name the parameter.
/// let err = ListQuery::from_query("filter=userName%20eq", &options).unwrap_err();
/// assert_eq!(err.scim_type().unwrap().as_str(), "invalidFilter");
/// assert!(err.detail().unwrap().starts_with("filter: "));
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
///
/// # Rules
///
/// | Input | Outcome |
/// |---|---|
/// | parameter names | any ASCII case, after percent-decoding (`%XX`, `+` as space) |
/// | `filter` | parsed with [`ListQueryOptions::filter`]; errors `invalidFilter`, detail `filter: ...`. Empty or blank = no filter |
/// | `sortBy`, `sortOrder` | attribute path / `ascending` or `descending` (any case); `invalidValue`. `sortOrder` without `sortBy` is ignored (RFC 7644 §3.4.2.3 defines it only with `sortBy`). Refused when [`sorting`](ListQueryOptions::sorting) is off |
/// | `attributes`, `excludedAttributes` | comma-separated paths; `invalidValue`. Both given: `attributes` wins, as [`Projection`] does |
/// | `count`, `startIndex`, `cursor` | [`PageRequest`]'s rules (RFC 7644 §3.4.2.4, RFC 9865) |
/// | `count=0` when [`zero_count`](ListQueryOptions::zero_count) is off | `invalidCount` |
/// | one of our parameters given twice (in any case) | its own error: `invalidFilter`, `invalidValue`, `invalidCount`, `invalidCursor` |
/// | one of our names padded with whitespace (`filter =x`) | its own error |
/// | whitespace around `=` when [`refuse_padded_equals`](ListQueryOptions::refuse_padded_equals) is on | the parameter's own error, `invalidValue` for others |
/// | a malformed percent-escape or non-UTF-8 bytes in one of ours | its own error |
/// | any other parameter | ignored |
///
/// In a search body, keys match in any ASCII case, `null` is absent,
/// `attributes`/`excludedAttributes` are arrays of strings, and `schemas`,
/// when present, must contain [`SEARCH_REQUEST_URN`] (absent is tolerated).
#[derive(Clone, Debug)]
pub struct ListQuery {
    filter: Option<Filter>,
    sort: Option<SortSpec>,
    projection: Projection,
    page: PageRequest,
    options: ListQueryOptions,
}

/// The list parameters this crate reads (paging ones are PageRequest's).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    Filter,
    SortBy,
    SortOrder,
    Attributes,
    Excluded,
    Count,
    StartIndex,
    Cursor,
}

impl Param {
    const ALL: [Self; 8] = [
        Self::Filter,
        Self::SortBy,
        Self::SortOrder,
        Self::Attributes,
        Self::Excluded,
        Self::Count,
        Self::StartIndex,
        Self::Cursor,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Filter => "filter",
            Self::SortBy => "sortBy",
            Self::SortOrder => "sortOrder",
            Self::Attributes => "attributes",
            Self::Excluded => "excludedAttributes",
            Self::Count => "count",
            Self::StartIndex => "startIndex",
            Self::Cursor => "cursor",
        }
    }

    fn of(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    fn is_paging(self) -> bool {
        matches!(self, Self::Count | Self::StartIndex | Self::Cursor)
    }

    /// The error for a value of this parameter that cannot be read.
    fn bad(self, why: &str) -> ScimError {
        let detail = format!("{}: {why}", self.name());
        match self {
            Self::Filter => ScimError::invalid_filter(detail),
            Self::Count => ScimError::invalid_count(detail),
            Self::Cursor => ScimError::invalid_cursor(detail),
            _ => ScimError::invalid_value(detail),
        }
    }
}

/// The text values collected for the non-paging parameters.
#[derive(Default)]
struct Texts<'a> {
    filter: Option<Cow<'a, str>>,
    sort_by: Option<Cow<'a, str>>,
    sort_order: Option<Cow<'a, str>>,
    attributes: Option<Cow<'a, str>>,
    excluded: Option<Cow<'a, str>>,
}

impl<'a> Texts<'a> {
    fn slot(&mut self, param: Param) -> Option<&mut Option<Cow<'a, str>>> {
        match param {
            Param::Filter => Some(&mut self.filter),
            Param::SortBy => Some(&mut self.sort_by),
            Param::SortOrder => Some(&mut self.sort_order),
            Param::Attributes => Some(&mut self.attributes),
            Param::Excluded => Some(&mut self.excluded),
            Param::Count | Param::StartIndex | Param::Cursor => None,
        }
    }

    fn set(&mut self, param: Param, value: Cow<'a, str>) -> Result<(), ScimError> {
        if let Some(slot) = self.slot(param) {
            if slot.replace(value).is_some() {
                return Err(param.bad("given more than once"));
            }
        }
        Ok(())
    }

    fn build(self, page: PageRequest, options: &ListQueryOptions) -> Result<ListQuery, ScimError> {
        if !options.zero_count && page.count() == 0 {
            return Err(Param::Count.bad("must be at least 1"));
        }
        let filter = match self.filter.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                Filter::parse_with(text, options.filter)
                    .map_err(|e| ScimError::from(e).with_detail_prefix("filter: "))?,
            ),
        };
        if !options.sorting {
            if self.sort_by.is_some() {
                return Err(Param::SortBy.bad("sorting is not supported"));
            }
            if self.sort_order.is_some() {
                return Err(Param::SortOrder.bad("sorting is not supported"));
            }
        }
        let sort = match self.sort_by.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(by) => Some(SortSpec::from_query(by, self.sort_order.as_deref())?),
        };
        let projection =
            Projection::from_query(self.attributes.as_deref(), self.excluded.as_deref())?;
        Ok(ListQuery {
            filter,
            sort,
            projection,
            page,
            options: options.clone(),
        })
    }
}

/// `ScimError` detail prefixing, kept local to this crate.
trait DetailPrefix {
    fn with_detail_prefix(self, prefix: &str) -> Self;
}

impl DetailPrefix for ScimError {
    fn with_detail_prefix(self, prefix: &str) -> Self {
        let detail = format!("{prefix}{}", self.detail().unwrap_or_default());
        self.with_detail(detail)
    }
}

fn starts_or_ends_blank(s: &str, start: bool) -> bool {
    let c = if start {
        s.chars().next()
    } else {
        s.chars().next_back()
    };
    c.is_some_and(char::is_whitespace)
}

impl ListQuery {
    /// Parse a URL query string (with or without the leading `?`). See the
    /// [rules](ListQuery#rules).
    pub fn from_query(query: &str, options: &ListQueryOptions) -> Result<Self, ScimError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut texts = Texts::default();
        let mut paging: Vec<(&'static str, Cow<'_, str>)> = Vec::new();
        for segment in query.split('&').filter(|s| !s.is_empty()) {
            let (raw_name, raw_value) = match segment.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (segment, None),
            };
            let Some(name) = decode_query_component(raw_name) else {
                continue; // not decodable: not one of ours
            };
            let param = match Param::of(&name) {
                Some(p) => Some(p),
                None => match Param::of(name.trim()) {
                    Some(p) => return Err(p.bad("whitespace around the parameter name")),
                    None => None,
                },
            };
            let padded_value = raw_value
                .and_then(decode_query_component)
                .is_some_and(|v| starts_or_ends_blank(&v, true));
            if options.refuse_padded_equals
                && raw_value.is_some()
                && (starts_or_ends_blank(&name, false) || padded_value)
            {
                return Err(match param {
                    Some(p) => p.bad("whitespace around `=`"),
                    None => ScimError::invalid_value(format!(
                        "{}: whitespace around `=`",
                        excerpt(name.trim())
                    )),
                });
            }
            let Some(param) = param else {
                continue;
            };
            let value = match raw_value {
                None => Cow::Borrowed(""),
                Some(v) => match decode_query_component(v) {
                    Some(v) => v,
                    None if param.is_paging() => {
                        // PageRequest words the error for its own parameters.
                        return Err(
                            match PageRequest::from_query(segment, &options.pagination) {
                                Err(e) => e.into(),
                                Ok(_) => param.bad("malformed percent-encoding"),
                            },
                        );
                    }
                    None => return Err(param.bad("malformed percent-encoding or not UTF-8")),
                },
            };
            if param.is_paging() {
                paging.push((param.name(), value));
            } else {
                texts.set(param, value)?;
            }
        }
        let page = PageRequest::from_pairs(paging, &options.pagination)?;
        texts.build(page, options)
    }

    /// Parse already-decoded name/value pairs (as web frameworks hand them
    /// over; a bare name arrives with an empty value). Same rules as
    /// [`from_query`](Self::from_query) without percent-decoding.
    pub fn from_pairs<I, K, V>(pairs: I, options: &ListQueryOptions) -> Result<Self, ScimError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut texts = Texts::default();
        let mut paging: Vec<(&'static str, String)> = Vec::new();
        for (k, v) in pairs {
            let (name, value) = (k.as_ref(), v.as_ref());
            let param = match Param::of(name) {
                Some(p) => p,
                None => match Param::of(name.trim()) {
                    Some(p) => return Err(p.bad("whitespace around the parameter name")),
                    None => {
                        if options.refuse_padded_equals
                            && (starts_or_ends_blank(name, false)
                                || starts_or_ends_blank(value, true))
                        {
                            return Err(ScimError::invalid_value(format!(
                                "{}: whitespace around `=`",
                                excerpt(name.trim())
                            )));
                        }
                        continue;
                    }
                },
            };
            if options.refuse_padded_equals && starts_or_ends_blank(value, true) {
                return Err(param.bad("whitespace around `=`"));
            }
            if param.is_paging() {
                paging.push((param.name(), value.to_owned()));
            } else {
                texts.set(param, Cow::Owned(value.to_owned()))?;
            }
        }
        let page = PageRequest::from_pairs(paging, &options.pagination)?;
        texts.build(page, options)
    }

    /// Parse a `POST .search` body (RFC 7644 §3.4.3, with RFC 9865's
    /// `cursor` and `count`). A body that is not an object is
    /// `invalidSyntax`.
    pub fn from_search_body(body: &Value, options: &ListQueryOptions) -> Result<Self, ScimError> {
        let map = body.as_object().ok_or_else(|| {
            ScimError::invalid_syntax("a search request body must be a JSON object")
        })?;
        let page = PageRequest::from_search_body(body, &options.pagination)?;
        let mut texts = Texts::default();
        for (key, value) in map {
            if key.eq_ignore_ascii_case("schemas") {
                let ok = value.as_array().is_some_and(|a| {
                    a.iter().any(|s| {
                        s.as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case(SEARCH_REQUEST_URN))
                    })
                });
                if !ok {
                    return Err(ScimError::invalid_value(format!(
                        "schemas: a search request names {SEARCH_REQUEST_URN}"
                    )));
                }
                continue;
            }
            let Some(param) = Param::of(key).filter(|p| !p.is_paging()) else {
                continue;
            };
            let text = match (param, value) {
                (_, Value::Null) => continue,
                (Param::Attributes | Param::Excluded, Value::Array(items)) => {
                    let mut names = Vec::with_capacity(items.len());
                    for item in items {
                        names.push(
                            item.as_str()
                                .ok_or_else(|| param.bad("must be an array of strings"))?,
                        );
                    }
                    if names.iter().any(|n| n.contains(',')) {
                        return Err(param.bad("an attribute name cannot contain `,`"));
                    }
                    Cow::Owned(names.join(","))
                }
                (Param::Attributes | Param::Excluded, _) => {
                    return Err(param.bad("must be an array of strings"))
                }
                (_, Value::String(s)) => Cow::Borrowed(s.as_str()),
                (_, _) => return Err(param.bad("must be a string")),
            };
            texts.set(param, text)?;
        }
        texts.build(page, options)
    }

    /// The filter, if one was given.
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// `sortBy` / `sortOrder`, if `sortBy` was given.
    pub fn sort(&self) -> Option<&SortSpec> {
        self.sort.as_ref()
    }

    /// `attributes` / `excludedAttributes`.
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// `count`, and `cursor` or `startIndex`.
    pub fn page(&self) -> &PageRequest {
        &self.page
    }

    /// The options it was parsed with (compiling uses them too).
    pub fn options(&self) -> &ListQueryOptions {
        &self.options
    }

    /// What a cursor of this query is bound to: the resource type, the
    /// filter's canonical text (so spacing, parentheses and the GET and
    /// POST forms do not matter; attribute names are bound as spelled, as a
    /// client repeating its query spells them), `sortBy`, `sortOrder` and
    /// the attribute lists.
    pub fn fingerprint(&self, resource_type: &str) -> QueryFingerprint {
        let mut b = QueryFingerprint::builder().resource_type(resource_type);
        if let Some(f) = &self.filter {
            b = b.filter(&f.to_string());
        }
        if let Some(s) = &self.sort {
            b = b.sort_by(&s.path.to_string()).sort_order(match s.order {
                SortOrder::Ascending => "ascending",
                SortOrder::Descending => "descending",
            });
        }
        let join = |paths: &[scimkit_schema::AttrPath]| {
            paths
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        b.attributes(&join(self.projection.attributes()))
            .excluded_attributes(&join(self.projection.excluded_attributes()))
            .build()
    }

    /// Resolve the filter, the sort and the projection against `schema`
    /// (errors: `invalidFilter` for a filter the schema refuses,
    /// `invalidValue` for a `sortBy` it refuses).
    pub fn compile<'s>(
        &self,
        schema: &'s ResourceSchema,
    ) -> Result<CompiledListQuery<'s>, ScimError> {
        CompiledListQuery::new(self, schema)
    }
}
