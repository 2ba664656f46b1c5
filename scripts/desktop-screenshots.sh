#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Takes the docs/images screenshots of fplan-desktop under Xvfb on a demo store with 40 cases:
# the user guide's pictures (docs/brugervejledning.md) and the desktop notes' (docs/desktop.md).
# Dialogs are opened through AT-SPI, as a screen reader would (scripts/desktop-screenshots.py).
# Usage: scripts/desktop-screenshots.sh BUILD_DIR OUT_DIR
# FPLAN_SHOTS_SCREEN=1024x600 takes them on a small laptop's screen instead of 1280x800.
set -euo pipefail
build=$(realpath "$1")
out=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
# The display and accessibility set-up of the desktop tests.
source "$here/../tests/gui/xvfb_session.sh"
gui_test_requires import
FPLAN_GUI_TEST_SCREEN="${FPLAN_SHOTS_SCREEN:-1280x800}x24" gui_test_inside_xvfb "$0" "$@"
work=$(mktemp -d -t familieplan.XXXXXX)
app=""
bus=""
cleanup() {
  [[ -n "$app" ]] && kill "$app" 2>/dev/null || true
  [[ -n "$bus" ]] && kill "$bus" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
gui_accessibility_setup "$work"
bus=$gui_bus
passphrase="skaermbillede-adgangskode"
mapfile -t ids < <(FPLAN_PASSPHRASE=$passphrase "$build/tests/gui/make_demo_store" "$work/sager.fplan" 40)
first=${ids[0]} plan=${ids[1]}

# shot NAME MODE STORE ARGS...: starts the program on STORE with ARGS, lets the driver open what
# MODE names, saves it as NAME.png.
shot() {
  local name=$1 mode=$2 store=$3
  shift 3
  "$build/gui/fplan-desktop" --store "$store" --lang da "$@" > "$work/$name.log" 2>&1 &
  app=$!
  if ! /usr/bin/python3 "$here/desktop-screenshots.py" "$mode" "$out/$name.png"; then
    cat "$work/$name.log" >&2
    exit 1
  fi
  kill "$app"
  for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$app" 2>/dev/null || true # a picture is all that is wanted here
  wait "$app" 2>/dev/null || true
  app=""
  echo "$out/$name.png: $(identify -format '%wx%h, %k colours' "$out/$name.png")"
}
(unset FPLAN_PASSPHRASE; shot unlock-new-store unlock "$work/Dokumenter/sager.fplan")
export FPLAN_PASSPHRASE=$passphrase
shot case-overview window "$work/sager.fplan" --case "$first"
shot new-document new-document "$work/sager.fplan" --case "$first"
shot new-case-dialog new-case "$work/sager.fplan"
shot document-editor window "$work/sager.fplan" --document "$plan"
shot preview preview "$work/sager.fplan" --document "$plan"

# Signing in and the sync status, against a local fplan-server on a free port. The store holds a
# family whose team has the server account jr (the test bundle), so its ops are the team's.
server_data="$work/server"
mkdir -m 700 "$server_data"
server_password="skaermbillede-server"
FPLAN_PASSWORD=$server_password "$build/sync/server/fplan-server" --data "$server_data" user add jr >/dev/null
server=""
port=0
start_server() {
  "$build/sync/server/fplan-server" --data "$server_data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -qs "^listening on" "$work/server.log" && break; sleep 0.1; done
  port=$(sed -n 's/^listening on https:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/server.log")
  [[ -n "$port" ]] || { cat "$work/server.log" >&2; exit 1; }
}
stop_server() {
  kill "$server" 2>/dev/null || true # (the driver may have stopped it already)
  wait "$server" 2>/dev/null || true
}
trap 'stop_server 2>/dev/null; cleanup' EXIT
start_server
url="https://127.0.0.1:$port"
team="$work/team.fplan"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b.pop("documents", None); json.dump(b, open(sys.argv[2], "w"), ensure_ascii=False)' \
  "$here/../tests/data/bundles/multilingual.json" "$work/team-bundle.json"
fplan() { FPLAN_STORE="$team" "$build/cli/fplan" "$@"; }
fplan init >/dev/null
fplan config set user.name "Jens Ravn"
team_case=$(fplan case import "$work/team-bundle.json")
team_plan=$(fplan doc new "$team_case" familieplan)
fplan doc fill "$team_plan" "$here/../tests/data/values/familieplan.json" >/dev/null

# The sign-in dialog, filled in, then after the first sign-in with the pinned certificate.
export FPLAN_SHOTS_SERVER="$url" FPLAN_SHOTS_PASSWORD="$server_password"
shot sign-in sign-in "$team" --case "$team_case"
shot sign-in-pinned sign-in-pinned "$team" --case "$team_case"
# (The second picture signed in: the store is now bound, and later starts go on without asking.)
shot sync-status-synced sync-status "$team" --document "$team_plan"
# Edits while the server is away: they wait, and the status line counts them.
stop_server
echo '{"om_planen.dato": "2026-04-02", "om_planen.periode_fra": "2026-04-06", "om_planen.periode_til": "2026-10-05"}' >"$work/edits.json"
fplan doc fill "$team_plan" "$work/edits.json" >/dev/null
shot sync-status-offline sync-status "$team" --document "$team_plan"
# Synced once in this run, then the server goes away and "Synkroniser nu" is chosen.
start_server
FPLAN_SHOTS_SERVER_PID=$server shot sync-status-unreachable sync-status-unreachable "$team" --document "$team_plan"
