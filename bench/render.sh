#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# PDF rendering benchmark: a realistic 6-page and ~40-page familieplan rendered by whole
# `fplan render` processes (what a user or a batch job runs) and the same text as HTML by whole
# LibreOffice and Chromium processes (each warmed up once, then timed in interleaved rounds).
# The in-process figure (layout + PDF, median of many runs) is printed as a second line.
# Prints the ratios whole process against whole process.
#   bench/render.sh [ITERATIONS] [ROUNDS] [FPLAN_BEFORE]
# ROUNDS: each round runs LibreOffice and Chromium once and fplan four times, per document.
# FPLAN_BEFORE: another build's fplan binary, timed on the same input as a "before" line.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50}
rounds=${2:-5}
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

# Whole processes, interleaved: each round runs LibreOffice and Chromium once and fplan four
# times (and the "before" binary as often), for both documents, so a machine that speeds up or
# slows down during the run moves all of them alike; the medians are taken over all rounds. The
# first fplan run validates the template once (remembered in the user's cache), LibreOffice and
# Chromium are warmed up once: what is timed is what every later start costs.
fplan_run() {
  "$1" render --bundle "$work/bundle.json" --template familieplan --values "$work/$2.json" \
    --templates templates --out "$work/fp-$2${3:-}.pdf" --force >/dev/null
}
lo_profile="file://$work/lo-profile"
soffice_run() { soffice -env:UserInstallation="$lo_profile" --headless --convert-to pdf --outdir "$work/lo" "$1" >/dev/null 2>&1; }
# A fresh profile folder ($3) per run, made and removed outside the timed part.
chromium_run() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$3" --no-pdf-header-footer \
    --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}
# Runs "$@" and appends its wall time in microseconds to the array named by $1.
timed() {
  local -n into=$1
  shift
  local t0=${EPOCHREALTIME/./}
  "$@"
  local t1=${EPOCHREALTIME/./}
  into+=($((t1 - t0)))
}
ms_median() { printf '%s\n' "$@" | median | awk '{printf "%.1f", $1 / 1000}'; }

mkdir -p "$work/lo" "$work/chr"
soffice_run "$work/familieplan-6.html" # warm: profile made, caches filled
chromium_run "$work/familieplan-6.html" "$work/chr/warm.pdf" "$(mktemp -d -p "$work")"
for name in familieplan-6 familieplan-40; do
  fplan_run "$fplan" "$name"
  [[ -z $before ]] || fplan_run "$before" "$name" -before
done
declare -a fpw_familieplan_6 fpw_familieplan_40 fpb_familieplan_6 fpb_familieplan_40 \
  lo_familieplan_6 lo_familieplan_40 chr_familieplan_6 chr_familieplan_40
for ((round = 0; round < rounds; round++)); do
  for name in familieplan-6 familieplan-40; do
    key=${name//-/_}
    timed "lo_$key" soffice_run "$work/$name.html"
    profile=$(mktemp -d -p "$work")
    timed "chr_$key" chromium_run "$work/$name.html" "$work/chr/$name.pdf" "$profile"
    rm -rf "$profile"
    for ((i = 0; i < 4; i++)); do
      timed "fpw_$key" fplan_run "$fplan" "$name"
      [[ -z $before ]] || timed "fpb_$key" fplan_run "$before" "$name" -before
    done
  done
done
declare -A fpw_ms fpb_ms lo_ms lo_pages chr_ms chr_pages
for name in familieplan-6 familieplan-40; do
  key=${name//-/_}
  declare -n fpw="fpw_$key" fpb="fpb_$key" lo="lo_$key" chr="chr_$key"
  fpw_ms[$name]=$(ms_median "${fpw[@]}")
  [[ -z $before ]] || fpb_ms[$name]=$(ms_median "${fpb[@]}")
  lo_ms[$name]=$(ms_median "${lo[@]}")
  chr_ms[$name]=$(ms_median "${chr[@]}")
  unset -n fpw fpb lo chr
  fp_pages[$name]=$(pages "$work/fp-$name.pdf")
  lo_pages[$name]=$(pages "$work/lo/$name.pdf")
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
  # The targets are the 6-page plan's (a family's usual plan); the long one shows the trend.
  awk -v n="$name" -v f="${fpw_ms[$name]}" -v l="${lo_ms[$name]}" -v c="${chr_ms[$name]}" -v p="${fp_pages[$name]}" \
    -v t="$([[ $name == familieplan-6 ]] && echo 1 || echo 0)" \
    'BEGIN {printf "%s (whole processes): %.0fx faster than LibreOffice%s, %.0fx faster than Chromium%s; %.2f ms per page\n", n, l / f, t ? " (target >= 50x)" : "", c / f, t ? " (target >= 10x)" : "", f / p}'
  if [[ -n $before ]]; then
    awk -v n="$name" -v f="${fpb_ms[$name]}" -v l="${lo_ms[$name]}" -v c="${chr_ms[$name]}" -v p="$(pages "$work/fp-$name-before.pdf")" \
      'BEGIN {printf "%s before: %.0fx LibreOffice, %.0fx Chromium; %.2f ms per page\n", n, l / f, c / f, f / p}'
  fi
done
awk -v a="${fpw_ms[familieplan-6]}" -v pa="${fp_pages[familieplan-6]}" -v b="${fpw_ms[familieplan-40]}" -v pb="${fp_pages[familieplan-40]}" \
  'BEGIN {r = (b / pb) / (a / pa); printf "cost per page at %d pages / at %d pages: %.2f (target <= 1.5)\n", pb, pa, r}'
echo "load average (1, 5, 15 min): at start $load_start, at end $(load)"
