#!/usr/bin/env bash
# Installs the Debian 12 packages borderpost builds, tests and runs with. Idempotent: a second run
# installs nothing and takes a second. Shared by ./run.sh and ./test.sh.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  # libraries
  doctest-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libspdlog-dev
  libopencv-dev libopencv-contrib-dev libtesseract-dev tesseract-ocr tesseract-ocr-eng
  # the traveller camera's face detector (Haar cascades in /usr/share/opencv4/haarcascades)
  opencv-data
  # the optical reader's OCR-B glyph network (dlib), with OpenBLAS's single-threaded BLAS under it
  # (libblas-dev: the CBLAS that dlib's matrix products are linked against)
  libdlib-dev libblas-dev libopenblas0-serial
  libusb-1.0-0-dev libsqlite3-dev sqlite3 libssl-dev libboost-dev zlib1g-dev libpqxx-dev libargon2-dev
  # ePassport chips: PC/SC (pcsc-lite and its daemon) and OpenPACE for PACE
  libpcsclite-dev pcscd libeac-dev
  # the central office's production store; tests and benchmarks start throw-away clusters
  postgresql
  # data: ISO 3166 country names (cross-checked by the MRZ tests); OCR-B and a text font for the
  # document generator and the OCR-B classifier's training data
  iso-codes fonts-ocr-b fonts-dejavu-core
  # the pages' end-to-end tests: headless Chromium driven through ChromeDriver (same version)
  chromium chromium-driver
  # ... and the text of the printed daily report (pdftotext)
  poppler-utils
  # benchmarks and comparison runs
  libbenchmark-dev nodejs npm libcairo2-dev
)
# The virtual chip reader driver, for the chip tests and benchmarks only: with it loaded pcscd
# listens on a TCP port, so production installations must never have it.
# umockdev replays fictitious USB devices (sysfs, /dev/bus/usb, usbdevfs ioctls) for the USB driver tests.
if [[ ${1:-} == --tests ]]; then packages+=(vsmartcard-vpcd umockdev libumockdev-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm may come from outside Debian on some images; accept working binaries.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
