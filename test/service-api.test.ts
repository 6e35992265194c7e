/**
 * The /api/v1 route handlers, called as Next calls them, against a real (in-process) sandbox:
 * key checks, tokens, refresh coalescing, the proxy and its one retry after Zoho drops a token.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SEED_ORGS } from "@/sandbox/seed";
import { ctx, makeKey as makeKeyAs, req, storedAccessToken } from "@/test/api-calls";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
const { dbm, schema, drizzle } = await importTokenModules();
const store = await import("@/lib/api-keys/store");
const usage = await import("@/lib/api-keys/usage");
const rate = await import("@/lib/api-keys/rate-limit");
const list = await import("@/app/api/v1/connections/route");
const one = await import("@/app/api/v1/connections/[id]/route");
const tokenRoute = await import("@/app/api/v1/connections/[id]/token/route");
const proxyRoute = await import("@/app/api/v1/connections/[id]/proxy/[service]/[...path]/route");
afterAll(() => h.close());
beforeEach(async () => {
  await rate.resetRateLimits();
  await h.sandbox.admin("DELETE", "faults");
});

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const binding = {
  desk: { orgId: SEED_ORGS.deskZylkerSupport, name: "Zylker Support" },
  salesiq: { screenName: SEED_ORGS.salesiqZylkerChat, name: "Zylker Chat" },
};
const scopes = ["Desk.tickets.ALL", "Desk.basic.READ", "SalesIQ.portals.READ", "SalesIQ.chatdetails.READ", "AaaServer.profile.READ"];

const makeKey = (o: Parameters<typeof makeKeyAs>[1] = {}) => makeKeyAs(admin, o);

const getToken = (id: number, key: string, q = "") => tokenRoute.GET(req(`/api/v1/connections/${id}/token${q}`, key), ctx({ id: String(id) }));
function proxy(id: number, key: string, service: string, path: string, init: RequestInit = {}) {
  const url = `/api/v1/connections/${id}/proxy/${service}/${path}`;
  const handler = (proxyRoute as unknown as Record<string, typeof proxyRoute.GET>)[init.method ?? "GET"];
  return handler(req(url, key, init), ctx({ id: String(id), service, path: path.split("?")[0].split("/") }));
}
const set = async (id: number, values: Partial<typeof schema.connections.$inferInsert>) => {
  await dbm.getDb().update(schema.connections).set(values).where(drizzle.eq(schema.connections.id, id));
};
const storedToken = storedAccessToken;

describe("API keys", () => {
  it("refuses a missing, malformed, unknown, expired or revoked key with 401 and the stable error shape", async () => {
    const id = await h.connect();
    const expired = await makeKey();
    await dbm.getDb().update(schema.apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(drizzle.eq(schema.apiKeys.id, expired.id));
    const revoked = await makeKey();
    await store.revokeApiKey(revoked.id, admin, null);
    for (const key of [undefined, "not-a-key", `zoc_${"A".repeat(43)}`, expired.key, revoked.key]) {
      const res = await getToken(id, key as string);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = await res.json();
      expect(body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
      if (key) expect(JSON.stringify(body)).not.toContain(key);
    }
    // Each refusal's audit row is written before its answer goes out.
    const refused = await dbm.getDb().select().from(schema.auditEvents).where(drizzle.eq(schema.auditEvents.action, "api_key.refused"));
    expect(refused.map((e) => e.detail?.reason)).toEqual(expect.arrayContaining(["missing key", "unknown key", "expired key", "revoked key"]));
    expect(JSON.stringify(refused)).not.toContain(revoked.key);
  });

  it("stores only a hash and a short prefix of the key", async () => {
    const { id, key, prefix } = await makeKey();
    expect(key).toMatch(/^zoc_[A-Za-z0-9_-]{43}$/);
    const [row] = await dbm.getDb().select().from(schema.apiKeys).where(drizzle.eq(schema.apiKeys.id, id));
    expect(JSON.stringify(row)).not.toContain(key.slice(10));
    expect(row.prefix).toBe(prefix);
    expect(key.startsWith(prefix)).toBe(true);
  });

  it("answers 403 for another connection or a missing permission", async () => {
    const mine = await h.connect();
    const other = await h.connect();
    const limited = await makeKey({ scope: "chosen", connectionIds: [mine] });
    expect((await getToken(other, limited.key)).status).toBe(403);
    expect((await getToken(mine, limited.key)).status).toBe(200);
    const readOnly = await makeKey({ permissions: ["read"] });
    const res = await getToken(mine, readOnly.key);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
    expect((await proxy(mine, readOnly.key, "desk", "api/v1/tickets")).status).toBe(403);
    const listed = await (await list.GET(req("/api/v1/connections", limited.key), ctx({}))).json();
    expect(listed.data.map((c: { id: number }) => c.id)).toEqual([mine]);
  });

  it("applies the key's rate limit with 429 and Retry-After", async () => {
    const id = await h.connect();
    const { key } = await makeKey({ rate: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await one.GET(req(`/api/v1/connections/${id}`, key), ctx({ id: String(id) }))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const res = await one.GET(req(`/api/v1/connections/${id}`, key), ctx({ id: String(id) }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await res.json()).error.code).toBe("throttled");
  });
});

describe("connections and tokens", () => {
  it("lists metadata and the binding, never a token", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const res = await one.GET(req(`/api/v1/connections/${id}`, key), ctx({ id: String(id) }));
    const body = await res.json();
    expect(body).toMatchObject({ id, status: { kind: "active" }, location: "us", binding: { desk: { org_id: SEED_ORGS.deskZylkerSupport } } });
    expect(JSON.stringify(body)).not.toContain(await storedToken(id));
    const page = await (await list.GET(req("/api/v1/connections?limit=1", key), ctx({}))).json();
    expect(page.data).toHaveLength(1);
    expect(page.next_after).toBe(page.data[0].id);
    expect((await list.GET(req("/api/v1/connections?limit=0", key), ctx({}))).status).toBe(400);
  });

  it("hands out a token that works on Desk with the header it names", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const res = await getToken(id, key);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    // Served over plain http (CONSOLE_PUBLIC_URL), so no HSTS.
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const t = await res.json();
    expect(t).toMatchObject({ connection_id: id, token_type: "Zoho-oauthtoken", location: "us", refreshed: false });
    expect(t.authorization).toBe(`Zoho-oauthtoken ${t.access_token}`);
    expect(t.services.desk.headers).toEqual({ orgId: SEED_ORGS.deskZylkerSupport });
    const tickets = await fetch(`${t.services.desk.base_url}/tickets`, { headers: { Authorization: t.authorization, ...t.services.desk.headers } });
    expect(tickets.status).toBe(200);
    expect((await tickets.json()).data.length).toBeGreaterThan(0);
    expect(t.services.salesiq.base_url).toMatch(/\/salesiq\/api\/v2\/zylkerchat$/);
  });

  it("refreshes first only when less than min_validity is left", async () => {
    const id = await h.connect();
    const { key } = await makeKey();
    await set(id, { accessTokenExpiresAt: new Date(Date.now() + 200_000) });
    const before = await h.counters();
    expect((await (await getToken(id, key, "?min_validity=60")).json()).refreshed).toBe(false);
    expect((await h.counters()).refreshMints).toBe(before.refreshMints);
    const fresh = await (await getToken(id, key, "?min_validity=300")).json();
    expect(fresh.refreshed).toBe(true);
    expect(fresh.expires_in).toBeGreaterThan(3000);
    expect((await h.counters()).refreshMints).toBe(before.refreshMints + 1);
    for (const bad of ["?min_validity=-1", "?min_validity=abc", "?min_validity=4000"]) {
      const res = await getToken(id, key, bad);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
  });

  it("makes exactly one upstream refresh for 100 concurrent requests on an expired token", async () => {
    const id = await h.connect();
    const { key } = await makeKey();
    await set(id, { accessTokenExpiresAt: new Date(Date.now() - 1000) });
    const before = await h.counters();
    const answers = await Promise.all(Array.from({ length: 100 }, () => getToken(id, key)));
    expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
    const tokens = new Set(await Promise.all(answers.map(async (r) => (await r.json()).access_token)));
    expect(tokens.size).toBe(1);
    expect((await h.counters()).refreshMints - before.refreshMints).toBe(1);
  });

  it("answers 410 for a revoked connection and 409 for one that needs re-authorization", async () => {
    const revoked = await h.connect();
    const reauth = await h.connect();
    const { key, id: keyId } = await makeKey();
    await set(revoked, { revokedAt: new Date() });
    await set(reauth, { reauthReason: "invalid_code", reauthAt: new Date() });
    const r1 = await getToken(revoked, key);
    expect([r1.status, (await r1.json()).error.code]).toEqual([410, "revoked"]);
    const r2 = await getToken(reauth, key);
    expect([r2.status, (await r2.json()).error.code]).toEqual([409, "needs_reauth"]);
    const missing = await getToken(999_999, key);
    expect([missing.status, (await missing.json()).error.code]).toEqual([404, "not_found"]);
    expect(await usage.usageOfKey(keyId)).not.toContainEqual(expect.objectContaining({ connectionId: 999_999 }));
  });

  it("counts calls per key and connection for the consumers list", async () => {
    const id = await h.connect();
    const made = await makeKey();
    for (let i = 0; i < 3; i++) await getToken(id, made.key);
    const consumers = await usage.consumersOf(id);
    expect(consumers).toEqual([expect.objectContaining({ keyId: made.id, calls: 3, revoked: false })]);
    const keys = await store.listApiKeys();
    expect(keys.find((k) => k.id === made.id)).toMatchObject({ calls24h: 3 });
    expect(keys.find((k) => k.id === made.id)?.lastUsedAt).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("the Zoho proxy", () => {
  it("calls Desk with orgId injected and passes a JSON body both ways", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const list = await proxy(id, key, "desk", "api/v1/tickets?limit=2", { headers: { orgId: "1", cookie: "x=1" } });
    expect(list.status).toBe(200);
    expect((await list.json()).data[0].id).toContain(SEED_ORGS.deskZylkerSupport);
    const created = await proxy(id, key, "desk", "api/v1/tickets", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subject: "Printer on fire", email: "ops@example.com" }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ subject: "Printer on fire", status: "Open" });
    const invalid = await proxy(id, key, "desk", "api/v1/tickets", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errorCode).toBe("UNPROCESSABLE_ENTITY");
  });

  it("sends Desk the bound orgId in the query too, and passes back only the answer headers it allows", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const real = globalThis.fetch;
    const sent: string[] = [];
    // Zoho's answer as a hostile or careless upstream might send it.
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const res = await real(input, init);
      if (!String(input).includes("/desk/api/v1/tickets")) return res;
      sent.push(String(input));
      const headers = new Headers(res.headers);
      for (const [k, v] of [["access-control-allow-origin", "*"], ["proxy-connection", "keep-alive"], ["location", "https://evil.example/"], ["x-ratelimit-remaining", "42"]]) headers.set(k, v);
      return new Response(res.body, { status: res.status, headers });
    });
    try {
      const res = await proxy(id, key, "desk", `api/v1/tickets?limit=2&orgId=${SEED_ORGS.deskBen}&ORGID=1`);
      expect(res.status).toBe(200);
      expect(new URL(sent[0]).search).toBe(`?limit=2&orgId=${SEED_ORGS.deskZylkerSupport}`);
      expect((await res.json()).data[0].id).toContain(SEED_ORGS.deskZylkerSupport);
      for (const dropped of ["access-control-allow-origin", "proxy-connection", "location"]) expect(res.headers.get(dropped)).toBeNull();
      expect(res.headers.get("x-ratelimit-remaining")).toBe("42");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("cache-control")).toBe("no-store");
    } finally {
      spy.mockRestore();
    }
  });

  it("calls SalesIQ under the portal's screen name, HTTP-200 errors passed back as they are", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const chats = await proxy(id, key, "salesiq", `api/v2/${SEED_ORGS.salesiqZylkerChat}/chats`);
    expect(chats.status).toBe(200);
    expect((await chats.json()).data.length).toBeGreaterThan(0);
    const wrong = await proxy(id, key, "salesiq", "api/v2/nosuchportal/chats");
    expect(wrong.status).toBe(200);
    expect((await wrong.json()).error.code).toBe(1005);
    expect(wrong.headers.get("x-console-advice")).toMatch(/^Change the connection's organisation binding/);
    expect(chats.headers.get("x-console-advice")).toBeNull();
  });

  it("tells the caller which scope to add, or to change the binding, in X-Console-Advice", async () => {
    const id = await h.connect({ scopes: ["Desk.tickets.READ", "AaaServer.profile.READ"], binding });
    const { key } = await makeKey();
    const orgs = await proxy(id, key, "desk", "api/v1/organizations");
    expect(orgs.status).toBe(401);
    expect((await orgs.json()).errorCode).toBe("SCOPE_MISMATCH");
    expect(orgs.headers.get("x-console-advice")).toBe(
      "Add Desk.basic.READ to make this call: reconnect with Desk.basic.READ added to the connection's scopes.",
    );
    const foreign = await h.connect({ scopes, binding: { desk: { orgId: SEED_ORGS.deskBen, name: "Ben's Bakery Help" } } });
    const mismatch = await proxy(foreign, key, "desk", "api/v1/tickets");
    expect(mismatch.status).toBe(403);
    expect((await mismatch.json()).errorCode).toBe("OAUTH_ORG_MISMATCH");
    expect(mismatch.headers.get("x-console-advice")).toMatch(/^Change the connection's organisation binding/);
  });

  it("refuses paths that try to leave the host, without calling Zoho", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    for (const path of ["api/%2F%2Fevil.example/x", "..%2F..%2Fx", "api/%2e%2e/%2e%2e/x", "https:%2F%2Fevil.example"]) {
      const res = await proxy(id, key, "desk", path);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
    expect((await proxy(id, key, "mail", "api/v1/x")).status).toBe(400);
  });

  it.each([
    ["desk", "api/v1/tickets"],
    ["salesiq", `api/v2/${SEED_ORGS.salesiqZylkerChat}/chats`],
  ])("after Zoho drops the token (%s), refreshes once and retries once", async (service, path) => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const dropped = await storedToken(id);
    const revoke = await fetch(`${h.sandbox.url}/us/accounts/oauth/v2/token/revoke?token=${encodeURIComponent(dropped)}`, { method: "POST" });
    expect(revoke.ok).toBe(true);
    const before = await h.counters();
    const res = await proxy(id, key, service, path);
    expect(res.status).toBe(200);
    expect((await res.json()).data.length).toBeGreaterThan(0);
    expect(res.headers.get("x-console-token-refreshed")).toBe("true");
    expect((await h.counters()).refreshMints - before.refreshMints).toBe(1);
    expect(await storedToken(id)).not.toBe(dropped);
  });
});

// The key, its connection set and the connection's token state are read with statements
// prepared once per database handle: every call must still see the rows as they are now.
describe("the token path on prepared statements", () => {
  const status = async (res: Response) => [res.status, (await res.json()).error?.code ?? "ok"];

  it("refuses a key revoked, expired or narrowed after it was used, on the very next call", async () => {
    const id = await h.connect();
    const other = await h.connect();
    const revoked = await makeKey();
    const expiring = await makeKey();
    const narrowed = await makeKey({ scope: "chosen", connectionIds: [id, other] });
    for (const k of [revoked, expiring, narrowed]) expect(await status(await getToken(id, k.key))).toEqual([200, "ok"]);
    expect(await status(await getToken(other, narrowed.key))).toEqual([200, "ok"]);

    await store.revokeApiKey(revoked.id, admin, null);
    await dbm.getDb().update(schema.apiKeys).set({ expiresAt: new Date(Date.now() - 1) }).where(drizzle.eq(schema.apiKeys.id, expiring.id));
    await dbm
      .getDb()
      .delete(schema.apiKeyConnections)
      .where(drizzle.and(drizzle.eq(schema.apiKeyConnections.keyId, narrowed.id), drizzle.eq(schema.apiKeyConnections.connectionId, other)));

    expect(await status(await getToken(id, revoked.key))).toEqual([401, "unauthorized"]);
    expect(await status(await getToken(id, expiring.key))).toEqual([401, "unauthorized"]);
    expect(await status(await getToken(other, narrowed.key))).toEqual([403, "forbidden"]);
    expect(await status(await getToken(id, narrowed.key))).toEqual([200, "ok"]);
  });

  it("stops handing out a warm token once the connection is revoked or needs re-authorization", async () => {
    const a = await h.connect();
    const b = await h.connect();
    const { key } = await makeKey();
    expect((await (await getToken(a, key)).json()).access_token).toBe(await storedToken(a));
    expect((await getToken(b, key)).status).toBe(200);
    await set(a, { revokedAt: new Date() });
    await set(b, { reauthReason: "invalid_code", reauthAt: new Date() });
    expect(await status(await getToken(a, key))).toEqual([410, "revoked"]);
    expect(await status(await getToken(b, key))).toEqual([409, "needs_reauth"]);
  });

  it("answers a warm token with the facts stored now: a rebinding shows on the next call", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKey();
    const before = await (await getToken(id, key)).json();
    expect(before.services.desk.org_id).toBe(SEED_ORGS.deskZylkerSupport);
    await set(id, { orgBinding: { desk: { orgId: SEED_ORGS.deskBen, name: "Ben's Bakery Help" } } });
    const after = await (await getToken(id, key)).json();
    expect(after).toMatchObject({ refreshed: false, access_token: before.access_token, services: { desk: { org_id: SEED_ORGS.deskBen, headers: { orgId: SEED_ORGS.deskBen } } } });
    expect(after.services.salesiq).toBeUndefined();
  });

  it("applies the key's rate limit and counts the calls on the token route", async () => {
    const id = await h.connect();
    const made = await makeKey({ rate: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getToken(id, made.key)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(await usage.consumersOf(id)).toEqual([expect.objectContaining({ keyId: made.id, calls: 2 })]);
  });

  // On PostgreSQL every statement is a round trip to another process: the key, its rate limit,
  // its connection set and the connection's token row are read in one (lib/service-api/admit.ts).
  it.runIf(dbm.database().engine === "postgres")("costs one database round trip for a warm token on PostgreSQL, whichever key", async () => {
    const id = await h.connect();
    const all = await makeKey();
    const chosen = await makeKey({ scope: "chosen", connectionIds: [id] });
    const limited = await makeKey({ rate: 1 });
    // A large limit: a minute's credit (limit × 60,000) is past PostgreSQL's integer.
    const large = await makeKey({ rate: 1_000_000 });
    for (let i = 0; i < 3; i++) expect((await getToken(id, large.key)).status).toBe(200);
    const pool = (dbm.database() as unknown as { pool: { query: (...a: unknown[]) => unknown } }).pool;
    for (const k of [all, chosen, limited]) expect((await getToken(id, k.key)).status).toBe(200);
    const spy = vi.spyOn(pool, "query");
    try {
      for (const k of [all, chosen]) {
        spy.mockClear();
        expect((await getToken(id, k.key)).status).toBe(200);
        expect(spy).toHaveBeenCalledTimes(1);
      }
      // A throttled call is answered from the same one trip.
      spy.mockClear();
      expect(await status(await getToken(id, limited.key))).toEqual([429, "throttled"]);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  // Last in the file: it closes the handle the harness holds (h.db is dead afterwards).
  it("keeps answering after the console's database handle is replaced", async () => {
    const id = await h.connect();
    const { key, id: keyId } = await makeKey();
    expect((await getToken(id, key)).status).toBe(200);
    const closed = dbm.database();
    await dbm.closeDatabase();
    const res = await getToken(id, key);
    expect(res.status).toBe(200);
    // The call opened the database again: a new handle, not the closed one's statements.
    expect(dbm.database()).not.toBe(closed);
    expect((await res.json()).access_token).toBe(await storedToken(id));
    await store.revokeApiKey(keyId, admin, null);
    expect(await status(await getToken(id, key))).toEqual([401, "unauthorized"]);
  });
});
