# shellcheck shell=bash
# The cost of API keys and what one tenant's flood does to another (issue 23), sourced by scripts/benchmark.sh
# --tenants once the open silos of $backends run. For each backend a second silo serves the same API with
# API_KEYS_FILE: tenant "bench" (no limit) and tenant "flood" (FLOOD_LIMIT requests per second). Rounds alternate
# open and keyed (hot GET and turn, same load); then tenant bench's hot GET p99 alone, and again while tenant flood
# sends as fast as 16 connections can (far past its limit) to the same silo.

flood_limit=${FLOOD_LIMIT:-500}
bench_key_text=bench-tenant-key-$RANDOM$RANDOM-0123456789
flood_key_text=flood-tenant-key-$RANDOM$RANDOM-0123456789
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
cat >"$work/keys.json" <<JSON
{"keys": [
  {"id": "bench", "tenant": "bench", "scopes": ["read", "write"], "sha256": "$(sha "$bench_key_text")"},
  {"id": "flood", "tenant": "flood", "scopes": ["read", "write"], "sha256": "$(sha "$flood_key_text")",
   "rate_limit": {"per_second": $flood_limit, "burst": $flood_limit}}
]}
JSON

env_of[postgres-keyed]="DB_URL=$pg_root/bench_keyed"
env_of[sqlite-keyed]="DB_URL=sqlite:///$work/sqlite-keyed/bench.db"
for backend in $backends; do
  # shellcheck disable=SC2086
  start_app "$backend-keyed" Silo/bin/Release/net10.0/BotStateCluster.Silo.dll ${env_of[$backend-keyed]} \
    SILO_PORT="$(free_port)" GATEWAY_PORT="$(free_port)" ORLEANS_CLUSTER_ID="bench-keyed-$backend-$$" SILO_API_ENABLED=true \
    API_KEYS_FILE="$work/keys.json" LOG_LEVEL=Warning LOG_FORMAT=text
  wait_answer "${url_of[$backend-keyed]}/health/ready" "$backend-keyed"
  echo "seeding $users conversations on $backend, open and keyed..." >&2
  wrk_run 0 "${backend}_silo" seed seed_put "${url_of[$backend-silo]}" 120s
  bench_key=$bench_key_text wrk_run 0 "${backend}_keyed" seed seed_put "${url_of[$backend-keyed]}" 120s
done

measure_tenants() { # ROUND [DURATION]
  local round=$1 length=${2:-$duration} backend side contender url key order
  for backend in $backends; do
    order=(silo keyed)
    [[ $round =~ ^[0-9]+$ ]] && ((round % 2 == 0)) && order=(keyed silo)
    for side in "${order[@]}"; do
      contender=${backend}_$side url=${url_of[$backend-$side]} key=""
      [ "$side" = keyed ] && key=$bench_key_text
      bench_key=$key wrk_run "$round" "$contender" get_hot get "$url" "$length"
      bench_key=$key wrk_run "$round" "$contender" turn turn "$url" "$length"
    done
  done
}

flood_run() { # ROUND BACKEND: tenant bench's hot GET alone, then beside tenant flood's flood
  local round=$1 backend=$2 url=${url_of[$2-keyed]} flood_file flood_pid
  bench_key=$bench_key_text wrk_run "$round" "${backend}_keyed" calm_alone get "$url"
  flood_file=$work/wrk-$round-$backend-flood.txt
  BENCH_KEY=$flood_key_text BENCH_MODE=get BENCH_USERS=$users BENCH_THREADS=1 \
    wrk -t1 -c16 -d"$duration" --latency -s benchmarks/load.lua "$url" >"$flood_file" 2>&1 &
  flood_pid=$!
  bench_key=$bench_key_text wrk_run "$round" "${backend}_keyed" calm_flooded get "$url"
  wait "$flood_pid" || true
  record "$round" "${backend}_keyed" flood "$flood_file" "" ""
}

measure_tenants warmup 3s
for ((round = 1; round <= rounds; round++)); do
  measure_tenants "$round"
  for backend in $backends; do flood_run "$round" "$backend"; done
done

mkdir -p "$(dirname "$out")"
python3 benchmarks/tenants_report.py "$results" "$out" "flood_limit=$flood_limit" "duration=$duration" "rounds=$rounds" \
  "users=$users" "connections=$connections" "cores=$(nproc)" "elapsed_s=$((SECONDS - started))" "command=scripts/benchmark.sh $arguments"
