//! Writes a demo tenant of any size into a SQLite database file, in one
//! transaction per resource type: the load benchmark's 100,000 users.
//!
//! Run: `cargo run --release -p scimkit-server --example seed_tenant -- load.db 100000 100`

use scimkit_entra::ResourceKind;
use scimkit_server::{seed, SqliteStore, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "load.db".into());
    let users: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let groups: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let store = SqliteStore::open(&path)?;
    let started = std::time::Instant::now();
    let n = store.import(ResourceKind::User, seed::users(users).map(Write::doc))?;
    let g = store.import(
        ResourceKind::Group,
        seed::groups(groups, users).map(Write::doc),
    )?;
    println!(
        "{path}: {n} users and {g} groups in {:.1?}",
        started.elapsed()
    );
    Ok(())
}
