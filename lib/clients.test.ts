import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ ZOHO_SANDBOX_URL: "http://127.0.0.1:4999" });
const clients = await import("./clients");
const { overview } = await import("@/lib/connections/overview");
const { getDb } = await import("@/db/client");
const { heldTransaction, whenBlocked } = await import("@/test/races");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");

const base = {
  name: "EU support",
  realm: "live" as const,
  clientType: "server" as const,
  clientId: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ1234",
  clientSecret: "0123456789abcdef0123456789abcdef01234567ab",
  homeDc: "eu" as const,
  multiDc: true,
  enabledDcs: ["us", "in"] as ("us" | "in")[],
  description: "",
};

let adminId = 0;
beforeAll(async () => {
  const [admin] = await getDb().insert(schema.users).values({ email: "a@x.test", name: "A", passwordHash: "x", role: "admin" }).returning();
  adminId = admin.id;
});
afterAll(() => tmp.cleanup());

const connection = (clientRef: number, name: string, extra: Partial<typeof schema.connections.$inferInsert> = {}) => ({
  name,
  clientRef,
  accessType: "offline" as const,
  location: "eu",
  accountsServer: "https://accounts.zoho.eu",
  apiDomain: "https://www.zohoapis.eu",
  scopesRequested: ["Desk.tickets.READ"],
  scopesGranted: ["Desk.tickets.READ"],
  ...extra,
});

describe("zoho clients", () => {
  it("stores the secret encrypted and exposes only its last four characters", async () => {
    const c = await clients.createClient(base, adminId);
    expect(c.secretMasked).toBe("••••67ab");
    expect(JSON.stringify(c)).not.toContain(base.clientSecret);
    const [row] = await getDb().select().from(schema.zohoClients);
    expect(row.secretEnc).not.toContain(base.clientSecret);
    expect((await clients.getClientCredentials(c.id))?.clientSecret).toBe(base.clientSecret);
    expect(c.enabledDcs).toEqual(["eu", "us", "in"]);
  });

  it("refuses duplicate names and client ids at the right field", async () => {
    await expect(clients.createClient({ ...base, clientId: "1000.ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ" }, adminId)).rejects.toThrow(/already has this name/);
    await expect(clients.createClient({ ...base, name: "Other" }, adminId)).rejects.toThrow(/already registered/);
  });

  it("never makes a self client multi-DC", async () => {
    const c = await clients.createClient({ ...base, name: "Self", clientType: "self", clientId: "1000.SELFSELFSELFSELFSELFSELFSELFSE" }, adminId);
    expect(c.multiDc).toBe(false);
    expect(c.enabledDcs).toEqual(["eu"]);
  });

  it("keeps the secret when an edit leaves it empty, and reports a replacement", async () => {
    const c = (await clients.listClients()).find((x) => x.name === "EU support")!;
    const kept = await clients.updateClient(c.id, { ...base, clientSecret: undefined, description: "edited" });
    expect(kept.secretReplaced).toBe(false);
    expect(kept.changed).toEqual(["description"]);
    // What the audit row's before/after diff shows: only the changed fields, never the secret.
    expect({ before: kept.before, after: kept.after }).toEqual({ before: { description: base.description ?? null }, after: { description: "edited" } });
    expect((await clients.getClientCredentials(c.id))?.clientSecret).toBe(base.clientSecret);
    const replaced = await clients.updateClient(c.id, { ...base, clientSecret: "ffffffffffffffffffffffffffffffffffffff9999", description: "edited" });
    expect(replaced.secretReplaced).toBe(true);
    expect(replaced.client.secretMasked).toBe("••••9999");
  });

  it("refuses to delete a client with live connections, and allows it once they are revoked", async () => {
    const c = (await clients.listClients()).find((x) => x.name === "EU support")!;
    await getDb().insert(schema.connections).values(connection(c.id, "desk"));
    expect((await clients.getClient(c.id))?.connectionCount).toBe(1);
    await expect(clients.updateClient(c.id, { ...base, realm: "sandbox", description: "edited" })).rejects.toThrow(/cannot change while 1 live connection uses/);
    expect((await clients.updateClient(c.id, { ...base, enabledDcs: ["us"], description: "edited" })).changed).toEqual(["enabledDcs"]);
    await expect(clients.deleteClient(c.id)).rejects.toThrow(/still has 1 live connection\. Revoke it first/);
    await getDb().update(schema.connections).set({ revokedAt: new Date() });
    expect((await clients.deleteClient(c.id)).name).toBe("EU support");
    expect(await clients.getClient(c.id)).toBeUndefined();
  });

  // Changed on purpose with the two-engine data layer: a client's attention count is the
  // Overview's "needs attention" (lib/connections/status-sql.ts, ATTENTION_KINDS), so a throttle
  // that has already passed no longer counts, and an online-only expired connection does.
  it("counts the connections that need attention exactly as the Overview does", async () => {
    const c = await clients.createClient({ ...base, name: "Attention", clientId: "1000.ATTENTIONATTENTIONATTENTIONAT" }, adminId);
    const now = Date.now();
    const HOUR = 3_600_000;
    const tokens = { accessTokenEnc: "x", accessTokenExpiresAt: new Date(now + HOUR), refreshTokenEnc: "x" };
    const rows = await getDb()
      .insert(schema.connections)
      .values([
        connection(c.id, "throttle-passed", { ...tokens, lastErrorKind: "throttled", throttledUntil: new Date(now - 60_000) }),
        connection(c.id, "online-expired", { accessType: "online", accessTokenEnc: "x", accessTokenExpiresAt: new Date(now - 60_000) }),
        connection(c.id, "reauth", { ...tokens, reauthReason: "revoked_at_zoho", reauthAt: new Date(now - HOUR) }),
        connection(c.id, "failing", { ...tokens, failureCount: 2, lastErrorKind: "server", nextRetryAt: new Date(now + 60_000) }),
        connection(c.id, "active", tokens),
        connection(c.id, "revoked", { revokedAt: new Date(now - HOUR), failureCount: 3, reauthReason: "revoked_at_zoho" }),
      ])
      .returning({ id: schema.connections.id, name: schema.connections.name });
    const id = (name: string) => rows.find((r) => r.name === name)!.id;
    const needing = [id("online-expired"), id("reauth"), id("failing")].sort((a, b) => a - b);

    const ours = new Set(rows.map((r) => r.id));
    /** The client's connections in the Overview's "needs attention", and what both pages count. */
    const agree = async () => {
      const o = await overview();
      const inOverview = o.attention.items.filter((x) => ours.has(x.id)).map((x) => x.id).sort((a, b) => a - b);
      const all = await clients.listClients();
      const listed = all.find((x) => x.id === c.id)!;
      expect(listed.attentionCount).toBe(inOverview.length);
      expect((await clients.getClient(c.id))?.attentionCount).toBe(inOverview.length);
      // Every client's count adds up to the Overview's total: no connection is counted by one only.
      expect(all.reduce((sum, x) => sum + x.attentionCount, 0)).toBe(o.attention.total);
      return { inOverview, listed };
    };

    const first = await agree();
    expect(first.inOverview).toEqual(needing);
    expect(first.listed).toMatchObject({ connectionCount: 5, attentionCount: 3 });
    // The same connections, not only as many: taking them away one by one keeps the two equal
    // (the old count held the passed throttle and missed the online-only expiry, also three).
    const revoked = new Set<number>();
    for (const name of ["throttle-passed", "online-expired", "reauth", "failing", "active"]) {
      revoked.add(id(name));
      await getDb().update(schema.connections).set({ revokedAt: new Date() }).where(eq(schema.connections.id, id(name)));
      expect((await agree()).inOverview).toEqual(needing.filter((n) => !revoked.has(n)));
    }
  });
});

// A connection authorized for the client while an admin deletes or edits it: on PostgreSQL the
// two transactions overlap, and only the client row's lock makes the edit see the connection.
describe("a connection stored while its client is deleted or edited", () => {
  let n = 0;
  const aClient = () => clients.createClient({ ...base, name: `Raced ${++n}`, clientId: `1000.RACED${n}`.padEnd(35, "X") }, adminId);
  const liveConnections = async (clientRef: number) =>
    (await getDb().select({ id: schema.connections.id }).from(schema.connections).where(eq(schema.connections.clientRef, clientRef))).length;

  it("deleting waits for it and refuses, naming the live connection", async () => {
    const c = await aClient();
    const storing = await heldTransaction((db) => db.insert(schema.connections).values(connection(c.id, "arriving")));
    const deleting = clients.deleteClient(c.id);
    await whenBlocked(deleting);
    storing.release();
    await storing.done;
    await expect(deleting).rejects.toThrow(/still has 1 live connection\. Revoke it first/);
    expect(await clients.getClient(c.id)).toMatchObject({ connectionCount: 1 });
    expect(await liveConnections(c.id)).toBe(1);
  });

  it("changing the client id waits for it and refuses", async () => {
    const c = await aClient();
    const storing = await heldTransaction((db) => db.insert(schema.connections).values(connection(c.id, "arriving")));
    const editing = clients.updateClient(c.id, { ...base, name: c.name, clientId: "1000.MOVEDMOVEDMOVEDMOVEDMOVEDMOVEDM", clientSecret: undefined });
    await whenBlocked(editing);
    storing.release();
    await storing.done;
    await expect(editing).rejects.toThrow(/cannot change while 1 live connection uses/);
    expect(await clients.getClient(c.id)).toMatchObject({ clientId: c.clientId, connectionCount: 1 });
  });
});
