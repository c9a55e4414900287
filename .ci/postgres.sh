#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for scimkit-sql's tests.
#
#   source .ci/postgres.sh   # starts it, exports SCIMKIT_PG_URL, stops it on EXIT
#   bash .ci/postgres.sh     # starts it, prints `export SCIMKIT_PG_URL=...` and
#                            # the command that stops it (the cluster keeps running)
#
# CI runs as root on a fresh machine and initdb/postgres refuse to run as
# root, so the cluster belongs to an unprivileged user (`postgres` if the
# package created it, else a system user `scimkit-pg`, else `nobody`;
# SCIMKIT_PG_USER overrides); the
# data directory is a new temporary directory owned by that user; the
# server listens on 127.0.0.1 only, on a free port, with trust
# authentication for 127.0.0.1 and its private socket directory only.
# Idempotent: when SCIMKIT_PG_URL already answers, nothing is started.
# Missing binaries are an error, never a skip: CI always has them.

scimkit_pg_main() {
  local fail=0
  scimkit_pg_die() { echo "postgres.sh: $*" >&2; fail=1; }

  local bindir=""
  for d in /usr/local/bin /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      bindir="$d"
      break
    fi
  done
  if [ -z "$bindir" ]; then
    scimkit_pg_die "no PostgreSQL binaries (initdb, pg_ctl, postgres) in /usr/local/bin or /usr/lib/postgresql/*/bin; install PostgreSQL 15 (Debian: apt-get install postgresql-15)"
    return 1
  fi

  # psql and pg_isready live beside the real binaries (/usr/local/bin may
  # hold only links to initdb, pg_ctl and postgres).
  local realdir psql
  realdir="$(dirname "$(readlink -f "$bindir/postgres")")"
  psql="$realdir/psql"
  [ -x "$psql" ] || psql="$(command -v psql || true)"
  if [ -z "$psql" ]; then
    scimkit_pg_die "no psql beside $realdir/postgres or on PATH"
    return 1
  fi

  if [ -n "${SCIMKIT_PG_URL:-}" ] && [ -n "${SCIMKIT_PG_DATA:-}" ] && "$psql" -qAt -d "$SCIMKIT_PG_URL" -c 'SELECT 1' >/dev/null 2>&1; then
    echo "postgres.sh: reusing the cluster at $SCIMKIT_PG_URL" >&2
    return 0
  fi

  # Who runs the server, and how root becomes them.
  local owner run
  if [ "$(id -u)" = 0 ]; then
    if [ -n "${SCIMKIT_PG_USER:-}" ]; then
      owner="$SCIMKIT_PG_USER"
    elif id -u postgres >/dev/null 2>&1; then
      owner=postgres
    elif id -u scimkit-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin scimkit-pg 2>/dev/null; then
      owner=scimkit-pg
    else
      owner=nobody
    fi
    if command -v runuser >/dev/null 2>&1; then
      run=(runuser -u "$owner" --)
    elif command -v setpriv >/dev/null 2>&1; then
      run=(setpriv --reuid="$owner" --regid="$(id -g "$owner")" --init-groups --)
    else
      scimkit_pg_die "running as root and neither runuser nor setpriv is available"
      return 1
    fi
  else
    owner="$(id -un)"
    run=()
  fi

  local dir
  dir="$(mktemp -d /tmp/scimkit-pg.XXXXXX)" || { scimkit_pg_die "mktemp failed"; return 1; }
  chmod 700 "$dir"
  [ -n "$owner" ] && [ "$(id -u)" = 0 ] && chown "$owner:" "$dir"

  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" \
    || { scimkit_pg_die "no free port"; return 1; }

  if ! "${run[@]}" "$bindir/initdb" -D "$dir/data" -U scimkit -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1; then
    # Some builds lack C.UTF-8: retry with the C locale.
    rm -rf "$dir/data"
    "${run[@]}" "$bindir/initdb" -D "$dir/data" -U scimkit -E UTF8 --locale=C \
      --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; scimkit_pg_die "initdb failed"; return 1; }
  fi
  # Trust on the private socket and 127.0.0.1 only.
  "${run[@]}" sh -c "printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' > '$dir/data/pg_hba.conf'"
  if ! "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >"$dir/pg_ctl.log" 2>&1; then
    cat "$dir/pg_ctl.log" "$dir/server.log" >&2
    "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$dir"
    scimkit_pg_die "the server did not start"
    return 1
  fi
  if ! "${run[@]}" "$psql" -q -h "$dir" -p "$port" -U scimkit -d postgres \
      -c "CREATE DATABASE scimkit" >"$dir/psql.log" 2>&1; then
    cat "$dir/psql.log" >&2
    "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$dir"
    scimkit_pg_die "CREATE DATABASE failed"
    return 1
  fi

  export SCIMKIT_PG_URL="postgresql://scimkit@127.0.0.1:$port/scimkit"
  export SCIMKIT_PG_DATA="$dir"
  SCIMKIT_PG_STOP="$(printf '%q ' "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop) >/dev/null 2>&1; rm -rf $(printf '%q' "$dir")"
  export SCIMKIT_PG_STOP
  echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') as $owner at $SCIMKIT_PG_URL (data $dir)" >&2
  return "$fail"
}

scimkit_pg_stop() {
  if [ -n "${SCIMKIT_PG_STOP:-}" ]; then
    eval "$SCIMKIT_PG_STOP"
    unset SCIMKIT_PG_STOP SCIMKIT_PG_URL SCIMKIT_PG_DATA
  fi
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: start, and stop on the caller's exit (after any EXIT trap it had).
  scimkit_pg_main || return 1
  scimkit_pg_prev_trap="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
  # shellcheck disable=SC2064
  trap "scimkit_pg_stop; ${scimkit_pg_prev_trap:-:}" EXIT
else
  set -euo pipefail
  scimkit_pg_main
  echo "export SCIMKIT_PG_URL=$(printf '%q' "$SCIMKIT_PG_URL")"
  echo "# stop it with: $SCIMKIT_PG_STOP"
fi
