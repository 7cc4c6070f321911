#!/usr/bin/env bash
# Makes mrz/optical/model/ocrb.dnn again: the OCR-B glyph network and prototypes the optical reader
# loads. About 50 minutes on one core of the project's 2-core machines. Deterministic data: the
# synthetic pages come from fixed seeds and the real glyphs from the train split of
# ../shared/data/real-mrz (its eval split is never opened).
#   mrz/optical/tools/train.sh [extra train_ocrb flags]
set -euo pipefail
cd "$(dirname "$0")/../../.."
./scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release --target train_ocrb
./build/release/mrz/train_ocrb --out mrz/optical/model/ocrb.dnn --real ../shared/data/real-mrz \
  --pages 2000 --epochs 8 --real-epochs 4 "$@"
