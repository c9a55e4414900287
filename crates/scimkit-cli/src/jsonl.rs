//! The JSONL batch driver shared by every `--jsonl` subcommand.
//!
//! Each input line (blank ones included, so output lines stay aligned with
//! input lines) produces exactly one output line: the handler's JSON object,
//! or `{"error": {"status": 400, "scimType": "...", "detail": "..."}}`. A
//! line that is not a JSON object (or not UTF-8) gets `invalidSyntax`.

use std::io::{self, BufRead, Write};

use scimkit_schema::{ScimError, ScimType};
use serde::Serialize;
use serde_json::{Map, Value};

/// Run `handle` over every line of `input`, writing one line each to `output`.
pub(crate) fn run(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    mut handle: impl FnMut(&Map<String, Value>) -> Result<String, ScimError>,
) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let result = match serde_json::from_slice::<Value>(text) {
            Ok(Value::Object(object)) => handle(&object),
            Ok(_) => Err(ScimError::new(
                ScimType::InvalidSyntax,
                "each line must be a JSON object",
            )),
            Err(e) => Err(ScimError::new(
                ScimType::InvalidSyntax,
                format!("line is not JSON: {e}"),
            )),
        };
        let text = result.unwrap_or_else(|e| error_line(&e));
        output.write_all(text.as_bytes())?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
}

/// The body of an error line, fields in the documented order.
#[derive(Serialize)]
struct ErrorBody<'a> {
    status: u16,
    #[serde(rename = "scimType", skip_serializing_if = "Option::is_none")]
    scim_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    /// For the person at the terminal, never sent to a SCIM client.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    error: ErrorBody<'a>,
}

/// `{"error": {"status": 400, "scimType": "...", "detail": "...", "hint": "..."}}`
/// (`hint` only when the error has one: a note for the developer).
/// The status is a number here (the RFC Error JSON uses a string).
pub(crate) fn error_line(e: &ScimError) -> String {
    let line = ErrorLine {
        error: ErrorBody {
            status: e.status(),
            scim_type: e.scim_type().map(ScimType::as_str),
            detail: e.detail(),
            hint: e.hint(),
        },
    };
    to_line(&line).unwrap_or_else(|_| String::from("{\"error\":{\"status\":500}}"))
}

/// Serialize one output line (field order as the type declares it).
pub(crate) fn to_line<T: Serialize>(value: &T) -> Result<String, ScimError> {
    serde_json::to_string(value).map_err(|e| ScimError::with_status(500, e.to_string()))
}

/// The string member `key` of a JSONL request, or `invalidSyntax`.
pub(crate) fn required_str<'a>(
    object: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a str, ScimError> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ScimError::new(
            ScimType::InvalidSyntax,
            format!("`{key}` must be a string"),
        )),
        None => Err(ScimError::new(
            ScimType::InvalidSyntax,
            format!("missing `{key}`"),
        )),
    }
}

/// The JSON object member `key` of a JSONL request, or `invalidSyntax`.
pub(crate) fn required_object<'a>(
    object: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a Value, ScimError> {
    match object.get(key) {
        Some(value @ Value::Object(_)) => Ok(value),
        Some(_) => Err(ScimError::new(
            ScimType::InvalidSyntax,
            format!("`{key}` must be a JSON object"),
        )),
        None => Err(ScimError::new(
            ScimType::InvalidSyntax,
            format!("missing `{key}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn batch(input: &[u8]) -> Vec<Value> {
        let mut out = Vec::new();
        run(&mut &input[..], &mut out, |o| {
            to_line(&json!({ "n": o.len() }))
        })
        .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn one_line_out_per_line_in() {
        let got = batch(b"{\"a\":1}\r\nnot json\n\n[1]\n\xff\xfe\n{}");
        assert_eq!(got.len(), 6);
        assert_eq!(got[0], json!({"n": 1}));
        for bad in &got[1..5] {
            assert_eq!(bad["error"]["status"], 400);
            assert_eq!(bad["error"]["scimType"], "invalidSyntax");
        }
        assert_eq!(got[5], json!({"n": 0}));
    }

    #[test]
    fn error_lines_keep_field_order() {
        let e = ScimError::new(ScimType::InvalidPath, "bad");
        assert_eq!(
            error_line(&e),
            r#"{"error":{"status":400,"scimType":"invalidPath","detail":"bad"}}"#
        );
    }
}
