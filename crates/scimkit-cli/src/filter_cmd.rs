//! `scimkit filter ...`: parse, print and evaluate SCIM filters.

use std::convert::Infallible;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use scimkit_filter::visit::{fold, Fold};
use scimkit_filter::{CompValue, CompareOp, CompiledFilter, Filter, ParseOptions, Span};
use scimkit_schema::{AttrPath, ResourceSchema, ScimError, ScimType};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::jsonl;

#[derive(Subcommand)]
pub(crate) enum FilterCommand {
    /// Parse a filter and print its canonical form.
    ///
    /// The canonical form has lowercase operators, one space between
    /// tokens, `not (...)` and the fewest parentheses that keep the tree.
    /// With --ast, print the syntax tree as one line of JSON instead: every
    /// node has `op` (`and`, `or`, `not`, `valuePath`, `pr`, `eq`, `ne`, ...)
    /// and `span` (the byte range `[start, end]` of the input it covers),
    /// plus `path`, `value`, `filter` or `children` as the node needs.
    ///
    /// A filter that does not parse: the error, the input and a caret under
    /// the problem on stderr, exit code 1.
    ///
    /// With --jsonl, read `{"filter": "..."}` per line and write
    /// `{"canonical": "..."}` or an error line per line.
    Parse {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long)]
        jsonl: bool,
        /// Print the syntax tree as JSON instead of the canonical form.
        #[arg(long, conflicts_with = "jsonl")]
        ast: bool,
        /// Which filter grammar to accept.
        #[arg(long, value_enum, ignore_case = true, default_value = "strict")]
        compat: FilterCompat,
        /// The filter (without --jsonl).
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        filter: Option<String>,
    },
    /// Match resources against a filter.
    ///
    /// With --filter, compile the filter once and print every matching
    /// resource of FILE (or stdin) as one compact JSON line, in input order,
    /// members in their input order. The input is a JSON array of resources
    /// if its first non-blank character is `[`, else JSON lines (one
    /// resource per line, read line by line; blank lines are skipped).
    ///
    /// Problems go to stderr. Lines that are not JSON, and lines or array
    /// elements that are not JSON objects, are reported with their line
    /// numbers and skipped; the run goes on and still exits 0. Exit
    /// code 1: the filter is invalid (does not parse, or is rejected by the
    /// schema), or the JSON array is malformed (matches found before the
    /// problem are printed). Exit code 2: FILE cannot be opened.
    ///
    /// With --jsonl, read `{"filter": "...", "resource": {...}}` per line
    /// and write `{"match": true}`, `{"match": false}` or an error line per
    /// line.
    Eval {
        /// Batch mode: JSON lines on stdin, JSON lines on stdout.
        #[arg(long, conflicts_with_all = ["filter", "file"])]
        jsonl: bool,
        /// The filter to match FILE's resources against.
        #[arg(long, short, required_unless_present = "jsonl")]
        filter: Option<String>,
        /// Resource type the filter is compiled against (attribute types,
        /// caseExact, extensions); `none` compiles without a schema: names
        /// and strings compare case-insensitively, dateTimes as strings.
        #[arg(long, value_enum, ignore_case = true, default_value = "User")]
        schema: SchemaArg,
        /// Which filter grammar to accept.
        #[arg(long, value_enum, ignore_case = true, default_value = "strict")]
        compat: FilterCompat,
        /// Resources: a JSON array or JSON lines; `-` or absent for stdin.
        file: Option<PathBuf>,
    },
}

/// When a filter fails under `options` but Entra's grammar takes it: say so.
fn entra_hint(text: &str, options: ParseOptions) -> Option<&'static str> {
    (options != ParseOptions::entra() && Filter::parse_with(text, ParseOptions::entra()).is_ok())
        .then_some("this is Microsoft Entra's lookup form; `--compat entra` accepts it")
}

fn with_entra_hint(e: ScimError, text: &str, options: ParseOptions) -> ScimError {
    match entra_hint(text, options) {
        Some(hint) => e.with_hint(hint),
        None => e,
    }
}

/// Which filter grammar to accept.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FilterCompat {
    /// RFC 7644 §3.4.2.2 to the letter.
    Strict,
    /// Also Microsoft Entra's lookup form `emails[type eq "work"].value eq
    /// "x"` (a value path with a sub-attribute, compared).
    Entra,
}

impl FilterCompat {
    fn options(self) -> ParseOptions {
        match self {
            Self::Strict => ParseOptions::default(),
            Self::Entra => ParseOptions::entra(),
        }
    }
}

/// The schema a filter is compiled against.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SchemaArg {
    /// The RFC 7643 User resource type (with the enterprise extension).
    #[value(name = "User")]
    User,
    /// The RFC 7643 Group resource type.
    #[value(name = "Group")]
    Group,
    /// No schema.
    #[value(name = "none")]
    Schemaless,
}

impl SchemaArg {
    fn resource_schema(self) -> Option<&'static ResourceSchema> {
        match self {
            Self::User => Some(ResourceSchema::user()),
            Self::Group => Some(ResourceSchema::group()),
            Self::Schemaless => None,
        }
    }
}

pub(crate) fn run(
    cmd: FilterCommand,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    match cmd {
        FilterCommand::Parse {
            jsonl: true,
            compat,
            ..
        } => {
            jsonl::run(input, out, |req| {
                let text = jsonl::required_str(req, "filter")?;
                let filter = Filter::parse_with(text, compat.options())
                    .map_err(|e| with_entra_hint(e.into(), text, compat.options()))?;
                jsonl::to_line(&Canonical {
                    canonical: filter.to_string(),
                })
            })?;
            Ok(ExitCode::SUCCESS)
        }
        FilterCommand::Parse {
            ast,
            filter,
            compat,
            ..
        } => {
            let text = filter.unwrap_or_default();
            let filter = match Filter::parse_with(&text, compat.options()) {
                Ok(filter) => filter,
                Err(e) => {
                    eprintln!("scimkit: {}", e.render(&text));
                    if let Some(hint) = entra_hint(&text, compat.options()) {
                        eprintln!("hint: {hint}");
                    }
                    return Ok(ExitCode::from(1));
                }
            };
            if ast {
                let tree = match fold(&filter, &mut AstBuilder) {
                    Ok(tree) => tree,
                    Err(never) => match never {},
                };
                serde_json::to_writer(&mut *out, &tree)?;
                out.write_all(b"\n")?;
            } else {
                writeln!(out, "{filter}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        FilterCommand::Eval {
            jsonl: true,
            schema,
            compat,
            ..
        } => {
            let schema = schema.resource_schema();
            let mut last: Option<Compiled> = None;
            let options = compat.options();
            jsonl::run(input, out, |req| {
                eval_request(req, schema, options, &mut last)
            })?;
            Ok(ExitCode::SUCCESS)
        }
        FilterCommand::Eval {
            filter,
            schema,
            compat,
            file,
            ..
        } => eval_stream(
            &filter.unwrap_or_default(),
            schema,
            compat.options(),
            file.as_deref(),
            input,
            out,
        ),
    }
}

/// One `filter parse --jsonl` answer.
#[derive(Serialize)]
struct Canonical {
    canonical: String,
}

/// One `filter eval --jsonl` answer.
#[derive(Serialize)]
struct MatchLine {
    #[serde(rename = "match")]
    matched: bool,
}

/// One node of `filter parse --ast`, members in this order.
#[derive(Serialize)]
struct AstNode {
    op: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// The literal of a comparison (`Some(Value::Null)` for `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    span: [usize; 2],
    /// The operand of `not` and `valuePath`.
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<Box<Self>>,
    /// The operands of `and` and `or`.
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Vec<Self>>,
}

impl AstNode {
    fn new(op: &'static str, span: Span) -> Self {
        Self {
            op,
            path: None,
            value: None,
            span: [span.start, span.end],
            filter: None,
            children: None,
        }
    }
}

/// Builds the `--ast` JSON tree.
struct AstBuilder;

impl Fold for AstBuilder {
    type Output = AstNode;
    type Error = Infallible;

    fn compare(
        &mut self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        span: Span,
    ) -> Result<AstNode, Infallible> {
        Ok(AstNode {
            path: Some(path.to_string()),
            value: Some(value.to_json()),
            ..AstNode::new(op.as_str(), span)
        })
    }

    fn present(&mut self, path: &AttrPath, span: Span) -> Result<AstNode, Infallible> {
        Ok(AstNode {
            path: Some(path.to_string()),
            ..AstNode::new("pr", span)
        })
    }

    fn and(&mut self, children: Vec<AstNode>, span: Span) -> Result<AstNode, Infallible> {
        Ok(AstNode {
            children: Some(children),
            ..AstNode::new("and", span)
        })
    }

    fn or(&mut self, children: Vec<AstNode>, span: Span) -> Result<AstNode, Infallible> {
        Ok(AstNode {
            children: Some(children),
            ..AstNode::new("or", span)
        })
    }

    fn not(&mut self, inner: AstNode, span: Span) -> Result<AstNode, Infallible> {
        Ok(AstNode {
            filter: Some(Box::new(inner)),
            ..AstNode::new("not", span)
        })
    }

    fn value_path(
        &mut self,
        path: &AttrPath,
        inner: AstNode,
        span: Span,
    ) -> Result<AstNode, Infallible> {
        Ok(AstNode {
            path: Some(path.to_string()),
            filter: Some(Box::new(inner)),
            ..AstNode::new("valuePath", span)
        })
    }
}

fn compile(filter: &Filter, schema: Option<&ResourceSchema>) -> Result<CompiledFilter, ScimError> {
    match schema {
        Some(rs) => filter.compile(rs),
        None => Ok(filter.compile_schemaless()),
    }
}

/// The last filter compiled in a `filter eval --jsonl` batch: consecutive
/// lines with the same filter compile it once.
struct Compiled {
    text: String,
    result: Result<CompiledFilter, ScimError>,
}

fn eval_request(
    req: &Map<String, Value>,
    schema: Option<&ResourceSchema>,
    options: ParseOptions,
    last: &mut Option<Compiled>,
) -> Result<String, ScimError> {
    let text = jsonl::required_str(req, "filter")?;
    let resource = match req.get("resource") {
        Some(resource @ Value::Object(_)) => resource,
        Some(_) => {
            return Err(ScimError::new(
                ScimType::InvalidSyntax,
                "`resource` must be a JSON object",
            ))
        }
        None => {
            return Err(ScimError::new(
                ScimType::InvalidSyntax,
                "missing `resource`",
            ))
        }
    };
    if last.as_ref().is_some_and(|c| c.text != text) {
        *last = None;
    }
    let compiled = last.get_or_insert_with(|| Compiled {
        text: text.to_owned(),
        result: Filter::parse_with(text, options)
            .map_err(|e| with_entra_hint(e.into(), text, options))
            .and_then(|f| compile(&f, schema)),
    });
    let filter = compiled.result.as_ref().map_err(Clone::clone)?;
    jsonl::to_line(&MatchLine {
        matched: filter.matches(resource),
    })
}

/// `filter eval --filter`: print the matching resources of a file or stdin.
fn eval_stream(
    text: &str,
    schema: SchemaArg,
    options: ParseOptions,
    file: Option<&Path>,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    let filter = match Filter::parse_with(text, options) {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("scimkit: {}", e.render(text));
            if let Some(hint) = entra_hint(text, options) {
                eprintln!("hint: {hint}");
            }
            return Ok(ExitCode::from(1));
        }
    };
    let compiled = match compile(&filter, schema.resource_schema()) {
        Ok(compiled) => compiled,
        Err(e) => {
            let name = schema.to_possible_value().map(|v| v.get_name().to_owned());
            eprintln!(
                "scimkit: invalid filter for resource type {}: {}",
                name.unwrap_or_default(),
                e.detail().unwrap_or_default()
            );
            return Ok(ExitCode::from(1));
        }
    };
    // An attribute the schema does not define matches nothing (RFC 7644
    // §3.4.2.1): legal, but usually a typo, so say it (not in --jsonl).
    if let Some(rs) = schema.resource_schema() {
        let strict = scimkit_filter::CompileOptions::default().strict_attributes(true);
        if let Err(e) = filter.compile_with(rs, strict) {
            eprintln!(
                "scimkit: warning: {} (it matches nothing)",
                e.detail().unwrap_or_default()
            );
        }
    }
    let mut opened;
    let input: &mut dyn BufRead = match file {
        Some(path) if path != Path::new("-") => match File::open(path) {
            Ok(f) => {
                opened = BufReader::new(f);
                &mut opened
            }
            Err(e) => {
                eprintln!("scimkit: cannot open {}: {e}", path.display());
                return Ok(ExitCode::from(2));
            }
        },
        _ => stdin,
    };
    let mut reader = ByteReader { input, line: 1 };
    match reader.skip_whitespace()? {
        Some(b'[') => filter_array(&mut reader, out, &compiled),
        Some(_) => {
            filter_lines(reader.input, reader.line, out, &compiled)?;
            Ok(ExitCode::SUCCESS)
        }
        None => Ok(ExitCode::SUCCESS),
    }
}

/// JSON's whitespace (RFC 8259 §2).
fn is_json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Byte-at-a-time reading over a buffered input, counting lines.
struct ByteReader<'a> {
    input: &'a mut dyn BufRead,
    /// The line of the next byte (1-based).
    line: usize,
}

impl ByteReader<'_> {
    fn next(&mut self) -> io::Result<Option<u8>> {
        let Some(&b) = self.input.fill_buf()?.first() else {
            return Ok(None);
        };
        self.input.consume(1);
        if b == b'\n' {
            self.line += 1;
        }
        Ok(Some(b))
    }

    /// Consume leading whitespace; the first other byte, left unconsumed.
    fn skip_whitespace(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let blank = buf.iter().position(|&b| !is_json_space(b));
            let n = blank.unwrap_or(buf.len());
            self.line += buf[..n].iter().filter(|&&b| b == b'\n').count();
            let first = blank.map(|i| buf[i]);
            self.input.consume(n);
            if first.is_some() {
                return Ok(first);
            }
        }
    }
}

/// A serde_json error's message without its position (the caller reports
/// the position in the whole input).
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

/// Write the valid JSON text `json` on one line, without the whitespace
/// between its tokens (members and escapes stay as they were).
fn write_compact(out: &mut dyn Write, json: &[u8]) -> io::Result<()> {
    let mut compact = Vec::with_capacity(json.len() + 1);
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if is_json_space(b) {
            continue;
        }
        compact.push(b);
    }
    compact.push(b'\n');
    out.write_all(&compact)?;
    out.flush()
}

/// JSON lines: one resource per line, streamed; bad lines reported and skipped.
fn filter_lines(
    input: &mut dyn BufRead,
    first_line: usize,
    out: &mut dyn Write,
    filter: &CompiledFilter,
) -> io::Result<()> {
    let mut line = Vec::new();
    for number in first_line.. {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(|&b| is_json_space(b)) {
            continue;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(resource @ Value::Object(_)) => {
                if filter.matches(&resource) {
                    write_compact(out, text)?;
                }
            }
            Ok(_) => eprintln!("scimkit: line {number}: not a JSON object, skipped"),
            Err(e) => eprintln!(
                "scimkit: line {number}, column {}: not JSON ({}), skipped",
                e.column(),
                json_message(&e)
            ),
        }
    }
    Ok(())
}

/// A JSON array of resources, streamed one element at a time. The reader
/// is at the `[`.
fn filter_array(
    reader: &mut ByteReader<'_>,
    out: &mut dyn Write,
    filter: &CompiledFilter,
) -> io::Result<ExitCode> {
    let malformed = |line: usize, what: &str| {
        eprintln!("scimkit: line {line}: {what}");
        Ok(ExitCode::from(1))
    };
    reader.next()?;
    let mut element = Vec::new();
    for index in 1.. {
        // Collect one element's text, up to the `,` or `]` that ends it.
        element.clear();
        let mut start_line = reader.line;
        let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
        let end = loop {
            let Some(b) = reader.next()? else {
                return malformed(reader.line, "input ended inside the JSON array");
            };
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' if depth > 0 => depth -= 1,
                    b',' | b']' if depth == 0 => break b,
                    _ if element.is_empty() && is_json_space(b) => continue,
                    _ => {}
                }
            }
            if element.is_empty() {
                start_line = reader.line;
            }
            element.push(b);
        };
        if element.is_empty() {
            if end == b']' && index == 1 {
                break;
            }
            return malformed(
                reader.line,
                &format!("array element {index}: expected a value"),
            );
        }
        match serde_json::from_slice::<Value>(&element) {
            Ok(resource @ Value::Object(_)) => {
                if filter.matches(&resource) {
                    write_compact(out, &element)?;
                }
            }
            Ok(_) => eprintln!(
                "scimkit: line {start_line}: array element {index} is not a JSON object, skipped"
            ),
            Err(e) => {
                return malformed(
                    start_line + e.line().saturating_sub(1),
                    &format!("array element {index} is not JSON ({})", json_message(&e)),
                )
            }
        }
        if end == b']' {
            break;
        }
    }
    if reader.skip_whitespace()?.is_some() {
        return malformed(reader.line, "unexpected input after the JSON array");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(json: &str) -> String {
        let mut out = Vec::new();
        write_compact(&mut out, json.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn compact_keeps_strings_and_member_order() {
        assert_eq!(
            compact("{ \"z\" : \"a b\\\\\" ,\n\t\"a\": [1, {\"q\": \"\\\" ]\"}] }"),
            "{\"z\":\"a b\\\\\",\"a\":[1,{\"q\":\"\\\" ]\"}]}\n"
        );
    }

    /// Run `filter eval --filter` over `input` read through a 1-byte buffer.
    fn stream(filter: &str, input: &str) -> (String, ExitCode) {
        let mut reader = BufReader::with_capacity(1, input.as_bytes());
        let mut out = Vec::new();
        let options = ParseOptions::default();
        let code = eval_stream(
            filter,
            SchemaArg::Schemaless,
            options,
            None,
            &mut reader,
            &mut out,
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), code)
    }

    #[test]
    fn array_elements_split_outside_strings_only() {
        let input = " \n[ {\"x\": \"a], {\\\"b\"}, {\"x\": [\"[\", \"\\\\\"]} ,{\"y\":1}\n]\n ";
        let (out, code) = stream("x pr", input);
        assert_eq!(code, ExitCode::SUCCESS);
        assert_eq!(out, "{\"x\":\"a], {\\\"b\"}\n{\"x\":[\"[\",\"\\\\\"]}\n");
    }

    #[test]
    fn lines_stream_through_a_small_buffer() {
        let (out, code) = stream("x eq 1", "\r\n {\"x\": 1}\r\n{\"x\": 2}\n{\"x\":1}");
        assert_eq!(code, ExitCode::SUCCESS);
        assert_eq!(out, "{\"x\":1}\n{\"x\":1}\n");
    }
}
