#!/usr/bin/env bash
# The whole test suite: .NET unit, integration (SQLite and PostgreSQL) and end-to-end tests, the
# Python and TypeScript clients against a real silo and gateways (the Python service tests also
# against the API the silo serves), the OpenAPI contract's lint, and the deployment manifests.
# Provides a throwaway PostgreSQL when PG_TEST_URL does not name a reachable one. Ends with one line:
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

step "A silo serving the API, a gateway and a key-requiring gateway, for the clients' tests"
service_dir="$results/service"
mkdir -p "$service_dir"
export DB_URL="sqlite:///$service_dir/botstate.db" LOG_FORMAT=text
export SILO_PORT=$(free_port) GATEWAY_PORT=$(free_port) ORLEANS_CLUSTER_ID="client-tests-$$"
silo_url="http://127.0.0.1:$(free_port)"
gateway_url="http://127.0.0.1:$(free_port)"
secured_url="http://127.0.0.1:$(free_port)"
client_key="client-tests-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
SILO_API_ENABLED=true launch silo "Silo/bin/$configuration/net10.0/BotStateCluster.Silo.dll" "$silo_url" "$service_dir/silo.log"
service_pids+=("$LAUNCHED_PID")
wait_ready "$silo_url/health/ready" 90 "the silo" "$service_dir/silo.log"
launch gateway "Gateway/bin/$configuration/net10.0/BotStateCluster.Gateway.dll" "$gateway_url" "$service_dir/gateway.log"
service_pids+=("$LAUNCHED_PID")
API_KEYS=$client_key launch gateway "Gateway/bin/$configuration/net10.0/BotStateCluster.Gateway.dll" "$secured_url" "$service_dir/secured-gateway.log"
service_pids+=("$LAUNCHED_PID")
wait_ready "$gateway_url/readiness" 90 "the gateway" "$service_dir/gateway.log"
wait_ready "$secured_url/readiness" 90 "the key-requiring gateway" "$service_dir/secured-gateway.log"
unset DB_URL LOG_FORMAT SILO_PORT GATEWAY_PORT ORLEANS_CLUSTER_ID

if [ -d clients/python/tests ]; then
  step "Python client against a real silo and gateway, then against the API the silo serves itself"
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

step "TypeScript client against the real silo and gateways (node --test; tools pinned in its package-lock.json)"
# The spec report for people, TAP for scripts/summarize_tests.py; no TAP file counts as a failed suite.
if (cd clients/typescript && npm ci --no-audit --no-fund && npm run build:tests) 2>&1 | tee "$results/typescript-build.log"; then
  BOTSTATE_GATEWAY_URL=$gateway_url BOTSTATE_SILO_URL=$silo_url BOTSTATE_SECURED_URL=$secured_url BOTSTATE_API_KEY=$client_key \
    node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$results/typescript.tap" clients/typescript/build-tests/tests/ || true
fi

step "OpenAPI contract lint (Redocly, pinned in clients/openapi/package-lock.json)"
if (cd clients/openapi && npm ci --no-audit --no-fund && npm run lint) 2>&1 | tee "$results/openapi-lint.log"; then
  echo "openapi lint: OK"
else
  echo "openapi lint: FAILED"; echo "FAILED" >>"$results/openapi-lint.log"
fi

step "run.sh and the importer as a user runs them"
SKIP_BUILD=1 CONFIGURATION=$configuration python3 -m unittest discover -s scripts/tests -v 2>&1 | tee "$results/scripts.log" || true

if [ -x deploy/validate.sh ]; then
  step "Deployment manifests"
  if deploy/validate.sh 2>&1 | tee "$results/deploy.log"; then echo "deploy: OK"; else echo "deploy: FAILED"; echo "FAILED" >>"$results/deploy.log"; fi
fi

step "The commands of the README and docs/"
CONFIGURATION=$configuration scripts/check-docs.sh 2>&1 | tee "$results/check-docs.log" || true

step "Summary"
python3 scripts/summarize_tests.py "$results"
