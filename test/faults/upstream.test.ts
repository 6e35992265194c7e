/**
 * Zoho misbehaving while the background refresher runs: unreachable, 5xx, slower than the
 * timeout, throttling. In every case the stored token stays good and keeps being handed out,
 * the status says what is wrong and when the next attempt is, the audit trail records the
 * failure and its kind, and the refresher recovers by itself once the backoff has passed.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import net from "node:net";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { faultChecks, importFaultModules } from "./support";

const TIMEOUT_MS = 600;
const h = await startSandboxHarness({ ZOHO_HTTP_TIMEOUT_MS: String(TIMEOUT_MS) });
const m = await importFaultModules();
const refresher = await import("@/lib/tokens/refresher");
const { engine } = m;
const { row, statusOf, auditOf, storedTokens, expectNoSecretsInAudit } = faultChecks(m);

// Tokens live four minutes, so every connection is inside the refresher's five-minute margin and
// each pass of the background refresher tries to renew it.
await h.sandbox.admin("POST", "limits", { accessTokenLifetimeSec: 240 });

afterAll(() => h.close());

/** A TCP relay to `target` on a port of its own, which can be cut (refusing connections) and restored. */
async function startRelay(target: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((inbound) => {
        const outbound = net.connect(target, "127.0.0.1");
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on("error", () => s.destroy());
          s.on("close", () => sockets.delete(s));
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    port,
    restore: listen,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server?.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

// Time passing, for the backoff: Date.now moves forward, the sandbox (same process) sees it too.
let offset = 0;
const realNow = Date.now.bind(Date);
const advanceClock = (ms: number) => {
  offset += ms;
};
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
  vi.spyOn(Date, "now").mockImplementation(() => realNow() + offset);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** One pass of the background refresher over this connection only: others are left alone. */
async function refresherPass(id: number) {
  const c = m.schema.connections;
  await m.dbm.getDb().update(c).set({ keepFresh: false }).where(m.drizzle.ne(c.id, id));
  return refresher.runRefresherOnce();
}

const refreshAudits = async (id: number) => (await auditOf(id)).filter((e) => e.action === "connection.refresh");

/**
 * The part every fault shares: the first background pass fails with `zohoKind`, the token and
 * its expiry stay, API callers still get the stored token, nothing is retried before the backoff
 * ends, and once it ends (and Zoho is healthy) the next pass recovers on its own.
 */
async function failsThenRecovers(id: number, zohoKind: string, heal: () => Promise<void>, zohoDown = false) {
  const before = await storedTokens(id);
  const handedOut = await engine.getAccessToken(id);

  const first = await refresherPass(id);
  expect(first).toMatchObject({ considered: 1, refreshed: 0, failed: 1 });
  expect(await storedTokens(id)).toEqual(before);
  const r = await row(id);
  expect(r).toMatchObject({ failureCount: 1, lastErrorKind: zohoKind, leaseOwner: null });
  const retryIn = r.nextRetryAt!.getTime() - Date.now();
  // 30 s with ±25 % jitter.
  expect(retryIn).toBeGreaterThan(22_000);
  expect(retryIn).toBeLessThanOrEqual(37_500);

  const shown = await statusOf(id);
  expect(shown.kind).toBe("refresh_failing");
  expect(shown.reason).toContain("1 refresh attempt in a row failed.");
  expect(shown.reason).toContain(r.lastErrorMessage!);
  expect(shown.nextAction).toMatch(/^Next attempt in \d+ s/);

  const failure = (await refreshAudits(id)).at(-1)!;
  expect(failure).toMatchObject({ outcome: "failure", actorType: "system" });
  expect(failure.detail).toMatchObject({ trigger: "background", errorKind: zohoKind, until: r.nextRetryAt!.toISOString() });

  // Services asking for a token still get the stored one while it is valid.
  expect(await engine.getAccessToken(id, undefined)).toBe(handedOut);

  // Before the retry time the refresher leaves it alone: no call to Zoho.
  const calls = zohoDown ? 0 : (await h.counters()).tokenEndpointCalls;
  expect(await refresherPass(id)).toMatchObject({ considered: 0 });
  if (!zohoDown) expect((await h.counters()).tokenEndpointCalls).toBe(calls);

  await heal();
  advanceClock(retryIn + 1_000);
  const healed = await refresherPass(id);
  expect(healed, JSON.stringify((await row(id)).lastErrorMessage)).toMatchObject({ considered: 1, refreshed: 1, failed: 0 });
  const after = await storedTokens(id);
  expect(after.access).not.toBe(before.access);
  expect(after.refresh).toBe(before.refresh);
  expect(await row(id)).toMatchObject({ failureCount: 0, nextRetryAt: null, lastErrorKind: null, lastErrorMessage: null });
  expect((await statusOf(id)).kind).toBe("active");
  expect((await refreshAudits(id)).at(-1)).toMatchObject({ outcome: "success", detail: { trigger: "background" } });
  expect(await engine.getAccessToken(id)).not.toBe(handedOut);
  await expectNoSecretsInAudit(id);
}

describe("Zoho faults during background refreshes", () => {
  it("answers 503: keeps the token; two failures in a row back off longer, then it recovers", async () => {
    const id = await h.connect();
    const before = await storedTokens(id);
    await h.sandbox.admin("POST", "faults", { token: { status: 503, count: 1 } });
    await failsThenRecovers(id, "server", async () => {});

    // Two outages in a row: the second wait is about twice the first.
    await h.sandbox.admin("POST", "faults", { token: { status: 502, count: 2 } });
    const firstWaitStart = Date.now();
    advanceClock(0);
    expect(await refresherPass(id)).toMatchObject({ failed: 1 });
    const first = (await row(id)).nextRetryAt!.getTime() - firstWaitStart;
    advanceClock(first + 1_000);
    expect(await refresherPass(id)).toMatchObject({ failed: 1 });
    const r = await row(id);
    expect(r.failureCount).toBe(2);
    const second = r.nextRetryAt!.getTime() - Date.now();
    expect(second).toBeGreaterThan(45_000);
    expect(second).toBeLessThanOrEqual(75_000);
    expect((await statusOf(id)).reason).toContain("2 refresh attempts in a row failed.");
    expect((await storedTokens(id)).refresh).toBe(before.refresh);
    advanceClock(second + 1_000);
    expect(await refresherPass(id)).toMatchObject({ refreshed: 1 });
    expect((await statusOf(id)).kind).toBe("active");
  });

  it("answers slower than ZOHO_HTTP_TIMEOUT_MS: the call is abandoned at the timeout and retried later", async () => {
    const id = await h.connect();
    await h.sandbox.admin("POST", "faults", { token: { delayMs: TIMEOUT_MS * 5, count: 1 } });
    const started = realNow();
    await failsThenRecovers(id, "timeout", async () => {});
    const firstFailure = (await refreshAudits(id)).find((e) => e.outcome === "failure")!;
    expect(firstFailure.at.getTime() - started).toBeLessThan(TIMEOUT_MS * 5);
  });

  it("throttled (Zoho's HTTP 200 Access Denied): waits for the end of Zoho's window, then recovers", async () => {
    const id = await h.connect();
    await refresherPass(id); // one mint opens Zoho's ten-minute window
    const windowStart = (await row(id)).lastRefreshAt!.getTime();
    const before = await storedTokens(id);
    const handedOut = await engine.getAccessToken(id);
    await h.sandbox.admin("POST", "faults", { token: { throttle: true, count: 1 } });

    expect(await refresherPass(id)).toMatchObject({ considered: 1, refreshed: 0, failed: 1 });
    expect(await storedTokens(id)).toEqual(before);
    const r = await row(id);
    expect(r.throttledUntil!.getTime()).toBe(windowStart + 10 * 60_000);
    expect(r.lastErrorKind).toBe("throttled");
    const shown = await statusOf(id);
    expect(shown.kind).toBe("throttled");
    expect(shown.reason).toMatch(/can refresh again in (9|10) min/);
    expect((await refreshAudits(id)).at(-1)).toMatchObject({ outcome: "failure", detail: { trigger: "background", errorKind: "throttled" } });
    expect(await engine.getAccessToken(id)).toBe(handedOut);

    // Inside the window nobody calls Zoho again: not the refresher, not a person, not the API.
    const calls = (await h.counters()).tokenEndpointCalls;
    expect(await refresherPass(id)).toMatchObject({ considered: 0 });
    await expect(engine.refreshConnection(id, { trigger: "manual", ignoreBackoff: true })).rejects.toMatchObject({ kind: "throttled" });
    expect((await h.counters()).tokenEndpointCalls).toBe(calls);

    advanceClock(r.throttledUntil!.getTime() - Date.now() + 1_000);
    expect(await refresherPass(id)).toMatchObject({ refreshed: 1 });
    expect(await row(id)).toMatchObject({ throttledUntil: null, lastErrorKind: null, failureCount: 0 });
    expect((await statusOf(id)).kind).toBe("active");
    await expectNoSecretsInAudit(id);
  });

  it("Zoho unreachable (connection refused): keeps the token, retries after the backoff", async () => {
    const id = await h.connect();
    // The connection reaches Zoho through a link this test can cut: a TCP relay to the sandbox.
    const link = await startRelay(Number(new URL(h.sandbox.url).port));
    const c = m.schema.connections;
    const accountsServer = (await row(id)).accountsServer.replace(new URL(h.sandbox.url).host, `127.0.0.1:${link.port}`);
    await m.dbm.getDb().update(c).set({ accountsServer }).where(m.drizzle.eq(c.id, id));
    await link.cut();
    try {
      await failsThenRecovers(id, "network", () => link.restore());
    } finally {
      await link.cut();
    }
    expect((await refreshAudits(id)).at(-2)!.detail.error).toMatch(/could not reach|network|connect/i);
  });
});
