//! `--seed demo`: a deterministic tenant (200 users with Entra-style
//! attributes, 20 groups with memberships), so a fresh service shows
//! something at once; [`users`] and [`groups`] make one of any size (the load
//! benchmark's 100,000 users). The same seed gives the same ids and values
//! every time: ids are UUIDs derived from a counter, not random.

use scimkit_entra::ResourceKind;
use scimkit_schema::ScimError;
use serde_json::{json, Value};

use crate::resource;
use crate::store::{Store, Write};

/// Users in the demo tenant.
pub const DEMO_USERS: usize = 200;
/// Groups in the demo tenant.
pub const DEMO_GROUPS: usize = 20;

const GIVEN: [&str; 20] = [
    "Ada", "Bjorn", "Chioma", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Keiko", "Lars", "Maya", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sven", "Tanvi",
];
const FAMILY: [&str; 10] = [
    "Jensen", "Okafor", "Ivanova", "Tanaka", "García", "Müller", "Nguyen", "Smith", "Kowalski",
    "Haddad",
];
const DEPARTMENTS: [&str; 5] = ["Sales", "Engineering", "Finance", "Marketing", "Support"];
const DOMAIN: &str = "contoso.example";

/// The id of the `n`th demo resource of `kind`: a stable UUID.
fn demo_id(kind: ResourceKind, n: usize) -> String {
    let tag = match kind {
        ResourceKind::User => 1u32,
        _ => 2,
    };
    format!("{tag:08x}-0000-4000-8000-{n:012x}")
}

/// The `n`th demo user.
fn user(n: usize) -> Value {
    let given = GIVEN[n % GIVEN.len()];
    let family = FAMILY[(n / GIVEN.len()) % FAMILY.len()];
    let nickname = format!("{}.{}{n}", given.to_lowercase(), family.to_lowercase());
    let department = DEPARTMENTS[n % DEPARTMENTS.len()];
    let mut user = json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User"
        ],
        "userName": format!("{nickname}@{DOMAIN}"),
        "externalId": format!("E{:05}", 10_000 + n),
        "active": n % 10 != 9,
        "displayName": format!("{given} {family}"),
        "name": {"givenName": given, "familyName": family, "formatted": format!("{given} {family}")},
        "title": (["Engineer", "Manager", "Analyst", "Director"][n % 4]),
        "preferredLanguage": (["en-US", "de-DE", "ja-JP", "fr-FR"][n % 4]),
        "emails": [
            {"value": format!("{nickname}@{DOMAIN}"), "type": "work", "primary": true}
        ],
        "phoneNumbers": [{"value": format!("+1 555 01{:02}", n % 100), "type": "work"}],
        "addresses": [{"type": "work", "locality": (["Seattle", "Berlin", "Tokyo", "Paris"][n % 4]), "country": (["US", "DE", "JP", "FR"][n % 4])}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": format!("{}", 1000 + n),
            "department": department,
            "costCenter": format!("CC-{}", 100 + n % 7)
        },
        "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User": {
            "mailNickname": nickname,
            "userType": if n % 25 == 24 { "Guest" } else { "Member" }
        }
    });
    if n >= GIVEN.len() {
        // Each user reports to the first user of their department's block.
        let manager = demo_id(ResourceKind::User, n % GIVEN.len());
        user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"] =
            json!({"value": manager});
    }
    user
}

/// The `g`th demo group of `groups`, with its members among `users`.
fn group(g: usize, users: usize, groups: usize) -> Value {
    let members: Vec<Value> = (0..users)
        .filter(|n| n % groups == g || (g < DEPARTMENTS.len() && n % DEPARTMENTS.len() == g))
        .map(|n| json!({"value": demo_id(ResourceKind::User, n), "type": "User"}))
        .collect();
    const PROJECTS: [&str; 15] = [
        "Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Helix", "Iris",
        "Juniper", "Kestrel", "Lumen", "Meridian", "Nova", "Orion",
    ];
    let project = g.checked_sub(DEPARTMENTS.len());
    let name = match (DEPARTMENTS.get(g), project.and_then(|p| PROJECTS.get(p))) {
        (Some(d), _) => format!("{d} Department"),
        (None, Some(p)) => format!("Project {p}"),
        (None, None) => format!("Project {g}"),
    };
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:Group",
            "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group"
        ],
        "displayName": name,
        "externalId": format!("G{:03}", g),
        "members": members,
        "urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:Group": {
            "mailEnabled": false,
            "mailNickname": name.replace(' ', "").to_lowercase(),
            "securityEnabled": true
        }
    })
}

/// Loads the demo tenant into `store` (which should be empty).
///
/// Errors: the store's (a `409` if the tenant is already there).
pub fn demo(store: &dyn Store) -> Result<(), ScimError> {
    for doc in users(DEMO_USERS) {
        store.create(ResourceKind::User, Write::doc(doc))?;
    }
    for doc in groups(DEMO_GROUPS, DEMO_USERS) {
        store.create(ResourceKind::Group, Write::doc(doc))?;
    }
    Ok(())
}

/// The first `count` demo users, stamped with ids and `meta`, ready to store.
pub fn users(count: usize) -> impl Iterator<Item = Value> {
    (0..count).map(|n| {
        let mut doc = user(n);
        stamp(&mut doc, ResourceKind::User, demo_id(ResourceKind::User, n));
        doc
    })
}

/// `count` demo groups over the first `users` demo users, stamped, ready
/// to store (after the users).
pub fn groups(count: usize, users: usize) -> impl Iterator<Item = Value> {
    (0..count).map(move |g| {
        let mut doc = group(g, users, count.max(1));
        stamp(
            &mut doc,
            ResourceKind::Group,
            demo_id(ResourceKind::Group, g),
        );
        doc
    })
}

fn stamp(doc: &mut Value, kind: ResourceKind, id: String) {
    let now = resource::now();
    doc["id"] = Value::String(id);
    doc["meta"] = json!({
        "resourceType": kind.as_str(),
        "created": now,
        "lastModified": now,
        "version": resource::etag(1),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_groups_has_distinct_names() {
        let names: std::collections::BTreeSet<String> = groups(100, 1000)
            .map(|g| g["displayName"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(names.len(), 100);
        let demo: Vec<Value> = groups(DEMO_GROUPS, DEMO_USERS).collect();
        assert_eq!(demo[0]["displayName"], "Sales Department");
        assert_eq!(demo[5]["displayName"], "Project Apollo");
        assert_eq!(
            users(3).last().unwrap()["id"],
            "00000001-0000-4000-8000-000000000002"
        );
    }
}
