#!/usr/bin/env bash
# Load benchmark of `scimkit serve` on loopback (not part of CI's pass/fail):
# 100,000 users in SQLite, then wrk (Debian package `wrk`) for a filtered
# GET, a cursor page of 100 and a PATCH; requests per second and latency
# percentiles. Usage, from the repository root:
#
#   bash crates/scimkit-server/load/run.sh [USERS] [SECONDS] [CONNECTIONS]
#
# The server and wrk share this machine's cores: the numbers are a floor.
set -euo pipefail
cd "$(dirname "$0")/../../.."
users=${1:-100000}
seconds=${2:-10}
connections=${3:-16}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }

cargo build -q --release -p scimkit-cli -p scimkit-server --example seed_tenant
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
target/release/examples/seed_tenant "$work/load.db" "$users" 100
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
target/release/scimkit serve --dialect rfc --no-auth --db "$work/load.db" --listen "127.0.0.1:$port" \
  --cursor-key 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f 2>"$work/serve.log" &
pid=$!
base="http://127.0.0.1:$port/scim/v2"
for _ in $(seq 100); do curl -sf -o /dev/null "$base/ServiceProviderConfig" && break; sleep 0.1; done

name=$(curl -s "$base/Users?count=1&startIndex=$((users / 2))&attributes=userName" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Resources"][0]["userName"])')
cursor=$(curl -s "$base/Users?count=100&cursor&attributes=userName" | python3 -c 'import json,sys; print(json.load(sys.stdin)["nextCursor"])')
id=$(curl -s "$base/Users?count=1&attributes=id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Resources"][0]["id"])')

run() {
  local label=$1; shift
  local out; out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  local errors; errors=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo
echo "scimkit serve --dialect rfc, SQLite, $users users; wrk -t2 -c$connections -d${seconds}s; $(date -u +%F)"
echo
echo "| request | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
run "GET /Users?filter=userName eq \"...\"" "$base/Users?filter=userName%20eq%20%22$name%22"
run "GET /Users?count=100&cursor=... (a page of 100)" "$base/Users?count=100&cursor=$cursor&attributes=userName"
run "PATCH /Users/{id} (replace displayName)" -s crates/scimkit-server/load/patch.lua "$base/Users/$id"
