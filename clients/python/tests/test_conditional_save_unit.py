"""A conditional save whose answer was lost is safe to retry: the retry's 412 is recognised as the save's own.

The first PUT (If-Match "4") lands, but its connection breaks before the answer; the retry finds the
state at version 5 and gets 412. When the stored state is what was sent, at version 4 + 1, exactly one
write happened since version 4 and it was this one (or one identical to it): nothing was lost, and the
save is reported as done. In every other case the 412 stands.
"""
import json
import unittest

from botstate_client import BotStateClient, PreconditionFailed, landed
from botstate_client.client import Versioned

from .scripted_http import DROP, KeepAliveServer

SENT = {
    "thread_id": "u1",
    "user_message": {"text": "to Paris"},
    "context": {"city": "Paris"},
    "intent": {"id": "book_flight"},
    "current_node": "date",
    "date": "2026-11-24T08:30:01.123456+00:00",
}
# What the service stores for SENT: from_dict's defaults filled in.
STORED = {
    "thread_id": "u1",
    "user_message": {"thread_id": "u1", "text": "to Paris", "channel": "rest", "context": {}},
    "bot_message": None,
    "nlu": {},
    "context": {"city": "Paris"},
    "intent": {"id": "book_flight"},
    "parameters": [],
    "extracted_parameters": {},
    "missing_parameters": [],
    "complete": False,
    "current_node": "date",
    "date": "2026-11-24T08:30:01.123456+00:00",
}
STALE = (412, {}, {"type": "urn:botstate:problem:precondition-failed", "status": 412, "title": "Precondition failed", "detail": "The state is at version 5"})


def current(state, version):
    return (200, {"ETag": '"%d"' % version}, state)


class RetriedConditionalSaveTests(unittest.IsolatedAsyncioTestCase):
    async def save(self, script):
        with KeepAliveServer(script) as server:
            async with BotStateClient(server.url, backoff=0) as client:
                try:
                    return await client.put_state("u1", SENT, if_match=4), server
                except PreconditionFailed as error:
                    return error, server

    async def test_a_412_after_a_lost_answer_that_finds_its_own_state_at_the_next_version_is_success(self):
        result, server = await self.save([DROP, STALE, current(STORED, 5)])

        self.assertEqual(Versioned(STORED, 5), result)
        self.assertEqual(["PUT", "PUT", "GET"], server.methods())
        self.assertEqual('"4"', server.requests[1][2]["If-Match"])

    async def test_a_412_after_a_lost_answer_stands_when_the_stored_state_differs(self):
        result, server = await self.save([DROP, STALE, current({**STORED, "current_node": "other"}, 5)])

        self.assertIsInstance(result, PreconditionFailed)
        self.assertEqual(["PUT", "PUT", "GET"], server.methods())

    async def test_a_412_after_a_lost_answer_stands_when_someone_wrote_since(self):
        result, _ = await self.save([DROP, STALE, current(STORED, 6)])

        self.assertIsInstance(result, PreconditionFailed)

    async def test_a_412_on_the_first_attempt_stands_without_a_read(self):
        result, server = await self.save([STALE])

        self.assertIsInstance(result, PreconditionFailed)
        self.assertEqual(["PUT"], server.methods())

    async def test_a_412_after_a_503_stands_because_a_503_stored_nothing(self):
        result, server = await self.save([(503, {"Retry-After": "0"}, {}), STALE])

        self.assertIsInstance(result, PreconditionFailed)
        self.assertEqual(["PUT", "PUT"], server.methods())


class PutLandedTests(unittest.TestCase):
    def test_fields_the_sender_left_out_compare_with_their_defaults_and_dates_as_instants(self):
        sent = json.loads(json.dumps({**SENT, "date": "2026-11-24T08:30:01.123456Z"}))
        self.assertTrue(landed.put_landed(sent, "u1", 4, Versioned(STORED, 5)))

    def test_a_save_without_a_date_compares_every_other_field(self):
        sent = {name: value for name, value in SENT.items() if name != "date"}
        self.assertTrue(landed.put_landed(sent, "u1", 4, Versioned({**STORED, "date": "2027-01-01T00:00:00.000000+00:00"}, 5)))
        self.assertFalse(landed.put_landed(sent, "u1", 4, Versioned({**STORED, "complete": True}, 5)))

    def test_a_user_message_without_text_is_stored_as_null(self):
        sent = {**SENT, "user_message": {"channel": "web"}}
        self.assertTrue(landed.put_landed(sent, "u1", 4, Versioned({**STORED, "user_message": None}, 5)))
        self.assertFalse(landed.put_landed(SENT, "u1", 4, Versioned({**STORED, "user_message": None}, 5)))

    def test_no_state_is_never_the_save(self):
        self.assertFalse(landed.put_landed(SENT, "u1", 4, None))


if __name__ == "__main__":
    unittest.main()
