//! Fuzz scimkit-entra's filter checks with arbitrary filter text, parsed
//! as Entra's provisioning service writes filters
//! (`ParseOptions::entra()`): for User and Group, `to_odata` and
//! `check_filter` never panic; error spans lie inside the input; errors
//! convert to `400 invalidFilter` with their documented detail prefixes;
//! and in every OData `$filter` produced, each `'` belongs to a balanced
//! string literal (`'...'` with inner quotes doubled) that stands where a
//! literal may: after ` `, `(` or `,`, and before ` `, `)`, `,` or the end.
//! A literal quote left undoubled would end the literal early and show up
//! as a quote followed by something else.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_entra::{api::check_filter, odata::to_odata, ResourceKind};
use scimkit_filter::{Filter, ParseOptions};
use scimkit_schema::ScimError;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(filter) = Filter::parse_with(input, ParseOptions::entra()) else {
        return;
    };
    for kind in ResourceKind::ALL {
        match to_odata(&filter, kind) {
            Ok(odata) => {
                check_quotes(&odata.filter, input);
                let _ = odata.query();
                let _ = odata.headers();
            }
            Err(e) => {
                assert!(
                    e.span().start <= e.span().end && e.span().end <= input.len(),
                    "{kind}: OData error span {:?} outside a {}-byte input",
                    e.span(),
                    input.len()
                );
                assert!(
                    !e.clause().is_empty(),
                    "{kind}: OData error names no clause"
                );
                let scim = ScimError::from(e);
                assert_eq!(scim.status(), 400);
                assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
                let detail = scim.detail().unwrap_or_default();
                assert!(
                    detail.starts_with("not expressible as an OData $filter")
                        || detail.starts_with("invalid literal for an OData $filter"),
                    "{kind}: unexpected detail {detail:?}"
                );
            }
        }
        if let Err(e) = check_filter(&filter, kind) {
            assert!(
                e.span().start <= e.span().end && e.span().end <= input.len(),
                "{kind}: check_filter span {:?} outside a {}-byte input",
                e.span(),
                input.len()
            );
            assert!(
                !e.clause().is_empty(),
                "{kind}: check_filter names no clause"
            );
            assert!(
                !e.reason().is_empty(),
                "{kind}: check_filter gives no reason"
            );
            let scim = ScimError::from(e);
            assert_eq!(scim.scim_type().map(|t| t.as_str()), Some("invalidFilter"));
        }
    }
});

/// Every `'` of `odata` opens or closes a literal, or is a doubled `''`
/// inside one; literals are closed and sit between delimiters.
fn check_quotes(odata: &str, input: &str) {
    let bytes = odata.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\'' {
            i += 1;
            continue;
        }
        let before = if i == 0 { None } else { Some(bytes[i - 1]) };
        assert!(
            matches!(before, Some(b' ' | b'(' | b',')),
            "literal opens after {:?} at byte {i}\nfilter: {input:?}\nodata:  {odata:?}",
            before.map(char::from)
        );
        // Inside the literal: `''` is a quote, a lone `'` closes it.
        i += 1;
        loop {
            match bytes.get(i) {
                None => panic!("unterminated literal\nfilter: {input:?}\nodata:  {odata:?}"),
                Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                Some(b'\'') => break,
                Some(_) => i += 1,
            }
        }
        let after = bytes.get(i + 1).copied();
        assert!(
            matches!(after, None | Some(b' ' | b')' | b',')),
            "literal closes before {:?} at byte {i} (an undoubled quote?)\nfilter: {input:?}\nodata:  {odata:?}",
            after.map(char::from)
        );
        i += 1;
    }
}
