//! Token codec: layout, size, every rejection path, key rotation, and the
//! `scimType` each failure answers with.

use std::sync::Arc;

use scimkit_cursor::{
    CursorCodec, CursorError, CursorErrorKind, CursorKey, KeyRing, ManualClock, Position,
    QueryFingerprint, SortValue, Timestamp,
};
use scimkit_schema::{ScimError, ScimType};

const NOW: u64 = 1_750_000_000;
const SECRET_A: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const SECRET_B: &[u8; 32] = b"fedcba9876543210fedcba9876543210";

fn ring(secrets: &[&[u8]]) -> KeyRing {
    KeyRing::new(secrets.iter().map(|s| CursorKey::new(s).unwrap())).unwrap()
}

fn codec() -> CursorCodec {
    CursorCodec::new(ring(&[SECRET_A])).with_clock(ManualClock::new(NOW))
}

fn query() -> QueryFingerprint {
    QueryFingerprint::builder()
        .resource_type("User")
        .query("filter=userName%20sw%20%22J%22&sortBy=userName&attributes=userName")
        .build()
}

fn typical() -> Position {
    Position::after(
        vec![SortValue::from("barbara.jensen@example.com")],
        "2819c223-7f76-453a-919d-413861904646",
    )
}

fn scim(err: CursorError) -> ScimError {
    err.into()
}

fn kind(r: Result<impl std::fmt::Debug, CursorError>) -> CursorErrorKind {
    r.unwrap_err().kind()
}

#[test]
fn typical_keyset_cursor_is_under_120_characters() {
    let c = codec();
    let cases = [
        // sortBy=userName, a 26-character userName, a GUID id
        typical(),
        // id order only
        Position::after(vec![], "2819c223-7f76-453a-919d-413861904646"),
        // sortBy=meta.lastModified
        Position::after(
            vec![SortValue::DateTime(
                "2024-05-01T12:34:56.789Z".parse::<Timestamp>().unwrap(),
            )],
            "2819c223-7f76-453a-919d-413861904646",
        ),
        // sortBy=displayName with a non-GUID id
        Position::after(vec![SortValue::from("Barbara Jensen")], "bjensen-000123"),
    ];
    for p in &cases {
        let t = c.encode(p, &query(), 100).unwrap();
        assert!(t.len() < 120, "{} chars for {p:?}: {t}", t.len());
        assert!(t
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
    let t = c.encode(&cases[1], &query(), 100).unwrap();
    assert_eq!(t.len(), 76);
}

#[test]
fn golden_token_is_stable() {
    // A change to this token is a change to the wire format: bump the
    // format byte instead.
    let c =
        CursorCodec::new(KeyRing::single(CursorKey::with_id(7, SECRET_A).unwrap())).with_ttl(600);
    let t = c.encode_at(&typical(), &query(), 100, NOW).unwrap();
    assert_eq!(t.as_str(), GOLDEN);
    let d = c.decode_at(GOLDEN, &query(), 100, NOW + 600).unwrap();
    assert_eq!(d.position(), &typical());
    assert_eq!(
        (d.issued_at(), d.expires_at(), d.count(), d.key_id()),
        (NOW, NOW + 600, 100, 7)
    );
    assert!(!d.is_sealed());
}

const GOLDEN: &str = "AQdoTuGAaE7j2AAAAGSZaSXwujF5zQEBBRpiYXJiYXJhLmplbnNlbkBleGFtcGxlLmNvbQcoGcIjf3ZFOpGdQThhkEZG5ufebBS1aZnzdYic9lznqw";

#[test]
fn decode_reports_metadata() {
    let c = codec().with_ttl(30);
    let t = c.encode(&typical(), &query(), 25).unwrap();
    let d = c.decode(t.as_str(), &query(), 25).unwrap();
    assert_eq!(d.issued_at(), NOW);
    assert_eq!(d.expires_at(), NOW + 30);
    assert_eq!(d.count(), 25);
    assert_eq!(d.key_id(), c.key_ring().signing_key().id());
    assert_eq!(d.into_position(), typical());
}

#[test]
fn expiry_boundary() {
    let clock = Arc::new(ManualClock::new(NOW));
    let c = codec().with_ttl(600).with_clock(clock.clone());
    let t = c.encode(&typical(), &query(), 10).unwrap();
    clock.set(NOW + 600);
    assert!(c.decode(t.as_str(), &query(), 10).is_ok());
    clock.set(NOW + 601);
    let err = c.decode(t.as_str(), &query(), 10).unwrap_err();
    assert_eq!(err.kind(), CursorErrorKind::Expired);
    let e = scim(err);
    assert_eq!(
        (e.status(), e.scim_type()),
        (400, Some(&ScimType::ExpiredCursor))
    );
}

#[test]
fn scim_types_for_each_failure() {
    let c = codec();
    let t = c.encode(&typical(), &query(), 10).unwrap();
    let s = t.as_str();
    let invalid = |r: Result<_, CursorError>| {
        let e = scim(r.unwrap_err());
        assert_eq!(e.status(), 400);
        assert_eq!(e.scim_type(), Some(&ScimType::InvalidCursor));
        e
    };
    // tampered
    let mut chars: Vec<char> = s.chars().collect();
    chars[40] = if chars[40] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let e1 = invalid(c.decode(&tampered, &query(), 10));
    // truncated
    let e2 = invalid(c.decode(&s[..s.len() - 1], &query(), 10));
    // foreign key
    let foreign = CursorCodec::new(ring(&[SECRET_B])).with_clock(ManualClock::new(NOW));
    let e3 = invalid(foreign.decode(s, &query(), 10));
    // wrong query
    let e4 = invalid(c.decode(s, &QueryFingerprint::from_query("sortBy=name"), 10));
    // garbage
    let e5 = invalid(c.decode("not a token!", &query(), 10));
    // one detail for all: nothing tells the client which check failed
    for e in [&e2, &e3, &e4, &e5] {
        assert_eq!(e, &e1);
    }
    // expired
    let later = codec().with_clock(ManualClock::new(NOW + 10_000));
    let e = scim(later.decode(s, &query(), 10).unwrap_err());
    assert_eq!(e.scim_type(), Some(&ScimType::ExpiredCursor));
    // changed count
    let e = scim(c.decode(s, &query(), 11).unwrap_err());
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidCount));
}

#[test]
fn kinds_for_logs() {
    let c = codec();
    let t = c.encode(&typical(), &query(), 10).unwrap();
    let s = t.as_str();
    assert_eq!(
        kind(c.decode(s, &QueryFingerprint::from_query("sortBy=name"), 10)),
        CursorErrorKind::WrongQuery
    );
    let foreign = CursorCodec::new(KeyRing::single(
        CursorKey::with_id(c.key_ring().signing_key().id(), SECRET_B).unwrap(),
    ));
    assert_eq!(
        kind(foreign.decode(s, &query(), 10)),
        CursorErrorKind::BadSignature
    );
    let other_id = c.key_ring().signing_key().id().wrapping_add(1);
    let foreign = CursorCodec::new(KeyRing::single(
        CursorKey::with_id(other_id, SECRET_A).unwrap(),
    ));
    assert_eq!(
        kind(foreign.decode(s, &query(), 10)),
        CursorErrorKind::UnknownKey
    );
    assert_eq!(kind(c.decode("", &query(), 10)), CursorErrorKind::Malformed);
    assert_eq!(
        kind(c.decode(&"A".repeat(2000), &query(), 10)),
        CursorErrorKind::TooLong
    );
    // padding, standard-alphabet characters, whitespace
    assert_eq!(
        kind(c.decode(&format!("{s}="), &query(), 10)),
        CursorErrorKind::Malformed
    );
    assert_eq!(
        kind(c.decode(&format!(" {s}"), &query(), 10)),
        CursorErrorKind::Malformed
    );
    let standard = s.replace('-', "+").replace('_', "/");
    if standard != s {
        assert_eq!(
            kind(c.decode(&standard, &query(), 10)),
            CursorErrorKind::Malformed
        );
    }
}

#[test]
fn every_bit_flip_of_the_bytes_is_rejected() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let c = codec();
    let t = c.encode(&typical(), &query(), 10).unwrap();
    let bytes = b64.decode(t.as_str()).unwrap();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut b = bytes.clone();
            b[i] ^= 1 << bit;
            let r = c.decode(&b64.encode(&b), &query(), 10);
            let e = r.expect_err("flipped token accepted");
            assert_eq!(
                e.scim_type(),
                Some(ScimType::InvalidCursor),
                "byte {i} bit {bit}: {e:?}"
            );
        }
    }
}

#[test]
fn extensions_and_re_encodings_are_rejected() {
    let c = codec();
    let t = c.encode(&typical(), &query(), 10).unwrap();
    let s = t.as_str();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for ch in alphabet.chars() {
        assert!(c.decode(&format!("{s}{ch}"), &query(), 10).is_err());
        assert!(c.decode(&format!("{ch}{s}"), &query(), 10).is_err());
        assert!(c.decode(&format!("{s}{ch}{ch}"), &query(), 10).is_err());
    }
    // The same bytes with padding, or the standard alphabet, are refused.
    assert!(c.decode(&format!("{s}=="), &query(), 10).is_err());
    assert!(c.decode(&s.to_lowercase(), &query(), 10).is_err());
    assert!(c.decode(&s.to_uppercase(), &query(), 10).is_err());
}

#[test]
fn key_rotation() {
    let old = CursorCodec::new(ring(&[SECRET_A])).with_clock(ManualClock::new(NOW));
    let t_old = old.encode(&typical(), &query(), 10).unwrap();

    // Step 1: new key first, old still listed.
    let rotating = CursorCodec::new(ring(&[SECRET_B, SECRET_A])).with_clock(ManualClock::new(NOW));
    let t_new = rotating.encode(&typical(), &query(), 10).unwrap();
    assert!(rotating.decode(t_old.as_str(), &query(), 10).is_ok());
    assert!(rotating.decode(t_new.as_str(), &query(), 10).is_ok());
    // Servers not yet rotated still accept... only their own tokens.
    assert!(old.decode(t_new.as_str(), &query(), 10).is_err());

    // Step 3: old key dropped.
    let rotated = CursorCodec::new(ring(&[SECRET_B])).with_clock(ManualClock::new(NOW));
    assert!(rotated.decode(t_new.as_str(), &query(), 10).is_ok());
    let err = rotated.decode(t_old.as_str(), &query(), 10).unwrap_err();
    assert!(matches!(
        err.kind(),
        CursorErrorKind::UnknownKey | CursorErrorKind::BadSignature
    ));
}

#[test]
fn colliding_key_ids_are_both_tried() {
    let a = CursorKey::with_id(5, SECRET_A).unwrap();
    let b = CursorKey::with_id(5, SECRET_B).unwrap();
    let signer = CursorCodec::new(KeyRing::single(b.clone()));
    let t = signer.encode(&typical(), &query(), 1).unwrap();
    let verifier = CursorCodec::new(KeyRing::new([a, b]).unwrap());
    assert!(verifier.decode(t.as_str(), &query(), 1).is_ok());
}

#[test]
fn opaque_positions() {
    let c = codec();
    for bytes in [
        vec![],
        vec![0u8],
        b"upstream-page-token:abc".to_vec(),
        vec![0xff; 300],
    ] {
        let p = Position::opaque(bytes);
        let t = c.encode(&p, &query(), 1).unwrap();
        assert_eq!(c.decode(t.as_str(), &query(), 1).unwrap().position(), &p);
    }
}

#[test]
fn length_limit_applies_both_ways() {
    let c = codec().with_max_len(200);
    let big = Position::opaque(vec![7; 200]);
    assert_eq!(
        kind(c.encode(&big, &query(), 1)),
        CursorErrorKind::PositionTooLarge
    );
    let roomy = codec().with_max_len(1000);
    let t = roomy.encode(&big, &query(), 1).unwrap();
    assert_eq!(
        kind(c.decode(t.as_str(), &query(), 1)),
        CursorErrorKind::TooLong
    );
    assert!(roomy.decode(t.as_str(), &query(), 1).is_ok());
}

#[cfg(feature = "sealed")]
mod sealed {
    use super::*;

    #[test]
    fn sealed_tokens_hide_the_position() {
        let c = codec().with_sealing(true);
        assert!(c.is_sealing());
        let p = Position::after(vec![SortValue::from("secret-sort-value")], "secret-id");
        let t1 = c.encode(&p, &query(), 10).unwrap();
        let t2 = c.encode(&p, &query(), 10).unwrap();
        assert_ne!(t1, t2, "random nonces");
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(t1.as_str())
            .unwrap();
        assert_eq!(bytes[0], 0x02);
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains("secret"));
        let d = c.decode(t1.as_str(), &query(), 10).unwrap();
        assert!(d.is_sealed());
        assert_eq!(d.position(), &p);
    }

    #[test]
    fn sealed_overhead_is_40_bytes() {
        let signed = codec();
        let sealed = codec().with_sealing(true);
        let a = signed.encode(&typical(), &query(), 10).unwrap();
        let b = sealed.encode(&typical(), &query(), 10).unwrap();
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let (a, b) = (
            b64.decode(a.as_str()).unwrap(),
            b64.decode(b.as_str()).unwrap(),
        );
        assert_eq!(b.len() - a.len(), 40);
    }

    #[test]
    fn both_formats_decode_under_either_setting() {
        let signed = codec();
        let sealed = codec().with_sealing(true);
        let a = signed.encode(&typical(), &query(), 10).unwrap();
        let b = sealed.encode(&typical(), &query(), 10).unwrap();
        for c in [&signed, &sealed] {
            assert!(c.decode(a.as_str(), &query(), 10).is_ok());
            assert!(c.decode(b.as_str(), &query(), 10).is_ok());
        }
    }

    #[test]
    fn every_bit_flip_of_a_sealed_token_is_rejected() {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let c = codec().with_sealing(true);
        let t = c.encode(&typical(), &query(), 10).unwrap();
        let bytes = b64.decode(t.as_str()).unwrap();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                assert!(
                    c.decode(&b64.encode(&b), &query(), 10).is_err(),
                    "byte {i} bit {bit}"
                );
            }
        }
    }
}

#[cfg(not(feature = "sealed"))]
#[test]
fn sealed_format_is_unknown_without_the_feature() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let c = codec();
    let t = c.encode(&typical(), &query(), 10).unwrap();
    let mut bytes = b64.decode(t.as_str()).unwrap();
    bytes[0] = 0x02;
    assert_eq!(
        kind(c.decode(&b64.encode(&bytes), &query(), 10)),
        CursorErrorKind::UnknownVersion
    );
}
