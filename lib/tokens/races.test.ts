/**
 * Rules that SQLite's single writer used to keep for free, raced with concurrent writers: on
 * PostgreSQL (READ COMMITTED, several pooled connections) the writes below really overlap.
 * - one current token per connection, however many token writes race;
 * - a refresh that stores after a reconnect keeps the reconnect's token and records its own mint
 *   as discarded;
 * - an abandoned refresh lease is taken over by exactly one of the processes that find it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { and, eq, isNull } = await import("drizzle-orm");
const { storeRefreshedToken } = await import("./engine");
const { startAccessLife } = await import("./lives");
const { storeConnection } = await import("@/lib/authorization/persist");
const { dataCentre } = await import("@/lib/zoho");
const { acquireLease } = await import("./lease");
const { revokeConnection } = await import("./revoke");
const { systemActor } = await import("@/lib/audit");
const { loadConnection } = await import("@/lib/connections/queries");
afterAll(() => tmp.cleanup());

async function aConnection(name: string): Promise<number> {
  const db = getDb();
  const [user] = await db.insert(schema.users).values({ email: `${name}@x.test`, name, passwordHash: "x", role: "admin" }).returning();
  const [client] = await db
    .insert(schema.zohoClients)
    .values({ name, realm: "sandbox", clientType: "server", clientId: `1000.${name}`, secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us", createdBy: user.id })
    .returning();
  const [conn] = await db
    .insert(schema.connections)
    .values({
      name,
      clientRef: client.id,
      accessType: "offline",
      location: "us",
      accountsServer: "https://accounts.zoho.com",
      apiDomain: "https://www.zohoapis.com",
      scopesRequested: [],
      scopesGranted: [],
      refreshTokenEnc: `refresh-of-${name}`,
      createdBy: user.id,
    })
    .returning();
  return conn.id;
}

const openLives = async (connectionId: number) =>
  getDb()
    .select()
    .from(schema.tokenMints)
    .where(and(eq(schema.tokenMints.connectionId, connectionId), isNull(schema.tokenMints.endedAt)));
const livesOf = (connectionId: number) => getDb().select().from(schema.tokenMints).where(eq(schema.tokenMints.connectionId, connectionId)).orderBy(schema.tokenMints.id);

/** What Zoho answers a refresh (or, with a refresh token, a code exchange) with. */
const tokenSet = (accessToken: string, refreshToken?: string) => ({
  accessToken,
  ...(refreshToken ? { refreshToken } : {}),
  apiDomain: "https://www.zohoapis.com",
  tokenType: "Bearer",
  expiresInSec: 3600,
});

/** A reconnect of the connection as its callback stores it (lib/authorization/persist.ts): a new refresh token, without the lease. */
async function reconnect(row: { id: number; clientRef: number; createdBy: number | null }, accessToken: string) {
  await storeConnection({
    clientRef: row.clientRef,
    name: "reconnected",
    accessType: "offline",
    createdBy: row.createdBy!,
    reconnectId: row.id,
    attemptStartedAt: new Date(),
    grant: { tokens: tokenSet(accessToken, accessToken.replace("access", "refresh")), dc: dataCentre("live", "us"), scopesRequested: [], scopesGranted: [] },
    binding: {},
  });
}

describe("concurrent writers", () => {
  it("leave exactly one current token, whatever number of token writes race", async () => {
    const id = await aConnection("racer");
    const row = (await loadConnection(id))!;
    const now = Date.now();
    // Six refreshes of the same row storing at once, each through the refresh's own store step.
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => storeRefreshedToken(row, tokenSet(`access-token-${n}`), { trigger: "api" }, now + n)));
    expect(results.every(Boolean)).toBe(true);
    const open = await openLives(id);
    expect(open).toHaveLength(1);
    const all = await livesOf(id);
    expect(all).toHaveLength(6);
    expect(all.filter((m) => m.endReason === "replaced")).toHaveLength(5);
    // The open life is the token the row holds now: the last writer's.
    const stored = (await loadConnection(id))!;
    expect(open[0].tokenLast4).toBe(stored.accessTokenLast4);
  });

  it("keep a reconnect's token when a refresh stores after it, and record the refresh's mint as discarded", async () => {
    const id = await aConnection("outrun");
    const at = Date.now();
    await startAccessLife(getDb(), { connectionId: id, grantType: "authorization_code", via: "authorize", at: at - 60_000, expiresAt: at + 3_000_000, accessToken: "first-access-0001" });
    // The refresh read the row and called Zoho; meanwhile the reconnect's callback stored new tokens.
    const seenByRefresh = (await loadConnection(id))!;
    await reconnect(seenByRefresh, "reconnect-access-0002");
    const written = await storeRefreshedToken(seenByRefresh, tokenSet("refresh-access-0003"), { trigger: "background" }, Date.now());
    expect(written).toBe(false);
    expect((await loadConnection(id))!).toMatchObject({ accessTokenLast4: "0002", refreshTokenLast4: "0002" });
    const lives = await livesOf(id);
    expect(lives.map((m) => ({ via: m.via, last4: m.tokenLast4, endReason: m.endReason, open: m.endedAt === null }))).toEqual([
      { via: "authorize", last4: "0001", endReason: "replaced", open: false },
      { via: "reconnect", last4: "0002", endReason: null, open: true },
      { via: "background", last4: "0003", endReason: "discarded", open: false },
    ]);
  });

  it("leave the reconnect's token current whichever of a reconnect and a refresh stores first", async () => {
    for (let round = 0; round < 5; round++) {
      const id = await aConnection(`raced-${round}`);
      const seenByRefresh = (await loadConnection(id))!;
      const [, written] = await Promise.all([
        reconnect(seenByRefresh, `reconnect-access-${round}`),
        storeRefreshedToken(seenByRefresh, tokenSet(`refresh-access-${round}`), { trigger: "api" }, Date.now()),
      ]);
      const open = await openLives(id);
      expect(open.map((m) => m.via)).toEqual(["reconnect"]);
      expect((await loadConnection(id))!.accessTokenLast4).toBe(open[0].tokenLast4);
      // Stored first, the refresh's token was then replaced by the reconnect's; stored second, it was discarded.
      const refreshed = (await livesOf(id)).filter((m) => m.via === "api");
      expect(refreshed.map((m) => m.endReason)).toEqual([written ? "replaced" : "discarded"]);
    }
  });

  it("are refused a second current token by the database itself", async () => {
    const id = await aConnection("doubled");
    const life = { connectionId: id, grantType: "refresh_token", at: new Date(), expiresAt: new Date(Date.now() + 3_600_000) };
    await getDb().insert(schema.tokenMints).values(life);
    const refused = await getDb()
      .insert(schema.tokenMints)
      .values(life)
      .then(() => undefined, (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(refused).toMatch(/token_mints_one_current|UNIQUE constraint failed: token_mints\.connection_id/);
    expect(await openLives(id)).toHaveLength(1);
  });

  it("take over an abandoned lease exactly once", async () => {
    const id = await aConnection("leased");
    const expired = new Date(Date.now() - 60_000);
    await getDb().update(schema.connections).set({ leaseOwner: "gone-host:1:dead#1", leaseExpiresAt: expired }).where(eq(schema.connections.id, id));
    const takers = await Promise.all(Array.from({ length: 6 }, (_, n) => acquireLease(id, `taker#${n}`, 30_000)));
    const won = takers.filter((t) => t !== false);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ abandoned: { owner: "gone-host:1:dead#1", expiredAt: expired.getTime() } });
    const after = (await loadConnection(id))!;
    expect(after.leaseOwner).toMatch(/^taker#\d$/);
  });

  it("record the refresh a dead process abandoned, also when a revoke is what takes its lease over", async () => {
    const id = await aConnection("abandoned");
    const expired = new Date(Date.now() - 60_000);
    await getDb().update(schema.connections).set({ leaseOwner: "gone-host:2:dead#7", leaseExpiresAt: expired }).where(eq(schema.connections.id, id));
    // The stored refresh token is not one this console encrypted: the revoke forgets it locally.
    await expect(revokeConnection(id, systemActor)).rejects.toMatchObject({ kind: "key_missing" });
    const trail = await getDb()
      .select({ action: schema.auditEvents.action, detail: schema.auditEvents.detail })
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.targetType, "connection"), eq(schema.auditEvents.targetId, String(id))));
    expect(trail.find((e) => e.action === "connection.refresh_abandoned")?.detail).toMatchObject({ holder: "gone-host:2:dead#7", leaseExpiredAt: expired.toISOString() });
    const after = (await loadConnection(id))!;
    expect(after).toMatchObject({ leaseOwner: null, refreshTokenEnc: null });
    expect(after.revokedAt).not.toBeNull();
  });
});
