import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
// Imported after the environment points at the temporary database.
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { and, count, eq, gt, inArray, isNotNull, isNull } = await import("drizzle-orm");
const overview = await import("./overview");
afterAll(() => tmp.cleanup());

const db = getDb();
const c = schema.connections;

/** Live refresh tokens per (client, Zoho user), counted from the connections themselves. */
async function countedFromConnections() {
  const rows = await db
    .select({ clientRef: c.clientRef, zuid: c.zuid, live: count() })
    .from(c)
    .where(and(isNotNull(c.refreshTokenEnc), isNull(c.revokedAt), isNull(c.reauthReason), isNotNull(c.zuid)))
    .groupBy(c.clientRef, c.zuid);
  return rows.map((r) => `${r.clientRef}/${r.zuid}: ${r.live}`).sort();
}

/** What the triggers kept in refresh_token_budgets (pairs at 0 keep their row and are not shown). */
async function kept() {
  const b = schema.refreshTokenBudgets;
  const rows = await db.select().from(b).where(gt(b.live, 0));
  return rows.map((r) => `${r.clientRef}/${r.zuid}: ${r.live}`).sort();
}

async function client(name: string) {
  const [row] = await db
    .insert(schema.zohoClients)
    .values({ name, realm: "sandbox", clientType: "server", clientId: `1000.${name}`, secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us" })
    .returning();
  return row.id;
}

describe("refresh-token budgets kept by the database", () => {
  it("equal the live refresh tokens per client and Zoho user after every kind of write", async () => {
    const [one, two] = [await client("one"), await client("two")];
    const connection = (clientRef: number, zuid: string | null, refresh: string | null = "enc-rt") => ({
      name: "n",
      clientRef,
      accessType: "offline" as const,
      location: "us",
      accountsServer: "https://accounts.zoho.com",
      apiDomain: "https://www.zohoapis.com",
      scopesRequested: ["Desk.tickets.READ"],
      scopesGranted: ["Desk.tickets.READ"],
      zuid,
      refreshTokenEnc: refresh,
      accessTokenEnc: "enc-at",
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
    });
    const ids = (
      await db
        .insert(c)
        .values([
          connection(one, "70000001"),
          connection(one, "70000001"),
          connection(one, "70000001"),
          connection(one, "70000002"),
          connection(two, "70000001"),
          connection(one, null),
          connection(one, "70000003", null),
        ])
        .returning({ id: c.id })
    ).map((r) => r.id);
    const expected = [`${one}/70000001: 3`, `${one}/70000002: 1`, `${two}/70000001: 1`];
    expect(await kept()).toEqual(expected);
    expect(await countedFromConnections()).toEqual(expected);

    const steps: [string, () => Promise<unknown>][] = [
      // Revoked: the tokens are gone and revoked_at is set (lib/tokens/revoke.ts).
      ["revoked", () => db.update(c).set({ revokedAt: new Date(), refreshTokenEnc: null, accessTokenEnc: null }).where(eq(c.id, ids[0]))],
      ["sent to re-authorization", () => db.update(c).set({ reauthReason: "evicted" }).where(eq(c.id, ids[1]))],
      ["re-authorized with a new refresh token", () => db.update(c).set({ reauthReason: null, refreshTokenEnc: "enc-rt-2" }).where(eq(c.id, ids[1]))],
      ["its Zoho user learnt", () => db.update(c).set({ zuid: "70000002" }).where(eq(c.id, ids[5]))],
      ["a refresh token stored where there was none", () => db.update(c).set({ refreshTokenEnc: "enc-rt-3" }).where(eq(c.id, ids[6]))],
      ["a write that changes nothing that counts", () => db.update(c).set({ refreshTokenEnc: "enc-rt-4", name: "renamed" }).where(eq(c.id, ids[3]))],
      ["an access token refreshed", () => db.update(c).set({ accessTokenEnc: "enc-at-2", accessTokenExpiresAt: new Date() }).where(eq(c.id, ids[2]))],
      ["deleted", () => db.delete(c).where(inArray(c.id, [ids[2], ids[4]]))],
    ];
    for (const [step, write] of steps) {
      await write();
      expect(await kept(), step).toEqual(await countedFromConnections());
    }
    expect(await kept()).toEqual([`${one}/70000001: 1`, `${one}/70000002: 2`, `${one}/70000003: 1`]);

    // The overview reads the fullest first, then by client and user, with how many pairs hold one.
    const top = await overview.budgetsQuery(2);
    expect(top.map((r) => [r.clientId, r.zuid, r.live, r.groups])).toEqual([
      [one, "70000002", 2, 3],
      [one, "70000001", 1, 3],
    ]);
  });

  it("names the Zoho user of every pair the overview lists, past a hundred of them", async () => {
    const clientRef = await client("many");
    const rows = Array.from({ length: 230 }, (_, i) => ({
      name: `m${i}`,
      clientRef,
      accessType: "offline" as const,
      location: "us",
      accountsServer: "https://accounts.zoho.com",
      apiDomain: "https://www.zohoapis.com",
      scopesRequested: ["Desk.tickets.READ"],
      scopesGranted: ["Desk.tickets.READ"],
      zuid: String(90_000_000 + i),
      zohoEmail: `user${i}@example.com`,
      refreshTokenEnc: "enc-rt",
      accessTokenEnc: "enc-at",
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
    }));
    for (let i = 0; i < rows.length; i += 100) await db.insert(c).values(rows.slice(i, i + 100));
    const { budgets } = await overview.overview(Date.now(), { budgetLimit: 500 });
    const ours = budgets.items.filter((b) => b.clientId === clientRef);
    expect(ours).toHaveLength(230);
    expect(ours.filter((b) => b.email === `user${Number(b.zuid) - 90_000_000}@example.com`)).toHaveLength(230);
    expect(ours.every((b) => b.clientName === "many")).toBe(true);
  });
});
