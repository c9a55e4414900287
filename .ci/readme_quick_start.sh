#!/usr/bin/env bash
# Run every command of the README's "Quick start" section as printed, from
# the repository root: a command that fails fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
script=$(awk '/^## Quick start/{q=1;next} /^## /{q=0} q && /^```sh/{f=1;next} /^```/{f=0} q && f' README.md)
[ -n "$script" ] || { echo "no Quick start commands found in README.md" >&2; exit 1; }
printf '%s\n' "$script"
bash -euo pipefail -c "$script" >/dev/null
echo "README quick start: all commands ran"
