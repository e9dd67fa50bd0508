"""BotStateClient's transport against a scripted keep-alive server: pooled connections, retries that hold
no thread, cancellation that closes the request, and the right exception for each failure."""
import asyncio
import concurrent.futures
import socket
import unittest

from botstate_client import (
    BadRequest,
    BotStateClient,
    ConnectionFailed,
    Forbidden,
    IdempotencyKeyReused,
    RateLimited,
    ServiceUnavailable,
    Timeout,
    Unauthorized,
)

from .scripted_http import DROP, HANG, KeepAliveServer, eventually

STATE = {"thread_id": "u1", "context": {}}
OK = (200, {"ETag": '"1"'}, STATE)


def problem(kind, status, title="Title", detail="Detail"):
    return {"type": "urn:botstate:problem:" + kind, "status": status, "title": title, "detail": detail}


class ConnectionReuseTests(unittest.IsolatedAsyncioTestCase):
    async def test_200_calls_one_after_another_use_one_connection(self):
        with KeepAliveServer([], default=OK) as server:
            async with BotStateClient(server.url) as client:
                for _ in range(200):
                    await client.get_state("u1")
        self.assertEqual(200, len(server.requests))
        self.assertEqual(1, server.connections)

    async def test_200_calls_eight_at_a_time_open_at_most_eight_connections(self):
        running = asyncio.Semaphore(8)

        async def call(client):
            async with running:
                await client.get_state("u1")

        with KeepAliveServer([], default=OK) as server:
            async with BotStateClient(server.url) as client:
                await asyncio.gather(*(call(client) for _ in range(200)))
        self.assertEqual(200, len(server.requests))
        self.assertLessEqual(server.connections, 8)

    async def test_max_connections_bounds_the_pool_however_many_calls_wait(self):
        with KeepAliveServer([], default=OK) as server:
            async with BotStateClient(server.url, max_connections=4) as client:
                await asyncio.gather(*(client.get_state("u%d" % i) for i in range(200)))
        self.assertLessEqual(server.connections, 4)


class RetryTests(unittest.IsolatedAsyncioTestCase):
    async def test_waiting_for_retry_after_holds_no_thread_of_the_default_executor(self):
        # One worker thread: had the retry slept in it, the application's own to_thread call would wait a second.
        asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=1))
        script = [(503, {"Retry-After": "1"}, problem("service-unavailable", 503)), OK]
        with KeepAliveServer(script) as server:
            async with BotStateClient(server.url) as client:
                call = asyncio.create_task(client.get_state("u1"))
                await eventually(lambda: len(server.requests) == 1, "the first attempt")
                self.assertEqual("done", await asyncio.wait_for(asyncio.to_thread(lambda: "done"), timeout=0.5))
                self.assertFalse(call.done(), "the retry should still be waiting for Retry-After")
                self.assertEqual(1, (await call).version)
        self.assertEqual(2, len(server.requests))

    async def test_429_is_rate_limited_retried_after_retry_after(self):
        script = [(429, {"Retry-After": "0"}, problem("rate-limited", 429)), OK]
        with KeepAliveServer(script) as server:
            async with BotStateClient(server.url, backoff=0) as client:
                self.assertEqual(STATE, (await client.get_state("u1")).state)
        self.assertEqual(2, len(server.requests))

    async def test_a_429_that_persists_surfaces_with_its_type_and_retry_after(self):
        with KeepAliveServer([(429, {"Retry-After": "0"}, problem("rate-limited", 429))] * 3) as server:
            async with BotStateClient(server.url, retries=2) as client:
                with self.assertRaises(RateLimited) as raised:
                    await client.get_state("u1")
        self.assertEqual((429, "urn:botstate:problem:rate-limited", 0.0), (raised.exception.status, raised.exception.type, raised.exception.retry_after))
        self.assertEqual(3, len(server.requests))

    async def test_a_connection_closed_before_the_answer_is_retried(self):
        with KeepAliveServer([DROP, OK]) as server:
            async with BotStateClient(server.url, backoff=0) as client:
                self.assertEqual(1, (await client.get_state("u1")).version)
        self.assertEqual(2, len(server.requests))


class CancellationTests(unittest.IsolatedAsyncioTestCase):
    async def test_cancelling_the_task_closes_the_request_in_flight(self):
        with KeepAliveServer([HANG]) as server:
            async with BotStateClient(server.url, timeout=30) as client:
                call = asyncio.create_task(client.get_state("u1"))
                await eventually(lambda: len(server.requests) == 1, "the request to arrive")
                call.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await call
                await eventually(server.closed_by_client.is_set, "the server to see the connection closed")
        self.assertEqual(1, len(server.requests))

    async def test_cancelling_a_retry_while_it_waits_stops_it(self):
        with KeepAliveServer([(503, {"Retry-After": "5"}, problem("service-unavailable", 503)), OK]) as server:
            async with BotStateClient(server.url) as client:
                call = asyncio.create_task(client.get_state("u1"))
                await eventually(lambda: len(server.requests) == 1, "the first attempt")
                call.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await call
        self.assertEqual(1, len(server.requests))


class ErrorKindTests(unittest.IsolatedAsyncioTestCase):
    async def test_connection_refused_is_a_connection_error_not_a_timeout(self):
        with socket.socket() as bound_not_listening:
            bound_not_listening.bind(("127.0.0.1", 0))
            url = "http://127.0.0.1:%d" % bound_not_listening.getsockname()[1]
            async with BotStateClient(url, retries=1, backoff=0) as client:
                with self.assertRaises(ConnectionFailed) as raised:
                    await client.get_state("u1")
        self.assertIsInstance(raised.exception, ConnectionError)
        self.assertNotIsInstance(raised.exception, Timeout)
        self.assertFalse(raised.exception.request_sent)
        self.assertIsNone(raised.exception.status)

    async def test_no_answer_in_time_is_a_timeout_after_the_request_was_sent(self):
        with KeepAliveServer([HANG, HANG]) as server:
            async with BotStateClient(server.url, timeout=0.2, retries=1, backoff=0) as client:
                with self.assertRaises(Timeout) as raised:
                    await client.get_state("u1")
        self.assertTrue(raised.exception.request_sent)
        self.assertEqual(2, len(server.requests))

    async def test_each_refusal_is_its_own_exception_carrying_the_problem_type(self):
        cases = [
            (401, "unauthorized", Unauthorized),
            (403, "forbidden", Forbidden),
            (422, "idempotency-key-reused", IdempotencyKeyReused),
            (400, "invalid-body", BadRequest),
            (503, "service-unavailable", ServiceUnavailable),
        ]
        for status, kind, expected in cases:
            with self.subTest(kind=kind), KeepAliveServer([(status, {}, problem(kind, status, detail="why"))]) as server:
                async with BotStateClient(server.url, retries=0) as client:
                    with self.assertRaises(expected) as raised:
                        await client.get_state("u1")
                self.assertIs(expected, type(raised.exception))
                self.assertEqual((status, "urn:botstate:problem:" + kind, "why"), (raised.exception.status, raised.exception.type, raised.exception.detail))

    async def test_forbidden_is_never_retried_and_is_also_an_unauthorized(self):
        with KeepAliveServer([(403, {}, problem("forbidden", 403))]) as server:
            async with BotStateClient(server.url) as client:
                with self.assertRaises(Unauthorized):
                    await client.post_erasures(["u1"])
        self.assertEqual(1, len(server.requests))


if __name__ == "__main__":
    unittest.main()
