/**
 * `tx()` on either engine: all or nothing, isolated from queries outside it, joined by the code
 * it calls (getDb() and nested tx() answer with its handle), and — with lockRows — safe for a
 * read-then-write that two writers race. On SQLite the transaction stays open across awaits on
 * the one connection, so queries from outside must wait for it rather than slip into it.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { PostgresHandle } from "@/db/postgres";
import { onPostgres } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { database, getDb, tx } = await import("./client");
const { execute, lockRows } = await import("./dialect");
const { users, dataVersions } = await import("./schema");
const { eq, inArray, sql } = await import("drizzle-orm");
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
    // A straggler still carries the ended transaction's async context. It reads while another
    // transaction holds an uncommitted row: run outside, as it must, it never sees that row (SQLite
    // makes it wait for the rollback, PostgreSQL answers from another connection); run through the
    // ended transaction's handle it would land inside the open one (SQLite's one connection, or
    // the pooled connection PostgreSQL hands on) and read the row that is rolled back.
    let bInserted!: () => void;
    const bOpen = new Promise<void>((r) => (bInserted = r));
    let rollBack!: () => void;
    const bGate = new Promise<void>((r) => (rollBack = r));
    let straggler!: Promise<string[]>;
    await tx(async () => {
      straggler = (async () => {
        await bOpen;
        return emails();
      })();
    });
    const b = tx(async (db) => {
      await db.insert(users).values(user("uncommitted@x.test"));
      bInserted();
      await bGate; // test-only: holds the transaction open while the straggler reads
      throw new Error("roll back");
    });
    await bOpen;
    await tick(); // the straggler's read starts (and answers, or waits) meanwhile
    rollBack();
    await expect(b).rejects.toThrow("roll back");
    expect(await straggler).not.toContain("uncommitted@x.test");
    expect(await emails()).not.toContain("uncommitted@x.test");
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

  it.skipIf(!onPostgres)("runs a transaction PostgreSQL ends in a deadlock again, whole", async () => {
    // SQLite runs one transaction at a time and cannot deadlock. Two transactions update the same
    // two rows in opposite orders, each waiting for the other's first update: PostgreSQL ends one
    // with 40P01, and the data layer runs that one's body again once the other has committed.
    await getDb().insert(dataVersions).values([{ name: "deadlock-a", version: 0 }, { name: "deadlock-b", version: 0 }]);
    const retriesBefore = (database() as PostgresHandle).retries;
    let runs = 0;
    const firstUpdate = (name: string) => {
      let done!: () => void;
      return { name, done: new Promise<void>((r) => (done = r)), signal: () => done() };
    };
    const [a, b] = [firstUpdate("deadlock-a"), firstUpdate("deadlock-b")];
    const bump = (db: Db, name: string) => db.update(dataVersions).set({ version: sql`${dataVersions.version} + 1` }).where(eq(dataVersions.name, name));
    const cross = (mine: typeof a, theirs: typeof a) =>
      tx(async (db) => {
        runs += 1;
        await bump(db, mine.name);
        mine.signal();
        await theirs.done; // test-only: both hold their first row before either asks for the other
        await bump(db, theirs.name);
        return "done";
      });
    expect(await Promise.all([cross(a, b), cross(b, a)])).toEqual(["done", "done"]);
    expect(runs).toBe(3);
    expect((database() as PostgresHandle).retries).toBe(retriesBefore + 1);
    const versions = await getDb().select().from(dataVersions).where(inArray(dataVersions.name, [a.name, b.name]));
    expect(versions.map((v) => v.version)).toEqual([2, 2]);
  });

  it("refuses a transaction, migration or close of its database from inside its own transaction", async () => {
    // Each would wait for the transaction it runs in to end: forever. (The exported tx() joins
    // instead; see above.)
    for (const call of [() => database().transaction(async () => "nested"), () => database().migrate(), () => database().close()]) {
      await expect(tx(async () => call())).rejects.toThrow(/inside a transaction of the same database/);
    }
    expect(await emails()).toContain("kept@x.test");
  });

  it("answers a failing statement with its error and leaves the database usable", async () => {
    await expect(tx(async (db) => execute(db, sql`select * from no_such_table`))).rejects.toThrow(/no_such_table/);
    expect(await emails()).toContain("kept@x.test");
  });
});
