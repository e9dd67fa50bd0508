import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { BotStateClient } from "botstate-client";
import { newUserId, shapes } from "./service.js";

for (const shape of shapes) {
  describe(`paging through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    test("the listing is walked page by page until next_cursor ends it", async () => {
      // A node no other test uses, so the filtered listing holds exactly these conversations.
      const node = `ts-node-${randomUUID()}`;
      const users = Array.from({ length: 5 }, () => newUserId("listed"));
      for (const user of users) {
        await client.putState(user, { current_node: node });
      }

      const first = await client.listStates({ current_node: node }, { limit: 2 });
      const walked = [];
      for await (const conversation of client.conversations({ current_node: node }, { limit: 2 })) {
        walked.push(conversation);
      }

      assert.equal(first.items.length, 2);
      assert.notEqual(first.next_cursor, null);
      assert.deepEqual(walked.map((item) => item.thread_id).sort(), [...users].sort());
      assert.deepEqual(walked.map((item) => item.thread_id).slice(0, 2), first.items.map((item) => item.thread_id));
      assert.ok(walked.every((item) => item.current_node === node && item.version === 1));
    });

    test("a listing bounded by update time takes Dates", async () => {
      const user = newUserId("dated");
      const node = `ts-node-${randomUUID()}`;
      await client.putState(user, { current_node: node });

      const after = await client.listStates({ current_node: node, updated_after: new Date(Date.now() - 3_600_000) });
      const before = await client.listStates({ current_node: node, updated_before: new Date(Date.now() - 3_600_000) });

      assert.deepEqual(after.items.map((item) => item.thread_id), [user]);
      assert.deepEqual(before.items, []);
    });

    test("the history is walked newest first across pages until next_before ends it", async () => {
      const user = newUserId("history");
      for (const text of ["one", "two", "three", "four", "five"]) {
        await client.sendMessage(user, text);
      }

      const first = await client.getHistory(user, { limit: 2 });
      const versions = [];
      const texts = [];
      for await (const item of client.history(user, { limit: 2 })) {
        versions.push(item.version);
        texts.push(item.state.user_message?.text);
      }

      assert.deepEqual(first.items.map((item) => item.version), [5, 4]);
      assert.notEqual(first.next_before, null);
      assert.deepEqual(versions, [5, 4, 3, 2, 1]);
      assert.deepEqual(texts, ["five", "four", "three", "two", "one"]);
    });

    test("the active intent is intent.id, or null when the intent is empty", async () => {
      const user = newUserId("intent");

      await client.putState(user, { intent: { id: "book_table" } });
      const booked = await client.getActiveIntent(user);
      await client.putState(user, { intent: {} });

      assert.equal(booked, "book_table");
      assert.equal(await client.getActiveIntent(user), null);
    });
  });
}
