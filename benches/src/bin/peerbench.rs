//! `peerbench [parse|eval|all|patch]`: scimkit's lines for the shared
//! side-by-side benchmark (see `scimkit_benches::peerbench` for the
//! protocol and the inputs). `run_scimkit.sh` in `../shared/bench/peers/`
//! builds and runs it.

use std::io::Write;
use std::process::ExitCode;

use scimkit_benches::peerbench::{run, Settings};

fn main() -> ExitCode {
    let what = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let lines = match run(&what, &Settings::from_env()) {
        Ok(lines) => lines,
        Err(e) => {
            eprintln!("peerbench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
