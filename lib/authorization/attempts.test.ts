import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { ATTEMPT_RETENTION_MS, createAttempt, hashState } = await import("./attempts");
afterAll(() => tmp.cleanup());

const db = getDb();
const [user] = await db.insert(schema.users).values({ email: "o@x.test", name: "O", passwordHash: "x", role: "operator" }).returning();
const [client] = await db
  .insert(schema.zohoClients)
  .values({ name: "c", realm: "live", clientType: "server", clientId: "1000.ATTEMPTATTEMPTATTEMPTATTEMPTAT", secretEnc: "x", secretLast4: "x", secretUpdatedAt: new Date(), homeDc: "us" })
  .returning();
const input = { userId: user.id, clientRef: client.id, scopes: ["Desk.basic.READ"], accessType: "offline" as const, connectionName: "n" };

describe("authorization attempts", () => {
  it("stores only the hash of the state it hands out", async () => {
    const { state, attempt } = await createAttempt(input);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(attempt.stateHash).toBe(hashState(state));
    expect(JSON.stringify(await db.select().from(schema.oauthAttempts))).not.toContain(state);
  });

  it("forgets attempts that ended longer ago than the retention period", async () => {
    const long = Date.now() - ATTEMPT_RETENTION_MS - 60 * 60 * 1000;
    const old = (await createAttempt(input, long)).attempt;
    const recent = (await createAttempt(input, Date.now() - 60 * 60 * 1000)).attempt;
    await createAttempt(input);
    const ids = (await db.select({ id: schema.oauthAttempts.id }).from(schema.oauthAttempts)).map((r) => r.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toContain(recent.id);
  });
});
