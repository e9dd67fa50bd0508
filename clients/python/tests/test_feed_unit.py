"""The change feed's readers against a scripted server: each page or stream is asked for from the cursor of the
last event yielded, after a dropped connection as after a new iterator built from a saved cursor."""
import unittest
import urllib.parse

from botstate_client import BotStateClient, ChangeEvent, Unauthorized
from botstate_client import sse

from .scripted_http import DROP, KeepAliveServer


def event(cursor, version, thread="t1", kind="updated"):
    return {"cursor": cursor, "kind": kind, "thread_id": thread, "version": version, "at": "2026-01-01T00:00:00.000000+00:00",
            "state": {"thread_id": thread}}


def page(*events, next_cursor=None):
    return (200, {}, {"items": list(events), "next_cursor": next_cursor or (events[-1]["cursor"] if events else "c0")})


def query(request):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request[1]).query))


def stream(*events, comment=True):
    lines = ["retry: 1000", ""] + ([": nothing new", ""] if comment else [])
    for item in events:
        lines += ["id: " + item["cursor"], "data: " + __import__("json").dumps(item), ""]
    return (200, {"Content-Type": "text/event-stream"}, ("\n".join(lines) + "\n").encode())


async def take(iterator, count):
    taken = []
    async for item in iterator:
        taken.append(item)
        if len(taken) == count:
            break
    await iterator.aclose()
    return taken


class PagedFeedTests(unittest.IsolatedAsyncioTestCase):
    async def test_after_a_dropped_connection_it_asks_again_from_the_last_event_yielded(self):
        script = [page(event("c1", 1), event("c2", 2)), DROP, DROP, page(event("c3", 3))]
        with KeepAliveServer(script) as server:
            # No retries in the transport: the reader itself has to reconnect and resume.
            async with BotStateClient(server.url, retries=0, backoff=0.01) as client:
                seen = await take(client.changes(wait=5), 3)
        self.assertEqual(["c1", "c2", "c3"], [item.cursor for item in seen])
        self.assertEqual([None, "c2", "c2", "c2"], [query(request).get("cursor") for request in server.requests])
        self.assertEqual({"5"}, {query(request)["wait"] for request in server.requests})

    async def test_an_empty_long_poll_asks_again_from_the_cursor_it_answered(self):
        script = [page(next_cursor="start"), page(event("c1", 1))]
        with KeepAliveServer(script) as server:
            async with BotStateClient(server.url) as client:
                seen = await take(client.changes(wait=1), 1)
        self.assertEqual(ChangeEvent("c1", "updated", "t1", 1, "2026-01-01T00:00:00.000000+00:00", {"thread_id": "t1"}), seen[0])
        self.assertEqual([None, "start"], [query(request).get("cursor") for request in server.requests])

    async def test_a_new_iterator_from_a_saved_cursor_starts_after_it(self):
        with KeepAliveServer([page(event("c8", 8))]) as server:
            async with BotStateClient(server.url) as client:
                seen = await take(client.changes(cursor="c7"), 1)
        self.assertEqual([8], [item.version for item in seen])
        self.assertEqual("c7", query(server.requests[0])["cursor"])

    async def test_without_follow_it_ends_when_caught_up_and_does_not_wait(self):
        with KeepAliveServer([page(event("c1", 1)), page(next_cursor="c1")]) as server:
            async with BotStateClient(server.url) as client:
                seen = [item.cursor async for item in client.changes(follow=False)]
        self.assertEqual(["c1"], seen)
        self.assertEqual(["0", "0"], [query(request)["wait"] for request in server.requests])

    async def test_a_refusal_retrying_cannot_mend_is_raised(self):
        refused = (401, {}, {"type": "urn:botstate:problem:unauthorized", "status": 401, "title": "Unauthorized"})
        with KeepAliveServer([refused]) as server:
            async with BotStateClient(server.url) as client:
                with self.assertRaises(Unauthorized):
                    await take(client.changes(), 1)
        self.assertEqual(1, len(server.requests))

    async def test_following_without_a_wait_is_refused(self):
        async with BotStateClient("http://127.0.0.1:9") as client:
            with self.assertRaises(ValueError):
                await take(client.changes(wait=0), 1)


class StreamedFeedTests(unittest.IsolatedAsyncioTestCase):
    async def test_a_stream_that_ends_is_opened_again_with_the_last_event_id(self):
        script = [stream(event("c1", 1), event("c2", 2)), DROP, stream(event("c3", 3), comment=False)]
        with KeepAliveServer(script) as server:
            async with BotStateClient(server.url, retries=0, backoff=0.01) as client:
                seen = await take(client.change_stream(cursor="c0"), 3)
        self.assertEqual(["c1", "c2", "c3"], [item.cursor for item in seen])
        self.assertEqual(["c0", "c2", "c2"], [request[2].get("Last-Event-ID") for request in server.requests])
        self.assertEqual({"text/event-stream"}, {request[2].get("Accept") for request in server.requests})


class ServerSentEventParsingTests(unittest.IsolatedAsyncioTestCase):
    async def test_comments_and_retry_carry_nothing_and_a_blank_line_ends_each_event(self):
        async def lines():
            for line in ["retry: 1000", "", ": nothing new", "", "id: a", "data: {\"x\":", "data: 1}", "", "id: b", "data:2", ""]:
                yield line

        events = [item async for item in sse.parse(lines())]
        self.assertEqual([sse.ServerSentEvent("a", "{\"x\":\n1}"), sse.ServerSentEvent("b", "2")], events)


if __name__ == "__main__":
    unittest.main()
