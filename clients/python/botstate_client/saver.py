"""HttpMemorySaver: the ai-chatbot-framework's MemorySaver interface over the BotStateCluster HTTP API."""
import copy
from datetime import datetime, timezone

from . import states
from .client import BotStateClient


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

    Requests go through a ``BotStateClient`` (``saver.client``, for every other operation): pooled
    connections, retries only where they are safe (reads, ``save``, ``delete``, and ``send_message``,
    which always carries an ``Idempotency-Key``), on lost connections, timeouts, 429 and 502/503/504,
    honouring ``Retry-After`` with ``asyncio.sleep``; cancelling a call cancels its request. Close with
    ``await saver.aclose()`` (or ``async with``) when done.
    """

    def __init__(self, base_url=None, api_key=None, timeout=5.0, retries=2, backoff=0.2,
                 state_factory=states.AUTO, newest_first=False, max_connections=100):
        self.client = BotStateClient(base_url, api_key, timeout, retries, backoff, max_connections)
        self.state_factory = states.resolve_factory(state_factory)
        self.newest_first = newest_first

    @property
    def base_url(self):
        return self.client.base_url

    @property
    def api_key(self):
        return self.client.api_key

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    async def aclose(self):
        """Closes the pooled connections."""
        await self.client.aclose()

    # ---- the MemorySaver interface ------------------------------------------------------------

    async def init_state(self, thread_id, user_message=None):
        """A new state for ``thread_id`` (the caller's kind, see ``state_factory``); like the original, not stored."""
        return self._build({
            "thread_id": thread_id,
            **copy.deepcopy(states.DEFAULTS),
            "user_message": states.to_body(user_message),
            "date": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        })

    async def save(self, thread_id, state, if_match=None):
        """Stores ``state`` as the thread's current state and returns what was stored (as ``get`` would).

        ``state`` is anything with ``to_dict()`` or a dict; datetimes and dates anywhere in it are
        sent in ISO 8601. ``if_match`` (a version, as ``version_of`` returns) makes the save
        conditional: it raises PreconditionFailed when someone else saved in between.
        """
        return self._build((await self.client.put_state(thread_id, state, if_match=if_match)).state)

    async def get(self, thread_id):
        """The latest state of the thread, or None when it has none."""
        stored = await self.client.get_state(thread_id)
        return None if stored is None else self._build(stored.state)

    async def get_all(self, thread_id, newest_first=None):
        """Every saved state of the thread (as many as the service keeps, HISTORY_LIMIT).

        Oldest first, as the framework's in-memory saver returns them; ``newest_first=True`` (or
        the constructor's) for its MongoDB saver's order, which is also the order the gateway
        pages in.
        """
        saved = [snapshot.state async for snapshot in self.client.get_history(thread_id)]
        newest_first = self.newest_first if newest_first is None else newest_first
        return [self._build(state) for state in (saved if newest_first else reversed(saved))]

    # ---- the rest of the API ------------------------------------------------------------------

    async def send_message(self, thread_id, text, context=None, channel=None, idempotency_key=None):
        """One turn: the service creates the state if needed and applies the message; returns the state."""
        turn = await self.client.post_message(thread_id, text, context, channel, idempotency_key)
        return self._build(turn.state)

    async def delete(self, thread_id):
        """Forgets the thread's state and history (nothing happens when there is none)."""
        await self.client.delete_state(thread_id)

    async def active_intent(self, thread_id):
        """The id of the thread's active intent, or None (also when the thread has no state)."""
        answer = await self.client.get_active_intent(thread_id)
        return None if answer is None else answer["intent_id"]

    async def version_of(self, thread_id):
        """The stored version of the thread's state (its ETag), or None; for ``save(if_match=…)``."""
        stored = await self.client.get_state(thread_id)
        return None if stored is None else stored.version

    def _build(self, state):
        return self.state_factory(state) if self.state_factory is not None and state is not None else state

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
        async for page in self.client.list_states(limit, updated_after, updated_before, current_node, intent_id):
            yield page

    async def erase_many(self, thread_ids):
        """Erases up to 1000 threads at once, each as ``delete`` does.

        Returns ``{"erased": [...], "not_found": [...], "failed": [{"thread_id", "detail"}]}``;
        retrying the failed ids is safe.
        """
        return await self.client.post_erasures(thread_ids)
