//! Fuzz `PatchPath::parse`: no panics; a parsed path prints to text that
//! re-parses to an equal path and prints identically (a fixed point);
//! errors point inside the input and convert to a SCIM error with scimType
//! `invalidPath` or `invalidFilter`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_patch::PatchPath;
use scimkit_schema::ScimError;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match PatchPath::parse(input) {
        Ok(p) => {
            let printed = p.to_string();
            let again = PatchPath::parse(&printed).unwrap_or_else(|e| {
                panic!("printed form does not re-parse\ninput:   {input:?}\nprinted: {printed:?}\nerror:   {e}")
            });
            assert!(
                again == p,
                "printed form re-parses to a different path\ninput:   {input:?}\nprinted: {printed:?}\nfirst:   {p:?}\nagain:   {again:?}"
            );
            let reprinted = again.to_string();
            assert_eq!(
                reprinted, printed,
                "printed form is not a fixed point (input {input:?})"
            );
            let _ = p.attribute();
        }
        Err(e) => {
            assert!(
                e.offset() <= input.len(),
                "error offset {} past the end of a {}-byte input {input:?}: {e}",
                e.offset(),
                input.len()
            );
            let _ = e.to_string();
            let scim = ScimError::from(e);
            let scim_type = scim.scim_type().map(|t| t.as_str());
            assert!(
                matches!(scim_type, Some("invalidPath" | "invalidFilter")),
                "a PATCH path error must be invalidPath or invalidFilter, got {scim_type:?} for {input:?}"
            );
        }
    }
});
