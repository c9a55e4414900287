//! criterion benchmarks for `scimkit-cursor`: encoding and decoding a
//! typical keyset cursor (two sort values, `sortBy=name.familyName,userName`,
//! plus a GUID `id`), signed and sealed, and parsing a follow-up page
//! request with `PageRequest::from_query`.
//!
//! Token lengths go to stderr once, before measuring. Decoding is timed
//! with the full verification a server does (length, base64url, key id,
//! MAC over the query fingerprint, expiry, count, payload); the query
//! fingerprint is computed once outside the loop, as a server computes it
//! once per request.
//!
//! Quick by default (2 s measurement, 0.5 s warm-up, 30 samples):
//! `cargo bench -p scimkit-benches --bench cursor`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use scimkit_cursor::{
    CursorCodec, CursorKey, KeyRing, PageRequest, PaginationConfig, Position, QueryFingerprint,
    SortValue,
};

const NOW: u64 = 1_750_000_000;
const COUNT: u32 = 100;
const QUERY: &str = "filter=userName%20sw%20%22J%22&sortBy=name.familyName,userName&count=100";

fn position() -> Position {
    Position::after(
        vec![
            SortValue::from("Jensen"),
            SortValue::from("bjensen@example.com"),
        ],
        "2819c223-7f76-453a-919d-413861904646",
    )
}

fn codecs() -> [(&'static str, CursorCodec); 2] {
    let key =
        CursorKey::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
            .expect("benchmark key");
    let signed = CursorCodec::new(KeyRing::single(key));
    let sealed = signed.clone().with_sealing(true);
    [("signed", signed), ("sealed", sealed)]
}

fn tokens(c: &mut Criterion) {
    let query = QueryFingerprint::from_query(QUERY);
    let position = position();
    let codecs = codecs();
    for (name, codec) in &codecs {
        let token = codec
            .encode_at(&position, &query, COUNT, NOW)
            .expect("encode");
        eprintln!(
            "cursor token, {name}, 2 sort values + GUID id: {} characters",
            token.len()
        );
    }

    let mut group = c.benchmark_group("cursor");
    for (name, codec) in &codecs {
        group.bench_function(format!("encode_{name}"), |b| {
            b.iter(|| {
                codec
                    .encode_at(black_box(&position), black_box(&query), COUNT, NOW)
                    .expect("encode")
            })
        });
        let token = codec
            .encode_at(&position, &query, COUNT, NOW)
            .expect("encode");
        group.bench_function(format!("decode_{name}"), |b| {
            b.iter(|| {
                codec
                    .decode_at(black_box(token.as_str()), black_box(&query), COUNT, NOW + 1)
                    .expect("decode")
            })
        });
    }

    let config = PaginationConfig::entra();
    let token = codecs[0]
        .1
        .encode_at(&position, &query, COUNT, NOW)
        .expect("encode");
    let next = format!("{QUERY}&cursor={token}");
    group.bench_function("page_request_from_query", |b| {
        b.iter(|| PageRequest::from_query(black_box(&next), &config).expect("page request"))
    });
    group.bench_function("query_fingerprint_from_query", |b| {
        b.iter(|| QueryFingerprint::from_query(black_box(&next)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = scimkit_benches::quick();
    targets = tokens
}
criterion_main!(benches);
