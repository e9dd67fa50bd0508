import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  BotStateClient,
  InvalidRequestError,
  RateLimitedError,
  RequestTimeoutError,
  ServiceUnavailableError,
  type BotStateClientOptions,
} from "botstate-client";
import { problemAnswer, scriptedServer, stateAnswer, type Answer, type ScriptedServer } from "./scripted-server.js";

const servers: ScriptedServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function clientFor(script: Answer[], options: Partial<BotStateClientOptions> = {}): Promise<{ client: BotStateClient; server: ScriptedServer }> {
  const server = await scriptedServer(script);
  servers.push(server);
  return { client: new BotStateClient({ baseUrl: server.baseUrl, ...options }), server };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("retries", () => {
  test("a turn answered 503 with Retry-After is sent again after that long, with the same Idempotency-Key", async () => {
    const { client, server } = await clientFor([problemAnswer(503, "service-unavailable", { "Retry-After": "1" }), stateAnswer("u", 1)]);

    const turn = await client.sendMessage("u", "hello");

    assert.equal(turn.version, 1);
    assert.equal(server.received.length, 2);
    const [first, second] = server.received;
    assert.match(String(first?.headers["idempotency-key"]), uuid);
    assert.equal(second?.headers["idempotency-key"], first?.headers["idempotency-key"]);
    assert.ok(second!.at - first!.at >= 950, `retried after ${second!.at - first!.at} ms, before Retry-After's 1 s`);
  });

  test("a read answered 429 with Retry-After is sent again after that long", async () => {
    const { client, server } = await clientFor([problemAnswer(429, "rate-limited", { "Retry-After": "1" }), stateAnswer("u", 7)]);

    const read = await client.getState("u");

    assert.equal(read.version, 7);
    assert.equal(server.received.length, 2);
    assert.ok(server.received[1]!.at - server.received[0]!.at >= 950);
  });

  test("each call's turns get their own Idempotency-Key", async () => {
    const { client, server } = await clientFor([stateAnswer("u", 1)]);

    await client.sendMessage("u", "one");
    await client.sendMessage("u", "two");

    assert.notEqual(server.received[0]?.headers["idempotency-key"], server.received[1]?.headers["idempotency-key"]);
  });

  test("a turn sent without an Idempotency-Key is never retried", async () => {
    const { client, server } = await clientFor([problemAnswer(503, "service-unavailable", { "Retry-After": "0" }), stateAnswer("u", 1)]);

    await assert.rejects(client.sendMessage("u", "hello", { idempotencyKey: false }), ServiceUnavailableError);

    assert.equal(server.received.length, 1);
    assert.equal(server.received[0]?.headers["idempotency-key"], undefined);
  });

  test("attempts are bounded, and the last failure is thrown with its Retry-After", async () => {
    const { client, server } = await clientFor([problemAnswer(503, "service-unavailable", { "Retry-After": "0" })], { retry: { maxAttempts: 3 } });

    await assert.rejects(client.getState("u"), (error: unknown) => {
      assert.ok(error instanceof ServiceUnavailableError);
      assert.equal(error.retryAfterMs, 0);
      return true;
    });
    assert.equal(server.received.length, 3);
  });

  test("a Retry-After longer than the time left ends the call at once instead of waiting", async () => {
    const { client, server } = await clientFor([problemAnswer(429, "rate-limited", { "Retry-After": "120" })], { retry: { maxElapsedMs: 5_000 } });
    const started = performance.now();

    await assert.rejects(client.deleteState("u"), (error: unknown) => {
      assert.ok(error instanceof RateLimitedError);
      assert.equal(error.retryAfterMs, 120_000);
      return true;
    });
    assert.equal(server.received.length, 1);
    assert.ok(performance.now() - started < 2_000);
  });

  test("a proxy's 502 page without a problem document is retried like a 503", async () => {
    const { client, server } = await clientFor([{ status: 502, headers: { "Content-Type": "text/html" }, body: "<html>bad gateway</html>" }, stateAnswer("u", 2)], {
      retry: { initialDelayMs: 10 },
    });

    assert.equal((await client.putState("u", {})).version, 2);
    assert.equal(server.received.length, 2);
  });

  test("a refused request is never retried", async () => {
    const { client, server } = await clientFor([problemAnswer(400, "invalid-body"), stateAnswer("u", 1)]);

    await assert.rejects(client.putState("u", {}), InvalidRequestError);

    assert.equal(server.received.length, 1);
  });

  test("an attempt with no answer in time is abandoned and sent again", async () => {
    const { client, server } = await clientFor([{ hold: true }, stateAnswer("u", 3)], { timeoutMs: 300, retry: { initialDelayMs: 10 } });

    const read = await client.getState("u");

    assert.equal(read.version, 3);
    assert.equal(server.received.length, 2);
  });

  test("a call whose every attempt times out is a RequestTimeoutError", async () => {
    const { client } = await clientFor([{ hold: true }], { timeoutMs: 200, retry: { maxAttempts: 2, initialDelayMs: 10 } });

    await assert.rejects(client.getState("u"), RequestTimeoutError);
  });
});

describe("cancellation", () => {
  test("aborting during a Retry-After wait rejects at once with the signal's reason", async () => {
    const { client, server } = await clientFor([problemAnswer(503, "service-unavailable", { "Retry-After": "30" })], { retry: { maxElapsedMs: 60_000 } });
    const controller = new AbortController();
    const reason = new Error("the user left");

    const call = client.sendMessage("u", "hello", { signal: controller.signal });
    await server.receivedCount(1);
    const started = performance.now();
    controller.abort(reason);

    await assert.rejects(call, (error: unknown) => error === reason);
    assert.ok(performance.now() - started < 1_000);
    assert.equal(server.received.length, 1);
  });

  test("aborting while waiting for an answer cancels the request", async () => {
    const { client, server } = await clientFor([{ hold: true }], { timeoutMs: 30_000 });
    const controller = new AbortController();

    const call = client.getHistory("u", { signal: controller.signal });
    await server.receivedCount(1);
    controller.abort();

    await assert.rejects(call, { name: "AbortError" });
  });

  test("a signal aborted before the call sends nothing", async () => {
    const { client, server } = await clientFor([stateAnswer("u", 1)]);

    await assert.rejects(client.getState("u", { signal: AbortSignal.abort() }), { name: "AbortError" });

    assert.equal(server.received.length, 0);
  });
});
