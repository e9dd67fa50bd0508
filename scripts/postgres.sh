#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite, on a free loopback port, owned by this repository.
#
#   scripts/postgres.sh start DIR      start (or reuse) a cluster in DIR; prints export lines for
#                                      PG_TEST_URL and PG_TEST_ADMIN_URL on stdout
#   scripts/postgres.sh stop DIR       stop it and remove DIR
#   scripts/postgres.sh reachable URL  exit 0 when a PostgreSQL answers at URL
#   scripts/postgres.sh halt DIR       stop the server of DIR, keeping its data (fault tests)
#   scripts/postgres.sh resume DIR     start it again on the same port
#   scripts/postgres.sh pid DIR        print the postmaster's process id
#
# PG_SERVER_OPTIONS (e.g. "-c fsync=on -c shared_preload_libraries=pg_stat_statements") is appended to
# the server's options at start and overrides the test defaults below (scripts/benchmark.sh uses it).
#
# Installs Debian's postgresql package when the server is missing and this runs as root. Never uses
# the distribution's own cluster service. Logs go to stderr; only export lines go to stdout.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

server_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

ensure_server() {
  local bin
  bin=$(server_bin || true)
  if [ -z "$bin" ]; then
    [ "$(id -u)" = 0 ] || die "no PostgreSQL server found under /usr/lib/postgresql and not root to install it (apt-get install postgresql), or set PG_TEST_URL"
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || true
    apt-get install -y -q --no-install-recommends postgresql >&2
    bin=$(server_bin) || die "postgresql installed but no server binaries found"
  fi
  echo "$bin"
}

# as_owner CMD...: PostgreSQL refuses to run as root, so root runs it as the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port=55432
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

print_env() {
  local port=$1
  echo "export PG_TEST_URL=postgresql://botstate:botstate@127.0.0.1:$port/botstate_test"
  echo "export PG_TEST_ADMIN_URL=postgresql://postgres@127.0.0.1:$port/postgres"
}

# The data directory must be writable by the postgres user; a repository under /root is not reachable,
# so the data lives under /tmp, named after DIR, and DIR only records where.
data_dir_for() {
  echo "/tmp/botstate-pg-$(echo -n "$(realpath -m "$1")" | md5sum | cut -c1-12)"
}

# launch BIN DATA PORT: starts the server of DATA and waits until it accepts connections.
launch() {
  try_launch "$@" || { cat "$2/postgres.log" >&2; die "the server did not start"; }
}

# try_launch BIN DATA PORT: launch, but fails instead of exiting.
try_launch() {
  local bin=$1 data=$2 port=$3
  # Durability settings are off: this cluster lives for one test run.
  as_owner "$bin/pg_ctl" -D "$data/data" -w -t 60 -l "$data/postgres.log" start -o \
    "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_SERVER_OPTIONS:-}" >&2
}

halt() {
  local dir=$1 bin
  bin=$(server_bin) || die "no PostgreSQL server found"
  as_owner "$bin/pg_ctl" -D "$(data_dir_for "$dir")/data" -m fast -w stop >&2
}

resume() {
  local dir=$1 bin
  bin=$(server_bin) || die "no PostgreSQL server found"
  launch "$bin" "$(data_dir_for "$dir")" "$(cat "$dir/port")"
}

postmaster_pid() {
  head -n 1 "$(data_dir_for "$1")/data/postmaster.pid"
}

start() {
  local dir=$1 bin data port
  bin=$(ensure_server)
  mkdir -p "$dir"
  data=$(data_dir_for "$dir")
  if [ -f "$dir/port" ] && as_owner "$bin/pg_ctl" -D "$data/data" status >/dev/null 2>&1; then
    log "reusing the cluster in $data on port $(cat "$dir/port")"
    print_env "$(cat "$dir/port")"
    return
  fi

  rm -rf "$data"
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || as_owner true; chown postgres "$data"; }
  local locale=C.UTF-8
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale=C
  as_owner "$bin/initdb" -D "$data/data" --auth=trust --username=postgres -E UTF8 --locale="$locale" >"$data/initdb.log" 2>&1 \
    || { cat "$data/initdb.log" >&2; die "initdb failed"; }
  # A port found free can be taken by another test's server before this one binds it (tests run side by side on
  # shared machines): then the next free one is tried.
  local attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    try_launch "$bin" "$data" "$port" && break
    grep -q "Address already in use" "$data/postgres.log" && ((attempt < 5)) || { cat "$data/postgres.log" >&2; die "the server did not start"; }
    log "port $port was taken meanwhile; trying another"
    : >"$data/postgres.log"
  done
  as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE botstate LOGIN PASSWORD 'botstate' CREATEDB" \
    -c "CREATE DATABASE botstate_test OWNER botstate" >&2
  echo "$port" >"$dir/port"
  echo "$data" >"$dir/data"
  log "started PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $data on 127.0.0.1:$port"
  print_env "$port"
}

stop() {
  local dir=$1 bin data
  data=$(data_dir_for "$dir")
  bin=$(server_bin || true)
  if [ -n "$bin" ] && [ -d "$data/data" ]; then
    as_owner "$bin/pg_ctl" -D "$data/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$data" "$dir"
}

reachable() {
  local url=$1
  if command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=3 psql "$url" -Atqc 'SELECT 1' >/dev/null 2>&1
  else
    local hostport=${url#*@}
    hostport=${hostport%%/*}
    (echo >"/dev/tcp/${hostport%%:*}/${hostport##*:}") 2>/dev/null
  fi
}

case "${1:-}" in
  start) start "${2:?usage: postgres.sh start DIR}" ;;
  stop) stop "${2:?usage: postgres.sh stop DIR}" ;;
  reachable) reachable "${2:?usage: postgres.sh reachable URL}" ;;
  halt) halt "${2:?usage: postgres.sh halt DIR}" ;;
  resume) resume "${2:?usage: postgres.sh resume DIR}" ;;
  pid) postmaster_pid "${2:?usage: postgres.sh pid DIR}" ;;
  *) die "usage: postgres.sh start DIR | stop DIR | reachable URL | halt DIR | resume DIR | pid DIR" ;;
esac
