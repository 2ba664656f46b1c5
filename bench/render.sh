#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# PDF rendering benchmark: a realistic 6-page and 60-page familieplan rendered by Familieplan
# (in-process, median of many runs) and the same text as HTML by LibreOffice and Chromium
# (each warmed up once, then the median of several runs). Prints the ratios.
#   bench/render.sh [ITERATIONS] [EXTERNAL_RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50}
runs=${2:-5}

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
cmake --build --preset release -j2 --target bench_render >/dev/null
bench=build/release/bench/bench_render

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --write "$work" >/dev/null

now_ns() { date +%s%N; }
# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

# Familieplan, in-process.
declare -A fp_ms fp_pages
while read -r name p ms _ _ _; do
  fp_pages[$name]=${p#pages=}
  fp_ms[$name]=${ms#median_ms=}
done < <("$bench" --iterations "$iterations")

lo_profile="file://$work/lo-profile"
soffice_run() { soffice -env:UserInstallation="$lo_profile" --headless --convert-to pdf --outdir "$work/lo" "$1" >/dev/null 2>&1; }
chromium_run() {
  local profile
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
  rm -rf "$profile"
}

declare -A lo_ms lo_pages chr_ms chr_pages
mkdir -p "$work/lo" "$work/chr"
soffice_run "$work/familieplan-6.html"                          # warm: profile made, caches filled
chromium_run "$work/familieplan-6.html" "$work/chr/warm.pdf"
for name in familieplan-6 familieplan-60; do
  times=()
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ns); soffice_run "$work/$name.html"; t1=$(now_ns)
    times+=($(((t1 - t0) / 1000)))
  done
  lo_ms[$name]=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
  lo_pages[$name]=$(pages "$work/lo/$name.pdf")
  times=()
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ns); chromium_run "$work/$name.html" "$work/chr/$name.pdf"; t1=$(now_ns)
    times+=($(((t1 - t0) / 1000)))
  done
  chr_ms[$name]=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
  chr_pages[$name]=$(pages "$work/chr/$name.pdf")
done

echo
printf '%-16s %22s %22s %22s\n' "" "Familieplan" "LibreOffice" "Chromium"
for name in familieplan-6 familieplan-60; do
  printf '%-16s %14s ms %3s p %14s ms %3s p %14s ms %3s p\n' "$name" "${fp_ms[$name]}" "${fp_pages[$name]}" \
    "${lo_ms[$name]}" "${lo_pages[$name]}" "${chr_ms[$name]}" "${chr_pages[$name]}"
done
echo
for name in familieplan-6 familieplan-60; do
  awk -v n="$name" -v f="${fp_ms[$name]}" -v l="${lo_ms[$name]}" -v c="${chr_ms[$name]}" \
    'BEGIN {printf "%s: %.0fx faster than LibreOffice (target >= 50x), %.0fx faster than Chromium (target >= 10x)\n", n, l / f, c / f}'
done
awk -v a="${fp_ms[familieplan-6]}" -v pa="${fp_pages[familieplan-6]}" -v b="${fp_ms[familieplan-60]}" -v pb="${fp_pages[familieplan-60]}" \
  'BEGIN {r = (b / pb) / (a / pa); printf "cost per page at %d pages / at %d pages: %.2f (target <= 1.5)\n", pb, pa, r}'
