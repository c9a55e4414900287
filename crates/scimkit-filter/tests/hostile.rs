//! Hostile and malformed input: every case is an `invalidFilter` error with
//! the right offset, never a panic or a stack overflow.

use scimkit_filter::{ErrorKind, Filter, ParseOptions};
use scimkit_schema::{ScimError, ScimType};

fn err(input: &str) -> (usize, ErrorKind) {
    let e = Filter::parse(input).expect_err(input);
    let scim = ScimError::from(e.clone());
    assert_eq!(scim.scim_type(), Some(&ScimType::InvalidFilter));
    assert!(scim
        .detail()
        .unwrap()
        .contains(&format!("at byte {}", e.offset())));
    (e.offset(), e.kind().clone())
}

#[test]
fn each_malformed_form_points_at_the_problem() {
    use ErrorKind::*;
    let cases: Vec<(&str, usize, ErrorKind)> = vec![
        ("", 0, Empty),
        ("   ", 0, Empty),
        ("userName", 8, ExpectedOperator),
        ("userName eq", 11, ExpectedValue),
        ("userName eq ", 11, ExpectedValue),
        ("userName eq\"x\"", 11, ExpectedValue),
        (r#"userName eq "x" and"#, 19, ExpectedFilter),
        (r#"userName eq "x" or "#, 19, ExpectedFilter),
        (
            "(userName pr",
            12,
            Unclosed {
                bracket: '(',
                open: 0,
            },
        ),
        ("userName pr)", 11, Unbalanced(')')),
        ("userName pr]", 11, Unbalanced(']')),
        ("not userName pr", 4, NotWithoutParens),
        ("not", 3, NotWithoutParens),
        (r#"userName eq "x" userType eq "y""#, 16, TrailingInput),
        (r#"userName xx "x""#, 9, UnknownOperator("xx".into())),
        (r#"userName regex "x""#, 9, UnknownOperator("regex".into())),
        (
            r#"emails[type eq "work""#,
            21,
            Unclosed {
                bracket: '[',
                open: 6,
            },
        ),
        (
            r#"emails[type eq "work" and value[x eq "y"]]"#,
            26,
            NestedValuePath,
        ),
        (r#"emails[type eq "work"].value eq "x""#, 22, TrailingInput),
        (
            r#"emails.type[type eq "work"]"#,
            11,
            ValuePathOnSubAttribute,
        ),
        (
            r#"userName eq "unterminated"#,
            12,
            InvalidString("unterminated string"),
        ),
        (
            "userName eq 01",
            13,
            InvalidNumber("leading zeros are not allowed"),
        ),
        (
            "userName eq -01",
            14,
            InvalidNumber("leading zeros are not allowed"),
        ),
        (
            "userName eq 1.",
            14,
            InvalidNumber("expected a digit after `.`"),
        ),
        (
            "userName eq 1.e5",
            14,
            InvalidNumber("expected a digit after `.`"),
        ),
        (
            "userName eq 1e",
            14,
            InvalidNumber("expected exponent digits"),
        ),
        ("userName eq -", 13, InvalidNumber("expected a digit")),
        ("userName eq 1e400", 12, InvalidNumber("out of range")),
        (
            "userName eq 100000000000000000000",
            12,
            InvalidNumber(
                "integer out of range (an integer literal must fit in 64 bits; write a fraction or an exponent for a decimal)",
            ),
        ),
        ("userName eq +1", 12, InvalidValue),
        ("userName eq .5", 12, InvalidValue),
        ("userName eq bjensen", 12, InvalidValue),
        ("userName eq True", 12, InvalidValue),
        ("userName eq 'x'", 12, InvalidValue),
        (
            r#"userName eq "\q""#,
            13,
            InvalidString("unknown escape (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"),
        ),
        (
            r#"userName eq "\uD800""#,
            13,
            InvalidString("lone high surrogate (a `\\uDC00`-`\\uDFFF` escape must follow)"),
        ),
        (
            r#"userName eq "\uD800\u0041""#,
            13,
            InvalidString("lone high surrogate (a `\\uDC00`-`\\uDFFF` escape must follow)"),
        ),
        (
            r#"userName eq "\uDC00""#,
            13,
            InvalidString("lone low surrogate"),
        ),
        (
            r#"userName eq "\u12""#,
            13,
            InvalidString("expected four hex digits after `\\u`"),
        ),
        (
            "userName eq \"a\tb\"",
            14,
            InvalidString("control characters must be escaped"),
        ),
        (r#"userName pr "x""#, 12, TrailingInput),
        (
            r#"1abc eq "x""#,
            0,
            AttributePath("an attribute name (a letter, or `$ref`)"),
        ),
        (
            r#"a.b.c eq "x""#,
            3,
            AttributePath("the end of the path (at most one sub-attribute)"),
        ),
        (r#"userName eq "x" )"#, 16, Unbalanced(')')),
        ("emails[]", 7, ExpectedFilter),
        ("()", 1, ExpectedFilter),
        ("(", 1, ExpectedFilter),
        ("and", 3, ExpectedOperator),
        (r#"userName eq "x" andrew eq "y""#, 16, TrailingInput),
    ];
    for (input, offset, kind) in cases {
        assert_eq!(err(input), (offset, kind), "{input:?}");
    }
}

#[test]
fn keywords_need_word_boundaries() {
    for f in [
        r#"andrew eq "x""#,
        "notation pr",
        "organization pr",
        r#"prime eq 1"#,
        "orgId pr",
        r#"coworker eq "x""#,
    ] {
        assert!(Filter::parse(f).is_ok(), "{f}");
    }
    let f = Filter::parse("(a pr)and(b pr)").unwrap();
    assert_eq!(f.to_string(), "a pr and b pr");
    let f = Filter::parse("not(a pr)").unwrap();
    assert_eq!(f.to_string(), "not (a pr)");
    let f = Filter::parse("\ta  pr\n\rand\tb pr  ").unwrap();
    assert_eq!(f.to_string(), "a pr and b pr");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let roomy = ParseOptions::default().max_length(1 << 20);
    for (open, close) in [("not(", ")"), ("(", ")"), ("not (", ")")] {
        let input = format!("{}a pr{}", open.repeat(depth), close.repeat(depth));
        // With default limits the length check fires first...
        assert_eq!(err(&input).1, ErrorKind::TooLong(64 * 1024));
        // ...and with room for it, the depth check, at the 65th opening.
        let e = Filter::parse_with(&input, roomy).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooDeep(64), "{open}");
        assert_eq!(e.offset(), 64 * open.len() + open.len() - 1, "{open}");
    }
    // Value paths count too.
    let limits = ParseOptions::default().max_depth(1);
    let e = Filter::parse_with(r#"(emails[type eq "x"])"#, limits).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep(1));
    assert_eq!(e.offset(), 7);
    // Just under the limit parses.
    let ok = format!("{}a pr{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(Filter::parse(&ok).unwrap().to_string(), "a pr");
}

#[test]
fn long_inputs() {
    // 1 MB: over the default limit, rejected before any parsing.
    let huge = format!(r#"userName eq "{}""#, "x".repeat(1 << 20));
    assert_eq!(err(&huge), (64 * 1024, ErrorKind::TooLong(64 * 1024)));
    // With a larger limit, a 1 MB string literal parses.
    let roomy = ParseOptions::default().max_length(2 << 20);
    let f = Filter::parse_with(&huge, roomy).unwrap();
    assert_eq!(f.to_string().len(), huge.len());
    // A long `or` chain hits the node limit, cleanly.
    let chain = vec![r#"a eq "x""#; 5000].join(" or ");
    let e = Filter::parse_with(&chain, roomy).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyNodes(4096));
    let f = Filter::parse_with(&chain, roomy.max_nodes(10_000)).unwrap();
    assert_eq!(f.node_count(), 5001);
    // The limit cuts at a char boundary.
    let multibyte = format!(r#"a eq "{}""#, "é".repeat(40_000));
    let e = Filter::parse(&multibyte).unwrap_err();
    assert!(multibyte.is_char_boundary(e.offset()));
}

#[test]
fn caret_rendering() {
    let input = r#"userName eq "x" and (title pr or"#;
    let e = Filter::parse(input).unwrap_err();
    assert_eq!(
        e.render(input),
        format!("{e}\n{input}\n{}^", " ".repeat(input.len()))
    );
    // Multi-line input shows the line with the problem.
    let input = "title pr and\nuserName xx \"y\"";
    let e = Filter::parse(input).unwrap_err();
    assert_eq!(
        e.render(input),
        format!("{e}\nuserName xx \"y\"\n         ^")
    );
    // Long input shows a window.
    let input = format!("{} and b xx 1", vec!["a pr"; 100].join(" and "));
    let e = Filter::parse(&input).unwrap_err();
    let rendered = e.render(&input);
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with('…'));
    let caret = lines[2].chars().count() - 1;
    let under: String = lines[1].chars().skip(caret).take(2).collect();
    assert_eq!(under, "xx");
    assert!(lines[1].chars().count() < 130);
}

#[test]
fn entra_value_path_with_sub_attribute_is_a_compat_switch() {
    let input = r#"emails[type eq "work"].value eq "a@contoso.com""#;
    // RFC grammar: the value path ends at `]`.
    assert_eq!(err(input).1, ErrorKind::TrailingInput);
    // Entra's lookup form, read as the RFC value path it means.
    let f = Filter::parse_with(input, ParseOptions::entra()).unwrap();
    assert_eq!(
        f.to_string(),
        r#"emails[type eq "work" and value eq "a@contoso.com"]"#
    );
    assert_eq!(f.span().end, input.len());
    let f = Filter::parse_with(
        r#"emails[type eq "work" or primary eq true].value pr and userName pr"#,
        ParseOptions::entra(),
    )
    .unwrap();
    assert_eq!(
        f.to_string(),
        r#"emails[(type eq "work" or primary eq true) and value pr] and userName pr"#
    );
    for bad in [
        r#"emails[type eq "work"].value"#,
        r#"emails[type eq "work"].a.b eq 1"#,
        r#"emails[type eq "work"]. value eq 1"#,
    ] {
        assert!(
            Filter::parse_with(bad, ParseOptions::entra()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn entra_booleans_in_any_case_are_a_compat_switch() {
    // RFC grammar: `true` / `false` are lowercase.
    for input in ["active eq TRUE", "active eq False", "active eq tRuE"] {
        assert_eq!(err(input).1, ErrorKind::InvalidValue, "{input}");
    }
    // Entra documents its boolean filters as case-insensitive.
    for (input, b) in [
        ("active eq TRUE", true),
        ("active eq False", false),
        ("active eq tRuE", true),
        ("active eq true", true),
    ] {
        let f = Filter::parse_with(input, ParseOptions::entra()).unwrap();
        assert_eq!(f.to_string(), format!("active eq {b}"), "{input}");
    }
    // Only the two boolean words: `NULL` and other words stay refused.
    for bad in ["active eq NULL", "active eq TRUEX", "active eq yes"] {
        assert!(
            Filter::parse_with(bad, ParseOptions::entra()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn numbers_are_kept_exactly_or_refused() {
    use serde_json::Number;
    let hundred_digits = format!("1{}", "0".repeat(99));
    let refused = [
        (hundred_digits.as_str(), "integer out of range"),
        ("18446744073709551616", "integer out of range"),
        ("-9223372036854775809", "integer out of range"),
        ("1e400", "out of range"),
        ("-1.5e309", "out of range"),
        ("1e-400", "too small"),
        ("-0.000001e-330", "too small"),
        ("1e100", "not exact"),
        ("1.7976931348623157e308", "not exact"),
        ("-1.7976931348623157E308", "not exact"),
        ("123456789012345678901234567890.0", "not exact"),
        ("9007199254740993.0", "not exact"),
    ];
    for (literal, why) in refused {
        let input = format!("x eq {literal} and y pr");
        let e = Filter::parse(&input).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::InvalidNumber(w) if w.contains(why)),
            "{literal}: {e}"
        );
        assert_eq!(e.offset(), 5, "{literal}: the error points at the literal");
        let scim = ScimError::from(e);
        assert_eq!(scim.scim_type(), Some(&ScimType::InvalidFilter));
        assert!(scim.detail().unwrap().contains("at byte 5"), "{scim}");
    }
    // Integers are kept exactly (no float on the way).
    for (literal, want) in [
        ("18446744073709551615", Number::from(u64::MAX)),
        ("-9223372036854775808", Number::from(i64::MIN)),
        ("9007199254740993", Number::from(9_007_199_254_740_993_u64)),
        ("-0", Number::from(0)),
    ] {
        let f = Filter::parse(&format!("x eq {literal}")).unwrap();
        assert_eq!(
            f,
            Filter::parse(&format!("x eq {want}")).unwrap(),
            "{literal}"
        );
        match &f {
            Filter::Compare {
                value: scimkit_filter::CompValue::Number(n),
                ..
            } => assert_eq!(n, &want, "{literal}"),
            other => panic!("{other:?}"),
        }
    }
    // Everything accepted prints back to a literal that parses to the same
    // number, and printing is a fixed point.
    let accepted = [
        "0",
        "-0",
        "7",
        "-7",
        "18446744073709551615",
        "-9223372036854775808",
        "0.0",
        "-0.0",
        "1.5",
        "0.1",
        "0.30000000000000004",
        "1E+2",
        "2.5e-7",
        "1e-300",
        "5e-324",
        "4.9e-324",
        "0e500",
        "10.0",
        "1e1",
    ];
    for literal in accepted {
        let f =
            Filter::parse(&format!("x eq {literal}")).unwrap_or_else(|e| panic!("{literal}: {e}"));
        let printed = f.to_string();
        let again = Filter::parse(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
        assert_eq!(again, f, "{literal} -> {printed}");
        assert_eq!(again.to_string(), printed, "{literal}");
        // A decimal is the nearest f64, as Rust reads the same text.
        if literal.contains(['.', 'e', 'E']) {
            let want: f64 = literal.parse().unwrap();
            match &again {
                Filter::Compare {
                    value: scimkit_filter::CompValue::Number(n),
                    ..
                } => assert_eq!(n.as_f64(), Some(want), "{literal}"),
                other => panic!("{other:?}"),
            }
        }
    }
}

#[test]
fn error_details_quote_a_bounded_part_of_one_megabyte_input() {
    use scimkit_filter::{CompileOptions, SortSpec};
    use scimkit_schema::ResourceSchema;
    const BOUND: usize = 300;
    let mb = "x".repeat(1 << 20);
    let roomy = ParseOptions::default().max_length(4 << 20);
    let check = |what: &str, e: ScimError, scim_type: ScimType, at: &str| {
        assert_eq!(e.scim_type(), Some(&scim_type), "{what}");
        let detail = e.detail().unwrap_or_default();
        assert!(detail.len() < BOUND, "{what}: {} bytes", detail.len());
        assert!(detail.contains(at), "{what}: {detail}");
    };
    // Parse errors.
    let input = format!(r#"userName {mb} "x""#);
    let e = Filter::parse_with(&input, roomy).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::UnknownOperator(w) if w.ends_with("bytes)") && w.len() < 100)
    );
    let rendered = e.render(&input);
    assert!(rendered.len() < BOUND, "render: {} bytes", rendered.len());
    check(
        "unknown operator",
        e.into(),
        ScimType::InvalidFilter,
        "at byte 9",
    );
    // Compile errors quote a clause, a path or a literal: all cut.
    let strict = CompileOptions::default().strict_attributes(true);
    // Attribute paths are at most 1 KiB (AttrPath's own limit).
    let name = "x".repeat(1000);
    let cases = [
        (format!(r#"active eq "{mb}""#), 0),
        (format!(r#"meta.created gt "{mb}""#), 0),
        (format!(r#"userName pr and name co "{mb}""#), 16),
        (format!(r#"password eq "{mb}""#), 0),
        (format!("a{name} pr"), 0),
        (format!(r#"userName pr or emails[a{name} eq "x"]"#), 22),
        (format!(r#"userName[a{name} eq "{mb}"]"#), 0),
        (format!("urn:a:{name}:b pr"), 0),
    ];
    for (input, start) in cases {
        let f = Filter::parse_with(&input, roomy).unwrap();
        let e = f.compile_with(ResourceSchema::user(), strict).unwrap_err();
        let end = if start == 22 {
            input.len() - 1
        } else {
            input.len()
        };
        let at = format!("at bytes {start}..{end}:");
        check(&input[..20], e, ScimType::InvalidFilter, &at);
    }
    // sortBy and sortOrder.
    let e = SortSpec::from_query("userName", Some(&mb)).unwrap_err();
    check("sortOrder", e, ScimType::InvalidValue, "sortOrder");
    let e = SortSpec::from_query(&format!("a{name}"), None)
        .unwrap()
        .compile_with(ResourceSchema::user(), strict)
        .unwrap_err();
    check("sortBy", e, ScimType::InvalidValue, "sortBy");
}
