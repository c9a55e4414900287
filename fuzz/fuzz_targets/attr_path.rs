//! Fuzz `AttrPath::parse` / `parse_prefix`: no panics, exact round-trips,
//! error offsets inside the input, and resolution against the built-in
//! User and Group resource types.

#![no_main]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use libfuzzer_sys::fuzz_target;
use scimkit_schema::{AttrPath, ResourceSchema, Target};

fn hash_of(p: &AttrPath) -> u64 {
    let mut h = DefaultHasher::new();
    p.hash(&mut h);
    h.finish()
}

fn check_resolve(rs: &ResourceSchema, path: &AttrPath) {
    if let Ok(found) = rs.resolve(path) {
        // The definition found carries the name that was asked for.
        assert!(found
            .attribute()
            .name
            .eq_ignore_ascii_case(path.attribute()));
        match (path.sub_attribute(), found.sub_attribute()) {
            (Some(asked), Some(got)) => assert!(got.name.eq_ignore_ascii_case(asked)),
            (None, None) => {}
            (asked, got) => panic!("sub-attribute {asked:?} resolved to {got:?}"),
        }
        let _ = found.target();
    }
    match rs.resolve_target(path) {
        Ok(Target::Extension(s)) => assert!(path.is_urn(&s.id)),
        Ok(Target::Attribute(_)) => {}
        Err(e) => {
            let _ = e.to_string();
            let _ = scimkit_schema::ScimError::from(e);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    // parse_prefix: the consumed part is a path on its own.
    match AttrPath::parse_prefix(text) {
        Ok((p, used)) => {
            assert!(
                used > 0 && used <= text.len(),
                "used {used} of {}",
                text.len()
            );
            assert!(
                text.is_char_boundary(used),
                "used {used} is not a char boundary"
            );
            let head = &text[..used];
            assert_eq!(p.to_string(), head);
            assert_eq!(AttrPath::parse(head).as_ref(), Ok(&p));
        }
        Err(e) => assert!(e.offset() <= text.len(), "{e} (len {})", text.len()),
    }

    match AttrPath::parse(text) {
        Ok(p) => {
            // Printed back as parsed, and parsed back to an equal path.
            let printed = p.to_string();
            assert_eq!(printed, text);
            let again = AttrPath::parse(&printed);
            assert_eq!(again.as_ref(), Ok(&p));
            assert_eq!(hash_of(again.as_ref().unwrap()), hash_of(&p));
            assert_eq!(AttrPath::parse_prefix(text).map(|(_, n)| n), Ok(text.len()));

            // Case-insensitive: the upper- and lower-case spellings are the same path.
            for variant in [text.to_ascii_uppercase(), text.to_ascii_lowercase()] {
                let v = AttrPath::parse(&variant).unwrap_or_else(|e| {
                    panic!("{variant:?} rejected although {text:?} parsed: {e}")
                });
                assert_eq!(v, p);
                assert_eq!(hash_of(&v), hash_of(&p));
            }

            // Rebuilding from the parts gives the same path.
            let rebuilt = AttrPath::from_parts(p.schema(), p.attribute(), p.sub_attribute());
            assert_eq!(rebuilt.as_ref(), Ok(&p), "from_parts of {text:?}");
            if p.schema().is_some() && p.sub_attribute().is_none() {
                assert!(p.is_urn(text));
            }
            let parent = p.parent();
            assert!(parent.sub_attribute().is_none());

            check_resolve(ResourceSchema::user(), &p);
            check_resolve(ResourceSchema::group(), &p);
        }
        Err(e) => {
            assert!(e.offset() <= text.len(), "{e} (len {})", text.len());
            let _ = e.to_string();
            let _ = e.kind().expected();
        }
    }
});
