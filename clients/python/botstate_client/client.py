"""BotStateClient: every operation of the v1 API, one method each, named after its OpenAPI operationId."""
import json
import os
import urllib.parse
import uuid
from dataclasses import dataclass
from datetime import datetime

from . import feed, landed, states
from .errors import NotFound, PreconditionFailed
from .retries import RetryPolicy
from .transport import Transport

DEFAULT_URL = "http://127.0.0.1:8080"
_HISTORY_PAGE = 100


@dataclass(frozen=True)
class Versioned:
    """A state as stored, with its version (the ETag: send it back as ``if_match``)."""

    state: dict
    version: int
    replayed: bool = False
    """For a turn: true when the service answered a repeated Idempotency-Key with the first result."""


@dataclass(frozen=True)
class Snapshot:
    """One saved state of a thread's history."""

    version: int
    saved_at: str
    state: dict


class BotStateClient:
    """The v1 HTTP API of BotStateCluster (the gateway, or a silo serving it) as async methods.

    ``base_url`` defaults to ``$BOTSTATE_GATEWAY_URL``, else ``http://127.0.0.1:8080``; ``api_key`` to
    ``$BOTSTATE_API_KEY`` (sent as a bearer token; the key decides the tenant). Connections are pooled
    and kept alive, up to ``max_connections`` at once. ``timeout`` is per attempt, in seconds.

    Calls that are safe to repeat are retried ``retries`` times on lost connections, timeouts, 429 and
    502/503/504, waiting ``Retry-After`` or a backoff without holding a thread: every call here is such
    a call (a turn carries an Idempotency-Key, and a conditional save that lands twice is recognised).
    Close with ``await client.aclose()`` or use ``async with``.
    """

    def __init__(self, base_url=None, api_key=None, timeout=5.0, retries=2, backoff=0.2, max_connections=100):
        self._transport = Transport(
            base_url or os.environ.get("BOTSTATE_GATEWAY_URL") or DEFAULT_URL,
            api_key or os.environ.get("BOTSTATE_API_KEY"),
            timeout,
            RetryPolicy(retries=retries, backoff=backoff),
            max_connections,
        )

    @property
    def base_url(self):
        return self._transport.base_url

    @property
    def api_key(self):
        return self._transport.api_key

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    async def aclose(self):
        """Closes the pooled connections."""
        await self._transport.aclose()

    # ---- one conversation ----------------------------------------------------------------------

    async def get_state(self, thread_id):
        """GetState: the thread's state as a Versioned, or None when it has none."""
        try:
            answer = await self._transport.send("GET", _path(thread_id), retry=True)
        except NotFound:
            return None
        return Versioned(answer.body, answer.version)

    async def put_state(self, thread_id, state, if_match=None, create_only=False):
        """PutState: stores ``state`` (a dict, or anything with ``to_dict()``; datetimes become ISO 8601).

        ``if_match`` (a version) saves only over that version, ``create_only`` only when the thread has
        no state; otherwise PreconditionFailed. Returns the stored state as a Versioned.
        """
        body = states.to_json_bytes(state)
        headers = {}
        if if_match is not None:
            headers["If-Match"] = '"%d"' % if_match
        if create_only:
            headers["If-None-Match"] = "*"
        try:
            answer = await self._transport.send("PUT", _path(thread_id), body, headers, retry=True)
        except PreconditionFailed as error:
            # The retry of a save whose first answer was lost can find its own write (see landed).
            if if_match is not None and error.after_lost_answer:
                current = await self.get_state(thread_id)
                if landed.put_landed(json.loads(body), thread_id, if_match, current):
                    return current
            raise
        return Versioned(answer.body, answer.version)

    async def delete_state(self, thread_id, if_match=None):
        """DeleteState: forgets the thread's state and history; nothing happens when there is none."""
        headers = {"If-Match": '"%d"' % if_match} if if_match is not None else {}
        await self._transport.send("DELETE", _path(thread_id), headers=headers, retry=True)

    async def post_message(self, thread_id, text, context=None, channel=None, idempotency_key=None, if_match=None):
        """PostMessage: one turn, applied by the service (the state is created when missing); a Versioned.

        Always sends an ``Idempotency-Key`` (a new one unless given), the same on every retry, so a turn
        is never applied twice. ``if_match`` applies it only over that version.
        """
        message = {"text": text}
        if context is not None:
            message["context"] = context
        if channel is not None:
            message["channel"] = channel
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        if if_match is not None:
            headers["If-Match"] = '"%d"' % if_match
        answer = await self._transport.send("POST", _path(thread_id, "messages"), states.to_json_bytes(message), headers, retry=True)
        return Versioned(answer.body, answer.version, answer.headers.get("Idempotent-Replayed") == "true")

    async def get_history(self, thread_id, page_size=_HISTORY_PAGE):
        """GetHistory: every kept snapshot of the thread, newest first, as an async iterator of Snapshots."""
        params = {"limit": page_size}
        while True:
            page = (await self._transport.send("GET", _path(thread_id, "history"), params=params, retry=True)).body
            for item in page["items"]:
                yield Snapshot(item.get("version"), item.get("saved_at"), item["state"])
            if page.get("next_before") is None:
                return
            params["before"] = page["next_before"]

    async def get_active_intent(self, thread_id):
        """GetActiveIntent: ``{thread_id, intent_id}`` (``intent_id`` None when no intent is active), or None without a state."""
        try:
            return (await self._transport.send("GET", _path(thread_id, "active-intent"), retry=True)).body
        except NotFound:
            return None

    async def export_state(self, thread_id):
        """ExportState: everything stored about the thread, as an async iterator of dicts, as they arrive.

        First ``{"kind": "state", "thread_id", "version", "state"}``, then one ``{"kind": "snapshot",
        …, "saved_at"}`` per kept snapshot, newest first. NotFound when the thread has no state.
        """
        async for line in self._transport.lines("GET", _path(thread_id, "export"), retry=True):
            yield json.loads(line)

    # ---- time travel --------------------------------------------------------------------------

    async def get_snapshot(self, thread_id, version):
        """GetSnapshot: the kept snapshot of one version as a Snapshot, or None when that version is not kept."""
        try:
            item = (await self._transport.send("GET", _path(thread_id, "history", str(int(version))), retry=True)).body
        except NotFound:
            return None
        return Snapshot(item["version"], item["saved_at"], item["state"])

    async def restore(self, thread_id, version, if_match=None):
        """RestoreState: makes the snapshot of ``version`` the current state again, as a new version; a Versioned.

        ``if_match`` restores only over that version (else PreconditionFailed). NotFound when the thread has no
        state or ``version`` is not kept (its ``detail`` names the oldest kept). Not repeated after a lost answer,
        which may have restored already: read the state to find out.
        """
        headers = {"If-Match": '"%d"' % if_match} if if_match is not None else {}
        body = states.to_json_bytes({"version": int(version)})
        answer = await self._transport.send("POST", _path(thread_id, "restore"), body, headers)
        return Versioned(answer.body, answer.version)

    async def fork(self, thread_id, to, version=None, if_match=None):
        """ForkState: starts the conversation ``to`` from the snapshot of ``version`` (the current state when None).

        Returns the new conversation's state as a Versioned. AlreadyExists when ``to`` has a state; NotFound when
        ``thread_id`` has none or ``version`` is not kept; ``if_match`` (a version of ``thread_id``) forks only from
        that version, else PreconditionFailed. Not repeated after a lost answer (a repeat would find ``to`` taken).
        """
        headers = {"If-Match": '"%d"' % if_match} if if_match is not None else {}
        request = {"to": to}
        if version is not None:
            request["version"] = int(version)
        answer = await self._transport.send("POST", _path(thread_id, "fork"), states.to_json_bytes(request), headers)
        return Versioned(answer.body, answer.version)

    # ---- the change feed ----------------------------------------------------------------------

    def changes(self, cursor=None, limit=100, wait=30, follow=True):
        """GetChanges: the tenant's change feed after ``cursor`` as an async iterator of ChangeEvents, oldest first.

        ``cursor`` is an event's ``cursor`` (None: from the oldest kept). Following (the default), it long-polls
        ``wait`` seconds (1-30) at a time and never ends; a dropped connection or a restarting service is waited
        out and the feed resumed after the last event yielded. Save ``event.cursor`` once an event is handled and
        pass it here after a restart: no event is repeated or skipped. ``follow=False`` ends once caught up.
        """
        return feed.follow_pages(self._transport, cursor, limit, wait, follow)

    def change_stream(self, cursor=None):
        """GetChangeStream: the same events as ``changes()`` over Server-Sent Events, one connection held open.

        Never ends; a stream that breaks is opened again with ``Last-Event-ID`` set to the last event yielded.
        """
        return feed.follow_stream(self._transport, cursor)

    async def get_failed_deliveries(self, limit=100):
        """GetFailedDeliveries: webhook deliveries that failed after their last try, oldest event first.

        A list of ``{id, thread_id, version, kind, attempts, last_error, failed_at}`` dicts, at most ``limit``.
        """
        return (await self._transport.send("GET", feed.CHANGES_PATH + "/failed-deliveries", params={"limit": limit}, retry=True)).body["items"]

    async def retry_failed_deliveries(self, ids=None):
        """RetryFailedDeliveries: sends the failed deliveries named by ``ids`` (their ``id``s) again, or all of them.

        Returns how many go out again. Retried like a read: at worst a delivery goes out once more, which
        at-least-once receivers already expect (they drop repeats by ``webhook-id``).
        """
        request = {"ids": list(ids)} if ids is not None else {}
        body = states.to_json_bytes(request)
        return (await self._transport.send("POST", feed.CHANGES_PATH + "/failed-deliveries/retry", body, retry=True)).body["retrying"]

    # ---- every conversation --------------------------------------------------------------------

    async def list_states(self, limit=100, updated_after=None, updated_before=None, current_node=None, intent_id=None):
        """ListStates: every conversation, most recently updated first, as an async iterator of pages.

        Each page is a list of ``{thread_id, version, updated_at, current_node, intent_id}`` dicts (no
        state), at most ``limit`` (1-1000) long; the dates bound ``updated_at`` exclusively and may be
        datetimes or ISO-8601 strings.
        """
        params = {"limit": limit}
        for name, value in (("updated_after", updated_after), ("updated_before", updated_before),
                            ("current_node", current_node), ("intent_id", intent_id)):
            if value is not None:
                params[name] = value.isoformat() if isinstance(value, datetime) else value
        while True:
            page = (await self._transport.send("GET", "/v1/states", params=params, retry=True)).body
            if page["items"]:
                yield page["items"]
            if page.get("next_cursor") is None:
                return
            params["cursor"] = page["next_cursor"]

    async def post_erasures(self, thread_ids):
        """PostErasures: erases up to 1000 threads at once, each as ``delete_state`` does.

        Returns ``{"erased": [...], "not_found": [...], "failed": [{"thread_id", "detail"}]}``; erasing
        is idempotent, so retrying (the failed ids, or the whole call) is safe.
        """
        body = states.to_json_bytes({"thread_ids": list(thread_ids)})
        return (await self._transport.send("POST", "/v1/erasures", body, retry=True)).body


def _path(thread_id, *rest):
    return "/".join(["/v1/states", urllib.parse.quote(thread_id, safe="")] + list(rest))
