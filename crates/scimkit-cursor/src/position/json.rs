//! The JSON form of a [`Position`]: `{"sortValues": [...], "id": "...",
//! "direction": "previous"}` or `{"opaque": "<base64url>"}`.

use base64::Engine as _;
use scimkit_schema::SortValue;
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::{Direction, Keyset, Position, MAX_SORT_VALUES};

impl Serialize for Position {
    /// `{"sortValues": [...], "id": "...", "direction": "previous"}`
    /// (`direction` only when previous), or `{"opaque": "<base64url>"}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Opaque(bytes) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(
                    "opaque",
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
                )?;
                map.end()
            }
            Self::Keyset(k) => {
                let prev = k.direction == Direction::Previous;
                let mut map = serializer.serialize_map(Some(2 + usize::from(prev)))?;
                map.serialize_entry("sortValues", &SortValues(&k.sort_values))?;
                map.serialize_entry("id", &k.id)?;
                if prev {
                    map.serialize_entry("direction", &k.direction)?;
                }
                map.end()
            }
        }
    }
}

struct SortValues<'a>(&'a [SortValue]);

impl Serialize for SortValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(v)?;
        }
        seq.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PositionRepr {
    #[serde(default)]
    sort_values: Option<Vec<SortValue>>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    opaque: Option<String>,
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = PositionRepr::deserialize(deserializer)?;
        match (r.opaque, r.id) {
            (Some(text), None) => {
                if r.sort_values.is_some() || r.direction.is_some() {
                    return Err(de::Error::custom(
                        "an opaque position has no sortValues or direction",
                    ));
                }
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(text.as_bytes())
                    .map(Self::Opaque)
                    .map_err(|_| de::Error::custom("`opaque` is not unpadded base64url"))
            }
            (None, Some(id)) => {
                let sort_values = r.sort_values.unwrap_or_default();
                if sort_values.len() > MAX_SORT_VALUES {
                    return Err(de::Error::custom(format_args!(
                        "at most {MAX_SORT_VALUES} sort values"
                    )));
                }
                Ok(Self::Keyset(Keyset {
                    sort_values,
                    id,
                    direction: r.direction.unwrap_or_default(),
                }))
            }
            (Some(_), Some(_)) => Err(de::Error::custom(
                "a position has either `id` (keyset) or `opaque`, not both",
            )),
            (None, None) => Err(de::Error::custom(
                "a position needs `id` (keyset) or `opaque`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_forms() {
        let p = Position::before(
            vec![
                SortValue::Null,
                SortValue::Boolean(true),
                SortValue::Integer(42),
                SortValue::Decimal(2.0),
                SortValue::String("x".into()),
                SortValue::DateTime("2024-01-01T00:00:00Z".parse().unwrap()),
            ],
            "7",
        );
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"sortValues": [null, true, 42, 2.0, "x",
                {"dateTime": "2024-01-01T00:00:00Z"}], "id": "7", "direction": "previous"})
        );
        assert_eq!(serde_json::from_value::<Position>(v).unwrap(), p);

        let o = Position::opaque(b"\x00\xffpage-7".to_vec());
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(v, serde_json::json!({"opaque": "AP9wYWdlLTc"}));
        assert_eq!(serde_json::from_value::<Position>(v).unwrap(), o);

        for bad in [
            r#"{}"#,
            r#"{"id": "1", "opaque": ""}"#,
            r#"{"opaque": "AA", "direction": "next"}"#,
            r#"{"opaque": "A"}"#,
            r#"{"id": 1}"#,
            r#"{"id": "1", "extra": 0}"#,
            r#"{"id": "1", "sortValues": [18446744073709551615]}"#,
            r#"{"id": "1", "sortValues": [[1]]}"#,
            r#"{"id": "1", "sortValues": [{"dateTime": "yesterday"}]}"#,
            r#"{"id": "1", "sortValues": [{"date": "2024-01-01T00:00:00Z"}]}"#,
            r#"{"id": "1", "direction": "sideways"}"#,
        ] {
            assert!(serde_json::from_str::<Position>(bad).is_err(), "{bad}");
        }
    }
}
