/**
 * The data layer's lint rules, proved with deliberately wrong code: outside db/ nothing opens a
 * database driver, nothing calls drizzle's SQLite-only `.get()/.all()/.run()`, and no promise of
 * an (async) data function is dropped. The probe files sit where real code would, so the
 * project's own ESLint configuration (type-aware rules included) judges them.
 */
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";

const probes = new Map<string, string>([
  [
    "lib/lint-probe-driver.ts",
    `import Database from "better-sqlite3";
import { Pool } from "pg";
export const handles = [Database, Pool];
`,
  ],
  [
    "app/lint-probe-sync.ts",
    `import { getDb } from "@/db/client";
import { users } from "@/db/schema";
export async function first() {
  return getDb().select().from(users).get();
}
`,
  ],
  [
    "lib/lint-probe-floating.ts",
    `import { recordAudit, systemActor } from "@/lib/audit";
export function forget() {
  recordAudit({ actor: systemActor, action: "console.setup" });
}
`,
  ],
  [
    "lib/lint-probe-clean.ts",
    `import { getDb } from "@/db/client";
import { users } from "@/db/schema";
export async function first() {
  const [row] = await getDb().select().from(users).limit(1);
  return row;
}
`,
  ],
]);

// Lint reads code, not a database: once, on the SQLite pass, is enough (its type-aware start is slow).
if (!onPostgres) for (const [file, text] of probes) fs.writeFileSync(path.join(process.cwd(), file), text);
afterAll(() => {
  for (const file of probes.keys()) fs.rmSync(path.join(process.cwd(), file), { force: true });
});

async function rulesHit(file: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: process.cwd() }).lintFiles([file]);
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe.skipIf(onPostgres)("lint keeps the data layer in db/", () => {
  it("refuses a database driver outside db/", async () => {
    expect(await rulesHit("lib/lint-probe-driver.ts")).toEqual(["no-restricted-imports", "no-restricted-imports"]);
  });

  it("refuses drizzle's synchronous SQLite calls", async () => {
    expect(await rulesHit("app/lint-probe-sync.ts")).toEqual(["no-restricted-syntax"]);
  });

  it("refuses a dropped promise of a data function", async () => {
    expect(await rulesHit("lib/lint-probe-floating.ts")).toEqual(["@typescript-eslint/no-floating-promises"]);
  });

  it("lets the awaited form through", async () => {
    expect(await rulesHit("lib/lint-probe-clean.ts")).toEqual([]);
  });
}, 120_000);
