#!/usr/bin/env bash
# Builds borderpost (Release) and runs the embedded default: a border post with the simulated
# full-page reader, syncing to a local central office over mutual TLS, and a demo traveller queue
# that places every sample document (config/samples/) and decides as a cautious inspector would
# (admit when every check passes, refer to the second line otherwise).
#   ./run.sh            the demo queue, then a summary on both sides; the post stops afterwards
#   ./run.sh --no-demo  the post only, waiting for an inspector (local API on 127.0.0.1:8780)
# Ctrl-C stops everything cleanly. State lives in build/run/ (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")"
demo=1
for arg in "$@"; do
  case $arg in
    --no-demo) demo=0 ;;
    *) echo "usage: ./run.sh [--no-demo]" >&2; exit 2 ;;
  esac
done
./scripts/install-deps.sh
export OMP_THREAD_LIMIT=1  # Tesseract: one thread

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)" --target borderpost borderpost-central borderpost-station
bp=./build/release/station/borderpost
run=build/run
mkdir -p "$run"

echo "== the directorate's PKI: CA, central office certificate, post PE-TUMBES-01 (in $run/pki)"
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

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo; echo "stopping (Ctrl-C)"; exit 130' INT TERM

wait_for_port() {  # FILE: waits for "listening on port N" and prints N
  for _ in $(seq 300); do
    if grep -q "^listening on port" "$1" 2>/dev/null; then sed -n 's/^listening on port //p' "$1"; return 0; fi
    sleep 0.1
  done
  echo "run.sh: no 'listening on port' in $1" >&2; return 1
}

./build/release/sync/borderpost-central --config "$run/central.toml" > "$run/central.out" 2> "$run/central.log" &
pids+=($!)
central_port=$(wait_for_port "$run/central.out")
echo "== central office on 127.0.0.1:$central_port (log $run/central.log, store $run/central.db)"

# The directorate's watch-list: a stolen passport and a person alert (samples 09 and 10 match them).
if ! $bp central watchlist list --config "$run/central.toml" 2>/dev/null | grep -q FX482913; then
  $bp central watchlist add --config "$run/central.toml" --document FX482913 --issuer BRA --reason "stolen (Interpol SLTD)"
  $bp central watchlist add --config "$run/central.toml" --surname "MULLER SCHULTZ" --given-names "KARIN ANDREA" \
    --birth-date 1983-08-19 --nationality CHL --reason "arrest warrant: refer to the second line"
fi

# The post: config/station.toml with this run's data directory, credentials and central office.
sed -e "s|^data_dir = .*|data_dir = \"station-data\"|" \
    -e "s|^page_reader = .*|page_reader = \"$PWD/hw-profiles/simulated-page-reader.toml\"|" \
    -e "s|^samples = .*|samples = \"$PWD/config/samples\"|" \
    -e "s|^web_dir = .*|web_dir = \"$PWD/station/web\"|" \
    -e "s|^enabled = false .*|enabled = true|" \
    -e "s|^central = .*|central = \"127.0.0.1:$central_port\"|" \
    -e "s|^credentials = .*|credentials = \"pki/post\"|" \
    -e "s|^interval_s = .*|interval_s = 5|" \
    config/station.toml > "$run/station.toml"
# The demo inspector's account (its password is this run's own, kept beside the run's data).
if [[ ! -s "$run/demo-inspector.password" ]]; then
  (umask 077; head -c 12 /dev/urandom | od -An -tx1 | tr -d " \n" > "$run/demo-inspector.password"; echo >> "$run/demo-inspector.password")
  $bp users add --config "$run/station.toml" --id demo-inspector --name "Demo Inspector" --role inspector \
    < "$run/demo-inspector.password" > /dev/null 2>&1 ||
    $bp users passwd --config "$run/station.toml" demo-inspector < "$run/demo-inspector.password" > /dev/null
fi
./build/release/station/borderpost-station --config "$run/station.toml" > "$run/station.out" 2> "$run/station.log" &
pids+=($!)
station_port=$(wait_for_port "$run/station.out")
echo "== border post PE-TUMBES-01"
sed -e '/^listening on port/d' -e 's/^/   /' "$run/station.out"
echo "   log $run/station.log; movements: $bp movements list --config $run/station.toml --date $(date +%F)"

if ((demo == 0)); then
  echo
  echo "The post is waiting for an inspector: account demo-inspector, password in $run/demo-inspector.password. Try:"
  echo "  open http://127.0.0.1:$station_port/ in a browser and log in as demo-inspector"
  echo "  curl -s -XPOST 127.0.0.1:$station_port/api/simulator/place -H 'Content-Type: application/json' -d '{\"sample\":\"01-passport-peru\"}'   # a document on the glass"
  echo "Ctrl-C stops the post and the central office."
  wait "${pids[1]}"
  exit 0
fi

echo
echo "== demo traveller queue"
$bp demo --api "127.0.0.1:$station_port" --inspector demo-inspector < "$run/demo-inspector.password"

echo
echo "== after the queue: the record chain on the post, and what reached the central office"
for _ in $(seq 100); do
  [[ $($bp sync status --db "$run/station-data/station.db" --station PE-TUMBES-01 --credentials "$run/pki/post" 2>/dev/null | grep -c "pending: 0") -ge 1 ]] && break
  sleep 0.1
done
$bp db check --config "$run/station.toml"
$bp central status --config "$run/central.toml"
$bp central verify --config "$run/central.toml"
