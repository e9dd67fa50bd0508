# shellcheck shell=bash
# The cost of the change feed (issue 25), sourced by scripts/benchmark.sh --changes once the silos of $backends run.
# For each backend a second silo serves the same API with CHANGES_ENABLED=false. Rounds alternate the two (turns, and
# hot GET for reference); then a reader follows GET /v1/changes/stream while the silo with the feed takes turns at full
# rate: how long after its commit each event reaches the reader, and whether every acknowledged turn arrived.

env_of[postgres-nofeed]="DB_URL=$pg_root/bench_nofeed"
env_of[sqlite-nofeed]="DB_URL=sqlite:///$work/sqlite-nofeed/bench.db"
for backend in $backends; do
  # shellcheck disable=SC2086
  start_app "$backend-nofeed" Silo/bin/Release/net10.0/BotStateCluster.Silo.dll ${env_of[$backend-nofeed]} CHANGES_ENABLED=false \
    SILO_PORT="$(free_port)" GATEWAY_PORT="$(free_port)" ORLEANS_CLUSTER_ID="bench-nofeed-$backend-$$" SILO_API_ENABLED=true \
    LOG_LEVEL=Warning LOG_FORMAT=text
  wait_answer "${url_of[$backend-nofeed]}/health/ready" "$backend-nofeed"
  echo "seeding $users conversations on $backend, with and without the feed..." >&2
  wrk_run 0 "${backend}_silo" seed seed_put "${url_of[$backend-silo]}" 120s
  wrk_run 0 "${backend}_nofeed" seed seed_put "${url_of[$backend-nofeed]}" 120s
done

measure_changes() { # ROUND [DURATION]
  local round=$1 length=${2:-$duration} backend side order
  for backend in $backends; do
    order=(silo nofeed)
    [[ $round =~ ^[0-9]+$ ]] && ((round % 2 == 0)) && order=(nofeed silo)
    for side in "${order[@]}"; do
      wrk_run "$round" "${backend}_$side" turn turn "${url_of[$backend-$side]}" "$length"
      wrk_run "$round" "${backend}_$side" get_hot get "${url_of[$backend-$side]}" "$length"
    done
  done
}

follow_run() { # ROUND BACKEND: turns at full rate on the silo with the feed while a reader follows the stream
  local round=$1 backend=$2 url=${url_of[$2-silo]} lag_file=$work/lag-$1-$2.json ready=$work/follower-$1-$2.ready follower
  python3 benchmarks/follow_changes.py "$url" "$ready" "$lag_file" &
  follower=$!
  local deadline=$((SECONDS + 120))
  until [ -e "$ready" ]; do
    kill -0 "$follower" 2>/dev/null && ((SECONDS < deadline)) || { echo "the change feed reader did not catch up" >&2; exit 1; }
    sleep 0.1
  done
  wrk_run "$round" "${backend}_silo" turn_followed turn "$url"
  kill -TERM "$follower"
  wait "$follower" || { echo "the change feed reader failed" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$round" "$backend" "$(cat "$lag_file")" >>"$work/lag.tsv"
}

: >"$work/lag.tsv"
measure_changes warmup 3s
for ((round = 1; round <= rounds; round++)); do
  measure_changes "$round"
  for backend in $backends; do follow_run "$round" "$backend"; done
done

mkdir -p "$(dirname "$out")"
python3 benchmarks/changes_report.py "$results" "$work/lag.tsv" "$out" "duration=$duration" "rounds=$rounds" \
  "users=$users" "connections=$connections" "cores=$(nproc)" "elapsed_s=$((SECONDS - started))" "command=scripts/benchmark.sh $arguments"
