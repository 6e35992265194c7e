// Stored secrets are bound to their table, column and row: a ciphertext moved to another place
// (a swapped refresh token, a client secret pasted into another client) must fail safely,
// with a clear error and without sending anything to Zoho.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConnectionRow } from "@/db/schema";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
const { engine, revoke, secrets, dbm, schema, drizzle } = await importTokenModules();
const { startAuthorization } = await import("@/lib/authorization/start");
const { discoverForConnection } = await import("@/lib/authorization/binding");
const { loadConnection } = await import("@/lib/connections/queries");
afterAll(() => h.close());
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});
afterEach(() => {
  vi.restoreAllMocks();
});

const { secretPlace: place } = secrets;
const c = schema.connections;
const row = async (id: number) => (await loadConnection(id))!;
const set = async (id: number, values: Partial<ConnectionRow>) => {
  await dbm.getDb().update(c).set(values).where(drizzle.eq(c.id, id));
};
const refreshTokenOf = async (id: number) => secrets.decryptSecret((await row(id)).refreshTokenEnc!, place.refreshToken(id));
const accessTokenOf = async (id: number) => secrets.decryptSecret((await row(id)).accessTokenEnc!, place.accessToken(id));
const lookup = async (token: string) => (await h.sandbox.admin("GET", `tokens?token=${encodeURIComponent(token)}`)).body;
const manual = { trigger: "manual" as const, ignoreBackoff: true };

/** Every request the console sends to the sandbox while `run` runs: URL, Authorization header and body. */
async function requestsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const bodies: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const auth = new Headers(input instanceof Request ? input.headers : init?.headers).get("authorization") ?? "";
    if (url.startsWith(h.sandbox.url) && !url.includes("/__admin")) bodies.push(`${url} ${auth} ${init?.body ?? ""}`);
    return real(input, init);
  });
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return bodies;
}

describe("two connections' refresh tokens swapped in the database", () => {
  it("refuses to refresh either, says the stored token does not belong there, and sends nothing to Zoho", async () => {
    const a = await h.connect({ name: "swap-a" });
    const b = await h.connect({ name: "swap-b", email: "eva@zylker.eu" });
    const rtA = await refreshTokenOf(a);
    const rtB = await refreshTokenOf(b);
    const encA = (await row(a)).refreshTokenEnc!;
    const encB = (await row(b)).refreshTokenEnc!;
    await set(a, { refreshTokenEnc: encB, accessTokenExpiresAt: new Date(Date.now() - 1000) });
    await set(b, { refreshTokenEnc: encA, accessTokenExpiresAt: new Date(Date.now() - 1000) });

    const before = await h.counters();
    const errors: unknown[] = [];
    const sent = await requestsDuring(async () => {
      errors.push(await engine.refreshConnection(a, manual).catch((e) => e));
      errors.push(await engine.refreshConnection(b, manual).catch((e) => e));
      // The service API's path (token expired → refresh) then waits out the hour like any failure.
      await expect(engine.getValidToken(a)).rejects.toMatchObject({ kind: "backing_off" });
    });
    expect(sent).toEqual([]);
    expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);
    expect(errors).toHaveLength(2);
    for (const err of errors) {
      expect(err).toMatchObject({ name: "TokenError", kind: "key_missing", message: /stored refresh token does not belong here or cannot be read/ });
      expect(String((err as Error).message)).not.toContain(rtA);
      expect(String((err as Error).message)).not.toContain(rtB);
    }

    for (const id of [a, b]) {
      const r = await row(id);
      expect(r).toMatchObject({ lastErrorKind: "key_missing" });
      expect(r.lastErrorMessage).toMatch(/does not belong here.*reconnect/);
      expect(r.lastErrorMessage).not.toContain(rtA);
      expect(r.lastErrorMessage).not.toContain(rtB);
    }
    // Neither token was used or touched at Zoho.
    expect((await lookup(rtA)).status).toBe("live");
    expect((await lookup(rtB)).status).toBe("live");

    // Put back where they belong, both refresh again.
    await set(a, { refreshTokenEnc: encA });
    await set(b, { refreshTokenEnc: encB });
    await expect(engine.refreshConnection(a, manual)).resolves.toMatchObject({ refreshed: true });
    await expect(engine.refreshConnection(b, manual)).resolves.toMatchObject({ refreshed: true });
    expect(await row(a)).toMatchObject({ lastErrorKind: null, failureCount: 0 });
  });

  it("does not send the other connection's token when revoking", async () => {
    const a = await h.connect({ name: "revoke-a" });
    const b = await h.connect({ name: "revoke-b", email: "eva@zylker.eu" });
    const rtB = await refreshTokenOf(b);
    await set(a, { refreshTokenEnc: (await row(b)).refreshTokenEnc });
    const sent = await requestsDuring(() => revoke.revokeConnection(a, { type: "user", id: h.admin.id, label: h.admin.email }).catch(() => undefined));
    expect(sent.join("\n")).not.toContain(encodeURIComponent(rtB));
    expect(sent.join("\n")).not.toContain(rtB);
    expect((await lookup(rtB)).status).toBe("live");
  });
});

describe("an access token moved to another connection", () => {
  it("is never handed out for the wrong connection; a refresh replaces it", async () => {
    const a = await h.connect({ name: "access-a" });
    const b = await h.connect({ name: "access-b", email: "eva@zylker.eu" });
    const atB = await accessTokenOf(b);
    await set(a, { accessTokenEnc: (await row(b)).accessTokenEnc });
    const got = await engine.getAccessToken(a);
    expect(got).not.toBe(atB);
    expect(await accessTokenOf(a)).toBe(got);
  });

  // The binding page used to refuse ("the token cannot be read"); it now takes its token through
  // the engine like every other caller, so the unreadable one is refreshed and the page works.
  it("makes the binding page refresh it and discover with the connection's own new token", async () => {
    const a = await h.connect({ name: "bind-a", scopes: ["Desk.tickets.READ", "Desk.basic.READ", "AaaServer.profile.READ"] });
    const b = await h.connect({ name: "bind-b", email: "eva@zylker.eu" });
    const atB = await accessTokenOf(b);
    await set(a, { accessTokenEnc: (await row(b)).accessTokenEnc });
    const before = await h.counters();
    let load: Awaited<ReturnType<typeof discoverForConnection>> | undefined;
    const sent = await requestsDuring(async () => {
      load = await discoverForConnection(a, { type: "user", id: h.admin.id, label: h.admin.email });
    });
    expect(load).toMatchObject({ ok: true, connection: { id: a, name: "bind-a" }, services: ["desk"], options: { desk: { ok: true } } });
    expect((await h.counters()).refreshMints - before.refreshMints).toBe(1);
    const fresh = await accessTokenOf(a);
    expect(fresh).not.toBe(atB);
    // The other connection's token went nowhere; the discovery used the refreshed one.
    expect(sent.join("\n")).not.toContain(atB);
    expect(sent.some((r) => r.includes(`Zoho-oauthtoken ${fresh}`)), sent.join("\n")).toBe(true);
    // What the page gets names the connection but carries no token or ciphertext.
    const shown = JSON.stringify(load);
    expect(shown).not.toContain(fresh);
    expect(shown).not.toContain((await row(a)).accessTokenEnc!);
    expect((await row(a)).lastErrorKind).toBeNull();
  });
});

describe("a client secret moved to another client", () => {
  it("stops a new authorization with a clear message and a refresh with key_missing, without calling Zoho", async () => {
    const clients = schema.zohoClients;
    const db = dbm.getDb();
    const [{ secretEnc: demoEnc }] = await db.select().from(clients).where(drizzle.eq(clients.id, h.demo.id));
    const [{ secretEnc: selfEnc }] = await db.select().from(clients).where(drizzle.eq(clients.id, h.self.id));
    const id = await h.connect({ name: "client-moved" });
    await set(id, { accessTokenExpiresAt: new Date(Date.now() - 1000) });
    await db.update(clients).set({ secretEnc: selfEnc }).where(drizzle.eq(clients.id, h.demo.id));
    try {
      await expect(
        startAuthorization(h.admin, { clientRef: h.demo.id, scopes: ["Desk.tickets.READ"], accessType: "offline", name: "x" }, null),
      ).rejects.toMatchObject({ name: "ClientSecretUnreadable", message: expect.stringMatching(/does not belong to this client.*Enter the client secret again/) });
      const before = await h.counters();
      const sent = await requestsDuring(async () => {
        await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({
          kind: "key_missing",
          message: /client secret of this connection's Zoho client does not belong here/,
          advice: /enter the client secret again/,
        });
      });
      expect(sent).toEqual([]);
      expect((await h.counters()).tokenEndpointCalls).toBe(before.tokenEndpointCalls);
    } finally {
      await db.update(clients).set({ secretEnc: demoEnc }).where(drizzle.eq(clients.id, h.demo.id));
    }
    await expect(engine.refreshConnection(id, manual)).resolves.toMatchObject({ refreshed: true });
  });
});
