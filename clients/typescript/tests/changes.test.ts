// The change feed of the real service: readers started before the turns see them, and a reader built again from a
// saved cursor goes on without a repeat or a gap.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BotStateClient, type ChangeEvent } from "botstate-client";
import { newUserId, shapes } from "./service.js";

/** How long a change may take to reach a reader before the test calls it lost. */
const deadlineMs = 30_000;

/** The cursor after the last event the tenant has now (other tests write to the same tenant). */
async function feedEnd(client: BotStateClient): Promise<string | undefined> {
  let cursor: string | undefined;
  for await (const event of client.changes({ follow: false, limit: 1000 })) {
    cursor = event.cursor;
  }
  return cursor;
}

/**
 * The events of `user` that the reader `open` makes yields, up to the first that `last` accepts; the reader is
 * aborted, and the promise rejects, after the deadline.
 */
async function eventsOf(
  open: (signal: AbortSignal) => AsyncGenerator<ChangeEvent>,
  user: string,
  last: (event: ChangeEvent) => boolean,
): Promise<ChangeEvent[]> {
  const seen: ChangeEvent[] = [];
  const late = new AbortController();
  const timer = setTimeout(() => late.abort(new Error(`no matching event of ${user} within ${deadlineMs} ms; saw ${JSON.stringify(seen)}`)), deadlineMs);
  try {
    for await (const event of open(late.signal)) {
      if (event.thread_id === user) {
        seen.push(event);
        if (last(event)) {
          break;
        }
      }
    }
    return seen;
  } finally {
    clearTimeout(timer);
  }
}

for (const shape of shapes) {
  describe(`the change feed through the ${shape.name}`, () => {
    const client = new BotStateClient({ baseUrl: shape.baseUrl });

    test("changes() yields turns written after it started and resumes from a saved cursor", async () => {
      const user = newUserId("feed");
      const start = await feedEnd(client);
      // Reading starts before the turns are written: the long poll has to wake up for them.
      const reading = eventsOf((signal) => client.changes({ cursor: start, wait: 5, signal }), user, (event) => event.version === 3);
      for (const text of ["a", "b", "c"]) {
        await client.sendMessage(user, text);
      }
      const first = await reading;

      for (const text of ["d", "e"]) {
        await client.sendMessage(user, text);
      }
      const resumed = await eventsOf((signal) => client.changes({ cursor: first[1]?.cursor, wait: 5, signal }), user, (event) => event.version === 5);

      assert.deepEqual(first.map((event) => [event.version, event.kind]), [[1, "created"], [2, "updated"], [3, "updated"]]);
      assert.deepEqual(resumed.map((event) => event.version), [3, 4, 5]);
    });

    test("changeStream() resumes from a saved cursor as the pages do, and reports an erasure", async () => {
      const user = newUserId("stream");
      const start = await feedEnd(client);
      const first = eventsOf((signal) => client.changeStream({ cursor: start, signal }), user, (event) => event.version === 2);
      await client.sendMessage(user, "a");
      await client.sendMessage(user, "b");
      const [one] = await first;

      await client.deleteState(user);
      const resumed = await eventsOf((signal) => client.changeStream({ cursor: one?.cursor, signal }), user, (event) => event.kind === "erased");

      assert.deepEqual(resumed.map((event) => [event.version, event.kind]).slice(0, 1), [[2, "updated"]]);
      assert.equal(resumed.length, 2);
      assert.equal(resumed[1]?.reason, "deleted");
      assert.equal(resumed[1]?.state ?? null, null);
    });

    test("failed deliveries are listed with their fields, and an event that did not fail is not retried", async () => {
      const user = newUserId("delivered");
      const start = await feedEnd(client);
      await client.sendMessage(user, "hi");
      const [delivered] = await eventsOf((signal) => client.changes({ cursor: start, wait: 5, signal }), user, () => true);

      const failed = await client.getFailedDeliveries({ limit: 10 });

      assert.ok(failed.length <= 10);
      for (const item of failed) {
        assert.deepEqual(Object.keys(item).filter((key) => ["id", "thread_id", "version", "kind", "attempts", "last_error", "failed_at"].includes(key)).length, 7);
      }
      assert.equal(await client.retryFailedDeliveries([String(delivered?.cursor)]), 0);
    });
  });
}
