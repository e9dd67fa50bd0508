// Writes each ```ts block of README.md to tests/readme-snippets/snippet-N.ts, so that the test build type-checks
// every snippet against the package and tests/readme.test.ts runs it against the real service.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";

const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
const snippets = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
const directory = new URL("../tests/readme-snippets/", import.meta.url);

await rm(directory, { recursive: true, force: true });
await mkdir(directory, { recursive: true });
for (const [index, snippet] of snippets.entries()) {
  await writeFile(new URL(`snippet-${index + 1}.ts`, directory), `// From README.md, ts block ${index + 1}; written by scripts/readme-snippets.mjs.\n${snippet}`);
}
console.log(`${snippets.length} README snippets written to tests/readme-snippets/`);
