/**
 * /api/health is public: when the database does not answer it says so, names the engine, and
 * keeps the driver's words (hosts, users, paths) for the log.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

// A database that cannot be opened: a folder where the SQLite file should be, or a closed port.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "console-health-"));
const tmp = setupTempDatabase(
  onPostgres ? { CONSOLE_DATABASE_URL: "postgres://console:s3cret-Passw0rd@127.0.0.1:1/console_db" } : { CONSOLE_DATABASE_FILE: folder },
);
const { databaseHealth } = await import("./health");
const { redirectLog } = await import("./log");
afterAll(() => {
  tmp.cleanup();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe("database health", () => {
  it("says the database does not answer, without the driver's details", async () => {
    const lines: string[] = [];
    const restoreLog = redirectLog(new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split("\n").filter(Boolean)), done()) }), "info");
    const health = await databaseHealth().finally(restoreLog);
    expect(health).toEqual({ status: "error", engine: onPostgres ? "postgres" : "sqlite", error: "The database does not answer; the console's log says why." });
    expect(JSON.stringify(health)).not.toMatch(/127\.0\.0\.1|s3cret|console_db|console-health/);
    // The detail is not lost: the log line names the component and carries the driver's error.
    const logged = lines.map((l) => JSON.parse(l) as { component?: string; msg?: string; error?: string }).find((l) => l.component === "health");
    expect(logged?.msg).toBe("database check failed");
    expect(logged?.error).toBeTruthy();
  });
});
