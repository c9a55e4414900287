//! criterion benchmarks for `scimkit-schema`: attribute path parsing, path
//! resolution against the built-in User resource type, and value comparison.
//!
//! Quick by default (2 s measurement, 0.5 s warm-up per benchmark):
//! `cargo bench -p scimkit-benches`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use scimkit_schema::compare::{compare_values, Comparator};
use scimkit_schema::{AttrPath, AttributeType, ResourceSchema};
use serde_json::json;

const ENTERPRISE_MANAGER: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value";

fn attr_path_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("attr_path_parse");
    for (name, text) in [
        ("userName", "userName"),
        ("name.familyName", "name.familyName"),
        ("enterprise_manager.value", ENTERPRISE_MANAGER),
    ] {
        group.bench_function(name, |b| b.iter(|| AttrPath::parse(black_box(text))));
    }
    group.finish();
}

fn resolve(c: &mut Criterion) {
    let user = ResourceSchema::user();
    let mut group = c.benchmark_group("resolve");
    for (name, text) in [
        ("userName", "userName"),
        ("emails.value", "emails.value"),
        ("meta.lastModified", "meta.lastModified"),
        ("enterprise_manager.value", ENTERPRISE_MANAGER),
        ("unknown", "favoriteColor"),
    ] {
        let path = AttrPath::parse(text).expect("benchmark paths are valid");
        group.bench_function(name, |b| b.iter(|| user.resolve(black_box(&path)).is_ok()));
    }
    group.finish();
}

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare");

    let ci = Comparator::new(AttributeType::String, false);
    let ascii = ci.prepare(&json!("BJensen")).expect("string literal");
    let ascii_value = json!("bjensen");
    group.bench_function("eq_ascii_case_insensitive", |b| {
        b.iter(|| ci.equals(black_box(&ascii_value), black_box(&ascii)))
    });

    let unicode = ci.prepare(&json!("STRASSE")).expect("string literal");
    let unicode_value = json!("Straße");
    group.bench_function("eq_unicode_case_insensitive", |b| {
        b.iter(|| ci.equals(black_box(&unicode_value), black_box(&unicode)))
    });

    let dt = Comparator::new(AttributeType::DateTime, false);
    let instant = dt
        .prepare(&json!("2011-05-13T04:42:34Z"))
        .expect("dateTime literal");
    let offset_value = json!("2011-05-13T06:42:34+02:00");
    group.bench_function("eq_datetime_offsets", |b| {
        b.iter(|| dt.equals(black_box(&offset_value), black_box(&instant)))
    });

    let (ten, almost_ten) = (json!(10), json!(9.99));
    group.bench_function("compare_values_numbers", |b| {
        b.iter(|| {
            compare_values(
                black_box(&ten),
                black_box(&almost_ten),
                AttributeType::Decimal,
                false,
            )
        })
    });

    let domain = ci.prepare(&json!("example.COM")).expect("string literal");
    let email = json!("bjensen@EXAMPLE.com");
    group.bench_function("contains_email", |b| {
        b.iter(|| ci.contains(black_box(&email), black_box(&domain)))
    });

    group.finish();
}

criterion_group! {
    name = benches;
    config = scimkit_benches::quick();
    targets = attr_path_parse, resolve, compare
}
criterion_main!(benches);
