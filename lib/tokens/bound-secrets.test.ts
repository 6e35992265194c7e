// Stored secrets are bound to their table, column and row: a ciphertext moved to another place
// (a swapped refresh token, a client secret pasted into another client) must fail safely,
// with a clear error and without sending anything to Zoho.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConnectionRow } from "@/db/schema";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
const { engine, revoke, secrets, dbm, schema, drizzle } = await importTokenModules();
const { startAuthorization } = await import("@/lib/connect/start");
const { discoverForConnection, bindingUnavailableMessage } = await import("@/lib/connect/binding");
afterAll(() => h.close());
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});
afterEach(() => {
  vi.restoreAllMocks();
});

const { secretPlace: place } = secrets;
const c = schema.connections;
const row = (id: number) => engine.loadConnection(id)!;
const set = (id: number, values: Partial<ConnectionRow>) => dbm.getDb().update(c).set(values).where(drizzle.eq(c.id, id)).run();
const refreshTokenOf = (id: number) => secrets.decryptSecret(row(id).refreshTokenEnc!, place.refreshToken(id));
const accessTokenOf = (id: number) => secrets.decryptSecret(row(id).accessTokenEnc!, place.accessToken(id));
const lookup = async (token: string) => (await h.sandbox.admin("GET", `tokens?token=${encodeURIComponent(token)}`)).body;
const manual = { trigger: "manual" as const, ignoreBackoff: true };

/** Every request body the console sends to the sandbox while `run` runs. */
async function requestsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const bodies: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(h.sandbox.url) && !url.includes("/__admin")) bodies.push(`${url} ${init?.body ?? ""}`);
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
    const rtA = refreshTokenOf(a);
    const rtB = refreshTokenOf(b);
    const encA = row(a).refreshTokenEnc!;
    const encB = row(b).refreshTokenEnc!;
    set(a, { refreshTokenEnc: encB, accessTokenExpiresAt: new Date(Date.now() - 1000) });
    set(b, { refreshTokenEnc: encA, accessTokenExpiresAt: new Date(Date.now() - 1000) });

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
      const r = row(id);
      expect(r).toMatchObject({ lastErrorKind: "key_missing" });
      expect(r.lastErrorMessage).toMatch(/does not belong here.*reconnect/);
      expect(r.lastErrorMessage).not.toContain(rtA);
      expect(r.lastErrorMessage).not.toContain(rtB);
    }
    // Neither token was used or touched at Zoho.
    expect((await lookup(rtA)).status).toBe("live");
    expect((await lookup(rtB)).status).toBe("live");

    // Put back where they belong, both refresh again.
    set(a, { refreshTokenEnc: encA });
    set(b, { refreshTokenEnc: encB });
    await expect(engine.refreshConnection(a, manual)).resolves.toMatchObject({ refreshed: true });
    await expect(engine.refreshConnection(b, manual)).resolves.toMatchObject({ refreshed: true });
    expect(row(a)).toMatchObject({ lastErrorKind: null, failureCount: 0 });
  });

  it("does not send the other connection's token when revoking", async () => {
    const a = await h.connect({ name: "revoke-a" });
    const b = await h.connect({ name: "revoke-b", email: "eva@zylker.eu" });
    const rtB = refreshTokenOf(b);
    set(a, { refreshTokenEnc: row(b).refreshTokenEnc });
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
    const atB = accessTokenOf(b);
    set(a, { accessTokenEnc: row(b).accessTokenEnc });
    const got = await engine.getAccessToken(a);
    expect(got).not.toBe(atB);
    expect(accessTokenOf(a)).toBe(got);
  });

  it("makes the binding page say the token cannot be read instead of failing", async () => {
    const a = await h.connect({ name: "bind-a" });
    const b = await h.connect({ name: "bind-b", email: "eva@zylker.eu" });
    set(a, { accessTokenEnc: row(b).accessTokenEnc });
    const load = await discoverForConnection(a);
    expect(load).toMatchObject({ ok: false, reason: "unreadable" });
    expect(bindingUnavailableMessage("unreadable")).toMatch(/cannot be read.*does not belong to this connection/);
  });
});

describe("a client secret moved to another client", () => {
  it("stops a new authorization with a clear message and a refresh with key_missing, without calling Zoho", async () => {
    const clients = schema.zohoClients;
    const db = dbm.getDb();
    const demoEnc = db.select().from(clients).where(drizzle.eq(clients.id, h.demo.id)).get()!.secretEnc;
    const selfEnc = db.select().from(clients).where(drizzle.eq(clients.id, h.self.id)).get()!.secretEnc;
    const id = await h.connect({ name: "client-moved" });
    set(id, { accessTokenExpiresAt: new Date(Date.now() - 1000) });
    db.update(clients).set({ secretEnc: selfEnc }).where(drizzle.eq(clients.id, h.demo.id)).run();
    try {
      expect(() =>
        startAuthorization(h.admin, { clientRef: h.demo.id, scopes: ["Desk.tickets.READ"], accessType: "offline", name: "x" }, null),
      ).toThrow(expect.objectContaining({ name: "ClientSecretUnreadable", message: expect.stringMatching(/does not belong to this client.*Enter the client secret again/) }));
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
      db.update(clients).set({ secretEnc: demoEnc }).where(drizzle.eq(clients.id, h.demo.id)).run();
    }
    await expect(engine.refreshConnection(id, manual)).resolves.toMatchObject({ refreshed: true });
  });
});
