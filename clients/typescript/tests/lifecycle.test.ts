import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BotStateClient, NotFoundError } from "botstate-client";
import { newUserId, shapes } from "./service.js";

for (const shape of shapes) {
  describe(`export and erasure through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    test("an export streams the current state, then every snapshot newest first", async () => {
      const user = newUserId("export");
      for (const text of ["one", "two", "three"]) {
        await client.sendMessage(user, text);
      }

      const lines = [];
      for await (const line of client.exportState(user)) {
        lines.push(line);
      }

      assert.deepEqual(lines.map((line) => [line.kind, line.version]), [["state", 3], ["snapshot", 3], ["snapshot", 2], ["snapshot", 1]]);
      assert.ok(lines.every((line) => line.thread_id === user));
      assert.equal(lines[0]?.state.user_message?.text, "three");
      assert.equal(lines[3]?.state.user_message?.text, "one");
    });

    test("an export of a user with nothing stored is a NotFoundError", async () => {
      const lines = client.exportState(newUserId("export-missing"));

      await assert.rejects(lines.next(), NotFoundError);
    });

    test("a bulk erasure says which ids it erased and which it did not find", async () => {
      const stored = newUserId("erase");
      const unknown = newUserId("erase-unknown");
      await client.sendMessage(stored, "forget me");

      const result = await client.eraseStates([stored, unknown]);

      assert.deepEqual(result, { erased: [stored], not_found: [unknown], failed: [] });
      await assert.rejects(client.getState(stored), NotFoundError);
    });

    test("deleting a conversation forgets its state and history", async () => {
      const user = newUserId("delete");
      await client.sendMessage(user, "hi");

      await client.deleteState(user);
      await client.deleteState(user);

      await assert.rejects(client.getState(user), NotFoundError);
      assert.deepEqual((await client.getHistory(user)).items, []);
    });
  });
}
