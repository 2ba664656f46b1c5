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
if [[ -z "${FPLAN_SHOTS_INNER:-}" ]]; then
  export FPLAN_SHOTS_INNER=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 ${FPLAN_SHOTS_SCREEN:-1280x800}x24" "$0" "$@"
fi
work=$(mktemp -d -t familieplan.XXXXXX)
app=""
bus=""
cleanup() {
  [[ -n "$app" ]] && kill "$app" 2>/dev/null || true
  [[ -n "$bus" ]] && kill "$bus" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_RUNTIME_DIR="$work/runtime" NO_AT_BRIDGE=0 GTK_A11Y=atk
mkdir -m 700 "$XDG_RUNTIME_DIR"
/usr/libexec/at-spi-bus-launcher --launch-immediately &
bus=$!
sleep 1
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
shot new-case-dialog new-case "$work/sager.fplan"
shot document-editor window "$work/sager.fplan" --document "$plan"
shot preview preview "$work/sager.fplan" --document "$plan"
