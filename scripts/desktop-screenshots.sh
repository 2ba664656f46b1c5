#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Takes the docs/images screenshots of fplan-desktop under Xvfb on a demo store with 40 cases.
# Usage: scripts/desktop-screenshots.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$(realpath "$1")
out=$(realpath "$2")
if [[ -z "${FPLAN_SHOTS_INNER:-}" ]]; then
  export FPLAN_SHOTS_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
work=$(mktemp -d)
app=""
cleanup() {
  [[ -n "$app" ]] && kill "$app" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# No accessibility bus here: without NO_AT_BRIDGE, GTK waits for one on exit.
export FPLAN_PASSPHRASE="skaermbillede-adgangskode" XDG_RUNTIME_DIR="$work/runtime" NO_AT_BRIDGE=1
mkdir -m 700 "$XDG_RUNTIME_DIR"
mapfile -t ids < <("$build/tests/gui/make_demo_store" "$work/sager.fplan" 40)
first=${ids[0]} plan=${ids[1]}

# shot NAME ARGS...: starts the program with ARGS, waits for it to settle, saves the main window.
shot() {
  local name=$1
  shift
  "$build/gui/fplan-desktop" --store "$work/sager.fplan" --lang da "$@" > "$work/$name.log" 2>&1 &
  app=$!
  sleep "${SHOT_WAIT:-5}"
  import -window root -crop 1240x780+0+0 +repage "$out/$name.png"
  kill "$app"
  for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$app" 2>/dev/null || true # a picture is all that is wanted here
  wait "$app" 2>/dev/null || true
  app=""
  echo "$out/$name.png: $(identify -format '%wx%h, %b' "$out/$name.png")"
}
shot case-overview --case "$first"
shot document-editor --document "$plan"
