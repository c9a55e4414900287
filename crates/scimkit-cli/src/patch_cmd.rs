//! `scimkit patch ...`: apply SCIM PATCH requests to resources.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use scimkit_patch::{Change, PatchOptions, PatchRequest};
use scimkit_schema::{ResourceSchema, ScimError};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{jsonl, schema_cmd};

#[derive(Subcommand)]
pub(crate) enum PatchCommand {
    /// Apply a PATCH request (RFC 7644 §3.5.2) to a resource.
    ///
    /// With --request, apply the PatchOp body in REQUEST to the resource in
    /// RESOURCE (or stdin) and print the patched resource as pretty JSON,
    /// exit code 0. The request applies completely or not at all: a request
    /// that fails prints the RFC 7644 Error JSON
    /// (`{"schemas": [...], "status": "400", "scimType": "...", "detail":
    /// "..."}`) on stderr, nothing on stdout, exit code 1. A file that cannot
    /// be read or is not JSON: a message on stderr, exit code 2.
    ///
    /// With --jsonl, read `{"resource": {...}, "request": {PatchOp body}}`
    /// per line, with an optional `"resourceType": "User"` or `"Group"` that
    /// overrides --schema, and write `{"resource": {...patched...}}` or an
    /// error line per line.
    ///
    /// With --changes, the output is `{"resource": {...}, "changes": [...]}`
    /// instead: every change in the order it was made, each
    /// `{"path": "name.givenName", "kind": "added"|"replaced"|"removed",
    /// "old": ..., "new": ...}` (`old` is null for an addition, `new` for a
    /// removal); an empty list when the request changed nothing.
    ///
    /// The output is the stored resource, not a response to a client: no
    /// attribute is left out (`password` included) and `meta` is not updated.
    /// Members of the patched resource come out sorted by name, not in their
    /// input order.
    Apply {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["request", "resource"])]
        jsonl: bool,
        /// The PatchOp request body (a JSON file).
        #[arg(long, value_name = "REQUEST", required_unless_present = "jsonl")]
        request: Option<PathBuf>,
        /// Which PATCH behaviour to follow.
        #[arg(long, value_enum, ignore_case = true, default_value = "strict")]
        compat: Compat,
        /// The resource type the resource and request are checked against.
        #[arg(long, value_enum, ignore_case = true, default_value = "User")]
        schema: ResourceArg,
        /// Also output the list of changes (see above).
        #[arg(long)]
        changes: bool,
        /// The resource to patch (a JSON file); `-` or absent for stdin.
        #[arg(value_name = "RESOURCE")]
        resource: Option<PathBuf>,
    },
}

/// Which PATCH behaviour to follow.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Compat {
    /// RFC 7644 to the letter.
    Strict,
    /// Also accept what Microsoft Entra's provisioning service sends:
    /// capitalised ops, "True"/"False" booleans, remove with a value, path
    /// keys in a path-less value, filtered upserts, a bare manager id, empty
    /// Operations, removals that match nothing.
    Entra,
}

impl Compat {
    pub(crate) fn options(self) -> PatchOptions {
        match self {
            Self::Strict => PatchOptions::strict(),
            Self::Entra => PatchOptions::entra(),
        }
    }
}

/// The resource type a PATCH is applied under.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ResourceArg {
    /// The RFC 7643 User resource type (with the enterprise extension).
    #[value(name = "User")]
    User,
    /// The RFC 7643 Group resource type.
    #[value(name = "Group")]
    Group,
}

impl ResourceArg {
    fn resource_schema(self) -> &'static ResourceSchema {
        match self {
            Self::User => ResourceSchema::user(),
            Self::Group => ResourceSchema::group(),
        }
    }
}

pub(crate) fn run(
    cmd: PatchCommand,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    let PatchCommand::Apply {
        jsonl,
        request,
        compat,
        schema,
        changes,
        resource,
    } = cmd;
    let options = compat.options();
    let schema = schema.resource_schema();
    if jsonl {
        jsonl::run(input, out, |line| {
            apply_line(line, schema, &options, changes)
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let request = request.unwrap_or_default();
    let Some(request) = read_json(Some(&request), input) else {
        return Ok(ExitCode::from(2));
    };
    let Some(mut resource) = read_json(resource.as_deref(), input) else {
        return Ok(ExitCode::from(2));
    };
    let result = PatchRequest::from_value(&request, &options)
        .and_then(|req| req.apply(&mut resource, schema))
        .map_err(ScimError::from);
    match result {
        Ok(outcome) => {
            if changes {
                let answer = PatchLine {
                    resource: &resource,
                    changes: Some(outcome.changes()),
                };
                serde_json::to_writer_pretty(&mut *out, &answer)?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &resource)?;
            }
            out.write_all(b"\n")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let text = serde_json::to_string_pretty(&e).map_err(io::Error::other)?;
            eprintln!("{text}");
            if let Some(hint) = e.hint() {
                eprintln!("hint: {hint}");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// A `patch apply` answer with `--changes` (and every `--jsonl` answer),
/// members in this order.
#[derive(Serialize)]
struct PatchLine<'a> {
    resource: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<&'a [Change]>,
}

fn apply_line(
    line: &Map<String, Value>,
    default_schema: &'static ResourceSchema,
    options: &PatchOptions,
    with_changes: bool,
) -> Result<String, ScimError> {
    let resource = jsonl::required_object(line, "resource")?;
    let request = jsonl::required_object(line, "request")?;
    let schema = match line.get("resourceType") {
        None => default_schema,
        Some(_) => schema_cmd::resource_schema(jsonl::required_str(line, "resourceType")?)?,
    };
    let request = PatchRequest::from_value(request, options)?;
    let mut resource = resource.clone();
    let outcome = request.apply(&mut resource, schema)?;
    jsonl::to_line(&PatchLine {
        resource: &resource,
        changes: with_changes.then(|| outcome.changes()),
    })
}

/// Read and parse the JSON file `path` (stdin for `-` or `None`); on failure
/// report on stderr and return `None`.
fn read_json(path: Option<&Path>, stdin: &mut dyn BufRead) -> Option<Value> {
    let (name, text) = match path {
        Some(path) if path != Path::new("-") => {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Ok(text) => (name, text),
                Err(e) => {
                    eprintln!("scimkit: cannot read {name}: {e}");
                    return None;
                }
            }
        }
        _ => {
            let mut text = Vec::new();
            if let Err(e) = stdin.read_to_end(&mut text) {
                eprintln!("scimkit: cannot read stdin: {e}");
                return None;
            }
            (String::from("stdin"), text)
        }
    };
    match serde_json::from_slice(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            eprintln!("scimkit: {name} is not JSON: {e}");
            None
        }
    }
}
