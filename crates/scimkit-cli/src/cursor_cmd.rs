//! `scimkit cursor ...`: RFC 9865 cursor tokens and page requests.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use scimkit_cursor::{
    Clock, CursorCodec, CursorKey, KeyRing, OverMaxCount, PageRequest, PaginationConfig, Position,
    QueryFingerprint, SystemClock,
};
use scimkit_schema::{ScimError, ScimType};
use serde::{Deserialize as _, Serialize};
use serde_json::{Map, Value};

use crate::document::{read_document, single};
use crate::jsonl;

/// The environment variable read when no `--key` is given.
const KEYS_VAR: &str = "SCIMKIT_CURSOR_KEYS";

#[derive(Subcommand)]
pub(crate) enum CursorCommand {
    /// Encode positions into signed (or sealed), query-bound cursor tokens.
    ///
    /// Reads `{"position": {...}, "query": "filter=...&sortBy=...",
    /// "now": <unix seconds>, "ttl": <seconds>}` per line and writes
    /// `{"cursor": "..."}` or an error line per line.
    ///
    /// `position` is `{"sortValues": [...], "id": "..."}` (plus
    /// `"direction": "previous"` for a previousCursor) or
    /// `{"opaque": "<base64url>"}`. The token is bound to the query's
    /// filter, sortBy, sortOrder, attributes and excludedAttributes (and
    /// to `"resourceType"` if the line has one). The page size recorded in
    /// the token is the query's effective `count`: its `count` parameter,
    /// else the configuration's defaultPageSize, clamped to maxPageSize.
    /// `now` defaults to the system clock, `ttl` to the configuration's
    /// cursorTimeout (600 s). An optional `"config"` is the RFC 9865
    /// ServiceProviderConfig `pagination` object (see `cursor page`).
    ///
    /// Without --jsonl, FILE (or stdin) is one such object, pretty-printed
    /// or not, and the answer is one line (errors on stderr, exit code 1).
    Encode {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with = "file")]
        jsonl: bool,
        /// One request object (single-document mode); `-` or absent for stdin.
        file: Option<PathBuf>,
        /// Encrypt the position (XChaCha20-Poly1305) so clients cannot read
        /// it; tokens get about 53 characters longer and differ on every run.
        #[arg(long)]
        sealed: bool,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Verify cursor tokens and print their positions.
    ///
    /// Reads `{"cursor": "...", "query": "...", "now": <unix seconds>}` per
    /// line (optional `"resourceType"` and `"config"` as for `encode`) and
    /// writes `{"position": {...}, "issuedAt": n, "expiresAt": n}` or an
    /// error line per line: `invalidCursor` for a malformed, tampered,
    /// truncated, foreign-key or wrong-query token, `expiredCursor` once
    /// `now` is past `expiresAt`, `invalidCount` when the query's effective
    /// count differs from the token's. Signed and sealed tokens are both
    /// accepted. `now` defaults to the system clock.
    ///
    /// Without --jsonl, FILE (or stdin) is one such object and the answer is
    /// one line; a refused token prints the client's error detail and, as
    /// `hint:`, why the token failed (which a server never tells a client).
    Decode {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with = "file")]
        jsonl: bool,
        /// One request object (single-document mode); `-` or absent for stdin.
        file: Option<PathBuf>,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Parse page requests (`cursor`, `count`, `startIndex`).
    ///
    /// Reads `{"query": "count=50&cursor="}` or, for a `POST /.search`
    /// body, `{"body": {...}}` per line, with an optional `"config"`: the
    /// RFC 9865 `pagination` object (`cursor`, `index`,
    /// `defaultPaginationMethod`, `defaultPageSize`, `maxPageSize`,
    /// `cursorTimeout`) plus two scimkit policies, `"overMaxCount":
    /// "clamp" | "reject"` and `"maxCursorLength": n`. Without it: cursor
    /// and index paging, index by default, pages of 100 up to 1000.
    ///
    /// Writes `{"method": "cursor", "cursor": null | "...", "count": n}`,
    /// `{"method": "index", "startIndex": n, "count": n}` or an error line
    /// per line.
    ///
    /// Without --jsonl, FILE (or stdin) is one such object and the answer is
    /// one line.
    Page {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with = "file")]
        jsonl: bool,
        /// One request object (single-document mode); `-` or absent for stdin.
        file: Option<PathBuf>,
    },
}

/// The key ring of `encode` and `decode`.
#[derive(Args)]
pub(crate) struct KeyArgs {
    /// A hex secret of at least 16 bytes (32 hex digits; 64 recommended).
    /// Repeat for rotation, newest first: the first signs, all verify.
    /// Without --key, the comma-separated list in SCIMKIT_CURSOR_KEYS is
    /// used (preferable: command lines are visible to other users).
    #[arg(long = "key", value_name = "HEX")]
    keys: Vec<String>,
}

impl KeyArgs {
    /// The ring from `--key`, else `SCIMKIT_CURSOR_KEYS`; a message (that
    /// never quotes a secret) if there is none or one does not parse.
    fn ring(&self) -> Result<KeyRing, String> {
        if !self.keys.is_empty() {
            let keys = self
                .keys
                .iter()
                .enumerate()
                .map(|(i, hex)| {
                    CursorKey::from_hex(hex).map_err(|_| {
                        format!(
                            "--key number {}: not a hex secret of at least 16 bytes (32 hex digits)",
                            i + 1
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            return KeyRing::new(keys).map_err(|e| e.to_string());
        }
        match std::env::var(KEYS_VAR) {
            Ok(list) if !list.trim().is_empty() => KeyRing::from_hex_list(&list).map_err(|_| {
                format!(
                    "{KEYS_VAR}: not a comma-separated list of hex secrets of at least 16 bytes \
                     (32 hex digits) each"
                )
            }),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{KEYS_VAR} is not UTF-8")),
            _ => Err(format!(
                "no cursor key: pass --key HEX (repeatable, newest first) or set {KEYS_VAR} \
                 to comma-separated hex secrets"
            )),
        }
    }
}

pub(crate) fn run(
    cmd: CursorCommand,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    match cmd {
        CursorCommand::Encode {
            sealed,
            keys,
            jsonl,
            file,
        } => {
            let Some(ring) = ring_or_usage(&keys) else {
                return Ok(ExitCode::from(2));
            };
            let codec = CursorCodec::new(ring).with_sealing(sealed);
            answer(jsonl, file, input, out, |line| encode_line(line, &codec))
        }
        CursorCommand::Decode { keys, jsonl, file } => {
            let Some(ring) = ring_or_usage(&keys) else {
                return Ok(ExitCode::from(2));
            };
            let codec = CursorCodec::new(ring);
            answer(jsonl, file, input, out, |line| decode_line(line, &codec))
        }
        CursorCommand::Page { jsonl, file } => answer(jsonl, file, input, out, page_line),
    }
}

/// `--jsonl` over every line, or one document from `file` (or stdin).
fn answer(
    jsonl: bool,
    file: Option<PathBuf>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    mut handle: impl FnMut(&Map<String, Value>) -> Result<String, ScimError>,
) -> io::Result<ExitCode> {
    if jsonl {
        jsonl::run(input, out, handle)?;
        return Ok(ExitCode::SUCCESS);
    }
    let document = match read_document(file.as_deref(), input) {
        Ok(doc) => doc,
        Err(code) => return Ok(code),
    };
    single(out, || match &document {
        Value::Object(object) => handle(object),
        _ => Err(syntax("the document must be a JSON object")),
    })
}

fn ring_or_usage(keys: &KeyArgs) -> Option<KeyRing> {
    match keys.ring() {
        Ok(ring) => Some(ring),
        Err(message) => {
            eprintln!("scimkit: {message}");
            None
        }
    }
}

/// One `cursor encode` answer.
#[derive(Serialize)]
struct EncodedLine {
    cursor: String,
}

/// One `cursor decode` answer, members in this order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DecodedLine<'a> {
    position: &'a Position,
    issued_at: u64,
    expires_at: u64,
}

fn encode_line(line: &Map<String, Value>, codec: &CursorCodec) -> Result<String, ScimError> {
    let position: Position = match line.get("position") {
        Some(value @ Value::Object(_)) => {
            Position::deserialize(value).map_err(|e| syntax(format!("`position`: {e}")))?
        }
        Some(_) => return Err(syntax("`position` must be a JSON object")),
        None => return Err(syntax("missing `position`")),
    };
    let bound = Bound::from_line(line)?;
    let mut codec = codec.clone().with_config(&bound.config);
    if let Some(ttl) = optional_uint(line, "ttl")? {
        let ttl = u32::try_from(ttl).map_err(|_| syntax("`ttl` must be at most 4294967295"))?;
        codec = codec.with_ttl(ttl);
    }
    let now = now(line)?;
    let cursor = codec.encode_at(&position, &bound.fingerprint, bound.count, now)?;
    jsonl::to_line(&EncodedLine {
        cursor: cursor.into_string(),
    })
}

fn decode_line(line: &Map<String, Value>, codec: &CursorCodec) -> Result<String, ScimError> {
    let token = jsonl::required_str(line, "cursor")?;
    let bound = Bound::from_line(line)?;
    let codec = codec.clone().with_config(&bound.config);
    let now = now(line)?;
    let decoded = codec.decode_at(token, &bound.fingerprint, bound.count, now)?;
    jsonl::to_line(&DecodedLine {
        position: decoded.position(),
        issued_at: decoded.issued_at(),
        expires_at: decoded.expires_at(),
    })
}

fn page_line(line: &Map<String, Value>) -> Result<String, ScimError> {
    let config = config(line)?;
    let request = match (line.get("query"), line.get("body")) {
        (Some(_), None) => PageRequest::from_query(jsonl::required_str(line, "query")?, &config)?,
        (None, Some(body)) => PageRequest::from_search_body(body, &config)?,
        (Some(_), Some(_)) => return Err(syntax("give `query` or `body`, not both")),
        (None, None) => return Err(syntax("missing `query` (or `body`)")),
    };
    jsonl::to_line(&request)
}

/// What a token is bound to: the query's fingerprint and effective count,
/// under the line's configuration.
struct Bound {
    config: PaginationConfig,
    fingerprint: QueryFingerprint,
    count: u32,
}

impl Bound {
    fn from_line(line: &Map<String, Value>) -> Result<Self, ScimError> {
        let query = jsonl::required_str(line, "query")?;
        let config = config(line)?;
        let mut builder = QueryFingerprint::builder();
        if line.contains_key("resourceType") {
            builder = builder.resource_type(jsonl::required_str(line, "resourceType")?);
        }
        let fingerprint = builder.query(query).build();
        // The page size a server would serve for this query: `count`, else
        // defaultPageSize, clamped to maxPageSize (or refused).
        let count = PageRequest::from_query(query, &config)?.count();
        Ok(Self {
            config,
            fingerprint,
            count,
        })
    }
}

/// The line's `config` (an RFC 9865 `pagination` object plus the scimkit
/// policies `overMaxCount` and `maxCursorLength`), or the crate default.
fn config(line: &Map<String, Value>) -> Result<PaginationConfig, ScimError> {
    let Some(value) = line.get("config") else {
        return Ok(PaginationConfig::default());
    };
    let Value::Object(object) = value else {
        return Err(syntax("`config` must be a JSON object"));
    };
    let mut config =
        PaginationConfig::deserialize(value).map_err(|e| syntax(format!("`config`: {e}")))?;
    match object.get("overMaxCount") {
        None => {}
        Some(Value::String(s)) if s == "clamp" => config.over_max_count = OverMaxCount::Clamp,
        Some(Value::String(s)) if s == "reject" => config.over_max_count = OverMaxCount::Reject,
        Some(_) => {
            return Err(syntax(
                "`config.overMaxCount` must be \"clamp\" or \"reject\"",
            ))
        }
    }
    if let Some(n) = optional_uint(object, "maxCursorLength")? {
        config = config.with_max_cursor_length(usize::try_from(n).unwrap_or(usize::MAX));
    }
    Ok(config)
}

/// The line's `now`, else the system clock.
fn now(line: &Map<String, Value>) -> Result<u64, ScimError> {
    Ok(optional_uint(line, "now")?.unwrap_or_else(|| SystemClock.now()))
}

/// The non-negative integer member `key`, if present.
fn optional_uint(object: &Map<String, Value>, key: &str) -> Result<Option<u64>, ScimError> {
    match object.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| syntax(format!("`{key}` must be a non-negative integer"))),
    }
}

fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::new(ScimType::InvalidSyntax, detail)
}
