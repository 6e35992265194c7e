import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConnectionRow } from "@/db/schema";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";
import { encryptUnderMissingKey, MISSING_KEY_ID, onNextZohoCall, reconnectWithTokensOf } from "./test-support";

const h = await startSandboxHarness();
// Imported after the harness has set the environment.
const { engine, revoke, verify, refresher, secrets, dbm, schema, drizzle } = await importTokenModules();
const { loadConnection } = await import("@/lib/connections/queries");
afterAll(() => h.close());

const actor = { type: "user" as const, id: 1, label: "ops@console.test" };

beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});
afterEach(() => {
  vi.restoreAllMocks();
});

const row = async (id: number) => (await loadConnection(id))!;
const { secretPlace: place } = secrets;
const refreshTokenOf = (r: ConnectionRow) => secrets.decryptSecret(r.refreshTokenEnc!, place.refreshToken(r.id));
const accessTokenOf = (r: ConnectionRow) => secrets.decryptSecret(r.accessTokenEnc!, place.accessToken(r.id));
const lookup = async (token: string) => (await h.sandbox.admin("GET", `tokens?token=${encodeURIComponent(token)}`)).body;
const set = async (id: number, values: Partial<ConnectionRow>) => {
  await dbm.getDb().update(schema.connections).set(values).where(drizzle.eq(schema.connections.id, id));
};
const revokeAudits = (id: number) =>
  dbm
    .getDb()
    .select()
    .from(schema.auditEvents)
    .where(drizzle.and(drizzle.eq(schema.auditEvents.action, "connection.revoke"), drizzle.eq(schema.auditEvents.targetId, String(id))))
    .orderBy(schema.auditEvents.id);

describe("revoke", () => {
  it("revokes at the connection's accounts server, wipes the tokens and keeps the row", async () => {
    const id = await h.connect();
    const refreshToken = refreshTokenOf(await row(id));
    const accessToken = accessTokenOf(await row(id));
    expect(await revoke.revokeConnection(id, actor)).toEqual({ zohoKnewIt: true });
    expect((await lookup(refreshToken)).status).toBe("revoked");
    expect((await lookup(accessToken)).status).toBe("revoked");
    const r = await row(id);
    expect(r).toMatchObject({ accessTokenEnc: null, refreshTokenEnc: null, keepFresh: false });
    expect(r.revokedAt).not.toBeNull();
    expect(r.refreshTokenLast4).toBe(refreshToken.slice(-4));
    await expect(engine.getAccessToken(id)).rejects.toMatchObject({ kind: "revoked" });
    const audit = await dbm.getDb().select().from(schema.auditEvents).where(drizzle.eq(schema.auditEvents.action, "connection.revoke"));
    expect(JSON.stringify(audit)).not.toContain(refreshToken);
  });

  it("changes nothing when Zoho cannot be reached", async () => {
    const id = await h.connect();
    // The sandbox's faults cover the token endpoint only; an unreachable accounts server stands in.
    const c = schema.connections;
    const reachable = (await row(id)).accountsServer;
    await dbm.getDb().update(c).set({ accountsServer: "http://127.0.0.1:9/us/accounts" }).where(drizzle.eq(c.id, id));
    const before = await row(id);
    await expect(revoke.revokeConnection(id, actor)).rejects.toMatchObject({ kind: "zoho", zohoKind: "network", message: /Nothing was changed/ });
    await dbm.getDb().update(c).set({ accountsServer: reachable }).where(drizzle.eq(c.id, id));
    expect(await row(id)).toMatchObject({ accessTokenEnc: before.accessTokenEnc, refreshTokenEnc: before.refreshTokenEnc, revokedAt: null, leaseOwner: null });
    expect((await lookup(refreshTokenOf(before))).status).toBe("live");
  });

  it("still wipes a token Zoho no longer knows, and says so", async () => {
    const id = await h.connect({ email: "eva@zylker.eu" });
    await h.sandbox.admin("POST", "revoke-grants", { email: "eva@zylker.eu", clientId: "1000.SANDBOXDEMOCLIENT0000000000001" });
    expect(await revoke.revokeConnection(id, actor)).toEqual({ zohoKnewIt: false });
    expect((await row(id)).revokedAt).not.toBeNull();
  });

  it("keeps the tokens a reconnect stored while it was revoking, and says to revoke again", async () => {
    const id = await h.connect();
    const donor = await h.connect({ email: "eva@zylker.eu" });
    const oldRefresh = refreshTokenOf(await row(id));
    let fresh: ConnectionRow | undefined;
    onNextZohoCall("revoke", async () => {
      fresh = await reconnectWithTokensOf(h, id, donor);
    });
    await expect(revoke.revokeConnection(id, actor)).rejects.toMatchObject({ kind: "reconnected", message: /re-authorized while revoking.*Revoke again/ });
    expect(await row(id)).toMatchObject({ refreshTokenEnc: fresh!.refreshTokenEnc, accessTokenEnc: fresh!.accessTokenEnc, revokedAt: null, leaseOwner: null });
    const newRefresh = refreshTokenOf(fresh!);
    expect((await lookup(oldRefresh)).status).toBe("revoked");
    expect((await lookup(newRefresh)).status).toBe("live");
    expect((await revokeAudits(id)).at(-1)).toMatchObject({ outcome: "failure", detail: { reconnectedMeanwhile: true, wiped: false } });
    // Revoking again revokes the new tokens.
    expect(await revoke.revokeConnection(id, actor)).toEqual({ zohoKnewIt: true });
    expect((await lookup(newRefresh)).status).toBe("revoked");
    expect(await row(id)).toMatchObject({ refreshTokenEnc: null, accessTokenEnc: null });
  });

  it("forgets tokens it cannot decrypt, saying plainly they could not be revoked at Zoho", async () => {
    const id = await h.connect();
    const refreshToken = refreshTokenOf(await row(id));
    await set(id, { refreshTokenEnc: encryptUnderMissingKey(refreshToken, place.refreshToken(id)) });
    const err = await revoke.revokeConnection(id, actor).catch((e) => e);
    expect(err).toMatchObject({ name: "TokenError", kind: "key_missing" });
    expect(err.message).toMatch(/^Forgotten locally: .* could not be revoked at Zoho/);
    expect(err.message).toContain(`key "${MISSING_KEY_ID}"`);
    expect(err.advice).toMatch(/Connected Apps/);
    const r = await row(id);
    expect(r).toMatchObject({ accessTokenEnc: null, refreshTokenEnc: null, keepFresh: false, leaseOwner: null });
    expect(r.revokedAt).not.toBeNull();
    expect((await lookup(refreshToken)).status).toBe("live");
    const audit = (await revokeAudits(id)).at(-1)!;
    expect(audit).toMatchObject({ outcome: "failure", detail: { forgottenLocally: true, revokedAtZoho: false } });
    expect(audit.detail!.note).toMatch(new RegExp(`key "${MISSING_KEY_ID}".*Connected Apps`));
    expect(JSON.stringify(audit)).not.toContain(refreshToken);
  });
});

describe("verify", () => {
  it("calls each bound service and reports result and latency", async () => {
    const id = await h.connect({
      scopes: ["Desk.tickets.READ", "Desk.basic.READ", "SalesIQ.portals.READ", "AaaServer.profile.READ"],
      binding: { desk: { orgId: "700000001001", name: "Zylker Support" }, salesiq: { screenName: "nope", name: "Gone" } },
    });
    const rows = await verify.verifyConnection(id, actor);
    const by = Object.fromEntries(rows.map((r) => [r.service, r]));
    expect(by.desk).toMatchObject({ ok: true, summary: "2 organisations visible" });
    expect(by.profile).toMatchObject({ ok: true, summary: "Signed in as ada@zylker.com" });
    expect(by.salesiq.ok).toBe(false);
    expect(by.salesiq.summary).toMatch(/no longer visible/);
    expect(by.salesiq.advice).toMatch(/Change the connection's organisation binding/);
    expect(rows.every((r) => r.latencyMs >= 0)).toBe(true);
  });

  it("names Desk.basic.READ when a Desk connection lacks it", async () => {
    const id = await h.connect({ scopes: ["Desk.tickets.READ", "AaaServer.profile.READ"] });
    const rows = await verify.verifyConnection(id, actor);
    const desk = rows.find((r) => r.service === "desk")!;
    expect(desk).toMatchObject({ ok: false, summary: "The token lacks Desk.basic.READ, which this call needs." });
    expect(desk.advice).toBe("Add Desk.basic.READ to choose a Desk organisation: reconnect with Desk.basic.READ added to the connection's scopes.");
  });

  it("reports a missing encryption key plainly instead of failing with a server error", async () => {
    const id = await h.connect();
    const r = await row(id);
    await set(id, {
      accessTokenEnc: encryptUnderMissingKey(accessTokenOf(r), place.accessToken(id)),
      refreshTokenEnc: encryptUnderMissingKey(refreshTokenOf(r), place.refreshToken(id)),
    });
    await expect(verify.verifyConnection(id, actor)).rejects.toMatchObject({ kind: "key_missing", message: /refresh token .*key "gone"/ });
    expect((await row(id)).lastErrorKind).toBe("key_missing");

    const clients = schema.zohoClients;
    const [client] = await dbm.getDb().select().from(clients).where(drizzle.eq(clients.id, h.demo.id));
    const other = await h.connect();
    await dbm
      .getDb()
      .update(clients)
      .set({ secretEnc: encryptUnderMissingKey(secrets.decryptSecret(client.secretEnc, place.clientSecret(client.id)), place.clientSecret(client.id)) })
      .where(drizzle.eq(clients.id, client.id));
    try {
      await expect(verify.verifyConnection(other, actor)).rejects.toMatchObject({ kind: "key_missing", message: /client secret .*key "gone"/ });
    } finally {
      await dbm.getDb().update(clients).set({ secretEnc: client.secretEnc }).where(drizzle.eq(clients.id, client.id));
    }
  });
});

describe("background refresher", () => {
  it("renews keep-fresh connections that are due, skips the rest, and records the run", async () => {
    const due = await h.connect();
    const fresh = await h.connect();
    const off = await h.connect();
    const c = schema.connections;
    const db = dbm.getDb();
    await db.update(c).set({ accessTokenExpiresAt: new Date(Date.now() + 60_000) }).where(drizzle.eq(c.id, due));
    await db.update(c).set({ accessTokenExpiresAt: new Date(Date.now() - 60_000), keepFresh: false }).where(drizzle.eq(c.id, off));
    const dueIds = await refresher.dueConnectionIds();
    expect(dueIds).toContain(due);
    expect(dueIds).not.toContain(fresh);
    expect(dueIds).not.toContain(off);
    const run = await refresher.runRefresherOnce();
    expect(run.refreshed).toBeGreaterThanOrEqual(1);
    expect(run.failed).toBe(0);
    expect((await row(due)).accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect((await row(off)).accessTokenExpiresAt!.getTime()).toBeLessThan(Date.now());
    const last = (await refresher.lastRefresherRun())!;
    expect(last).toMatchObject({ considered: run.considered, refreshed: run.refreshed });
    expect(last.finishedAt).not.toBeNull();
  });
});
