#!/usr/bin/env bash
# Builds and runs one silo and the gateway on the embedded default (SQLite file data/botstate.db),
# prints the URLs, and stops both cleanly on Ctrl-C. The silo serves the API too (SILO_API_ENABLED,
# default true here): the same API without the gateway's hop. Any variable of docs/configuration.md
# can be set in the environment to override the defaults; besides those:
#   GATEWAY_URL, SILO_URL   HTTP listeners (default http://127.0.0.1:8080 and :8081)
#   CONFIGURATION           build configuration (default Release)
#   SKIP_BUILD=1            use the existing build of CONFIGURATION
# A second copy needs its own GATEWAY_URL, SILO_URL, SILO_PORT, GATEWAY_PORT and DB_URL.
# Exits non-zero when the service did not come up, or when a process stopped by itself.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

export LOG_FORMAT=${LOG_FORMAT:-text}
configuration=${CONFIGURATION:-Release}
gateway_url=${GATEWAY_URL:-http://127.0.0.1:8080}
silo_url=${SILO_URL:-http://127.0.0.1:8081}
silo_dll="Silo/bin/$configuration/net10.0/BotStateCluster.Silo.dll"
gateway_dll="Gateway/bin/$configuration/net10.0/BotStateCluster.Gateway.dll"

# Before anything else: a port held by another process would otherwise fail one child, or worse,
# answer its readiness probe for it. The Orleans defaults are those of ClusterSettings.
ports_free "GATEWAY_URL=$gateway_url" "SILO_URL=$silo_url" \
  "SILO_PORT=${SILO_PORT:-11111}" "GATEWAY_PORT=${GATEWAY_PORT:-30000}" || exit 1

if [ -n "${SKIP_BUILD:-}" ]; then
  for dll in "$silo_dll" "$gateway_dll"; do
    [ -f "$dll" ] || { echo "error: SKIP_BUILD is set but $dll does not exist: run without SKIP_BUILD" >&2; exit 1; }
  done
else
  echo "Building ($configuration)..."
  dotnet build Silo/Silo.csproj -c "$configuration" -v quiet -nologo
  dotnet build Gateway/Gateway.csproj -c "$configuration" -v quiet -nologo
fi

mkdir -p data
silo_pid=""
gateway_pid=""
running=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  [ -n "$gateway_pid" ] && stop_process "$gateway_pid"
  [ -n "$silo_pid" ] && stop_process "$silo_pid"
  echo "Stopped."
}
# Ctrl-C once running is the normal way to stop; before that it interrupted the start.
trap 'cleanup; [ -n "$running" ] && exit 0 || exit 130' INT TERM
trap cleanup EXIT

export SILO_API_ENABLED=${SILO_API_ENABLED:-true}
launch silo "$silo_dll" "$silo_url" -
silo_pid=$LAUNCHED_PID
wait_ready "$silo_url/health/ready" 90 "the silo" "" "$silo_pid" || exit 1

launch gateway "$gateway_dll" "$gateway_url" -
gateway_pid=$LAUNCHED_PID
wait_ready "$gateway_url/readiness" 90 "the gateway" "" "$gateway_pid" || exit 1

dashboard="$silo_url/dashboard"
[ "${DASHBOARD_ENABLED:-true}" = "false" ] && dashboard="(disabled: DASHBOARD_ENABLED=false)"
silo_api="$silo_url/v1/states/{userId}   (the silo itself, one hop fewer)"
[ "$SILO_API_ENABLED" = "false" ] && silo_api="(disabled: SILO_API_ENABLED=false)"
api_docs="$gateway_url/docs   (the API reference)"
[ "${API_DOCS_ENABLED:-true}" = "false" ] && api_docs="(disabled: API_DOCS_ENABLED=false)"
cat <<INFO

BotStateCluster is running on ${DB_URL:-sqlite:///data/botstate.db}
  API        $gateway_url/v1/states/{userId}
             $silo_api
  API docs   $api_docs
  OpenAPI    $gateway_url/openapi/v1.json
  Dashboard  $dashboard
  Health     $gateway_url/health   $gateway_url/readiness
  Metrics    $gateway_url/metrics  $silo_url/metrics
Press Ctrl-C to stop.

INFO
running=1
# Returns when either process ends by itself (Ctrl-C runs the trap instead): that is a failure.
code=0
wait -n "$silo_pid" "$gateway_pid" || code=$?
for pair in "silo:$silo_pid" "gateway:$gateway_pid"; do
  kill -0 "${pair#*:}" 2>/dev/null || echo "error: the ${pair%%:*} exited with code $code; stopping the other" >&2
done
exit 1
