//! Fuzz `CursorCodec::decode_at` with arbitrary strings under a fixed key
//! ring, query, count and clock, through a signing and a sealing codec:
//! never a panic, and **no token is ever accepted** unless it is one the
//! target encoded itself at start-up. Every other input must fail with
//! scimType `invalidCursor`: `expiredCursor` and `invalidCount` are only
//! reported for authentic tokens, so either of them for a foreign input
//! would mean a forged MAC.
//!
//! The target's own tokens (deterministic signed ones, whose exact text is
//! also committed as seeds, and fresh sealed ones) must decode to their
//! position or fail with the expected kind (expired, count changed, issued
//! in the future).

#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scimkit_cursor::{
    Cursor, CursorCodec, CursorError, CursorErrorKind, CursorKey, KeyRing, Position,
    QueryFingerprint, SortValue,
};
use scimkit_schema::ScimError;

/// The ring's signing secret (the seeds were made with
/// `scimkit cursor encode --key <this>`; see the README).
const KEY_HEX: &str = "5eed5eed000102030405060708090a0b0c0d0e0f101112131415161718191a1b";
/// The query the tokens are bound to (`count` and `cursor` are not bound).
const QUERY: &str = "filter=userName%20sw%20%22J%22&sortBy=name.familyName,userName";
const NOW: u64 = 1_750_000_000;
const COUNT: u32 = 10;

/// What decoding one of the target's own tokens must give.
type Expected = Result<Position, CursorErrorKind>;

struct Fixture {
    signed: CursorCodec,
    sealed: CursorCodec,
    query: QueryFingerprint,
    own: HashMap<String, Expected>,
}

fn positions() -> Vec<Position> {
    vec![
        // A typical keyset position: two sort values and a GUID id.
        Position::after(
            vec![
                SortValue::from("Jensen"),
                SortValue::from("bjensen@example.com"),
            ],
            "2819c223-7f76-453a-919d-413861904646",
        ),
        Position::before(vec![], "2819C223-7F76-453A-919D-413861904646"),
        Position::after(
            vec![
                SortValue::DateTime("2024-05-01T12:34:56.789Z".parse().expect("dateTime")),
                SortValue::Integer(-42),
                SortValue::Null,
                SortValue::Boolean(true),
                SortValue::Decimal(2.5),
            ],
            "u-7",
        ),
        Position::opaque(b"\x00\xffpage-7".to_vec()),
    ]
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let signing = CursorKey::from_hex(KEY_HEX).expect("key");
        // A second key with the same id, so every decode tries two MACs,
        // and one with another id.
        let twin = CursorKey::with_id(signing.id(), &[0x11; 32]).expect("key");
        let other = CursorKey::with_id(signing.id().wrapping_add(1), &[0x22; 32]).expect("key");
        let ring = KeyRing::new([signing, twin, other]).expect("ring");
        let signed = CursorCodec::new(ring);
        let sealed = signed.clone().with_sealing(true);
        let query = QueryFingerprint::from_query(QUERY);

        let mut own = HashMap::new();
        let mut add = |token: Cursor, expected: Expected| {
            own.insert(token.into_string(), expected);
        };
        for p in positions() {
            let at = |codec: &CursorCodec, count, now| {
                codec.encode_at(&p, &query, count, now).expect("encode")
            };
            add(at(&signed, COUNT, NOW), Ok(p.clone()));
            add(at(&sealed, COUNT, NOW), Ok(p.clone()));
            add(at(&sealed, COUNT, NOW), Ok(p.clone()));
            add(at(&signed, COUNT, NOW - 601), Err(CursorErrorKind::Expired));
            add(
                at(&signed, COUNT + 1, NOW),
                Err(CursorErrorKind::CountChanged),
            );
            add(
                at(&signed, COUNT, NOW + 61),
                Err(CursorErrorKind::NotYetValid),
            );
        }
        let fixture = Fixture {
            signed,
            sealed,
            query,
            own,
        };
        // Sanity: the own tokens behave as expected, and never verify under
        // another query or another key.
        let elsewhere = QueryFingerprint::from_query("filter=userName%20sw%20%22K%22");
        let stranger = CursorCodec::new(KeyRing::single(CursorKey::new(&[0x33; 32]).expect("key")));
        for (token, expected) in &fixture.own {
            check(&fixture, token);
            assert!(fixture
                .signed
                .decode_at(token, &elsewhere, COUNT, NOW)
                .is_err());
            assert!(stranger
                .decode_at(token, &fixture.query, COUNT, NOW)
                .is_err());
            if expected.is_ok() {
                assert!(Cursor::is_valid(token) && token.len() < 200, "{token}");
            }
        }
        fixture
    })
}

fn check(f: &Fixture, input: &str) {
    for codec in [&f.signed, &f.sealed] {
        let result = codec.decode_at(input, &f.query, COUNT, NOW);
        match (f.own.get(input), result) {
            (Some(Ok(want)), Ok(got)) => assert_eq!(got.position(), want, "{input}"),
            (Some(Err(kind)), Err(e)) => assert_eq!(e.kind(), *kind, "{input}"),
            (Some(want), got) => panic!("own token {input:?}: want {want:?}, got {got:?}"),
            (None, Ok(got)) => panic!("FORGED token accepted: {input:?} -> {got:?}"),
            (None, Err(e)) => foreign_error(input, e),
        }
    }
}

fn foreign_error(input: &str, e: CursorError) {
    let kind = e.kind();
    assert!(
        !matches!(
            kind,
            CursorErrorKind::Expired | CursorErrorKind::CountChanged | CursorErrorKind::NotYetValid
        ),
        "a foreign token passed the MAC check ({kind:?}): {input:?}"
    );
    let _ = e.to_string();
    let scim = ScimError::from(e);
    assert_eq!(scim.status(), 400, "{kind:?}");
    assert_eq!(
        scim.scim_type().map(|t| t.as_str()),
        Some("invalidCursor"),
        "{kind:?} for {input:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    match std::str::from_utf8(data) {
        Ok(input) => check(f, input),
        Err(_) => check(f, &String::from_utf8_lossy(data)),
    }
});
