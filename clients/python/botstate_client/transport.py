"""HTTP to the service over pooled, kept-alive connections (httpx), with the retry rules of ``retries``.

One ``httpx.AsyncClient`` per event loop: its connections belong to the loop that opened them, and a
saver is often built at import time, outside any loop, then used in the application's loop (or in a
new loop per test). Cancelling the task that awaits a request closes that request's connection.
"""
import asyncio
import json
import weakref
from dataclasses import dataclass

import httpx

from . import __version__
from .errors import BotStateError, ConnectionFailed, PreconditionFailed, Timeout, problem_error
from .retries import RetryPolicy

# Failures before the request left this process: nothing can have been applied.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after it may have left: it may have been applied, and only a safe call may be repeated.
_TIMED_OUT = (httpx.ReadTimeout, httpx.WriteTimeout)
_BROKEN = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class Answer:
    """A 2xx answer: its status, its JSON body (None when empty) and its ETag."""

    status: int
    body: object
    etag: str
    headers: httpx.Headers

    @property
    def version(self):
        """The version the ETag names (``"3"`` is 3), or None."""
        return int(self.etag.strip('"')) if self.etag else None


class Transport:
    def __init__(self, base_url, api_key, timeout, policy=None, max_connections=100):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.max_connections = max_connections
        self._http = None
        self._loop = None

    async def send(self, method, path, body=None, headers=None, params=None, retry=False, timeout=None):
        """Sends one request (``body`` is JSON bytes), retried per the policy when ``retry``; returns an Answer.

        ``timeout`` replaces the client's per-attempt timeout (a long poll must outlast its ``wait``).

        Raises the ``errors`` class of the failure; a PreconditionFailed that follows an attempt whose
        answer was lost has ``after_lost_answer`` set.
        """
        lost_answer = False
        attempts = self.policy.attempts(retry)
        for attempt in range(attempts):
            try:
                response = await self._client().request(method, path, content=body, headers=self._headers(body, headers), params=params,
                                                        timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout)
                if response.is_success:
                    return Answer(response.status_code, json.loads(response.content) if response.content else None,
                                  response.headers.get("ETag"), response.headers)
                raise problem_error(method, path, response.status_code, response.headers, response.content)
            except httpx.TransportError as error:
                failure = self._failure(method, path, error)
            except PreconditionFailed as failure_412:
                failure_412.after_lost_answer = lost_answer
                raise
            except BotStateError as refused:
                failure = refused
            if attempt + 1 >= attempts or not self.policy.retryable(failure):
                raise failure
            lost_answer = lost_answer or getattr(failure, "request_sent", False)
            await asyncio.sleep(self.policy.pause(attempt, failure))
        raise AssertionError("unreachable")

    async def lines(self, method, path, retry=False):
        """The lines of a streamed answer (NDJSON), read as they arrive; retried only until the answer starts."""
        attempts = self.policy.attempts(retry)
        started = False
        for attempt in range(attempts):
            try:
                async with self._client().stream(method, path, headers=self._headers(None, None)) as response:
                    if not response.is_success:
                        raise problem_error(method, path, response.status_code, response.headers, await response.aread())
                    started = True
                    async for line in response.aiter_lines():
                        if line.strip():
                            yield line
                    return
            except httpx.TransportError as error:
                failure = self._failure(method, path, error)
            except BotStateError as refused:
                failure = refused
            # Once lines flowed, a failure is the caller's: the lines it has seen cannot be taken back.
            if started or attempt + 1 >= attempts or not self.policy.retryable(failure):
                raise failure
            await asyncio.sleep(self.policy.pause(attempt, failure))

    async def event_lines(self, path, headers=None, params=None, read_timeout=None):
        """Every line of a Server-Sent Events answer, blank ones included (they end an event), as they arrive.

        Not retried: a stream that breaks is resumed by the caller from the last event it handled. ``read_timeout``
        is the longest silence tolerated, which must outlast the server's keep-alive comments.
        """
        timeout = httpx.Timeout(self.timeout, read=read_timeout)
        sent = self._headers(None, headers)
        sent["Accept"] = "text/event-stream"
        try:
            async with self._client().stream("GET", path, headers=sent, params=params, timeout=timeout) as response:
                if not response.is_success:
                    raise problem_error("GET", path, response.status_code, response.headers, await response.aread())
                async for line in response.aiter_lines():
                    # httpx before 0.24 keeps each line's break, later versions drop it.
                    yield line.rstrip("\r\n")
        except httpx.TransportError as error:
            raise self._failure("GET", path, error) from error

    async def aclose(self):
        """Closes the pooled connections (of the current loop's client)."""
        http, self._http, self._loop = self._http, None, None
        if http is not None:
            await http.aclose()

    def _client(self):
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop() is not loop:
            # A client of another (usually finished) loop is left behind: its connections cannot be used here.
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout,
                limits=httpx.Limits(max_connections=self.max_connections, max_keepalive_connections=self.max_connections),
                headers={"Accept": "application/json", "User-Agent": "botstate-client/" + __version__},
            )
            self._loop = weakref.ref(loop)
        return self._http

    def _headers(self, body, headers):
        sent = dict(headers or {})
        if body is not None:
            sent["Content-Type"] = "application/json"
        if self.api_key:
            sent["Authorization"] = "Bearer " + self.api_key
        return sent

    def _failure(self, method, path, error):
        where = "%s %s at %s" % (method, path, self.base_url)
        if isinstance(error, _NOT_SENT):
            if isinstance(error, httpx.ConnectError):
                return ConnectionFailed("%s: cannot connect (%s)" % (where, error), request_sent=False)
            return Timeout("%s: no connection within %ss (%s)" % (where, self.timeout, type(error).__name__), request_sent=False)
        if isinstance(error, _TIMED_OUT):
            return Timeout("%s: no answer within %ss" % (where, self.timeout), request_sent=True)
        if isinstance(error, _BROKEN):
            return ConnectionFailed("%s: the connection broke before the answer (%s)" % (where, error), request_sent=True)
        return BotStateError("%s: %s: %s" % (where, type(error).__name__, error))
