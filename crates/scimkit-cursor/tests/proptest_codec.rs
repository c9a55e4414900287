//! Property tests of the token codec: round-trips, tamper evidence, query
//! and key binding, expiry boundaries. Run in both modes with `--features
//! sealed`.

use base64::Engine as _;
use proptest::prelude::*;
use scimkit_cursor::{
    CursorCodec, CursorErrorKind, CursorKey, Direction, KeyRing, Position, QueryFingerprint,
    SortValue, Timestamp,
};
use scimkit_schema::ScimType;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn sort_value() -> impl Strategy<Value = SortValue> {
    prop_oneof![
        Just(SortValue::Null),
        any::<bool>().prop_map(SortValue::Boolean),
        any::<i64>().prop_map(SortValue::Integer),
        any::<f64>()
            .prop_filter("finite", |d| d.is_finite())
            .prop_map(SortValue::Decimal),
        ".{0,40}".prop_map(SortValue::String),
        (-62_167_219_200i64..=253_402_300_799, 0u32..1_000_000_000)
            .prop_map(|(s, n)| SortValue::DateTime(Timestamp::from_unix(s, n).unwrap())),
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}",
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    ]
}

fn position() -> impl Strategy<Value = Position> {
    prop_oneof![
        3 => (
            proptest::collection::vec(sort_value(), 0..5),
            id(),
            prop_oneof![Just(Direction::Next), Just(Direction::Previous)],
        )
            .prop_map(|(sort_values, id, direction)| {
                Position::keyset(sort_values, id, direction)
            }),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(Position::Opaque),
    ]
}

fn query_text() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z ]{0,12}",
        prop_oneof![Just(""), Just("userName"), Just("name.familyName")],
        prop_oneof![Just(""), Just("ascending"), Just("descending")],
        "[a-z,]{0,12}",
    )
        .prop_map(|(f, s, o, a)| format!("filter={f}&sortBy={s}&sortOrder={o}&attributes={a}"))
}

/// The codecs under test: signed, and sealed when the feature is on.
fn codecs(secret: &[u8]) -> Vec<CursorCodec> {
    let base = CursorCodec::new(KeyRing::single(CursorKey::new(secret).unwrap()));
    #[cfg(feature = "sealed")]
    {
        vec![base.clone(), base.with_sealing(true)]
    }
    #[cfg(not(feature = "sealed"))]
    {
        vec![base]
    }
}

const NOW: u64 = 1_750_000_000;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn roundtrip(p in position(), q in query_text(), count in any::<u32>(), ttl in 0u32..100_000) {
        let fp = QueryFingerprint::from_query(&q);
        for c in codecs(&[9; 32]) {
            let c = c.with_ttl(ttl);
            let t = c.encode_at(&p, &fp, count, NOW).unwrap();
            prop_assert!(t.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            let d = c.decode_at(t.as_str(), &fp, count, NOW).unwrap();
            prop_assert_eq!(d.position(), &p);
            prop_assert_eq!(d.issued_at(), NOW);
            prop_assert_eq!(d.expires_at(), NOW + u64::from(ttl));
            prop_assert_eq!(d.count(), count);
        }
    }

    #[test]
    fn position_json_roundtrip(p in position()) {
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<Position>(&json).unwrap(), p);
    }

    #[test]
    fn never_under_another_query(p in position(), q1 in query_text(), q2 in query_text()) {
        let (f1, f2) = (QueryFingerprint::from_query(&q1), QueryFingerprint::from_query(&q2));
        prop_assume!(f1 != f2);
        for c in codecs(&[1; 32]) {
            let t = c.encode_at(&p, &f1, 10, NOW).unwrap();
            let e = c.decode_at(t.as_str(), &f2, 10, NOW).unwrap_err();
            prop_assert_eq!(e.kind(), CursorErrorKind::WrongQuery);
            prop_assert_eq!(e.scim_type(), Some(ScimType::InvalidCursor));
        }
    }

    #[test]
    fn never_under_another_key(p in position(), k1 in proptest::collection::vec(any::<u8>(), 16..48),
                               k2 in proptest::collection::vec(any::<u8>(), 16..48), same_id in any::<bool>()) {
        prop_assume!(k1 != k2);
        let fp = QueryFingerprint::from_query("sortBy=userName");
        let (a, b) = if same_id {
            (CursorKey::with_id(3, &k1).unwrap(), CursorKey::with_id(3, &k2).unwrap())
        } else {
            (CursorKey::new(&k1).unwrap(), CursorKey::new(&k2).unwrap())
        };
        let signer = CursorCodec::new(KeyRing::single(a));
        let verifier = CursorCodec::new(KeyRing::single(b));
        let t = signer.encode_at(&p, &fp, 10, NOW).unwrap();
        let e = verifier.decode_at(t.as_str(), &fp, 10, NOW).unwrap_err();
        prop_assert!(matches!(e.kind(), CursorErrorKind::UnknownKey | CursorErrorKind::BadSignature));
        prop_assert_eq!(e.scim_type(), Some(ScimType::InvalidCursor));
    }

    #[test]
    fn expiry_boundaries(p in position(), issued in 0u64..=u64::from(u32::MAX / 2), ttl in 0u32..=1_000_000,
                         skew in 0u32..=300) {
        let fp = QueryFingerprint::from_query("");
        for c in codecs(&[2; 32]) {
            let c = c.with_ttl(ttl).with_clock_skew(skew);
            let t = c.encode_at(&p, &fp, 1, issued).unwrap();
            let last = issued + u64::from(ttl);
            prop_assert!(c.decode_at(t.as_str(), &fp, 1, issued).is_ok());
            prop_assert!(c.decode_at(t.as_str(), &fp, 1, last).is_ok());
            let e = c.decode_at(t.as_str(), &fp, 1, last + 1).unwrap_err();
            prop_assert_eq!(e.kind(), CursorErrorKind::Expired);
            prop_assert_eq!(e.scim_type(), Some(ScimType::ExpiredCursor));
            // Issued "in the future": accepted within the skew, refused beyond.
            if let Some(early) = issued.checked_sub(u64::from(skew)) {
                prop_assert!(c.decode_at(t.as_str(), &fp, 1, early).is_ok());
                if let Some(too_early) = early.checked_sub(1) {
                    prop_assert_eq!(c.decode_at(t.as_str(), &fp, 1, too_early).unwrap_err().kind(),
                                    CursorErrorKind::NotYetValid);
                }
            }
        }
    }
}

proptest! {
    // Each case decodes a few hundred tampered tokens.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_single_bit_flip_is_rejected(p in position()) {
        let fp = QueryFingerprint::from_query("sortBy=userName");
        for c in codecs(&[3; 32]) {
            let t = c.encode_at(&p, &fp, 10, NOW).unwrap();
            // Flips of the decoded bytes...
            let bytes = B64.decode(t.as_str()).unwrap();
            for i in 0..bytes.len() {
                for bit in 0..8 {
                    let mut b = bytes.clone();
                    b[i] ^= 1 << bit;
                    let e = c.decode_at(&B64.encode(&b), &fp, 10, NOW).unwrap_err();
                    prop_assert_eq!(e.scim_type(), Some(ScimType::InvalidCursor), "byte {} bit {}", i, bit);
                }
            }
            // ...and of the text's characters (those that stay UTF-8).
            let text = t.as_str().as_bytes();
            for i in 0..text.len() {
                for bit in 0..8 {
                    let mut b = text.to_vec();
                    b[i] ^= 1 << bit;
                    if let Ok(s) = String::from_utf8(b) {
                        let e = c.decode_at(&s, &fp, 10, NOW).unwrap_err();
                        prop_assert_eq!(e.scim_type(), Some(ScimType::InvalidCursor), "char {} bit {}", i, bit);
                    }
                }
            }
        }
    }

    #[test]
    fn every_truncation_is_rejected(p in position()) {
        let fp = QueryFingerprint::from_query("");
        for c in codecs(&[4; 32]) {
            let t = c.encode_at(&p, &fp, 10, NOW).unwrap();
            let s = t.as_str();
            for n in 0..s.len() {
                prop_assert!(c.decode_at(&s[..n], &fp, 10, NOW).is_err(), "prefix {}", n);
                prop_assert!(c.decode_at(&s[s.len() - n..], &fp, 10, NOW).is_err(), "suffix {}", n);
            }
            let bytes = B64.decode(s).unwrap();
            for n in 0..bytes.len() {
                prop_assert!(c.decode_at(&B64.encode(&bytes[..n]), &fp, 10, NOW).is_err());
            }
        }
    }

    #[test]
    fn extension_is_rejected(p in position(), extra in proptest::collection::vec(any::<u8>(), 1..8)) {
        let fp = QueryFingerprint::from_query("");
        for c in codecs(&[5; 32]) {
            let t = c.encode_at(&p, &fp, 10, NOW).unwrap();
            let mut bytes = B64.decode(t.as_str()).unwrap();
            bytes.extend_from_slice(&extra);
            prop_assert!(c.decode_at(&B64.encode(&bytes), &fp, 10, NOW).is_err());
            let mut front = extra.clone();
            front.extend_from_slice(&B64.decode(t.as_str()).unwrap());
            prop_assert!(c.decode_at(&B64.encode(&front), &fp, 10, NOW).is_err());
        }
    }

    #[test]
    fn arbitrary_text_never_decodes(s in ".{0,300}", b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let fp = QueryFingerprint::from_query("");
        for c in codecs(&[6; 32]) {
            prop_assert!(c.decode_at(&s, &fp, 10, NOW).is_err());
            prop_assert!(c.decode_at(&B64.encode(&b), &fp, 10, NOW).is_err());
        }
    }
}
