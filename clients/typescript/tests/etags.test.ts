import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BotStateClient, NotFoundError, PreconditionFailedError, ProblemTypes, ifMatch, versionFromETag } from "botstate-client";
import { newUserId, shapes } from "./service.js";

function isPreconditionFailed(error: unknown): boolean {
  assert.ok(error instanceof PreconditionFailedError, String(error));
  assert.equal(error.status, 412);
  assert.equal(error.type, ProblemTypes.preconditionFailed);
  return true;
}

describe("ETag helpers", () => {
  test("a version is its ETag's number, and If-Match quotes it back", () => {
    assert.equal(versionFromETag('"42"'), 42);
    assert.equal(versionFromETag('W/"42"'), undefined);
    assert.equal(versionFromETag(null), undefined);
    assert.equal(ifMatch(42), '"42"');
    assert.throws(() => ifMatch(-1), RangeError);
  });
});

for (const shape of shapes) {
  describe(`conditional requests through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    test("a save conditional on a version succeeds once and is refused with a stale one", async () => {
      const user = newUserId("if-match");

      const created = await client.putState(user, { context: { step: 1 } });
      const read = await client.getState(user);
      const saved = await client.putState(user, { context: { step: 2 } }, { ifMatch: read.version });

      assert.equal(created.created, true);
      assert.equal(read.version, created.version);
      assert.equal(saved.created, false);
      assert.equal(saved.version, read.version + 1);
      await assert.rejects(client.putState(user, { context: { step: 3 } }, { ifMatch: read.version }), isPreconditionFailed);
      assert.deepEqual((await client.getState(user)).state.context, { step: 2 });
    });

    test("createOnly refuses to replace an existing conversation", async () => {
      const user = newUserId("create-only");
      await client.putState(user, {}, { createOnly: true });

      await assert.rejects(client.putState(user, {}, { createOnly: true }), isPreconditionFailed);
    });

    test("a turn and a delete conditional on a stale version are refused", async () => {
      const user = newUserId("stale");
      const first = await client.sendMessage(user, "one");
      await client.sendMessage(user, "two");

      await assert.rejects(client.sendMessage(user, "three", { ifMatch: first.version }), isPreconditionFailed);
      await assert.rejects(client.deleteState(user, { ifMatch: first.version }), isPreconditionFailed);
      await client.deleteState(user, { ifMatch: first.version + 1 });
      await assert.rejects(client.getState(user), NotFoundError);
    });

    test("a conditional read answers only when the state changed", async () => {
      const user = newUserId("if-none-match");
      const first = await client.sendMessage(user, "one");

      assert.equal(await client.getStateIfChanged(user, first.version), undefined);
      await client.sendMessage(user, "two");
      assert.equal((await client.getStateIfChanged(user, first.version))?.version, first.version + 1);
    });

    test("concurrent read-change-saves each land once: updateState retries on 412", async () => {
      const user = newUserId("update");
      const increment = (state: { context?: Record<string, unknown> } | undefined) => ({
        ...state,
        context: { count: Number(state?.context?.["count"] ?? 0) + 1 },
      });

      await Promise.all(Array.from({ length: 4 }, () => client.updateState(user, increment, { attempts: 10 })));

      assert.deepEqual((await client.getState(user)).state.context, { count: 4 });
    });
  });
}
