/**
 * `tx()` on either engine: all or nothing, isolated from queries outside it, joined by the code
 * it calls (getDb() and nested tx() answer with its handle), and — with lockRows — safe for a
 * read-then-write that two writers race. On SQLite the transaction stays open across awaits on
 * the one connection, so queries from outside must wait for it rather than slip into it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { database, getDb, tx } = await import("./client");
const { execute, lockRows } = await import("./dialect");
const { users, dataVersions } = await import("./schema");
const { eq, sql } = await import("drizzle-orm");
afterAll(() => tmp.cleanup());

const user = (email: string) => ({ email, name: email, passwordHash: "x", role: "viewer" as const });
const emails = async () => (await getDb().select({ email: users.email }).from(users).orderBy(users.email)).map((r) => r.email);
const tick = () => new Promise((r) => setTimeout(r, 20));

describe("tx()", () => {
  it("keeps all of a transaction or nothing", async () => {
    await expect(
      tx(async (db) => {
        await db.insert(users).values(user("rolled-back@x.test"));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await emails()).not.toContain("rolled-back@x.test");
    await tx(async (db) => {
      await db.insert(users).values(user("kept@x.test"));
    });
    expect(await emails()).toContain("kept@x.test");
  });

  it("hides its writes from queries outside it until it commits, and never takes them in", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((r) => (inserted = r));
    const open = tx(async (db) => {
      await db.insert(users).values(user("inside@x.test"));
      inserted();
      await gate; // test-only: holds the transaction open while the outside reads
      return "committed";
    });
    await insertedYet;
    // Read and write from outside while the transaction is open. PostgreSQL answers the read at
    // once, without the uncommitted row; SQLite makes both wait for the commit (they may not run
    // through the open transaction on its one connection).
    let settled = false;
    const outside = emails().then((seen) => ((settled = true), seen));
    const outsideWrite = getDb().insert(users).values(user("outside@x.test"));
    if (database().engine === "postgres") {
      expect(await outside).not.toContain("inside@x.test");
    } else {
      await tick();
      expect(settled).toBe(false);
    }
    release();
    expect(await open).toBe("committed");
    await outsideWrite;
    if (database().engine === "sqlite") expect(await outside).toContain("inside@x.test");
    expect(await emails()).toEqual(expect.arrayContaining(["inside@x.test", "outside@x.test"]));
  });

  it("is joined by the code it calls: getDb() and a nested tx() use its handle", async () => {
    await expect(
      tx(async (db) => {
        expect(getDb()).toBe(db);
        await tx(async (inner) => {
          expect(inner).toBe(db);
          await getDb().insert(users).values(user("nested@x.test"));
        });
        throw new Error("roll the nested write back too");
      }),
    ).rejects.toThrow("roll the nested write back too");
    expect(await emails()).not.toContain("nested@x.test");
  });

  it("hands a promise that outlives it to the database outside, not to the ended transaction", async () => {
    let straggler!: Promise<string[]>;
    await tx(async () => {
      straggler = (async () => {
        await tick();
        return emails();
      })();
    });
    expect(await straggler).toEqual(await emails());
  });

  it("with the rows locked, two racing read-then-write transactions both count", async () => {
    const [row] = await getDb().insert(dataVersions).values({ name: "race", version: 0 }).returning();
    const bump = () =>
      tx(async (db) => {
        await lockRows(db, dataVersions, eq(dataVersions.name, row.name));
        const [current] = await db.select().from(dataVersions).where(eq(dataVersions.name, row.name));
        await tick(); // the other writer runs meanwhile
        await db.update(dataVersions).set({ version: current.version + 1 }).where(eq(dataVersions.name, row.name));
      });
    await Promise.all([bump(), bump(), bump()]);
    const [after] = await getDb().select().from(dataVersions).where(eq(dataVersions.name, row.name));
    expect(after.version).toBe(3);
  });

  it("answers a failing statement with its error and leaves the database usable", async () => {
    await expect(tx(async (db) => execute(db, sql`select * from no_such_table`))).rejects.toThrow(/no_such_table/);
    expect(await emails()).toContain("kept@x.test");
  });
});
