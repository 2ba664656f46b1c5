#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Starts the real fplan-desktop under Xvfb with an AT-SPI bus, as a screen reader would see it:
# the window must draw (screenshot not blank), the case list and an editor field must be found by
# accessible name, and text typed into the field must reach the encrypted store.
# Usage: desktop_smoke.sh FPLAN_DESKTOP MAKE_DEMO_STORE [SCREENSHOT_DIR]
set -euo pipefail

desktop=$(realpath "$1")
make_store=$(realpath "$2")
shots=${3:-}
here=$(cd "$(dirname "$0")" && pwd)

# Without the display and accessibility tools the test cannot run: skipped (ctest code 77).
source "$here/xvfb_session.sh"
gui_test_requires import identify
gui_test_inside_xvfb "$0" "$@"

work=$(mktemp -d)
app=""
bus=""
cleanup() {
  [[ -n "$app" ]] && kill "$app" 2>/dev/null || true
  [[ -n "$bus" ]] && kill "$bus" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export FPLAN_PASSPHRASE="smoke-test-adgangskode"
gui_accessibility_setup "$work"
bus=$gui_bus
"$make_store" "$work/sager.fplan" 25 > "$work/ids"

# A desktop without a PDF viewer: the shared data folders the program needs, but no programs
# (applications/) that could open a file, so "Åbn PDF" must say so (and offer to save the file).
mkdir -p "$work/share" "$work/home-share"
for d in glib-2.0 icons mime themes fonts; do
  [[ -e "/usr/share/$d" ]] && ln -s "/usr/share/$d" "$work/share/$d"
done
XDG_DATA_DIRS="$work/share" XDG_DATA_HOME="$work/home-share" \
  FPLAN_TIMING=1 "$desktop" --store "$work/sager.fplan" --lang da > "$work/app.log" 2>&1 &
app=$!

if ! /usr/bin/python3 "$here/desktop_smoke.py" "$work" "${shots}"; then
  echo "--- fplan-desktop output" >&2
  cat "$work/app.log" >&2
  exit 1
fi

shot="$work/screen.png"
import -window root "$shot"
colours=$(identify -format %k "$shot")
echo "screenshot: $colours distinct colours"
if (( colours < 50 )); then
  echo "FAIL: the screen looks blank ($colours colours)" >&2
  exit 1
fi
[[ -n "$shots" ]] && cp "$shot" "$shots/smoke-editor.png"

# SIGTERM (as at logout) closes the window the normal way: the edit typed last is saved too.
kill -TERM "$app"
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then
  echo "FAIL: fplan-desktop did not end on SIGTERM" >&2
  exit 1
fi
app=""
# The PDFs made for the editor went with it (gui/private_pdf.h).
if compgen -G "$XDG_RUNTIME_DIR/familieplan-pdf/*.pdf" > /dev/null; then
  echo "FAIL: PDFs left in the private folder after the program ended:" >&2
  ls -l "$XDG_RUNTIME_DIR/familieplan-pdf" >&2
  exit 1
fi
echo "no PDF left in the private folder"
if ! "$make_store" --dump "$work/sager.fplan" | grep -q "Rådhuset, mødelokale 2 (stue)"; then
  echo "FAIL: the text typed into 'Sted' is not in the store" >&2
  "$make_store" --dump "$work/sager.fplan" | grep opfoelgningsmoede >&2 || true
  exit 1
fi
echo "the text typed into 'Sted' is in the store"
if ! "$make_store" --dump "$work/sager.fplan" | grep -q "2026-04-05"; then
  echo "FAIL: the date typed as 5.4.2026 is not stored as 2026-04-05" >&2
  exit 1
fi
echo "the date typed as 5.4.2026 is stored as 2026-04-05"
grep "usable after" "$work/app.log" || true
echo "desktop smoke test passed"
