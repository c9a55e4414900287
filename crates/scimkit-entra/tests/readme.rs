//! The mapping table in README.md is generated from the rows in code; this
//! test fails (and prints the table to paste) when they drift apart.

use scimkit_entra::mapping::{mappings, Direction, Mapping};
use scimkit_schema::Returned;

const README: &str = include_str!("../README.md");
const START: &str = "<!-- mapping-table:start -->\n";
const END: &str = "<!-- mapping-table:end -->";

fn schema_label(m: &Mapping) -> &'static str {
    match m.schema().rsplit(':').nth(2) {
        Some("core") => "core",
        Some("enterprise") => "enterprise",
        _ if m.schema().ends_with("CustomSecurityAttributes") => "CSA",
        _ => "Entra",
    }
}

fn direction(m: &Mapping) -> String {
    let mut d = match m.direction() {
        Direction::Read => "read",
        Direction::Write => "write",
        Direction::Both => "read/write",
    }
    .to_owned();
    if m.is_unverified() {
        d.push('?');
    }
    if m.is_create_only() {
        d.push_str(", create only");
    }
    if m.returned() == Returned::Never && m.direction() != Direction::Write {
        d.push_str(if m.is_writable() {
            ", never returned"
        } else {
            ", filter only"
        });
    }
    d
}

fn table() -> String {
    let mut out = String::from(
        "| Type | Schema | SCIM path | Graph property | Direction | Read | Write (least) | Inferred |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for m in mappings() {
        let path = if m.wire_path() == m.path() {
            format!("`{}`", m.path())
        } else {
            format!("`{}` (wire: `{}`)", m.path(), m.wire_path())
        };
        let write = match (m.is_writable(), m.access().write_least()) {
            (true, Some(p)) => p.to_string(),
            _ => "—".to_owned(),
        };
        let read = m
            .access()
            .read()
            .first()
            .map_or("—".to_owned(), ToString::to_string);
        out.push_str(&format!(
            "| {} | {} | {} | `{}` | {} | {} | {} | {} |\n",
            m.resource(),
            schema_label(m),
            path.replace('|', "\\|"),
            m.graph(),
            direction(m),
            read,
            write,
            if m.is_inferred() { "yes" } else { "" },
        ));
    }
    out
}

#[test]
fn readme_mapping_table_is_current() {
    let start = README
        .find(START)
        .expect("README has the table start marker")
        + START.len();
    let end = README[start..]
        .find(END)
        .expect("README has the table end marker")
        + start;
    let expected = table();
    if README[start..end] != expected {
        panic!("README.md mapping table is out of date; replace it with:\n{expected}");
    }
}

const CLIENT_START: &str = "<!-- client-table:start -->\n";
const CLIENT_END: &str = "<!-- client-table:end -->";

fn client_table() -> String {
    let mut out = String::from(
        "| Type | Entra attribute | SCIM path | Note |\n\
         |---|---|---|---|\n",
    );
    for m in scimkit_entra::client::client_mappings() {
        let mut note = m.note().to_owned();
        if let Some(e) = m.expression() {
            note = format!("`{e}`; {note}");
        }
        out.push_str(&format!(
            "| {} | `{}` | `{}` | {} |\n",
            m.resource(),
            m.entra_attribute(),
            m.scim_path(),
            note.replace('|', "\\|"),
        ));
    }
    out
}

#[test]
fn readme_client_table_is_current() {
    let start = README
        .find(CLIENT_START)
        .expect("README has the client table start marker")
        + CLIENT_START.len();
    let end = README[start..]
        .find(CLIENT_END)
        .expect("README has the client table end marker")
        + start;
    let expected = client_table();
    if README[start..end] != expected {
        panic!("README.md client table is out of date; replace it with:\n{expected}");
    }
}
