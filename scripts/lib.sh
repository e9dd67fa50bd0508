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

# python_with MODULE...: prints the first Python that imports every MODULE: python3 on PATH, else Debian's
# /usr/bin/python3 (where apt-get puts python3-httpx and the like when python3 on PATH is another one).
python_with() {
  local modules candidate
  modules=$(IFS=,; echo "$*")
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c "import $modules" 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# ports_free NAME=ENDPOINT...: fails, with one line per taken endpoint, when something already listens where a
# process would: ENDPOINT is an HTTP listener URL (ASPNETCORE_URLS style, ';'-separated) or a bare port (any address).
ports_free() {
  python3 - "$@" <<'PY'
import errno, socket, sys, urllib.parse

def taken(host, port):
    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            # What a listener sets too, so a port whose old connections linger in TIME_WAIT counts as free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    return True
    return False

failed = False
for argument in sys.argv[1:]:
    name, _, endpoint = argument.partition("=")
    for item in filter(None, endpoint.split(";")):
        if item.isdigit():
            host, port = None, int(item)
        else:
            url = urllib.parse.urlsplit(item.replace("://+", "://0.0.0.0").replace("://*", "://0.0.0.0"))
            host, port = url.hostname, url.port or (443 if url.scheme == "https" else 80)
        if taken(host, port):
            where = "port %d" % port if host is None else "%s:%d" % (host, port)
            print("error: %s: %s is already in use (another ./run.sh or service?); set %s to a free one" % (name, where, name), file=sys.stderr)
            failed = True
sys.exit(1 if failed else 0)
PY
}

# wait_ready URL SECONDS NAME [LOGFILE] [PID]: polls URL until it answers 200, or fails naming what it waited for;
# with PID, fails as soon as that process has exited instead of waiting out SECONDS.
wait_ready() {
  local url=$1 seconds=$2 name=$3 log=${4:-} pid=${5:-}
  local deadline=$((SECONDS + seconds))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      local code=0
      wait "$pid" 2>/dev/null || code=$?
      echo "error: $name exited with code $code before it became ready at $url" >&2
      [ -n "$log" ] && [ -f "$log" ] && tail -n 30 "$log" >&2
      return 1
    fi
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
