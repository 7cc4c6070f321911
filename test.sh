#!/usr/bin/env bash
# Builds and runs the whole test suite: unit and end-to-end tests under AddressSanitizer and
# UndefinedBehaviorSanitizer, plus a short libFuzzer run of each parser, all from one clang build.
# Ends with CTest's summary. Usage: ./test.sh [ctest arguments...]   (e.g. ./test.sh -R mrz)
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh --tests

export OMP_THREAD_LIMIT=1   # Tesseract: OpenMP is several times slower on 2 cores
jobs=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)  # nproc obeys the OpenMP limits
fuzz_seconds=${BORDERPOST_FUZZ_SECONDS:-30}  # each fuzz target, on top of its committed seeds

# One clang build holds everything: the unit and end-to-end tests and the benchmarks under
# ASan+UBSan with warnings as errors, and the libFuzzer targets. clang, not g++: g++ 12 needs
# minutes per Boost.Beast file under the sanitizers where clang needs seconds.
# A build folder left by an older test.sh (g++) keeps its compiler in the cache: start it afresh.
if [[ -f build/test/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' build/test/CMakeCache.txt; then
  rm -rf build/test
fi
echo "== build (clang, ASan/UBSan, warnings as errors, libFuzzer targets)"
CC=clang CXX=clang++ cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
  -DBORDERPOST_SANITIZE=ON -DBORDERPOST_FUZZ=ON -DBORDERPOST_WERROR=ON -DBORDERPOST_BENCH=ON \
  -DBORDERPOST_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build/test -j "$jobs"

echo "== tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/test --output-on-failure -j "$jobs" "$@"
