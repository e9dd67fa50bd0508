"""HttpMemorySaver: the ai-chatbot-framework's MemorySaver interface over the BotStateCluster gateway."""
import asyncio
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone

from . import states
from .errors import (
    BadRequest,
    BotStateError,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    Timeout,
    Unauthorized,
)

_RETRYABLE_STATUSES = (502, 503, 504)
_MAX_RETRY_AFTER = 5.0
_HISTORY_PAGE = 100
_DEFAULT_URL = "http://127.0.0.1:8080"


class HttpMemorySaver:
    """Keeps dialogue state in BotStateCluster instead of process memory.

    The four methods of the framework's ``MemorySaver`` keep their names and meanings:

    - ``init_state(thread_id)``: a fresh state, not stored, as the original;
    - ``save(thread_id, state)``: stores the state (anything with ``to_dict()``, or a dict;
      datetimes anywhere in it are sent as ISO 8601 UTC);
    - ``get(thread_id)``: the latest state, whole (every field), or None;
    - ``get_all(thread_id)``: every saved state, oldest first as the framework's in-memory saver
      returns them; ``newest_first=True`` (here or per call) for its MongoDB saver's order.

    States come back as the caller's own objects: ``state_factory`` turns a state dict into one
    (for example ``State.from_dict``). By default that is the framework's ``State`` when
    ``app.bot.memory.models`` is importable (every field restored, which its own ``from_dict``
    drops), else plain dicts; ``state_factory=dict`` always gives dicts.

    ``base_url`` defaults to ``$BOTSTATE_GATEWAY_URL``, else ``http://127.0.0.1:8080``, and
    ``api_key`` to ``$BOTSTATE_API_KEY``, so the saver can also be constructed with no arguments,
    like the framework's in-memory saver.

    Requests are retried only when that is safe: reads, ``save`` (a PUT of the same body),
    ``delete``, and ``send_message`` (it always carries an ``Idempotency-Key``, so a retried turn
    is never applied twice). Retries happen on connection errors, timeouts and 502/503/504, with
    exponential backoff and jitter, honouring ``Retry-After``. Blocking I/O runs in a worker
    thread, so the event loop is never blocked.
    """

    def __init__(self, base_url=None, api_key=None, timeout=5.0, retries=2, backoff=0.2,
                 state_factory=states.AUTO, newest_first=False):
        self.base_url = (base_url or os.environ.get("BOTSTATE_GATEWAY_URL") or _DEFAULT_URL).rstrip("/")
        self.api_key = api_key or os.environ.get("BOTSTATE_API_KEY")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.state_factory = states.resolve_factory(state_factory)
        self.newest_first = newest_first

    # ---- the MemorySaver interface ------------------------------------------------------------

    async def init_state(self, thread_id, user_message=None):
        """A new state for ``thread_id`` (the caller's kind, see ``state_factory``); like the original, not stored."""
        return self._build({
            "thread_id": thread_id,
            "user_message": states.to_body(user_message),
            "bot_message": None,
            "nlu": {},
            "context": {},
            "intent": {},
            "parameters": [],
            "extracted_parameters": {},
            "missing_parameters": [],
            "complete": False,
            "current_node": "",
            "date": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        })

    async def save(self, thread_id, state, if_match=None):
        """Stores ``state`` as the thread's current state and returns what was stored (as ``get`` would).

        ``state`` is anything with ``to_dict()`` or a dict; datetimes and dates anywhere in it are
        sent in ISO 8601. ``if_match`` (a version, as ``version_of`` returns) makes the save
        conditional: it raises PreconditionFailed when someone else saved in between.
        """
        headers = {"If-Match": '"%d"' % if_match} if if_match is not None else {}
        stored, _ = await self._call("PUT", self._path(thread_id), states.to_body(state), headers, retry=True)
        return self._build(stored)

    async def get(self, thread_id):
        """The latest state of the thread, or None when it has none."""
        try:
            state, _ = await self._call("GET", self._path(thread_id), retry=True)
            return self._build(state)
        except NotFound:
            return None

    async def get_all(self, thread_id, newest_first=None):
        """Every saved state of the thread (as many as the service keeps, HISTORY_LIMIT).

        Oldest first, as the framework's in-memory saver returns them; ``newest_first=True`` (or
        the constructor's) for its MongoDB saver's order, which is also the order the gateway
        pages in.
        """
        saved, before = [], None
        while True:
            query = {"limit": _HISTORY_PAGE}
            if before is not None:
                query["before"] = before
            page, _ = await self._call(
                "GET", self._path(thread_id, "history") + "?" + urllib.parse.urlencode(query), retry=True
            )
            saved.extend(item["state"] for item in page["items"])
            before = page.get("next_before")
            if before is None:
                break
        newest_first = self.newest_first if newest_first is None else newest_first
        return [self._build(state) for state in (saved if newest_first else reversed(saved))]

    # ---- the rest of the API ------------------------------------------------------------------

    async def send_message(self, thread_id, text, context=None, channel=None, idempotency_key=None):
        """One turn: the service creates the state if needed and applies the message; returns the state."""
        body = {"text": text}
        if context is not None:
            body["context"] = context
        if channel is not None:
            body["channel"] = channel
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        state, _ = await self._call("POST", self._path(thread_id, "messages"), body, headers, retry=True)
        return self._build(state)

    async def delete(self, thread_id):
        """Forgets the thread's state and history (nothing happens when there is none)."""
        await self._call("DELETE", self._path(thread_id), retry=True)

    async def active_intent(self, thread_id):
        """The id of the thread's active intent, or None (also when the thread has no state)."""
        try:
            answer, _ = await self._call("GET", self._path(thread_id, "active-intent"), retry=True)
            return answer["intent_id"]
        except NotFound:
            return None

    async def version_of(self, thread_id):
        """The stored version of the thread's state (its ETag), or None; for ``save(if_match=…)``."""
        try:
            _, etag = await self._call("GET", self._path(thread_id), retry=True)
            return int(etag.strip('"')) if etag else None
        except NotFound:
            return None

    # ---- HTTP -------------------------------------------------------------------------------

    def _build(self, state):
        return self.state_factory(state) if self.state_factory is not None and state is not None else state

    def _path(self, thread_id, *rest):
        return "/".join(["/v1/states", urllib.parse.quote(thread_id, safe="")] + list(rest))

    async def _call(self, method, path, body=None, headers=None, retry=False):
        return await asyncio.to_thread(self._call_blocking, method, path, body, headers or {}, retry)

    def _call_blocking(self, method, path, body, headers, retry):
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                return self._request(method, path, body, headers)
            except (ServiceUnavailable, Timeout) as error:
                if attempt + 1 >= attempts:
                    raise
                time.sleep(self._pause(attempt, getattr(error, "retry_after", None)))
        raise AssertionError("unreachable")

    def _pause(self, attempt, retry_after):
        if retry_after is not None:
            return min(retry_after, _MAX_RETRY_AFTER)
        return self.backoff * (2 ** attempt) * (0.5 + random.random())

    def _request(self, method, path, body, headers):
        data = None if body is None else json.dumps(body, default=states.to_json_value).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", "Bearer " + self.api_key)
        for name, value in headers.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                return (json.loads(raw) if raw else None), response.headers.get("ETag")
        except urllib.error.HTTPError as error:
            raise _error_for(error) from None
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
            raise Timeout("%s %s: no answer from %s (%s)" % (method, path, self.base_url, error)) from None


    # ---- data lifecycle (listing and bulk erasure) ----------------------------------------------

    async def list_threads(self, limit=100, updated_after=None, updated_before=None, current_node=None, intent_id=None):
        """Every conversation, most recently updated first, as an async iterator over pages.

        Each page is a list of ``{thread_id, version, updated_at, current_node, intent_id}`` dicts
        (no state), at most ``limit`` (1-1000) long; the dates bound ``updated_at`` exclusively and
        may be datetimes or ISO-8601 strings. A walk never repeats or skips a thread, except that
        one updated during the walk moves to the front and is not seen again::

            async for page in saver.list_threads(current_node="checkout"):
                for thread in page:
                    ...
        """
        query = {"limit": limit}
        for name, value in (("updated_after", updated_after), ("updated_before", updated_before),
                            ("current_node", current_node), ("intent_id", intent_id)):
            if value is not None:
                query[name] = value.isoformat() if isinstance(value, datetime) else value
        while True:
            page, _ = await self._call("GET", "/v1/states?" + urllib.parse.urlencode(query), retry=True)
            if page["items"]:
                yield page["items"]
            cursor = page.get("next_cursor")
            if cursor is None:
                return
            query["cursor"] = cursor

    async def erase_many(self, thread_ids):
        """Erases up to 1000 threads at once, each as ``delete`` does.

        Returns ``{"erased": [...], "not_found": [...], "failed": [{"thread_id", "detail"}]}``;
        retrying the failed ids is safe.
        """
        answer, _ = await self._call("POST", "/v1/erasures", {"thread_ids": list(thread_ids)}, retry=True)
        return answer

def _error_for(error):
    status = error.code
    try:
        problem = json.loads(error.read() or b"{}")
    except ValueError:
        problem = {}
    title, detail = problem.get("title"), problem.get("detail")
    message = "%d %s: %s" % (status, title or error.reason, detail or "")
    if status == 404:
        return NotFound(message, status, title, detail)
    if status == 412:
        return PreconditionFailed(message, status, title, detail)
    if status in (401, 403):
        return Unauthorized(message, status, title, detail)
    if status in _RETRYABLE_STATUSES:
        retry_after = error.headers.get("Retry-After")
        try:
            seconds = float(retry_after) if retry_after is not None else None
        except ValueError:
            seconds = None
        return ServiceUnavailable(message, status, title, detail, retry_after=seconds)
    if 400 <= status < 500:
        return BadRequest(message, status, title, detail)
    return BotStateError(message, status, title, detail)
