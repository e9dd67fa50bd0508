# Shared by run.sh and test.sh: start the real processes on loopback and wait for them properly.
# shellcheck shell=bash

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# wait_ready URL SECONDS NAME LOGFILE: polls URL until it answers 200, or fails naming what it waited for.
wait_ready() {
  local url=$1 seconds=$2 name=$3 log=${4:-}
  local deadline=$((SECONDS + seconds))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "error: $name did not become ready at $url within ${seconds}s" >&2
      [ -n "$log" ] && [ -f "$log" ] && tail -n 30 "$log" >&2
      return 1
    fi
    sleep 0.25
  done
}

# stop_process PID [SECONDS]: SIGTERM, wait for a graceful exit, SIGKILL when it does not come.
stop_process() {
  local pid=$1 seconds=${2:-35}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + seconds))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

# launch NAME DLL HTTP_URL OUTPUT: starts a built process with its HTTP listener on HTTP_URL, its output
# prefixed with [NAME] on stdout (OUTPUT "-") or written to the file OUTPUT; sets LAUNCHED_PID.
launch() {
  local name=$1 dll=$2 url=$3 output=$4
  if [ "$output" = "-" ]; then
    ASPNETCORE_URLS=$url dotnet "$dll" > >(sed -u "s/^/[$name] /") 2>&1 &
  else
    ASPNETCORE_URLS=$url dotnet "$dll" >"$output" 2>&1 &
  fi
  LAUNCHED_PID=$!
}
