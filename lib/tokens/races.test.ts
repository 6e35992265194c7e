/**
 * Rules that SQLite's single writer used to keep for free, raced with concurrent writers: on
 * PostgreSQL (READ COMMITTED, several pooled connections) the writes below really overlap.
 * - one current token per connection, however many token writes race;
 * - an abandoned refresh lease is taken over by exactly one of the processes that find it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb, tx } = await import("@/db/client");
const schema = await import("@/db/schema");
const { and, eq, isNull } = await import("drizzle-orm");
const { writeIfUnchanged } = await import("./engine");
const { startAccessLife } = await import("./lives");
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
    })
    .returning();
  return conn.id;
}

const openLives = async (connectionId: number) =>
  getDb()
    .select()
    .from(schema.tokenMints)
    .where(and(eq(schema.tokenMints.connectionId, connectionId), isNull(schema.tokenMints.endedAt)));

describe("concurrent writers", () => {
  it("leave exactly one current token, whatever number of token writes race", async () => {
    const id = await aConnection("racer");
    const row = (await loadConnection(id))!;
    const now = Date.now();
    // Each write is what a refresh stores: the new token on the row, then its life, in one transaction.
    const write = (n: number) =>
      tx(async (db) => {
        const written = await writeIfUnchanged(row, { accessTokenEnc: `token-${n}`, accessTokenLast4: `t${n}`.padStart(4, "0"), updatedAt: new Date() }, db);
        if (written) await startAccessLife(db, { connectionId: id, grantType: "refresh_token", via: "api", at: now + n, expiresAt: now + 3_600_000, accessToken: `token-${n}` });
        return written;
      });
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => write(n)));
    expect(results.every(Boolean)).toBe(true);
    const open = await openLives(id);
    expect(open).toHaveLength(1);
    const all = await getDb().select().from(schema.tokenMints).where(eq(schema.tokenMints.connectionId, id));
    expect(all).toHaveLength(6);
    // The open life is the token the row holds now: the last writer's.
    const stored = (await loadConnection(id))!;
    expect(open[0].tokenLast4).toBe(stored.accessTokenEnc!.slice(-4));
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
