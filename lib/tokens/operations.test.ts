import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
// Imported after the harness has set the environment.
const { engine, revoke, verify, refresher, secrets, dbm, schema, drizzle } = await importTokenModules();
afterAll(() => h.close());

const actor = { type: "user" as const, id: 1, label: "ops@console.test" };

beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});

const row = (id: number) => engine.loadConnection(id)!;
const lookup = async (token: string) => (await h.sandbox.admin("GET", `tokens?token=${encodeURIComponent(token)}`)).body;

describe("revoke", () => {
  it("revokes at the connection's accounts server, wipes the tokens and keeps the row", async () => {
    const id = await h.connect();
    const refreshToken = secrets.decryptSecret(row(id).refreshTokenEnc!);
    const accessToken = secrets.decryptSecret(row(id).accessTokenEnc!);
    expect(await revoke.revokeConnection(id, actor)).toEqual({ zohoKnewIt: true });
    expect((await lookup(refreshToken)).status).toBe("revoked");
    expect((await lookup(accessToken)).status).toBe("revoked");
    const r = row(id);
    expect(r).toMatchObject({ accessTokenEnc: null, refreshTokenEnc: null, keepFresh: false });
    expect(r.revokedAt).not.toBeNull();
    expect(r.refreshTokenLast4).toBe(refreshToken.slice(-4));
    await expect(engine.getAccessToken(id)).rejects.toMatchObject({ kind: "revoked" });
    const audit = dbm.getDb().select().from(schema.auditEvents).where(drizzle.eq(schema.auditEvents.action, "connection.revoke")).all();
    expect(JSON.stringify(audit)).not.toContain(refreshToken);
  });

  it("changes nothing when Zoho cannot be reached", async () => {
    const id = await h.connect();
    // The sandbox's faults cover the token endpoint only; an unreachable accounts server stands in.
    const c = schema.connections;
    const reachable = row(id).accountsServer;
    dbm.getDb().update(c).set({ accountsServer: "http://127.0.0.1:9/us/accounts" }).where(drizzle.eq(c.id, id)).run();
    const before = row(id);
    await expect(revoke.revokeConnection(id, actor)).rejects.toMatchObject({ kind: "zoho", zohoKind: "network", message: /Nothing was changed/ });
    dbm.getDb().update(c).set({ accountsServer: reachable }).where(drizzle.eq(c.id, id)).run();
    expect(row(id)).toMatchObject({ accessTokenEnc: before.accessTokenEnc, refreshTokenEnc: before.refreshTokenEnc, revokedAt: null, leaseOwner: null });
    expect((await lookup(secrets.decryptSecret(before.refreshTokenEnc!))).status).toBe("live");
  });

  it("still wipes a token Zoho no longer knows, and says so", async () => {
    const id = await h.connect({ email: "eva@zylker.eu" });
    await h.sandbox.admin("POST", "revoke-grants", { email: "eva@zylker.eu", clientId: "1000.SANDBOXDEMOCLIENT0000000000001" });
    expect(await revoke.revokeConnection(id, actor)).toEqual({ zohoKnewIt: false });
    expect(row(id).revokedAt).not.toBeNull();
  });
});

describe("verify", () => {
  it("calls each bound service and reports result and latency", async () => {
    const id = await h.connect({
      scopes: ["Desk.tickets.READ", "SalesIQ.portals.READ", "AaaServer.profile.READ"],
      binding: { desk: { orgId: "700000001001", name: "Zylker Support" }, salesiq: { screenName: "nope", name: "Gone" } },
    });
    const rows = await verify.verifyConnection(id, actor);
    const by = Object.fromEntries(rows.map((r) => [r.service, r]));
    expect(by.desk).toMatchObject({ ok: true, summary: "2 organisations visible" });
    expect(by.profile).toMatchObject({ ok: true, summary: "Signed in as ada@zylker.com" });
    expect(by.salesiq.ok).toBe(false);
    expect(by.salesiq.summary).toMatch(/no longer visible/);
    expect(rows.every((r) => r.latencyMs >= 0)).toBe(true);
  });
});

describe("background refresher", () => {
  it("renews keep-fresh connections that are due, skips the rest, and records the run", async () => {
    const due = await h.connect();
    const fresh = await h.connect();
    const off = await h.connect();
    const c = schema.connections;
    const db = dbm.getDb();
    db.update(c).set({ accessTokenExpiresAt: new Date(Date.now() + 60_000) }).where(drizzle.eq(c.id, due)).run();
    db.update(c).set({ accessTokenExpiresAt: new Date(Date.now() - 60_000), keepFresh: false }).where(drizzle.eq(c.id, off)).run();
    const dueIds = refresher.dueConnectionIds();
    expect(dueIds).toContain(due);
    expect(dueIds).not.toContain(fresh);
    expect(dueIds).not.toContain(off);
    const run = await refresher.runRefresherOnce();
    expect(run.refreshed).toBeGreaterThanOrEqual(1);
    expect(run.failed).toBe(0);
    expect(row(due).accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(row(off).accessTokenExpiresAt!.getTime()).toBeLessThan(Date.now());
    const last = refresher.lastRefresherRun()!;
    expect(last).toMatchObject({ considered: run.considered, refreshed: run.refreshed });
    expect(last.finishedAt).not.toBeNull();
  });
});
