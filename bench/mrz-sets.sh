#!/usr/bin/env bash
# The optical reader measured where it cannot have been tuned, one line per set: the project's own
# synthetic pages, pages of the independent second renderer (bench/second_renderer, never used for
# training: clean-to-moderate and severe apart), and the real images of ../shared/data (real-mrz's
# train and eval splits apart, PassportEye's documents and its images without an MRZ).
#   bench/mrz-sets.sh [PAGES]     (PAGES per generated set, default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-300}
data=../shared/data
./scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON >/dev/null
cmake --build build/release --target bench_mrz_sets cairo_mrz_pages make_mrz_pages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Fresh pages with seeds no training or test set uses.
./build/release/mrz/make_mrz_pages "$work/synth" --pages "$pages" --seed 9303 >/dev/null
./build/release/bench/cairo_mrz_pages --out "$work/cairo" --pages "$pages" --seed 9001 --severity mixed \
  --mix 1,1,0 --crop document --quiet
./build/release/bench/cairo_mrz_pages --out "$work/cairo-severe" --pages "$((pages / 2))" --seed 9002 \
  --severity severe --crop document --quiet
sets=(--folder "own renderer (mrz_synth)=$work/synth"
      --folder "second renderer, clean+moderate=$work/cairo"
      --folder "second renderer, severe=$work/cairo-severe")
[[ -d $data/real-mrz ]] && sets+=(--real-mrz "$data/real-mrz")
[[ -d $data/passporteye-testdata ]] && sets+=(--passporteye "$data/passporteye-testdata")
echo "optical reader on sets it was not trained on ($(date +%F), one core):"
taskset -c 0 ./build/release/bench/bench_mrz_sets "${sets[@]}" "$@"
