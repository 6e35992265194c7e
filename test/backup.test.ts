/**
 * `npm run db:backup` while another console process refreshes tokens and writes in a loop, on the
 * engine under test (a SQLite file copy, or a pg_dump of PostgreSQL): the backup is consistent,
 * private, restorable into a fresh place, and what it holds still works — every stored secret
 * decrypts with the configured key and Zoho accepts the restored tokens.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { startWorker, waitFor, type Worker } from "@/test/faults/support";
import { expectSecretsDecrypt, integrityOf, printedBackupPath, printedRowCounts, rowCountsOf, scalar, type DbRef } from "@/test/stored-secrets";

const h = await startSandboxHarness();
const { auditEvents } = await import("@/db/schema");
const { and, count, eq } = await import("drizzle-orm");
let loop: Worker | undefined;
afterAll(async () => {
  loop?.child.kill("SIGKILL");
  await h.close();
});

/** Runs an npm script as a person would, without blocking this process (the sandbox lives here). */
function npmRun(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "-s", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const refreshesDone = async () =>
  (
    await h.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "connection.refresh"), eq(auditEvents.outcome, "success")))
  )[0].n;

/** Restores a backup into a fresh database of the engine under test, as the README says to. */
async function restoreCopy(file: string): Promise<{ ref: DbRef; env: Record<string, string> }> {
  if (!onPostgres) {
    const restoredDir = fs.mkdtempSync(path.join(h.dir, "restored-"));
    const restored = path.join(restoredDir, "console.db");
    fs.copyFileSync(file, restored);
    return { ref: { file: restored }, env: { CONSOLE_DATABASE_FILE: restored } };
  }
  const { createTestDatabase } = await import("@/test/postgres/file-database");
  const { postgresTool } = await import("@/db/postgres-tools");
  const url = await createTestDatabase({ empty: true });
  execFileSync(postgresTool("pg_restore"), ["--no-owner", "--no-privileges", "--single-transaction", "--dbname", url, file]);
  return { ref: { url }, env: { CONSOLE_DATABASE_URL: url } };
}

const live: DbRef = onPostgres ? { url: process.env.CONSOLE_DATABASE_URL! } : { file: process.env.CONSOLE_DATABASE_FILE! };

describe("npm run db:backup", () => {
  it("backs up online during refreshes; the restored copy passes its checks and its tokens still work", async () => {
    const busy = [await h.connect(), await h.connect(), await h.connect()];
    const idle = await h.connect({ email: "eva@zylker.eu" });
    loop = startWorker({ kind: "loop", ids: busy });
    await waitFor(async () => (await refreshesDone()) >= 3, 20_000, "the other process to refresh");

    const probes = async () => (await h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "console.fault_probe")))[0].n;
    const writesBefore = await probes();
    const dir = path.join(h.dir, "backups");
    const first = await npmRun(["db:backup", "--", "--dir", dir]);
    const second = await npmRun(["db:backup", "--", "--dir", dir]);
    const during = await refreshesDone();
    // The other process kept writing while the backups ran.
    expect(await probes()).toBeGreaterThan(writesBefore);
    loop.child.kill("SIGKILL");
    await loop.exited;
    expect(loop.lines.find((l) => (l as { fatal?: unknown }).fatal), loop.stderr()).toBeUndefined();

    for (const run of [first, second]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/KiB, mode 0600, integrity ok/);
    }
    const file = printedBackupPath(second.stdout);
    expect(path.dirname(file)).toBe(dir);
    expect(path.basename(file)).toMatch(onPostgres ? /^console-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.dump$/ : /^console-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.db$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(printedBackupPath(first.stdout)), path.basename(file)].sort());

    // Restore into a fresh place: the file alone is the whole database.
    const restored = await restoreCopy(file);
    expect(await integrityOf(restored.ref)).toBe("ok");
    const counts = await rowCountsOf(restored.ref);
    expect(counts).toEqual(printedRowCounts(second.stdout));
    expect(counts.connections).toBe((await h.db.select({ n: count() }).from(h.schema.connections))[0].n);
    expect(counts.zoho_clients).toBe(2);
    expect(counts.audit_events).toBeGreaterThan(0);
    // It holds refreshes made before it, and the backup is recorded in the live trail (not in itself).
    const restoredRefreshes = Number(await scalar(restored.ref, "select count(*) from audit_events where action = 'connection.refresh' and outcome = 'success'"));
    expect(restoredRefreshes).toBeGreaterThanOrEqual(3);
    expect(restoredRefreshes).toBeLessThanOrEqual(during);
    const backupsRecorded = (await h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "database.backup")))[0].n;
    expect(backupsRecorded).toBe(2);

    // Every secret decrypts with the configured key; the restored console's tokens work at Zoho.
    expect(await expectSecretsDecrypt(restored.ref, process.env.ENCRYPTION_KEY!)).toBe(2 + 2 * counts.connections);
    const restoredConsole = startWorker({ kind: "refresh", id: idle }, restored.env);
    expect(await restoredConsole.exited, restoredConsole.stderr()).toBe(0);
    expect(restoredConsole.lines.at(-1)).toMatchObject({ refreshed: true });
    expect(await integrityOf(live)).toBe("ok");
  }, 90_000);

  it("says clearly when there is nothing to back up or an option is wrong", async () => {
    if (onPostgres) {
      // A server that does not answer: named by host and port, the password never shown.
      const missing = await npmRun(["db:backup"], { CONSOLE_DATABASE_URL: "postgres://console:s3cret-Passw0rd@127.0.0.1:1/console" });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
      expect(missing.stderr).not.toContain("s3cret-Passw0rd");
      expect(fs.readdirSync(path.join(h.dir, "backups")).filter((f) => f.endsWith(".partial"))).toEqual([]);
    } else {
      const missing = await npmRun(["db:backup"], { CONSOLE_DATABASE_FILE: path.join(h.dir, "nothing-here.db") });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("no database at");
      expect(fs.existsSync(path.join(h.dir, "nothing-here.db"))).toBe(false);
    }
    const wrong = await npmRun(["db:backup", "--", "--to", "x"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("unknown option --to");
  }, 30_000);
});
