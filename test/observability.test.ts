/**
 * Metrics and logs as an operator sees them: counters that move when tokens are refreshed or
 * fail, /api/metrics refusing strangers, request ids that tie a refresh to the call that caused
 * it, and no secret in any log line across a connect and a refresh.
 */
import http from "node:http";
import os from "node:os";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_SECRET } from "@/sandbox/seed";
import { consentAt, importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
const { dbm, schema, drizzle, secrets } = await importTokenModules();
const store = await import("@/lib/api-keys/store");
const rate = await import("@/lib/api-keys/rate-limit");
const tokenRoute = await import("@/app/api/v1/connections/[id]/token/route");
const proxyRoute = await import("@/app/api/v1/connections/[id]/proxy/[service]/[...path]/route");
const metricsRoute = await import("@/app/api/metrics/route");
const { metrics } = await import("@/lib/metrics/registry");
const { redirectLog, log } = await import("@/lib/log");
const { PEER_HEADER, installPeerAddressHeader, isLoopbackAddress, isLoopbackRequest } = await import("@/lib/peer-address");
const { startAuthorization } = await import("@/lib/authorization/start");
const { handleCallback } = await import("@/lib/authorization/callback");
const { observeCallback } = await import("@/lib/authorization/telemetry");
const { refreshConnection } = await import("@/lib/tokens/engine");
const { runRefresherOnce } = await import("@/lib/tokens/refresher");
const { inActionContext } = await import("@/lib/action-context");

/** Every JSON line the console logs while a test runs. */
let lines: string[] = [];
let restoreLog: () => void;
beforeAll(() => {
  restoreLog = redirectLog(
    new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    }),
    "debug",
  );
});
afterAll(async () => {
  restoreLog();
  await h.close();
});
beforeEach(async () => {
  lines = [];
  await rate.resetRateLimits();
  await h.sandbox.admin("DELETE", "faults");
});
const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const BASE = "http://localhost:3000";
type Permission = "read" | "token" | "proxy" | "metrics";
const makeKey = (permissions: Permission[]) =>
  store.createApiKey(
    { name: `key-${Math.random().toString(36).slice(2, 8)}`, scope: "all", connectionIds: [], permissions, expiresAt: null, rateLimitPerMinute: null },
    admin,
    null,
  );
const req = (path: string, headers: Record<string, string> = {}) => new Request(`${BASE}${path}`, { headers });
const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });
const getToken = (id: number, key: string, headers: Record<string, string> = {}) =>
  tokenRoute.GET(req(`/api/v1/connections/${id}/token`, { authorization: `Bearer ${key}`, ...headers }), ctx({ id: String(id) }));
const expireSoon = async (id: number) => {
  await dbm.getDb().update(schema.connections).set({ accessTokenExpiresAt: new Date(Date.now() + 30_000) }).where(drizzle.eq(schema.connections.id, id));
};
const connectionRow = async (where: ReturnType<typeof drizzle.eq>) => {
  const [row] = await dbm.getDb().select().from(schema.connections).where(where);
  return row;
};
const scrape = (headers: Record<string, string> = {}) => metricsRoute.GET(req("/api/metrics", headers));
const { instanceId } = await import("@/lib/instances");

const { withoutInstanceLabel } = await import("@/test/metrics-text");
const seriesOf = async (res: Response) => withoutInstanceLabel(await res.text(), instanceId());
const fromLoopback = { [PEER_HEADER]: "127.0.0.1" };

/** A sample's current value, 0 when the series does not exist yet. */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics().registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want) && !("le" in v.labels));
  return hit?.value ?? 0;
}

describe("metrics move with what happens", () => {
  it("counts a refresh the token API caused, and the API call with its route and outcome", async () => {
    const id = await h.connect();
    const { key } = await makeKey(["token"]);
    await expireSoon(id);
    const refreshes = await sample("zoho_console_token_refreshes_total", { trigger: "api", outcome: "success" });
    const calls = await sample("zoho_console_api_requests_total", { route: "token", outcome: "ok" });
    const res = await getToken(id, key);
    expect(res.status).toBe(200);
    expect((await res.json()).refreshed).toBe(true);
    expect(await sample("zoho_console_token_refreshes_total", { trigger: "api", outcome: "success" })).toBe(refreshes + 1);
    expect(await sample("zoho_console_api_requests_total", { route: "token", outcome: "ok" })).toBe(calls + 1);
    const text = await seriesOf(await scrape(fromLoopback));
    expect(text).toMatch(/zoho_console_api_request_duration_seconds_count\{route="token"\} [1-9]/);
  });

  it("counts a failed refresh by kind and trigger, and Zoho's throttle separately", async () => {
    const id = await h.connect();
    await h.sandbox.admin("POST", "faults", { token: { status: 503, count: 1 } });
    const failures = await sample("zoho_console_token_refresh_failures_total", { trigger: "manual", kind: "server" });
    await expect(refreshConnection(id, { trigger: "manual" })).rejects.toThrow();
    expect(await sample("zoho_console_token_refresh_failures_total", { trigger: "manual", kind: "server" })).toBe(failures + 1);

    const other = await h.connect();
    await h.sandbox.admin("POST", "faults", { token: { throttle: true, count: 1 } });
    const throttles = await sample("zoho_console_zoho_throttles_total", { trigger: "manual" });
    await expect(refreshConnection(other, { trigger: "manual" })).rejects.toThrow();
    expect(await sample("zoho_console_zoho_throttles_total", { trigger: "manual" })).toBe(throttles + 1);
  });

  it("labels a refresh the proxy needed as proxy, and an API refusal by its error code", async () => {
    const id = await h.connect({ scopes: ["Desk.tickets.READ"], binding: { desk: { orgId: "1", name: "Org" } } });
    const { key } = await makeKey(["proxy"]);
    await expireSoon(id);
    const before = await sample("zoho_console_token_refreshes_total", { trigger: "proxy", outcome: "success" });
    await proxyRoute.GET(req(`/api/v1/connections/${id}/proxy/desk/api/v1/tickets`, { authorization: `Bearer ${key}` }), ctx({ id: String(id), service: "desk", path: ["api", "v1", "tickets"] }));
    expect(await sample("zoho_console_token_refreshes_total", { trigger: "proxy", outcome: "success" })).toBe(before + 1);

    const forbidden = await sample("zoho_console_api_requests_total", { route: "token", outcome: "forbidden" });
    expect((await getToken(id, key)).status).toBe(403);
    expect(await sample("zoho_console_api_requests_total", { route: "token", outcome: "forbidden" })).toBe(forbidden + 1);
  });

  it("times the refresher's passes and shows connections by status at scrape time", async () => {
    const id = await h.connect();
    await expireSoon(id);
    await runRefresherOnce();
    const text = await seriesOf(await scrape(fromLoopback));
    expect(text).toMatch(/zoho_console_refresher_run_duration_seconds_count [1-9]/);
    expect(text).toMatch(/zoho_console_token_refreshes_total\{trigger="scheduled",outcome="success"\} [1-9]/);
    const active = Number(/zoho_console_connections\{status="active"\} (\d+)/.exec(text)?.[1]);
    const rows = (await dbm.getDb().select({ id: schema.connections.id }).from(schema.connections)).length;
    expect(active).toBeGreaterThan(0);
    expect(active).toBeLessThanOrEqual(rows);
    await dbm.getDb().update(schema.connections).set({ revokedAt: new Date() }).where(drizzle.eq(schema.connections.id, id));
    const after = await seriesOf(await scrape(fromLoopback));
    expect(Number(/zoho_console_connections\{status="revoked"\} (\d+)/.exec(after)?.[1])).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/zoho_console_access_token_earliest_expiry_seconds -?\d+/);
    expect(after).toMatch(/zoho_console_refresh_token_slots_free \d+/);
  });
});

describe("who may scrape /api/metrics", () => {
  it("serves a key with the metrics permission, from anywhere", async () => {
    const { key } = await makeKey(["metrics"]);
    const res = await scrape({ authorization: `Bearer ${key}`, [PEER_HEADER]: "203.0.113.7" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toContain("# HELP zoho_console_connections ");
  });

  it("refuses a key without the metrics permission with 403, even from loopback", async () => {
    const { key } = await makeKey(["read", "token"]);
    const res = await scrape({ authorization: `Bearer ${key}`, ...fromLoopback });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("metrics") } });
  });

  it("refuses an unknown key with 401", async () => {
    const res = await scrape({ authorization: `Bearer zoc_${"B".repeat(43)}`, ...fromLoopback });
    expect(res.status).toBe(401);
  });

  it("refuses a keyless scrape that does not come from this host with 401, X-Forwarded-For notwithstanding", async () => {
    const attempts: Record<string, string>[] = [{}, { [PEER_HEADER]: "203.0.113.7" }, { [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "127.0.0.1" }];
    for (const headers of attempts) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
    expect((await scrape(fromLoopback)).status).toBe(200);
    expect((await scrape({ [PEER_HEADER]: "::1" })).status).toBe(200);
  });

  it("behind trusted proxies, takes the address the outermost proxy saw, not the proxy's own", () => {
    const viaProxy = (xff: string) => new Headers({ [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": xff });
    expect(isLoopbackRequest(viaProxy("203.0.113.7"), 1)).toBe(false);
    expect(isLoopbackRequest(viaProxy("127.0.0.1, 203.0.113.7"), 1)).toBe(false);
    expect(isLoopbackRequest(viaProxy("127.0.0.1"), 1)).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("128.0.0.1")).toBe(false);
    expect(isLoopbackAddress("127.0.0.1.example")).toBe(false);
  });

  it("stamps the socket's address over whatever peer header a client sends", async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    installPeerAddressHeader();
    const server = http.createServer((r, res) => res.end(String(r.headers[PEER_HEADER])));
    const host = external ?? "127.0.0.1";
    await new Promise<void>((done) => server.listen(0, host, done));
    try {
      const { port } = server.address() as { port: number };
      const seen = await (await fetch(`http://${host}:${port}/`, { headers: { [PEER_HEADER]: "127.0.0.1, forged" } })).text();
      expect(seen).toBe(host);
    } finally {
      server.close();
    }
  });
});

describe("logs", () => {
  it("carries the caller's request id on the refresh line and the request line, and echoes it", async () => {
    const id = await h.connect();
    const { key, prefix } = await makeKey(["token"]);
    await expireSoon(id);
    const res = await getToken(id, key, { "x-request-id": "billing-sync.42" });
    expect(res.headers.get("x-request-id")).toBe("billing-sync.42");
    const refresh = entries().find((e) => e.event === "token.refresh");
    expect(refresh).toMatchObject({ requestId: "billing-sync.42", connectionId: id, trigger: "api", outcome: "success", level: "info" });
    expect(refresh?.durationMs).toEqual(expect.any(Number));
    const request = entries().find((e) => e.event === "api.request");
    expect(request).toMatchObject({ requestId: "billing-sync.42", route: "token", status: 200, outcome: "ok", connectionId: id, keyPrefix: prefix });
    expect(lines.join("\n")).not.toContain(key);
  });

  it("makes up a request id when the caller's is missing or not sane", async () => {
    const id = await h.connect();
    const { key } = await makeKey(["token"]);
    for (const given of [undefined, "has spaces in it", "x".repeat(200)]) {
      const res = await getToken(id, key, given ? { "x-request-id": given } : {});
      const echoed = res.headers.get("x-request-id");
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      expect(entries().at(-1)).toMatchObject({ event: "api.request", requestId: echoed });
    }
  });

  it("gives the refresher's lines the run's id", async () => {
    const id = await h.connect();
    await expireSoon(id);
    await runRefresherOnce();
    const refresh = entries().find((e) => e.event === "token.refresh" && e.connectionId === id);
    expect(refresh?.requestId).toMatch(/^refresher-run-\d+$/);
    expect(entries().find((e) => e.event === "refresher.run")?.requestId).toBe(refresh?.requestId);
  });

  it("gives each server action's manual refresh a request id of its own", async () => {
    const first = await h.connect();
    const second = await h.connect();
    // As "Refresh now" runs it: the engine's call inside the action's context.
    for (const id of [first, second]) await inActionContext(() => refreshConnection(id, { trigger: "manual", actor: admin, ignoreBackoff: true }));
    const line = (id: number) => entries().find((e) => e.event === "token.refresh" && e.connectionId === id);
    expect(line(first)).toMatchObject({ trigger: "manual", outcome: "success", requestId: expect.stringMatching(/^action-[0-9a-f-]{36}$/) });
    expect(line(second)?.requestId).toMatch(/^action-[0-9a-f-]{36}$/);
    expect(line(second)?.requestId).not.toBe(line(first)?.requestId);
  });

  it("redacts secrets by path, however deep they sit in a logged object", () => {
    log("test").warn(
      {
        access_token: "AT-SECRET-1",
        client_secret: "CS-SECRET-2",
        headers: { authorization: "Bearer zoc_SECRET-3", cookie: "session=SECRET-4" },
        body: { grant: { refresh_token: "RT-SECRET-5", code: "CODE-SECRET-6", password: "PW-SECRET-7" } },
        key: "zoc_SECRET-8",
        visible: "kept",
      },
      "deliberately logged secrets",
    );
    const line = lines.join("\n");
    for (let i = 1; i <= 8; i++) expect(line).not.toContain(`SECRET-${i}`);
    expect(JSON.parse(lines[0])).toMatchObject({ visible: "kept", access_token: "[redacted]", headers: { authorization: "[redacted]" } });
  });

  it("holds no token, code or secret across a connect and refreshes", async () => {
    const { url, attemptId } = await startAuthorization(
      h.admin,
      { clientRef: h.demo.id, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"], accessType: "offline", name: "Logged" },
      null,
    );
    const callback = await consentAt(h.driver, url, { email: "ada@zylker.com" });
    const { result, requestId } = await observeCallback(new Headers({ "x-request-id": "cb-1" }), () =>
      handleCallback({ params: callback.searchParams, user: h.admin, ip: null }),
    );
    expect(requestId).toBe("cb-1");
    expect(result.location).toMatch(/\/connections/);
    const row = await connectionRow(drizzle.eq(schema.connections.name, "Logged"));
    expect(entries().find((e) => e.event === "oauth.callback")).toMatchObject({ requestId: "cb-1", outcome: "connected", attemptId, connectionId: row.id });

    const { key } = await makeKey(["token"]);
    await expireSoon(row.id);
    await getToken(row.id, key);
    await refreshConnection(row.id, { trigger: "manual" });
    const fresh = await connectionRow(drizzle.eq(schema.connections.id, row.id));
    const secretsSeen = [
      callback.searchParams.get("code")!,
      callback.searchParams.get("state")!,
      secrets.decryptSecret(row.accessTokenEnc!, secrets.secretPlace.accessToken(row.id)),
      secrets.decryptSecret(row.refreshTokenEnc!, secrets.secretPlace.refreshToken(row.id)),
      secrets.decryptSecret(fresh.accessTokenEnc!, secrets.secretPlace.accessToken(fresh.id)),
      DEMO_CLIENT_SECRET,
      key,
    ];
    expect(entries().filter((e) => e.event === "token.refresh").length).toBeGreaterThanOrEqual(2);
    const all = lines.join("\n");
    for (const s of secretsSeen) expect(all).not.toContain(s);
  });
});

afterEach(() => {
  // Every line is one JSON object, whatever the test logged.
  for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
});
