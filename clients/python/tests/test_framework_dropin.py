"""HttpMemorySaver as a drop-in for the framework's saver: its State objects in and out, datetimes, the one-line swap.

The unit tests run against a scripted server; the dialogue-loop tests need a real gateway
(./test.sh starts one and sets BOTSTATE_GATEWAY_URL).
"""
import copy
import difflib
import json
import os
import unittest
import uuid
from datetime import date, datetime, timedelta, timezone

from botstate_client import HttpMemorySaver

from .framework import dialogue_loop_source, framework_importable, load_dialogue_loop
from .test_saver_unit import ScriptedServer

GATEWAY_URL = os.environ.get("BOTSTATE_GATEWAY_URL")

STORED = {
    "thread_id": "u1",
    "user_message": {"thread_id": "u1", "text": "to Paris", "channel": "rest", "context": {"locale": "en"}},
    "bot_message": [{"text": "Done"}],
    "nlu": {"intent": {"intent": "book_flight", "confidence": 1.0}},
    "context": {"locale": "en"},
    "intent": {"id": "book_flight"},
    "parameters": [{"name": "destination", "required": True}],
    "extracted_parameters": {"destination": "Paris"},
    "missing_parameters": [],
    "complete": True,
    "current_node": None,
    "date": "2026-11-24T08:30:01.123456+00:00",
}


class SavingFrameworkStatesTests(unittest.IsolatedAsyncioTestCase):
    async def test_a_framework_state_with_datetimes_is_sent_as_the_contract_json(self):
        with framework_importable():
            from app.bot.dialogue_manager.models import UserMessage
            from app.bot.memory.models import State

            state = State("u1", context={"booked_on": date(2026, 11, 24)})
            state.update(UserMessage("u1", "hi", {"seen": datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=1)))}))
            state.date = datetime(2026, 11, 24, 8, 30, 1, tzinfo=timezone.utc)
            with ScriptedServer([(200, {}, STORED)]) as server:
                await HttpMemorySaver(server.url).save("u1", state)

        body = json.loads(server.requests[0][3])
        self.assertEqual("2026-11-24T08:30:01.000000+00:00", body["date"])
        self.assertEqual("2026-11-24", body["context"]["booked_on"])
        self.assertEqual("2026-11-24T08:30:00.000000+00:00", body["context"]["seen"])
        self.assertEqual({"seen": "2026-11-24T08:30:00.000000+00:00"}, body["user_message"]["context"])

    async def test_a_dict_with_a_naive_datetime_is_sent_as_utc(self):
        with ScriptedServer([(200, {}, STORED)]) as server:
            await HttpMemorySaver(server.url).save("u1", {"thread_id": "u1", "date": datetime(2026, 1, 2, 3, 4, 5, 6)})
        self.assertEqual("2026-01-02T03:04:05.000006+00:00", json.loads(server.requests[0][3])["date"])

    async def test_a_value_json_cannot_hold_is_refused_before_anything_is_sent(self):
        with ScriptedServer([(200, {}, STORED)]) as server:
            with self.assertRaises(TypeError) as raised:
                await HttpMemorySaver(server.url).save("u1", {"context": {"x": object()}})
        self.assertIn("object", str(raised.exception))
        self.assertEqual([], server.requests)


class ReadingStatesAsTheCallersObjectsTests(unittest.IsolatedAsyncioTestCase):
    async def test_a_state_factory_builds_the_callers_objects(self):
        with framework_importable():
            from app.bot.memory.models import State

            with ScriptedServer([(200, {}, STORED)]) as server:
                state = await HttpMemorySaver(server.url, state_factory=State.from_dict).get("u1")
        self.assertIsInstance(state, State)
        self.assertEqual({"destination": "Paris"}, state.extracted_parameters)

    async def test_by_default_the_frameworks_state_comes_back_whole_when_the_framework_is_importable(self):
        with framework_importable():
            from app.bot.dialogue_manager.models import UserMessage
            from app.bot.memory.models import State

            with ScriptedServer([(200, {}, STORED)]) as server:
                state = await HttpMemorySaver(server.url).get("u1")
            fresh = await HttpMemorySaver(server.url).init_state("u2")

        self.assertIsInstance(state, State)
        self.assertIsInstance(state.user_message, UserMessage)
        self.assertEqual("to Paris", state.user_message.text)
        self.assertEqual([{"text": "Done"}], state.bot_message)
        self.assertEqual(STORED["nlu"], state.nlu)
        self.assertEqual(datetime(2026, 11, 24, 8, 30, 1, 123456, tzinfo=timezone.utc), state.date)
        self.assertIsInstance(fresh, State)
        self.assertEqual(("u2", "", {}), (fresh.thread_id, fresh.current_node, fresh.intent))

    async def test_plain_dicts_without_the_framework_or_when_asked_for(self):
        with ScriptedServer([(200, {}, STORED)] * 2) as server:
            self.assertEqual(STORED, await HttpMemorySaver(server.url).get("u1"))
            with framework_importable():
                self.assertEqual(STORED, await HttpMemorySaver(server.url, state_factory=dict).get("u1"))

    async def test_get_all_in_the_mongodb_savers_order_when_the_constructor_asks(self):
        page = {"thread_id": "u1", "items": [{"version": 2, "state": {"n": 2}}, {"version": 1, "state": {"n": 1}}], "next_before": None}
        with ScriptedServer([(200, {}, page)] * 2) as server:
            newest_first = await HttpMemorySaver(server.url, newest_first=True).get_all("u1")
            oldest_first = await HttpMemorySaver(server.url).get_all("u1")
        self.assertEqual([2, 1], [state["n"] for state in newest_first])
        self.assertEqual([1, 2], [state["n"] for state in oldest_first])

    def test_the_base_url_and_api_key_come_from_the_environment_when_not_given(self):
        saved = {name: os.environ.get(name) for name in ("BOTSTATE_GATEWAY_URL", "BOTSTATE_API_KEY")}
        try:
            os.environ["BOTSTATE_GATEWAY_URL"], os.environ["BOTSTATE_API_KEY"] = "http://example.test:1/", "k" * 20
            saver = HttpMemorySaver()
            self.assertEqual(("http://example.test:1", "k" * 20), (saver.base_url, saver.api_key))
            del os.environ["BOTSTATE_GATEWAY_URL"], os.environ["BOTSTATE_API_KEY"]
            self.assertEqual(("http://127.0.0.1:8080", None), (HttpMemorySaver().base_url, HttpMemorySaver().api_key))
        finally:
            for name, value in saved.items():
                os.environ.pop(name, None)
                if value is not None:
                    os.environ[name] = value


class TheSwapIsOneLineTests(unittest.TestCase):
    def test_the_swapped_dialogue_loop_differs_by_its_saver_import_alone(self):
        diff = [line for line in difflib.unified_diff(dialogue_loop_source(False), dialogue_loop_source(True), n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        self.assertEqual(
            ["-from app.bot.memory import MemorySaverInMemory as MemorySaver\n",
             "+from botstate_client import HttpMemorySaver as MemorySaver\n"],
            diff)


TURNS = [("/book_flight", {"locale": "en"}), ("Paris", {}), ("/greet", {"mood": "happy"})]


def comparable(state):
    """A copy of a state's dict (the in-memory saver keeps mutating the same object) without its date."""
    as_dict = copy.deepcopy(state.to_dict())
    as_dict.pop("date")
    return as_dict


@unittest.skipUnless(GATEWAY_URL, "needs a running gateway: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class DialogueLoopAgainstTheGatewayTests(unittest.IsolatedAsyncioTestCase):
    async def run_turns(self, loop, thread):
        manager = loop.new_manager()
        answers = [comparable(await manager.process(loop.message(thread, text, context))) for text, context in TURNS]
        return manager, answers

    async def test_the_framework_loop_passes_its_turns_on_either_saver_with_the_same_answers(self):
        with framework_importable():
            from app.bot.memory.models import State

            thread = "dm-" + uuid.uuid4().hex
            _, in_memory = await self.run_turns(load_dialogue_loop(swapped=False), thread)
            manager, over_http = await self.run_turns(load_dialogue_loop(swapped=True), thread)
            latest = await manager.memory_saver.get(thread)
            history = await manager.memory_saver.get_all(thread)
            await manager.memory_saver.aclose()

        self.assertEqual(in_memory, over_http)
        self.assertEqual({"id": "greet"}, over_http[-1]["intent"])
        self.assertEqual({"locale": "en", "mood": "happy", "parameters": {}}, over_http[-1]["context"])
        self.assertIsInstance(latest, State)
        self.assertEqual(over_http[-1], comparable(latest))
        self.assertEqual(timezone.utc.utcoffset(None), latest.date.utcoffset())
        # Unlike the in-memory saver (which keeps references to one mutated object), each entry is the state as saved then.
        self.assertEqual(["destination", None, None], [state.current_node for state in history])
        self.assertEqual(["/book_flight", "Paris", "/greet"], [state.user_message.text for state in history])

    async def test_the_loop_runs_with_state_from_dict_as_the_factory(self):
        with framework_importable():
            from app.bot.dialogue_manager.models import UserMessage
            from app.bot.memory.models import State

            import dialogue_loop  # noqa: F401  (the stand-in script's helpers; its own saver is not used)

            saver = HttpMemorySaver(GATEWAY_URL, state_factory=State.from_dict, newest_first=True)
            manager = dialogue_loop.DialogueManager(saver)
            thread = "dm-" + uuid.uuid4().hex
            for text, context in TURNS:
                await manager.process(UserMessage(thread, text, context))
            history = await saver.get_all(thread)
            await saver.aclose()

        self.assertEqual([{"id": "greet"}, {"id": "book_flight"}, {"id": "book_flight"}], [state.intent for state in history])
        self.assertTrue(all(isinstance(state, State) for state in history))


if __name__ == "__main__":
    unittest.main()
