//! `scimkit entra ...`: Microsoft Entra ID's SCIM API and Microsoft Graph
//! (scimkit-entra): conversions, filters to OData, PATCH to Graph calls,
//! least-privilege permissions, and Entra's filter subset.
//!
//! Every subcommand has two modes: `--jsonl` (one request object per input
//! line, one answer per output line) and a single-document mode for a
//! person at the terminal (one JSON document from a file or stdin, the
//! answer as one JSON line on stdout, an error on stderr with exit code 1;
//! exit code 2 when the file cannot be read).

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use scimkit_entra::{
    api::check_filter,
    convert::{from_graph_with, to_graph_with},
    graph::{patch_to_graph_with, to_batches, GraphOptions, GraphRequest, Method, NotWritable},
    odata::to_odata,
    permissions::{required_permissions, AdminRole, Permission, Touched},
    ResourceKind,
};
use scimkit_filter::{Filter, ParseOptions};
use scimkit_patch::{PatchOptions, PatchPath, PatchRequest};
use scimkit_schema::{ScimError, ScimType};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::document::{fail, read_document, read_text, single};
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
    ///
    /// Without --jsonl, FILE (or stdin) is one SCIM resource (`user.json`,
    /// pretty-printed or not); its type comes from --resource-type or from
    /// its `schemas`.
    ToGraph {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["file", "resource_type"])]
        jsonl: bool,
        /// `User` or `Group` (single-document mode; default: the core schema
        /// in the resource's `schemas`).
        #[arg(long, value_parser = parse_kind)]
        resource_type: Option<ResourceKind>,
        /// A Graph property of your own to carry `externalId` (for example
        /// `employeeId` or `onPremisesExtensionAttributes.extensionAttribute1`);
        /// by default no Graph body carries it and it is listed in
        /// `notWritable`.
        #[arg(long, value_name = "PROPERTY")]
        external_id_property: Option<String>,
        /// The SCIM resource (single-document mode); `-` or absent for stdin.
        file: Option<PathBuf>,
    },
    /// Convert Microsoft Graph users and groups to SCIM resources.
    ///
    /// Reads `{"resourceType": "User"|"Group", "graph": {...}}` per line and
    /// writes `{"resource": {...}}` or an error line per line: the resource
    /// exactly as Entra's SCIM API returns it (`schemas` listing only the
    /// extensions with content, `meta.location` `/users/{id}`, lowercase
    /// `meta.resourceType`).
    ///
    /// Without --jsonl, FILE (or stdin) is one Graph user or group.
    FromGraph {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["file", "resource_type"])]
        jsonl: bool,
        /// `User` or `Group` (single-document mode; default `User`).
        #[arg(long, value_parser = parse_kind)]
        resource_type: Option<ResourceKind>,
        /// The Graph property that carries `externalId` (as for `to-graph`),
        /// read back into `externalId`.
        #[arg(long, value_name = "PROPERTY")]
        external_id_property: Option<String>,
        /// The Graph object (single-document mode); `-` or absent for stdin.
        file: Option<PathBuf>,
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
    ///
    /// Without --jsonl, translate FILTER (or the text on stdin).
    Odata {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["filter", "resource_type"])]
        jsonl: bool,
        /// `User` or `Group` (single-document mode; default `User`).
        #[arg(long, value_parser = parse_kind)]
        resource_type: Option<ResourceKind>,
        /// The SCIM filter (single-document mode); absent: read stdin.
        filter: Option<String>,
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
    ///
    /// Without --jsonl, the request is --method and --resource-type, with
    /// --filter and --attributes for a GET, and for a PATCH or POST the
    /// body (PatchOp or resource) in FILE or on stdin.
    Permissions {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["method", "resource_type", "filter", "attributes", "file"])]
        jsonl: bool,
        /// The HTTP method (single-document mode): GET, POST, PATCH or DELETE.
        #[arg(long, required_unless_present = "jsonl")]
        method: Option<String>,
        /// `User` or `Group` (single-document mode; default `User`).
        #[arg(long, value_parser = parse_kind)]
        resource_type: Option<ResourceKind>,
        /// A GET's filter (single-document mode).
        #[arg(long)]
        filter: Option<String>,
        /// Attribute or PATCH paths the request touches, comma-separated
        /// (single-document mode).
        #[arg(long, value_delimiter = ',')]
        attributes: Vec<String>,
        /// The PATCH or POST body (single-document mode); `-` or absent for
        /// stdin. Not read for GET and DELETE.
        file: Option<PathBuf>,
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
    /// Filters are parsed as for `entra odata` (booleans in any case, as
    /// Entra accepts them); one that does not parse is an `invalidFilter`
    /// error line.
    ///
    /// Without --jsonl, check FILTER (or the text on stdin).
    CheckFilter {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["filter", "resource_type"])]
        jsonl: bool,
        /// `User` or `Group` (single-document mode; default `User`).
        #[arg(long, value_parser = parse_kind)]
        resource_type: Option<ResourceKind>,
        /// The SCIM filter (single-document mode); absent: read stdin.
        filter: Option<String>,
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
    ///
    /// Without --jsonl, FILE (or stdin) is one PatchOp body, for the
    /// resource --id (and --resource-type), with --current naming a file
    /// that holds the resource as it is now.
    PatchToGraph {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["id", "resource_type", "current", "file"])]
        jsonl: bool,
        /// The Entra object id of the user or group (single-document mode).
        #[arg(long, required_unless_present = "jsonl")]
        id: Option<String>,
        /// `User` or `Group` (single-document mode; default `User`).
        #[arg(long, value_parser = parse_kind)]
        resource_type: Option<ResourceKind>,
        /// A file holding the SCIM resource as it is now (single-document
        /// mode), for what Graph needs whole (`employeeOrgData`).
        #[arg(long, value_name = "FILE")]
        current: Option<PathBuf>,
        /// A Graph property of your own to carry `externalId` (as for
        /// `to-graph`).
        #[arg(long, value_name = "PROPERTY")]
        external_id_property: Option<String>,
        /// The PatchOp body (single-document mode); `-` or absent for stdin.
        file: Option<PathBuf>,
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
        EntraCommand::ToGraph {
            jsonl,
            resource_type,
            external_id_property,
            file,
        } => {
            let options = match graph_options(external_id_property.as_deref()) {
                Ok(options) => options,
                Err(e) => return fail(&e),
            };
            if jsonl {
                jsonl::run(input, out, |line| {
                    to_graph_answer(
                        kind(line)?,
                        jsonl::required_object(line, "resource")?,
                        &options,
                    )
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let resource = match read_document(file.as_deref(), input) {
                Ok(doc) => doc,
                Err(code) => return Ok(code),
            };
            single(out, || {
                let kind = match resource_type {
                    Some(kind) => kind,
                    None => kind_from_schemas(&resource)?,
                };
                to_graph_answer(kind, &resource, &options)
            })
        }
        EntraCommand::FromGraph {
            jsonl,
            resource_type,
            external_id_property,
            file,
        } => {
            let options = match graph_options(external_id_property.as_deref()) {
                Ok(options) => options,
                Err(e) => return fail(&e),
            };
            if jsonl {
                jsonl::run(input, out, |line| {
                    from_graph_answer(
                        kind(line)?,
                        jsonl::required_object(line, "graph")?,
                        &options,
                    )
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let graph = match read_document(file.as_deref(), input) {
                Ok(doc) => doc,
                Err(code) => return Ok(code),
            };
            single(out, || {
                from_graph_answer(
                    resource_type.unwrap_or(ResourceKind::User),
                    &graph,
                    &options,
                )
            })
        }
        EntraCommand::Odata {
            jsonl,
            resource_type,
            filter,
        } => {
            if jsonl {
                jsonl::run(input, out, |line| {
                    odata_answer(kind(line)?, filter_of(line)?)
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let text = match filter_text(filter, input) {
                Ok(text) => text,
                Err(code) => return Ok(code),
            };
            single(out, || {
                odata_answer(resource_type.unwrap_or(ResourceKind::User), &text)
            })
        }
        EntraCommand::CheckFilter {
            jsonl,
            resource_type,
            filter,
        } => {
            if jsonl {
                jsonl::run(input, out, |line| {
                    check_filter_answer(kind(line)?, filter_of(line)?)
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let text = match filter_text(filter, input) {
                Ok(text) => text,
                Err(code) => return Ok(code),
            };
            single(out, || {
                check_filter_answer(resource_type.unwrap_or(ResourceKind::User), &text)
            })
        }
        EntraCommand::Permissions {
            jsonl,
            method,
            resource_type,
            filter,
            attributes,
            file,
            broader,
            notes,
            compat,
        } => {
            let options = compat.options();
            if jsonl {
                jsonl::run(input, out, |line| {
                    permissions_line(line, &options, broader, notes)
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let method: Method = match method.unwrap_or_default().parse() {
                Ok(method) => method,
                Err(e) => return fail(&e),
            };
            let body = if matches!(method, Method::Patch | Method::Post) {
                match read_document(file.as_deref(), input) {
                    Ok(doc) => Some(doc),
                    Err(code) => return Ok(code),
                }
            } else {
                None
            };
            let mut line = Map::new();
            line.insert("method".to_owned(), Value::String(method.to_string()));
            line.insert(
                "resourceType".to_owned(),
                Value::String(resource_type.unwrap_or(ResourceKind::User).to_string()),
            );
            if let Some(body) = body {
                line.insert("request".to_owned(), body);
            }
            if let Some(filter) = filter {
                line.insert("filter".to_owned(), Value::String(filter));
            }
            if !attributes.is_empty() {
                line.insert(
                    "attributes".to_owned(),
                    Value::Array(attributes.into_iter().map(Value::String).collect()),
                );
            }
            single(out, || permissions_line(&line, &options, broader, notes))
        }
        EntraCommand::PatchToGraph {
            jsonl,
            id,
            resource_type,
            current,
            external_id_property,
            file,
            batch,
            compat,
        } => {
            let options = compat.options();
            let graph = match graph_options(external_id_property.as_deref()) {
                Ok(options) => options,
                Err(e) => return fail(&e),
            };
            if jsonl {
                jsonl::run(input, out, |line| {
                    patch_to_graph_line(line, &options, &graph, batch)
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let current = match current {
                Some(path) => match read_document(Some(&path), input) {
                    Ok(doc) => Some(doc),
                    Err(code) => return Ok(code),
                },
                None => None,
            };
            let request = match read_document(file.as_deref(), input) {
                Ok(doc) => doc,
                Err(code) => return Ok(code),
            };
            single(out, || {
                let request = PatchRequest::from_value(&request, &options)?;
                patch_to_graph_answer(
                    resource_type.unwrap_or(ResourceKind::User),
                    id.as_deref().unwrap_or_default(),
                    &request,
                    current.as_ref(),
                    &graph,
                    batch,
                )
            })
        }
    }
}

/// `--resource-type`: `User` or `Group` in any case.
fn parse_kind(text: &str) -> Result<ResourceKind, String> {
    text.parse::<ResourceKind>()
        .map_err(|e| e.detail().unwrap_or_default().to_owned())
}

/// The options `--external-id-property` asks for.
fn graph_options(external_id_property: Option<&str>) -> Result<GraphOptions, ScimError> {
    match external_id_property {
        Some(property) => GraphOptions::default().external_id_property(property),
        None => Ok(GraphOptions::default()),
    }
}

/// The filter argument, or the text on stdin (trimmed).
fn filter_text(filter: Option<String>, stdin: &mut dyn BufRead) -> Result<String, ExitCode> {
    match filter {
        Some(text) => Ok(text),
        None => Ok(read_text(None, stdin)?.trim().to_owned()),
    }
}

/// A SCIM resource's type from the core schema in its `schemas`.
fn kind_from_schemas(resource: &Value) -> Result<ResourceKind, ScimError> {
    let schemas = resource.get("schemas").and_then(Value::as_array);
    ResourceKind::ALL
        .into_iter()
        .find(|k| {
            schemas.is_some_and(|list| {
                list.iter().any(|s| {
                    s.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(k.core_urn()))
                })
            })
        })
        .ok_or_else(|| {
            ScimError::new(
                ScimType::InvalidValue,
                "the resource's `schemas` names neither the core User nor the core Group \
                 schema; say which with --resource-type",
            )
        })
}

/// The line's `resourceType`, `User` or `Group` in any case.
fn kind(line: &Map<String, Value>) -> Result<ResourceKind, ScimError> {
    jsonl::required_str(line, "resourceType")?.parse()
}

/// The line's `filter` text.
fn filter_of(line: &Map<String, Value>) -> Result<&str, ScimError> {
    jsonl::required_str(line, "filter")
}

/// A filter parsed as Entra writes filters (`attr[filter].sub op value`
/// accepted, booleans in any case).
fn parse_filter(text: &str) -> Result<Filter, ScimError> {
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

fn to_graph_answer(
    kind: ResourceKind,
    resource: &Value,
    options: &GraphOptions,
) -> Result<String, ScimError> {
    let out = to_graph_with(kind, resource, options)?;
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

fn from_graph_answer(
    kind: ResourceKind,
    graph: &Value,
    options: &GraphOptions,
) -> Result<String, ScimError> {
    let resource = from_graph_with(kind, graph, options)?;
    jsonl::to_line(&ResourceLine { resource })
}

fn odata_answer(kind: ResourceKind, filter: &str) -> Result<String, ScimError> {
    // `OData` serializes as {"filter": ..., "advanced": ...}.
    jsonl::to_line(&to_odata(&parse_filter(filter)?, kind)?)
}

/// One `entra check-filter` answer.
#[derive(Serialize)]
struct SupportedLine {
    supported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn check_filter_answer(kind: ResourceKind, filter: &str) -> Result<String, ScimError> {
    let answer = match check_filter(&parse_filter(filter)?, kind) {
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
        add(Touched::from_filter(&parse_filter(filter_of(line)?)?));
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
    graph: &GraphOptions,
    with_batches: bool,
) -> Result<String, ScimError> {
    let kind = kind(line)?;
    let id = jsonl::required_str(line, "id")?;
    let request = PatchRequest::from_value(jsonl::required_object(line, "request")?, options)?;
    let current = match line.get("current") {
        None => None,
        Some(_) => Some(jsonl::required_object(line, "current")?),
    };
    patch_to_graph_answer(kind, id, &request, current, graph, with_batches)
}

fn patch_to_graph_answer(
    kind: ResourceKind,
    id: &str,
    request: &PatchRequest,
    current: Option<&Value>,
    graph: &GraphOptions,
    with_batches: bool,
) -> Result<String, ScimError> {
    let out = patch_to_graph_with(kind, id, request, current, graph)?;
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
