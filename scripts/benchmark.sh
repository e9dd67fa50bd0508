#!/usr/bin/env bash
# BotStateCluster against the baselines of benchmarks/, same load, same machine, same run (DESIGN.md
# section 10). Builds and starts everything itself on 127.0.0.1: a durable PostgreSQL of its own
# (scripts/postgres.sh), the bare Kestrel and plain ASP.NET Core + Npgsql baselines, pgbench, and the
# service on PostgreSQL and on SQLite, each through its gateway and through the API its silo serves
# itself (SILO_API_ENABLED). Prints one table of medians and writes the figures as JSON.
#
#   scripts/benchmark.sh [--duration 10s] [--rounds 2] [--users 10000] [--connections 32]
#                        [--backends "postgres sqlite"] [--out benchmarks/results/latest.json]
#   scripts/benchmark.sh --scale [--duration 10s]   PostgreSQL grown to 10k, 100k and 1M conversations
#                        (SCALE_SIZES): cold reads, silo memory per 100k idle activations, and hot
#                        GET, turn and history page over 10k active users at each size; then how long
#                        the silo takes to collect the idle activations (SCALE_IDLE_TIMEOUT, default 2m)
#                        [--trace DIR]   after the rounds, CPU-sample silo and gateway (dotnet-trace,
#                                        on PATH or in ~/.dotnet/tools) under turn and hot GET load
#   scripts/benchmark.sh --tenants [--rounds 2] [--backends "postgres sqlite"]   the cost of API keys: the
#                        silo-served API open and with API_KEYS_FILE (hot GET, turn), then one tenant's p99
#                        alone and while another tenant floods far past its rate limit
#   scripts/benchmark.sh --changes [--rounds 2] [--backends "postgres sqlite"]   the cost of the change feed: the
#                        silo-served API with it and with CHANGES_ENABLED=false (turn, hot GET), then a reader
#                        following the stream while turns run at full rate (lag from commit to reader)
#   scripts/benchmark.sh --encryption [--rounds 2] [--backends "postgres sqlite"]   the cost of encryption at
#                        rest: the same build's silo-served API without and with ENCRYPTION_KEYS (hot GET, turn),
#                        and cold GET after a restart of each (every read unwraps a data key)
#
# Holds the shared CPU lock (/tmp/botstate-cpu.lock, or BOTSTATE_CPU_LOCK) for the whole run. Needs
# wrk, pgbench and python3: installs Debian's wrk and postgresql-client when missing and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

arguments="$*"
duration=10s rounds=2 users=10000 connections=32 threads=2
backends="postgres sqlite"
trace_dir=""
scale=0
tenants=0
changes=0
encryption=0
out=benchmarks/results/latest.json
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --trace) trace_dir=$2; shift 2 ;;
    --scale) scale=1; backends=postgres; shift ;;
    --tenants) tenants=1; out=benchmarks/results/tenants.json; shift ;;
    --changes) changes=1; out=benchmarks/results/changes.json; shift ;;
    --encryption) encryption=1; out=benchmarks/results/encryption.json; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "benchmark.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v pgbench >/dev/null || missing+=(postgresql-client)
  command -v python3 >/dev/null || missing+=(python3)
  ((${#missing[@]} == 0)) && return
  [ "$(id -u)" = 0 ] || { echo "benchmark.sh: missing ${missing[*]}: apt-get install ${missing[*]}" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >&2
}
ensure_tools

exec 9>"${BOTSTATE_CPU_LOCK:-/tmp/botstate-cpu.lock}"
echo "waiting for the CPU lock..." >&2
flock 9
started=$SECONDS

work=$(mktemp -d -t botstate-bench-XXXXXX)
declare -A pid_of=()
cleanup() {
  for name in "${!pid_of[@]}"; do stop_process "${pid_of[$name]}" 10; done
  scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  [ -n "${BENCH_KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..." >&2
for project in Silo/Silo.csproj Gateway/Gateway.csproj benchmarks/KestrelBaseline/KestrelBaseline.csproj benchmarks/NpgsqlBaseline/NpgsqlBaseline.csproj; do
  dotnet build "$project" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done

# --- PostgreSQL: durable (fsync and synchronous commit on), unlike the test instance ----------------
pg_env=$(PG_SERVER_OPTIONS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements" \
  scripts/postgres.sh start "$work/pg")
eval "$pg_env"
pg_root=${PG_TEST_URL%/*}
pg_admin_root=${PG_TEST_ADMIN_URL%/*}
pg_port=${pg_root##*:}
postmaster=$(head -n 1 "$(cat "$work/pg/data")/data/postmaster.pid")
psql "$PG_TEST_ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench_ours OWNER botstate" -c "CREATE DATABASE bench_plain OWNER botstate" \
  -c "CREATE DATABASE bench_keyed OWNER botstate" -c "CREATE DATABASE bench_nofeed OWNER botstate"
for db in bench_ours bench_plain; do psql "$pg_admin_root/$db" -qAt -c "CREATE EXTENSION pg_stat_statements"; done

state_file=$PWD/benchmarks/state.json
# The plain baseline's table and the pgbench table, seeded with the same ~1 KB state per user.
psql "$pg_root/bench_plain" -qAt -v ON_ERROR_STOP=1 -v state="$(cat "$state_file")" -v users="$users" <<'SQL'
CREATE TABLE plain_states (user_id text PRIMARY KEY, state jsonb NOT NULL, updated_at timestamptz NOT NULL);
INSERT INTO plain_states
SELECT 'bench-' || i, jsonb_set(:'state'::jsonb, '{thread_id}', to_jsonb('bench-' || i)), now()
FROM generate_series(0, :users - 1) AS i;
CREATE TABLE pgbench_states (id integer PRIMARY KEY, state jsonb NOT NULL);
INSERT INTO pgbench_states SELECT i, :'state'::jsonb FROM generate_series(0, :users - 1) AS i;
ANALYZE plain_states;
ANALYZE pgbench_states;
SQL
# The state goes in as a variable (-D): in prepared mode it becomes a parameter, as in the services.
{
  echo "\\set id random(0, $((users - 1)))"
  echo "INSERT INTO pgbench_states (id, state) VALUES (:id, :state::jsonb) ON CONFLICT (id) DO UPDATE SET state = excluded.state;"
} >"$work/upsert.sql"

# --- Processes ----------------------------------------------------------------------------------------
declare -A url_of=()
start_app() { # NAME DLL [VAR=VALUE...]
  local name=$1 dll=$2; shift 2
  url_of[$name]=${url_of[$name]:-http://127.0.0.1:$(free_port)}
  (export "$@"; launch "$name" "$dll" "${url_of[$name]}" "$work/$name.log"; echo "$LAUNCHED_PID" >"$work/$name.pid")
  pid_of[$name]=$(cat "$work/$name.pid")
}

wait_answer() { # URL NAME: polls until a GET answers 200
  wait_ready "$1" 90 "$2" "$work/$2.log"
}

((scale || tenants || changes || encryption)) || start_app kestrel benchmarks/KestrelBaseline/bin/Release/net10.0/BotStateCluster.Benchmarks.KestrelBaseline.dll BENCH_STATE_FILE="$state_file"
((scale || tenants || changes || encryption)) || start_app plain benchmarks/NpgsqlBaseline/bin/Release/net10.0/BotStateCluster.Benchmarks.NpgsqlBaseline.dll \
  BENCH_DB="Host=127.0.0.1;Port=$pg_port;Username=botstate;Password=botstate;Database=bench_plain"

declare -A env_of=()
env_of[postgres]="DB_URL=$pg_root/bench_ours"
env_of[sqlite]="DB_URL=sqlite:///$work/sqlite/bench.db"
# The scale run waits for idle activations to be collected, so it runs the silo with the shortest timeout it accepts.
idle_timeout=${SCALE_IDLE_TIMEOUT:-2m}
((scale)) && env_of[postgres]+=" ACTIVATION_IDLE_TIMEOUT=$idle_timeout"
start_silo() { # BACKEND
  local backend=$1
  # shellcheck disable=SC2086
  start_app "$backend-silo" Silo/bin/Release/net10.0/BotStateCluster.Silo.dll ${env_of[$backend]} LOG_LEVEL=Warning LOG_FORMAT=text
  wait_answer "${url_of[$backend-silo]}/health/ready" "$backend-silo"
}
for backend in $backends; do
  env_of[$backend]+=" SILO_PORT=$(free_port) GATEWAY_PORT=$(free_port) ORLEANS_CLUSTER_ID=bench-$backend-$$ SILO_API_ENABLED=true"
  start_silo "$backend"
  ((tenants || changes || encryption)) && continue
  # shellcheck disable=SC2086
  start_app "$backend-gateway" Gateway/bin/Release/net10.0/BotStateCluster.Gateway.dll ${env_of[$backend]} LOG_LEVEL=Warning LOG_FORMAT=text
  wait_answer "${url_of[$backend-gateway]}/readiness" "$backend-gateway"
done
if ((!scale && !tenants && !changes && !encryption)); then
  wait_answer "${url_of[kestrel]}/v1/states/bench-0" kestrel
  wait_answer "${url_of[plain]}/v1/states/bench-0" plain
fi

# --- Measuring ----------------------------------------------------------------------------------------
# CPU seconds (user + system) a process tree has used, from /proc: PostgreSQL is the postmaster and its backends.
cpu_seconds() { # PID...
  local total=0 pid ticks
  for pid in "$@"; do
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ticks))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'
}
pg_pids() { echo "$postmaster" $(pgrep -P "$postmaster" || true); }
# PostgreSQL's CPU: its live processes, plus what the backends that exited meanwhile spent (pgbench's connections
# end with the run), which the postmaster collects as its children's time.
pg_cpu_seconds() {
  local children
  children=$(awk '{print $16 + $17}' "/proc/$postmaster/stat")
  # shellcheck disable=SC2046
  awk -v a="$(cpu_seconds $(pg_pids))" -v c="$children" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", a + c / hz}'
}
processes_of() { # CONTENDER: "label=pid list" pairs to account CPU to
  case $1 in
    kestrel) echo "app=${pid_of[kestrel]}" ;;
    plain) echo "app=${pid_of[plain]}" "postgres=pg" ;;
    pgbench) echo "postgres=pg" ;;
    postgres) echo "gateway=${pid_of[postgres-gateway]}" "silo=${pid_of[postgres-silo]}" "postgres=pg" ;;
    sqlite) echo "gateway=${pid_of[sqlite-gateway]}" "silo=${pid_of[sqlite-silo]}" ;;
    postgres_silo) echo "silo=${pid_of[postgres-silo]}" "postgres=pg" ;;
    sqlite_silo) echo "silo=${pid_of[sqlite-silo]}" ;;
    postgres_keyed) echo "silo=${pid_of[postgres-keyed]}" "postgres=pg" ;;
    sqlite_keyed) echo "silo=${pid_of[sqlite-keyed]}" ;;
    postgres_nofeed) echo "silo=${pid_of[postgres-nofeed]}" "postgres=pg" ;;
    sqlite_nofeed) echo "silo=${pid_of[sqlite-nofeed]}" ;;
    postgres_enc) echo "silo=${pid_of[postgres-enc]}" "postgres=pg" ;;
    sqlite_enc) echo "silo=${pid_of[sqlite-enc]}" ;;
  esac
}
cpu_snapshot() { # CONTENDER: label=seconds ...
  local pair label pids
  for pair in $(processes_of "$1"); do
    label=${pair%%=*} pids=${pair#*=}
    if [ "$pids" = pg ]; then
      echo -n "$label=$(pg_cpu_seconds) "
      continue
    fi
    # shellcheck disable=SC2086
    echo -n "$label=$(cpu_seconds $pids) "
  done
}

results=$work/results.tsv
: >"$results"
record() { # ROUND CONTENDER SCENARIO OUTPUT_FILE CPU_BEFORE CPU_AFTER
  local round=$1 contender=$2 scenario=$3 file=$4
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$contender" "$scenario" "$(tr '\n' '\034' <"$file")" "$5" "$6" >>"$results"
}

wrk_run() { # ROUND CONTENDER SCENARIO MODE URL [DURATION]
  local round=$1 contender=$2 scenario=$3 mode=$4 url=$5 length=${6:-$duration} before after file
  file=$work/wrk-$round-$contender-$scenario.txt
  local done_dir=$work/done-$round-$contender-$scenario
  mkdir -p "$done_dir"
  before=$(cpu_snapshot "$contender")
  BENCH_KEY=${bench_key:-} BENCH_MODE=$mode BENCH_USERS=$users BENCH_THREADS=$threads BENCH_PUT_BODY=$work/put.json BENCH_DONE_DIR=$done_dir \
    wrk -t"$threads" -c"$connections" -d"$length" --latency -s benchmarks/load.lua "$url" >"$file" 2>&1 &
  local wrk_pid=$!
  if [[ $mode == seed_put || $mode == cold_get ]]; then
    # Every user once: wrk would sleep out -d after its threads stopped; SIGINT makes it report at once.
    while kill -0 "$wrk_pid" 2>/dev/null && (($(ls "$done_dir" | wc -l) < threads)); do sleep 0.05; done
    kill -INT "$wrk_pid" 2>/dev/null || true
  fi
  wait "$wrk_pid" || { cat "$file" >&2; exit 1; }
  after=$(cpu_snapshot "$contender")
  record "$round" "$contender" "$scenario" "$file" "$before" "$after"
  echo "  round $round  $contender  $scenario: $(awk '/Requests\/sec/ {print $2}' "$file") req/s" >&2
}

pgbench_run() { # ROUND [DURATION]
  local file=$work/pgbench-$1.txt before after length=${2:-$duration}
  before=$(cpu_snapshot pgbench)
  pgbench -n -M prepared -c "$connections" -j "$threads" -T "${length%s}" -f "$work/upsert.sql" -D state="$(cat "$state_file")" "$pg_root/bench_plain" >"$file" 2>&1 \
    || { cat "$file" >&2; exit 1; }
  after=$(cpu_snapshot pgbench)
  record "$1" pgbench upsert "$file" "$before" "$after"
  echo "  round $1  pgbench  upsert: $(awk -F'= ' '/^tps/ {print $2}' "$file" | cut -d' ' -f1) tps" >&2
}

restart_silo() { # BACKEND: the next reads find no activation
  local backend=$1
  stop_process "${pid_of[$backend-silo]}" 60
  start_silo "$backend"
  local deadline=$((SECONDS + 90))
  # The gateway reconnects on its own; probe with a user outside the measured ones.
  until curl -fsS -o /dev/null --max-time 2 "${url_of[$backend-gateway]}/v1/states/bench-$users" -X PUT \
      -H 'Content-Type: application/json' --data-binary "@$work/put.json" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "the $backend gateway did not reach the restarted silo" >&2; tail -n 20 "$work/$backend-gateway.log" >&2; exit 1; }
    sleep 0.2
  done
}

python3 - "$state_file" "$work/put.json" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
state.pop("thread_id")
state["user_message"].pop("thread_id")
open(sys.argv[2], "w").write(json.dumps(state, separators=(",", ":")))
PY

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

activations() { # the silo's live conversation activations (grain type "state" of StateGrain), from its /metrics
  curl -fsS --max-time 5 "${url_of[postgres-silo]}/metrics" | awk '/^microsoft_orleans_orleans_catalog_activations\{grain_type="state"\}/ {sum += $NF} END {print sum + 0}'
}

# ACTIVATION_IDLE_TIMEOUT honoured: after the last request, how long until the silo has collected its idle
# activations (Orleans looks once a minute, so between the timeout and a minute more), and the memory it gives back.
measure_idle_collection() {
  local peak rss_before left deadline started=$SECONDS
  peak=$(activations) rss_before=$(rss_kb "${pid_of[postgres-silo]}")
  echo "waiting for $peak idle activations to be collected (ACTIVATION_IDLE_TIMEOUT=$idle_timeout)..." >&2
  deadline=$((SECONDS + 600))
  left=$peak
  while ((left > peak / 100 && SECONDS < deadline)); do
    sleep 5
    left=$(activations)
  done
  # Server GC keeps freed memory for reuse; a forced collection is not what production sees, so RSS is as it is.
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$idle_timeout" "$peak" "$left" "$((SECONDS - started))" "$rss_before" "$(rss_kb "${pid_of[postgres-silo]}")" >"$work/idle.tsv"
}

# The scale run: PostgreSQL grows by plain INSERTs (the API would take hours for a million), the silo
# restarts at each size, activates up to 100k conversations once (memory), then serves the usual load
# over 10k of them.
scale_run() {
  local have=0 size active before after gateway=${url_of[postgres-gateway]}
  : >"$work/scale.tsv"
  for size in ${SCALE_SIZES:-10000 100000 1000000}; do
    echo "growing to $size conversations..." >&2
    psql "$pg_root/bench_ours" -qAt -v ON_ERROR_STOP=1 -v state="$(cat "$state_file")" -v first="$have" -v last="$((size - 1))" <<'SQL'
WITH seeded AS (
    INSERT INTO states (service_id, tenant, user_id, state, meta, version, updated_at)
    SELECT 'botstate', 'default', 'bench-' || i,
           replace(:'state', '"thread_id":"bench-0"', '"thread_id":"bench-' || i || '"')::json,
           '{"saved_at":"2024-05-01T12:30:00.000000+00:00","history_limit":100,"recent_turns":[]}'::json,
           1, '2024-05-01T12:30:00Z'
    FROM generate_series(:first, :last) AS i
    ON CONFLICT DO NOTHING
    RETURNING service_id, tenant, user_id, state, updated_at
)
INSERT INTO state_history (service_id, tenant, user_id, version, saved_at, state)
SELECT service_id, tenant, user_id, 1, updated_at, state FROM seeded;
ANALYZE states;
ANALYZE state_history;
SQL
    have=$size
    restart_silo postgres
    active=$((size < 100000 ? size : 100000))
    before=$(rss_kb "${pid_of[postgres-silo]}")
    users=$active wrk_run "scale-$size" postgres get_cold cold_get "$gateway" 600s
    after=$(rss_kb "${pid_of[postgres-silo]}")
    printf '%s\t%s\t%s\t%s\n' "$size" "$active" "$before" "$after" >>"$work/scale.tsv"
    users=$((size < 10000 ? size : 10000))
    wrk_run "scale-$size" postgres get_hot get "$gateway"
    wrk_run "scale-$size" postgres turn turn "$gateway"
    wrk_run "scale-$size" postgres history history "$gateway"
    users=10000
  done
  measure_idle_collection
  mkdir -p "$(dirname "$out")"
  python3 benchmarks/report.py "$results" /dev/null "$out" "scale_memory=$work/scale.tsv" "scale_idle=$work/idle.tsv" \
    "duration=$duration" "rounds=0" "users=$users" "connections=$connections" "threads=$threads" \
    "backends=$backends" "cores=$(nproc)" "elapsed_s=$((SECONDS - started))" "command=scripts/benchmark.sh $arguments"
}

if ((scale)); then
  scale_run
  exit 0
fi

if ((tenants)); then
  source scripts/benchmark-tenants.sh
  exit 0
fi

if ((changes)); then
  source scripts/benchmark-changes.sh
  exit 0
fi

if ((encryption)); then
  source scripts/benchmark-encryption.sh
  exit 0
fi

for backend in $backends; do
  echo "seeding $users conversations on $backend..." >&2
  wrk_run 0 "$backend" seed seed_put "${url_of[$backend-gateway]}" 120s
done

measure_api() { # ROUND CONTENDER URL DURATION: the scenarios of the service's API at URL
  local round=$1 contender=$2 url=$3 length=$4
  wrk_run "$round" "$contender" get_hot get "$url" "$length"
  wrk_run "$round" "$contender" turn turn "$url" "$length"
  wrk_run "$round" "$contender" turn_key turn_key "$url" "$length"
  wrk_run "$round" "$contender" history history "$url" "$length"
}

measure() { # ROUND CONTENDER [DURATION]: every scenario of one contender
  local round=$1 contender=$2 length=${3:-$duration}
  case $contender in
    kestrel | plain)
      wrk_run "$round" "$contender" get_hot get "${url_of[$contender]}" "$length"
      wrk_run "$round" "$contender" turn turn "${url_of[$contender]}" "$length"
      ;;
    pgbench) pgbench_run "$round" "$length" ;;
    *_silo) # the API the silo serves itself; its cold reads are the gateway's (a restart serves both)
      measure_api "$round" "$contender" "${url_of[${contender%_silo}-silo]}" "$length"
      ;;
    *)
      local gateway=${url_of[$contender-gateway]}
      measure_api "$round" "$contender" "$gateway" "$length"
      # Last, so that the hot scenarios of the next round find every conversation activated again; the restarted
      # process then gets the same unrecorded pass as at the start, because the baselines it is compared with are
      # never restarted and so never measured while the JIT recompiles their hot paths.
      if [ "$round" != warmup ]; then
        restart_silo "$contender"
        wrk_run "$round" "$contender" get_cold cold_get "$gateway" 120s
        measure warmup "$contender" 3s
        measure warmup "${contender}_silo" 3s
      fi
      ;;
  esac
}

contenders=(kestrel plain pgbench $backends)
for backend in $backends; do contenders+=("${backend}_silo"); done
# Tiered JIT compiles the hot paths within seconds: a short unrecorded pass keeps that out of round 1.
for contender in "${contenders[@]}"; do measure warmup "$contender" 3s; done
for ((round = 1; round <= rounds; round++)); do
  order=("${contenders[@]}")
  if ((round % 2 == 0)); then # alternate the order, so neither side always runs on a warmer machine
    order=(); for ((i = ${#contenders[@]} - 1; i >= 0; i--)); do order+=("${contenders[$i]}"); done
  fi
  for contender in "${order[@]}"; do measure "$round" "$contender"; done
done

if [ -n "$trace_dir" ]; then
  mkdir -p "$trace_dir"
  tracer=$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")
  for backend in $backends; do
    for scenario in turn get; do
      for process in silo gateway; do
        "$tracer" collect -p "${pid_of[$backend-$process]}" --profile dotnet-sampled-thread-time --format Speedscope --duration 00:00:00:08 \
          -o "$trace_dir/$backend-$scenario-$process.nettrace" >"$work/trace-$backend-$scenario-$process.log" 2>&1 &
      done
      sleep 1
      wrk_run trace "$backend" "$scenario" "$scenario" "${url_of[$backend-gateway]}" 6s
      wait
    done
  done
  echo "traces in $trace_dir (speedscope JSON beside each .nettrace)" >&2
fi

# What PostgreSQL spent its time on, per statement, for the service and for the plain baseline.
for db in bench_ours bench_plain; do
  psql "$pg_admin_root/$db" -qAt -F $'\t' -c "
    SELECT '$db', calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric * 1000, 1),
           regexp_replace(left(query, 400), '\s+', ' ', 'g')
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db')
    ORDER BY total_exec_time DESC LIMIT 6" || true
done >"$work/statements.tsv"

mkdir -p "$(dirname "$out")"
python3 benchmarks/report.py "$results" "$work/statements.tsv" "$out" \
  "duration=$duration" "rounds=$rounds" "users=$users" "connections=$connections" "threads=$threads" \
  "backends=$backends" "cores=$(nproc)" "elapsed_s=$((SECONDS - started))" "command=scripts/benchmark.sh $arguments"
