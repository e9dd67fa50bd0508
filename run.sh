#!/usr/bin/env bash
# Builds and runs one silo and the gateway on the embedded default (SQLite file data/botstate.db),
# prints the URLs, and stops both cleanly on Ctrl-C. Any variable of the README's configuration
# table can be set in the environment to override the defaults.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

export LOG_FORMAT=${LOG_FORMAT:-text}
configuration=${CONFIGURATION:-Release}

echo "Building ($configuration)..."
dotnet build Silo/Silo.csproj -c "$configuration" -v quiet -nologo
dotnet build Gateway/Gateway.csproj -c "$configuration" -v quiet -nologo

gateway_url=${GATEWAY_URL:-http://127.0.0.1:8080}
silo_url=${SILO_URL:-http://127.0.0.1:8081}
mkdir -p data
silo_pid=""
gateway_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  [ -n "$gateway_pid" ] && stop_process "$gateway_pid"
  [ -n "$silo_pid" ] && stop_process "$silo_pid"
  echo "Stopped."
}
trap cleanup INT TERM EXIT

launch silo "Silo/bin/$configuration/net10.0/BotStateCluster.Silo.dll" "$silo_url" -
silo_pid=$LAUNCHED_PID
wait_ready "$silo_url/health/ready" 90 "the silo"

launch gateway "Gateway/bin/$configuration/net10.0/BotStateCluster.Gateway.dll" "$gateway_url" -
gateway_pid=$LAUNCHED_PID
wait_ready "$gateway_url/readiness" 90 "the gateway"

cat <<INFO

BotStateCluster is running on ${DB_URL:-sqlite:///data/botstate.db}
  API        $gateway_url/v1/states/{userId}
  OpenAPI    $gateway_url/openapi/v1.json
  Health     $gateway_url/health   $gateway_url/readiness
  Metrics    $gateway_url/metrics  $silo_url/metrics
Press Ctrl-C to stop.

INFO
# Returns when either process ends (or on Ctrl-C); the trap stops the other.
wait -n "$silo_pid" "$gateway_pid" || true
