import { readFileSync } from "node:fs";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_SECRET, EU_USER, MULTI_USER, SEED_ORGS, SINGLE_USER } from "@/sandbox/seed";
import { REDIRECT_URI } from "@/sandbox/test-support";
import type { ConnectionRow } from "@/db/schema";
import { onPostgres } from "@/test/engine";
import { consentAt, startSandboxHarness } from "@/test/sandbox-harness";

const t = await startSandboxHarness();
const { startAuthorization, startReconnect } = await import("./start");
const { handleCallback } = await import("./callback");
const { attemptForUser } = await import("./attempts");
const { discoverForConnection, saveBinding } = await import("./binding");
const { loadConnection } = await import("@/lib/connections/queries");
const { actorOf } = await import("@/lib/audit");
const { config } = await import("@/lib/config");
const { eq } = await import("drizzle-orm");
const { decryptSecret, secretPlace } = await import("@/lib/secrets");
const { parseCallbackParams, refreshAccessToken } = await import("@/lib/zoho");
const { reconnectSchema } = await import("./schemas");
const { rawExec, rawQuery } = await import("@/test/db-kit");
const { redirectLog } = await import("@/lib/log");
const { revokeConnection } = await import("@/lib/tokens/revoke");
const { retryAttempt } = await import("./retry");

afterAll(() => t.close());
beforeEach(async () => {
  await t.sandbox.admin("POST", "reset");
  await t.sandbox.admin("POST", "limits", { codesPerClientPerWindow: 1000, refreshTokensPerUserPerClientPerWindow: 1000 });
});

const DESK_SALESIQ = ["Desk.basic.READ", "SalesIQ.portals.READ", "AaaServer.profile.READ"];

async function authorize(opts: {
  email: string;
  scopes?: string[];
  user?: typeof t.admin;
  reconnectId?: number;
  assistOrg?: string;
  decision?: "accept" | "deny";
  accessType?: "offline" | "online";
  acceptEviction?: boolean;
}) {
  const user = opts.user ?? t.admin;
  const { url, attemptId } = opts.reconnectId
    ? await startReconnect(user, opts.reconnectId, opts.scopes ?? DESK_SALESIQ, null, { acceptEviction: opts.acceptEviction })
    : await startAuthorization(
        user,
        {
          clientRef: t.demo.id,
          scopes: opts.scopes ?? DESK_SALESIQ,
          accessType: opts.accessType ?? "offline",
          name: "Support",
          acceptEviction: opts.acceptEviction,
        },
        null,
      );
  const callback = await consentAt(t.driver, url, { email: opts.email, assistOrg: opts.assistOrg, decision: opts.decision });
  return { url, attemptId, callback };
}

/** The sandbox's record of every refresh token a user holds for the demo client, oldest first. */
const grantsOf = async (email: string) =>
  (await t.sandbox.admin("GET", `tokens?email=${email}&clientId=${t.demo.clientId}`)).body as {
    liveRefreshTokens: number;
    refreshTokens: { token: string; live: boolean }[];
  };
const stillRefreshes = (conn: ConnectionRow) =>
  refreshAccessToken({
    accountsServer: conn.accountsServer,
    clientId: t.demo.clientId,
    clientSecret: DEMO_CLIENT_SECRET,
    refreshToken: decryptSecret(conn.refreshTokenEnc!, secretPlace.refreshToken(conn.id)),
    timeoutMs: 3000,
  });

const connectionCount = async () => (await t.db.select({ id: t.schema.connections.id }).from(t.schema.connections)).length;
/**
 * Every row of every console table as the database returns it, as one text: what anyone reading
 * the database (or a dump of it) would see.
 */
async function everyStoredRow(): Promise<string> {
  const tables = await rawQuery<{ name: string }>({
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'table'",
    postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  });
  const rows = await Promise.all(tables.map((table) => rawQuery(`SELECT * FROM "${table.name}"`)));
  return JSON.stringify(rows);
}
/** The connection as stored: the one accessor for a full row. */
const stored = async (id: number) => (await loadConnection(id))!;

describe("authorization start", () => {
  it("starts at the US accounts server for a multi-DC client, with a hashed single-use state and prompt=consent", async () => {
    const { url, attemptId } = await startAuthorization(t.admin, { clientRef: t.demo.id, scopes: DESK_SALESIQ, accessType: "offline", name: "x" }, null);
    const u = new URL(url);
    expect(u.href.startsWith(`${t.sandbox.url}/us/accounts/oauth/v2/auth?`)).toBe(true);
    expect(u.searchParams.get("prompt")).toBe("consent");
    expect(u.searchParams.get("access_type")).toBe("offline");
    expect(u.searchParams.get("redirect_uri")).toBe(`${config().CONSOLE_PUBLIC_URL}/api/oauth/callback`);
    const state = u.searchParams.get("state")!;
    const row = (await attemptForUser(attemptId, t.admin.id))!.attempt;
    expect(row.stateHash).not.toContain(state);
    expect(row.stateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it("refuses a self client", async () => {
    await expect(startAuthorization(t.admin, { clientRef: t.self.id, scopes: DESK_SALESIQ, accessType: "offline", name: "x" }, null)).rejects.toThrow(
      /Self clients/,
    );
  });
});

describe("callback", () => {
  it("exchanges the code, stores encrypted tokens and waits for the org choice when there are several", async () => {
    const { callback, attemptId } = await authorize({ email: MULTI_USER.email });
    const res = await handleCallback({ params: callback.searchParams, user: t.admin, ip: "127.0.0.1" });
    const { outcome } = (await attemptForUser(attemptId, t.admin.id))!;
    expect(outcome?.status).toBe("connected");
    if (outcome?.status !== "connected") return;
    expect(res.location).toBe(`/connections/${outcome.connectionId}/binding?attempt=${attemptId}`);
    expect(outcome.needsBinding.sort()).toEqual(["desk", "salesiq"]);
    const conn = await stored(outcome.connectionId);
    expect(conn.zuid).toBe(MULTI_USER.zuid);
    expect(conn.location).toBe("us");
    expect(conn.accountsServer).toBe(`${t.sandbox.url}/us/accounts`);
    expect(conn.apiDomain).toBe(`${t.sandbox.url}/us/zohoapis`);
    expect(conn.scopesGranted).toEqual(expect.arrayContaining(DESK_SALESIQ));
    const tokens = (await t.sandbox.admin("GET", `tokens?email=${MULTI_USER.email}&clientId=${t.demo.clientId}`)).body;
    const rt: string = tokens.refreshTokens[0].token;
    expect(conn.refreshTokenEnc).not.toContain(rt);
    expect(conn.refreshTokenLast4).toBe(rt.slice(-4));
    // Not in any row of any table, as the database returns them (its ciphertext is there)…
    const everything = await everyStoredRow();
    expect(everything).toContain(conn.refreshTokenEnc!);
    expect(everything).not.toContain(rt);
    // …nor, on SQLite, anywhere in the file or its WAL (PostgreSQL's files are the server's own).
    if (!onPostgres) {
      const dbBytes = readFileSync(config().databaseFile).toString("latin1") + readFileSync(`${config().databaseFile}-wal`).toString("latin1");
      expect(dbBytes).not.toContain(rt);
    }
    const mints = await t.db.select().from(t.schema.tokenMints).where(eq(t.schema.tokenMints.connectionId, conn.id));
    expect(mints.map((m) => m.grantType)).toEqual(["authorization_code"]);

    await saveBinding(t.admin, conn.id, { desk: SEED_ORGS.deskZylkerLabs, salesiq: SEED_ORGS.salesiqZylkerChat }, null);
    expect((await stored(conn.id)).orgBinding).toMatchObject({
      desk: { orgId: SEED_ORGS.deskZylkerLabs, name: "Zylker Labs" },
      salesiq: { screenName: SEED_ORGS.salesiqZylkerChat },
    });
    await expect(saveBinding(t.admin, conn.id, { desk: "999" }, null)).rejects.toThrow(/Desk organisations listed/);
    const audit = JSON.stringify(await t.db.select().from(t.schema.auditEvents));
    expect(audit).not.toContain(rt);
    expect(audit).not.toContain(callback.searchParams.get("code")!);
  });

  it("binds automatically when each service offers one option, and binds Assist to the org chosen at consent", async () => {
    const ben = await authorize({ email: SINGLE_USER.email, scopes: [...DESK_SALESIQ, "ZohoAssist.userapi.READ"] });
    const r1 = await handleCallback({ params: ben.callback.searchParams, user: t.admin, ip: null });
    expect(r1.location).toBe(`/connections/result?attempt=${ben.attemptId}`);
    const ada = await authorize({ email: MULTI_USER.email, scopes: ["ZohoAssist.userapi.READ", "AaaServer.profile.READ"], assistOrg: SEED_ORGS.assistSandbox });
    await handleCallback({ params: ada.callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(ada.attemptId, t.admin.id))!.outcome;
    if (out?.status !== "connected") throw new Error("not connected");
    expect((await stored(out.connectionId)).orgBinding.assist).toMatchObject({
      orgId: SEED_ORGS.assistSandbox,
      environment: "Sandbox",
      departmentName: "QA",
    });
  });

  it("completes a connect when Zoho's callback URL ends in a stray &", async () => {
    await t.sandbox.admin("POST", "limits", { strayAmpersand: true });
    const { callback, attemptId } = await authorize({ email: SINGLE_USER.email });
    expect(callback.href.endsWith("&")).toBe(true);
    // The route hands over the request URL's own search params, parsed from the raw URL.
    const res = await handleCallback({ params: new URL(callback.href).searchParams, user: t.admin, ip: null });
    expect(res.location).toBe(`/connections/result?attempt=${attemptId}`);
    const out = (await attemptForUser(attemptId, t.admin.id))!.outcome;
    expect(out?.status).toBe("connected");
  });

  it("keeps a Desk connection without Desk.basic.READ and says plainly to add it to choose an organisation", async () => {
    const { callback, attemptId } = await authorize({ email: SINGLE_USER.email, scopes: ["Desk.tickets.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(attemptId, t.admin.id))!.outcome;
    if (out?.status !== "connected") throw new Error("not connected");
    const load = await discoverForConnection(out.connectionId, actorOf(t.admin));
    if (!load.ok) throw new Error(load.reason);
    // The page gets the connection's name and binding, never its row with the ciphertexts.
    expect(load.connection).toEqual({ id: out.connectionId, name: "Support", binding: {} });
    expect(load.options.desk).toEqual({
      ok: false,
      message: "The token lacks Desk.basic.READ, which this call needs.",
      advice: "Add Desk.basic.READ to choose a Desk organisation: reconnect with Desk.basic.READ added to the connection's scopes.",
    });
  });

  it("knows China from its own data-centre table, though Zoho's serverinfo does not list it", async () => {
    const info = await (await fetch(`${t.sandbox.url}/us/accounts/oauth/serverinfo`)).json();
    expect(Object.keys(info.locations)).not.toContain("cn");
    const query = `state=abcdefgh12345678&code=1000.${"a".repeat(32)}.${"b".repeat(32)}&location=cn&accounts-server=${encodeURIComponent(`${t.sandbox.url}/cn/accounts`)}&`;
    const parsed = parseCallbackParams(query, { realm: "sandbox", sandboxBaseUrl: t.sandbox.url });
    expect(parsed).toMatchObject({ kind: "success", location: "cn", accountsServer: `${t.sandbox.url}/cn/accounts` });
    const live = parseCallbackParams(`state=abcdefgh12345678&code=1000.${"a".repeat(32)}.${"b".repeat(32)}&location=cn&accounts-server=https%3A%2F%2Faccounts.zoho.com.cn`, { realm: "live" });
    expect(live).toMatchObject({ kind: "success", location: "cn", accountsServer: "https://accounts.zoho.com.cn" });
    if (live.kind === "success") expect(live.dataCentre.products.desk).toBe("https://desk.zoho.com.cn");
  });

  it("an eu account through the multi-DC client ends on the eu accounts server", async () => {
    const { callback, attemptId } = await authorize({ email: EU_USER.email });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(attemptId, t.admin.id))!.outcome;
    if (out?.status !== "connected") throw new Error("not connected");
    const conn = await stored(out.connectionId);
    expect(conn.location).toBe("eu");
    expect(conn.accountsServer).toBe(`${t.sandbox.url}/eu/accounts`);
    expect(conn.apiDomain).toBe(`${t.sandbox.url}/eu/zohoapis`);
  });

  it("refuses a replay, another user's state, an expired attempt and a missing state", async () => {
    const { callback } = await authorize({ email: SINGLE_USER.email });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    const n = await connectionCount();
    expect((await handleCallback({ params: callback.searchParams, user: t.admin, ip: null })).location).toBe("/connections/result?error=used_state");

    const other = await t.mkUser(`op-${Date.now()}@console.test`, "operator");
    const second = await authorize({ email: SINGLE_USER.email });
    expect((await handleCallback({ params: second.callback.searchParams, user: other, ip: null })).location).toBe(
      "/connections/result?error=other_user",
    );
    // Burnt: not even its owner may use it now.
    expect((await handleCallback({ params: second.callback.searchParams, user: t.admin, ip: null })).location).toBe(
      "/connections/result?error=used_state",
    );

    const third = await authorize({ email: SINGLE_USER.email });
    await t.db.update(t.schema.oauthAttempts).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(t.schema.oauthAttempts.id, third.attemptId));
    expect((await handleCallback({ params: third.callback.searchParams, user: t.admin, ip: null })).location).toBe(
      "/connections/result?error=expired_state",
    );
    const noState = new URLSearchParams(third.callback.searchParams);
    noState.delete("state");
    expect((await handleCallback({ params: noState, user: t.admin, ip: null })).location).toBe("/connections/result?error=missing_state");
    const viewer = await t.mkUser(`viewer-${Date.now()}@console.test`, "viewer");
    expect((await handleCallback({ params: third.callback.searchParams, user: viewer, ip: null })).location).toBe("/connections/result?error=forbidden");
    expect(await connectionCount()).toBe(n);
  });

  it("explains Deny, an expired code and a forged accounts server, storing nothing and calling nobody", async () => {
    const n = await connectionCount();
    const denied = await authorize({ email: SINGLE_USER.email, decision: "deny" });
    await handleCallback({ params: denied.callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(denied.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "access_denied" });

    const late = await authorize({ email: SINGLE_USER.email });
    await t.sandbox.admin("POST", "clock", { advanceSeconds: 600 });
    await handleCallback({ params: late.callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(late.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "zoho_invalid_code" });
    await t.sandbox.admin("POST", "clock", { offsetSeconds: 0 });

    const forged = await authorize({ email: SINGLE_USER.email });
    const params = new URLSearchParams(forged.callback.searchParams);
    params.set("accounts-server", "https://accounts.zoho.evil.example");
    const before = (await t.sandbox.admin("GET", "counters")).body.tokenEndpointCalls;
    await handleCallback({ params, user: t.admin, ip: null });
    expect((await attemptForUser(forged.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "forged_accounts_server" });
    expect((await t.sandbox.admin("GET", "counters")).body.tokenEndpointCalls).toBe(before);
    expect(await connectionCount()).toBe(n);
  });

  it("explains a slow Zoho and a wrong client secret without storing anything", async () => {
    const n = await connectionCount();
    const slow = await authorize({ email: SINGLE_USER.email });
    await t.sandbox.admin("POST", "faults", { token: { delayMs: 3500, count: 1 } });
    await handleCallback({ params: slow.callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(slow.attemptId, t.admin.id))!.outcome;
    expect(out).toMatchObject({ status: "failed", code: "zoho_timeout" });
    await t.sandbox.admin("DELETE", "faults");

    // The secret was replaced in Zoho's console; the console still holds the old one.
    await t.sandbox.admin("PATCH", `clients/${t.demo.clientId}`, { clientSecret: "0123456789abcdef0123456789abcdef0123456789" });
    const { url, attemptId } = await startAuthorization(t.admin, { clientRef: t.demo.id, scopes: DESK_SALESIQ, accessType: "offline", name: "x" }, null);
    const callback = await consentAt(t.driver, url, { email: SINGLE_USER.email });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    const bad = (await attemptForUser(attemptId, t.admin.id))!.outcome;
    expect(bad).toMatchObject({ status: "failed", code: "zoho_invalid_client_secret" });
    if (bad?.status === "failed") expect(JSON.stringify(bad)).not.toContain(callback.searchParams.get("code")!);
    expect(await connectionCount()).toBe(n);
  });

  it("says which DC a client is not enabled in", async () => {
    // Zoho has the client everywhere; the console was told it lives in us only.
    const zoho = await t.sandbox.admin("POST", "clients", {
      name: "US only",
      type: "server",
      redirectUris: [REDIRECT_URI],
      homepage: "https://example.test",
      homeDc: "us",
      enabledDcs: "all",
      ownerEmail: MULTI_USER.email,
    });
    const narrow = await (await import("@/lib/clients")).createClient(
      {
        name: `US only ${Date.now()}`,
        realm: "sandbox",
        clientType: "server",
        clientId: zoho.body.clientId,
        clientSecret: zoho.body.clientSecret,
        homeDc: "us",
        multiDc: false,
        enabledDcs: [],
        description: "",
      },
      t.admin.id,
    );
    const { url, attemptId } = await startAuthorization(t.admin, { clientRef: narrow.id, scopes: DESK_SALESIQ, accessType: "offline", name: "x" }, null);
    const callback = await consentAt(t.driver, url, { email: EU_USER.email });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "dc_not_enabled", location: "eu" });
  });
});

describe("reconnect and budget", () => {
  it("a reconnect that adds a scope keeps the connection id and replaces the tokens", async () => {
    const first = await authorize({ email: SINGLE_USER.email, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: first.callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(first.attemptId, t.admin.id))!.outcome;
    if (out?.status !== "connected") throw new Error("not connected");
    const before = await stored(out.connectionId);
    await t.db.update(t.schema.connections).set({ failureCount: 3, reauthReason: "invalid_code" }).where(eq(t.schema.connections.id, before.id));

    const again = await authorize({ email: SINGLE_USER.email, reconnectId: before.id, scopes: ["Desk.basic.READ", "Desk.tickets.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: again.callback.searchParams, user: t.admin, ip: null });
    const out2 = (await attemptForUser(again.attemptId, t.admin.id))!.outcome;
    expect(out2).toMatchObject({ status: "connected", connectionId: before.id, reconnected: true });
    const after = await stored(before.id);
    expect(after.scopesGranted).toContain("Desk.tickets.READ");
    expect(after.refreshTokenEnc).not.toBe(before.refreshTokenEnc);
    expect(after.failureCount).toBe(0);
    expect(after.reauthReason).toBeNull();
    expect(after.orgBinding.desk?.orgId).toBe(SEED_ORGS.deskBen);
  });

  it("the 21st consent for one user needs a confirmation naming the connection it costs, then marks it evicted", async () => {
    const { evictionRisks, reconnectEvictions } = await import("./budget");
    const { connectionStatus } = await import("@/lib/connection-status");
    const { factsOf } = await import("@/lib/connections/queries");
    // The sandbox was reset: forget the tokens earlier tests left in the console.
    await t.db.update(t.schema.connections).set({ revokedAt: new Date() });
    const scopes = ["Desk.basic.READ", "AaaServer.profile.READ"];
    const consent = async (opts: { acceptEviction?: boolean; reconnectId?: number } = {}) => {
      const a = await authorize({ email: SINGLE_USER.email, scopes, ...opts });
      await handleCallback({ params: a.callback.searchParams, user: t.admin, ip: null });
      const out = (await attemptForUser(a.attemptId, t.admin.id))!.outcome;
      if (out?.status !== "connected") throw new Error(`consent failed: ${JSON.stringify(out)}`);
      return out;
    };
    const ids: number[] = [];
    let unfinished = 0;
    for (let i = 0; i < 20; i++) {
      if (i === 19) {
        // At 19 of 20 the wizard names the next in line, but a consent needs no confirmation yet.
        expect(await evictionRisks(t.demo.id)).toMatchObject([{ used: 19, oldest: { id: ids[0] } }]);
        unfinished = (await startAuthorization(t.admin, { clientRef: t.demo.id, scopes, accessType: "offline", name: "Support" }, null)).attemptId;
      }
      ids.push((await consent()).connectionId);
    }
    expect(await evictionRisks(t.demo.id)).toMatchObject([{ zohoEmail: SINGLE_USER.email, used: 20, oldest: { id: ids[0], name: "Support" } }]);

    // Unconfirmed, the 21st consent does not reach Zoho: the refusal names the connection.
    const attemptsBefore = (await t.db.select({ id: t.schema.oauthAttempts.id }).from(t.schema.oauthAttempts)).length;
    const refused = authorize({ email: SINGLE_USER.email, scopes });
    await expect(refused).rejects.toMatchObject({ name: "UserError", field: "acceptEviction" });
    await expect(refused).rejects.toThrow(`(#${ids[0]})`);
    expect((await t.db.select({ id: t.schema.oauthAttempts.id }).from(t.schema.oauthAttempts)).length).toBe(attemptsBefore);

    // "Try again" on an unfinished consent cannot ask: it says where the confirmation is made.
    await expect(retryAttempt(t.admin, unfinished, null)).rejects.toThrow(/Start it again from New connection, where you can confirm it\.$/);

    // A reconnect of another connection names the exact connection it costs (the oldest).
    expect(await reconnectEvictions({ id: ids[5], clientRef: t.demo.id, zuid: (await stored(ids[5])).zuid })).toEqual([{ id: ids[0], name: "Support" }]);
    await expect(authorize({ email: SINGLE_USER.email, scopes, reconnectId: ids[5] })).rejects.toMatchObject({ field: "acceptEviction" });
    // Reconnecting the oldest itself costs nobody else.
    expect(await reconnectEvictions({ id: ids[0], clientRef: t.demo.id, zuid: (await stored(ids[0])).zuid })).toEqual([]);

    const out = await consent({ acceptEviction: true });
    ids.push(out.connectionId);
    expect(out.evicted).toEqual([{ id: ids[0], name: "Support" }]);
    expect(out.budgetUsed).toBe(20);
    const evicted = await t.db.select().from(t.schema.connections).where(eq(t.schema.connections.reauthReason, "evicted")).orderBy(t.schema.connections.id);
    // The sandbox agrees: the oldest token it deleted is the one we marked.
    expect(evicted.map((c) => c.id)).toEqual([ids[0]]);
    const st = (await t.sandbox.admin("GET", `tokens?email=${SINGLE_USER.email}&clientId=${t.demo.clientId}`)).body;
    expect(st.liveRefreshTokens).toBe(20);
    // The evicted connection's status names the consent that evicted it.
    expect(evicted[0].evictedByRef).toBe(ids[20]);
    expect(connectionStatus(factsOf(evicted[0]), Date.now()).reason).toContain(`connection #${ids[20]} evicted this refresh token`);
    // Reconnecting it clears the mark.
    await consent({ reconnectId: ids[0], acceptEviction: true });
    expect(await stored(ids[0])).toMatchObject({ reauthReason: null, evictedByRef: null });
    // Leave no full budget behind for the tests that follow.
    await t.db.update(t.schema.connections).set({ revokedAt: new Date() });
  });
});

describe("self client", () => {
  it("exchanges a pasted code without a redirect URI and explains a bad one", async () => {
    const { exchangeSelfClientCode } = await import("./self-client");
    const minted = await t.sandbox.admin("POST", "codes", {
      clientId: t.self.clientId,
      email: MULTI_USER.email,
      scopes: "Desk.basic.READ,AaaServer.profile.READ",
      durationMinutes: 3,
      description: "test",
    });
    expect(minted.status).toBe(201);
    const ok = await exchangeSelfClientCode(
      t.admin,
      { clientRef: t.self.id, location: "us", scopes: ["Desk.basic.READ", "AaaServer.profile.READ"], code: minted.body.code, name: "Self" },
      null,
    );
    expect(ok).toMatchObject({ ok: true, needsBinding: true });
    const again = await exchangeSelfClientCode(
      t.admin,
      { clientRef: t.self.id, location: "us", scopes: ["Desk.basic.READ"], code: minted.body.code, name: "Self" },
      null,
    );
    expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/expired or was already used/) });
    if (!again.ok) expect(again.advice).toMatch(/3, 5, 7, 10 minutes/);
  });
});

describe("reconnect as the connection's own Zoho user only", () => {

  it("refuses another Zoho user even with the profile scope unticked: connection and its token untouched, new tokens revoked", async () => {
    const id = await t.connect({ email: MULTI_USER.email });
    const before = await stored(id);
    // What the reconnect action does with the form's fields when the box is unticked.
    const input = reconnectSchema.parse({ connectionId: String(id), scopes: "Desk.tickets.READ", includeProfile: "" });
    expect(input.scopes).toEqual(["Desk.tickets.READ"]);
    const { url, attemptId } = await startReconnect(t.admin, input.connectionId, input.scopes, null);
    expect(new URL(url).searchParams.get("scope")!.split(",")).toContain("AaaServer.profile.READ");
    expect((await attemptForUser(attemptId, t.admin.id))!.attempt.scopes).toContain("AaaServer.profile.READ");

    const callback = await consentAt(t.driver, url, { email: SINGLE_USER.email });
    expect((await handleCallback({ params: callback.searchParams, user: t.admin, ip: null })).location).toBe(
      `/connections/result?attempt=${attemptId}`,
    );
    expect((await attemptForUser(attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "reconnect_other_user" });
    expect(await loadConnection(id)).toEqual(before);
    await expect(stillRefreshes(before)).resolves.toMatchObject({ accessToken: expect.any(String) });
    const ben = await grantsOf(SINGLE_USER.email);
    expect(ben.refreshTokens).toHaveLength(1);
    expect(ben.liveRefreshTokens).toBe(0);
  });

  it("a connection without a Zoho user may still leave the profile scope out", async () => {
    const id = await t.connect({ email: SINGLE_USER.email });
    expect((await stored(id)).zuid).toBeNull();
    const { url } = await startReconnect(t.admin, id, ["Desk.tickets.READ"], null);
    expect(new URL(url).searchParams.get("scope")).toBe("Desk.tickets.READ");
  });

  it("refuses a reconnect whose consent does not say who consented, even the right user", async () => {
    const id = await t.connect({ email: MULTI_USER.email });
    const before = await stored(id);
    for (const email of [SINGLE_USER.email, MULTI_USER.email]) {
      // An attempt without the profile scope, as one started before it was required.
      const { url, attemptId } = await startAuthorization(
        t.admin,
        { clientRef: t.demo.id, scopes: ["Desk.tickets.READ"], accessType: "offline", name: before.name, reconnectId: id },
        null,
      );
      const callback = await consentAt(t.driver, url, { email });
      await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
      expect((await attemptForUser(attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "reconnect_other_user" });
    }
    expect(await loadConnection(id)).toEqual(before);
    expect((await grantsOf(SINGLE_USER.email)).liveRefreshTokens).toBe(0);
    expect((await grantsOf(MULTI_USER.email)).refreshTokens.map((r) => r.live)).toEqual([true, false]);
  });
});

describe("an unexpected error after Zoho answered", () => {
  /**
   * A real failure inside the store's transaction, as a busy or broken database would give: a
   * trigger that refuses the write, on SQLite (RAISE) and on PostgreSQL (a plpgsql function that
   * raises), with the same message.
   */
  async function withFailingTable<T>(table: "token_mints" | "connections", op: "INSERT" | "UPDATE", run: () => Promise<T>): Promise<T> {
    await rawExec({
      sqlite: `CREATE TRIGGER fail_store BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, 'database is locked'); END`,
      postgres: "CREATE FUNCTION fail_store() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database is locked'; END $$",
    });
    if (onPostgres) await rawExec(`CREATE TRIGGER fail_store BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION fail_store()`);
    try {
      return await run();
    } finally {
      await rawExec({ sqlite: "DROP TRIGGER fail_store", postgres: `DROP TRIGGER fail_store ON ${table}` });
      if (onPostgres) await rawExec("DROP FUNCTION fail_store()");
    }
  }

  const lastCallbackAudit = async (attemptId: number) =>
    (await t.db.select().from(t.schema.auditEvents).orderBy(t.schema.auditEvents.id)).filter(
      (e) => e.action === "connection.callback" && e.targetId === String(attemptId),
    );

  it("a new connection: nothing stored, the fresh tokens revoked, the attempt says internal and the callback still answers", async () => {
    const n = await connectionCount();
    const lines: string[] = [];
    const restoreLog = redirectLog({ write: (line: string) => void lines.push(line) }, "info");
    const { attemptId, callback } = await authorize({ email: SINGLE_USER.email });
    const res = await withFailingTable("token_mints", "INSERT", () =>
      handleCallback({ params: callback.searchParams, user: t.admin, ip: null }),
    );
    expect(res.location).toBe(`/connections/result?attempt=${attemptId}`);
    expect((await attemptForUser(attemptId, t.admin.id))!.outcome).toEqual({ status: "failed", code: "internal" });
    expect(await connectionCount()).toBe(n);
    const ben = await grantsOf(SINGLE_USER.email);
    expect(ben.refreshTokens).toHaveLength(1);
    expect(ben.liveRefreshTokens).toBe(0);
    expect((await lastCallbackAudit(attemptId)).at(-1)?.detail).toMatchObject({ reason: "internal", freshTokensRevoked: true });
    restoreLog();
    const logged = lines.join("\n");
    expect(logged).toContain("database is locked");
    expect(logged).not.toContain(ben.refreshTokens[0].token);
    expect(logged).not.toContain(callback.searchParams.get("code")!);
  });

  it("a reconnect: the connection and its working token are untouched, the fresh tokens revoked", async () => {
    const id = await t.connect({ email: MULTI_USER.email });
    const before = await stored(id);
    const lines: string[] = [];
    const restoreLog = redirectLog({ write: (line: string) => void lines.push(line) }, "info");
    const { attemptId, callback } = await authorize({ email: MULTI_USER.email, reconnectId: id });
    await withFailingTable("connections", "UPDATE", () => handleCallback({ params: callback.searchParams, user: t.admin, ip: null }));
    restoreLog();
    expect(lines.join("\n")).toContain("not stored after Zoho's answer");
    expect((await attemptForUser(attemptId, t.admin.id))!.outcome).toEqual({ status: "failed", code: "internal" });
    expect(await loadConnection(id)).toEqual(before);
    await expect(stillRefreshes(before)).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect((await grantsOf(MULTI_USER.email)).refreshTokens.map((r) => r.live)).toEqual([true, false]);
  });

  it("a reconnect whose old refresh token cannot be decrypted stores the new one and notes the old one stays live", async () => {
    const id = await t.connect({ email: MULTI_USER.email });
    const enc = (await stored(id)).refreshTokenEnc!.split(".");
    enc[1] = "retired"; // written under a key this console no longer has
    await t.db.update(t.schema.connections).set({ refreshTokenEnc: enc.join(".") }).where(eq(t.schema.connections.id, id));
    const { attemptId, callback } = await authorize({ email: MULTI_USER.email, reconnectId: id });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(attemptId, t.admin.id))!.outcome).toMatchObject({ status: "connected", connectionId: id, reconnected: true });
    const after = await stored(id);
    await expect(stillRefreshes(after)).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect((await grantsOf(MULTI_USER.email)).refreshTokens.map((r) => r.live)).toEqual([true, true]);
    const audit = (await t.db.select().from(t.schema.auditEvents).orderBy(t.schema.auditEvents.id)).filter(
      (e) => e.action === "connection.reconnect" && e.targetId === String(id),
    );
    expect(audit.at(-1)?.detail).toMatchObject({ oldRefreshTokenNotRevoked: true });
  });
});

describe("authorizing a revoked connection again", () => {
  const actor = { type: "user" as const, id: t.admin.id, label: t.admin.email };

  async function revokedConnection(email: string) {
    const first = await authorize({ email, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: first.callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(first.attemptId, t.admin.id))!.outcome;
    if (out?.status !== "connected") throw new Error("not connected");
    await revokeConnection(out.connectionId, actor);
    const row = await stored(out.connectionId);
    expect(row.revokedAt).not.toBeNull();
    expect(row.refreshTokenEnc).toBeNull();
    return row;
  }
  const mintsOf = (id: number) => t.db.select().from(t.schema.tokenMints).where(eq(t.schema.tokenMints.connectionId, id)).orderBy(t.schema.tokenMints.id);

  it("keeps the id, name, binding and history and stores new working tokens", async () => {
    const before = await revokedConnection(SINGLE_USER.email);
    const mintsBefore = await mintsOf(before.id);
    const again = await authorize({ email: SINGLE_USER.email, reconnectId: before.id, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: again.callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(again.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "connected", connectionId: before.id, reconnected: true });
    const after = await stored(before.id);
    expect(after).toMatchObject({ name: before.name, revokedAt: null, keepFresh: true, zuid: before.zuid });
    expect(after.orgBinding).toEqual(before.orgBinding);
    await expect(stillRefreshes(after)).resolves.toMatchObject({ accessToken: expect.any(String) });
    const mints = await mintsOf(before.id);
    expect(mints.length).toBe(mintsBefore.length + 1);
    expect(mints.filter((m) => m.endedAt === null).map((m) => m.via)).toEqual(["reconnect"]);
    expect(mints.filter((m) => m.via === "authorize").map((m) => m.endReason)).toEqual(["revoked"]);
    const actions = (await t.db.select().from(t.schema.auditEvents))
      .filter((e) => e.targetType === "connection" && e.targetId === String(before.id))
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["connection.create", "connection.revoke", "connection.reconnect_start", "connection.reconnect"]));
  });

  it("refuses another Zoho user and leaves the connection revoked", async () => {
    const before = await revokedConnection(SINGLE_USER.email);
    const again = await authorize({ email: MULTI_USER.email, reconnectId: before.id, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: again.callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(again.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "reconnect_other_user" });
    expect(await loadConnection(before.id)).toEqual(before);
    expect((await grantsOf(MULTI_USER.email)).liveRefreshTokens).toBe(0);
  });

  it("a connection revoked while Zoho's consent page was open stays revoked", async () => {
    const first = await authorize({ email: SINGLE_USER.email, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"] });
    await handleCallback({ params: first.callback.searchParams, user: t.admin, ip: null });
    const out = (await attemptForUser(first.attemptId, t.admin.id))!.outcome;
    if (out?.status !== "connected") throw new Error("not connected");
    const again = await authorize({ email: SINGLE_USER.email, reconnectId: out.connectionId, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"] });
    await new Promise((r) => setTimeout(r, 5));
    await revokeConnection(out.connectionId, actor);
    const revoked = await stored(out.connectionId);
    await handleCallback({ params: again.callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(again.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "failed", code: "reconnect_missing" });
    expect(await loadConnection(out.connectionId)).toEqual(revoked);
  });
});

describe("try again", () => {
  it("restarts a denied consent with the same client, scopes, access type and name, and only for its own user", async () => {
    const denied = await authorize({ email: SINGLE_USER.email, decision: "deny", accessType: "online" });
    await handleCallback({ params: denied.callback.searchParams, user: t.admin, ip: null });
    const old = (await attemptForUser(denied.attemptId, t.admin.id))!.attempt;

    const other = await t.mkUser(`other-${Date.now()}@console.test`, "operator");
    await expect(retryAttempt(other, denied.attemptId, null)).rejects.toThrow(/not one of yours/);

    const retry = await retryAttempt(t.admin, denied.attemptId, null);
    expect(retry.attemptId).not.toBe(denied.attemptId);
    const fresh = (await attemptForUser(retry.attemptId, t.admin.id))!.attempt;
    expect(fresh).toMatchObject({ clientRef: old.clientRef, scopes: old.scopes, accessType: "online", connectionName: old.connectionName, usedAt: null });
    const callback = await consentAt(t.driver, retry.url, { email: SINGLE_USER.email });
    await handleCallback({ params: callback.searchParams, user: t.admin, ip: null });
    expect((await attemptForUser(retry.attemptId, t.admin.id))!.outcome).toMatchObject({ status: "connected" });
    await expect(retryAttempt(t.admin, retry.attemptId, null)).rejects.toThrow(/already made its connection/);
  });
});
