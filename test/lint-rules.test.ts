/**
 * The project's own lint rules, proved with deliberately wrong code: outside db/ nothing opens a
 * database driver, nothing calls drizzle's SQLite-only `.get()/.all()/.run()`, no promise of an
 * (async) data function is dropped, every server action runs through guardedAction, and submit
 * buttons show that they are sending through SubmitButton. The probe files sit where real code
 * would, so the project's own ESLint configuration (type-aware rules included) judges them.
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
    "app/lint-probe-actions.ts",
    `"use server";
import { z } from "zod";
import { guardedAction, type ActionResult } from "@/lib/actions";
import { addUser } from "@/app/(dashboard)/settings/users/actions";

export async function guarded(formData: FormData): Promise<ActionResult> {
  return guardedAction("console:view", "probe.guarded", z.object({}), formData, async () => ({ ok: true }));
}

export async function unguarded(): Promise<ActionResult> {
  return { ok: true };
}

export const unguardedArrow = async (): Promise<ActionResult> => ({ ok: true });

export async function authenticate(): Promise<ActionResult> {
  return { ok: true };
}

export { addUser };
`,
  ],
  [
    "components/lint-probe-pending.tsx",
    `"use client";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";

export function HandRolled({ pending }: { pending: boolean }) {
  return <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save"}</Button>;
}

export function Shared({ pending }: { pending: boolean }) {
  return <SubmitButton pending={pending} pendingLabel="Saving…">Save</SubmitButton>;
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

async function lint(file: string) {
  const [result] = await new ESLint({ cwd: process.cwd() }).lintFiles([file]);
  return result.messages;
}

async function rulesHit(file: string): Promise<string[]> {
  return (await lint(file)).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

/** The probe's line numbers of the first line matching each pattern. */
function linesOf(file: string, ...patterns: RegExp[]): number[] {
  const lines = probes.get(file)!.split("\n");
  return patterns.map((p) => lines.findIndex((l) => p.test(l)) + 1);
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

describe.skipIf(onPostgres)("lint keeps the console's habits", () => {
  it("refuses a server action that skips guardedAction, a re-exported one, and a name allowed only in app/(auth)", async () => {
    const file = "app/lint-probe-actions.ts";
    const hits = (await lint(file)).map((m) => `${m.ruleId}:${m.line}`);
    const lines = linesOf(file, /function unguarded\(/, /const unguardedArrow/, /function authenticate/, /^export \{ addUser \}/);
    expect(hits).toEqual(lines.map((line) => `console/guarded-actions:${line}`));
  });

  it("refuses a submit button that writes its own pending words instead of using SubmitButton", async () => {
    const file = "components/lint-probe-pending.tsx";
    const hits = (await lint(file)).map((m) => `${m.ruleId}:${m.line}`);
    expect(hits).toEqual([`no-restricted-syntax:${linesOf(file, /<Button type="submit"/)[0]}`]);
  });
}, 120_000);
