import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConnectionRow } from "@/db/schema";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";
import { encryptUnderMissingKey, MISSING_KEY_ID, onNextZohoCall, reconnectWithTokensOf } from "./test-support";

// The database lease alone also gives 50 callers one upstream refresh (49 wait, then read the
// stored token), so counting refreshes cannot show that callers in one process share the refresh
// in flight. Counting how often the lease is entered can: once, however many callers.
vi.mock("./lease", async (importOriginal) => {
  const lease = await importOriginal<typeof import("./lease")>();
  return { ...lease, withLease: vi.fn(lease.withLease) };
});
const { withLease } = await import("./lease");

const h = await startSandboxHarness();
// Imported after the harness has set the environment.
const { engine, refresher, status, secrets, dbm, schema, drizzle } = await importTokenModules();
const { factsOf, loadConnection } = await import("@/lib/connections/queries");
afterAll(() => h.close());
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});
afterEach(() => {
  vi.restoreAllMocks();
});

const row = async (id: number) => (await loadConnection(id))!;
const token = async (id: number) => secrets.decryptSecret((await row(id)).accessTokenEnc!, secrets.secretPlace.accessToken(id));
const refreshTokenOf = async (id: number) => secrets.decryptSecret((await row(id)).refreshTokenEnc!, secrets.secretPlace.refreshToken(id));
const statusOf = async (id: number) => status.connectionStatus(factsOf(await row(id)), Date.now());
const manual = { trigger: "manual" as const, ignoreBackoff: true };
const set = async (id: number, values: Partial<ConnectionRow>) => {
  await dbm.getDb().update(schema.connections).set(values).where(drizzle.eq(schema.connections.id, id));
};

describe("refresh engine", () => {
  it("makes one upstream refresh for 50 concurrent callers, who all get its token", async () => {
    const id = await h.connect();
    const before = await h.counters();
    const oldToken = await token(id);
    const results = await Promise.all(Array.from({ length: 50 }, () => engine.refreshConnection(id, manual)));
    const after = await h.counters();
    expect(after.refreshMints - before.refreshMints).toBe(1);
    expect(after.tokenEndpointCalls - before.tokenEndpointCalls).toBe(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(results[0].accessToken).not.toBe(oldToken);
    expect(await token(id)).toBe(results[0].accessToken);
    expect((await row(id)).leaseOwner).toBeNull();
    const mints = await dbm.getDb().select().from(schema.tokenMints).where(drizzle.eq(schema.tokenMints.connectionId, id));
    expect(mints).toHaveLength(1);
  });

  it("shares the refresh in flight among callers in this process: the lease is taken once", async () => {
    const id = await h.connect();
    vi.mocked(withLease).mockClear();
    const results = await Promise.all(Array.from({ length: 20 }, () => engine.refreshConnection(id, manual)));
    expect(withLease).toHaveBeenCalledOnce();
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    // Settled refreshes are not kept: the next caller starts one of its own.
    await engine.refreshConnection(id, manual);
    expect(withLease).toHaveBeenCalledTimes(2);
  });

  it("waits for another process's lease and uses the token it stored", async () => {
    const id = await h.connect();
    const db = dbm.getDb();
    const c = schema.connections;
    await db.update(c).set({ leaseOwner: "other-process#1", leaseExpiresAt: new Date(Date.now() + 30_000) }).where(drizzle.eq(c.id, id));
    const before = await h.counters();
    const pending = engine.refreshConnection(id, manual);
    await new Promise((r) => setTimeout(r, 300));
    const later = new Date(Date.now() + 3_600_000 + 60_000);
    await db
      .update(c)
      .set({ accessTokenEnc: secrets.encryptSecret("1000.from-the-other-process", secrets.secretPlace.accessToken(id)), accessTokenExpiresAt: later, leaseOwner: null, leaseExpiresAt: null })
      .where(drizzle.eq(c.id, id));
    const result = await pending;
    expect(result).toMatchObject({ accessToken: "1000.from-the-other-process", refreshed: false });
    expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);
  });

  it("keeps the old token on a 5xx, counts the failure and schedules a jittered retry", async () => {
    const id = await h.connect();
    const oldToken = await token(id);
    const oldExpiry = (await row(id)).accessTokenExpiresAt!.getTime();
    await h.sandbox.admin("POST", "faults", { token: { status: 503, count: 1 } });
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "zoho", zohoKind: "server" });
    const r = await row(id);
    expect(await token(id)).toBe(oldToken);
    expect(r.accessTokenExpiresAt!.getTime()).toBe(oldExpiry);
    expect(r.failureCount).toBe(1);
    expect(r.lastErrorKind).toBe("server");
    expect(r.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() + 15_000);
    expect((await statusOf(id)).kind).toBe("refresh_failing");
    // The background path respects the retry time; a person may try at once and it recovers.
    await expect(engine.refreshConnection(id, { trigger: "background" })).rejects.toMatchObject({ kind: "backing_off" });
    await engine.refreshConnection(id, manual);
    expect(await row(id)).toMatchObject({ failureCount: 0, nextRetryAt: null, lastErrorKind: null });
    expect((await statusOf(id)).kind).toBe("active");
  });

  it("marks needs re-authorization on invalid_code and stops calling Zoho", async () => {
    const id = await h.connect({ email: "ben@zylker.com" });
    const oldToken = await token(id);
    await h.sandbox.admin("POST", "revoke-grants", { email: "ben@zylker.com", clientId: "1000.SANDBOXDEMOCLIENT0000000000001" });
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "zoho", zohoKind: "invalid_code" });
    expect(await row(id)).toMatchObject({ reauthReason: "invalid_code", nextRetryAt: null });
    expect(await token(id)).toBe(oldToken);
    const s = await statusOf(id);
    expect(s.kind).toBe("needs_reauth");
    expect(s.reason).toMatch(/revoked at Zoho/);
    const before = await h.counters();
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "needs_reauth" });
    await expect(engine.getAccessToken(id)).rejects.toMatchObject({ kind: "needs_reauth" });
    expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);
  });

  it("refuses the eleventh mint in ten minutes locally, saying when it becomes possible", async () => {
    const id = await h.connect();
    for (let i = 0; i < 10; i++) await engine.refreshConnection(id, manual);
    const before = await h.counters();
    const err = await engine.refreshConnection(id, manual).catch((e) => e);
    expect(err).toMatchObject({ kind: "rate_limited" });
    expect(err.until).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(err.message).toMatch(/possible again in (9|10) min/);
    expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);
  });

  it("marks Zoho's Access Denied as throttled until the end of its window", async () => {
    const id = await h.connect();
    await engine.refreshConnection(id, manual);
    const firstMint = (await row(id)).lastRefreshAt!.getTime();
    await h.sandbox.admin("POST", "faults", { token: { throttle: true, count: 1 } });
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "zoho", zohoKind: "throttled" });
    expect((await row(id)).throttledUntil!.getTime()).toBe(firstMint + 10 * 60_000);
    expect((await statusOf(id)).kind).toBe("throttled");
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "throttled" });
  });

  it("hands out the stored token while valid and refreshes an expired one", async () => {
    const id = await h.connect();
    const stored = await token(id);
    const before = await h.counters();
    expect(await engine.getAccessToken(id)).toBe(stored);
    expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);
    const c = schema.connections;
    await dbm.getDb().update(c).set({ accessTokenExpiresAt: new Date(Date.now() - 1000) }).where(drizzle.eq(c.id, id));
    expect((await statusOf(id)).kind).toBe("expired_refreshable");
    const fresh = await engine.getAccessToken(id);
    expect(fresh).not.toBe(stored);
    expect((await row(id)).accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });
});

describe("refresh racing a reconnect", () => {
  it("drops a token minted from the replaced refresh token instead of writing it over the new one", async () => {
    const id = await h.connect();
    const donor = await h.connect({ email: "eva@zylker.eu" });
    let fresh: ConnectionRow | undefined;
    onNextZohoCall("refresh", async () => {
      fresh = await reconnectWithTokensOf(h, id, donor);
    });
    const { lastRefreshAt } = await row(id);
    const before = await h.counters();
    const result = await engine.refreshConnection(id, manual);
    expect(fresh).toBeDefined();
    // Zoho did mint from the old refresh token; the result was dropped, not stored.
    expect((await h.counters()).refreshMints - before.refreshMints).toBe(1);
    expect(await row(id)).toMatchObject({ refreshTokenEnc: fresh!.refreshTokenEnc, accessTokenEnc: fresh!.accessTokenEnc, lastRefreshAt, leaseOwner: null });
    expect(result).toEqual({ connectionId: id, accessToken: await token(donor), expiresAt: fresh!.accessTokenExpiresAt!.getTime(), refreshed: false });
  });

  it.each([
    ["invalid_code", { email: "ben@zylker.com" }, undefined],
    ["a 5xx", {}, { status: 503, count: 1 }],
    ["throttling", {}, { throttle: true, count: 1 }],
  ])("does not record %s about the replaced refresh token on the reconnected connection", async (_, who, fault) => {
    const id = await h.connect(who);
    const donor = await h.connect({ email: "eva@zylker.eu" });
    if (fault) await h.sandbox.admin("POST", "faults", { token: fault });
    onNextZohoCall("refresh", async () => {
      await reconnectWithTokensOf(h, id, donor);
      // The callback revokes the replaced refresh token at Zoho.
      if (!fault) await h.sandbox.admin("POST", "revoke-grants", { email: "ben@zylker.com", clientId: "1000.SANDBOXDEMOCLIENT0000000000001" });
    });
    const result = await engine.refreshConnection(id, manual);
    expect(result).toMatchObject({ accessToken: await token(donor), refreshed: false });
    expect(await refreshTokenOf(id)).toBe(await refreshTokenOf(donor));
    expect(await row(id)).toMatchObject({
      reauthReason: null,
      failureCount: 0,
      nextRetryAt: null,
      throttledUntil: null,
      lastErrorKind: null,
    });
    expect((await statusOf(id)).kind).toBe("active");
  });
});

describe("a stored token whose encryption key is gone", () => {
  it("records key_missing naming the key, waits an hour before retrying, and leaves the refresher's list", async () => {
    const id = await h.connect();
    const refreshToken = await refreshTokenOf(id);
    await set(id, { refreshTokenEnc: encryptUnderMissingKey(refreshToken, secrets.secretPlace.refreshToken(id)), accessTokenExpiresAt: new Date(Date.now() - 1000) });
    expect(await refresher.dueConnectionIds()).toContain(id);
    const before = await h.counters();
    const err = await engine.refreshConnection(id, { trigger: "background" }).catch((e) => e);
    expect(err).toMatchObject({ name: "TokenError", kind: "key_missing" });
    expect(err.message).toContain(`key "${MISSING_KEY_ID}"`);
    expect(err.advice).toMatch(/ENCRYPTION_KEYS_PREVIOUS, or reconnect/);
    expect(err.until).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);

    const r = await row(id);
    expect(r).toMatchObject({ lastErrorKind: "key_missing", failureCount: 1 });
    expect(r.lastErrorMessage).toContain(`"${MISSING_KEY_ID}"`);
    expect(r.lastErrorMessage).toContain("ENCRYPTION_KEYS_PREVIOUS");
    expect(r.lastErrorMessage).not.toContain(refreshToken);
    expect(r.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    // The refresher no longer picks it up every tick; a background call backs off.
    expect(await refresher.dueConnectionIds()).not.toContain(id);
    await expect(engine.refreshConnection(id, { trigger: "background" })).rejects.toMatchObject({ kind: "backing_off" });
    const s = await statusOf(id);
    expect(s).toMatchObject({ kind: "refresh_failing", label: "Stored secret unreadable" });
    expect(s.nextAction).toMatch(/^Restore the key or reconnect/);
    // A person pressing Refresh gets the same plain error, not a server error.
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "key_missing" });
    expect((await row(id)).failureCount).toBe(2);
  });

  it("refreshes an access token it cannot decrypt when the refresh token is readable", async () => {
    const id = await h.connect();
    const stored = await token(id);
    await set(id, { accessTokenEnc: encryptUnderMissingKey(stored, secrets.secretPlace.accessToken(id)) });
    const fresh = await engine.getAccessToken(id);
    expect(fresh).not.toBe(stored);
    expect(await token(id)).toBe(fresh);
    expect((await row(id)).lastErrorKind).toBeNull();
  });
});
