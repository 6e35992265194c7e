/**
 * `npm run db:copy -- --to <target>`, run as an operator runs it: a console's database moves to
 * another engine (and back) whole — every table's rows, the connections' statuses, every stored
 * secret still decrypting — with PostgreSQL's sequences set past the copied ids, a target that
 * already holds data refused, and the copy recorded in the trail. On the PostgreSQL pass the
 * console's database goes to a new SQLite file and from there to a new PostgreSQL database; on the
 * SQLite pass, from the SQLite file to a new one.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditAction } from "@/lib/audit";
import { onPostgres } from "@/test/engine";
import { startWorker } from "@/test/faults/support";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { execSql, expectSecretsDecrypt, queryRows, rowCountsOf, scalar, type DbRef } from "@/test/stored-secrets";

const h = await startSandboxHarness({ CONSOLE_ALERTS_ALLOWED_HOSTS: "127.0.0.1" });
const { recordAudit, systemActor } = await import("@/lib/audit");
// A marker outside the catalogue on purpose, so only this test's rows carry it.
const FAULT_PROBE = "console.fault_probe" as string as AuditAction;
const { createDestination } = await import("@/lib/alerts/destinations");
const { COPY_ORDER, NOT_COPIED } = await import("@/db/copy");
const sqliteSchema = await import("@/db/schema-sqlite");
const { SQLiteTable } = await import("drizzle-orm/sqlite-core");
afterAll(() => h.close());

function npmRun(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CONSOLE_DATABASE"))) as NodeJS.ProcessEnv;
    const child = spawn("npm", ["run", "-s", ...args], { env: { ...base, ...env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.once("exit", (code) => resolve({ code, out }));
  });
}

/** Row counts of the console's tables; the migration bookkeeping differs between engines by design. */
async function counts(db: DbRef) {
  return Object.fromEntries(Object.entries(await rowCountsOf(db)).filter(([table]) => table !== "__drizzle_migrations"));
}

const live: DbRef = onPostgres ? { url: process.env.CONSOLE_DATABASE_URL! } : { file: process.env.CONSOLE_DATABASE_FILE! };
const envOf = (db: DbRef) => ("url" in db ? { CONSOLE_DATABASE_URL: db.url } : { CONSOLE_DATABASE_FILE: db.file });

describe("npm run db:copy", () => {
  it("moves a console's database to another engine and back, whole and still working", async () => {
    const ids = [await h.connect(), await h.connect({ email: "eva@zylker.eu" }), await h.connect()];
    await recordAudit({ actor: systemActor, action: FAULT_PROBE, detail: { note: "copied along" } });
    // A webhook destination: its URL and signing secret are secrets bound to their row too.
    const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
    await createDestination({ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/hook", emails: [], events: [], clientId: null, connectionId: null }, admin, null);
    const before = await counts(live);
    expect(before.connections).toBe(3);
    expect(before.alert_destinations).toBe(1);

    // To a new SQLite file (moving back, on the PostgreSQL pass).
    const file = path.join(h.dir, "copied.db");
    const first = await npmRun(["db:copy", "--", "--to", file], envOf(live));
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/stored secrets decrypting under the configured keys: 10/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const sqliteCopy: DbRef = { file };
    const copied = await counts(sqliteCopy);
    // The copy's own row of the trail is in both databases.
    expect(copied).toEqual({ ...before, audit_events: before.audit_events + 1 });
    expect(await counts(live)).toEqual(copied);
    expect(await expectSecretsDecrypt(sqliteCopy, process.env.ENCRYPTION_KEY!)).toBe(2 + 2 * 3 + 2);
    expect(await scalar(sqliteCopy, "select count(*) from audit_events where action = 'database.copy'")).toBe(1);

    // The copy refuses a target that already holds data, and changes nothing.
    const again = await npmRun(["db:copy", "--", "--to", file], envOf(live));
    expect(again.code).not.toBe(0);
    expect(again.out).toMatch(/already exists|already holds data/);
    expect(await counts(sqliteCopy)).toEqual(copied);

    if (!onPostgres) {
      // SQLite's AUTOINCREMENT carries on after the copied ids.
      await execSql(sqliteCopy, "insert into users (email, name, password_hash, role) values ('after-copy@x.test', 'n', 'x', 'viewer')");
      const [added] = await queryRows<{ id: number }>(sqliteCopy, "select id from users where email = 'after-copy@x.test'");
      expect(added.id).toBeGreaterThan(Math.max(...(await queryRows<{ id: number }>(live, "select id from users")).map((r) => r.id)));
      return;
    }

    // From that file to a new PostgreSQL database (moving a console onto a server).
    const { createTestDatabase } = await import("@/test/postgres/file-database");
    const url = await createTestDatabase({ empty: true });
    const second = await npmRun(["db:copy", "--", "--to", url], { CONSOLE_DATABASE_FILE: file });
    expect(second.code, second.out).toBe(0);
    expect(second.out).not.toContain("MISMATCH");
    const pgCopy: DbRef = { url };
    const onServer = await counts(pgCopy);
    expect(onServer).toEqual({ ...copied, audit_events: copied.audit_events + 1 });
    expect(await expectSecretsDecrypt(pgCopy, process.env.ENCRYPTION_KEY!)).toBe(10);
    // The sequences follow the copied ids: the next row gets a new one, not a clash.
    await execSql(pgCopy, "insert into users (email, name, password_hash, role) values ('after-copy@x.test', 'n', 'x', 'viewer')");
    await execSql(pgCopy, "insert into audit_events (actor_type, actor_label, action, outcome) values ('system', 'system', 'console.fault_probe', 'success')");
    // The connections work there: a console process on the copy refreshes at Zoho.
    const worker = startWorker({ kind: "refresh", id: ids[1] }, { CONSOLE_DATABASE_URL: url });
    expect(await worker.exited, worker.stderr()).toBe(0);
    expect(worker.lines.at(-1)).toMatchObject({ refreshed: true });

    // And a PostgreSQL target that holds data is refused.
    const refused = await npmRun(["db:copy", "--", "--to", url], { CONSOLE_DATABASE_FILE: file });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/the target already holds data \(\d+ in users/);
  }, 120_000);

  it("copies every table of the schema, or leaves it out on purpose", () => {
    const tables = Object.entries(sqliteSchema)
      .filter(([, v]) => v instanceof SQLiteTable)
      .map(([k]) => k)
      .sort();
    expect([...COPY_ORDER, ...NOT_COPIED].sort()).toEqual(tables);
  });

  it("says how to use it", async () => {
    const run = await npmRun(["db:copy"], envOf(live));
    expect(run.code).toBe(64);
    expect(run.out).toContain("usage: npm run db:copy -- --to");
  }, 30_000);
});
