#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# fplan-desktop on a 1024×600 screen, as a keyboard and screen reader user meets it: every
# editor's buttons on screen and wide enough, Tab through every editor and back to the start
# without getting stuck, tables read cell by cell with their column headers, dialogs exposed as
# dialogs (tests/gui/desktop_keyboard.py).
# Usage: desktop_keyboard.sh FPLAN_DESKTOP MAKE_DEMO_STORE [SCREENSHOT_DIR]
set -euo pipefail

desktop=$(realpath "$1")
make_store=$(realpath "$2")
shots=${3:-}
here=$(cd "$(dirname "$0")" && pwd)

source "$here/xvfb_session.sh"
gui_test_requires import
FPLAN_GUI_TEST_SCREEN=1024x600x24 gui_test_inside_xvfb "$0" "$@"

work=$(mktemp -d)
app=""
bus=""
cleanup() {
  [[ -n "$app" ]] && kill "$app" 2>/dev/null || true
  [[ -n "$bus" ]] && kill "$bus" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export FPLAN_PASSPHRASE="tastatur-test-adgangskode"
gui_accessibility_setup "$work"
bus=$gui_bus
mapfile -t ids < <("$make_store" "$work/sager.fplan" 3)

"$desktop" --store "$work/sager.fplan" --lang da --case "${ids[0]}" > "$work/app.log" 2>&1 &
app=$!

if ! /usr/bin/python3 "$here/desktop_keyboard.py" "$shots"; then
  echo "--- fplan-desktop output" >&2
  cat "$work/app.log" >&2
  exit 1
fi
echo "desktop keyboard test passed"
