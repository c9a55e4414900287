//! What the conversions do with attributes public Microsoft Graph cannot
//! write ([`GraphOptions`]), and how they report them ([`NotWritable`]).

use scimkit_schema::{ScimError, ScimType};
use serde::Serialize;

/// Why `externalId` is not written: the reason in every [`NotWritable`] for it.
pub(crate) const EXTERNAL_ID_REASON: &str =
    "Entra keeps externalId in crossDomainData, which is not a public Microsoft Graph \
     property: no Graph request can write it (keep it in the proxy, or name a Graph property \
     of your own to carry it)";

/// Options of [`to_graph_with`](crate::convert::to_graph_with),
/// [`from_graph_with`](crate::convert::from_graph_with) and
/// [`patch_to_graph_with`](crate::graph::patch_to_graph_with). The default is what
/// [`to_graph`](crate::convert::to_graph), [`from_graph`](crate::convert::from_graph) and
/// [`patch_to_graph`](crate::graph::patch_to_graph) use.
///
/// - `externalId`: Entra's SCIM API keeps a user's `externalId` in Graph's
///   `crossDomainData`, which public Graph does not expose. By default no
///   Graph body carries it, and the result lists it as
///   [`NotWritable`]. [`GraphOptions::external_id_property`] names a Graph
///   property of the caller's own choosing to carry it instead (off by
///   default): `employeeId`, an
///   `onPremisesExtensionAttributes.extensionAttributeN`, or a directory
///   extension `extension_{appId}_{name}`.
///
/// ```
/// use scimkit_entra::{convert::{to_graph, to_graph_with}, graph::GraphOptions, ResourceKind};
/// use serde_json::json;
///
/// let user = json!({"userName": "adele@contoso.com", "externalId": "a-17"});
/// let plain = to_graph(ResourceKind::User, &user)?;
/// assert_eq!(plain.body, json!({"userPrincipalName": "adele@contoso.com"}));
/// assert_eq!(plain.not_writable[0].path, "externalId");
///
/// let options = GraphOptions::default()
///     .external_id_property("onPremisesExtensionAttributes.extensionAttribute1")?;
/// let carried = to_graph_with(ResourceKind::User, &user, &options)?;
/// assert_eq!(carried.body, json!({"userPrincipalName": "adele@contoso.com",
///     "onPremisesExtensionAttributes": {"extensionAttribute1": "a-17"}}));
/// assert!(carried.not_writable.is_empty());
/// # Ok::<(), scimkit_schema::ScimError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GraphOptions {
    external_id: Option<String>,
}

impl GraphOptions {
    /// Carry a user's `externalId` in the Graph property `property` (a
    /// dotted path for a nested one). The property must be writable
    /// through Graph with the caller's permissions; a PATCH or resource
    /// that also writes it from another attribute with a different value
    /// is an error.
    ///
    /// Errors (`400 invalidValue`): `property` is not a Graph property
    /// name (letters, digits and `_`, starting with a letter, dots between
    /// nested names), or is `crossDomainData`, `id` or one of their members.
    pub fn external_id_property(mut self, property: &str) -> Result<Self, ScimError> {
        let valid = property.split('.').all(|segment| {
            segment
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let first = property.split('.').next().unwrap_or_default();
        if !valid || property.len() > 256 {
            return Err(ScimError::new(
                ScimType::InvalidValue,
                format!(
                    "{property:?} is not a Microsoft Graph property name (letters, digits and _, \
                     dots between nested names)"
                ),
            ));
        }
        if first.eq_ignore_ascii_case("crossDomainData") || first.eq_ignore_ascii_case("id") {
            return Err(ScimError::new(
                ScimType::InvalidValue,
                format!(
                    "{property:?} cannot carry externalId: Graph does not let a request write it"
                ),
            ));
        }
        self.external_id = Some(property.to_owned());
        Ok(self)
    }

    /// The Graph property that carries `externalId`, if any.
    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }
}

/// An attribute the input carries that no public Microsoft Graph request
/// can write, so the Graph requests leave it out: the proxy must keep it
/// itself. Serializes as `{"path": ..., "reason": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NotWritable {
    /// The SCIM path (`externalId`).
    pub path: String,
    /// Why, for a person to read.
    pub reason: String,
}

impl NotWritable {
    pub(crate) fn external_id(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            reason: EXTERNAL_ID_REASON.to_owned(),
        }
    }

    /// Add `item` to `list` unless its path is there already.
    pub(crate) fn push_unique(list: &mut Vec<Self>, item: Self) {
        if !list.iter().any(|n| n.path == item.path) {
            list.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carrier_names_are_graph_property_names() {
        for ok in [
            "employeeId",
            "onPremisesExtensionAttributes.extensionAttribute1",
            "extension_0123abcd_externalId",
        ] {
            let o = GraphOptions::default().external_id_property(ok).unwrap();
            assert_eq!(o.external_id(), Some(ok));
        }
        for bad in ["", "a..b", "1a", "a b", "a@odata.type", "a/b", ".a", "a."] {
            let e = GraphOptions::default()
                .external_id_property(bad)
                .unwrap_err();
            assert_eq!(e.scim_type(), Some(&ScimType::InvalidValue), "{bad}");
            assert!(e
                .detail()
                .unwrap()
                .contains("not a Microsoft Graph property name"));
        }
        for refused in ["crossDomainData.scim.v2.externalId", "id", "ID"] {
            let e = GraphOptions::default()
                .external_id_property(refused)
                .unwrap_err();
            assert!(
                e.detail().unwrap().contains("cannot carry externalId"),
                "{refused}"
            );
        }
        assert_eq!(GraphOptions::default().external_id(), None);
    }
}
