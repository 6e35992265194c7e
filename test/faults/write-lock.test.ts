/**
 * Another console process holding a lock and committing while this one is inside a transaction.
 *
 * SQLite: one write lock for the whole file. A transaction that reads first and then writes must
 * take the write lock up front (BEGIN IMMEDIATE): begun deferred, its read snapshot is stale by
 * the time it may write, and SQLite answers SQLITE_BUSY at once, whatever busy_timeout says.
 *
 * PostgreSQL: no file lock, but row locks. Another process's long transaction holding the rows a
 * usage flush or a refresh writes makes them wait for its commit and then go ahead: neither may
 * fail, lose a count, or give up on the connection.
 */
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { waitFor } from "./support";

const h = await startSandboxHarness();
const { getDb } = await import("@/db/client");
const { apiKeys, apiKeyUsage } = await import("@/db/schema");
const { countCall } = await import("@/lib/api-keys/usage");
const { createApiKey } = await import("@/lib/api-keys/store");
const { refreshConnection } = await import("@/lib/tokens/engine");
const { loadConnection } = await import("@/lib/connections/queries");
const { redirectLog } = await import("@/lib/log");
const { eq } = await import("drizzle-orm");
afterAll(() => h.close());

interface Holder {
  output: () => string;
  exited: Promise<unknown>;
}

function runHolder(args: string[]): Holder {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  return { output: () => out, exited: new Promise((r) => child.once("exit", r)) };
}

/** A second process that takes SQLite's write lock, holds it for `ms`, writes and commits. */
function holdWriteLock(ms: number): Holder {
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
  return runHolder(["-e", script, process.env.CONSOLE_DATABASE_FILE!]);
}

/** A second process that runs `statement` (locking rows) in a transaction, holds it for `ms`, and commits. */
function holdRowLocks(ms: number, statement: string, params: unknown[]): Holder {
  const script = `
    const { Client } = require("pg");
    (async () => {
      const db = new Client({ connectionString: process.argv[1] });
      await db.connect();
      await db.query("begin");
      await db.query(process.argv[2], JSON.parse(process.argv[3]));
      console.log("locked");
      await new Promise((r) => setTimeout(r, ${ms}));
      await db.query("commit");
      console.log("committed");
      await db.end();
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  return runHolder(["-e", script, process.env.CONSOLE_DATABASE_URL!, statement, JSON.stringify(params)]);
}

/** Every error line the console logs while `run` runs. */
async function errorsLoggedDuring<T>(run: (logged: string[]) => Promise<T>): Promise<{ result: T; logged: string[] }> {
  const logged: string[] = [];
  const restore = redirectLog({ write: (line: string) => void logged.push(line) }, "error");
  try {
    return { result: await run(logged), logged };
  } finally {
    restore();
  }
}

async function newKey() {
  const admin = await h.mkUser(`keys-${Date.now()}@console.test`);
  const { id } = await createApiKey(
    { name: `svc ${admin.id}`, scope: "all", connectionIds: [], permissions: ["read"], expiresAt: null, rateLimitPerMinute: null },
    { type: "user", id: admin.id, label: admin.email },
    null,
  );
  return id;
}

/**
 * One call counted while another process holds `lock`; the flush runs a second after the call,
 * while the lock is still held, and must land once it is released.
 */
async function countDuring(lock: (keyId: number) => Holder, keyId: number) {
  const { logged } = await errorsLoggedDuring(async (logged) => {
    const other = lock(keyId);
    await waitFor(() => other.output().includes("locked"), 10_000, "the other process to lock");
    countCall(keyId, null, "203.0.113.9");
    await other.exited;
    expect(other.output()).toContain("committed");
    await waitFor(async () => (await getDb().select().from(apiKeyUsage).where(eq(apiKeyUsage.keyId, keyId))).length > 0 || logged.length > 0, 10_000, "the flush");
  });
  expect(logged.join("\n")).toBe("");
  expect(await getDb().select({ calls: apiKeyUsage.calls }).from(apiKeyUsage).where(eq(apiKeyUsage.keyId, keyId))).toEqual([{ calls: 1 }]);
  expect(await getDb().select({ ip: apiKeys.lastUsedIp }).from(apiKeys).where(eq(apiKeys.id, keyId))).toEqual([{ ip: "203.0.113.9" }]);
}

// SQLite's one write lock; the PostgreSQL describe below holds the same flush to row locks.
describe.skipIf(onPostgres)("a transaction while another process writes (SQLite's write lock)", () => {
  it("API key usage counts survive another process committing in the middle of their flush", async () => {
    await countDuring(() => holdWriteLock(1_500), await newKey());
  }, 30_000);
});

describe.runIf(onPostgres)("a transaction while another process holds row locks (PostgreSQL)", () => {
  it("API key usage counts survive another process holding the key's row in the middle of their flush", async () => {
    // The flush's last write is the key's last use: that row is the one held.
    await countDuring((keyId) => holdRowLocks(1_500, "update api_keys set name = name where id = $1", [keyId]), await newKey());
  }, 30_000);

  it("a refresh waits for another process's transaction on the connection's row, then succeeds", async () => {
    const id = await h.connect();
    const before = (await loadConnection(id))!;
    // What a binding save or a keep-fresh switch does to the row, held for 1.5 s.
    const other = holdRowLocks(1_500, "update connections set updated_at = updated_at + 1 where id = $1", [id]);
    await waitFor(() => other.output().includes("locked"), 10_000, "the other process to lock");
    const started = Date.now();
    const { result, logged } = await errorsLoggedDuring(() => refreshConnection(id, { trigger: "manual", ignoreBackoff: true }));
    await other.exited;
    expect(other.output()).toContain("committed");
    // It waited for the lock (the lease is taken by an UPDATE of that row) instead of failing.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(result.refreshed).toBe(true);
    expect(logged.join("\n")).toBe("");
    const after = (await loadConnection(id))!;
    expect(after).toMatchObject({ leaseOwner: null, failureCount: 0, lastErrorKind: null, refreshTokenEnc: before.refreshTokenEnc });
    expect(after.accessTokenEnc).not.toBe(before.accessTokenEnc);
  }, 30_000);
});
