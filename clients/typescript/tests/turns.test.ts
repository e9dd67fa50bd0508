import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { BotStateClient, IdempotencyKeyReusedError, ProblemTypes } from "botstate-client";
import { newUserId, shapes } from "./service.js";

for (const shape of shapes) {
  describe(`turns through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    test("a first turn creates the state and the next one merges its context", async () => {
      const user = newUserId("turn");

      const first = await client.sendMessage(user, { text: "hello", context: { locale: "en" } });
      const second = await client.sendMessage(user, { text: "again", context: { mood: "fine" }, channel: "slack" });

      assert.equal(first.version, 1);
      assert.deepEqual(first.state.user_message, { thread_id: user, text: "hello", channel: "rest", context: { locale: "en" } });
      assert.equal(first.state.current_node, "");
      assert.deepEqual(first.state.intent, {});
      assert.equal(second.version, 2);
      assert.deepEqual(second.state.context, { locale: "en", mood: "fine" });
      assert.equal(second.state.user_message?.channel, "slack");
      assert.equal(second.replayed, false);
    });

    test("a turn after a completed intent resets the dialogue to Python's nulls", async () => {
      const user = newUserId("reset");
      await client.putState(user, {
        complete: true,
        intent: { id: "order_pizza" },
        parameters: [{ name: "size", required: true }],
        extracted_parameters: { size: "large" },
        missing_parameters: ["topping"],
        current_node: "confirm",
        bot_message: [{ text: "Anything else?" }],
      });

      const { state } = await client.sendMessage(user, "no thanks");

      assert.equal(state.complete, false);
      assert.equal(state.intent, null);
      assert.equal(state.current_node, null);
      assert.deepEqual(state.parameters, []);
      assert.deepEqual(state.extracted_parameters, {});
      assert.deepEqual(state.missing_parameters, []);
      assert.deepEqual(state.bot_message, []);
    });

    test("a turn sent again with its Idempotency-Key replays the first answer and is not applied twice", async () => {
      const user = newUserId("replay");
      const key = randomUUID();

      const first = await client.sendMessage(user, "once", { idempotencyKey: key });
      const again = await client.sendMessage(user, "once", { idempotencyKey: key });

      assert.equal(first.replayed, false);
      assert.equal(again.replayed, true);
      assert.equal(again.version, first.version);
      assert.deepEqual(again.state, first.state);
      assert.equal((await client.getState(user)).version, 1);
    });

    test("an Idempotency-Key used for another message is refused", async () => {
      const user = newUserId("reused");
      const key = randomUUID();
      await client.sendMessage(user, "first", { idempotencyKey: key });

      await assert.rejects(client.sendMessage(user, "second", { idempotencyKey: key }), (error: unknown) => {
        assert.ok(error instanceof IdempotencyKeyReusedError);
        assert.equal(error.status, 422);
        assert.equal(error.type, ProblemTypes.idempotencyKeyReused);
        return true;
      });
    });

    test("turns without a key of the caller's are still each applied once", async () => {
      const user = newUserId("keyless");

      await client.sendMessage(user, "one", { idempotencyKey: false });
      const second = await client.sendMessage(user, "two");

      assert.equal(second.version, 2);
    });

    test("the free-form dialogue fields keep any keys the bot puts in them", async () => {
      const user = newUserId("free-form");
      const fields = {
        nlu: { intent: { name: "greet", confidence: 0.93 }, entities: [{ type: "city", value: "Oslo" }] },
        context: { "any key": { nested: [1, "two", null] } },
        parameters: [{ name: "city", type: "sys.location", required: true }],
        extracted_parameters: { city: "Oslo" },
        bot_message: [{ text: "Hi!", buttons: [{ title: "Go" }] }],
        intent: { id: "greet", speechResponse: "Hello" },
      };

      await client.putState(user, fields);
      const { state } = await client.getState(user);

      for (const [name, value] of Object.entries(fields)) {
        assert.deepEqual(state[name as keyof typeof fields], value, name);
      }
    });
  });
}
