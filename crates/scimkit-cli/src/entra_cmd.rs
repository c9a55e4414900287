//! `scimkit entra ...`: Microsoft Entra ID's SCIM API and Microsoft Graph
//! (scimkit-entra): conversions, filters to OData, PATCH to Graph calls,
//! least-privilege permissions, and Entra's filter subset.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use clap::Subcommand;
use scimkit_entra::{
    check_filter, from_graph, patch_to_graph_with, required_permissions, to_batches, to_graph,
    to_odata, AdminRole, GraphOptions, GraphRequest, Method, NotWritable, Permission, ResourceKind,
    Touched,
};
use scimkit_filter::{Filter, ParseOptions};
use scimkit_patch::{PatchOptions, PatchPath, PatchRequest};
use scimkit_schema::{ScimError, ScimType};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::jsonl;
use crate::patch_cmd::Compat;

#[derive(Subcommand)]
pub(crate) enum EntraCommand {
    /// Convert SCIM Users and Groups to Microsoft Graph request bodies.
    ///
    /// Reads `{"resourceType": "User"|"Group", "resource": {...}}` per line
    /// and writes `{"graph": {...}, "unmapped": ["path", ...]}` (plus
    /// `"notWritable": [{"path": "externalId", "reason": "..."}]` for
    /// attributes no public Graph request can write) or an error
    /// line per line. `graph` is the body of a Graph `POST /users` (or
    /// `/groups`), relationships as `@odata.bind` annotations; `unmapped`
    /// lists the SCIM paths of input attributes the body does not carry (no
    /// Graph property, read-only, or an extra value of a single-valued
    /// property), in the order of the resource's members, which are read
    /// sorted by name (array elements keep their order). A value of the wrong type, a date-time that
    /// does not parse or `schemas` without the core schema is an error line.
    ToGraph {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout (required:
        /// the only mode).
        #[arg(long, required = true)]
        jsonl: bool,
    },
    /// Convert Microsoft Graph users and groups to SCIM resources.
    ///
    /// Reads `{"resourceType": "User"|"Group", "graph": {...}}` per line and
    /// writes `{"resource": {...}}` or an error line per line: the resource
    /// exactly as Entra's SCIM API returns it (`schemas` listing only the
    /// extensions with content, `meta.location` `/users/{id}`, lowercase
    /// `meta.resourceType`).
    FromGraph {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout (required:
        /// the only mode).
        #[arg(long, required = true)]
        jsonl: bool,
    },
    /// Translate SCIM filters to Microsoft Graph OData `$filter` expressions.
    ///
    /// Reads `{"resourceType": "User"|"Group", "filter": "..."}` per line
    /// and writes `{"filter": "<odata>", "advanced": true|false}` or an
    /// error line per line. `advanced` means Graph only takes the filter as
    /// an advanced query: send `ConsistencyLevel: eventual` and
    /// `$count=true`. The filter is not URL-encoded.
    ///
    /// Filters are parsed as Entra's provisioning service writes them
    /// (`emails[type eq "work"].value eq "..."` is accepted). A filter that
    /// does not parse is an `invalidFilter` error line; one that parses but
    /// that Graph cannot express (`co`, `externalId`, relationships,
    /// unmapped attributes, ...) is an `invalidFilter` error line whose
    /// detail starts with "not expressible as an OData $filter" and names
    /// the clause and its byte span ("invalid literal for an OData $filter"
    /// for a literal that does not fit its attribute).
    Odata {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout (required:
        /// the only mode).
        #[arg(long, required = true)]
        jsonl: bool,
    },
    /// The least-privileged Microsoft Graph application permissions a
    /// request to Entra's SCIM API needs.
    ///
    /// Reads `{"method": "GET"|"POST"|"PATCH"|"DELETE", "resourceType":
    /// "User"|"Group", ...}` per line, where the request touches:
    ///
    /// - `"request"`: for PATCH, the PatchOp body (its targets); for POST,
    ///   the resource body (its attributes);
    ///
    /// - `"attributes"`: a list of attribute or PATCH paths (`"active"`,
    ///   `"phoneNumbers[type eq \"mobile\"].value"`): the targets of a PATCH,
    ///   or what a GET returns (its `attributes` projection);
    ///
    /// - `"filter"`: a GET's filter (its attributes count as read);
    ///
    /// - none of them: the whole resource.
    ///
    /// Those given are combined. Writes `{"permissions": ["..."]}` (every
    /// permission of the least-privileged set, sorted by name; plus
    /// `"roles": [...]` when Graph also wants an admin role:
    /// `userAdministrator` always, `sensitiveActionsOnPrivilegedUser` only
    /// when the target user is privileged) or an error line per line: PUT (Entra has none), a PATCH target with no Graph
    /// property, read-only or create-only.
    Permissions {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout (required:
        /// the only mode).
        #[arg(long, required = true)]
        jsonl: bool,
        /// Also write `"broader": ["..."]`: broader permissions that would
        /// also do, each in place of the least ones it covers.
        #[arg(long)]
        broader: bool,
        /// Also write `"notes": ["..."]`: caveats (admin roles Graph also
        /// wants, permissions only Graph's docs name, unverified rows).
        #[arg(long)]
        notes: bool,
        /// How PatchOp bodies in `request` are parsed.
        #[arg(long, value_enum, default_value = "strict")]
        compat: Compat,
    },
    /// Say whether Entra's SCIM API supports a filter, before a billed call.
    ///
    /// Reads `{"resourceType": "User"|"Group", "filter": "..."}` per line
    /// and writes `{"supported": true}`, `{"supported": false, "reason":
    /// "..."}` or an error line per line. The reason names the first clause
    /// Entra would refuse: "Entra's SCIM API does not support `<clause>`:
    /// <why>". Entra's subset: `eq` (and `ew` on a few attributes) on the
    /// attributes it lists, `and` only, `not` only around one `ew` on
    /// /users, `externalId` alone, extension attributes URN-qualified.
    ///
    /// Filters are parsed as for `entra odata`; one that does not parse is
    /// an `invalidFilter` error line.
    CheckFilter {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout (required:
        /// the only mode).
        #[arg(long, required = true)]
        jsonl: bool,
    },
    /// Translate SCIM PATCH requests to the Microsoft Graph calls that make
    /// the same change.
    ///
    /// Reads `{"resourceType": "User"|"Group", "id": "...", "request":
    /// {PatchOp body}}` per line, optionally with `"current": {...}`, the
    /// SCIM resource as it is now, and writes `{"requests": [{"method":
    /// "PATCH", "url": "/users/{id}", "body": {...}}, ...], "permissions":
    /// [{"least": ["..."], "roles": ["..."]}, ...]}` or an error line per
    /// line. `permissions` has one entry per request: the least-privileged
    /// Graph permissions it needs and the admin roles Graph also wants
    /// (`userAdministrator`; `sensitiveActionsOnPrivilegedUser`: only when
    /// the target user is privileged), `roles` left out when none.
    /// `externalId` goes into no Graph body (Entra keeps it in
    /// crossDomainData, which public Graph lacks): it is listed in
    /// `"notWritable": [{"path": ..., "reason": ...}]`. Changing one of
    /// `costCenter` and `division` needs `current` (Graph would clear the
    /// other `employeeOrgData` member); removing `userName`,
    /// `displayName`, `active` or the work email is an error line. URLs are relative to `https://graph.microsoft.com/v1.0`;
    /// `body` is null when the call has none. The order is fixed: one
    /// property `PATCH`, the manager (`PUT`/`DELETE .../manager/$ref`),
    /// member additions (`POST .../members/$ref`), member removals
    /// (`DELETE .../members/{id}/$ref`). A request that changes nothing
    /// gives `"requests": []`.
    ///
    /// The translation is stateless: what needs the current values (`add`
    /// to a multi-valued Graph collection, filters on current values,
    /// replacing every member), unmapped and read-only targets are error
    /// lines, never dropped.
    PatchToGraph {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout (required:
        /// the only mode).
        #[arg(long, required = true)]
        jsonl: bool,
        /// Also write `"batches": [...]`: the requests as Graph JSON
        /// `$batch` bodies (`{"requests": [...]}`, at most 20 requests
        /// each, ids counting from "1").
        #[arg(long)]
        batch: bool,
        /// How PatchOp bodies are parsed: `strict` (RFC 7644, as Entra's
        /// SCIM API itself accepts them) or `entra` (also what Entra's
        /// provisioning service sends as a client).
        #[arg(long, value_enum, default_value = "strict")]
        compat: Compat,
    },
}

pub(crate) fn run(
    cmd: EntraCommand,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    match cmd {
        EntraCommand::ToGraph { .. } => jsonl::run(input, out, to_graph_line),
        EntraCommand::FromGraph { .. } => jsonl::run(input, out, from_graph_line),
        EntraCommand::Odata { .. } => jsonl::run(input, out, odata_line),
        EntraCommand::Permissions {
            broader,
            notes,
            compat,
            ..
        } => {
            let options = compat.options();
            jsonl::run(input, out, |line| {
                permissions_line(line, &options, broader, notes)
            })
        }
        EntraCommand::CheckFilter { .. } => jsonl::run(input, out, check_filter_line),
        EntraCommand::PatchToGraph { batch, compat, .. } => {
            let options = compat.options();
            jsonl::run(input, out, |line| {
                patch_to_graph_line(line, &options, batch)
            })
        }
    }?;
    Ok(ExitCode::SUCCESS)
}

/// The line's `resourceType`, `User` or `Group` in any case.
fn kind(line: &Map<String, Value>) -> Result<ResourceKind, ScimError> {
    jsonl::required_str(line, "resourceType")?.parse()
}

/// The line's `filter`, parsed as Entra's provisioning service writes
/// filters (`attr[filter].sub op value` accepted).
fn filter(line: &Map<String, Value>) -> Result<Filter, ScimError> {
    let text = jsonl::required_str(line, "filter")?;
    Ok(Filter::parse_with(text, ParseOptions::entra())?)
}

/// One `entra to-graph` answer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GraphLine<'a> {
    graph: &'a Value,
    unmapped: &'a [String],
    #[serde(skip_serializing_if = "<[NotWritable]>::is_empty")]
    not_writable: &'a [NotWritable],
}

fn to_graph_line(line: &Map<String, Value>) -> Result<String, ScimError> {
    let kind = kind(line)?;
    let out = to_graph(kind, jsonl::required_object(line, "resource")?)?;
    jsonl::to_line(&GraphLine {
        graph: &out.body,
        unmapped: &out.unmapped,
        not_writable: &out.not_writable,
    })
}

/// One `entra from-graph` answer.
#[derive(Serialize)]
struct ResourceLine {
    resource: Value,
}

fn from_graph_line(line: &Map<String, Value>) -> Result<String, ScimError> {
    let kind = kind(line)?;
    let resource = from_graph(kind, jsonl::required_object(line, "graph")?)?;
    jsonl::to_line(&ResourceLine { resource })
}

fn odata_line(line: &Map<String, Value>) -> Result<String, ScimError> {
    let kind = kind(line)?;
    // `OData` serializes as {"filter": ..., "advanced": ...}.
    jsonl::to_line(&to_odata(&filter(line)?, kind)?)
}

/// One `entra check-filter` answer.
#[derive(Serialize)]
struct SupportedLine {
    supported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn check_filter_line(line: &Map<String, Value>) -> Result<String, ScimError> {
    let kind = kind(line)?;
    let answer = match check_filter(&filter(line)?, kind) {
        Ok(()) => SupportedLine {
            supported: true,
            reason: None,
        },
        Err(unsupported) => SupportedLine {
            supported: false,
            reason: Some(unsupported.to_string()),
        },
    };
    jsonl::to_line(&answer)
}

/// One `entra permissions` answer, members in this order.
#[derive(Serialize)]
struct PermissionsLine<'a> {
    permissions: &'a [Permission],
    #[serde(skip_serializing_if = "Option::is_none")]
    broader: Option<&'a [Permission]>,
    #[serde(skip_serializing_if = "<[AdminRole]>::is_empty")]
    roles: &'a [AdminRole],
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a [String]>,
}

fn permissions_line(
    line: &Map<String, Value>,
    options: &PatchOptions,
    with_broader: bool,
    with_notes: bool,
) -> Result<String, ScimError> {
    let method: Method = jsonl::required_str(line, "method")?.parse()?;
    let kind = kind(line)?;
    let mut touched: Option<Touched> = None;
    let mut add = |more: Touched| {
        touched = Some(match touched.take() {
            Some(t) => t.and(more),
            None => more,
        });
    };
    if line.contains_key("request") {
        let request = jsonl::required_object(line, "request")?;
        add(match method {
            Method::Patch => Touched::from_patch(&PatchRequest::from_value(request, options)?)?,
            Method::Post => Touched::from_resource(request)?,
            _ => {
                return Err(ScimError::new(
                    ScimType::InvalidSyntax,
                    format!(
                        "`request` is a PatchOp body (PATCH) or a resource (POST), not part of {method}; \
                         use `attributes` or `filter`"
                    ),
                ))
            }
        });
    }
    if let Some(attributes) = line.get("attributes") {
        add(Touched::paths(paths(attributes)?));
    }
    if line.contains_key("filter") {
        add(Touched::from_filter(&filter(line)?));
    }
    let touched = touched.unwrap_or_else(Touched::everything);
    let needs = required_permissions(method, kind, &touched)?;
    jsonl::to_line(&PermissionsLine {
        permissions: needs.least(),
        broader: with_broader.then(|| needs.broader()),
        roles: needs.roles(),
        notes: with_notes.then(|| needs.notes()),
    })
}

/// `attributes`: a JSON array of attribute or PATCH path strings.
fn paths(attributes: &Value) -> Result<Vec<PatchPath>, ScimError> {
    let not_a_list = || {
        ScimError::new(
            ScimType::InvalidSyntax,
            "`attributes` must be an array of attribute paths (strings)",
        )
    };
    attributes
        .as_array()
        .ok_or_else(not_a_list)?
        .iter()
        .map(|p| Ok(PatchPath::parse(p.as_str().ok_or_else(not_a_list)?)?))
        .collect()
}

/// One `entra patch-to-graph` answer, members in this order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestsLine<'a> {
    requests: &'a [GraphRequest],
    permissions: Vec<RequestPermissions<'a>>,
    #[serde(skip_serializing_if = "<[NotWritable]>::is_empty")]
    not_writable: &'a [NotWritable],
    #[serde(skip_serializing_if = "Option::is_none")]
    batches: Option<Vec<Value>>,
}

/// What one request of a `patch-to-graph` answer needs.
#[derive(Serialize)]
struct RequestPermissions<'a> {
    least: &'a [Permission],
    #[serde(skip_serializing_if = "<[AdminRole]>::is_empty")]
    roles: &'a [AdminRole],
}

fn patch_to_graph_line(
    line: &Map<String, Value>,
    options: &PatchOptions,
    with_batches: bool,
) -> Result<String, ScimError> {
    let kind = kind(line)?;
    let id = jsonl::required_str(line, "id")?;
    let request = PatchRequest::from_value(jsonl::required_object(line, "request")?, options)?;
    let current = match line.get("current") {
        None => None,
        Some(_) => Some(jsonl::required_object(line, "current")?),
    };
    let out = patch_to_graph_with(kind, id, &request, current, &GraphOptions::default())?;
    let batches = with_batches.then(|| to_batches(&out.requests));
    let permissions = out
        .permissions
        .iter()
        .map(|p| RequestPermissions {
            least: p.least(),
            roles: p.roles(),
        })
        .collect();
    jsonl::to_line(&RequestsLine {
        requests: &out.requests,
        permissions,
        not_writable: &out.not_writable,
        batches,
    })
}
