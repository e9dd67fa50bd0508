#!/usr/bin/env bash
# Runs the commands of the README and docs/ as a user would, so that a renamed endpoint, flag or file
# in the docs fails here. ./test.sh runs it after building; by hand: scripts/check-docs.sh [FILE.md...].
#
# Every ```bash block is one test case, run with `bash -euo pipefail` in a scratch directory that links
# to the repository's files (its data/ is the service's), against a service started with
# `SKIP_BUILD=1 ./run.sh` on free loopback ports and a temporary SQLite DB_URL. An HTML comment on the
# line just above a block changes that:
#   <!-- check-docs: skip (why) -->              not run: it needs a Kubernetes cluster, a container engine…
#   <!-- check-docs: service VAR=value ... -->   run after every other block, against the service
#                                                restarted with these variables (paths are the scratch's)
# Before a block runs, what the docs write for a user's machine becomes this run's:
#   127.0.0.1:8080, :8081 and SILO_PORT/GATEWAY_PORT 11111/30000 are the service's ports; any other
#   documented port is a free one; `dotnet run --project Silo --` is the built Silo (CONFIGURATION,
#   default Release); postgresql://botstate:botstate@127.0.0.1:5432/DB is PG_TEST_URL's server
#   (DB botstate is PG_TEST_URL's database), postgresql://postgres@127.0.0.1:5432/postgres is
#   PG_TEST_ADMIN_URL (blocks needing an unset one are skipped); the cluster id `local` and the
#   database botstate_restored get names of this run; curl fails on an HTTP error unless the command
#   already says how to (-f, --fail, -w).
# CHECK_DOCS_BLOCK_TIMEOUT (default 90) bounds each block in seconds; CHECK_DOCS_KEEP=1 keeps the scratch
# directory and the logs of the blocks.
# Besides the blocks: the tables of docs/configuration.md against ServiceDefaults/EnvironmentVariables.json,
# docs/api.md's "The API at a glance" against the served OpenAPI document, and every relative link and anchor.
# Prints "ok"/"skip"/"FAILED <file>:<line>" per case and ends with "check-docs: N passed, N failed, N skipped".
# Sends traffic to 127.0.0.1 only and stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

repo=$(pwd)
configuration=${CONFIGURATION:-Release}
block_timeout=${CHECK_DOCS_BLOCK_TIMEOUT:-90}
if (($#)); then files=("$@"); else files=(README.md docs/*.md); fi

work=$(mktemp -d -t botstate-check-docs-XXXXXX)
scratch=$work/scratch
mkdir -p "$scratch/data" "$work/blocks"
for entry in "$repo"/*; do
  [ "$(basename "$entry")" = data ] || ln -s "$entry" "$scratch/$(basename "$entry")"
done

# Four distinct free ports for the service.
ports=()
while ((${#ports[@]} < 4)); do
  port=$(free_port)
  [[ " ${ports[*]} " == *" $port "* ]] || ports+=("$port")
done
gateway_url=http://127.0.0.1:${ports[0]}
silo_url=http://127.0.0.1:${ports[1]}
run_id="check-docs-$$"
restored_db="botstate_restored_${run_id//-/_}"

service_pid=""
block_group=""
passed=0 failed=0 skipped=0

stop_group() { # PGID: TERM the process group, then KILL what is left after a few seconds
  local group=$1 deadline=$((SECONDS + ${2:-5}))
  kill -TERM -- "-$group" 2>/dev/null || return 0
  while kill -0 -- "-$group" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -KILL -- "-$group" 2>/dev/null || true
}

stop_service() {
  [ -n "$service_pid" ] || return 0
  kill -TERM "$service_pid" 2>/dev/null || true # run.sh stops its silo and gateway gracefully
  local deadline=$((SECONDS + 40))
  while kill -0 "$service_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  wait "$service_pid" 2>/dev/null || true
  stop_group "$service_pid" 2
  service_pid=""
}

start_service() { # VAR=value...: the service with these variables besides the run's own
  stop_service
  (cd "$repo" && exec env "$@" GATEWAY_URL="$gateway_url" SILO_URL="$silo_url" SILO_PORT="${ports[2]}" \
    GATEWAY_PORT="${ports[3]}" DB_URL="sqlite:///$scratch/data/botstate.db" SKIP_BUILD=1 \
    CONFIGURATION="$configuration" setsid ./run.sh) >"$work/service.log" 2>&1 </dev/null &
  service_pid=$!
  local deadline=$((SECONDS + 120)) began=$SECONDS
  until grep -q 'Press Ctrl-C to stop.' "$work/service.log"; do
    if ! kill -0 "$service_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "check-docs: the service did not start ($*):" >&2
      tail -n 20 "$work/service.log" >&2
      return 1
    fi
    sleep 0.25
  done
  echo "service ${*:-(defaults)}: up in $((SECONDS - began)) s"
}

cleanup() {
  [ -n "$block_group" ] && stop_group "$block_group"
  stop_service
  if [ -n "${PG_TEST_URL:-}" ] && command -v dropdb >/dev/null; then
    dropdb --if-exists --maintenance-db="$PG_TEST_URL" "$restored_db" >/dev/null 2>&1 || true
  fi
  if [ -n "${CHECK_DOCS_KEEP:-}" ]; then echo "check-docs: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What a block sees: the service's database and Orleans ports (for the importer), and a pip that installs
# into the scratch directory without the package index.
export DB_URL="sqlite:///$scratch/data/botstate.db" SILO_PORT=${ports[2]} GATEWAY_PORT=${ports[3]}
export PIP_TARGET=$scratch/python PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONPATH=$scratch/python
unset API_KEYS API_KEYS_FILE ORLEANS_CLUSTER_ID CLUSTERING LOG_FORMAT

# Extract the blocks: blocks/N.sh (the rewritten commands) and blocks/index (N, place, what to do, detail).
python3 - "$work/blocks" "$configuration" "$run_id" "$restored_db" "${ports[@]}" "${files[@]}" <<'PY'
import os, re, socket, sys

out, configuration, run_id, restored_db = sys.argv[1:5]
gateway, silo, silo_port, gateway_port = sys.argv[5:9]
files = sys.argv[9:]
pg_url, pg_admin = os.environ.get("PG_TEST_URL", ""), os.environ.get("PG_TEST_ADMIN_URL", "")

PREAMBLE = r'''# curl fails on an HTTP error, saying which, unless the command already says how to treat one; a 503
# (nothing was stored: the contract) is retried twice, as a client would, since this machine is shared.
curl() {
  local arg
  for arg in "$@"; do
    case $arg in
      --fail | --fail-with-body | --write-out | -w) command curl "$@"; return ;;
      --*) ;;
      -*f*) command curl "$@"; return ;;
    esac
  done
  command curl --fail-with-body --show-error --retry 2 --retry-delay 1 "$@"
}
'''

ports = {"8080": gateway, "8081": silo, "11111": silo_port, "30000": gateway_port}

def port_for(documented):
    if documented not in ports:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports[documented] = str(probe.getsockname()[1])
    return ports[documented]

def pg_server(url):
    return url.rsplit("/", 1)[0]

def rewrite(text):
    """The block as it runs here, or (None, why) when it cannot."""
    text = re.sub(r"dotnet run --project (Silo|Gateway)(?: -c \w+)? --",
                  lambda m: f"dotnet {m[1]}/bin/{configuration}/net10.0/BotStateCluster.{m[1]}.dll", text)
    text = text.replace("/bin/Release/net10.0/", f"/bin/{configuration}/net10.0/")
    text = re.sub(r"\b(127\.0\.0\.1|localhost):(?!5432\b)(\d{2,5})\b", lambda m: f"{m[1]}:{port_for(m[2])}", text)
    text = re.sub(r"\b(SILO_PORT|GATEWAY_PORT)=(\d{2,5})\b", lambda m: f"{m[1]}={port_for(m[2])}", text)
    if "postgresql://postgres@127.0.0.1:5432/" in text:
        if not pg_admin:
            return None, "needs PostgreSQL as a superuser: PG_TEST_ADMIN_URL is not set"
        text = re.sub(r"postgresql://postgres@127\.0\.0\.1:5432/\w+", pg_admin, text)
    if "@127.0.0.1:5432/" in text:
        if not pg_url:
            return None, "needs PostgreSQL: PG_TEST_URL is not set"
        databases = {"botstate": pg_url.rsplit("/", 1)[1].split("?")[0], "botstate_restored": restored_db}
        text = re.sub(r"postgresql://botstate:botstate@127\.0\.0\.1:5432/(\w+)",
                      lambda m: pg_server(pg_url) + "/" + databases.get(m[1], m[1]), text)
        text = re.sub(r"\bbotstate_restored\b", restored_db, text)
    text = re.sub(r"\bORLEANS_CLUSTER_ID=local\b", f"ORLEANS_CLUSTER_ID={run_id}", text)
    text = text.replace("cluster_id = 'local'", f"cluster_id = '{run_id}'")
    return text, None

DIRECTIVE = re.compile(r"<!--\s*check-docs:\s*(skip|service)\b(.*?)-->")
index = []
for path in files:
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        fence = re.match(r"^(```+)\s*(\S*)", lines[i])
        if not fence:
            i += 1
            continue
        start, language = i, fence[2]
        i += 1
        while i < len(lines) and lines[i].strip() != fence[1]:
            i += 1
        body = "\n".join(lines[start + 1:i]) + "\n"
        i += 1
        if language not in ("bash", "sh", "shell"):
            continue
        above = lines[start - 1] if start > 0 else ""
        directive = DIRECTIVE.search(above)
        case = len(index) + 1
        place = f"{path}:{start + 1}"
        if directive and directive[1] == "skip":
            index.append((case, place, "skip", directive[2].strip().strip("()") or "marked skip"))
            continue
        text, why = rewrite(body)
        if text is None:
            index.append((case, place, "skip", why))
            continue
        with open(os.path.join(out, f"{case}.sh"), "w", encoding="utf-8") as script:
            script.write(PREAMBLE + text)
        if directive:
            index.append((case, place, "service", directive[2].strip()))
        else:
            index.append((case, place, "run", ""))

with open(os.path.join(out, "index"), "w", encoding="utf-8") as listing:
    for row in index:
        listing.write("\t".join(map(str, row)) + "\n")
PY

report() { # OUTCOME PLACE [LOG]
  case $1 in
    ok) passed=$((passed + 1)); echo "ok      $2${3:+ ($3)}" ;;
    skip) skipped=$((skipped + 1)); echo "skip    $2 ($3)" ;;
    *)
      failed=$((failed + 1))
      echo "FAILED  $2"
      if [ -n "${3:-}" ] && [ -f "$3" ]; then tail -n 25 "$3" | awk '{ print "        " $0 }'; fi
      ;;
  esac
}

run_block() { # N PLACE: runs blocks/N.sh in its own process group, then stops whatever it left running
  local script=$work/blocks/$1.sh log=$work/blocks/$1.log code=0 began=$SECONDS
  (cd "$scratch" && exec setsid timeout -k 5 "$block_timeout" bash -euo pipefail "$script") >"$log" 2>&1 </dev/null &
  block_group=$!
  wait "$block_group" || code=$?
  stop_group "$block_group"
  block_group=""
  ((code == 124)) && echo "(timed out after ${block_timeout}s)" >>"$log"
  if ((code == 0)); then report ok "$2" "$((SECONDS - began)) s"; else report failed "$2" "$log"; fi
}

started=$SECONDS
service_ok=1
start_service || service_ok=""

while IFS=$'\t' read -r case place kind detail; do
  case $kind in
    skip) report skip "$place" "$detail" ;;
    run) if [ -n "$service_ok" ]; then run_block "$case" "$place"; else report failed "$place" "$work/service.log"; fi ;;
  esac
done <"$work/blocks/index"

check_table() { # configuration | api: a table of docs/ against what the processes read and serve
  python3 - "$1" "$gateway_url" <<'PY'
import json, re, sys, urllib.request

table, gateway = sys.argv[1:3]
failures = []

def first_cells(path, title=None):
    """The first cell of every body row of the tables in `path`, or only of those under its heading `## title`."""
    text = open(path, encoding="utf-8").read()
    if title is not None:
        match = re.search(r"^## " + re.escape(title) + r"\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
        text = match[1] if match else ""
    lines = text.splitlines()
    header = {i - 1 for i, row in enumerate(lines) if row.startswith("|---")}
    cells = [row.split("|")[1] for i, row in enumerate(lines) if row.startswith("|") and not row.startswith("|---") and i not in header]
    if not cells:
        failures.append(f"{path}: no table" + (f" under '## {title}'" if title else ""))
    return cells

if table == "configuration":
    # docs/configuration.md and the list of variables the processes read name the same variables.
    documented = {name for cell in first_cells("docs/configuration.md") for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}
    listed = json.load(open("ServiceDefaults/EnvironmentVariables.json", encoding="utf-8"))["variables"]
    read = {variable["name"] for variable in listed if variable["read_by"] != ["platform"]}
    if documented - read:
        failures.append("configuration table: not read by any process: " + ", ".join(sorted(documented - read)))
    if read - documented:
        failures.append("configuration table: missing: " + ", ".join(sorted(read - documented)))
else:
    # docs/api.md's API at a glance: every route is in the served OpenAPI document; the document itself and /docs answer.
    with urllib.request.urlopen(gateway + "/openapi/v1.json", timeout=10) as answer:
        paths = json.load(answer)["paths"]
    for cell in first_cells("docs/api.md", "The API at a glance"):
        routes = re.findall(r"`(?:(GET|PUT|POST|DELETE) )?(/[^`?\s]*)", cell)
        method = next((m for m, _ in routes if m), "GET")
        for _, path in routes:
            if path in ("/openapi/v1.json", "/docs"):
                try:
                    urllib.request.urlopen(gateway + path, timeout=10).close()
                except Exception as error:
                    failures.append(f"API table: GET {path}: {error}")
            elif method.lower() not in paths.get(path, {}):
                failures.append(f"API table: {method} {path} is not in /openapi/v1.json")

for failure in failures:
    print(failure)
sys.exit(1 if failures else 0)
PY
}

check_links() { # FILE: every relative link names a file that exists, and every anchor a heading of it
  python3 - "$1" <<'PY'
import os, re, sys

path = sys.argv[1]
failures = []

def anchors(markdown_file):
    text = re.sub(r"```.*?```", "", open(markdown_file, encoding="utf-8").read(), flags=re.S)
    slugs = set()
    for title in re.findall(r"^#{1,6} (.+?)\s*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", title.replace("`", "").lower()).replace(" ", "-")
        slugs.add(slug)
    return slugs

text = re.sub(r"```.*?```", "", open(path, encoding="utf-8").read(), flags=re.S)
for target in re.findall(r"\]\(([^)\s]+)\)", text):
    if re.match(r"[a-z]+:", target):
        continue
    file, _, anchor = target.partition("#")
    resolved = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
    if not os.path.exists(resolved):
        failures.append(f"{target}: no file {resolved}")
    elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
        failures.append(f"{target}: no heading #{anchor} in {resolved}")
for failure in failures:
    print(failure)
sys.exit(1 if failures else 0)
PY
}

if [[ " ${files[*]} " == *" docs/configuration.md "* ]]; then
  if check_table configuration >"$work/tables.log" 2>&1; then
    report ok "docs/configuration.md: table"
  else
    report failed "docs/configuration.md: table" "$work/tables.log"
  fi
fi
if [[ " ${files[*]} " == *" docs/api.md "* ]]; then
  if [ -z "$service_ok" ]; then
    report failed "docs/api.md: API table" "$work/service.log"
  elif check_table api >"$work/tables.log" 2>&1; then
    report ok "docs/api.md: API table"
  else
    report failed "docs/api.md: API table" "$work/tables.log"
  fi
fi
for file in "${files[@]}"; do
  if check_links "$file" >"$work/links.log" 2>&1; then report ok "$file: links"; else report failed "$file: links" "$work/links.log"; fi
done

# Blocks that need the service started otherwise, one restart per set of variables.
current=""
while IFS=$'\t' read -r case place kind detail; do
  [ "$kind" = service ] || continue
  if [ "$detail" != "$current" ]; then
    current=$detail
    variables=()
    for assignment in $detail; do
      value=${assignment#*=}
      [ -e "$scratch/$value" ] && value=$scratch/$value
      variables+=("${assignment%%=*}=$value")
    done
    service_ok=1
    start_service "${variables[@]}" || service_ok=""
  fi
  if [ -n "$service_ok" ]; then run_block "$case" "$place"; else report failed "$place" "$work/service.log"; fi
done <"$work/blocks/index"

echo "check-docs: $passed passed, $failed failed, $skipped skipped (in $((SECONDS - started)) s)"
((failed == 0))
