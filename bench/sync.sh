#!/usr/bin/env bash
# Sync throughput on loopback (client and central office in one process, same cores): ingest from
# many posts in parallel, and one post catching up a large backlog. Real signatures, TLS 1.3 with
# client certificates; SQLite stores with synchronous=FULL, then a throw-away PostgreSQL cluster
# with its default durability (fsync on, synchronous_commit on).
#   bench/sync.sh [POSTS] [RECORDS_PER_POST] [BACKLOG]      (defaults 100 2000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON >/dev/null
cmake --build build/release --target bench_sync
args=(--stations "${1:-100}" --records "${2:-2000}" --backlog "${3:-1000000}")
pg_dir=$(mktemp -d /tmp/borderpost-bench-pg.XXXXXX)
trap './scripts/pg-throwaway.sh stop "$pg_dir"' EXIT
echo "| run | stored | rate | result |"
echo "|---|---|---:|---|"
./build/release/bench/bench_sync "${args[@]}" 2>/dev/null | grep '^|'
uri=$(./scripts/pg-throwaway.sh start "$pg_dir")
./build/release/bench/bench_sync "${args[@]}" --postgresql "$uri" 2>/dev/null | grep '^|'
