//! `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) under the
//! `returned` characteristic (RFC 7643 §7).
//!
//! - `returned: always` attributes (`id`, `schemas`, ...) are in every
//!   response, whatever the client asked;
//! - `returned: never` attributes (`password`) are in none;
//! - `returned: default` attributes are returned unless excluded, or unless
//!   `attributes` is given and does not name them;
//! - `returned: request` attributes are returned only when `attributes`
//!   names them.
//!
//! The rules apply to sub-attributes too (`attributes=name.familyName`
//! returns `name` with only `familyName`; `excludedAttributes=emails.display`
//! drops `display` from every email). A bare extension URN in `attributes`
//! selects the whole extension object; extension objects left empty are
//! dropped. Attributes the schema does not define count as `default`.
//!
//! Choices where RFC 7644 is silent:
//! - both parameters given: the `attributes` selection is made, then the
//!   `excludedAttributes` are removed from it (`always` attributes stay);
//! - names the schema does not know are ignored rather than refused, so a
//!   client asking for an attribute a server lacks still gets a response;
//! - a malformed name is refused with 400 `invalidValue`.
//!
//! Applying is linear in the resource and the names: a [`Projection`] is
//! first compiled against the resource schema ([`Projection::compile`]),
//! which resolves every name once and indexes the selections and the
//! schema's attribute definitions by ASCII-lowercased name (names are
//! case-insensitive, RFC 7643 §2.1); each member of a resource is then one
//! hash lookup, not a scan of every name. Compile once to project many
//! resources (a list response); [`Projection::apply`] compiles for one.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::model::{find_attribute, Attribute, Returned, Schema};
use crate::resolve::{ResourceSchema, Target};
use crate::{AttrPath, ScimError, ScimType};

/// What a response should contain: the parsed `attributes` and
/// `excludedAttributes` parameters.
///
/// ```
/// use scimkit_schema::{Projection, ResourceSchema};
/// use serde_json::json;
///
/// let user = json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///     "id": "2819c223",
///     "userName": "bjensen",
///     "password": "t1meMa$heen",
///     "name": {"givenName": "Barbara", "familyName": "Jensen"},
/// });
/// let p = Projection::from_query(Some("name.familyName"), None).unwrap();
/// assert_eq!(
///     p.apply(&user, ResourceSchema::user()),
///     json!({
///         "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///         "id": "2819c223",
///         "name": {"familyName": "Jensen"},
///     })
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Projection {
    attributes: Vec<AttrPath>,
    excluded: Vec<AttrPath>,
}

/// A path normalised against a resource schema.
#[derive(Clone, Copy)]
struct Sel<'a> {
    /// The extension URN holding the attribute; `None` for the core part.
    container: Option<&'a str>,
    /// The attribute name; `None` when a whole extension is selected.
    attribute: Option<&'a str>,
    sub: Option<&'a str>,
}

/// The ASCII lower case of a name, the form every index is keyed by.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn parse_list(param: &str, text: Option<&str>) -> Result<Vec<AttrPath>, ScimError> {
    text.into_iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            AttrPath::parse(s)
                .map_err(|e| ScimError::new(ScimType::InvalidValue, format!("{param}: {e}")))
        })
        .collect()
}

/// The selections of one parameter, indexed: by container (`None` for the
/// core part, else the lowercased extension URN), then by lowercased
/// attribute name.
#[derive(Clone, Debug, Default)]
struct Selection {
    containers: HashMap<Option<String>, ContainerSel>,
}

/// The selections inside one container.
#[derive(Clone, Debug, Default)]
struct ContainerSel {
    /// The whole container was named (a bare extension URN).
    whole: bool,
    attributes: HashMap<String, AttributeSel>,
}

/// The selections of one attribute: whole, and/or these sub-attributes.
#[derive(Clone, Debug, Default)]
struct AttributeSel {
    whole: bool,
    subs: HashSet<String>,
}

impl Selection {
    fn new(sels: &[Sel<'_>]) -> Self {
        let mut selection = Self::default();
        for s in sels {
            // Sized for every name at once: no rehashing while it fills.
            let container = selection
                .containers
                .entry(s.container.map(|c| lower(c).into_owned()))
                .or_insert_with(|| ContainerSel {
                    whole: false,
                    attributes: HashMap::with_capacity(sels.len()),
                });
            let Some(attribute) = s.attribute else {
                container.whole = true;
                continue;
            };
            let picked = container
                .attributes
                .entry(lower(attribute).into_owned())
                .or_default();
            match s.sub {
                None => picked.whole = true,
                Some(sub) => {
                    picked.subs.insert(lower(sub).into_owned());
                }
            }
        }
        selection
    }

    fn container(&self, urn: Option<&str>) -> Option<&ContainerSel> {
        self.containers.get(&urn.map(|u| lower(u).into_owned()))
    }
}

/// Selections for one attribute: whole, or these sub-attributes.
#[derive(Clone, Copy, Default)]
struct Picks<'a> {
    whole: bool,
    subs: Option<&'a HashSet<String>>,
}

impl<'a> Picks<'a> {
    fn of(container: Option<&'a ContainerSel>, name: &str) -> Self {
        let Some(container) = container else {
            return Self::default();
        };
        let attribute = container.attributes.get(lower(name).as_ref());
        Self {
            whole: container.whole || attribute.is_some_and(|a| a.whole),
            subs: attribute.map(|a| &a.subs),
        }
    }

    fn any(&self) -> bool {
        self.whole || self.subs.is_some_and(|s| !s.is_empty())
    }

    fn has_sub(&self, name: &str) -> bool {
        self.subs.is_some_and(|s| s.contains(lower(name).as_ref()))
    }
}

/// Attribute definitions by lowercased name; the first of a name wins, as
/// with a linear search.
fn index(defs: &[Attribute]) -> HashMap<String, &Attribute> {
    let mut map = HashMap::with_capacity(defs.len());
    for d in defs {
        map.entry(lower(&d.name).into_owned()).or_insert(d);
    }
    map
}

/// A [`Projection`] compiled against one [`ResourceSchema`]
/// ([`Projection::compile`]): names resolved, selections and definitions
/// indexed, ready to project many resources in time linear in each.
#[derive(Clone, Debug)]
pub struct CompiledProjection<'s> {
    include: Selection,
    exclude: Selection,
    restricted: bool,
    /// Core attributes, then the common ones (the core schema wins).
    core: HashMap<String, &'s Attribute>,
    /// Extension schemas by lowercased URN, with their attributes.
    extensions: HashMap<String, (&'s Schema, HashMap<String, &'s Attribute>)>,
}

impl Projection {
    /// No selection: the default set of attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// From the `attributes` and `excludedAttributes` query parameters
    /// (comma-separated attribute paths; blanks around names are ignored).
    pub fn from_query(
        attributes: Option<&str>,
        excluded_attributes: Option<&str>,
    ) -> Result<Self, ScimError> {
        Ok(Self {
            attributes: parse_list("attributes", attributes)?,
            excluded: parse_list("excludedAttributes", excluded_attributes)?,
        })
    }

    /// From already parsed paths.
    pub fn from_paths(attributes: Vec<AttrPath>, excluded_attributes: Vec<AttrPath>) -> Self {
        Self {
            attributes,
            excluded: excluded_attributes,
        }
    }

    /// The `attributes` paths.
    pub fn attributes(&self) -> &[AttrPath] {
        &self.attributes
    }

    /// The `excludedAttributes` paths.
    pub fn excluded_attributes(&self) -> &[AttrPath] {
        &self.excluded
    }

    fn normalise<'a>(
        paths: &'a [AttrPath],
        rs: &'a ResourceSchema,
        known: &HashMap<String, &Attribute>,
        extensions: &HashMap<String, (&Schema, HashMap<String, &Attribute>)>,
    ) -> Vec<Sel<'a>> {
        // A name no part of the schema defines resolves to an error, which
        // costs more than the lookups that tell so: answer it directly.
        let unknown = |p: &AttrPath| {
            let name = lower(p.attribute());
            p.schema().is_none()
                && !known.contains_key(name.as_ref())
                && extensions
                    .values()
                    .all(|(_, defs)| !defs.contains_key(name.as_ref()))
        };
        paths
            .iter()
            .filter_map(|p| {
                if unknown(p) {
                    return Some(Sel {
                        container: None,
                        attribute: Some(p.attribute()),
                        sub: p.sub_attribute(),
                    });
                }
                Self::resolve(p, rs)
            })
            .collect()
    }

    /// One path as a selection, through the schema's resolution.
    fn resolve<'a>(p: &'a AttrPath, rs: &'a ResourceSchema) -> Option<Sel<'a>> {
        match rs.resolve_target(p) {
            Ok(Target::Attribute(r)) => Some(Sel {
                container: r.in_extension().then(|| r.schema_urn()),
                attribute: Some(r.attribute().name.as_str()),
                sub: r.sub_attribute().map(|s| s.name.as_str()),
            }),
            Ok(Target::Extension(s)) => Some(Sel {
                container: Some(s.id.as_str()),
                attribute: None,
                sub: None,
            }),
            // Unknown to the schema: still selectable by name in the core part.
            Err(_)
                if p.schema()
                    .is_none_or(|u| u.eq_ignore_ascii_case(&rs.core().id)) =>
            {
                Some(Sel {
                    container: None,
                    attribute: Some(p.attribute()),
                    sub: p.sub_attribute(),
                })
            }
            Err(_) => None,
        }
    }

    /// Resolve the names against `schema` once, for projecting many
    /// resources of that type.
    pub fn compile<'s>(&self, schema: &'s ResourceSchema) -> CompiledProjection<'s> {
        let mut core = index(&schema.core().attributes);
        for d in schema.common_attributes() {
            core.entry(lower(&d.name).into_owned()).or_insert(d);
        }
        let mut extensions = HashMap::new();
        for (ext, _) in schema.extensions() {
            extensions
                .entry(lower(&ext.id).into_owned())
                .or_insert_with(|| (ext, index(&ext.attributes)));
        }
        CompiledProjection {
            include: Selection::new(&Self::normalise(
                &self.attributes,
                schema,
                &core,
                &extensions,
            )),
            exclude: Selection::new(&Self::normalise(&self.excluded, schema, &core, &extensions)),
            restricted: !self.attributes.is_empty(),
            core,
            extensions,
        }
    }

    /// Project `resource` for a response under `schema` (compiles the
    /// projection first: to project many resources, [`Self::compile`] once).
    pub fn apply(&self, resource: &Value, schema: &ResourceSchema) -> Value {
        self.compile(schema).apply(resource)
    }
}

impl CompiledProjection<'_> {
    /// Project `resource` for a response.
    pub fn apply(&self, resource: &Value) -> Value {
        let Some(object) = resource.as_object() else {
            return resource.clone();
        };
        let core = Ctx {
            projection: self,
            include: self.include.container(None),
            exclude: self.exclude.container(None),
        };
        // Collected, not inserted one by one: the members come in key
        // order, which the map then builds from in one pass.
        let out: Map<String, Value> = object
            .iter()
            .filter_map(|(key, value)| {
                // Only a URN (with `:`) can name an extension.
                let extension = key
                    .contains(':')
                    .then(|| self.extensions.get(lower(key).as_ref()))
                    .flatten();
                if let Some((ext, defs)) = extension {
                    let members = value.as_object()?;
                    let ctx = Ctx {
                        projection: self,
                        include: self.include.container(Some(&ext.id)),
                        exclude: self.exclude.container(Some(&ext.id)),
                    };
                    let kept = ctx.project_object(members, defs);
                    return (!kept.is_empty()).then(|| (key.clone(), Value::Object(kept)));
                }
                let def = self.core.get(lower(key).as_ref()).copied();
                core.project_attribute(key, value, def)
                    .map(|v| (key.clone(), v))
            })
            .collect();
        Value::Object(out)
    }
}

/// Projecting inside one container (the core part, or one extension).
struct Ctx<'c> {
    projection: &'c CompiledProjection<'c>,
    include: Option<&'c ContainerSel>,
    exclude: Option<&'c ContainerSel>,
}

impl Ctx<'_> {
    fn project_object(
        &self,
        members: &Map<String, Value>,
        defs: &HashMap<String, &Attribute>,
    ) -> Map<String, Value> {
        members
            .iter()
            .filter_map(|(k, v)| {
                let def = defs.get(lower(k).as_ref()).copied();
                self.project_attribute(k, v, def).map(|v| (k.clone(), v))
            })
            .collect()
    }

    fn project_attribute(
        &self,
        key: &str,
        value: &Value,
        def: Option<&Attribute>,
    ) -> Option<Value> {
        let returned = def.map_or(Returned::Default, |d| d.returned);
        let sub_defs = def.map_or(&[][..], |d| &d.sub_attributes[..]);
        let include = Picks::of(self.include, key);
        let exclude = Picks::of(self.exclude, key);
        match returned {
            Returned::Never => None,
            Returned::Always => project_subs(value, sub_defs, |_, r| r != Returned::Never),
            Returned::Default | Returned::Request => {
                if exclude.whole && !include.any() {
                    return None;
                }
                if self.projection.restricted || returned == Returned::Request {
                    if !include.any() {
                        return None;
                    }
                    if include.whole {
                        return project_subs(value, sub_defs, |name, r| {
                            r != Returned::Never && !exclude.has_sub(name)
                        });
                    }
                    return project_subs(value, sub_defs, |name, r| {
                        r == Returned::Always
                            || (r != Returned::Never
                                && include.has_sub(name)
                                && !exclude.has_sub(name))
                    });
                }
                if exclude.whole {
                    return None;
                }
                project_subs(value, sub_defs, |name, r| {
                    matches!(r, Returned::Always | Returned::Default) && !exclude.has_sub(name)
                })
            }
        }
    }
}

/// Keep the sub-attributes of a complex value (or of each element of a
/// multi-valued one) for which `keep(name, returned)` holds; simple values
/// pass through. Values left empty disappear.
fn project_subs(
    value: &Value,
    defs: &[Attribute],
    keep: impl Fn(&str, Returned) -> bool,
) -> Option<Value> {
    let project = |members: &Map<String, Value>| -> Map<String, Value> {
        members
            .iter()
            .filter(|(k, _)| {
                keep(
                    k,
                    find_attribute(defs, k).map_or(Returned::Default, |d| d.returned),
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    match value {
        Value::Object(members) => {
            let kept = project(members);
            (!kept.is_empty() || members.is_empty()).then_some(Value::Object(kept))
        }
        Value::Array(items) => {
            let kept: Vec<Value> = items
                .iter()
                .filter_map(|item| match item {
                    Value::Object(m) => {
                        let kept = project(m);
                        (!kept.is_empty()).then_some(Value::Object(kept))
                    }
                    other => Some(other.clone()),
                })
                .collect();
            (!kept.is_empty() || items.is_empty()).then_some(Value::Array(kept))
        }
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{ENTERPRISE_USER_URN as ENT, USER_URN};
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": [USER_URN, ENT],
            "id": "2819c223",
            "externalId": "701984",
            "userName": "bjensen",
            "password": "secret",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"},
            ENT: {"employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "John Smith"}},
            "x-custom": 1
        })
    }

    fn project(attributes: Option<&str>, excluded: Option<&str>) -> Value {
        Projection::from_query(attributes, excluded)
            .unwrap()
            .apply(&user(), ResourceSchema::user())
    }

    #[test]
    fn default_set_drops_never() {
        let mut want = user();
        want.as_object_mut().unwrap().remove("password");
        assert_eq!(project(None, None), want);
    }

    #[test]
    fn attributes_keeps_always_and_the_named() {
        assert_eq!(
            project(Some("userName, emails.value"), None),
            json!({
                "schemas": [USER_URN, ENT],
                "id": "2819c223",
                "userName": "bjensen",
                "emails": [{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}],
            })
        );
        // password is never returned, even when asked for.
        assert_eq!(
            project(Some("password"), None),
            json!({"schemas": [USER_URN, ENT], "id": "2819c223"})
        );
    }

    #[test]
    fn attributes_with_extensions() {
        assert_eq!(
            project(Some(&format!("{ENT}:manager.displayName")), None),
            json!({"schemas": [USER_URN, ENT], "id": "2819c223", ENT: {"manager": {"displayName": "John Smith"}}})
        );
        assert_eq!(
            project(Some(ENT), None),
            json!({"schemas": [USER_URN, ENT], "id": "2819c223",
                   ENT: {"employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "John Smith"}}})
        );
        // Unqualified extension attributes resolve too.
        assert_eq!(
            project(Some("employeeNumber"), None),
            json!({"schemas": [USER_URN, ENT], "id": "2819c223", ENT: {"employeeNumber": "701984"}})
        );
    }

    #[test]
    fn excluded_attributes() {
        let got = project(None, Some("emails.type, name, id, meta.created, x-custom"));
        let mut want = user();
        let w = want.as_object_mut().unwrap();
        for k in ["password", "name", "x-custom"] {
            w.remove(k);
        }
        w["emails"] = json!([
            {"value": "bjensen@example.com", "primary": true},
            {"value": "babs@jensen.org"}
        ]);
        w["meta"] = json!({"resourceType": "User"});
        // `id` is returned always: excluding it has no effect.
        assert_eq!(got, want);
        let got = project(None, Some(ENT));
        assert!(got.get(ENT).is_none());
    }

    #[test]
    fn both_parameters_subtract() {
        assert_eq!(
            project(Some("name"), Some("name.givenName")),
            json!({"schemas": [USER_URN, ENT], "id": "2819c223", "name": {"familyName": "Jensen"}})
        );
    }

    #[test]
    fn case_insensitive_and_unknown_names() {
        assert_eq!(
            project(Some("USERNAME,nosuch,urn:x:y:z"), None),
            json!({"schemas": [USER_URN, ENT], "id": "2819c223", "userName": "bjensen"})
        );
        assert_eq!(project(Some("x-custom"), None)["x-custom"], json!(1));
    }

    #[test]
    fn bad_names_are_invalid_value() {
        let e = Projection::from_query(Some("userName,a.b.c"), None).unwrap_err();
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue));
        assert!(e
            .detail()
            .unwrap()
            .starts_with("attributes: invalid attribute path at byte 3"));
    }

    /// The projection before it was compiled: every selection scanned for
    /// every member (quadratic), kept here to check the compiled form gives
    /// the same answers.
    mod reference {
        use super::*;

        fn same(a: Option<&str>, b: Option<&str>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                _ => false,
            }
        }

        #[derive(Default)]
        struct Picks<'a> {
            whole: bool,
            subs: Vec<&'a str>,
        }

        impl<'a> Picks<'a> {
            fn collect(sels: &[Sel<'a>], container: Option<&str>, name: &str) -> Self {
                let mut picks = Self::default();
                for s in sels.iter().filter(|s| same(s.container, container)) {
                    match (s.attribute, s.sub) {
                        (None, _) => picks.whole = true,
                        (Some(a), None) if a.eq_ignore_ascii_case(name) => picks.whole = true,
                        (Some(a), Some(sub)) if a.eq_ignore_ascii_case(name) => {
                            picks.subs.push(sub);
                        }
                        _ => {}
                    }
                }
                picks
            }
            fn any(&self) -> bool {
                self.whole || !self.subs.is_empty()
            }
            fn has_sub(&self, name: &str) -> bool {
                self.subs.iter().any(|s| s.eq_ignore_ascii_case(name))
            }
        }

        struct Ctx<'a> {
            include: Vec<Sel<'a>>,
            exclude: Vec<Sel<'a>>,
            restricted: bool,
        }

        pub(super) fn apply(p: &Projection, resource: &Value, schema: &ResourceSchema) -> Value {
            let Some(object) = resource.as_object() else {
                return resource.clone();
            };
            let ctx = Ctx {
                // Through the schema's resolution only (no fast path), so
                // the comparison checks `normalise`'s shortcut too.
                include: p
                    .attributes
                    .iter()
                    .filter_map(|x| Projection::resolve(x, schema))
                    .collect(),
                exclude: p
                    .excluded
                    .iter()
                    .filter_map(|x| Projection::resolve(x, schema))
                    .collect(),
                restricted: !p.attributes.is_empty(),
            };
            let mut out = Map::new();
            for (key, value) in object {
                if let Some((ext, _)) = schema
                    .extensions()
                    .find(|(s, _)| s.id.eq_ignore_ascii_case(key))
                {
                    let Some(members) = value.as_object() else {
                        continue;
                    };
                    let kept: Map<String, Value> = members
                        .iter()
                        .filter_map(|(k, v)| {
                            ctx.attribute(k, v, find_attribute(&ext.attributes, k), Some(&ext.id))
                                .map(|v| (k.clone(), v))
                        })
                        .collect();
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Object(kept));
                    }
                    continue;
                }
                let def = find_attribute(&schema.core().attributes, key)
                    .or_else(|| find_attribute(schema.common_attributes(), key));
                if let Some(v) = ctx.attribute(key, value, def, None) {
                    out.insert(key.clone(), v);
                }
            }
            Value::Object(out)
        }

        impl Ctx<'_> {
            fn attribute(
                &self,
                key: &str,
                value: &Value,
                def: Option<&Attribute>,
                container: Option<&str>,
            ) -> Option<Value> {
                let returned = def.map_or(Returned::Default, |d| d.returned);
                let sub_defs = def.map_or(&[][..], |d| &d.sub_attributes[..]);
                let include = Picks::collect(&self.include, container, key);
                let exclude = Picks::collect(&self.exclude, container, key);
                match returned {
                    Returned::Never => None,
                    Returned::Always => project_subs(value, sub_defs, |_, r| r != Returned::Never),
                    Returned::Default | Returned::Request => {
                        if exclude.whole && !include.any() {
                            return None;
                        }
                        if self.restricted || returned == Returned::Request {
                            if !include.any() {
                                return None;
                            }
                            if include.whole {
                                return project_subs(value, sub_defs, |name, r| {
                                    r != Returned::Never && !exclude.has_sub(name)
                                });
                            }
                            return project_subs(value, sub_defs, |name, r| {
                                r == Returned::Always
                                    || (r != Returned::Never
                                        && include.has_sub(name)
                                        && !exclude.has_sub(name))
                            });
                        }
                        if exclude.whole {
                            return None;
                        }
                        project_subs(value, sub_defs, |name, r| {
                            matches!(r, Returned::Always | Returned::Default)
                                && !exclude.has_sub(name)
                        })
                    }
                }
            }
        }
    }

    /// Every combination of a set of names, on the test user and on odd
    /// spellings of it, gives what the uncompiled projection gave.
    #[test]
    fn compiled_matches_the_reference() {
        let names = [
            "userName",
            "USERNAME",
            "name",
            "name.givenName",
            "NAME.FAMILYNAME",
            "emails",
            "emails.value",
            "emails.TYPE",
            "emails.primary",
            "id",
            "meta",
            "meta.created",
            "password",
            "x-custom",
            "nosuch",
            "nosuch.sub",
            ENT,
            "urn:x:y:z",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:manager.displayName",
            "employeeNumber",
            "manager.value",
            USER_URN,
            "urn:ietf:params:scim:schemas:core:2.0:User:name",
        ];
        let mut odd = user();
        let o = odd.as_object_mut().unwrap();
        o.insert("USERNAME".into(), json!("b"));
        o.insert(
            ENT.to_uppercase(),
            json!({"EmployeeNumber": "1", "MANAGER": {"Value": "x"}}),
        );
        o.insert(
            "Emails".into(),
            json!([{"VALUE": "v", "Type": "t"}, "bare"]),
        );
        let schema = ResourceSchema::user();
        let mut checked = 0;
        for (i, a) in names.iter().enumerate() {
            for (j, b) in names.iter().enumerate() {
                let lists = [
                    (Some(*a), None),
                    (None, Some(*b)),
                    (Some(*a), Some(*b)),
                    (Some(&*format!("{a},{b}")), None),
                    (None, Some(&*format!("{a},{b}"))),
                    (
                        Some(*a),
                        Some(&*format!("{b},{}", names[(i + j) % names.len()])),
                    ),
                ];
                for (attrs, excluded) in lists {
                    let p = Projection::from_query(attrs, excluded).unwrap();
                    let compiled = p.compile(schema);
                    for resource in [user(), odd.clone()] {
                        assert_eq!(
                            compiled.apply(&resource),
                            reference::apply(&p, &resource, schema),
                            "attributes={attrs:?} excludedAttributes={excluded:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 5000);
    }

    /// 20,000 names against a 20,000-attribute resource: 4 * 10^8 name
    /// comparisons per parameter before, one hash lookup per member now.
    /// No timing assertion: it must just not take minutes.
    #[test]
    fn many_names_on_a_wide_resource() {
        const N: usize = 20_000;
        let mut resource = user();
        let o = resource.as_object_mut().unwrap();
        for i in 0..N {
            o.insert(format!("attr{i}"), json!(i));
        }
        let names: Vec<String> = (0..N).map(|i| format!("ATTR{}", i * 2)).collect();
        let p = Projection::from_query(Some(&names.join(",")), Some(&names[..N / 2].join(",")))
            .unwrap();
        let compiled = p.compile(ResourceSchema::user());
        let got = compiled.apply(&resource);
        let kept = got.as_object().unwrap();
        // The even attributes (named in both lists: `attributes` wins, as
        // before), plus schemas and id.
        assert_eq!(kept.len(), N / 2 + 2);
        assert_eq!(kept.get("attr19998"), Some(&json!(19_998)));
        assert_eq!(kept.get("attr0"), Some(&json!(0)));
        assert!(kept.get("attr3").is_none() && kept.get("userName").is_none());
        let excluded = Projection::from_query(None, Some(&names.join(","))).unwrap();
        let got = excluded.apply(&resource, ResourceSchema::user());
        assert_eq!(got.as_object().unwrap().len(), o_len(&resource) - N / 2 - 1);
    }

    fn o_len(v: &Value) -> usize {
        v.as_object().map_or(0, Map::len)
    }

    #[test]
    fn request_attributes_need_naming() {
        let mut schema = crate::builtin::group().clone();
        schema.attributes[1].returned = Returned::Request; // members
        let rt = crate::builtin::resource_types()[1].clone();
        let rs = ResourceSchema::new(rt, &[schema]).unwrap();
        let group = json!({"id": "g", "displayName": "Admins", "members": [{"value": "u1"}]});
        let p = Projection::new();
        assert_eq!(
            p.apply(&group, &rs),
            json!({"id": "g", "displayName": "Admins"})
        );
        let p = Projection::from_query(Some("members"), None).unwrap();
        assert_eq!(
            p.apply(&group, &rs),
            json!({"id": "g", "members": [{"value": "u1"}]})
        );
    }
}
