"""A scripted HTTP/1.1 server on 127.0.0.1 that keeps connections alive and counts them.

Each request gets the next entry of the script: ``(status, headers, body)`` (a dict or list is sent as
JSON, bytes as they are), ``DROP`` (read the request, close the connection without answering) or
``HANG`` (never answer; record when the client closes the connection).
"""
import asyncio
import http.server
import json
import socket
import threading
import time

DROP = "drop"
HANG = "hang"


class KeepAliveServer:
    def __init__(self, script, default=None):
        self.script = list(script)
        self.default = default
        self.requests = []
        self.connections = 0
        self.closed_by_client = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                # Headers and body go out as two writes: without this, Nagle holds the body for the client's delayed ACK.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with owner._lock:
                    owner.connections += 1

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with owner._lock:
                    owner.requests.append((self.command, self.path, dict(self.headers), body))
                    entry = owner.script.pop(0) if owner.script else owner.default
                if entry is None:
                    entry = (500, {}, {"title": "The script has no answer left"})
                if entry == DROP:
                    self.close_connection = True
                    return
                if entry == HANG:
                    self.connection.settimeout(10)
                    if self.rfile.read(1) == b"":
                        owner.closed_by_client.set()
                    self.close_connection = True
                    return
                status, headers, payload = entry
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Type" not in headers:
                    self.send_header("Content-Type", "application/problem+json" if status >= 400 else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def methods(self):
        return [request[0] for request in self.requests]


class _Server(http.server.ThreadingHTTPServer):
    # The default backlog of 5 drops connections when many calls start at once, and a dropped SYN is
    # retried by the kernel a second later: a test of concurrency would measure that instead.
    request_queue_size = 128


async def eventually(condition, what, timeout=5.0):
    """Polls ``condition`` until it holds, or fails after ``timeout`` seconds naming ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("waited %.1f s for %s, in vain" % (timeout, what))
        await asyncio.sleep(0.01)
