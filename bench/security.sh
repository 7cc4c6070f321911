#!/usr/bin/env bash
# Detection of forged documents by the optical security checks, and false alarms on genuine ones:
# generates genuine documents (TD3, TD2, MRV-A, MRV-B, TD1) and the four forgery kinds (colour
# photocopy, substituted MRZ strip, altered visual zone, removed photo) under white, IR and UV
# light, and runs the MRZ reader, the page examiner and the security.* checks on each.
#   bench/security.sh [GENUINE] [FORGED_PER_KIND]     (default 200 and 50: about 3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_THREAD_LIMIT=1  # Tesseract: one thread
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBORDERPOST_BENCH=ON >/dev/null
cmake --build build/release --target bench_security_detection
./build/release/bench/bench_security_detection --genuine "${1:-200}" --forged-per-kind "${2:-50}" \
  --threads "$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)"
