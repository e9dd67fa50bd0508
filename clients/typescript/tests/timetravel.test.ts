import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AlreadyExistsError, BotStateClient, NotFoundError, PreconditionFailedError } from "botstate-client";
import { newUserId, shapes } from "./service.js";

for (const shape of shapes) {
  describe(`time travel through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    async function conversationOfThreeTurns(): Promise<string> {
      const user = newUserId("travel");
      for (const text of ["one", "two", "three"]) {
        await client.sendMessage(user, text);
      }
      return user;
    }

    test("a snapshot of one version is the state it had, and a version not kept is NotFoundError", async () => {
      const user = await conversationOfThreeTurns();

      const snapshot = await client.getSnapshot(user, 2);

      assert.equal(snapshot.version, 2);
      assert.equal(snapshot.state.user_message?.text, "two");
      await assert.rejects(client.getSnapshot(user, 99), NotFoundError);
    });

    test("restore makes an old version current as a new one and honours If-Match", async () => {
      const user = await conversationOfThreeTurns();

      const restored = await client.restoreState(user, 1, { ifMatch: 3 });

      assert.equal(restored.version, 4);
      assert.equal(restored.state.user_message?.text, "one");
      assert.deepEqual(await client.getState(user), restored);
      await assert.rejects(client.restoreState(user, 2, { ifMatch: 3 }), PreconditionFailedError);
      await assert.rejects(client.restoreState(user, 99), NotFoundError);
      await assert.rejects(client.restoreState(newUserId("nobody"), 1), NotFoundError);
    });

    test("fork starts a new conversation once, from a chosen version, and honours If-Match", async () => {
      const user = await conversationOfThreeTurns();
      const to = newUserId("fork");

      const forked = await client.forkState(user, to, { version: 2, ifMatch: 3 });

      assert.equal(forked.state.user_message?.text, "two");
      assert.deepEqual(await client.getState(to), forked);
      assert.equal((await client.getState(user)).version, 3);
      await assert.rejects(client.forkState(user, to), (error: unknown) => error instanceof AlreadyExistsError && error.status === 409);
      await assert.rejects(client.forkState(user, newUserId("fork"), { ifMatch: 1 }), PreconditionFailedError);
      await assert.rejects(client.forkState(newUserId("nobody"), newUserId("fork")), NotFoundError);
    });
  });
}
