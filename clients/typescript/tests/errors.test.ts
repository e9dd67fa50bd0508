import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { BotStateClient, ConnectionError, InvalidRequestError, NotFoundError, ProblemTypes, UnauthorizedError } from "botstate-client";
import { newUserId, secured, shapes } from "./service.js";

for (const shape of shapes) {
  describe(`problems through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    test("a conversation that does not exist is a NotFoundError of type not-found", async () => {
      const user = newUserId("missing");

      await assert.rejects(client.getState(user), (error: unknown) => {
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.status, 404);
        assert.equal(error.type, ProblemTypes.notFound);
        assert.equal(error.title, "Not found");
        assert.match(error.detail ?? "", new RegExp(user));
        return true;
      });
      await assert.rejects(client.getActiveIntent(user), NotFoundError);
    });

    test("a user id the service refuses is an InvalidRequestError of type invalid-user-id", async () => {
      await assert.rejects(client.getState("x".repeat(257)), (error: unknown) => {
        assert.ok(error instanceof InvalidRequestError);
        assert.equal(error.status, 400);
        assert.equal(error.type, ProblemTypes.invalidUserId);
        return true;
      });
    });

    test("user ids with slashes, spaces and non-ASCII text are one conversation each", async () => {
      const user = `${newUserId("odd")}/a b?c#d%e ü 🙂`;

      await client.sendMessage(user, "hi");

      assert.equal((await client.getState(user)).state.thread_id, user);
    });
  });
}

describe("a user id that cannot be a path segment", () => {
  test("is refused before anything is sent", async () => {
    const client = new BotStateClient({ baseUrl: "http://127.0.0.1:9", fetch: () => assert.fail("nothing may be sent") });

    await assert.rejects(client.getState(".."), RangeError);
    await assert.rejects(client.sendMessage(".", "hi"), RangeError);
  });
});

describe("a service that requires an API key", () => {
  test("refuses a request without a key or with a wrong one with an UnauthorizedError", async () => {
    for (const apiKey of [undefined, "not-the-key"]) {
      const client = new BotStateClient({ baseUrl: secured.baseUrl, apiKey });

      await assert.rejects(client.getState(newUserId("no-key")), (error: unknown) => {
        assert.ok(error instanceof UnauthorizedError);
        assert.equal(error.status, 401);
        assert.equal(error.type, ProblemTypes.unauthorized);
        return true;
      });
    }
  });

  test("serves a request that sends its key as a bearer token", async () => {
    const client = new BotStateClient({ baseUrl: secured.baseUrl, apiKey: secured.apiKey });
    const user = newUserId("keyed");

    const turn = await client.sendMessage(user, "hi");

    assert.equal(turn.version, 1);
  });
});

describe("a service that cannot be reached", () => {
  test("is a ConnectionError once the bounded retries are spent", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const client = new BotStateClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 2, initialDelayMs: 10 } });

    await assert.rejects(client.getState("anyone"), (error: unknown) => {
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.status, undefined);
      assert.equal(error.type, ProblemTypes.connection);
      assert.match(error.detail ?? "", /ECONNREFUSED/);
      return true;
    });
  });
});
