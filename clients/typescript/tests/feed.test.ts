// The change feed's readers against a scripted server: each page or stream is asked for from the cursor of the last
// event yielded, after a dropped connection as after a new reader built from a saved cursor.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BotStateClient, UnauthorizedError, type ChangeEvent } from "botstate-client";
import { problemAnswer, scriptedServer, type Answer } from "./scripted-server.js";

function event(cursor: string, version: number): ChangeEvent {
  return { cursor, kind: "updated", thread_id: "t1", version, at: "2026-01-01T00:00:00.000000+00:00", state: null };
}

function page(events: ChangeEvent[], nextCursor?: string): Answer {
  return { status: 200, body: { items: events, next_cursor: nextCursor ?? events.at(-1)?.cursor ?? "c0" } };
}

function stream(events: ChangeEvent[]): Answer {
  const lines = ["retry: 1000", "", ": nothing new", ""];
  for (const item of events) {
    lines.push(`id: ${item.cursor}`, `data: ${JSON.stringify(item)}`, "");
  }
  return { status: 200, headers: { "Content-Type": "text/event-stream" }, text: `${lines.join("\n")}\n` };
}

async function take(events: AsyncGenerator<ChangeEvent>, count: number): Promise<ChangeEvent[]> {
  const taken: ChangeEvent[] = [];
  for await (const item of events) {
    taken.push(item);
    if (taken.length === count) {
      break;
    }
  }
  return taken;
}

function queried(url: string, name: string): string | null {
  return new URL(url, "http://127.0.0.1").searchParams.get(name);
}

const quick = { maxAttempts: 1, initialDelayMs: 5 };

describe("changes() over pages", () => {
  test("after a dropped connection it asks again from the last event yielded", async () => {
    const server = await scriptedServer([page([event("c1", 1), event("c2", 2)]), { drop: true }, { drop: true }, page([event("c3", 3)])]);
    try {
      // No retries in the transport: the reader itself has to reconnect and resume.
      const client = new BotStateClient({ baseUrl: server.baseUrl, retry: quick });
      const seen = await take(client.changes({ wait: 5 }), 3);

      assert.deepEqual(seen.map((item) => item.cursor), ["c1", "c2", "c3"]);
      assert.deepEqual(server.received.map((request) => queried(request.url, "cursor")), [null, "c2", "c2", "c2"]);
      assert.deepEqual(new Set(server.received.map((request) => queried(request.url, "wait"))), new Set(["5"]));
    } finally {
      await server.close();
    }
  });

  test("an empty long poll asks again from the cursor it answered, and a saved cursor starts a new reader after it", async () => {
    const server = await scriptedServer([page([], "start"), page([event("c1", 1)]), page([event("c2", 2)])]);
    try {
      const client = new BotStateClient({ baseUrl: server.baseUrl });
      const [first] = await take(client.changes({ wait: 1 }), 1);
      const [second] = await take(client.changes({ cursor: first?.cursor, wait: 1 }), 1);

      assert.deepEqual([first?.version, second?.version], [1, 2]);
      assert.deepEqual(server.received.map((request) => queried(request.url, "cursor")), [null, "start", "c1"]);
    } finally {
      await server.close();
    }
  });

  test("without follow it ends once caught up, and a refusal waiting cannot mend is thrown", async () => {
    const server = await scriptedServer([page([event("c1", 1)]), page([], "c1"), problemAnswer(401, "unauthorized")]);
    try {
      const client = new BotStateClient({ baseUrl: server.baseUrl });
      const caughtUp = await take(client.changes({ follow: false }), 10);

      await assert.rejects(take(client.changes(), 1), UnauthorizedError);
      assert.deepEqual(caughtUp.map((item) => item.cursor), ["c1"]);
      assert.deepEqual(server.received.map((request) => queried(request.url, "wait")), ["0", "0", "30"]);
    } finally {
      await server.close();
    }
  });
});

describe("changeStream()", () => {
  test("a stream that ends or drops is opened again with the last event's id", async () => {
    const server = await scriptedServer([stream([event("c1", 1), event("c2", 2)]), { drop: true }, stream([event("c3", 3)])]);
    try {
      const client = new BotStateClient({ baseUrl: server.baseUrl, retry: quick });
      const seen = await take(client.changeStream({ cursor: "c0" }), 3);

      assert.deepEqual(seen.map((item) => item.cursor), ["c1", "c2", "c3"]);
      assert.deepEqual(server.received.map((request) => request.headers["last-event-id"]), ["c0", "c2", "c2"]);
      assert.match(String(server.received[0]?.headers.accept), /^text\/event-stream/);
    } finally {
      await server.close();
    }
  });

  test("a refusal is thrown, not retried for ever", async () => {
    const server = await scriptedServer([problemAnswer(403, "forbidden")]);
    try {
      const client = new BotStateClient({ baseUrl: server.baseUrl, retry: quick });
      await assert.rejects(take(client.changeStream(), 1), { status: 403 });
      assert.equal(server.received.length, 1);
    } finally {
      await server.close();
    }
  });
});
