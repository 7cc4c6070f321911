#!/usr/bin/env bash
# Parse+validate throughput, one core: borderpost's MRZ engine against the npm `mrz` package on the
# same generated corpus, in the same run. Prints both figures and their ratio.
#   bench/mrz-throughput.sh [DOCUMENTS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
documents=${1:-20000}
seconds=${2:-5}
./scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON >/dev/null
cmake --build build/release --target bench_mrz_parse

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$work/corpus.txt
./build/release/bench/bench_mrz_parse --generate "$documents" "$corpus"

echo "installing the npm mrz package into $work (comparison only)"
cp bench/npm-mrz/bench.mjs "$work/"
(cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --silent mrz@5 >/dev/null)

# One core each, one after the other.
ours=$(taskset -c 0 ./build/release/bench/bench_mrz_parse --corpus "$corpus" --seconds "$seconds")
theirs=$(cd "$work" && taskset -c 0 node bench.mjs "$corpus" "$seconds")
ours_rate=$(sed -E 's/.*"documents_per_second":([0-9]+).*/\1/' <<<"$ours")
theirs_rate=$(sed -E 's/.*"documents_per_second":([0-9]+).*/\1/' <<<"$theirs")
npm_version=$(cd "$work" && node -e "console.log(JSON.parse(require('fs').readFileSync('node_modules/mrz/package.json')).version)")

printf '\nMRZ parse+validate, %s documents (TD3, TD1, TD2, MRV-A, MRV-B), one core\n' "$documents"
printf '| engine | documents/s |\n|---|---:|\n'
printf '| borderpost mrz::parse | %s |\n' "$ours_rate"
printf '| npm mrz %s (node %s) | %s |\n' "$npm_version" "$(node --version)" "$theirs_rate"
awk -v a="$ours_rate" -v b="$theirs_rate" 'BEGIN { printf "ratio: %.1fx\n", a / b }'
