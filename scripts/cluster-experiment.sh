#!/usr/bin/env bash
# The PostgreSQL membership experiment: three silos and a gateway on loopback.
#   scripts/cluster-experiment.sh postgresql://postgres@127.0.0.1:56123/db
#   FRESH_DB=1 scripts/cluster-experiment.sh postgresql://postgres@127.0.0.1:56123/postgres
# Starts the three silos at the same instant (with FRESH_DB=1 on a database created for the run, so
# their migrators race on an empty schema), checks they are all Active in OrleansMembershipTable,
# sends a message to 50 users through the gateway, then SIGKILLs one silo under load and measures
# how long the others take to declare it Dead and how long the gateway answers errors, SIGTERMs a
# second one and checks it leaves through ShuttingDown, and counts error lines in every log.
# Prints the figures; stops every process it started (and drops the FRESH_DB database).
# Needs: a build of Silo and Gateway (CONFIGURATION, default Debug), dotnet, curl, psql.
# Ports: BASE_PORT (default 41000) up to BASE_PORT+10, all on 127.0.0.1.
set -euo pipefail

db_url=${1:?usage: $0 DB_URL (postgresql://user[:password]@host:port/database)}
repo=$(cd "$(dirname "$0")/.." && pwd)
configuration=${CONFIGURATION:-Debug}
base_port=${BASE_PORT:-41000}
silo_dll=$repo/Silo/bin/$configuration/net10.0/BotStateCluster.Silo.dll
gateway_dll=$repo/Gateway/bin/$configuration/net10.0/BotStateCluster.Gateway.dll
for dll in "$silo_dll" "$gateway_dll"; do
  [ -f "$dll" ] || { echo "error: $dll is missing; build Silo and Gateway (-c $configuration) first" >&2; exit 2; }
done

# A fresh cluster id per run keeps earlier runs' rows (Dead silos) out of the figures.
run_id=$(date +%s)
cluster_id=experiment-$run_id
work=$(mktemp -d /tmp/cluster-experiment.XXXXXX)
gateway_url=http://127.0.0.1:$((base_port + 10))
admin_url=""
declare -a silo_pids=() silo_urls=() silo_ports=() load_pids=()
gateway_pid=""

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
sql() { psql "$db_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
member_status() { sql "SELECT status FROM OrleansMembershipTable WHERE cluster_id = '$cluster_id' AND port = $1 ORDER BY generation DESC LIMIT 1"; }

stop() { # PID...: SIGTERM, then SIGKILL whatever is still running after 30 s
  local pid deadline=$((SECONDS + 30))
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}

cleanup() {
  trap - INT TERM EXIT
  local pid
  for pid in "${load_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  stop $gateway_pid "${silo_pids[@]}"
  wait 2>/dev/null || true
  if [ -n "$admin_url" ]; then
    psql "$admin_url" -X -q -c "DROP DATABASE IF EXISTS cluster_experiment_$run_id" || true
  fi
  echo "logs: $work"
}
trap cleanup INT TERM EXIT

if [ "${FRESH_DB:-0}" = 1 ]; then
  admin_url=$db_url
  psql "$admin_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE cluster_experiment_$run_id"
  db_url=${db_url%/*}/cluster_experiment_$run_id
fi

start_silo() {
  local i=$1
  silo_ports[i]=$((base_port + i * 3))
  silo_urls[i]=http://127.0.0.1:$((base_port + i * 3 + 2))
  DB_URL=$db_url CLUSTERING=adonet ORLEANS_CLUSTER_ID=$cluster_id ADVERTISED_IP=127.0.0.1 LOG_FORMAT=text \
    SILO_PORT=${silo_ports[i]} GATEWAY_PORT=$((base_port + i * 3 + 1)) ASPNETCORE_URLS=${silo_urls[i]} \
    dotnet "$silo_dll" >"$work/silo$i.log" 2>&1 &
  silo_pids[i]=$!
}

wait_ready() { # URL SECONDS: prints the time /readiness first answered 200
  local deadline=$((SECONDS + $2))
  until curl -fs -o /dev/null --max-time 2 "$1/readiness"; do
    ((SECONDS < deadline)) || { echo "error: $1/readiness not 200 within $2 s" >&2; return 1; }
    sleep 0.1
  done
  now
}

post_message() { # USER: prints "status seconds" (000 when the gateway did not answer)
  curl -s -o /dev/null --max-time 30 -w '%{http_code} %{time_total}\n' -X POST \
    -H 'Content-Type: application/json' -d '{"text":"hello"}' "$gateway_url/v1/states/$1/messages" || true
}

post_to_50_users() {
  local u ok=0
  for u in $(seq 1 50); do
    [ "$(post_message "user-$u" | cut -d' ' -f1)" = 200 ] && ok=$((ok + 1))
  done
  echo "$ok"
}

error_lines() { grep -Eci '^[0-9:.]+ (fail|crit):' "$1" || true; }

echo "== database: $(sql "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 'empty' ELSE 'already migrated' END")"
echo "== 3 silos started together (cluster $cluster_id)"
t0=$(now)
for i in 0 1 2; do start_silo "$i"; done
for i in 0 1 2; do
  echo "silo$i ready $(elapsed "$t0" "$(wait_ready "${silo_urls[i]}" 120)") s after start"
done
echo "migrations: $(sql "SELECT string_agg(name, ', ' ORDER BY version) FROM schema_migrations")"
for i in 0 1 2; do
  echo "silo$i: $(grep -o 'is current ([0-9]* migrations applied now)' "$work/silo$i.log"), $(error_lines "$work/silo$i.log") fail/crit lines"
done
sql "SELECT address || ':' || port || ' generation ' || generation || ' status ' || status FROM OrleansMembershipTable WHERE cluster_id = '$cluster_id' ORDER BY port"
echo "active: $(sql "SELECT count(*) FROM OrleansMembershipTable WHERE cluster_id = '$cluster_id' AND status = 3") of 3"

echo "== gateway"
t_gateway=$(now)
DB_URL=$db_url CLUSTERING=adonet ORLEANS_CLUSTER_ID=$cluster_id LOG_FORMAT=text ASPNETCORE_URLS=$gateway_url \
  dotnet "$gateway_dll" >"$work/gateway.log" 2>&1 &
gateway_pid=$!
echo "gateway ready $(elapsed "$t_gateway" "$(wait_ready "$gateway_url" 120)") s after start"
echo "POST to 50 users: $(post_to_50_users) x 200"

# Load across the failures: 4 workers cycling over the 50 users, one line per request.
load() {
  local worker=$1 n=0 start result
  while :; do
    start=$(now)
    result=$(post_message "user-$(((n * 4 + worker) % 50 + 1))")
    echo "$start $result" >>"$work/load$worker.txt"
    n=$((n + 1))
  done
}
for w in 0 1 2 3; do load "$w" & load_pids+=($!); done
sleep 3

echo "== SIGKILL silo0 (port ${silo_ports[0]})"
t_kill=$(now)
kill -KILL "${silo_pids[0]}"
wait "${silo_pids[0]}" 2>/dev/null || true
until [ "$(member_status "${silo_ports[0]}")" = 6 ]; do
  (($(elapsed "$t_kill" "$(now)" | cut -d. -f1) < 120)) || { echo "error: silo0 not declared dead within 120 s" >&2; exit 1; }
  sleep 0.1
done
t_dead=$(now)
echo "declared Dead (status 6) $(elapsed "$t_kill" "$t_dead") s after SIGKILL"
sleep 15

echo "== SIGTERM silo1 (port ${silo_ports[1]})"
t_term=$(now)
kill -TERM "${silo_pids[1]}"
statuses=3
while :; do
  status=$(member_status "${silo_ports[1]}")
  [ "$status" = "${statuses##* }" ] || statuses="$statuses -> $status"
  [ "$status" = 6 ] && ! kill -0 "${silo_pids[1]}" 2>/dev/null && break
  (($(elapsed "$t_term" "$(now)" | cut -d. -f1) < 60)) || { echo "error: silo1 did not leave within 60 s" >&2; break; }
  sleep 0.05
done
wait "${silo_pids[1]}" && code=0 || code=$?
echo "statuses: $statuses; exit code $code, $(elapsed "$t_term" "$(now)") s after SIGTERM"
sleep 5

for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait "${load_pids[@]}" 2>/dev/null || true
load_pids=()

echo "== gateway under load (4 workers) across the failures"
sort -n "$work"/load*.txt >"$work/load.txt"
awk -v kill="$t_kill" -v term="$t_term" '
  $1 + $3 >= kill {
    total++
    if ($2 != 200) { bad++; codes[$2]++; if (!first || $1 < first) first = $1; if ($1 + $3 > last) last = $1 + $3; if ($3 > slowbad) slowbad = $3 }
    if ($1 < term && $3 > slow) slow = $3
    if ($1 >= term && $3 > slowterm) slowterm = $3
  }
  END {
    printf "requests ending after SIGKILL: %d, non-200: %d", total, bad; for (c in codes) printf " [%s x%d]", c, codes[c]; print ""
    if (bad) printf "errors answered between %.2f s and %.2f s after SIGKILL (slowest error took %.2f s)\n", first - kill, last - kill, slowbad
    printf "slowest request around SIGKILL: %.2f s; after SIGTERM: %.2f s\n", slow, slowterm
  }' "$work/load.txt"
echo "POST to 50 users with one silo left: $(post_to_50_users) x 200"

echo "== fail/crit lines in logs"
for log in "$work"/silo*.log "$work"/gateway.log; do
  echo "$(basename "$log"): $(error_lines "$log")"
done
