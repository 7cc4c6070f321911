#!/usr/bin/env bash
# Refreshes the README's screenshots (docs/*.png): runs the browser tests of the pages in the
# release build (headless Chromium through ChromeDriver) and copies what they wrote into docs/.
# Usage: scripts/screenshots.sh   (after ./test.sh or ./run.sh has installed the packages)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_THREAD_LIMIT=1
jobs=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$jobs" --target test_pages_e2e
rm -rf build/release/screenshots
./build/release/tests/e2e/test_pages_e2e --test-case-exclude="*locks*"
for shot in build/release/screenshots/*.png; do
  cp "$shot" docs/
  echo "docs/$(basename "$shot")"
done
