#!/usr/bin/env bash
# The README's "Run a SCIM server" section as printed: start the server with
# its one-line command (in the background, in a scratch copy of the working
# directory's database), then run the curl examples and check each answer.
set -euo pipefail
cd "$(dirname "$0")/.."
section=$(awk '/^## Run a SCIM server/{q=1;next} /^## /{q=0} q' README.md)
server=$(printf '%s\n' "$section" | awk '/^```sh/{n++;f=1;next} /^```/{f=0} f && n==1')
clients=$(printf '%s\n' "$section" | awk '/^```sh/{n++;f=1;next} /^```/{f=0} f && n==2')
[ -n "$server" ] && [ -n "$clients" ] || { echo "README: no server section" >&2; exit 1; }
rm -f scimkit.db scimkit.db-wal scimkit.db-shm
echo "+ $server &"
bash -c "exec $server" >target/readme-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f scimkit.db scimkit.db-wal scimkit.db-shm' EXIT
for _ in $(seq 600); do
  curl -s -o /dev/null -H 'Accept: application/json' http://127.0.0.1:8080/scim/v2/serviceproviderconfig && break
  kill -0 $pid 2>/dev/null || { cat target/readme-server.log; exit 1; }
  sleep 1
done
printf '%s\n' "$clients"
out=$(bash -euo pipefail -c "$clients")
printf '%s\n' "$out"
for expected in '"userName":"ada.jensen0@contoso.example"' '"nextCursor"' '"itemsPerPage":2' '204' '"scimType":"invalidFilter"'; do
  grep -qF "$expected" <<<"$out" || { echo "README server example: no $expected in the output" >&2; exit 1; }
done
echo "README server section: the command and every curl example work as printed"
