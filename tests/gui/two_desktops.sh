#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Two fplan-desktop processes on two stores, synced through a real fplan-server, under Xvfb with
# an AT-SPI bus: text written in one appears in the other while it is open, and the caret of the
# person in the other stays where it was; concurrent edits of one sentence become a conflict
# shown with both names, and taking one version settles it on both desktops.
# Usage: two_desktops.sh FPLAN FPLAN_SERVER FPLAN_DESKTOP [SCREENSHOT_DIR]
set -euo pipefail

fplan=$(realpath "$1")
server=$(realpath "$2")
desktop=$(realpath "$3")
shots=${4:-}
[[ -n "$shots" ]] && shots=$(realpath "$shots")
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)

# Without the display and accessibility tools the test cannot run: skipped (ctest code 77).
source "$here/xvfb_session.sh"
gui_test_requires import
gui_test_inside_xvfb "$0" "$@"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
start() { # start LOG COMMAND...: in the background, stopped at exit
  local log=$1
  shift
  "$@" > "$log" 2>&1 &
  pids+=($!)
}

gui_accessibility_setup "$work"
pids+=("$gui_bus")
export FPLAN_PASSWORD="to-skriveborde-adgangskode" # the server accounts'

# The real case store server on a free port, with the two accounts of the case's team.
mkdir -m 700 "$work/server"
for account in jr ao; do
  "$server" --data "$work/server" user add "$account" > /dev/null
done
start "$work/server.log" "$server" --data "$work/server" --listen 127.0.0.1:0
for _ in $(seq 100); do
  grep -q "^listening on" "$work/server.log" && break
  sleep 0.1
done
url=$(sed -n 's/^listening on \(https:\/\/[^ ]*\).*/\1/p' "$work/server.log")
[[ -n "$url" ]] || { cat "$work/server.log" >&2; echo "FAIL: the server did not start" >&2; exit 1; }
echo "fplan-server: $url"

# Jens (jr) makes the case and the plan and syncs; Åse (ao) signs in on her own store and gets them.
store_a="$work/jens.fplan" store_b="$work/aase.fplan"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b.pop("documents", None); json.dump(b, open(sys.argv[2], "w"), ensure_ascii=False)' \
  "$source_dir/tests/data/bundles/multilingual.json" "$work/bundle.json"
export FPLAN_PASSPHRASE="to-skriveborde-lager"
FPLAN_STORE=$store_a "$fplan" init > /dev/null
FPLAN_STORE=$store_a "$fplan" config set user.name "Jens Ravn"
case_id=$(FPLAN_STORE=$store_a "$fplan" case import "$work/bundle.json")
doc=$(FPLAN_STORE=$store_a "$fplan" doc new "$case_id" familieplan)
printf '{"familiens_bemaerkninger.bemaerkninger": "Vi vil gerne have roligere morgener. Alma skal i skole hver dag."}' > "$work/values.json"
FPLAN_STORE=$store_a "$fplan" doc fill "$doc" "$work/values.json" > /dev/null
FPLAN_STORE=$store_a "$fplan" sync --server "$url" --user jr > /dev/null
FPLAN_STORE=$store_b "$fplan" init > /dev/null
FPLAN_STORE=$store_b "$fplan" config set user.name "Åse Øberg"
FPLAN_STORE=$store_b "$fplan" sync --server "$url" --user ao > /dev/null
echo "two stores bound to the server; the case $case_id on both"

# From here each desktop syncs by itself (its background sync continues the session signed in
# above): pushes after each save, pulls when the server's live channel says the case changed.
start "$work/desktop-a.log" "$desktop" --store "$store_a" --lang da
desktop_a=${pids[-1]}
sleep 2
start "$work/desktop-b.log" "$desktop" --store "$store_b" --lang da
desktop_b=${pids[-1]}

if ! /usr/bin/python3 "$here/two_desktops.py" "$desktop_a" "$desktop_b" "$shots"; then
  for log in desktop-a desktop-b server; do
    echo "--- $log" >&2
    tail -n 30 "$work/$log.log" >&2
  done
  exit 1
fi
echo "two desktops test passed"
