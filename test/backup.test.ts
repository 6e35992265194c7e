/**
 * `npm run db:backup` while another console process refreshes tokens and writes in a loop: the
 * backup is consistent, private, restorable into a fresh place, and what it holds still works —
 * every stored secret decrypts with the configured key and Zoho accepts the restored tokens.
 */
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { startWorker, waitFor, type Worker } from "@/test/faults/support";
import { expectSecretsDecrypt, integrityOf, printedBackupPath, printedRowCounts, rowCountsOf } from "@/test/stored-secrets";

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

const refreshesDone = () =>
  h.db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "connection.refresh"), eq(auditEvents.outcome, "success")))
    .get()!.n;

describe("npm run db:backup", () => {
  it("backs up online during refreshes; the restored copy passes its checks and its tokens still work", async () => {
    const busy = [await h.connect(), await h.connect(), await h.connect()];
    const idle = await h.connect({ email: "eva@zylker.eu" });
    loop = startWorker({ kind: "loop", ids: busy });
    await waitFor(() => refreshesDone() >= 3, 20_000, "the other process to refresh");

    const probes = () => h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "console.fault_probe")).get()!.n;
    const writesBefore = probes();
    const dir = path.join(h.dir, "backups");
    const first = await npmRun(["db:backup", "--", "--dir", dir]);
    const second = await npmRun(["db:backup", "--", "--dir", dir]);
    const during = refreshesDone();
    // The other process kept writing while the backups ran.
    expect(probes()).toBeGreaterThan(writesBefore);
    loop.child.kill("SIGKILL");
    await loop.exited;
    expect(loop.lines.find((l) => (l as { fatal?: unknown }).fatal), loop.stderr()).toBeUndefined();

    for (const run of [first, second]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/KiB, mode 0600, integrity ok/);
    }
    const file = printedBackupPath(second.stdout);
    expect(path.dirname(file)).toBe(dir);
    expect(path.basename(file)).toMatch(/^console-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.db$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(printedBackupPath(first.stdout)), path.basename(file)].sort());

    // Restore into a fresh place: the file alone is the whole database.
    const restoredDir = fs.mkdtempSync(path.join(h.dir, "restored-"));
    const restored = path.join(restoredDir, "console.db");
    fs.copyFileSync(file, restored);
    expect(integrityOf(restored)).toBe("ok");
    const counts = rowCountsOf(restored);
    expect(counts).toEqual(printedRowCounts(second.stdout));
    expect(counts.connections).toBe(h.db.select({ n: count() }).from(h.schema.connections).get()!.n);
    expect(counts.zoho_clients).toBe(2);
    expect(counts.audit_events).toBeGreaterThan(0);
    // It holds refreshes made before it, and the backup is recorded in the live trail (not in itself).
    const restoredRefreshes = (() => {
      const db = new Database(restored, { readonly: true });
      try {
        return db.prepare("select count(*) from audit_events where action = 'connection.refresh' and outcome = 'success'").pluck().get() as number;
      } finally {
        db.close();
      }
    })();
    expect(restoredRefreshes).toBeGreaterThanOrEqual(3);
    expect(restoredRefreshes).toBeLessThanOrEqual(during);
    const backupsRecorded = h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "database.backup")).get()!.n;
    expect(backupsRecorded).toBe(2);

    // Every secret decrypts with the configured key; the restored console's tokens work at Zoho.
    expect(expectSecretsDecrypt(restored, process.env.ENCRYPTION_KEY!)).toBe(2 + 2 * counts.connections);
    const restoredConsole = startWorker({ kind: "refresh", id: idle }, { CONSOLE_DATABASE_FILE: restored });
    expect(await restoredConsole.exited, restoredConsole.stderr()).toBe(0);
    expect(restoredConsole.lines.at(-1)).toMatchObject({ refreshed: true });
    expect(integrityOf(process.env.CONSOLE_DATABASE_FILE!)).toBe("ok");
  }, 90_000);

  it("says clearly when there is nothing to back up or an option is wrong", async () => {
    const missing = await npmRun(["db:backup"], { CONSOLE_DATABASE_FILE: path.join(h.dir, "nothing-here.db") });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no database at");
    expect(fs.existsSync(path.join(h.dir, "nothing-here.db"))).toBe(false);
    const wrong = await npmRun(["db:backup", "--", "--to", "x"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("unknown option --to");
  }, 30_000);
});
