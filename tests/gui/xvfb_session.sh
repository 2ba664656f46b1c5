# SPDX-License-Identifier: EUPL-1.2
# Sourced by the Xvfb + AT-SPI tests (desktop_smoke.sh, two_desktops.sh, desktop_keyboard.sh).

# gui_test_requires [TOOL...]: skips the test (ctest code 77) when the display and accessibility
# tools, the given ones, or pyatspi are missing.
gui_test_requires() {
  local tool
  for tool in xvfb-run dbus-run-session /usr/libexec/at-spi-bus-launcher "$@"; do
    if ! command -v "$tool" > /dev/null; then
      echo "SKIP: $tool is missing (scripts/install-deps installs it)"
      exit 77
    fi
  done
  if ! /usr/bin/python3 -c "import pyatspi" 2> /dev/null; then
    echo "SKIP: python3-pyatspi is missing (scripts/install-deps installs it)"
    exit 77
  fi
}

# gui_test_inside_xvfb SCRIPT ARGS...: runs the script again inside its own D-Bus session and a
# free Xvfb display, once; the screen is $FPLAN_GUI_TEST_SCREEN (default 1280x800x24).
gui_test_inside_xvfb() {
  if [[ -z "${FPLAN_GUI_TEST_INNER:-}" ]]; then
    export FPLAN_GUI_TEST_INNER=1
    exec dbus-run-session -- xvfb-run -a -s "-screen 0 ${FPLAN_GUI_TEST_SCREEN:-1280x800x24}" "$@"
  fi
}

# gui_accessibility_setup WORK: what the program under test needs to be seen through AT-SPI: the
# bridge switched on, a private runtime folder WORK/runtime, and an accessibility bus, whose pid
# is left in $gui_bus for the caller's cleanup to stop.
gui_accessibility_setup() {
  export NO_AT_BRIDGE=0 GTK_A11Y=atk XDG_RUNTIME_DIR="$1/runtime"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  gui_bus=$!
  sleep 1
}
