#!/usr/bin/env bash
# The station daemon against its targets: scan-to-verdict (in process and through the API), the
# durable movement write, the daily log on a store of millions of movements (built once into
# build/release/bench-data/ and reused), and the daemon's resident memory over many scans.
#   bench/station.sh [SCANS] [MOVEMENTS]      (defaults 10000 10000000; the full run takes ~25 min)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON >/dev/null
cmake --build build/release --target bench_station borderpost-station
./build/release/bench/bench_station --scans "${1:-10000}" --movements "${2:-10000000}"
