//! Property tests for attribute paths: round-trips and never-panics.

use proptest::prelude::*;
use scimkit_schema::{AttrPath, ResourceSchema};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9_-]{0,12}",
        Just("$ref".to_owned()),
        Just("$REF".to_owned()),
    ]
}

fn urn() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("urn:ietf:params:scim:schemas:core:2.0:User".to_owned()),
        Just("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".to_owned()),
        "urn:[a-z]{1,8}(:[A-Za-z0-9.]{1,8}){0,4}",
        "[a-z][a-z0-9+.-]{0,5}:[A-Za-z0-9._~%/?@+=;,!*&-]{1,10}",
    ]
}

fn path_text() -> impl Strategy<Value = String> {
    (
        proptest::option::of(urn()),
        name(),
        proptest::option::of(name()),
    )
        .prop_map(|(u, a, s)| {
            let mut t = String::new();
            if let Some(u) = u {
                t.push_str(&u);
                t.push(':');
            }
            t.push_str(&a);
            if let Some(s) = s {
                t.push('.');
                t.push_str(&s);
            }
            t
        })
}

proptest! {
    #[test]
    fn display_round_trips(text in path_text()) {
        let p = AttrPath::parse(&text).unwrap();
        prop_assert_eq!(p.to_string(), text);
        prop_assert_eq!(AttrPath::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn case_changes_keep_equality(text in path_text()) {
        let p = AttrPath::parse(&text).unwrap();
        let upper = AttrPath::parse(&text.to_ascii_uppercase()).unwrap();
        prop_assert_eq!(p, upper);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        match AttrPath::parse(&text) {
            Ok(p) => {
                let _ = ResourceSchema::user().resolve_target(&p);
                prop_assert_eq!(AttrPath::parse(&p.to_string()).unwrap(), p);
            }
            Err(e) => prop_assert!(e.offset() <= text.len()),
        }
        if let Ok((_, used)) = AttrPath::parse_prefix(&text) {
            prop_assert!(used <= text.len() && text.is_char_boundary(used));
        }
    }

    #[test]
    fn path_like_text_never_panics(text in "[a-zA-Z0-9:.$_\\-\\[\\] \"]{0,40}") {
        if let Ok(p) = AttrPath::parse(&text) {
            prop_assert_eq!(p.to_string(), text);
        }
    }
}
