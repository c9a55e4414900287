//! `icount WORKLOAD` runs one instruction-count workload (see
//! `scimkit_benches::icount`) and prints how many units it measured;
//! `icount --list` prints the workloads, one per line: name, unit and what
//! it measures, tab-separated. `.ci/instruction_counts.sh` runs it under
//! callgrind.

use std::process::ExitCode;

use scimkit_benches::icount::{run, WORKLOADS};

fn main() -> ExitCode {
    let Some(what) = std::env::args().nth(1) else {
        eprintln!("usage: icount WORKLOAD | --list");
        return ExitCode::FAILURE;
    };
    if what == "--list" {
        for w in WORKLOADS {
            println!("{}\t{}\t{}", w.name, w.unit, w.about);
        }
        return ExitCode::SUCCESS;
    }
    match run(&what) {
        Ok((units, _checksum)) => {
            println!("{units}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("icount: {e}");
            ExitCode::FAILURE
        }
    }
}
