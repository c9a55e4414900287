//! Property tests for string comparison: a value's key decides everything.
//!
//! For every comparator, `equals`, `compare`, `co`, `sw` and `ew` must agree
//! with the same operations on [`Comparator::equality_key`] (so PATCH can
//! deduplicate by hashing keys and sorting can use them), and nothing may
//! panic, whatever Unicode text PRECIS or normalisation is handed.

use proptest::prelude::*;
use scimkit_schema::compare::{equality_key, Comparator};
use scimkit_schema::AttributeType;
use serde_json::json;
use unicode_normalization::UnicodeNormalization;

/// Text that exercises case, normalisation, width and PRECIS refusals.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 =_.-]{0,4}",
        Just("ß".to_owned()),
        Just("SS".to_owned()),
        Just("ë".to_owned()),
        Just("e\u{308}".to_owned()),
        Just("Ë".to_owned()),
        Just("\u{345}".to_owned()),
        Just("ᾳ".to_owned()),
        Just("Σ".to_owned()),
        Just("ς".to_owned()),
        Just("Ｂ".to_owned()),
        Just("\u{212A}".to_owned()),
        Just("İ".to_owned()),
        Just("\u{5d0}".to_owned()),
        Just("☃".to_owned()),
        Just("\u{344}".to_owned()),
        Just("\u{212B}".to_owned()),
        "\\PC{0,3}",
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|p| p.concat())
}

fn comparators() -> [Comparator; 5] {
    [
        Comparator::new(AttributeType::String, false),
        Comparator::new(AttributeType::String, true),
        Comparator::username(),
        Comparator::new(AttributeType::Binary, false),
        Comparator::new(AttributeType::Reference, false),
    ]
}

proptest! {
    #[test]
    fn keys_decide_every_string_operation(a in text(), b in text()) {
        for c in comparators() {
            let op = c.prepare(&json!(b)).unwrap();
            let (ka, kb) = (c.equality_key(&a), c.equality_key(&b));
            let v = json!(a);
            prop_assert_eq!(c.equals(&v, &op), ka == kb, "{:?}", c);
            if c.check_ordering().is_ok() {
                prop_assert_eq!(c.compare(&v, &op), Some(ka.cmp(&kb)), "{:?}", c);
            }
            prop_assert_eq!(c.contains(&v, &op), ka.contains(&*kb), "{:?}", c);
            prop_assert_eq!(c.starts_with(&v, &op), ka.starts_with(&*kb), "{:?}", c);
            prop_assert_eq!(c.ends_with(&v, &op), ka.ends_with(&*kb), "{:?}", c);
        }
        let plain = Comparator::new(AttributeType::String, false);
        prop_assert_eq!(equality_key(&a, false), plain.equality_key(&a));
        prop_assert_eq!(equality_key(&a, true), a.as_str());
    }

    #[test]
    fn canonical_forms_compare_equal(a in text()) {
        let (nfc, nfd): (String, String) = (a.nfc().collect(), a.nfd().collect());
        for c in [Comparator::new(AttributeType::String, false), Comparator::username()] {
            prop_assert_eq!(c.equality_key(&nfc), c.equality_key(&nfd), "{:?}", c);
            let op = c.prepare(&json!(nfd)).unwrap();
            prop_assert!(c.equals(&json!(nfc), &op));
        }
    }
}
