//! `scimkit serve --db postgres://...`: two real processes over one fresh
//! schema of the cluster at `SCIMKIT_PG_URL`. The first seeds the demo
//! tenant, the second finds it there and does not seed again; both serve
//! it, and a cursor from one is continued on the other (same
//! `--cursor-key`).
//!
//! Skipped, loudly, when `SCIMKIT_PG_URL` is unset (CI always sets it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// A running `scimkit serve`, killed when dropped.
struct Serve {
    child: Child,
    addr: String,
    /// What it printed up to the line with its address.
    log: Vec<String>,
    /// Its stderr lines (the receiver is kept, so the process can always
    /// write to stderr).
    _rest: mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--dialect",
            "rfc",
            "--no-auth",
            "--seed",
            "demo",
            "--cursor-key",
            KEY,
            "--db",
            db,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn scimkit serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    // Killed on drop from here on, also when it does not start.
    let mut server = Serve {
        child,
        addr: String::new(),
        log: Vec::new(),
        _rest: rx,
    };
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    loop {
        let line = server
            ._rest
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("scimkit serve did not start: {:#?}", server.log));
        let addr = line
            .split("dialect on http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .map(str::to_owned);
        server.log.push(line);
        if let Some(addr) = addr {
            server.addr = addr;
            return server;
        }
    }
}

/// `GET path` on `addr`: the status and the JSON body.
fn get(addr: &str, path: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/scim+json\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn two_serve_processes_share_one_postgres_database() {
    let Ok(admin) = std::env::var("SCIMKIT_PG_URL") else {
        eprintln!(
            "\n*** SKIPPED serve --db postgres://: SCIMKIT_PG_URL is not set; run `source .ci/postgres.sh` \
             (CI always sets it) ***\n"
        );
        return;
    };
    let schema = format!("cli_serve_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("create schema");
    let sep = if admin.contains('?') { '&' } else { '?' };
    let db = format!("{admin}{sep}options=-c%20search_path%3D{schema}");

    let first = serve(&db);
    assert!(
        first.log.iter().any(|l| l.contains("seeded 200 users")),
        "{:#?}",
        first.log
    );
    let second = serve(&db);
    assert!(
        second
            .log
            .iter()
            .any(|l| l.contains("already holds the demo data")),
        "{:#?}",
        second.log
    );

    let (status, page) = get(
        &first.addr,
        "/scim/v2/Users?count=150&attributes=userName&cursor=",
    );
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["totalResults"], 200, "{page}");
    let next = page["nextCursor"].as_str().expect("nextCursor").to_owned();
    let (status, rest) = get(
        &second.addr,
        &format!("/scim/v2/Users?count=150&attributes=userName&cursor={next}"),
    );
    assert_eq!(status, 200, "{rest}");
    let ids: std::collections::BTreeSet<&str> = page["Resources"]
        .as_array()
        .into_iter()
        .chain(rest["Resources"].as_array())
        .flatten()
        .filter_map(|u| u["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 200);
    let (status, groups) = get(&second.addr, "/scim/v2/Groups?count=1");
    assert_eq!(status, 200, "{groups}");
    assert_eq!(groups["totalResults"], 20, "{groups}");

    drop((first, second));
    let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
}
