#!/usr/bin/env bash
# Run the scim2-tester conformance checks against a SCIM 2.0 server.
#
#   bash conformance/run.sh BASE_URL [TOKEN] [EXPECTED_FILE]
#   bash conformance/run.sh BASE_URL EXPECTED_FILE        # no token
#   bash conformance/run.sh --setup                       # only create the virtualenv
#
# BASE_URL       e.g. http://127.0.0.1:8080/scim/v2
# TOKEN          bearer token; empty or "-" for none (or SCIMKIT_CONFORMANCE_TOKEN)
# EXPECTED_FILE  expected failures, e.g. conformance/expected-rfc.txt
#                (or SCIMKIT_CONFORMANCE_EXPECTED); a second argument naming an
#                existing file is taken as EXPECTED_FILE, not as a token.
#
# Environment:
#   SCIMKIT_CONFORMANCE_VENV   virtualenv to create/reuse (default target/conformance-venv)
#   SCIMKIT_CONFORMANCE_OUT    per-check results, JSON Lines
#                              (default target/conformance/results[-NAME].jsonl, NAME from expected-NAME.txt)
#   SCIMKIT_CONFORMANCE_TRACE  HTTP trace, JSON Lines (default: results file with .http.jsonl)
#   SCIMKIT_CONFORMANCE_SEED   seed of the checker's random values (default 0)
#   SCIMKIT_CONFORMANCE_ARGS   extra driver.py arguments, e.g. "--exclude-tags patch"
#   PYTHON                     interpreter for the virtualenv (default python3, >= 3.11)
#
# Exit status: 0 when every failed check is listed in the expected file (or,
# without one, when nothing failed); 1 on an unexpected failure; 2 on a setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 3 ] || usage
case "$1" in -h|--help) usage ;; esac

setup_only=""
[ "$1" = "--setup" ] && setup_only=1
base_url="$1"
token="${SCIMKIT_CONFORMANCE_TOKEN:-}"
expected="${SCIMKIT_CONFORMANCE_EXPECTED:-}"
if [ $# -eq 2 ] && [ -f "$2" ]; then
    expected="$2"
elif [ $# -ge 2 ]; then
    token="$2"
    [ $# -eq 3 ] && expected="$3"
fi
[ "$token" = "-" ] && token=""

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

if [ -n "$expected" ]; then
    [ -f "$expected" ] || { echo "run.sh: expected-failures file not found: $expected" >&2; exit 2; }
    expected="$(abspath "$expected")"
fi

venv="${SCIMKIT_CONFORMANCE_VENV:-$root/target/conformance-venv}"
venv="$(abspath "$venv")"
label=""
if [ -n "$expected" ]; then
    name="$(basename "$expected" .txt)"
    case "$name" in expected-*) label="-${name#expected-}" ;; esac
fi
out="$(abspath "${SCIMKIT_CONFORMANCE_OUT:-$root/target/conformance/results$label.jsonl}")"
trace="$(abspath "${SCIMKIT_CONFORMANCE_TRACE:-${out%.jsonl}.http.jsonl}")"
python="${PYTHON:-python3}"

# --- virtualenv, reused while requirements.txt and the interpreter are unchanged
stamp="$( { cat "$here/requirements.txt"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.scimkit-conformance-stamp" 2>/dev/null)" != "$stamp" ]; then
    if [ -e "$venv" ]; then
        if [ -f "$venv/pyvenv.cfg" ]; then rm -rf "$venv"
        else echo "run.sh: $venv exists and is not a virtualenv; refusing to replace it" >&2; exit 2; fi
    fi
    echo "run.sh: creating $venv" >&2
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        -r "$here/requirements.txt" >&2
    "$venv/bin/python" -m pip check >&2
    echo "$stamp" > "$venv/.scimkit-conformance-stamp"
fi

if [ -n "$setup_only" ]; then echo "$venv"; exit 0; fi

args=(--url "$base_url" --output "$out" --trace "$trace")
[ -n "$expected" ] && args+=(--expected "$expected")
# shellcheck disable=SC2206
[ -n "${SCIMKIT_CONFORMANCE_ARGS:-}" ] && args+=($SCIMKIT_CONFORMANCE_ARGS)

export SCIMKIT_CONFORMANCE_TOKEN="$token"
export PYTHONHASHSEED=0
exec "$venv/bin/python" "$here/driver.py" "${args[@]}"
