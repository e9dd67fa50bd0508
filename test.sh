#!/usr/bin/env bash
# The whole test suite: .NET unit, integration (SQLite and PostgreSQL) and end-to-end tests, the
# Python client against a real gateway (and its service tests against the API a silo serves), and
# the deployment manifests. Provides a throwaway PostgreSQL when PG_TEST_URL does not name a
# reachable one. Ends with one line:
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

configuration=Release
results=$(mktemp -d -t botstate-tests-XXXXXX)
pg_started=""
service_pids=()
failures=0

cleanup() {
  for pid in "${service_pids[@]}"; do stop_process "$pid"; done
  [ -n "$pg_started" ] && scripts/postgres.sh stop .pgtest >/dev/null 2>&1 || true
  rm -rf "$results"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "PostgreSQL"
if [ -n "${PG_TEST_URL:-}" ] && scripts/postgres.sh reachable "$PG_TEST_URL"; then
  echo "using PG_TEST_URL from the environment"
else
  eval "$(scripts/postgres.sh start .pgtest)"
  pg_started=1
fi
export PG_TEST_URL
export BOTSTATE_TEST_FIGURES="$results/figures.txt"

step "Build ($configuration)"
dotnet build BotStateCluster.sln -c "$configuration" -nologo -v quiet

for project in UnitTests IntegrationTests EndToEndTests; do
  step ".NET tests: $project"
  dotnet test "tests/$project/$project.csproj" -c "$configuration" --no-build --nologo \
    --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || failures=$((failures + 1))
done

if [ -d clients/python/tests ]; then
  step "Python client against a real silo and gateway, then against the API the silo serves itself"
  service_dir="$results/service"
  mkdir -p "$service_dir"
  export DB_URL="sqlite:///$service_dir/botstate.db" LOG_FORMAT=text SILO_API_ENABLED=true
  export SILO_PORT=$(free_port) GATEWAY_PORT=$(free_port) ORLEANS_CLUSTER_ID="python-tests-$$"
  silo_url="http://127.0.0.1:$(free_port)"
  gateway_url="http://127.0.0.1:$(free_port)"
  launch silo "Silo/bin/$configuration/net10.0/BotStateCluster.Silo.dll" "$silo_url" "$service_dir/silo.log"
  service_pids+=("$LAUNCHED_PID")
  wait_ready "$silo_url/health/ready" 90 "the silo" "$service_dir/silo.log"
  launch gateway "Gateway/bin/$configuration/net10.0/BotStateCluster.Gateway.dll" "$gateway_url" "$service_dir/gateway.log"
  service_pids+=("$LAUNCHED_PID")
  wait_ready "$gateway_url/readiness" 90 "the gateway" "$service_dir/gateway.log"
  unset DB_URL LOG_FORMAT SILO_API_ENABLED SILO_PORT GATEWAY_PORT ORLEANS_CLUSTER_ID
  # The client needs httpx, its build backend hatchling, and pip for the packaging test (.ci/run installs them).
  if client_python=$(python_with httpx hatchling pip); then
    BOTSTATE_GATEWAY_URL=$gateway_url "$client_python" -m unittest discover -s clients/python/tests -t clients/python -v \
      2>&1 | tee "$results/python.log" || true
    echo "-- the service tests again, against the silo's own API (SILO_API_ENABLED)"
    BOTSTATE_GATEWAY_URL=$silo_url "$client_python" -m unittest discover -s clients/python/tests -t clients/python -p "test_*_gateway.py" -v \
      2>&1 | tee "$results/python-silo.log" || true
    grep -qE '^OK' "$results/python-silo.log" || failures=$((failures + 1))
  else
    echo "no Python with httpx, hatchling and pip: apt-get install python3-httpx python3-hatchling python3-pip" | tee "$results/python.log"
  fi
  grep -qE '^OK' "$results/python.log" || failures=$((failures + 1))
fi

step "run.sh and the importer as a user runs them"
SKIP_BUILD=1 CONFIGURATION=$configuration python3 -m unittest discover -s scripts/tests -v 2>&1 | tee "$results/scripts.log" || true

if [ -x deploy/validate.sh ]; then
  step "Deployment manifests"
  if deploy/validate.sh 2>&1 | tee "$results/deploy.log"; then echo "deploy: OK"; else echo "deploy: FAILED"; echo "FAILED" >>"$results/deploy.log"; fi
fi

step "Summary"
python3 scripts/summarize_tests.py "$results"
