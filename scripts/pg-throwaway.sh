#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks: initdb into DIR, a server that listens
# only on a Unix socket inside DIR (so trust authentication reaches nobody else), run as a non-root
# user (postgres when started by root), fsync and synchronous commit left at their safe defaults.
#   scripts/pg-throwaway.sh start DIR   prints the connection URI on stdout
#   scripts/pg-throwaway.sh stop DIR    stops the server and deletes DIR
set -euo pipefail
if [[ $# -ne 2 || ($1 != start && $1 != stop) ]]; then
  echo "usage: pg-throwaway.sh start|stop DIR" >&2
  exit 2
fi
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $bin || ! -x $bin/initdb ]]; then
  echo "pg-throwaway: the PostgreSQL server is not installed (Debian package postgresql; ./scripts/install-deps.sh)" >&2
  exit 1
fi
# PostgreSQL refuses to run as root.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

stop_server() {
  if [[ -f $dir/data/postmaster.pid ]]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
}

stop_server  # a server left over from an interrupted run
rm -rf "$dir"
[[ $action == stop ]] && exit 0

mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
chmod 700 "$dir"
if ! "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U borderpost --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
  echo "pg-throwaway: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
if ! "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300" start >/dev/null; then
  echo "pg-throwaway: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi
echo "postgresql://borderpost@/postgres?host=$dir"
