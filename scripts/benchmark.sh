#!/usr/bin/env bash
# Throughput of the gateway on this machine, as ratios against a baseline measured in the same run
# (GET /health: HTTP only, no grain, no database), because shared machines are noisy.
#   scripts/benchmark.sh                      # embedded default (SQLite file in a temp dir)
#   DB_URL=postgresql://… scripts/benchmark.sh
# Needs wrk (apt-get install wrk). Everything runs on 127.0.0.1 and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
users=${USERS:-1000}
work=$(mktemp -d -t botstate-bench-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build Silo/Silo.csproj -c Release -v quiet -nologo
dotnet build Gateway/Gateway.csproj -c Release -v quiet -nologo
export DB_URL=${DB_URL:-sqlite:///$work/bench.db} LOG_LEVEL=Warning LOG_FORMAT=text
export SILO_PORT=$(free_port) GATEWAY_PORT=$(free_port) ORLEANS_CLUSTER_ID=bench-$$
silo_url=http://127.0.0.1:$(free_port)
gateway_url=http://127.0.0.1:$(free_port)
launch silo Silo/bin/Release/net10.0/BotStateCluster.Silo.dll "$silo_url" "$work/silo.log"; pids+=("$LAUNCHED_PID")
wait_ready "$silo_url/health/ready" 90 "the silo" "$work/silo.log"
launch gateway Gateway/bin/Release/net10.0/BotStateCluster.Gateway.dll "$gateway_url" "$work/gateway.log"; pids+=("$LAUNCHED_PID")
wait_ready "$gateway_url/readiness" 90 "the gateway" "$work/gateway.log"

echo "seeding $users conversations..."
for ((i = 0; i < users; i++)); do
  curl -fsS -o /dev/null -X POST "$gateway_url/v1/states/bench-$i/messages" -H 'Content-Type: application/json' -d '{"text":"seed"}'
done

cat >"$work/read.lua" <<LUA
request = function()
  return wrk.format("GET", "/v1/states/bench-" .. math.random(0, $users - 1))
end
LUA
cat >"$work/turn.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local n = math.random(0, $users - 1)
  return wrk.format("POST", "/v1/states/bench-" .. n .. "/messages", nil, '{"text":"hello","context":{"n":' .. n .. '}}')
end
LUA

run() { # NAME ARGS… : prints requests/s and the 99th percentile latency
  local name=$1; shift
  local out
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$@")
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$name $rps $p99 ${errors:-0}"
}

results=$(
  run baseline_health "$gateway_url/health"
  run read_state -s "$work/read.lua" "$gateway_url"
  run turn_post -s "$work/turn.lua" "$gateway_url"
)
baseline=$(awk '$1 == "baseline_health" {print $2}' <<<"$results")
echo
echo "DB_URL=${DB_URL%%://*}://…  connections=$connections duration=$duration users=$users  ($(nproc) cores)"
printf '%-18s %12s %10s %10s %12s\n' "scenario" "requests/s" "p99" "non-2xx" "vs baseline"
while read -r name rps p99 errors; do
  printf '%-18s %12s %10s %10s %11.3fx\n' "$name" "$rps" "$p99" "$errors" "$(awk -v a="$rps" -v b="$baseline" 'BEGIN {print a / b}')"
done <<<"$results"
