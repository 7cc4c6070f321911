#!/usr/bin/env bash
# Builds and runs the whole test suite: unit and end-to-end tests under AddressSanitizer and
# UndefinedBehaviorSanitizer (g++), plus a short libFuzzer run of each parser (clang). Ends with
# CTest's summary. Usage: ./test.sh [ctest arguments...]   (e.g. ./test.sh -R mrz)
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh --tests

export OMP_THREAD_LIMIT=1   # Tesseract: OpenMP is several times slower on 2 cores
jobs=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)  # nproc obeys the OpenMP limits
fuzz_seconds=${BORDERPOST_FUZZ_SECONDS:-60}

echo "== fuzz targets (clang, libFuzzer + ASan/UBSan)"
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBORDERPOST_FUZZ=ON -DBORDERPOST_SANITIZE=ON -DBORDERPOST_WERROR=ON -DBORDERPOST_TESTS=OFF \
  -DBORDERPOST_BENCH=OFF >/dev/null
cmake --build build/fuzz -j "$jobs" --target fuzz_all

echo "== unit and end-to-end tests (g++, ASan/UBSan, warnings as errors)"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBORDERPOST_SANITIZE=ON \
  -DBORDERPOST_WERROR=ON -DBORDERPOST_BENCH=ON -DBORDERPOST_FUZZ_BUILD_DIR="$PWD/build/fuzz" \
  -DBORDERPOST_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build/test -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/test --output-on-failure -j "$jobs" "$@"
