#!/usr/bin/env bash
# Third-party conformance: scim2-tester (conformance/) against
# `scimkit serve --dialect rfc` and `--dialect entra` on loopback. Fails on
# any failed check not listed, with its reason, in conformance/expected-*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p scimkit-cli
bin=target/debug/scimkit
token="ci-$RANDOM$RANDOM"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_against() {
  local dialect=$1 expected=$2; shift 2
  local port; port=$(free_port)
  "$bin" serve --db :memory: --dialect "$dialect" --token "$token" --listen "127.0.0.1:$port" \
    >"target/conformance-serve-$dialect.log" 2>&1 &
  local pid=$!
  for _ in $(seq 50); do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Accept: application/json' \
      "http://127.0.0.1:$port/scim/v2/ServiceProviderConfig" && break
    sleep 0.2
  done
  local rc=0
  SCIMKIT_CONFORMANCE_ARGS="$*" bash conformance/run.sh "http://127.0.0.1:$port/scim/v2" "$token" "$expected" || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return "$rc"
}

echo "-- scim2-tester against scimkit serve --dialect rfc"
run_against rfc conformance/expected-rfc.txt
echo "-- scim2-tester against scimkit serve --dialect entra (Accept: application/json, as Entra requires)"
run_against entra conformance/expected-entra.txt --header Accept:application/json
