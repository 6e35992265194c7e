/**
 * Another console process holding SQLite's write lock and committing while this one is inside a
 * transaction. A transaction that reads first and then writes must take the write lock up front
 * (BEGIN IMMEDIATE): begun deferred, its read snapshot is stale by the time it may write, and
 * SQLite answers SQLITE_BUSY at once, whatever busy_timeout says.
 */
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it, vi } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";
import { waitFor } from "./support";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const { apiKeys, apiKeyUsage, users } = await import("@/db/schema");
const { countCall } = await import("@/lib/api-keys/usage");
const { createApiKey } = await import("@/lib/api-keys/store");
afterAll(() => tmp.cleanup());

/** A second process that takes the write lock, holds it for `ms`, writes and commits. */
function holdWriteLock(ms: number) {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.pragma("busy_timeout = 5000");
    db.exec("BEGIN IMMEDIATE");
    db.prepare("insert into data_versions (name, version) values ('write-lock-probe', 1) on conflict(name) do update set version = version + 1").run();
    console.log("locked");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
    db.exec("COMMIT");
    console.log("committed");
  `;
  const child = spawn(process.execPath, ["-e", script, process.env.CONSOLE_DATABASE_FILE!], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  return { output: () => out, exited: new Promise((r) => child.once("exit", r)) };
}

describe("a transaction while another process writes", () => {
  it("API key usage counts survive another process committing in the middle of their flush", async () => {
    const admin = getDb().insert(users).values({ email: "a@console.test", name: "a", passwordHash: "x", role: "admin" }).returning().get();
    const { id } = await createApiKey(
      { name: "svc", scope: "all", connectionIds: [], permissions: ["read"], expiresAt: null, rateLimitPerMinute: null },
      { type: "user", id: admin.id, label: admin.email },
      null,
    );
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const other = holdWriteLock(1_500);
    await waitFor(() => other.output().includes("locked"), 10_000, "the other process to lock");
    // The flush runs a second after the first call, while the other process still holds the lock.
    countCall(id, null, "203.0.113.9");
    await other.exited;
    expect(other.output()).toContain("committed");
    await waitFor(() => getDb().select().from(apiKeyUsage).all().length > 0 || errors.mock.calls.length > 0, 10_000, "the flush");
    expect(errors.mock.calls.map((c) => c.join(" ")).join("\n")).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(getDb().select({ calls: apiKeyUsage.calls }).from(apiKeyUsage).all()).toEqual([{ calls: 1 }]);
    expect(getDb().select({ ip: apiKeys.lastUsedIp }).from(apiKeys).get()).toEqual({ ip: "203.0.113.9" });
  }, 30_000);
});
