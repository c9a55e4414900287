//! Fuzz PATCH requests (`PatchRequest::from_json` + `apply`) against a fixed
//! realistic User (emails, phoneNumbers, addresses, name, the enterprise
//! extension with a manager, meta) and a fixed Group (5 members), under both
//! the strict and the Entra options: never a panic; a failed request leaves
//! the resource exactly as it was (atomicity); a successful request that
//! reports no change left the resource exactly as it was.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scimkit_patch::{PatchOptions, PatchRequest};
use scimkit_schema::ResourceSchema;
use serde_json::{json, Value};

fn user() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {
            "formatted": "Ms. Barbara J Jensen, III",
            "familyName": "Jensen",
            "givenName": "Barbara",
            "middleName": "Jane",
            "honorificPrefix": "Ms.",
            "honorificSuffix": "III"
        },
        "displayName": "Babs Jensen",
        "nickName": "Babs",
        "title": "Tour Guide",
        "userType": "Employee",
        "preferredLanguage": "en-US",
        "locale": "en-US",
        "timezone": "America/Los_Angeles",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "phoneNumbers": [
            {"value": "555-555-5555", "type": "work"},
            {"value": "555-555-4444", "type": "mobile"}
        ],
        "addresses": [
            {
                "type": "work",
                "streetAddress": "100 Universal City Plaza",
                "locality": "Hollywood",
                "region": "CA",
                "postalCode": "91608",
                "country": "USA",
                "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA",
                "primary": true
            },
            {
                "type": "home",
                "streetAddress": "456 Hollywood Blvd",
                "locality": "Hollywood",
                "region": "CA",
                "postalCode": "91608",
                "country": "USA"
            }
        ],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park",
            "department": "Tour Operations",
            "manager": {
                "value": "26118915-6090-4610-87e4-49d8ca9f808d",
                "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d",
                "displayName": "John Smith"
            }
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W/\"3694e05e9dff591\"",
            "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
        }
    })
}

fn group() -> Value {
    let members: Vec<Value> = [
        ("2819c223-7f76-453a-919d-413861904646", "Babs Jensen"),
        ("902c246b-6245-4190-8e05-00816be7344a", "Mandy Pepperidge"),
        ("m-003", "Third Member"),
        ("m-004", "Fourth Member"),
        ("m-005", "Fifth Member"),
    ]
    .into_iter()
    .map(|(id, name)| {
        json!({
            "value": id,
            "$ref": format!("https://example.com/v2/Users/{id}"),
            "type": "User",
            "display": name
        })
    })
    .collect();
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": members,
        "meta": {
            "resourceType": "Group",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W/\"3694e05e9dff592\"",
            "location": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a"
        }
    })
}

struct Fixtures {
    resources: [(&'static str, Value, &'static ResourceSchema); 2],
    options: [(&'static str, PatchOptions); 2],
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| Fixtures {
        resources: [
            ("User", user(), ResourceSchema::user()),
            ("Group", group(), ResourceSchema::group()),
        ],
        options: [
            ("strict", PatchOptions::strict()),
            ("entra", PatchOptions::entra()),
        ],
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixtures();
    for (opt_name, options) in &f.options {
        let Ok(request) = PatchRequest::from_json(input, options) else {
            continue;
        };
        for (res_name, original, schema) in &f.resources {
            let mut resource = original.clone();
            match request.apply(&mut resource, schema) {
                Err(e) => {
                    let _ = e.to_string();
                    assert!(
                        e.operation_index().is_none_or(|i| i < request.operations.len()),
                        "{opt_name}/{res_name}: error names an operation the request lacks: {e}"
                    );
                    assert!(
                        resource == *original,
                        "{opt_name}/{res_name}: failed request changed the resource\nrequest: {input:?}\nerror: {e}\nafter: {resource}"
                    );
                }
                Ok(outcome) => {
                    if outcome.is_noop() {
                        assert!(
                            resource == *original,
                            "{opt_name}/{res_name}: no-op outcome but the resource changed\nrequest: {input:?}\nafter: {resource}"
                        );
                    }
                }
            }
        }
    }
});
