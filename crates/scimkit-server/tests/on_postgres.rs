//! The HTTP suites (`rfc`, `entra`, `paging`) and the hostile-request
//! property test again, on PostgreSQL: each
//! server of theirs gets a fresh schema of the database at
//! `SCIMKIT_PG_URL` (see `support`), so both stores pass the same tests.
//! Without `SCIMKIT_PG_URL` they run on SQLite after a loud notice.

// Each suite declares `mod support;`: including the suites unchanged loads
// it once per suite, on purpose.
#![allow(clippy::duplicate_mod)]

#[path = "entra.rs"]
mod entra;
#[path = "hostile.rs"]
mod hostile;
#[path = "paging.rs"]
mod paging;
#[path = "rfc.rs"]
mod rfc;
