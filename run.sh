#!/usr/bin/env bash
# Builds borderpost (Release) and runs the main job. Until the station daemon exists, the main job
# reads the ICAO Doc 9303 specimen documents with `borderpost mrz parse`.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target borderpost

status=0
for specimen in tests/data/icao-specimens/*.mrz; do
  echo "== $(basename "$specimen")"
  ./build/release/station/borderpost mrz parse < "$specimen" || status=$?
  echo
done
exit $status
