import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, test } from "node:test";
import { secured } from "./service.js";

// scripts/readme-snippets.mjs extracted the README's ts blocks and the test build compiled them next to this file.
const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
const count = [...readme.matchAll(/^```ts$/gm)].length;

describe("README.md", () => {
  test("has snippets to run", () => {
    assert.ok(count >= 5, `only ${count} ts blocks`);
  });

  for (let index = 1; index <= count; index++) {
    test(`ts block ${index} compiles and runs against a service that requires a key`, async () => {
      const snippet = fileURLToPath(new URL(`readme-snippets/snippet-${index}.js`, import.meta.url));

      const run = promisify(execFile)(process.execPath, [snippet], {
        env: { ...process.env, BOTSTATE_URL: secured.baseUrl, BOTSTATE_API_KEY: secured.apiKey },
        timeout: 60_000,
      });

      await assert.doesNotReject(run, `snippet ${index} failed`);
    });
  }
});
