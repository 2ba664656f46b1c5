#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Start-up time and memory of fplan-desktop on a store with COUNT cases (docs/PERFORMANCE.md,
# "Desktop"). Usage: bench/desktop_start.sh BUILD_DIR [COUNT] [RUNS]
set -euo pipefail
build=$(realpath "$1")
count=${2:-500}
runs=${3:-5}
if [[ -z "${FPLAN_BENCH_INNER:-}" ]]; then
  export FPLAN_BENCH_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FPLAN_PASSPHRASE="bench-adgangskode" FPLAN_TIMING=1
"$build/tests/gui/make_demo_store" "$work/sager.fplan" "$count" > /dev/null
for ((i = 1; i <= runs; i++)); do
  "$build/gui/fplan-desktop" --store "$work/sager.fplan" --lang da > "$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do grep -q "usable after" "$work/log" && break; sleep 0.1; done
  sleep 1 # let the first paint and idle work settle before reading memory
  line=$(grep -o "usable after.*" "$work/log")
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  echo "run $i: $line; resident $((rss / 1024)) MB (peak $((hwm / 1024)) MB)"
  # An idle fplan-desktop may not act on SIGTERM until its next event (seen under Xvfb with no
  # input); the figures are taken already, so do not wait for it.
  kill "$pid"
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
