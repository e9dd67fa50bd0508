"""Time travel and the change feed against the real service (./test.sh sets BOTSTATE_GATEWAY_URL)."""
import asyncio
import os
import unittest
import uuid

from botstate_client import AlreadyExists, BotStateClient, NotFound, PreconditionFailed

GATEWAY_URL = os.environ.get("BOTSTATE_GATEWAY_URL")
# How long a change may take to reach a reader before the test calls it lost.
DEADLINE = 30.0


def new_thread(prefix="feed"):
    return "%s-%s" % (prefix, uuid.uuid4().hex)


async def feed_end(client):
    """The cursor after the last event the tenant has now (other tests write to the same tenant)."""
    cursor = None
    async for event in client.changes(limit=1000, follow=False):
        cursor = event.cursor
    return cursor


async def versions_until(events, thread, last_version, cursors=None):
    """The versions of ``thread`` that ``events`` yields, up to ``last_version``; ``cursors`` gets each one's cursor."""
    versions = []
    try:
        async for event in events:
            if event.thread_id == thread:
                versions.append(event.version)
                if cursors is not None:
                    cursors[event.version] = event.cursor
                if event.version >= last_version:
                    return versions
    finally:
        await events.aclose()


@unittest.skipUnless(GATEWAY_URL, "needs a running service: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class TimeTravelTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = BotStateClient(GATEWAY_URL, api_key=os.environ.get("BOTSTATE_API_KEY"), timeout=15)
        self.thread = new_thread("travel")
        for text in ("one", "two", "three"):
            await self.client.post_message(self.thread, text)

    async def asyncTearDown(self):
        await self.client.aclose()

    async def test_a_snapshot_of_one_version_is_the_state_it_had(self):
        snapshot = await self.client.get_snapshot(self.thread, 2)

        self.assertEqual(2, snapshot.version)
        self.assertEqual("two", snapshot.state["user_message"]["text"])
        self.assertIsNone(await self.client.get_snapshot(self.thread, 99))

    async def test_restore_makes_an_old_version_current_as_a_new_one_and_honours_if_match(self):
        restored = await self.client.restore(self.thread, 1, if_match=3)

        self.assertEqual(4, restored.version)
        self.assertEqual("one", restored.state["user_message"]["text"])
        self.assertEqual(restored, await self.client.get_state(self.thread))
        with self.assertRaises(PreconditionFailed):
            await self.client.restore(self.thread, 2, if_match=3)
        with self.assertRaises(NotFound):
            await self.client.restore(self.thread, 99)
        with self.assertRaises(NotFound):
            await self.client.restore(new_thread("nobody"), 1)

    async def test_fork_starts_a_new_conversation_once_and_honours_if_match(self):
        to = new_thread("fork")

        forked = await self.client.fork(self.thread, to, version=2, if_match=3)

        self.assertEqual("two", forked.state["user_message"]["text"])
        self.assertEqual(forked, await self.client.get_state(to))
        self.assertEqual(3, (await self.client.get_state(self.thread)).version)
        with self.assertRaises(AlreadyExists) as taken:
            await self.client.fork(self.thread, to)
        self.assertEqual(409, taken.exception.status)
        with self.assertRaises(PreconditionFailed):
            await self.client.fork(self.thread, new_thread("fork"), if_match=1)
        with self.assertRaises(NotFound):
            await self.client.fork(new_thread("nobody"), new_thread("fork"))


@unittest.skipUnless(GATEWAY_URL, "needs a running service: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class ChangeFeedTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = BotStateClient(GATEWAY_URL, api_key=os.environ.get("BOTSTATE_API_KEY"), timeout=15)

    async def asyncTearDown(self):
        await self.client.aclose()

    async def test_changes_yields_later_turns_and_a_new_iterator_resumes_from_a_saved_cursor(self):
        thread = new_thread()
        start = await feed_end(self.client)
        cursors = {}
        # Reading starts before the turns are written: the long poll has to wake up for them.
        reading = asyncio.ensure_future(versions_until(self.client.changes(cursor=start, wait=5), thread, 3, cursors))
        for text in ("a", "b", "c"):
            await self.client.post_message(thread, text)
        self.assertEqual([1, 2, 3], await asyncio.wait_for(reading, DEADLINE))

        for text in ("d", "e"):
            await self.client.post_message(thread, text)
        resumed = await asyncio.wait_for(versions_until(self.client.changes(cursor=cursors[2], wait=5), thread, 5), DEADLINE)

        self.assertEqual([3, 4, 5], resumed)

    async def test_the_stream_resumes_from_a_saved_cursor_as_the_pages_do(self):
        thread = new_thread("stream")
        start = await feed_end(self.client)
        cursors = {}
        reading = asyncio.ensure_future(versions_until(self.client.change_stream(cursor=start), thread, 2, cursors))
        for text in ("a", "b"):
            await self.client.post_message(thread, text)
        self.assertEqual([1, 2], await asyncio.wait_for(reading, DEADLINE))

        await self.client.delete_state(thread)
        seen = await asyncio.wait_for(kinds_until_erased(self.client.change_stream(cursor=cursors[1]), thread), DEADLINE)

        self.assertEqual([(2, "updated", None), ("erased", "deleted")], [seen[0], seen[1][1:]])
        self.assertEqual(2, len(seen))

    async def test_failed_deliveries_list_their_fields_and_an_event_that_did_not_fail_is_not_retried(self):
        thread = new_thread("delivered")
        start = await feed_end(self.client)
        await self.client.post_message(thread, "hi")
        cursors = {}
        await asyncio.wait_for(versions_until(self.client.changes(cursor=start, wait=5), thread, 1, cursors), DEADLINE)

        failed = await self.client.get_failed_deliveries(limit=10)

        self.assertLessEqual(len(failed), 10)
        for item in failed:
            self.assertLessEqual({"id", "thread_id", "version", "kind", "attempts", "last_error", "failed_at"}, set(item))
        self.assertEqual(0, await self.client.retry_failed_deliveries([cursors[1]]))


async def kinds_until_erased(events, thread):
    """``(version, kind, reason)`` of each event of ``thread`` that ``events`` yields, up to its erasure."""
    seen = []
    try:
        async for event in events:
            if event.thread_id == thread:
                seen.append((event.version, event.kind, event.reason))
                if event.kind == "erased":
                    return seen
    finally:
        await events.aclose()


if __name__ == "__main__":
    unittest.main()
