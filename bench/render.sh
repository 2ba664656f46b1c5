#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# PDF rendering benchmark: a realistic 6-page and ~40-page familieplan rendered by whole
# `fplan render` processes (what a user or a batch job runs) and the same text as HTML by whole
# LibreOffice and Chromium processes (each warmed up once, then the median of several runs).
# The in-process figure (layout + PDF, median of many runs) is printed as a second line.
# Prints the ratios whole process against whole process.
#   bench/render.sh [ITERATIONS] [EXTERNAL_RUNS] [FPLAN_BEFORE]
# FPLAN_BEFORE: another build's fplan binary, timed on the same input as a "before" line.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50}
runs=${2:-5}
before=${3:-}

# Bench-only packages: the product does not need them, so they are not in scripts/install-deps.
bench_packages=(libreoffice-writer-nogui chromium)
missing=()
for p in "${bench_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "render.sh: install first (as root): ${missing[*]}" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake --preset release >/dev/null
cmake --build --preset release -j2 --target bench_render fplan >/dev/null
bench=build/release/bench/bench_render
fplan=build/release/cli/fplan

load() { awk '{print $1, $2, $3}' /proc/loadavg; }
load_start=$(load)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --write "$work" >/dev/null

# Microseconds from bash's own clock, read with `t=${EPOCHREALTIME/./}`: no process is started
# to read the time (a `date` per reading added about 1 ms of process start to every timed run,
# which matters for a 20 ms fplan render and not for a 1 s LibreOffice).
# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

# Familieplan, in-process.
declare -A fp_ms fp_pages
while read -r name p ms _ _ _; do
  fp_pages[$name]=${p#pages=}
  fp_ms[$name]=${ms#median_ms=}
done < <("$bench" --iterations "$iterations")

# Familieplan, whole processes: the first run validates the template once (remembered in the
# user's cache), the median of the next runs is what every later start costs.
fplan_run() {
  "$1" render --bundle "$work/bundle.json" --template familieplan --values "$work/$2.json" \
    --templates templates --out "$work/fp-$2${3:-}.pdf" --force >/dev/null
}
declare -A fpw_ms fpb_ms
for name in familieplan-6 familieplan-40; do
  for bin in "$fplan" ${before:+"$before"}; do
    suffix=$([[ $bin == "$fplan" ]] || echo -before)
    fplan_run "$bin" "$name" "$suffix"
    times=()
    for ((i = 0; i < runs * 4; i++)); do
      t0=${EPOCHREALTIME/./}; fplan_run "$bin" "$name" "$suffix"; t1=${EPOCHREALTIME/./}
      times+=($((t1 - t0)))
    done
    ms=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
    if [[ $bin == "$fplan" ]]; then fpw_ms[$name]=$ms; else fpb_ms[$name]=$ms; fi
  done
  fp_pages[$name]=$(pages "$work/fp-$name.pdf")
done

lo_profile="file://$work/lo-profile"
soffice_run() { soffice -env:UserInstallation="$lo_profile" --headless --convert-to pdf --outdir "$work/lo" "$1" >/dev/null 2>&1; }
# A fresh profile folder ($3) per run, made and removed outside the timed part.
chromium_run() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$3" --no-pdf-header-footer \
    --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}

declare -A lo_ms lo_pages chr_ms chr_pages
mkdir -p "$work/lo" "$work/chr"
soffice_run "$work/familieplan-6.html"                          # warm: profile made, caches filled
chromium_run "$work/familieplan-6.html" "$work/chr/warm.pdf" "$(mktemp -d -p "$work")"
for name in familieplan-6 familieplan-40; do
  times=()
  for ((i = 0; i < runs; i++)); do
    t0=${EPOCHREALTIME/./}; soffice_run "$work/$name.html"; t1=${EPOCHREALTIME/./}
    times+=($((t1 - t0)))
  done
  lo_ms[$name]=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
  lo_pages[$name]=$(pages "$work/lo/$name.pdf")
  times=()
  for ((i = 0; i < runs; i++)); do
    profile=$(mktemp -d)
    t0=${EPOCHREALTIME/./}; chromium_run "$work/$name.html" "$work/chr/$name.pdf" "$profile"; t1=${EPOCHREALTIME/./}
    rm -rf "$profile"
    times+=($((t1 - t0)))
  done
  chr_ms[$name]=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
  chr_pages[$name]=$(pages "$work/chr/$name.pdf")
done

echo
printf '%-16s %22s %22s %22s %22s\n' "" "fplan render (process)" "in-process" "LibreOffice" "Chromium"
for name in familieplan-6 familieplan-40; do
  printf '%-16s %14s ms %3s p %14s ms %5s %14s ms %3s p %14s ms %3s p\n' "$name" "${fpw_ms[$name]}" "${fp_pages[$name]}" \
    "${fp_ms[$name]}" "" "${lo_ms[$name]}" "${lo_pages[$name]}" "${chr_ms[$name]}" "${chr_pages[$name]}"
  if [[ -n $before ]]; then
    printf '%-16s %14s ms %3s p   (before: %s)\n' "" "${fpb_ms[$name]}" "$(pages "$work/fp-$name-before.pdf")" "$before"
  fi
done
echo
for name in familieplan-6 familieplan-40; do
  awk -v n="$name" -v f="${fpw_ms[$name]}" -v l="${lo_ms[$name]}" -v c="${chr_ms[$name]}" -v p="${fp_pages[$name]}" \
    'BEGIN {printf "%s (whole processes): %.0fx faster than LibreOffice (target >= 50x), %.0fx faster than Chromium (target >= 10x); %.2f ms per page\n", n, l / f, c / f, f / p}'
  if [[ -n $before ]]; then
    awk -v n="$name" -v f="${fpb_ms[$name]}" -v l="${lo_ms[$name]}" -v c="${chr_ms[$name]}" -v p="$(pages "$work/fp-$name-before.pdf")" \
      'BEGIN {printf "%s before: %.0fx LibreOffice, %.0fx Chromium; %.2f ms per page\n", n, l / f, c / f, f / p}'
  fi
done
awk -v a="${fpw_ms[familieplan-6]}" -v pa="${fp_pages[familieplan-6]}" -v b="${fpw_ms[familieplan-40]}" -v pb="${fp_pages[familieplan-40]}" \
  'BEGIN {r = (b / pb) / (a / pa); printf "cost per page at %d pages / at %d pages: %.2f (target <= 1.5)\n", pb, pa, r}'
echo "load average (1, 5, 15 min): at start $load_start, at end $(load)"
