"""HttpMemorySaver against a real gateway and silo: ./test.sh starts them and sets BOTSTATE_GATEWAY_URL."""
import asyncio
import os
import unittest
import uuid

from botstate_client import HttpMemorySaver, PreconditionFailed

GATEWAY_URL = os.environ.get("BOTSTATE_GATEWAY_URL")


def new_thread(prefix="py"):
    return "%s-%s" % (prefix, uuid.uuid4().hex)


@unittest.skipUnless(GATEWAY_URL, "needs a running gateway: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class HttpMemorySaverGatewayTests(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.saver = HttpMemorySaver(GATEWAY_URL, api_key=os.environ.get("BOTSTATE_API_KEY"), timeout=15)

    async def asyncTearDown(self):
        await self.saver.aclose()

    async def test_init_save_get_round_trip(self):
        thread = new_thread()
        state = await self.saver.init_state(thread)
        state["intent"] = {"id": "book_flight"}
        state["context"] = {"city": "Zürich"}

        await self.saver.save(thread, state)
        stored = await self.saver.get(thread)

        self.assertEqual({"id": "book_flight"}, stored["intent"])
        self.assertEqual({"city": "Zürich"}, stored["context"])
        self.assertEqual("book_flight", await self.saver.active_intent(thread))

    async def test_get_of_an_unknown_thread_is_none(self):
        self.assertIsNone(await self.saver.get(new_thread()))

    async def test_get_all_lists_every_save_oldest_first(self):
        thread = new_thread()
        for node in ("a", "b", "c"):
            state = await self.saver.init_state(thread)
            state["current_node"] = node
            await self.saver.save(thread, state)

        history = await self.saver.get_all(thread)

        self.assertEqual(["a", "b", "c"], [state["current_node"] for state in history])
        self.assertEqual(["c", "b", "a"], [s["current_node"] for s in await self.saver.get_all(thread, newest_first=True)])

    async def test_concurrent_saves_to_many_threads_and_turns_on_one_thread_all_land(self):
        threads = [new_thread("many") for _ in range(20)]
        initial = [await self.saver.init_state(t) for t in threads]
        await asyncio.gather(*(self.saver.save(t, state) for t, state in zip(threads, initial)))
        self.assertTrue(all([await self.saver.get(t) is not None for t in threads]))

        one = new_thread("one")
        await asyncio.gather(*(self.saver.send_message(one, "turn %d" % i, context={"k%d" % i: i}) for i in range(20)))

        final = await self.saver.get(one)
        self.assertEqual(20, len(final["context"]))
        self.assertEqual(20, len(await self.saver.get_all(one)))

    async def test_a_stale_if_match_is_a_precondition_failed(self):
        thread = new_thread()
        await self.saver.send_message(thread, "hello")
        version = await self.saver.version_of(thread)
        await self.saver.send_message(thread, "moved on")

        with self.assertRaises(PreconditionFailed):
            await self.saver.save(thread, await self.saver.init_state(thread), if_match=version)

    async def test_thread_ids_of_any_shape_round_trip(self):
        for thread in ("ünïcødé 用户 " + uuid.uuid4().hex, "a/b+c " + uuid.uuid4().hex, "0+" + uuid.uuid4().hex):
            await self.saver.send_message(thread, "hi " + thread)
            self.assertEqual("hi " + thread, (await self.saver.get(thread))["user_message"]["text"])

    async def test_delete_forgets_the_thread(self):
        thread = new_thread()
        await self.saver.send_message(thread, "hi")
        await self.saver.delete(thread)
        self.assertIsNone(await self.saver.get(thread))
        self.assertEqual([], await self.saver.get_all(thread))


if __name__ == "__main__":
    unittest.main()
