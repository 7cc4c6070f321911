#!/usr/bin/env bash
# Builds borderpost (Release) and runs the main job on the embedded default. Until the station
# daemon exists, the main job is what is built so far:
#   1. the ICAO Doc 9303 specimens through the MRZ engine (`borderpost mrz parse`),
#   2. two generated document pages through the optical reader (`borderpost mrz read`),
#   3. a post syncing movement records to a local central office over mutual TLS: a directorate
#      CA, a central office on 127.0.0.1, a post recording movements and pushing them, then the
#      status on both sides and an audit of the stored chain.
# State lives in build/run/ (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
export OMP_THREAD_LIMIT=1

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(env -u OMP_THREAD_LIMIT nproc)" --target borderpost borderpost-central
bp=./build/release/station/borderpost
central_bin=./build/release/sync/borderpost-central

status=0
for specimen in tests/data/icao-specimens/*.mrz; do
  echo "== mrz parse $(basename "$specimen")"
  $bp mrz parse < "$specimen" || status=$?
  echo
done

echo "== mrz read (optical) of two generated pages"
$bp mrz read tests/data/mrz-pages/000-TD3-clean-printed-rot0.jpg tests/data/mrz-pages/001-TD1-clean-printed-rot90.jpg ||
  status=$?
echo

echo "== sync: a post and a local central office"
run=build/run
mkdir -p "$run"
[[ -f $run/pki/ca/ca.key ]] || $bp pki init --ca "$run/pki/ca"
[[ -f $run/pki/central/server.crt ]] || $bp pki server --ca "$run/pki/ca" --out "$run/pki/central" --name localhost --name 127.0.0.1
[[ -f $run/pki/post/station.crt ]] || $bp pki station --ca "$run/pki/ca" --out "$run/pki/post" --id PE-TUMBES-01
cat > "$run/central.toml" <<'TOML'
[listen]
address = "127.0.0.1"
port = 0
[tls]
certificate = "pki/central/server.crt"
key = "pki/central/server.key"
ca = "pki/central/ca.crt"
crl = "pki/ca/crl.pem"
[store]
sqlite_path = "central.db"
TOML
$central_bin --config "$run/central.toml" > "$run/central.out" 2> "$run/central.log" &
central_pid=$!
trap 'kill $central_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on port" "$run/central.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on port //p' "$run/central.out")
echo "central office listening on 127.0.0.1:$port (log: $run/central.log)"

post=(--db "$run/post.db" --station PE-TUMBES-01 --credentials "$run/pki/post")
$bp sync produce "${post[@]}" --count 25 --seed "$RANDOM"
$bp sync push "${post[@]}" --central "127.0.0.1:$port" || status=$?
$bp sync status "${post[@]}"
$bp central status --config "$run/central.toml"
$bp central verify --config "$run/central.toml" || status=$?
kill "$central_pid"
wait "$central_pid" || true
trap - EXIT
exit $status
