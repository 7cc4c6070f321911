#!/usr/bin/env bash
# Reading an ePassport chip against the issue's target (≤ 1.5 s): read_chip timed step by step
# (access, EF.COM, DG1, DG2 of ~20 KB, EF.SOD, passive and Active Authentication) on virtual
# chips (PACE and BAC, extended and short APDUs), through a private pcscd with vsmartcard-vpcd and
# in process, so the PC/SC transport's share shows.
#   bench/chip.sh [REPEAT]      (default 10 reads per configuration; about a minute)
# It starts its own pcscd, and a machine can run only one: stop any other pcscd first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --tests   # vsmartcard-vpcd, the virtual reader driver
if pids=$(pgrep -x pcscd); then
  echo "bench/chip.sh: pcscd is already running (pid $(echo $pids)). The benchmark needs its own, with the vpcd" >&2
  echo "test reader, and only one can run at a time: stop it (systemctl stop pcscd.socket pcscd, or wait for the" >&2
  echo "chip tests to finish) and run again. 'bench_chip_read --mode direct' needs no pcscd." >&2
  exit 1
fi
export OMP_THREAD_LIMIT=1
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON -DBORDERPOST_TESTS=ON >/dev/null
cmake --build build/release --target bench_chip_read
./build/release/bench/bench_chip_read --repeat "${1:-10}"
