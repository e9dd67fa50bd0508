"""Following the change feed: a reader that resumes where it left off, whatever happens to its connection.

Each event carries its ``cursor``, the place just after it. A reader remembers the cursor of the last event it
handled and starts there again, after a dropped connection (here) or after a restart (the caller, from the cursor
it saved): the service then sends every later event once, in each conversation's version order (DESIGN 13).
"""
import asyncio
import json
from dataclasses import dataclass

from . import sse
from .errors import RetryableError

CHANGES_PATH = "/v1/changes"
STREAM_PATH = "/v1/changes/stream"

# The service sends a keep-alive comment after 15 s without events: a longer silence is a dead connection.
_STREAM_SILENCE = 45.0
# The longest pause between two reconnection attempts, however many failed.
_LONGEST_PAUSE = 5.0


@dataclass(frozen=True)
class ChangeEvent:
    """One change to one conversation; save ``cursor`` to resume after it."""

    cursor: str
    kind: str
    """created, updated, restored, forked or erased."""

    thread_id: str
    version: int
    at: str
    state: object = None
    """The state the change produced (a dict); None for an erasure."""

    reason: object = None
    """Erasures only: deleted, erasure_request or expired."""

    @classmethod
    def from_json(cls, item):
        return cls(item["cursor"], item["kind"], item["thread_id"], item["version"], item["at"], item.get("state"), item.get("reason"))


async def follow_pages(transport, cursor, limit, wait, follow):
    """Events after ``cursor`` from ``GET /v1/changes``, long-polling ``wait`` seconds when there is none.

    Without ``follow`` it ends at the first empty page and failures are raised; with it, it never ends, and a
    retryable failure (no connection, a timeout, 429, 503) is waited out and the page asked for again from the
    cursor of the last event yielded, so nothing is repeated or skipped.
    """
    if follow and wait < 1:
        raise ValueError("following the feed needs wait of 1 to 30 seconds, or it would poll without pause")
    failures = 0
    while True:
        params = {"limit": limit, "wait": wait if follow else 0}
        if cursor is not None:
            params["cursor"] = cursor
        try:
            # The answer may take the whole wait, and the usual timeout after that.
            answer = await transport.send("GET", CHANGES_PATH, params=params, retry=True, timeout=transport.timeout + params["wait"])
        except RetryableError as failure:
            if not follow:
                raise
            await asyncio.sleep(_pause(transport.policy, failures, failure))
            failures += 1
            continue
        failures = 0
        page = answer.body
        for item in page["items"]:
            event = ChangeEvent.from_json(item)
            yield event
            cursor = event.cursor
        if not page["items"]:
            if not follow:
                return
            # The same cursor when one was sent; from the start, the place the service says the start is.
            cursor = page.get("next_cursor") or cursor


async def follow_stream(transport, cursor):
    """Events after ``cursor`` from the Server-Sent Events stream, reconnecting with ``Last-Event-ID`` for ever.

    A stream that ends or breaks (a gateway restarting, a silence longer than the keep-alives allow) is opened
    again after the last event yielded; failures that retrying cannot mend (401, 403, a bad cursor) are raised.
    """
    failures = 0
    while True:
        headers = {"Last-Event-ID": cursor} if cursor is not None else None
        failure = None
        try:
            async for message in sse.parse(transport.event_lines(STREAM_PATH, headers=headers, read_timeout=_STREAM_SILENCE)):
                event = ChangeEvent.from_json(json.loads(message.data))
                failures = 0
                yield event
                cursor = event.cursor
        except RetryableError as broken:
            failure = broken
        await asyncio.sleep(_pause(transport.policy, failures, failure))
        failures += 1


def _pause(policy, failures, failure):
    # The service's Retry-After when it gave one, else the client's backoff doubled per failure in a row.
    advice = getattr(failure, "retry_after", None)
    if advice is not None:
        return max(0.0, min(advice, policy.max_retry_after))
    return min(policy.backoff * (2 ** min(failures, 8)), _LONGEST_PAUSE)
