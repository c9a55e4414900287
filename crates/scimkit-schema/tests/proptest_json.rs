//! Case-insensitive member lookup: [`CiKey::get`] (an exact probe, then a
//! scan that stops early by the map's order), `get_ci` and `key_ci` (a
//! single pass for small objects) give the answer of the plain definition
//! on any object: the member spelled exactly if there is one, else the
//! first in the map's order spelled in any ASCII case.

use proptest::prelude::*;
use scimkit_schema::json::{get_ci, key_ci, CiKey};
use serde_json::{Map, Value};

/// The definition, written the obvious way.
fn reference<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A few base names, each in a random mix of cases: spellings of one name
/// in several cases, names that share a first letter (in the first and the
/// second half of the alphabet), non-letters and non-ASCII first bytes all
/// occur often.
fn name() -> impl Strategy<Value = String> {
    let bases = prop::sample::select(vec![
        "zas",
        "zab",
        "user",
        "usa",
        "na",
        "a",
        "ab",
        "$ref",
        "\u{e9}a",
        "0a",
        "_s",
        "",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ]);
    (bases, any::<u64>()).prop_map(|(base, mask)| {
        base.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    // Up to 60 members: both sides of the small-object pass.
    prop::collection::vec((name(), 0..1000u32), 0..60).prop_map(|members| {
        members
            .into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn prepared_lookup_is_the_definition(object in object(), name in name()) {
        let want = reference(&object, &name);
        prop_assert_eq!(CiKey::new(&name).get(&object), want);
        prop_assert_eq!(get_ci(&object, &name), want);
        let key = key_ci(&object, &name);
        prop_assert_eq!(key.and_then(|k| object.get(k)), want);
    }

    #[test]
    fn every_member_is_found_by_its_own_name(object in object()) {
        for (k, v) in &object {
            prop_assert_eq!(CiKey::new(k).get(&object), Some(v));
        }
    }
}
