import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, test } from "node:test";

const packageDirectory = fileURLToPath(new URL("../../", import.meta.url));

describe("the npm package", () => {
  test("packs the compiled client with its type declarations, README and licence, and nothing else", async () => {
    // --ignore-scripts: the suite was built from these sources already; prepack would only build them again.
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: packageDirectory });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);

    for (const expected of ["dist/index.js", "dist/index.d.ts", "dist/client.d.ts", "dist/generated/api.d.ts", "README.md", "LICENSE", "package.json"]) {
      assert.ok(files.includes(expected), `${expected} is not packed: ${files.join(", ")}`);
    }
    assert.deepEqual(files.filter((file) => !file.startsWith("dist/") && !["README.md", "LICENSE", "package.json"].includes(file)), []);
  });

  test("needs nothing at run time but Node", async () => {
    const manifest = JSON.parse(await readFile(new URL("package.json", `file://${packageDirectory}`), "utf8")) as Record<string, unknown>;

    assert.equal(manifest["dependencies"], undefined);
    assert.equal(manifest["peerDependencies"], undefined);
  });
});
