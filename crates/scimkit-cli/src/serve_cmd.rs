//! `scimkit serve`: a SCIM service provider on scimkit-server.

use std::io;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use scimkit_cursor::{CursorCodec, KeyRing};
use scimkit_patch::PatchOptions;
use scimkit_server::{Auth, Dialect, Entra, PostgresStore, Rfc, Service, SqliteStore, Store};

/// Which API to reproduce.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum DialectArg {
    /// Microsoft Entra ID's SCIM API (`/rp/scim`): lowercase `resources`,
    /// cursor paging only, no PUT, PATCH answered 204, its filter subset.
    Entra,
    /// RFC 7643/7644/9865 as written.
    Rfc,
}

/// How PATCH bodies are read.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum CompatArg {
    /// RFC 7644 to the letter.
    Strict,
    /// Accept Microsoft Entra's provisioning-client quirks.
    Entra,
}

/// Demo data to load.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum SeedArg {
    /// 200 users and 20 groups with memberships (deterministic).
    Demo,
}

/// `scimkit serve` options.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// API dialect.
    #[arg(long, value_enum, default_value_t = DialectArg::Entra)]
    dialect: DialectArg,
    /// PATCH compatibility profile (independent of the dialect).
    #[arg(long, value_enum, default_value_t = CompatArg::Strict)]
    compat: CompatArg,
    /// SQLite database file (`:memory:` for a throwaway one), or a
    /// PostgreSQL URL (`postgres://` or `postgresql://`), which several
    /// instances may share (give them the same --cursor-key).
    #[arg(long, default_value = "scimkit.db")]
    db: String,
    /// A bearer token clients must send (repeatable; also
    /// `SCIMKIT_TOKENS`, comma-separated).
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// No authentication at all (local play only).
    #[arg(long)]
    no_auth: bool,
    /// Cursor signing keys, comma-separated hex, newest first (also
    /// `SCIMKIT_CURSOR_KEYS`). Without one a random key is used and
    /// cursors do not survive a restart.
    #[arg(long)]
    cursor_key: Option<String>,
    /// Load demo data into an empty database.
    #[arg(long, value_enum)]
    seed: Option<SeedArg>,
}

pub(crate) fn run(args: ServeArgs) -> io::Result<ExitCode> {
    let fail = |message: String| {
        eprintln!("scimkit serve: {message}");
        Ok(ExitCode::FAILURE)
    };
    let mut tokens = args.tokens.clone();
    if let Ok(env) = std::env::var("SCIMKIT_TOKENS") {
        tokens.extend(
            env.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
    }
    let auth = match (tokens.is_empty(), args.no_auth) {
        (true, false) => {
            return fail(
                "give --token TOKEN (or SCIMKIT_TOKENS), or --no-auth for local play".into(),
            )
        }
        (_, true) => {
            eprintln!("scimkit serve: WARNING: --no-auth: anyone who can reach {} may read and change every resource", args.listen);
            Auth::None
        }
        (false, false) => Auth::Bearer(tokens),
    };
    let keys = args
        .cursor_key
        .clone()
        .or_else(|| std::env::var("SCIMKIT_CURSOR_KEYS").ok());
    let codec = match keys {
        Some(list) => match KeyRing::from_hex_list(&list) {
            Ok(ring) => CursorCodec::new(ring),
            Err(e) => return fail(format!("--cursor-key: {e}")),
        },
        None => {
            eprintln!("scimkit serve: NOTICE: no --cursor-key / SCIMKIT_CURSOR_KEYS: cursors are signed with a random key and die with this process (other instances cannot read them)");
            match scimkit_server::random_cursor_codec() {
                Ok(c) => c,
                Err(e) => return fail(e.to_string()),
            }
        }
    };
    let shown_db = redact_password(&args.db);
    let opened: Result<Arc<dyn Store>, _> = if is_postgres_url(&args.db) {
        PostgresStore::open(&args.db).map(|s| Arc::new(s) as Arc<dyn Store>)
    } else {
        SqliteStore::open(&args.db).map(|s| Arc::new(s) as Arc<dyn Store>)
    };
    let store = match opened {
        Ok(s) => s,
        Err(e) => return fail(format!("--db {shown_db}: {e}")),
    };
    if let Some(SeedArg::Demo) = args.seed {
        match scimkit_server::seed::demo(store.as_ref()) {
            Ok(()) => eprintln!(
                "scimkit serve: seeded {} users and {} groups",
                scimkit_server::seed::DEMO_USERS,
                scimkit_server::seed::DEMO_GROUPS
            ),
            Err(e) if e.status() == 409 => {
                eprintln!("scimkit serve: the database already holds the demo data; not seeding")
            }
            Err(e) => return fail(format!("--seed demo: {e}")),
        }
    }
    let dialect: Arc<dyn Dialect> = match args.dialect {
        DialectArg::Entra => Arc::new(Entra::new()),
        DialectArg::Rfc => Arc::new(Rfc::new()),
    };
    let patch = match args.compat {
        CompatArg::Strict => PatchOptions::strict(),
        CompatArg::Entra => PatchOptions::entra(),
    };
    let service = Service::new(store, dialect, codec)
        .with_patch_options(patch)
        .with_auth(auth);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.listen).await?;
        let addr = listener.local_addr()?;
        eprintln!(
            "scimkit serve: {} dialect on http://{addr}/scim/v2 and http://{addr}/rp/scim (database {})",
            service.dialect().name(),
            shown_db
        );
        scimkit_server::serve(listener, service, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
fn is_postgres_url(db: &str) -> bool {
    ["postgres://", "postgresql://"].iter().any(|scheme| {
        db.get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    })
}

/// `db` with the password of a URL's `user:password@` replaced by `***`,
/// for messages.
fn redact_password(db: &str) -> String {
    let Some(start) = db.find("://").map(|i| i + 3) else {
        return db.to_owned();
    };
    let rest = &db[start..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return db.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}:***{}", &db[..start], &rest[..colon], &rest[at..]),
        None => db.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_are_recognised() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("PostgreSQL://u@h/db"));
        assert!(!is_postgres_url("scimkit.db"));
        assert!(!is_postgres_url(":memory:"));
        assert!(!is_postgres_url("postgres.db"));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_password("postgres://alice:s3cret@db:5432/scim?sslmode=disable"),
            "postgres://alice:***@db:5432/scim?sslmode=disable"
        );
        assert_eq!(
            redact_password("postgresql://alice@db/scim"),
            "postgresql://alice@db/scim"
        );
        assert_eq!(
            redact_password("postgres://db/x?user=a@b"),
            "postgres://db/x?user=a@b"
        );
        assert_eq!(redact_password("scimkit.db"), "scimkit.db");
    }
}
