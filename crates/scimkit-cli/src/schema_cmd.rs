//! `scimkit schema ...`: built-in schemas and attribute-path resolution.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use clap::Subcommand;
use scimkit_schema::{
    builtin, AttrPath, AttributeType, Mutability, ResolvedAttribute, ResourceSchema, Returned,
    ScimError, ScimType, Target,
};
use serde::Serialize;

use crate::jsonl;

#[derive(Subcommand)]
pub(crate) enum SchemaCommand {
    /// Print a built-in schema as RFC 7643 JSON.
    Show {
        /// `User`, `Group`, `EnterpriseUser`, or a schema URN.
        name: String,
    },
    /// Resolve attribute paths to their definitions.
    ///
    /// Without --jsonl: the definition on stdout, or the error on stderr
    /// with exit code 1. With --jsonl, read `{"resourceType": "User",
    /// "path": "name.familyName"}` per line and write the definition or an
    /// error per line.
    Resolve {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long)]
        jsonl: bool,
        /// Resource type for a single path (User or Group).
        #[arg(long, default_value = "User")]
        resource_type: String,
        /// The path to resolve (without --jsonl).
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        path: Option<String>,
    },
}

pub(crate) fn run(
    cmd: SchemaCommand,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    match cmd {
        SchemaCommand::Show { name } => match builtin::by_name(&name) {
            Some(schema) => {
                serde_json::to_writer_pretty(&mut *out, schema)?;
                out.write_all(b"\n")?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!(
                    "scimkit: no built-in schema {name:?} (try User, Group, EnterpriseUser or a schema URN)"
                );
                Ok(ExitCode::from(2))
            }
        },
        SchemaCommand::Resolve { jsonl: true, .. } => {
            jsonl::run(input, out, |req| {
                let rt = jsonl::required_str(req, "resourceType")?;
                let path = jsonl::required_str(req, "path")?;
                resolve(rt, path)
            })?;
            Ok(ExitCode::SUCCESS)
        }
        SchemaCommand::Resolve {
            resource_type,
            path,
            ..
        } => {
            // The definition on stdout; an error (the same JSON form) on
            // stderr, exit code 1.
            match resolve(&resource_type, path.as_deref().unwrap_or_default()) {
                Ok(line) => {
                    out.write_all(line.as_bytes())?;
                    out.write_all(b"\n")?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{}", jsonl::error_line(&e));
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// The built-in resource type named `name` (or its endpoint), any case;
/// `invalidValue` for any other.
pub(crate) fn resource_schema(name: &str) -> Result<&'static ResourceSchema, ScimError> {
    [ResourceSchema::user(), ResourceSchema::group()]
        .into_iter()
        .find(|rs| {
            let rt = rs.resource_type();
            rt.name.eq_ignore_ascii_case(name)
                || rt
                    .endpoint
                    .trim_start_matches('/')
                    .eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| {
            ScimError::new(
                ScimType::InvalidValue,
                format!("unknown resource type {name:?} (built in: User, Group)"),
            )
        })
}

/// One `schema resolve` answer, fields in the documented order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Resolution<'a> {
    schema: &'a str,
    attribute: Option<&'a str>,
    sub_attribute: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    multi_valued: bool,
    case_exact: bool,
    mutability: &'static str,
    returned: &'static str,
}

/// The `schema resolve` answer for one path. A bare extension URN resolves
/// to the extension object, described as a single-valued complex attribute
/// with `attribute: null`.
fn resolve(resource_type: &str, path: &str) -> Result<String, ScimError> {
    let rs = resource_schema(resource_type)?;
    let path = AttrPath::parse(path)?;
    let answer = match rs.resolve_target(&path)? {
        Target::Attribute(found) => describe(&found),
        Target::Extension(schema) => Resolution {
            schema: &schema.id,
            attribute: None,
            sub_attribute: None,
            kind: AttributeType::Complex.as_str(),
            multi_valued: false,
            case_exact: false,
            mutability: Mutability::ReadWrite.as_str(),
            returned: Returned::Default.as_str(),
        },
    };
    jsonl::to_line(&answer)
}

fn describe<'a>(found: &ResolvedAttribute<'a>) -> Resolution<'a> {
    let target = found.target();
    Resolution {
        schema: found.schema_urn(),
        attribute: Some(&found.attribute().name),
        sub_attribute: found.sub_attribute().map(|s| s.name.as_str()),
        kind: target.kind.as_str(),
        multi_valued: target.multi_valued,
        case_exact: target.is_case_exact(),
        mutability: target.mutability.as_str(),
        returned: target.returned.as_str(),
    }
}
