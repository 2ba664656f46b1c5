#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The main job (scripts/demo, which scripts/run ends with) without a display, twice on one data
# folder: the first run starts a case store server, makes the demo store and syncs it; both runs
# render the case's documents as PDF/A. Checks what a person is told and what is on disk.
# Usage: demo_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
home=$(mktemp -d)
pidfile="$home/familieplan/server/fplan-server.pid"
cleanup() {
  [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null
  rm -rf "$home"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_demo() {
  env -u DISPLAY -u WAYLAND_DISPLAY -u FPLAN_STORE -u FPLAN_PASSPHRASE XDG_DATA_HOME="$home" \
    FPLAN_DEMO_PORT="$port" scripts/demo "$build"
}

first=$(run_demo) || fail "the first run failed: $first"
echo "$first"
data="$home/familieplan"
grep -q "Started the case store server: https://127.0.0.1:$port" <<<"$first" || fail "no server started"
grep -q "sync: pushed [1-9][0-9]*, pulled 0" <<<"$first" || fail "the first sync pushed nothing"
for template in samtykke familiefaglig-undersoegelse familieplan opfoelgningsmoede; do
  pdf="$data/demo-pdf/$template.pdf"
  grep -q "$template: $pdf" <<<"$first" || fail "$template is not announced"
  [[ $(stat -c %a "$pdf") == 600 ]] || fail "$pdf is not private"
  pdfinfo "$pdf" | grep -q "^Tagged: *yes" || fail "$pdf is not a tagged PDF"
done
grep -q "familieplan: .* version 1)" <<<"$first" || fail "the plan is not finalised"
grep -q "opfoelgningsmoede: .* draft)" <<<"$first" || fail "the agenda is not a draft"
# The agenda: its meeting filled in, the plan's goals seeded once (not beside the fixture's).
text=$(pdftotext "$data/demo-pdf/opfoelgningsmoede.pdf" -)
grep -q "07.05.2026 kl. 14:00" <<<"$text" || fail "the agenda's meeting time is not filled in"
[[ $(grep -c "Velkommen og forventninger" <<<"$text") == 1 ]] || fail "the agenda's items are doubled"
[[ $(grep -c "^Mål – skrevet sammen med" <<<"$text") == 3 ]] || fail "the plan's three goals are not seeded once"
[[ $(stat -c %a "$data") == 700 && $(stat -c %a "$data/demo.fplan") == 600 ]] || fail "the data is not private"
[[ ! -e "$data/demo-in-progress.fplan" ]] || fail "the store in progress was left behind"
if find "$data" ! -type d -perm /077 | grep -q .; then
  find "$data" -perm /077 ! -type d >&2
  fail "files others can read"
fi

second=$(run_demo) || fail "the second run failed: $second"
grep -q "The case store server is running already" <<<"$second" || fail "the second run did not reuse the server"
grep -q "Creating the demo store" <<<"$second" && fail "the second run made the store again"
grep -q "sync: pushed 0, pulled 0" <<<"$second" || fail "the second sync was not empty: $second"
echo "demo: ok"
