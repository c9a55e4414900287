//! Fuzz the schema loaders: `Schema::from_json`, `Schema::list_from_json`,
//! `ResourceType::list_from_json`. Loaded schemas must survive a
//! serialize/load round-trip unchanged, and any combination of loaded
//! schemas and resource types must resolve paths without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit_schema::{builtin, AttrPath, ResourceSchema, ResourceType, Schema, SchemaExtension};

/// Serialize and load again: the value must come back equal.
fn round_trip(schema: &Schema) {
    let json = serde_json::to_string(schema).expect("a loaded schema serializes");
    let again = Schema::from_json(&json)
        .unwrap_or_else(|e| panic!("re-serialized schema does not load: {e}\n{json}"));
    assert_eq!(
        &again, schema,
        "schema changed across a round-trip:\n{json}"
    );
}

/// Paths worth resolving against `rs`: fixed ones, and ones made from the
/// schemas' own attribute names (which need not be valid path names).
fn resolve_some(rs: &ResourceSchema) {
    let mut paths: Vec<String> = [
        "userName",
        "name.familyName",
        "emails.value",
        "members.$ref",
        "meta.lastModified",
        "id",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let core = rs.core();
    paths.push(core.id.clone());
    for (ext, _) in rs.extensions() {
        paths.push(ext.id.clone());
        if let Some(a) = ext.attributes.first() {
            paths.push(format!("{}:{}", ext.id, a.name));
        }
    }
    for a in core.attributes.iter().take(4) {
        paths.push(a.name.clone());
        paths.push(format!("{}:{}", core.id, a.name));
        if let Some(sub) = a.sub_attributes.first() {
            paths.push(format!("{}.{}", a.name, sub.name));
        }
    }
    for text in &paths {
        let Ok(path) = AttrPath::parse(text) else {
            continue;
        };
        if let Ok(found) = rs.resolve(&path) {
            assert!(found
                .attribute()
                .name
                .eq_ignore_ascii_case(path.attribute()));
            let _ = found.target().is_case_exact();
            let _ = found.schema_urn();
        }
        let _ = rs.resolve_target(&path);
    }
    let _ = rs.to_string();
    let _ = rs.core_attributes().count();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    if let Ok(one) = Schema::from_json(text) {
        round_trip(&one);
    }

    let schemas = Schema::list_from_json(text).unwrap_or_default();
    for s in &schemas {
        round_trip(s);
    }
    if !schemas.is_empty() {
        let json = serde_json::to_string(&schemas).expect("schemas serialize");
        let again = Schema::list_from_json(&json)
            .unwrap_or_else(|e| panic!("re-serialized schema list does not load: {e}\n{json}"));
        assert_eq!(again, schemas);
    }

    let resource_types = ResourceType::list_from_json(text).unwrap_or_default();
    for rt in &resource_types {
        let json = serde_json::to_string(rt).expect("a resource type serializes");
        let again = ResourceType::list_from_json(&json)
            .unwrap_or_else(|e| panic!("re-serialized resource type does not load: {e}\n{json}"));
        assert_eq!(again.as_slice(), std::slice::from_ref(rt));
    }

    // Everything loaded, plus the built-ins, as the pool of schemas.
    let mut pool: Vec<Schema> = schemas.iter().take(8).cloned().collect();
    pool.extend(builtin::schemas().into_iter().cloned());

    // Loaded resource types over loaded + built-in schemas.
    for rt in resource_types.iter().take(4) {
        if let Ok(rs) = ResourceSchema::new(rt.clone(), &pool) {
            resolve_some(&rs);
        }
    }

    // Each loaded schema as the core of a resource type, the others as extensions.
    for (i, core) in schemas.iter().take(4).enumerate() {
        let mut rt = ResourceType::new("Fuzz", "/Fuzz", core.id.clone());
        for (j, ext) in schemas.iter().take(4).enumerate() {
            if i != j {
                rt.schema_extensions
                    .push(SchemaExtension::new(ext.id.clone(), j % 2 == 0));
            }
        }
        rt.schema_extensions
            .push(SchemaExtension::new(builtin::ENTERPRISE_USER_URN, false));
        match ResourceSchema::new(rt, &pool) {
            Ok(rs) => resolve_some(&rs),
            Err(e) => panic!("every schema of the resource type was supplied: {e}"),
        }
    }
});
