import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ CONSOLE_PUBLIC_URL: "https://console.example.com" });
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { createClient } = await import("@/lib/clients");
const { createLinkSchema } = await import("./input");
const { createLink, createReconnectLink, issueAgain, revokeLink } = await import("./links");
const { getLink, listLinks } = await import("./view");
const { linkByToken, openLink } = await import("./public");
const { hashLinkToken } = await import("./token");
afterAll(() => tmp.cleanup());

const db = getDb();
const [user] = await db.insert(schema.users).values({ email: "op@console.test", name: "Olga Operator", passwordHash: "x", role: "operator" }).returning();
const actor = { id: user.id, email: user.email };
const clientInput = { name: "Desk client", realm: "live" as const, clientType: "server" as const, clientId: "1000.LINKLINKLINKLINKLINKLINKLINKLINK", clientSecret: "s".repeat(42), description: "" };
const client = await createClient({ ...clientInput, homeDc: "eu", multiDc: true, enabledDcs: ["us", "eu", "in"] }, user.id);
const self = await createClient({ ...clientInput, name: "Self", clientId: "1000.SELFSELFSELFSELFSELFSELFSELFSELF", clientType: "self", homeDc: "us", multiDc: false, enabledDcs: [] }, user.id);

const input = (over: Record<string, unknown> = {}) =>
  createLinkSchema.parse({ clientRef: client.id, scopes: "Desk.tickets.READ", accessType: "offline", name: "Acme Desk", ...over });
const tokenOf = (url: string) => url.split("/connect/")[1];
const HOUR = 3_600_000;
const everything = async () => JSON.stringify([await db.select().from(schema.connectLinks), await db.select().from(schema.auditEvents)]);

describe("creating a connect link", () => {
  it("hands out a URL with a 43-character token once and stores only its hash", async () => {
    const made = await createLink(input(), actor, "10.0.0.1");
    expect(made.url).toMatch(/^https:\/\/console\.example\.com\/connect\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(made.url);
    const [row] = await db.select().from(schema.connectLinks).where(eq(schema.connectLinks.id, made.id));
    expect(row).toMatchObject({ tokenHash: hashLinkToken(token), kind: "new", state: "waiting", startLocation: "us", createdBy: user.id, expectedEmail: null });
    expect(row.scopes).toEqual(["Desk.tickets.READ", "AaaServer.profile.READ"]);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(72 * HOUR);
    expect(await everything()).not.toContain(token);
  });

  it("starts consent where the creator chose, among the client's data centres only", async () => {
    const made = await createLink(input({ startLocation: "in" }), actor, null);
    expect((await getLink(made.id))?.startLocation).toBe("in");
    await expect(createLink(input({ startLocation: "jp" }), actor, null)).rejects.toThrow("Desk client is not enabled in Japan. Choose one of: Europe, United States, India.");
    await expect(createLink(input({ clientRef: self.id }), actor, null)).rejects.toThrow(/Self clients have no consent page/);
    await expect(createLink(input({ clientRef: 9999 }), actor, null)).rejects.toThrow("This client no longer exists.");
  });

  it("lists links as DTOs without token or hash, newest first, with client and creator", async () => {
    const { links, total } = await listLinks();
    expect(total).toBe(2);
    expect(links[0]).toMatchObject({ kind: "new", state: "waiting", client: { id: client.id, name: "Desk client" }, createdBy: "Olga Operator", connectionName: "Acme Desk" });
    expect(links[0].id).toBeGreaterThan(links[1].id);
    expect(JSON.stringify(links)).not.toMatch(/tokenHash|token_hash/);
    for (const l of links) expect(Object.keys(l)).not.toContain("tokenHash");
  });
});

describe("a link's life", () => {
  it("is expired once its time has passed, and says so on open", async () => {
    const start = Date.now();
    const made = await createLink(input({ lifetimeMinutes: 30 }), actor, null, start);
    const token = tokenOf(made.url);
    expect((await linkByToken(token, start + 29 * 60_000))?.state).toBe("waiting");
    expect((await linkByToken(token, start + 30 * 60_000))?.state).toBe("expired");
    const opened = await openLink(token, "10.0.0.2", start + 31 * 60_000);
    expect(opened.status).toBe("expired");
    expect((await getLink(made.id))?.state).toBe("expired");
    const expiries = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "connect_link.expire"));
    expect(expiries.filter((e) => e.targetId === String(made.id))).toHaveLength(1);
  });

  it("stays opened however often it is opened: opening never consumes it", async () => {
    const made = await createLink(input(), actor, null);
    const token = tokenOf(made.url);
    const first = await openLink(token, "10.0.0.3");
    const second = await openLink(token, "10.0.0.4");
    expect(first).toMatchObject({ status: "open", link: { state: "opened", requestedBy: "Olga Operator" } });
    expect(second).toMatchObject({ status: "open", link: { state: "opened" } });
    const row = (await db.select().from(schema.connectLinks).where(eq(schema.connectLinks.id, made.id)))[0];
    expect(row.openedAt).not.toBeNull();
    expect(await openLink("A".repeat(43), "10.0.0.3")).toEqual({ status: "unknown" });
    expect(await openLink("../../etc/passwd", "10.0.0.3")).toEqual({ status: "unknown" });
  });

  it("stops working when revoked, and cannot be revoked twice", async () => {
    const made = await createLink(input(), actor, null);
    await revokeLink(made.id, actor, "10.0.0.1");
    expect(await openLink(tokenOf(made.url), null)).toMatchObject({ status: "revoked" });
    expect(await getLink(made.id)).toMatchObject({ state: "revoked", revokedBy: "Olga Operator", stateReason: "revoked" });
    await expect(revokeLink(made.id, actor, null)).rejects.toThrow("This link is already revoked; there is nothing to revoke.");
  });

  it("issued again has a new token with the same parameters; the old token stops working", async () => {
    const made = await createLink(input({ expectedEmail: "owner@acme.test", startLocation: "eu", lifetimeMinutes: 120 }), actor, null);
    const again = await issueAgain(made.id, actor, null);
    expect(again.id).not.toBe(made.id);
    expect(tokenOf(again.url)).not.toBe(tokenOf(made.url));
    expect(await openLink(tokenOf(made.url), null)).toMatchObject({ status: "revoked" });
    expect(await openLink(tokenOf(again.url), null)).toMatchObject({ status: "open" });
    const [before, after] = [await getLink(made.id), await getLink(again.id)];
    expect(before).toMatchObject({ state: "revoked", stateReason: "issued_again" });
    const same = (l: typeof before) => l && { ...l, id: 0, state: 0, stateReason: 0, expiresAt: 0, createdAt: 0, openedAt: 0, revokedAt: 0, revokedBy: 0 };
    expect(same(after)).toEqual(same(before));
    expect(after!.expiresAt - after!.createdAt).toBe(2 * HOUR);
  });
});

describe("a reconnect link", () => {
  const connection = async (over: Partial<typeof schema.connections.$inferInsert> = {}) => {
    const [row] = await db
      .insert(schema.connections)
      .values({ name: "Acme SalesIQ", clientRef: client.id, accessType: "offline", zuid: "7001", zohoEmail: "Owner@Acme.test", location: "in", accountsServer: "https://accounts.zoho.in", apiDomain: "https://www.zohoapis.in", scopesRequested: ["SalesIQ.portals.READ"], scopesGranted: ["SalesIQ.portals.READ"], ...over })
      .returning();
    return row;
  };

  it("takes client, scopes, name, access type and Zoho user from a connection that needs re-authorization", async () => {
    const conn = await connection({ reauthReason: "invalid_code", reauthAt: new Date() });
    const made = await createReconnectLink({ connectionId: conn.id, lifetimeMinutes: 60 }, actor, null);
    expect(await getLink(made.id)).toMatchObject({
      kind: "reconnect",
      connectionId: conn.id,
      client: { id: client.id },
      connectionName: "Acme SalesIQ",
      accessType: "offline",
      scopes: ["SalesIQ.portals.READ", "AaaServer.profile.READ"],
      expectedEmail: "owner@acme.test",
      startLocation: "in",
    });
  });

  it("is refused for a connection that does not exist or works", async () => {
    await expect(createReconnectLink({ connectionId: 99_999, lifetimeMinutes: 60 }, actor, null)).rejects.toThrow("This connection no longer exists.");
    const healthy = await connection({ accessTokenEnc: "x", accessTokenExpiresAt: new Date(Date.now() + HOUR), refreshTokenEnc: "y" });
    await expect(createReconnectLink({ connectionId: healthy.id, lifetimeMinutes: 60 }, actor, null)).rejects.toThrow(/needs re-authorization/);
  });
});

describe("the audit trail", () => {
  it("records every step under the link and never the token", async () => {
    const made = await createLink(input(), actor, "10.0.0.9");
    await openLink(tokenOf(made.url), "10.0.0.9");
    await revokeLink(made.id, actor, "10.0.0.9");
    const rows = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.targetId, String(made.id)));
    expect(rows.filter((r) => r.targetType === "connect_link").map((r) => r.action)).toEqual(["connect_link.create", "connect_link.open", "connect_link.revoke"]);
    expect(rows[0]).toMatchObject({ actorType: "user", actorLabel: "op@console.test", ip: "10.0.0.9", detail: { kind: "new", clientName: "Desk client" } });
    expect(rows[1]).toMatchObject({ actorType: "anonymous", outcome: "success" });
    const all = JSON.stringify(await db.select().from(schema.auditEvents));
    expect(all).not.toContain(tokenOf(made.url));
    expect(all).not.toContain(hashLinkToken(tokenOf(made.url)));
  });
});
