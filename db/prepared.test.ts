import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { onPostgres } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { eq, sql } = await import("drizzle-orm");
const { closeDatabase, database, tx } = await import("./client");
const { prepared } = await import("./prepared");
const { users } = await import("./schema");
afterAll(async () => {
  await closeDatabase();
  tmp.cleanup();
});

type Handle = ReturnType<typeof database>;

// Counts how often the statement is built: once per database handle, never per call.
const build = vi.fn((db: Handle["db"]) => db.select({ name: users.name }).from(users).where(eq(users.email, sql.placeholder("email"))));
const userNamed = prepared("test_user_named_by_email", build);

const addUser = (handle: Handle, email: string, name: string) => handle.db.insert(users).values({ email, name, passwordHash: "x", role: "viewer" });

/** A second, migrated database beside the console's: a file on SQLite, a database on PostgreSQL. */
async function openOther(): Promise<Handle> {
  if (onPostgres) {
    const { createTestDatabase } = await import("@/test/postgres/file-database");
    const { openPostgres } = await import("./postgres");
    // Copied from the migrated template, as every test file's own database is. One connection,
    // so the test can see the statement that connection has prepared.
    return openPostgres(await createTestDatabase(), { poolMax: 1 });
  }
  const { migrateNow, openSqlite } = await import("./sqlite");
  const other = openSqlite(path.join(tmp.dir, "other.db"));
  migrateNow(other);
  return other;
}

/** The messages of a failure and its causes (drizzle wraps the driver's error). */
async function failureOf(run: Promise<unknown>): Promise<string> {
  const error: unknown = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call should have failed").toBeInstanceOf(Error);
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(" <- ");
}

describe("statements prepared per database handle", () => {
  it("builds once per handle and binds new values on each call", async () => {
    const handle = database();
    await addUser(handle, "ada@example.com", "Ada");
    await addUser(handle, "bo@example.com", "Bo");
    expect(build).not.toHaveBeenCalled();
    expect(await userNamed.first({ email: "ada@example.com" })).toEqual({ name: "Ada" });
    expect(await userNamed.first({ email: "bo@example.com" }, handle)).toEqual({ name: "Bo" });
    expect(await userNamed.first({ email: "nobody@example.com" })).toBeUndefined();
    expect(await userNamed.all({ email: "bo@example.com" })).toEqual([{ name: "Bo" }]);
    expect(await userNamed.all({ email: "nobody@example.com" })).toEqual([]);
    expect(build).toHaveBeenCalledTimes(1);
    expect(build).toHaveBeenLastCalledWith(handle.db);
  });

  it("inside tx() runs in the transaction, as getDb() does: it sees the transaction's own writes", async () => {
    const builds = build.mock.calls.length;
    await expect(
      tx(async (db) => {
        await db.insert(users).values({ email: "tx@example.com", name: "Written in the transaction", passwordHash: "x", role: "viewer" });
        expect(await userNamed.first({ email: "tx@example.com" })).toEqual({ name: "Written in the transaction" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await userNamed.first({ email: "tx@example.com" })).toBeUndefined();
    // Outside a transaction the handle's one statement still serves.
    expect(await userNamed.first({ email: "ada@example.com" })).toEqual({ name: "Ada" });
    expect(build.mock.calls.length - builds).toBeLessThanOrEqual(1);
  });

  it("gives a handle opened after the first statements its own, and never reuses a closed one's", async () => {
    const first = database();
    expect(await userNamed.first({ email: "ada@example.com" })).toEqual({ name: "Ada" });
    const builds = build.mock.calls.length;

    const other = await openOther();
    try {
      await addUser(other, "ada@example.com", "Ada on the other database");
      expect(await userNamed.first({ email: "ada@example.com" }, other)).toEqual({ name: "Ada on the other database" });
      expect(build).toHaveBeenCalledTimes(builds + 1);
      expect(build).toHaveBeenLastCalledWith(other.db);
      if (onPostgres) {
        // PostgreSQL keeps it as a named statement on the connection, parsed once.
        const named = await other.query<{ name: string }>("select name from pg_prepared_statements");
        expect(named.map((r) => r.name)).toContain("test_user_named_by_email");
      }
      // Each handle keeps its own statement: neither answers for the other, neither is rebuilt.
      expect(await userNamed.first({ email: "ada@example.com" }, first)).toEqual({ name: "Ada" });
      expect(await userNamed.first({ email: "ada@example.com" }, other)).toEqual({ name: "Ada on the other database" });
      expect(build).toHaveBeenCalledTimes(builds + 1);
    } finally {
      await other.close();
    }

    // The console's handle replaced (as tests and a restore do): its statements are rebuilt on
    // the new one, and the closed handle's are dead, not silently reused.
    await closeDatabase();
    expect(await failureOf(userNamed.first({ email: "ada@example.com" }, first))).toMatch(onPostgres ? /after calling end on the pool/ : /not open/);
    const reopened = database();
    expect(reopened).not.toBe(first);
    expect(await userNamed.first({ email: "ada@example.com" })).toEqual({ name: "Ada" });
    expect(build).toHaveBeenCalledTimes(builds + 2);
    expect(build).toHaveBeenLastCalledWith(reopened.db);
  });
});
