//! Sorting (RFC 7644 §3.4.2.3): `sortBy` and `sortOrder`. The rules are
//! in the crate documentation ("Sorting"), where rustdoc shows them.

use std::cmp::Ordering;

use scimkit_schema::compare::{Comparator, Operand};
use scimkit_schema::json::member_ci;
use scimkit_schema::{AttrPath, AttributeType, ResourceSchema, ScimError, ScimType};
use serde_json::Value;

use crate::eval::{resolve_sort_target, CompileOptions, SortTarget};
use scimkit_schema::error::excerpt;

/// `sortOrder`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Smallest first (the default).
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl SortOrder {
    /// The RFC spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }
}

/// A parsed `sortBy` / `sortOrder` pair.
///
/// ```
/// use scimkit_filter::SortSpec;
/// use scimkit_schema::ResourceSchema;
/// use serde_json::json;
///
/// let mut users = vec![
///     json!({"userName": "carol"}),
///     json!({"id": "no-name"}),
///     json!({"userName": "Alice"}),
/// ];
/// let sorter = SortSpec::from_query("userName", Some("ascending"))?.compile(ResourceSchema::user())?;
/// sorter.sort(&mut users);
/// assert_eq!(users, [json!({"userName": "Alice"}), json!({"userName": "carol"}), json!({"id": "no-name"})]);
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SortSpec {
    /// The attribute sorted by.
    pub path: AttrPath,
    /// The direction.
    pub order: SortOrder,
}

/// A [`SortSpec`] resolved against a schema (or none), ready to sort.
#[derive(Clone, Debug)]
pub struct Sorter {
    target: Option<SortTarget>,
    order: SortOrder,
}

impl SortSpec {
    /// Sort by `path` in `order`.
    pub fn new(path: AttrPath, order: SortOrder) -> Self {
        Self { path, order }
    }

    /// From the `sortBy` and `sortOrder` query parameters.
    pub fn from_query(sort_by: &str, sort_order: Option<&str>) -> Result<Self, ScimError> {
        let path = AttrPath::parse(sort_by.trim())
            .map_err(|e| ScimError::new(ScimType::InvalidValue, format!("sortBy: {e}")))?;
        let order = match sort_order.map(str::trim) {
            None | Some("") => SortOrder::Ascending,
            Some(o) if o.eq_ignore_ascii_case("ascending") => SortOrder::Ascending,
            Some(o) if o.eq_ignore_ascii_case("descending") => SortOrder::Descending,
            Some(o) => {
                return Err(ScimError::new(
                    ScimType::InvalidValue,
                    format!(
                        "sortOrder {:?}: expected \"ascending\" or \"descending\"",
                        excerpt(o)
                    ),
                ))
            }
        };
        Ok(Self { path, order })
    }

    /// Resolve against a resource schema.
    pub fn compile(&self, schema: &ResourceSchema) -> Result<Sorter, ScimError> {
        self.compile_with(schema, CompileOptions::default())
    }

    /// Resolve against a resource schema with explicit options.
    pub fn compile_with(
        &self,
        schema: &ResourceSchema,
        options: CompileOptions,
    ) -> Result<Sorter, ScimError> {
        Ok(Sorter {
            target: resolve_sort_target(Some((schema, options)), &self.path)?,
            order: self.order,
        })
    }

    /// Without a schema: names case-insensitive, the type taken from each value.
    pub fn compile_schemaless(&self) -> Sorter {
        Sorter {
            target: resolve_sort_target(None, &self.path).ok().flatten(),
            order: self.order,
        }
    }
}

/// A prepared sort key: the comparator's prepared value (or missing), and
/// the JSON type's rank for values of different types.
pub(crate) struct Key(Option<Operand>, u8);

fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Bool(_) => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        _ => 3,
    }
}

impl Sorter {
    /// The value a resource sorts by, if it has one.
    pub fn key<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        let target = self.target.as_ref()?;
        let value = target.loc.attr_value(resource)?;
        let chosen = match value {
            Value::Array(items) => items
                .iter()
                .find(|i| member_ci(i, "primary") == Some(&Value::Bool(true)))
                .or_else(|| items.first())?,
            other => other,
        };
        target.loc.leaf(chosen).filter(|v| !v.is_null())
    }

    /// The order (ascending or descending).
    pub fn order(&self) -> SortOrder {
        self.order
    }

    pub(crate) fn comparator(&self, value: &Value) -> Comparator {
        match self.target.as_ref().and_then(|t| t.comparator) {
            Some(c) => c,
            None => Comparator::new(
                match value {
                    Value::Bool(_) => AttributeType::Boolean,
                    Value::Number(_) => AttributeType::Decimal,
                    _ => AttributeType::String,
                },
                false,
            ),
        }
    }

    pub(crate) fn prepare(&self, resource: &Value) -> Key {
        self.prepare_value(self.key(resource))
    }

    /// The prepared key of a sort value (`None`: missing).
    pub(crate) fn prepare_value(&self, value: Option<&Value>) -> Key {
        match value {
            None => Key(None, u8::MAX),
            Some(v) => Key(self.comparator(v).prepare(v).ok(), type_rank(v)),
        }
    }

    pub(crate) fn cmp_prepared(&self, a: &Key, b: &Key) -> Ordering {
        let ord = match (&a.0, &b.0) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => x.cmp_key(y).unwrap_or_else(|| a.1.cmp(&b.1)),
        };
        match self.order {
            SortOrder::Ascending => ord,
            SortOrder::Descending => ord.reverse(),
        }
    }

    /// Compare two resources as the sort would.
    pub fn compare(&self, a: &Value, b: &Value) -> Ordering {
        self.cmp_prepared(&self.prepare(a), &self.prepare(b))
    }

    /// Sort resources in place (stable; each key is prepared once).
    pub fn sort(&self, resources: &mut [Value]) {
        let keys: Vec<Key> = resources.iter().map(|r| self.prepare(r)).collect();
        let mut order: Vec<usize> = (0..resources.len()).collect();
        order.sort_by(|&a, &b| match (keys.get(a), keys.get(b)) {
            (Some(x), Some(y)) => self.cmp_prepared(x, y),
            _ => Ordering::Equal,
        });
        let mut taken: Vec<Value> = resources.iter_mut().map(std::mem::take).collect();
        for (slot, i) in resources.iter_mut().zip(order) {
            if let Some(v) = taken.get_mut(i) {
                *slot = std::mem::take(v);
            }
        }
    }
}
