import json
import pathlib
"""Every operation of BotStateClient against the real service (./test.sh sets BOTSTATE_GATEWAY_URL: the
gateway, then a silo serving the API itself)."""
import os
import unittest
import uuid

from botstate_client import (
    BadRequest,
    BotStateClient,
    NotFound,
    PreconditionFailed,
    Snapshot,
    Versioned,
)
from botstate_client.operations import OPERATIONS

GATEWAY_URL = os.environ.get("BOTSTATE_GATEWAY_URL")


def new_thread(prefix="client"):
    return "%s-%s" % (prefix, uuid.uuid4().hex)


@unittest.skipUnless(GATEWAY_URL, "needs a running service: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class BotStateClientAgainstTheServiceTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = BotStateClient(GATEWAY_URL, api_key=os.environ.get("BOTSTATE_API_KEY"), timeout=15)

    async def asyncTearDown(self):
        await self.client.aclose()

    async def test_a_turn_creates_the_state_and_every_answer_carries_its_version(self):
        thread = new_thread()

        first = await self.client.post_message(thread, "hello", context={"locale": "en"}, channel="web")
        second = await self.client.post_message(thread, "again")
        read = await self.client.get_state(thread)

        self.assertEqual((1, 2, 2), (first.version, second.version, read.version))
        self.assertEqual({"thread_id": thread, "text": "hello", "channel": "web", "context": {"locale": "en"}}, first.state["user_message"])
        self.assertEqual(second.state, read.state)
        self.assertIsNone(await self.client.get_state(new_thread("nobody")))

    async def test_a_turn_repeated_with_its_idempotency_key_is_replayed_not_applied_twice(self):
        thread = new_thread()
        key = uuid.uuid4().hex

        first = await self.client.post_message(thread, "once", idempotency_key=key)
        again = await self.client.post_message(thread, "once", idempotency_key=key)

        self.assertEqual((first.version, False), (again.version, first.replayed))
        self.assertTrue(again.replayed)
        self.assertEqual(first.version, (await self.client.get_state(thread)).version)

    async def test_put_creates_replaces_and_honours_its_conditions(self):
        thread = new_thread()

        created = await self.client.put_state(thread, {"current_node": "a"}, create_only=True)
        with self.assertRaises(PreconditionFailed):
            await self.client.put_state(thread, {"current_node": "b"}, create_only=True)
        replaced = await self.client.put_state(thread, {"current_node": "c"}, if_match=created.version)
        with self.assertRaises(PreconditionFailed):
            await self.client.put_state(thread, {"current_node": "d"}, if_match=created.version)

        self.assertEqual(Versioned(replaced.state, 2), await self.client.get_state(thread))
        self.assertEqual("c", replaced.state["current_node"])
        self.assertEqual(thread, replaced.state["thread_id"])

    async def test_delete_forgets_and_honours_if_match(self):
        thread = new_thread()
        turn = await self.client.post_message(thread, "hi")

        with self.assertRaises(PreconditionFailed):
            await self.client.delete_state(thread, if_match=turn.version + 1)
        await self.client.delete_state(thread, if_match=turn.version)
        await self.client.delete_state(thread)

        self.assertIsNone(await self.client.get_state(thread))

    async def test_history_walks_every_snapshot_newest_first_across_pages(self):
        thread = new_thread()
        for text in ("one", "two", "three"):
            await self.client.post_message(thread, text)

        snapshots = [snapshot async for snapshot in self.client.get_history(thread, page_size=2)]

        self.assertEqual([3, 2, 1], [snapshot.version for snapshot in snapshots])
        self.assertEqual(["three", "two", "one"], [snapshot.state["user_message"]["text"] for snapshot in snapshots])
        self.assertTrue(all(isinstance(snapshot, Snapshot) and snapshot.saved_at.endswith("+00:00") for snapshot in snapshots))

    async def test_active_intent_is_the_intents_id_or_none(self):
        thread = new_thread()
        await self.client.put_state(thread, {"intent": {"id": "book_flight"}})
        bare = new_thread()
        await self.client.post_message(bare, "hi")

        self.assertEqual({"thread_id": thread, "intent_id": "book_flight"}, await self.client.get_active_intent(thread))
        self.assertIsNone((await self.client.get_active_intent(bare))["intent_id"])
        self.assertIsNone(await self.client.get_active_intent(new_thread("nobody")))

    async def test_listing_filters_and_pages(self):
        node = "node-" + uuid.uuid4().hex
        threads = [new_thread() for _ in range(3)]
        for thread in threads:
            await self.client.put_state(thread, {"current_node": node})

        pages = [page async for page in self.client.list_states(limit=2, current_node=node)]

        self.assertEqual([2, 1], [len(page) for page in pages])
        self.assertEqual(list(reversed(threads)), [item["thread_id"] for page in pages for item in page])
        with self.assertRaises(BadRequest):
            async for _ in self.client.list_states(limit=0):
                pass

    async def test_export_streams_the_state_then_every_snapshot(self):
        thread = new_thread()
        for text in ("one", "two"):
            await self.client.post_message(thread, text)

        lines = [line async for line in self.client.export_state(thread)]

        self.assertEqual([("state", 2), ("snapshot", 2), ("snapshot", 1)], [(line["kind"], line["version"]) for line in lines])
        self.assertEqual("two", lines[0]["state"]["user_message"]["text"])
        with self.assertRaises(NotFound):
            async for _ in self.client.export_state(new_thread("nobody")):
                pass

    async def test_erasures_report_each_thread(self):
        kept, erased = new_thread(), new_thread()
        for thread in (kept, erased):
            await self.client.post_message(thread, "hi")
        missing = new_thread("missing")

        answer = await self.client.post_erasures([erased, missing])

        self.assertEqual({"erased": [erased], "not_found": [missing], "failed": []}, answer)
        self.assertIsNone(await self.client.get_state(erased))
        self.assertIsNotNone(await self.client.get_state(kept))


class OperationsTests(unittest.TestCase):
    def test_the_manifest_of_the_coverage_check_is_this_client(self):
        # clients/openapi/clients.json registers clients/python/operations.json; ClientCoverageTests holds it to the contract.
        manifest = pathlib.Path(__file__).resolve().parents[1] / "operations.json"
        declared = json.loads(manifest.read_text())["operations"]
        self.assertEqual({operation_id: "BotStateClient." + method.__name__ for operation_id, method in OPERATIONS.items()}, declared)

    def test_every_operation_is_named_by_its_operation_id_in_snake_case_but_the_feed_and_time_travel(self):
        # These read as what a caller does: ``async for event in client.changes()``, ``client.restore(...)``.
        named_for_use = {"GetChanges": "changes", "GetChangeStream": "change_stream", "RestoreState": "restore", "ForkState": "fork"}
        self.assertEqual(16, len(OPERATIONS))
        for operation_id, method in OPERATIONS.items():
            snake = "".join("_" + c.lower() if c.isupper() else c for c in operation_id).lstrip("_")
            self.assertEqual(named_for_use.get(operation_id, snake), method.__name__)


if __name__ == "__main__":
    unittest.main()
