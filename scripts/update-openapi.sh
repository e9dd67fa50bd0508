#!/usr/bin/env bash
# Regenerates the committed OpenAPI contract, clients/openapi/v1.json, from the code: builds the silo,
# starts it with the API enabled on a throwaway SQLite file and free loopback ports, fetches
# /openapi/v1.json and writes it normalised (keys sorted, two-space indent, trailing newline), so that
# the file only changes when the API does. Run it after changing the API, then commit the result with
# that change; the end-to-end test ApiContractTests fails until you do.
#   CONFIGURATION   build configuration (default Release)
#   SKIP_BUILD=1    use the existing build of CONFIGURATION
#   --check         writes nothing; exits 1 and says so when the committed file is stale
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

configuration=${CONFIGURATION:-Release}
silo_dll="Silo/bin/$configuration/net10.0/BotStateCluster.Silo.dll"
contract=clients/openapi/v1.json
check=""
[ "${1:-}" = "--check" ] && check=1

if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build Silo/Silo.csproj -c "$configuration" -v quiet -nologo
fi
[ -f "$silo_dll" ] || { echo "error: $silo_dll does not exist: run without SKIP_BUILD" >&2; exit 1; }

work=$(mktemp -d -t botstate-openapi-XXXXXX)
silo_pid=""
cleanup() {
  [ -n "$silo_pid" ] && stop_process "$silo_pid"
  rm -rf "$work"
}
trap cleanup EXIT

# The document does not depend on these, but a key file or database from the caller's shell must not
# reach a throwaway process.
unset API_KEYS API_KEYS_FILE
silo_url="http://127.0.0.1:$(free_port)"
DB_URL="sqlite:///$work/botstate.db" SILO_API_ENABLED=true LOG_FORMAT=text \
  SILO_PORT=$(free_port) GATEWAY_PORT=$(free_port) ORLEANS_CLUSTER_ID="openapi-$$" \
  launch silo "$silo_dll" "$silo_url" "$work/silo.log"
silo_pid=$LAUNCHED_PID
wait_ready "$silo_url/health/ready" 90 "the silo" "$work/silo.log" "$silo_pid"

curl -fsS --max-time 30 "$silo_url/openapi/v1.json" -o "$work/served.json"
python3 scripts/normalize_json.py <"$work/served.json" >"$work/v1.json"

if [ -n "$check" ]; then
  if cmp -s "$work/v1.json" "$contract"; then
    echo "$contract is up to date"
  else
    diff -u "$contract" "$work/v1.json" | head -n 60 >&2 || true
    echo "error: $contract differs from what the code serves; run scripts/update-openapi.sh and commit it" >&2
    exit 1
  fi
else
  mkdir -p "$(dirname "$contract")"
  cp "$work/v1.json" "$contract"
  echo "wrote $contract"
fi
