import { afterAll, describe, expect, it } from "vitest";
import { testEngine } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { database, getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { lockRows } = await import("@/db/dialect");
const { eq } = await import("drizzle-orm");
afterAll(() => tmp.cleanup());

describe("the engine under test", () => {
  it("is the one this pass was asked for, from the first import on", async () => {
    expect(database().engine).toBe(testEngine);
    // The schema module picked its tables when first imported: the dialect of a built query shows it.
    const query = getDb().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.id, 1)).toSQL().sql;
    expect(query).toBe(testEngine === "postgres" ? 'select "id" from "users" where "users"."id" = $1' : 'select "id" from "users" where "users"."id" = ?');
    expect(await database().migrationCount()).toBeGreaterThan(0);
    // PostgreSQL's builder offers row locks; SQLite's does not, and lockRows is a no-op there.
    await expect(lockRows(getDb(), schema.users, undefined)).resolves.toBeUndefined();
  });
});
