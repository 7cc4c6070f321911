#!/usr/bin/env bash
# Optical reader accuracy and speed on generated pages it was not trained on, with stock Tesseract
# timed on the same pages, and the real-document development set.
#   bench/mrz-read.sh [PAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-400}
./scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON >/dev/null
cmake --build build/release --target bench_mrz_read borderpost
taskset -c 0 ./build/release/bench/bench_mrz_read --pages "$pages" --tesseract

data=../shared/data/passporteye-testdata
if [[ -d $data ]]; then
  echo
  echo "Real documents ($data): status per image"
  valid=0; review=0; total=0
  for image in "$data"/*.jpg "$data"/*.png; do
    total=$((total + 1))
    status=$( (./build/release/station/borderpost mrz read --json "$image" 2>/dev/null || true) |
      sed -E 's/.*"status":"([a-z_]+)".*/\1/')
    [[ $status == valid ]] && valid=$((valid + 1))
    [[ $status == needs_review ]] && review=$((review + 1))
    printf '  %-28s %s\n' "$(basename "$image")" "$status"
  done
  echo "every check passes: $((valid + review)) of $total images ($valid valid, $review needing review)"
fi
