//! Fuzz scimkit-entra's conversions with arbitrary JSON: `to_graph` of the
//! input as a SCIM User and as a SCIM Group, and `from_graph` of the input
//! as a Graph user and group, never panic. A body `to_graph` produces is
//! converted back with `from_graph` (with an `id` added, as Graph would
//! return it), which must succeed: `to_graph` only writes Graph properties
//! with the JSON types `from_graph` reads. Every error is a 400.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_entra::{
    convert::{from_graph, to_graph},
    ResourceKind,
};
use scimkit_schema::ScimError;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for kind in ResourceKind::ALL {
        match to_graph(kind, &input) {
            Ok(out) => {
                assert!(
                    out.body.is_object(),
                    "{kind}: the Graph body is not an object"
                );
                let mut graph = out.body;
                graph["id"] = Value::String("5cc0930a-9244-45eb-a34c-76273ac5f7a6".to_owned());
                if let Err(e) = from_graph(kind, &graph) {
                    panic!(
                        "{kind}: from_graph refuses what to_graph produced: {e:?}\ninput: {input}\ngraph: {graph}"
                    );
                }
            }
            Err(e) => bad_request(&e),
        }
        match from_graph(kind, &input) {
            Ok(scim) => {
                assert!(
                    scim.is_object(),
                    "{kind}: the SCIM resource is not an object"
                );
                // What from_graph gives back is a resource: converting it
                // again may fail (date-times are copied as written), but
                // must not panic.
                let _ = to_graph(kind, &scim);
            }
            Err(e) => bad_request(&e),
        }
    }
});

fn bad_request(e: &ScimError) {
    assert_eq!(e.status(), 400, "conversion errors are 400s: {e:?}");
}
