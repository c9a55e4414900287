//! Helpers shared by the CLI integration tests: run the real binary, read
//! its output.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Run `scimkit` with `args`, feeding `stdin`.
pub(crate) fn scimkit(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn scimkit");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    // A run that fails before reading its input may close stdin first.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    child.wait_with_output().expect("wait")
}

/// The run's stdout as text.
pub(crate) fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).expect("utf-8 stdout")
}

/// The run's stderr as text.
pub(crate) fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).expect("utf-8 stderr")
}

/// Output lines, exactly.
pub(crate) fn assert_lines(got: &str, want: &[&str]) {
    let got: Vec<&str> = got.lines().collect();
    assert_eq!(got, want);
}
