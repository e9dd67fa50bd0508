# shellcheck shell=bash
# The cost of encryption at rest (issue 24), sourced by scripts/benchmark.sh --encryption once the plain silos of
# $backends run. For each backend a second silo of the same build serves the same API with ENCRYPTION_KEYS (and a key
# store of its own: a database beside on PostgreSQL, the file beside on SQLite). Rounds alternate plain and encrypted:
# hot GET and turn under the same load; then each silo is restarted and every conversation read once (cold GET: each
# read activates a conversation, which on the encrypted silo unwraps its data key).

master_key=$(head -c 32 /dev/urandom | base64)
psql "$PG_TEST_ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench_enc OWNER botstate" -c "CREATE DATABASE bench_enc_keys OWNER botstate"
env_of[postgres-enc]="DB_URL=$pg_root/bench_enc KEY_STORE_URL=$pg_root/bench_enc_keys"
env_of[sqlite-enc]="DB_URL=sqlite:///$work/sqlite-enc/bench.db"

start_encrypted() { # BACKEND
  local backend=$1
  # shellcheck disable=SC2086
  start_app "$backend-enc" Silo/bin/Release/net10.0/BotStateCluster.Silo.dll ${env_of[$backend-enc]} \
    SILO_PORT="$(free_port)" GATEWAY_PORT="$(free_port)" ORLEANS_CLUSTER_ID="bench-enc-$backend-$$" SILO_API_ENABLED=true \
    ENCRYPTION_KEYS="bench:$master_key" LOG_LEVEL=Warning LOG_FORMAT=text
  wait_answer "${url_of[$backend-enc]}/health/ready" "$backend-enc"
}

for backend in $backends; do
  start_encrypted "$backend"
  echo "seeding $users conversations on $backend, plain and encrypted..." >&2
  wrk_run 0 "${backend}_silo" seed seed_put "${url_of[$backend-silo]}" 120s
  wrk_run 0 "${backend}_enc" seed seed_put "${url_of[$backend-enc]}" 120s
done

measure_encryption() { # ROUND [DURATION]
  local round=$1 length=${2:-$duration} backend side order
  for backend in $backends; do
    order=(silo enc)
    [[ $round =~ ^[0-9]+$ ]] && ((round % 2 == 0)) && order=(enc silo)
    for side in "${order[@]}"; do
      wrk_run "$round" "${backend}_$side" get_hot get "${url_of[$backend-$side]}" "$length"
      wrk_run "$round" "${backend}_$side" turn turn "${url_of[$backend-$side]}" "$length"
    done
  done
}

cold_run() { # ROUND BACKEND: both silos restarted, then every conversation read once from each
  local round=$1 backend=$2
  stop_process "${pid_of[$backend-silo]}" 60
  start_silo "$backend"
  stop_process "${pid_of[$backend-enc]}" 60
  start_encrypted "$backend"
  wrk_run "$round" "${backend}_silo" get_cold cold_get "${url_of[$backend-silo]}" 120s
  wrk_run "$round" "${backend}_enc" get_cold cold_get "${url_of[$backend-enc]}" 120s
}

measure_encryption warmup 3s
for ((round = 1; round <= rounds; round++)); do
  measure_encryption "$round"
  for backend in $backends; do
    cold_run "$round" "$backend"
    # The restarted silos get the same unrecorded pass as at the start before the next round's hot scenarios.
    measure_encryption warmup 3s
  done
done

mkdir -p "$(dirname "$out")"
python3 benchmarks/encryption_report.py "$results" "$out" "duration=$duration" "rounds=$rounds" \
  "users=$users" "connections=$connections" "cores=$(nproc)" "elapsed_s=$((SECONDS - started))" "command=scripts/benchmark.sh $arguments"
