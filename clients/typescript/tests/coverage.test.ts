// operations.json is this client's declaration of which operations of the contract it implements, read by the
// repository's ClientCoverageTests; these tests hold the declaration to the code.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { BotStateClient } from "botstate-client";
import { newUserId, shapes } from "./service.js";

interface Manifest {
  operations: Record<string, string>;
}

type Document = { paths: Record<string, Record<string, { operationId?: string }>> };

const manifest = JSON.parse(await readFile(new URL("../../operations.json", import.meta.url), "utf8")) as Manifest;
const contract = JSON.parse(await readFile(new URL("../../../openapi/v1.json", import.meta.url), "utf8")) as Document;

/** The operationId of a request, by matching its method and path against the contract's path templates. */
function operationOf(method: string, url: string): string | undefined {
  const path = new URL(url).pathname;
  for (const [template, item] of Object.entries(contract.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^/]+\}/g, "[^/]+")}$`);
    if (pattern.test(path)) {
      return item[method.toLowerCase()]?.operationId;
    }
  }
  return undefined;
}

// One call of each entry point, in an order that leaves each a conversation to work on.
const tour: Record<string, (client: BotStateClient, user: string) => Promise<unknown>> = {
  "BotStateClient.putState": (client, user) => client.putState(user, { intent: { id: "tour" } }),
  "BotStateClient.sendMessage": (client, user) => client.sendMessage(user, "hello"),
  "BotStateClient.getState": (client, user) => client.getState(user),
  "BotStateClient.getHistory": (client, user) => client.getHistory(user),
  "BotStateClient.getActiveIntent": (client, user) => client.getActiveIntent(user),
  "BotStateClient.listStates": (client) => client.listStates({}, { limit: 1 }),
  "BotStateClient.exportState": async (client, user) => {
    for await (const line of client.exportState(user)) {
      void line;
    }
  },
  "BotStateClient.getSnapshot": (client, user) => client.getSnapshot(user, 1),
  "BotStateClient.restoreState": (client, user) => client.restoreState(user, 1),
  "BotStateClient.forkState": (client, user) => client.forkState(user, `${user}-fork`),
  "BotStateClient.getChanges": (client) => client.getChanges({ limit: 1 }),
  "BotStateClient.changeStream": async (client) => {
    // The tour has written events, so the stream has one to give at once.
    for await (const event of client.changeStream()) {
      void event;
      break;
    }
  },
  "BotStateClient.getFailedDeliveries": (client) => client.getFailedDeliveries({ limit: 1 }),
  "BotStateClient.retryFailedDeliveries": (client) => client.retryFailedDeliveries(),
  "BotStateClient.deleteState": (client, user) => client.deleteState(user),
  "BotStateClient.eraseStates": (client, user) => client.eraseStates([user]),
};

describe("operations.json", () => {
  test("names a method of BotStateClient for every operation it declares", () => {
    for (const [operation, entryPoint] of Object.entries(manifest.operations)) {
      const [owner, method] = entryPoint.split(".");
      assert.equal(owner, "BotStateClient", operation);
      assert.equal(typeof (BotStateClient.prototype as unknown as Record<string, unknown>)[method ?? ""], "function", `${operation}: ${entryPoint}`);
    }
  });

  test("declares exactly the operations that its entry points call on the real service", async () => {
    const called = new Set<string>();
    const recording: typeof fetch = (input, init) => {
      called.add(operationOf(init?.method ?? "GET", String(input)) ?? `unknown ${init?.method} ${String(input)}`);
      return fetch(input, init);
    };
    const client = new BotStateClient({ baseUrl: shapes[0].baseUrl, fetch: recording });
    const user = newUserId("tour");

    for (const entryPoint of Object.values(manifest.operations)) {
      assert.ok(tour[entryPoint], `the tour has no call of ${entryPoint}: add one`);
    }
    for (const call of Object.values(tour)) {
      await call(client, user);
    }

    assert.deepEqual([...called].sort(), Object.keys(manifest.operations).sort());
  });
});
