"""A reader of the change feed for scripts/benchmark.sh --changes: how long after its commit each event reaches it.

usage: follow_changes.py BASE_URL READY_FILE OUT.json
Pages through GET /v1/changes to the newest event, then follows GET /v1/changes/stream from there and creates
READY_FILE. Each event's lag is the time it arrived minus its "at" (when it was stored; same machine, same clock).
On SIGTERM it reads on until the stream has been quiet for 2 s, then writes {events, p50_ms, p99_ms, max_ms}.
"""
import datetime
import http.client
import json
import re
import signal
import os
import statistics
import sys
import threading
import time
import urllib.parse

AT = re.compile(rb'"at":"([^"]+)"')
QUIET_SECONDS = 2.0


def newest_cursor(host, port):
    cursor = None
    while True:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        query = "limit=1000" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        connection.request("GET", f"/v1/changes?{query}")
        page = json.loads(connection.getresponse().read())
        connection.close()
        if not page["items"]:
            return page["next_cursor"]
        cursor = page["next_cursor"]


def follow(response, lags, last_event):
    # A blocking read on its own thread: the stream's chunked framing is the HTTP client's, and a read timeout could
    # drop half a line.
    while line := response.readline():
        if line.startswith(b"data:") and (found := AT.search(line)):
            arrived = datetime.datetime.now(datetime.timezone.utc)
            lags.append((arrived - datetime.datetime.fromisoformat(found.group(1).decode())).total_seconds() * 1000)
            last_event[0] = time.monotonic()


def main(base_url, ready_file, out_file):
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    url = urllib.parse.urlsplit(base_url)
    cursor = newest_cursor(url.hostname, url.port)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    connection.request("GET", "/v1/changes/stream", headers={"Last-Event-ID": cursor, "Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200, response.status
    lags, last_event = [], [time.monotonic()]
    threading.Thread(target=follow, args=(response, lags, last_event), daemon=True).start()
    open(ready_file, "w").close()
    while not stopping.wait(0.1):
        pass
    stopped = time.monotonic()
    while time.monotonic() - max(last_event[0], stopped) < QUIET_SECONDS:
        time.sleep(0.1)
    lags = sorted(lags)
    result = {"events": len(lags),
              "p50_ms": round(statistics.median(lags), 1) if lags else None,
              "p99_ms": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 1) if lags else None,
              "max_ms": round(lags[-1], 1) if lags else None}
    with open(out_file, "w") as out:
        json.dump(result, out)
    os._exit(0)  # the reading thread is blocked on the open stream


if __name__ == "__main__":
    main(*sys.argv[1:])
