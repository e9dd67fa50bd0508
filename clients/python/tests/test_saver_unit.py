"""HttpMemorySaver against a small scripted HTTP server on 127.0.0.1: request shapes and error handling."""
import json
import unittest

from botstate_client import BadRequest, HttpMemorySaver, PreconditionFailed, ServiceUnavailable, Timeout

from .scripted_http import HANG
from .scripted_http import KeepAliveServer as ScriptedServer


STATE = {"thread_id": "u1", "context": {}}


class HttpMemorySaverUnitTests(unittest.IsolatedAsyncioTestCase):
    async def test_get_quotes_the_thread_id_and_returns_the_state(self):
        with ScriptedServer([(200, {"ETag": '"3"'}, STATE)]) as server:
            state = await HttpMemorySaver(server.url).get("a/b c+d")
        self.assertEqual(STATE, state)
        self.assertEqual("/v1/states/a%2Fb%20c%2Bd", server.requests[0][1])

    async def test_get_of_an_unknown_thread_is_none(self):
        with ScriptedServer([(404, {}, {"title": "State not found"})]) as server:
            self.assertIsNone(await HttpMemorySaver(server.url).get("nobody"))

    async def test_save_puts_to_dict_of_an_object_with_if_match(self):
        class State:
            def to_dict(self):
                return STATE

        with ScriptedServer([(200, {}, STATE)]) as server:
            await HttpMemorySaver(server.url).save("u1", State(), if_match=4)
        method, path, headers, body = server.requests[0]
        self.assertEqual(("PUT", "/v1/states/u1"), (method, path))
        self.assertEqual('"4"', headers["If-Match"])
        self.assertEqual(STATE, json.loads(body))

    async def test_a_stale_save_raises_precondition_failed_with_the_detail(self):
        with ScriptedServer([(412, {}, {"title": "Precondition failed", "detail": "at version 5"})]) as server:
            with self.assertRaises(PreconditionFailed) as raised:
                await HttpMemorySaver(server.url).save("u1", STATE, if_match=4)
        self.assertEqual(412, raised.exception.status)
        self.assertEqual("at version 5", raised.exception.detail)

    async def test_a_503_is_retried_then_succeeds(self):
        script = [(503, {"Retry-After": "0"}, {"title": "Service unavailable"}), (200, {}, STATE)]
        with ScriptedServer(script) as server:
            state = await HttpMemorySaver(server.url, backoff=0).get("u1")
        self.assertEqual(STATE, state)
        self.assertEqual(2, len(server.requests))

    async def test_a_503_that_persists_surfaces_with_retry_after(self):
        script = [(503, {"Retry-After": "0"}, {})] * 3
        with ScriptedServer(script) as server:
            with self.assertRaises(ServiceUnavailable) as raised:
                await HttpMemorySaver(server.url, retries=2, backoff=0).get("u1")
        self.assertEqual(3, len(server.requests))
        self.assertEqual(0.0, raised.exception.retry_after)

    async def test_a_400_is_not_retried(self):
        with ScriptedServer([(400, {}, {"title": "Invalid state", "detail": "nlu must be an object"})]) as server:
            with self.assertRaises(BadRequest) as raised:
                await HttpMemorySaver(server.url).save("u1", {"nlu": []})
        self.assertEqual(1, len(server.requests))
        self.assertIn("nlu must be an object", str(raised.exception))

    async def test_send_message_always_carries_an_idempotency_key_and_reuses_it_on_retry(self):
        script = [(503, {"Retry-After": "0"}, {}), (200, {}, STATE)]
        with ScriptedServer(script) as server:
            await HttpMemorySaver(server.url, backoff=0).send_message("u1", "hi", context={"a": 1})
        keys = {request[2]["Idempotency-Key"] for request in server.requests}
        self.assertEqual(1, len(keys))
        self.assertEqual({"text": "hi", "context": {"a": 1}}, json.loads(server.requests[0][3]))

    async def test_the_api_key_is_sent_as_a_bearer_token(self):
        with ScriptedServer([(200, {}, STATE)]) as server:
            await HttpMemorySaver(server.url, api_key="k" * 24).get("u1")
        self.assertEqual("Bearer " + "k" * 24, server.requests[0][2]["Authorization"])

    async def test_no_answer_within_the_timeout_is_a_timeout(self):
        with ScriptedServer([HANG] * 2) as server:
            with self.assertRaises(Timeout):
                await HttpMemorySaver(server.url, timeout=0.2, retries=1, backoff=0).get("u1")

    async def test_get_all_follows_pages_and_returns_oldest_first(self):
        page1 = {"thread_id": "u1", "items": [{"version": 3, "state": {"n": 3}}, {"version": 2, "state": {"n": 2}}], "next_before": 2}
        page2 = {"thread_id": "u1", "items": [{"version": 1, "state": {"n": 1}}], "next_before": None}
        with ScriptedServer([(200, {}, page1), (200, {}, page2)]) as server:
            states = await HttpMemorySaver(server.url).get_all("u1")
        self.assertEqual([1, 2, 3], [state["n"] for state in states])
        self.assertIn("before=2", server.requests[1][1])

    async def test_init_state_is_the_python_default_and_is_not_stored(self):
        with ScriptedServer([]) as server:
            state = await HttpMemorySaver(server.url).init_state("u1")
        self.assertEqual([], server.requests)
        self.assertEqual("u1", state["thread_id"])
        self.assertEqual({}, state["intent"])
        self.assertTrue(state["date"].endswith("+00:00"))


if __name__ == "__main__":
    unittest.main()
