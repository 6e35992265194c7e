import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { eq, sql } = await import("drizzle-orm");
const { getDb, openDatabase, runMigrations } = await import("./client");
const { perDatabase } = await import("./prepared");
const { users } = await import("./schema");
afterAll(() => tmp.cleanup());

const userNamed = perDatabase((db) => ({
  byEmail: db.select({ name: users.name }).from(users).where(eq(users.email, sql.placeholder("email"))).prepare(),
}));

const addUser = (db: ReturnType<typeof getDb>, email: string, name: string) =>
  db.insert(users).values({ email, name, passwordHash: "x", role: "viewer" }).run();

describe("statements prepared per database handle", () => {
  it("builds once per handle and binds new values on each call", () => {
    const db = getDb();
    addUser(db, "ada@example.com", "Ada");
    addUser(db, "bo@example.com", "Bo");
    expect(userNamed()).toBe(userNamed(db));
    expect(userNamed().byEmail.get({ email: "ada@example.com" })).toEqual({ name: "Ada" });
    expect(userNamed().byEmail.get({ email: "bo@example.com" })).toEqual({ name: "Bo" });
    expect(userNamed().byEmail.get({ email: "nobody@example.com" })).toBeUndefined();
  });

  it("gives a handle opened after the first statements its own, and never reuses a closed one's", () => {
    const first = getDb();
    userNamed().byEmail.get({ email: "ada@example.com" });
    const other = openDatabase(path.join(tmp.dir, "other.db"));
    runMigrations(other.db);
    addUser(other.db, "ada@example.com", "Ada on the other database");
    expect(userNamed(other.db)).not.toBe(userNamed(first));
    expect(userNamed(other.db).byEmail.get({ email: "ada@example.com" })).toEqual({ name: "Ada on the other database" });
    expect(userNamed(first).byEmail.get({ email: "ada@example.com" })).toEqual({ name: "Ada" });

    // The console's handle replaced (as tests and a restore do): its statements are rebuilt.
    const holder = globalThis as { __consoleDb?: { sqlite: { close(): void } } };
    holder.__consoleDb!.sqlite.close();
    delete holder.__consoleDb;
    expect(() => userNamed(first).byEmail.get({ email: "ada@example.com" })).toThrow(/not open/);
    expect(userNamed().byEmail.get({ email: "ada@example.com" })).toEqual({ name: "Ada" });
    other.sqlite.close();
  });
});
