//! `scimkit`: the scimkit building blocks from the shell.
//!
//! Subcommands are grouped by crate (`schema`, `filter`, `patch`, `cursor`
//! and `entra`). Every subcommand that
//! processes data has a `--jsonl` batch mode: one JSON object per input line,
//! exactly one JSON object per output line, in order; a failing line yields
//! `{"error": {...}}` and the batch goes on.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cursor_cmd;
mod document;
mod entra_cmd;
mod filter_cmd;
mod jsonl;
mod patch_cmd;
mod schema_cmd;
mod serve_cmd;

/// SCIM 2.0 building blocks from the command line.
#[derive(Parser)]
#[command(name = "scimkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Attribute paths and schemas (scimkit-schema).
    #[command(subcommand)]
    Schema(schema_cmd::SchemaCommand),
    /// SCIM filters: parse, print, evaluate (scimkit-filter).
    #[command(subcommand)]
    Filter(filter_cmd::FilterCommand),
    /// SCIM PATCH requests: apply them to resources (scimkit-patch).
    #[command(subcommand)]
    Patch(patch_cmd::PatchCommand),
    /// RFC 9865 cursor tokens and page requests (scimkit-cursor).
    #[command(subcommand)]
    Cursor(cursor_cmd::CursorCommand),
    /// Microsoft Entra ID and Microsoft Graph: conversions, filters to OData,
    /// PATCH to Graph calls, permissions (scimkit-entra).
    #[command(subcommand)]
    Entra(entra_cmd::EntraCommand),
    /// Run a SCIM 2.0 service provider (scimkit-server): Entra-faithful or
    /// RFC-plain, SQLite storage.
    Serve(serve_cmd::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match cli.command {
        Command::Schema(cmd) => schema_cmd::run(cmd, &mut io::stdin().lock(), &mut out),
        Command::Filter(cmd) => filter_cmd::run(cmd, &mut io::stdin().lock(), &mut out),
        Command::Patch(cmd) => patch_cmd::run(cmd, &mut io::stdin().lock(), &mut out),
        Command::Cursor(cmd) => cursor_cmd::run(cmd, &mut io::stdin().lock(), &mut out),
        Command::Entra(cmd) => entra_cmd::run(cmd, &mut io::stdin().lock(), &mut out),
        Command::Serve(args) => serve_cmd::run(args),
    };
    match result.and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scimkit: {e}");
            ExitCode::FAILURE
        }
    }
}
