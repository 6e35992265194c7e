/**
 * Status that follows what Zoho says: a token Zoho refuses before its expiry is retired and
 * replaced at once (Verify, the proxy, a service's report), a dead grant shows as "needs
 * re-authorization" within one call — and none of it lets a caller spend the connection's
 * refresh budget.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, SEED_ORGS } from "@/sandbox/seed";
import { ctx, makeKey as makeKeyAs, req, storedAccessToken } from "@/test/api-calls";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
const { dbm, schema, drizzle, verify, engine } = await importTokenModules();
const rate = await import("@/lib/api-keys/rate-limit");
const queries = await import("@/lib/connections/queries");
const tokenRoute = await import("@/app/api/v1/connections/[id]/token/route");
const rejectedRoute = await import("@/app/api/v1/connections/[id]/token/rejected/route");
const healthCheck = await import("@/lib/tokens/health-check");
const scheduled = await import("@/lib/scheduled");
const proxyRoute = await import("@/app/api/v1/connections/[id]/proxy/[service]/[...path]/route");
afterAll(() => h.close());
beforeEach(async () => {
  await rate.resetRateLimits();
  await h.sandbox.admin("DELETE", "faults");
});

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const binding = { desk: { orgId: SEED_ORGS.deskZylkerSupport, name: "Zylker Support" } };
const scopes = ["Desk.tickets.ALL", "Desk.basic.READ", "AaaServer.profile.READ"];

const makeKey = () => makeKeyAs(admin, { rate: 10_000 });
const getToken = (id: number, key: string) => tokenRoute.GET(req(`/api/v1/connections/${id}/token`, key), ctx({ id: String(id) }));
const report = (id: number, key: string, body: unknown) =>
  rejectedRoute.POST(
    req(`/api/v1/connections/${id}/token/rejected`, key, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }),
    ctx({ id: String(id) }),
  );
const proxy = (id: number, key: string, path: string) =>
  proxyRoute.GET(req(`/api/v1/connections/${id}/proxy/desk/${path}`, key), ctx({ id: String(id), service: "desk", path: path.split("/") }));

const storedToken = storedAccessToken;
const revokeAccessTokenAtZoho = async (token: string) => {
  const res = await fetch(`${h.sandbox.url}/us/accounts/oauth/v2/token/revoke?token=${encodeURIComponent(token)}`, { method: "POST" });
  expect(res.ok).toBe(true);
};
const refreshMints = async () => (await h.counters()).refreshMints;
const DESK_DEAD = { zoho_status: 401, zoho_answer: { errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." } };

describe("Verify follows what Zoho says", () => {
  it("after the Zoho user removed the grant: the connection needs re-authorization and the token API stops handing out the dead token", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    expect((await getToken(id, key)).status).toBe(200);
    expect((await queries.getConnection(id))?.status.kind).toBe("active");
    await h.sandbox.admin("POST", "revoke-grants", { email: "ada@zylker.com", clientId: DEMO_CLIENT_ID });

    const rows = await verify.verifyConnection(id, admin);
    expect(rows.every((r) => !r.ok)).toBe(true);
    expect(rows[0].summary).toMatch(/Zoho refused the access token, and refreshing it failed/);
    expect((await queries.getConnection(id))?.status.kind).toBe("needs_reauth");
    const res = await getToken(id, key);
    expect([res.status, (await res.json()).error.code]).toEqual([409, "needs_reauth"]);
  });

  it("after Zoho dropped only the access token: Verify retires it, refreshes once and passes with the new one", async () => {
    const id = await h.connect({ scopes, binding });
    const dead = await storedToken(id);
    await revokeAccessTokenAtZoho(dead);
    const before = await refreshMints();
    const rows = await verify.verifyConnection(id, admin);
    expect(rows.map((r) => [r.service, r.ok])).toEqual([
      ["desk", true],
      ["profile", true],
    ]);
    expect((await refreshMints()) - before).toBe(1);
    expect(await storedToken(id)).not.toBe(dead);
    const mints = await dbm.getDb().select().from(schema.tokenMints).where(drizzle.eq(schema.tokenMints.connectionId, id));
    expect(mints.find((m) => m.endedAt === null)?.via).toBe("rejected");
  });
});

describe("the proxy is no lever on the refresh budget", () => {
  it("passes back a 401 that does not name the token invalid without refreshing, however often", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const token = await storedToken(id);
    await h.sandbox.admin("POST", "faults", { api: { delayMs: 0, status: 401, body: "<html><body>Unauthorized</body></html>" } });
    const before = await refreshMints();
    for (let i = 0; i < 15; i++) {
      const res = await proxy(id, key, "api/v1/tickets");
      expect(res.status).toBe(401);
      expect(res.headers.get("x-console-token-refreshed")).toBeNull();
      await res.body?.cancel();
    }
    expect((await refreshMints()) - before).toBe(0);
    expect(await storedToken(id)).toBe(token);
  });

  it("refreshes once for a token Zoho names invalid, then says the token is not the problem when the new one is refused too", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    // Every Desk call answers INVALID_OAUTH although the tokens are valid (a wrong host, say).
    await h.sandbox.admin("POST", "faults", { api: { delayMs: 0, status: 401, body: JSON.stringify({ errorCode: "INVALID_OAUTH", message: "invalid" }) } });
    const before = await refreshMints();
    const first = await proxy(id, key, "api/v1/tickets");
    expect(first.status).toBe(401);
    expect(first.headers.get("x-console-token-refreshed")).toBe("true");
    await first.body?.cancel();
    for (let i = 0; i < 20; i++) {
      const res = await proxy(id, key, "api/v1/tickets");
      expect(res.status).toBe(401);
      expect(res.headers.get("x-console-advice")).toMatch(/token is not the problem/);
      await res.body?.cancel();
    }
    expect((await refreshMints()) - before).toBe(1);
  });
});

describe("POST /token/rejected", () => {
  it("retires the reported token, answers a new one, and /token hands out only the new one", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const dead = await storedToken(id);
    await revokeAccessTokenAtZoho(dead);
    const res = await report(id, key, { access_token: dead, ...DESK_DEAD });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.outcome).toBe("refreshed");
    expect(body.token.access_token).not.toBe(dead);
    const now = await (await getToken(id, key)).json();
    expect(now.access_token).toBe(body.token.access_token);
    // The same refusal reported again (another replica of the service) costs nothing.
    const before = await refreshMints();
    const again = await report(id, key, { access_token: dead, ...DESK_DEAD });
    expect((await again.json()).outcome).toBe("already_replaced");
    expect((await refreshMints()) - before).toBe(0);
  });

  it("refuses an answer that does not name the token invalid, and a body that is not the report", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const token = await storedToken(id);
    const before = await refreshMints();
    const scope = await report(id, key, { access_token: token, zoho_status: 401, zoho_answer: { errorCode: "SCOPE_MISMATCH" } });
    expect([scope.status, (await scope.json()).error.code]).toEqual([422, "not_a_token_refusal"]);
    const bare = await report(id, key, { access_token: token, zoho_status: 401 });
    expect([bare.status, (await bare.json()).error.message]).toEqual([400, expect.stringContaining('"zoho_answer": Zoho\'s answer body')]);
    const broken = await report(id, key, "{not json");
    expect([broken.status, (await broken.json()).error.code]).toEqual([400, "bad_request"]);
    const missing = await report(id, key, DESK_DEAD);
    expect(missing.status).toBe(400);
    expect((await refreshMints()) - before).toBe(0);
    expect(await storedToken(id)).toBe(token);
  });

  it("answers needs_reauth when Zoho refuses the refresh token too", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const dead = await storedToken(id);
    await h.sandbox.admin("POST", "revoke-grants", { email: "ada@zylker.com", clientId: DEMO_CLIENT_ID });
    const res = await report(id, key, { access_token: dead, ...DESK_DEAD });
    expect([res.status, (await res.json()).error.code]).toEqual([409, "needs_reauth"]);
    expect((await queries.getConnection(id))?.status.kind).toBe("needs_reauth");
  });

  it("lets one key replace a connection's token at most twice in ten minutes; another key still can", async () => {
    const id = await h.connect({ scopes, binding });
    const noisy = await makeKey();
    const other = await makeKey();
    const replaceByHand = () => engine.refreshConnection(id, { trigger: "manual", actor: admin, ignoreBackoff: true });
    const dead = async () => {
      const token = await storedToken(id);
      await revokeAccessTokenAtZoho(token);
      return token;
    };
    for (let i = 0; i < 2; i++) {
      const res = await report(id, noisy.key, { access_token: await dead(), ...DESK_DEAD });
      expect((await res.json()).outcome).toBe("refreshed");
      // A later token, not minted because of a refusal (else "refused again" would answer).
      await replaceByHand();
    }
    const before = await refreshMints();
    const limited = await report(id, noisy.key, { access_token: await dead(), ...DESK_DEAD });
    expect([limited.status, (await limited.json()).error.code]).toEqual([429, "throttled"]);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refreshMints()) - before).toBe(0);
    const fine = await report(id, other.key, { access_token: await storedToken(id), ...DESK_DEAD });
    expect((await fine.json()).outcome).toBe("refreshed");
  });

  it("keeps a token that Zoho's accounts server still accepts, whatever the report says", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const live = await storedToken(id);
    const before = await refreshMints();
    const res = await report(id, key, { access_token: live, ...DESK_DEAD });
    const body = await res.json();
    expect([res.status, body.error.code]).toEqual([422, "not_a_token_refusal"]);
    expect(body.error.message).toMatch(/still accepts this token/);
    expect((await refreshMints()) - before).toBe(0);
    expect((await (await getToken(id, key)).json()).access_token).toBe(live);
  });

  it("keeps handing out a refused token while no refresh can replace it (backing off), and says when to try", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const token = await storedToken(id);
    await revokeAccessTokenAtZoho(token);
    await dbm
      .getDb()
      .update(schema.connections)
      .set({ failureCount: 2, nextRetryAt: new Date(Date.now() + 120_000), lastErrorKind: "server" })
      .where(drizzle.eq(schema.connections.id, id));
    const res = await report(id, key, { access_token: token, ...DESK_DEAD });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
    const [row] = await dbm.getDb().select().from(schema.connections).where(drizzle.eq(schema.connections.id, id));
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });
});

describe("the scheduled health check", () => {
  it("finds a grant removed at Zoho within one pass, and leaves healthy connections as they were", async () => {
    const dead = await h.connect({ scopes, binding, email: "ben@zylker.com" });
    const fine = await h.connect({ scopes, binding });
    const fineToken = await storedToken(fine);
    await h.sandbox.admin("POST", "revoke-grants", { email: "ben@zylker.com", clientId: DEMO_CLIENT_ID });
    const report = await healthCheck.healthCheckPass();
    expect(report.checked).toBeGreaterThanOrEqual(2);
    expect((await queries.getConnection(dead))?.status.kind).toBe("needs_reauth");
    expect((await queries.getConnection(fine))?.status.kind).toBe("active");
    expect(await storedToken(fine)).toBe(fineToken);
  });

  it("runs each interval's pass on one instance only: the period is claimed once", async () => {
    const claims = await Promise.all(Array.from({ length: 5 }, () => scheduled.claimRun("healthcheck:test-period")));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
