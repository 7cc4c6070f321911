#!/usr/bin/env bash
# A longer libFuzzer run of the MRZ parser than the 60 s the test suite gives it.
#   bench/fuzz-mrz.sh [SECONDS]   (default 1800; uses both cores)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-1800}
./scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBORDERPOST_FUZZ=ON -DBORDERPOST_SANITIZE=ON -DBORDERPOST_TESTS=OFF -DBORDERPOST_BENCH=OFF >/dev/null
cmake --build build/fuzz --target fuzz_mrz_parse
corpus=build/fuzz/corpus/mrz_parse
mkdir -p "$corpus"
./build/fuzz/tests/fuzz/fuzz_mrz_parse -max_total_time="$seconds" -jobs="$(nproc)" -workers="$(nproc)" \
  -timeout=10 -artifact_prefix=build/fuzz/ -print_final_stats=1 "$corpus" tests/data/icao-specimens
