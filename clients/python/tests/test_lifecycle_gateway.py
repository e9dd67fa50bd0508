"""list_threads, delete and erase_many against a real gateway and silo (./test.sh sets BOTSTATE_GATEWAY_URL)."""
import os
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from botstate_client import BadRequest, HttpMemorySaver

GATEWAY_URL = os.environ.get("BOTSTATE_GATEWAY_URL")


def new_thread(prefix="life"):
    return "%s-%s" % (prefix, uuid.uuid4().hex)


@unittest.skipUnless(GATEWAY_URL, "needs a running gateway: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class LifecycleGatewayTests(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.saver = HttpMemorySaver(GATEWAY_URL, api_key=os.environ.get("BOTSTATE_API_KEY"), timeout=15)

    async def asyncTearDown(self):
        await self.saver.aclose()

    async def _create(self, node, count):
        threads = []
        for _ in range(count):
            thread = new_thread()
            state = await self.saver.init_state(thread)
            state["current_node"] = node
            state["intent"] = {"id": "intent-" + node}
            await self.saver.save(thread, state)
            threads.append(thread)
        return threads

    async def test_list_threads_walks_pages_newest_first(self):
        node = "node-" + uuid.uuid4().hex
        threads = await self._create(node, 5)

        pages = [page async for page in self.saver.list_threads(limit=2, current_node=node)]

        self.assertEqual([2, 2, 1], [len(page) for page in pages])
        items = [item for page in pages for item in page]
        self.assertEqual(list(reversed(threads)), [item["thread_id"] for item in items])
        self.assertTrue(all(item["intent_id"] == "intent-" + node and item["version"] == 1 for item in items))

    async def test_list_threads_filters_by_intent_and_dates(self):
        node = "node-" + uuid.uuid4().hex
        threads = await self._create(node, 2)
        later = datetime.now(timezone.utc) + timedelta(hours=1)

        by_intent = [item["thread_id"] async for page in self.saver.list_threads(intent_id="intent-" + node) for item in page]
        none = [page async for page in self.saver.list_threads(current_node=node, updated_after=later)]

        self.assertEqual(sorted(threads), sorted(by_intent))
        self.assertEqual([], none)

    async def test_a_bad_limit_is_a_bad_request(self):
        with self.assertRaises(BadRequest):
            async for _ in self.saver.list_threads(limit=0):
                pass

    async def test_delete_removes_a_thread_from_the_listing(self):
        node = "node-" + uuid.uuid4().hex
        kept, deleted = await self._create(node, 2)

        await self.saver.delete(deleted)

        self.assertIsNone(await self.saver.get(deleted))
        listed = [item["thread_id"] async for page in self.saver.list_threads(current_node=node) for item in page]
        self.assertEqual([kept], listed)

    async def test_erase_many_reports_each_thread(self):
        node = "node-" + uuid.uuid4().hex
        first, second = await self._create(node, 2)
        missing = new_thread("missing")

        answer = await self.saver.erase_many([first, missing, second])

        self.assertEqual([first, second], answer["erased"])
        self.assertEqual([missing], answer["not_found"])
        self.assertEqual([], answer["failed"])
        self.assertIsNone(await self.saver.get(first))
