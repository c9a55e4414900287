//! Single-document mode, next to `--jsonl`: one JSON document from a file
//! or stdin in, one JSON line out, errors on stderr with an exit code.

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use scimkit_schema::ScimError;
use serde_json::Value;

/// Report `e` for the person at the terminal: exit code 1.
pub(crate) fn fail(e: &ScimError) -> io::Result<ExitCode> {
    eprintln!("scimkit: {}", e.detail().unwrap_or("error"));
    if let Some(hint) = e.hint() {
        eprintln!("hint: {hint}");
    }
    Ok(ExitCode::from(1))
}

/// Single-document mode: the answer as one JSON line, or the error on
/// stderr with exit code 1.
pub(crate) fn single(
    out: &mut dyn Write,
    answer: impl FnOnce() -> Result<String, ScimError>,
) -> io::Result<ExitCode> {
    match answer() {
        Ok(line) => {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => fail(&e),
    }
}

/// The whole of `file` (or stdin when absent or `-`) as one JSON document.
/// Problems are reported on stderr: exit code 2 when the file cannot be
/// read, 1 when it is not JSON.
pub(crate) fn read_document(
    file: Option<&Path>,
    stdin: &mut dyn BufRead,
) -> Result<Value, ExitCode> {
    let text = read_text(file, stdin)?;
    serde_json::from_str(&text).map_err(|e| {
        let what = file.map_or("stdin".to_owned(), |p| p.display().to_string());
        eprintln!("scimkit: {what} is not one JSON document: {e}");
        ExitCode::from(1)
    })
}

pub(crate) fn read_text(file: Option<&Path>, stdin: &mut dyn BufRead) -> Result<String, ExitCode> {
    match file {
        Some(path) if path != Path::new("-") => fs::read_to_string(path).map_err(|e| {
            eprintln!("scimkit: cannot read {}: {e}", path.display());
            ExitCode::from(2)
        }),
        _ => {
            let mut text = String::new();
            stdin.read_to_string(&mut text).map_err(|e| {
                eprintln!("scimkit: cannot read stdin: {e}");
                ExitCode::from(2)
            })?;
            Ok(text)
        }
    }
}
