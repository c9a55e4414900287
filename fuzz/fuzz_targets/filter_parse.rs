//! Fuzz `Filter::parse`: no panics; a parsed filter prints to a canonical
//! form that re-parses to an equal filter and prints identically (a fixed
//! point); spans, `node_count` and `walk` agree with the tree; errors point
//! inside the input, render without panicking and convert to a SCIM
//! `invalidFilter` error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_filter::{Filter, ParseOptions};
use scimkit_schema::ScimError;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match Filter::parse(input) {
        Ok(f) => check_parsed(input, &f),
        Err(e) => {
            assert!(
                e.offset() <= input.len(),
                "error offset {} past the end of a {}-byte input",
                e.offset(),
                input.len()
            );
            let _ = e.render(input);
            let _ = e.to_string();
            let _ = e.kind();
            let _ = e.found();
            let scim = ScimError::from(e);
            assert_eq!(
                scim.scim_type().map(|t| t.as_str()),
                Some("invalidFilter"),
                "a filter error must become scimType invalidFilter"
            );
        }
    }
});

fn check_parsed(input: &str, f: &Filter) {
    let printed = f.to_string();
    // The canonical form can be longer than the input (`\u007f` for a raw
    // DEL, `1e5` -> `100000.0`), so lift only the length limit for the
    // re-parse; depth and node count cannot grow.
    let options = ParseOptions::default().max_length(printed.len().max(64 * 1024));
    let again = Filter::parse_with(&printed, options).unwrap_or_else(|e| {
        panic!(
            "canonical form does not re-parse\ninput:   {input:?}\nprinted: {printed:?}\nerror:   {}",
            e.render(&printed)
        )
    });
    assert!(
        again == *f,
        "canonical form re-parses to a different filter\ninput:   {input:?}\nprinted: {printed:?}\nfirst:   {f:?}\nagain:   {again:?}"
    );
    let reprinted = again.to_string();
    assert_eq!(
        reprinted, printed,
        "canonical form is not a fixed point (input {input:?})"
    );

    // node_count and walk agree; every span lies inside the input.
    let count = f.node_count();
    assert!(count >= 1);
    let mut walked = 0;
    f.walk(&mut |node| {
        walked += 1;
        let span = node.span();
        assert!(
            span.start <= span.end && span.end <= input.len(),
            "span {span:?} outside the {}-byte input {input:?}",
            input.len()
        );
        let _ = span.slice(input);
    });
    assert_eq!(walked, count, "walk visits every node once");
}
