//! [`ListResponse`]: RFC 7644 §3.4.2's list response with RFC 9865's
//! `nextCursor` and `previousCursor`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// The schema URN of a list response.
pub const LIST_RESPONSE_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// A page of results.
///
/// Serializes the RFC spelling `Resources` (or Entra's `resources`, see
/// [`with_spelling`](Self::with_spelling)) and omits absent members:
/// `totalResults` may be absent under cursor paging (RFC 9865), and
/// `nextCursor` must be absent on the last page (its absence is the only
/// last-page signal). Reading matches member names in any ASCII case
/// (RFC 7643 §2.1), so Microsoft Entra's lowercase `resources` is read;
/// `Resources` may be missing (no results) or `null`; a member given twice
/// (in two spellings) is an error; unknown members are ignored; if
/// `schemas` is present it must contain [`LIST_RESPONSE_URN`].
///
/// ```
/// use scimkit_cursor::ListResponse;
/// use serde_json::{json, Value};
///
/// // A page as Microsoft Entra sends it: lowercase `resources`, no totalResults.
/// let page: ListResponse<Value> = serde_json::from_value(json!({
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
///     "itemsPerPage": 1,
///     "nextCursor": "RFNwdAIAAQAAAB06MTAy",
///     "resources": [{"id": "u1"}]}))?;
/// assert_eq!(page.resources.len(), 1);
/// assert_eq!(page.total_results, None);
/// assert!(!page.is_last_page());
///
/// // Written back with the RFC spelling.
/// assert_eq!(serde_json::to_value(&page)?["Resources"], json!([{"id": "u1"}]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ListResponse<T> {
    /// Message schemas; normally just [`LIST_RESPONSE_URN`].
    pub schemas: Vec<String>,
    /// Total number of results across all pages, if known.
    pub total_results: Option<u64>,
    /// Number of resources on this page.
    pub items_per_page: Option<u64>,
    /// 1-based index of the first resource (index paging only).
    pub start_index: Option<u64>,
    /// The resources on this page.
    pub resources: Vec<T>,
    /// Cursor for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Cursor for the previous page; never on the first page.
    pub previous_cursor: Option<String>,
}

/// How to spell the resources member when writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ResourcesSpelling {
    /// `Resources`, as RFC 7644 §3.4.2 writes it.
    #[default]
    Rfc,
    /// `resources`, as Microsoft Entra's SCIM API writes it.
    Lowercase,
}

impl ResourcesSpelling {
    fn key(self) -> &'static str {
        match self {
            Self::Rfc => "Resources",
            Self::Lowercase => "resources",
        }
    }
}

impl<T> ListResponse<T> {
    /// A page holding `resources`: `schemas` set, `itemsPerPage` the number
    /// of resources, everything else absent.
    pub fn new(resources: Vec<T>) -> Self {
        Self {
            schemas: vec![LIST_RESPONSE_URN.to_owned()],
            total_results: None,
            items_per_page: Some(resources.len() as u64),
            start_index: None,
            resources,
            next_cursor: None,
            previous_cursor: None,
        }
    }

    /// Set `totalResults`.
    pub fn with_total_results(mut self, total: u64) -> Self {
        self.total_results = Some(total);
        self
    }

    /// Set `startIndex` (index paging).
    pub fn with_start_index(mut self, start: u64) -> Self {
        self.start_index = Some(start);
        self
    }

    /// Set `nextCursor` (accepts a [`Cursor`](crate::Cursor) or a string).
    pub fn with_next_cursor(mut self, cursor: impl Into<String>) -> Self {
        self.next_cursor = Some(cursor.into());
        self
    }

    /// Set `previousCursor`.
    pub fn with_previous_cursor(mut self, cursor: impl Into<String>) -> Self {
        self.previous_cursor = Some(cursor.into());
        self
    }

    /// True when there is no `nextCursor` (RFC 9865: the only last-page
    /// signal under cursor paging).
    pub fn is_last_page(&self) -> bool {
        self.next_cursor.is_none()
    }

    /// A view that serializes with the given spelling of `Resources`.
    ///
    /// ```
    /// use scimkit_cursor::{ListResponse, ResourcesSpelling};
    ///
    /// let page = ListResponse::new(vec![1, 2]);
    /// let json = serde_json::to_value(page.with_spelling(ResourcesSpelling::Lowercase)).unwrap();
    /// assert_eq!(json["resources"], serde_json::json!([1, 2]));
    /// ```
    pub fn with_spelling(&self, spelling: ResourcesSpelling) -> Spelled<'_, T> {
        Spelled {
            list: self,
            spelling,
        }
    }

    fn serialize_as<S: Serializer>(
        &self,
        serializer: S,
        spelling: ResourcesSpelling,
    ) -> Result<S::Ok, S::Error>
    where
        T: Serialize,
    {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("schemas", &self.schemas)?;
        if let Some(n) = self.total_results {
            map.serialize_entry("totalResults", &n)?;
        }
        if let Some(n) = self.items_per_page {
            map.serialize_entry("itemsPerPage", &n)?;
        }
        if let Some(n) = self.start_index {
            map.serialize_entry("startIndex", &n)?;
        }
        if let Some(c) = &self.next_cursor {
            map.serialize_entry("nextCursor", c)?;
        }
        if let Some(c) = &self.previous_cursor {
            map.serialize_entry("previousCursor", c)?;
        }
        map.serialize_entry(spelling.key(), &self.resources)?;
        map.end()
    }
}

impl<T> Default for ListResponse<T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

/// A [`ListResponse`] serialized with a chosen [`ResourcesSpelling`].
#[derive(Debug)]
pub struct Spelled<'a, T> {
    list: &'a ListResponse<T>,
    spelling: ResourcesSpelling,
}

impl<T: Serialize> Serialize for Spelled<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.list.serialize_as(serializer, self.spelling)
    }
}

impl<T: Serialize> Serialize for ListResponse<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_as(serializer, ResourcesSpelling::Rfc)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Schemas,
    TotalResults,
    ItemsPerPage,
    StartIndex,
    Resources,
    NextCursor,
    PreviousCursor,
    Other,
}

impl Field {
    const NAMES: [(&'static str, Self); 7] = [
        ("schemas", Self::Schemas),
        ("totalResults", Self::TotalResults),
        ("itemsPerPage", Self::ItemsPerPage),
        ("startIndex", Self::StartIndex),
        ("Resources", Self::Resources),
        ("nextCursor", Self::NextCursor),
        ("previousCursor", Self::PreviousCursor),
    ];

    fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(Field::NAMES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(v))
                    .map_or(Field::Other, |(_, f)| *f))
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct ListVisitor<T>(PhantomData<T>);

/// Store a member's value, refusing a second occurrence.
fn once<V, E: de::Error>(slot: &mut Option<V>, value: V, field: Field) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(field.name()));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = ListResponse<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SCIM ListResponse object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Outer Option: seen; inner Option: null.
        let mut schemas: Option<Option<Vec<String>>> = None;
        let mut total: Option<Option<u64>> = None;
        let mut per_page: Option<Option<u64>> = None;
        let mut start: Option<Option<u64>> = None;
        let mut resources: Option<Option<Vec<T>>> = None;
        let mut next: Option<Option<String>> = None;
        let mut previous: Option<Option<String>> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Schemas => once(&mut schemas, map.next_value()?, field)?,
                Field::TotalResults => once(&mut total, map.next_value()?, field)?,
                Field::ItemsPerPage => once(&mut per_page, map.next_value()?, field)?,
                Field::StartIndex => once(&mut start, map.next_value()?, field)?,
                Field::Resources => once(&mut resources, map.next_value()?, field)?,
                Field::NextCursor => once(&mut next, map.next_value()?, field)?,
                Field::PreviousCursor => once(&mut previous, map.next_value()?, field)?,
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let schemas = match schemas.flatten() {
            Some(s) => {
                if !s.iter().any(|u| u.eq_ignore_ascii_case(LIST_RESPONSE_URN)) {
                    return Err(de::Error::custom(format_args!(
                        "`schemas` does not contain {LIST_RESPONSE_URN}"
                    )));
                }
                s
            }
            None => vec![LIST_RESPONSE_URN.to_owned()],
        };
        Ok(ListResponse {
            schemas,
            total_results: total.flatten(),
            items_per_page: per_page.flatten(),
            start_index: start.flatten(),
            resources: resources.flatten().unwrap_or_default(),
            next_cursor: next.flatten(),
            previous_cursor: previous.flatten(),
        })
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ListResponse<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ListVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    type L = ListResponse<Value>;

    #[test]
    fn rfc_example_roundtrip() {
        let page = ListResponse::new(vec![json!({"id": "1"})])
            .with_total_results(100)
            .with_next_cursor("VZUTiyhEQJ94IR");
        let v = serde_json::to_value(&page).unwrap();
        assert_eq!(
            v,
            json!({"schemas": [LIST_RESPONSE_URN], "totalResults": 100, "itemsPerPage": 1,
                   "nextCursor": "VZUTiyhEQJ94IR", "Resources": [{"id": "1"}]})
        );
        assert_eq!(serde_json::from_value::<L>(v).unwrap(), page);
    }

    #[test]
    fn any_case_members() {
        let page: L = serde_json::from_value(json!({
            "SCHEMAS": [LIST_RESPONSE_URN.to_uppercase()], "TotalResults": 3,
            "ITEMSPERPAGE": 1, "startindex": 2, "RESOURCES": [1],
            "nextcursor": "n", "PreviousCursor": "p", "unknown": {"x": [1]}}))
        .unwrap();
        assert_eq!(page.total_results, Some(3));
        assert_eq!(page.items_per_page, Some(1));
        assert_eq!(page.start_index, Some(2));
        assert_eq!(page.resources, vec![json!(1)]);
        assert_eq!(page.next_cursor.as_deref(), Some("n"));
        assert_eq!(page.previous_cursor.as_deref(), Some("p"));
    }

    #[test]
    fn lenient_absences() {
        let page: L = serde_json::from_value(json!({"totalResults": 0})).unwrap();
        assert!(page.resources.is_empty());
        assert_eq!(page.schemas, vec![LIST_RESPONSE_URN.to_owned()]);
        let page: L =
            serde_json::from_value(json!({"Resources": null, "nextCursor": null})).unwrap();
        assert!(page.resources.is_empty());
        assert!(page.is_last_page());
    }

    #[test]
    fn refusals() {
        for bad in [
            json!({"Resources": [], "resources": []}),
            json!({"nextCursor": "a", "NextCursor": "b"}),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"]}),
            json!({"Resources": {}}),
            json!({"totalResults": -1}),
            json!([]),
        ] {
            assert!(serde_json::from_value::<L>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn typed_resources() {
        #[derive(Debug, PartialEq, Deserialize, Serialize)]
        struct User {
            id: String,
        }
        let page: ListResponse<User> =
            serde_json::from_str(r#"{"resources":[{"id":"a"},{"id":"b"}]}"#).unwrap();
        assert_eq!(page.resources[1].id, "b");
        assert!(serde_json::from_str::<ListResponse<User>>(r#"{"resources":[{}]}"#).is_err());
    }
}
