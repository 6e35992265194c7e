import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
// Imported after the environment points at the temporary database.
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { statusSql, statusRankSql, STATUS_RANK } = await import("./status-sql");
const { factsOf } = await import("./queries");
const { connectionStatus, ATTENTION_KINDS, STATUS_KINDS, EXPIRING_SOON_MS } = await import("@/lib/connection-status");
const overview = await import("./overview");
afterAll(() => tmp.cleanup());

const db = getDb();
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const at = (ms: number | null) => (ms === null ? null : new Date(NOW + ms));

describe("the status as SQL", () => {
  it("agrees with the TypeScript status on every combination of the facts it reads", async () => {
    const [{ id: client }] = await db
      .insert(schema.zohoClients)
      .values({ name: "c", realm: "sandbox", clientType: "server", clientId: "1000.C", secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us" })
      .returning();
    const rows = [];
    for (const revoked of [null, -1000])
      for (const reauth of [null, "", "evicted"])
        for (const errorKind of [null, "key_missing", "server"])
          for (const failures of [0, 2])
            for (const accessType of ["offline", "online"] as const)
              for (const refresh of [null, "enc-rt"])
                for (const access of [null, "enc-at"])
                  for (const throttled of [null, -1, 60_000])
                    for (const expires of [null, -1, 0, 60_000, EXPIRING_SOON_MS - 1, EXPIRING_SOON_MS, 3_600_000])
                      for (const keepFresh of [true, false])
                        rows.push({
                          name: "n",
                          clientRef: client,
                          accessType,
                          location: "us",
                          accountsServer: "http://x",
                          apiDomain: "http://x",
                          scopesRequested: [],
                          scopesGranted: [],
                          revokedAt: at(revoked),
                          reauthReason: reauth,
                          lastErrorKind: errorKind,
                          lastErrorMessage: errorKind ? "m" : null,
                          failureCount: failures,
                          refreshTokenEnc: refresh,
                          accessTokenEnc: access,
                          throttledUntil: at(throttled),
                          accessTokenExpiresAt: at(expires),
                          keepFresh,
                        });
    for (let i = 0; i < rows.length; i += 500) await db.insert(schema.connections).values(rows.slice(i, i + 500));

    const inSql = await db.select({ id: schema.connections.id, kind: statusSql(NOW), rank: statusRankSql(NOW) }).from(schema.connections);
    const full = new Map((await db.select().from(schema.connections).where(eq(schema.connections.clientRef, client))).map((r) => [r.id, r]));
    expect(inSql).toHaveLength(rows.length);
    const seen = new Set<string>();
    for (const r of inSql) {
      const expected = connectionStatus(factsOf(full.get(r.id)!), NOW).kind;
      expect(r.kind, JSON.stringify(full.get(r.id))).toBe(expected);
      expect(r.rank).toBe(STATUS_RANK.indexOf(expected));
      seen.add(r.kind);
    }
    // The combinations reach every status, so no branch goes untested.
    expect([...seen].sort()).toEqual([...STATUS_KINDS].sort());

    // The overview counts over the connections that may not be active (the unsettled index and
    // the expiry index) and takes the rest as active: the same counts as every row's status.
    const expected = Object.fromEntries(STATUS_KINDS.map((k) => [k, 0]));
    for (const r of inSql) expected[r.kind] += 1;
    expect(await overview.statusCounts(NOW)).toEqual(expected);
    // Its first ten needing attention: the most urgent of every row, in the list's order.
    const urgent = inSql
      .filter((r) => ATTENTION_KINDS.has(r.kind))
      .map((r) => ({ ...r, expires: full.get(r.id)!.accessTokenExpiresAt?.getTime() ?? 0 }))
      .sort((a, b) => a.rank - b.rank || a.expires - b.expires || a.id - b.id);
    expect((await overview.attentionQuery(NOW, 10)).map((r) => r.id)).toEqual(urgent.slice(0, 10).map((r) => r.id));
    // And at a later instant, when tokens have expired meanwhile.
    const later = NOW + 2 * 3_600_000;
    const laterCounts = Object.fromEntries(STATUS_KINDS.map((k) => [k, 0]));
    for (const r of full.values()) laterCounts[connectionStatus(factsOf(r), later).kind] += 1;
    expect(await overview.statusCounts(later)).toEqual(laterCounts);
  });
});
