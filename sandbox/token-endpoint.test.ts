// Every answer of POST /oauth/v2/token, over plain HTTP: success shapes, the HTTP-200 error
// bodies, and each way a client may send its parameters.
import { describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, EU_USER, MULTI_USER, SEED_ORGS, SELF_CLIENT_ID, SELF_CLIENT_SECRET, SINGLE_USER } from "./seed";
import { ConsentDriver, REDIRECT_URI, api, exchange, tokenCall, type TestSandbox, withResetSandbox } from "./test-support";

const TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

describe("token endpoint", () => {
  let sb: TestSandbox;
  let driver: ConsentDriver;
  const code = (extra: Partial<Parameters<ConsentDriver["code"]>[0]> = {}) =>
    driver.code({ email: SINGLE_USER.email, scope: "Desk.tickets.READ,Desk.basic.READ", prompt: "consent", ...extra });

  withResetSandbox((s, d) => {
    sb = s;
    driver = d;
  });

  it("exchanges a code for exactly Zoho's success body", async () => {
    const res = await exchange(sb.url, await code());
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["access_token", "refresh_token", "scope", "api_domain", "token_type", "expires_in"]);
    expect(res.body.access_token).toMatch(TOKEN);
    expect(res.body.refresh_token).toMatch(TOKEN);
    expect(res.body).toMatchObject({ api_domain: `${sb.url}/us/zohoapis`, token_type: "Bearer", expires_in: 3600 });
  });

  it("refuses a reused code with HTTP 200 invalid_code", async () => {
    const c = await code();
    expect((await exchange(sb.url, c)).body.access_token).toBeDefined();
    const again = await exchange(sb.url, c);
    expect(again).toEqual({ status: 200, body: { error: "invalid_code" } });
  });

  it("lets a code expire after two minutes of sandbox time", async () => {
    const c = await code();
    await sb.admin("POST", "clock", { advanceSeconds: 121 });
    expect((await exchange(sb.url, c)).body).toEqual({ error: "invalid_code" });
    const fresh = await code();
    await sb.admin("POST", "clock", { advanceSeconds: 100 });
    expect((await exchange(sb.url, fresh)).body.access_token).toMatch(TOKEN);
  });

  it("answers invalid_client_secret, invalid_client and invalid_redirect_uri", async () => {
    const c = await code();
    expect((await exchange(sb.url, c, "us", { client_secret: "0".repeat(42) })).body).toEqual({ error: "invalid_client_secret" });
    expect((await exchange(sb.url, c, "us", { client_id: "1000.NOSUCHCLIENT000000000000000000" })).body).toEqual({ error: "invalid_client" });
    expect((await exchange(sb.url, c, "us", { redirect_uri: "http://localhost:3999/elsewhere" })).body).toEqual({ error: "invalid_redirect_uri" });
    // None of the failures burnt the code.
    expect((await exchange(sb.url, c)).body.access_token).toMatch(TOKEN);
  });

  it("answers invalid_client in a DC where the client is not enabled", async () => {
    const created = await sb.admin("POST", "clients", { name: "US only", redirectUris: [REDIRECT_URI], enabledDcs: ["us"] });
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = created.body;
    const c = await driver.code({ email: SINGLE_USER.email, scope: "Desk.basic.READ", clientId });
    const params = { grant_type: "authorization_code", code: c, client_id: clientId, client_secret: clientSecret, redirect_uri: REDIRECT_URI };
    expect((await tokenCall(sb.url, params, "eu")).body).toEqual({ error: "invalid_client" });
    expect((await tokenCall(sb.url, params, "us")).body.access_token).toMatch(TOKEN);
  });

  it("does not honour a code at another DC's accounts server, even for a multi-DC client", async () => {
    const c = await code();
    expect((await exchange(sb.url, c, "eu")).body).toEqual({ error: "invalid_code" });
  });

  it("answers GET with an error, never a token", async () => {
    const c = await code();
    const q = new URLSearchParams({ grant_type: "authorization_code", code: c, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, redirect_uri: REDIRECT_URI });
    const res = await fetch(`${sb.url}/us/accounts/oauth/v2/token?${q}`);
    const body = await res.json();
    expect(body.error).toBe("invalid_request");
    expect(body.access_token).toBeUndefined();
    expect((await exchange(sb.url, c)).body.access_token).toMatch(TOKEN);
  });

  it("takes parameters from the query string of a POST", async () => {
    const q = new URLSearchParams({ grant_type: "authorization_code", code: await code(), client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, redirect_uri: REDIRECT_URI });
    const res = await fetch(`${sb.url}/us/accounts/oauth/v2/token?${q}`, { method: "POST" });
    expect((await res.json()).access_token).toMatch(TOKEN);
  });

  it("takes a multipart/form-data body, as Zoho's SDKs send", async () => {
    const form = new FormData();
    form.set("grant_type", "authorization_code");
    form.set("code", await code());
    form.set("client_id", DEMO_CLIENT_ID);
    form.set("client_secret", DEMO_CLIENT_SECRET);
    form.set("redirect_uri", REDIRECT_URI);
    const res = await fetch(`${sb.url}/us/accounts/oauth/v2/token`, { method: "POST", body: form });
    expect(res.headers.get("content-type")).toContain("application/json");
    expect((await res.json()).refresh_token).toMatch(TOKEN);
  });

  it("takes client credentials as HTTP Basic, and rejects Basic that disagrees with the body", async () => {
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
    const post = (body: Record<string, string>, authorization: string) =>
      fetch(`${sb.url}/us/accounts/oauth/v2/token`, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body),
      }).then((r) => r.json());
    const c = await code();
    const wrong = await post({ grant_type: "authorization_code", code: c, redirect_uri: REDIRECT_URI }, basic(DEMO_CLIENT_ID, "nope"));
    expect(wrong).toEqual({ error: "invalid_client_secret" });
    const mismatch = await post({ grant_type: "authorization_code", code: c, redirect_uri: REDIRECT_URI, client_id: SELF_CLIENT_ID }, basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    expect(mismatch).toEqual({ error: "invalid_client" });
    const ok = await post({ grant_type: "authorization_code", code: c, redirect_uri: REDIRECT_URI }, basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
    expect(ok.access_token).toMatch(TOKEN);
  });

  it("gives a refresh token for offline only, and on later consents only with prompt=consent", async () => {
    const online = await exchange(sb.url, await code({ accessType: "online" }));
    expect(online.body.access_token).toMatch(TOKEN);
    expect(online.body).not.toHaveProperty("refresh_token");
    const first = await exchange(sb.url, await code({ prompt: undefined }));
    expect(first.body.refresh_token).toMatch(TOKEN);
    const second = await exchange(sb.url, await code({ prompt: undefined }));
    expect(second.body).not.toHaveProperty("refresh_token");
    const forced = await exchange(sb.url, await code({ prompt: "consent" }));
    expect(forced.body.refresh_token).toMatch(TOKEN);
  });

  it("refreshes without rotating the refresh token and keeps api_domain", async () => {
    const c = await driver.code({ email: EU_USER.email, scope: "Desk.basic.READ", prompt: "consent" });
    const first = await exchange(sb.url, c, "eu");
    expect(first.body.api_domain).toBe(`${sb.url}/eu/zohoapis`);
    const res = await tokenCall(sb.url, { grant_type: "refresh_token", refresh_token: first.body.refresh_token, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET }, "eu");
    expect(Object.keys(res.body)).toEqual(["access_token", "scope", "api_domain", "token_type", "expires_in"]);
    expect(res.body.api_domain).toBe(`${sb.url}/eu/zohoapis`);
    const elsewhere = await tokenCall(sb.url, { grant_type: "refresh_token", refresh_token: first.body.refresh_token, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET }, "us");
    expect(elsewhere.body).toEqual({ error: "invalid_code" });
  });

  it("answers unknown grant types and missing parameters in Zoho's style", async () => {
    const base = { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET };
    expect((await tokenCall(sb.url, { ...base, grant_type: "password" })).body).toEqual({ error: "unsupported_grant_type" });
    expect((await tokenCall(sb.url, base)).body).toEqual({ error: "unsupported_grant_type" });
    expect((await tokenCall(sb.url, { ...base, grant_type: "authorization_code" })).body).toEqual({ error: "invalid_code" });
    expect((await tokenCall(sb.url, { ...base, grant_type: "refresh_token" })).body).toEqual({ error: "invalid_code" });
    expect((await tokenCall(sb.url, {})).body).toEqual({ error: "invalid_client" });
  });

  it("switches to millisecond expires_in plus expires_in_sec when legacy answers are on", async () => {
    await sb.admin("POST", "limits", { legacyExpiresIn: true });
    const res = await exchange(sb.url, await code());
    expect(res.body).toMatchObject({ expires_in: 3_600_000, expires_in_sec: 3600 });
  });

  it("mints self-client tokens with client_credentials and soid, bound to that org", async () => {
    const cc = (extra: Record<string, string>) =>
      tokenCall(sb.url, { grant_type: "client_credentials", client_id: SELF_CLIENT_ID, client_secret: SELF_CLIENT_SECRET, scope: "ZohoAssist.userapi.READ", ...extra });
    expect((await cc({})).body.error).toBe("invalid_request");
    expect((await cc({ soid: `ZohoAssist.${SEED_ORGS.assistBen}` })).body.error).toBe("invalid_request");
    expect((await cc({ soid: `ZohoAssist.${SEED_ORGS.assistSandbox}`, scope: "Bogus.scope.READ" })).body).toEqual({ error: "invalid_scope" });
    const ok = await cc({ soid: `ZohoAssist.${SEED_ORGS.assistSandbox}` });
    expect(ok.body).not.toHaveProperty("refresh_token");
    const me = await api(`${sb.url}/us/assist/api/v2/user`, ok.body.access_token);
    expect(me.body.representation.org_details.zsoid).toBe(SEED_ORGS.assistSandbox);
    const serverClient = await tokenCall(sb.url, { grant_type: "client_credentials", client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, scope: "Desk.basic.READ", soid: `Desk.${SEED_ORGS.deskZylkerSupport}` });
    expect(serverClient.body).toEqual({ error: "unauthorized_client" });
  });

  it("injects faults: 5xx, throttling, delays, for a number of calls", async () => {
    await sb.admin("POST", "faults", { token: { status: 503, count: 1 } });
    const c = await code();
    const down = await fetch(`${sb.url}/us/accounts/oauth/v2/token`, { method: "POST" });
    expect(down.status).toBe(503);
    expect((await exchange(sb.url, c)).body.access_token).toMatch(TOKEN);

    await sb.admin("POST", "faults", { token: { throttle: true } });
    const throttled = await exchange(sb.url, await code());
    expect(throttled.body).toEqual({
      error: "Access Denied",
      error_description: "You have made too many requests continuously. Please try again after some time.",
      status: "failure",
    });
    await sb.admin("DELETE", "faults");

    await sb.admin("POST", "faults", { token: { delayMs: 300, count: 1 } });
    const started = Date.now();
    expect((await exchange(sb.url, await code())).body.access_token).toMatch(TOKEN);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect((await sb.admin("GET", "faults")).body).toEqual({});
  });

  it("counts token-endpoint calls and mints per grant type and client", async () => {
    const res = await exchange(sb.url, await code());
    await exchange(sb.url, "1000.nonsense");
    await tokenCall(sb.url, { grant_type: "refresh_token", refresh_token: res.body.refresh_token, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET });
    const { body } = await sb.admin("GET", "counters");
    expect(body.tokenEndpointCalls).toBe(3);
    expect(body.tokensMinted).toEqual({ authorization_code: 1, refresh_token: 1, client_credentials: 0 });
    expect(body.tokensMintedByClient[DEMO_CLIENT_ID]).toEqual({ authorization_code: 1, refresh_token: 1, client_credentials: 0 });
    expect(body.refreshTokensIssued).toBe(1);
  });

  it("counts the peak of token-endpoint requests in flight, and lets each go when it ends", async () => {
    await sb.admin("POST", "faults", { token: { delayMs: 200 } });
    const bad = { grant_type: "refresh_token", refresh_token: "1000.nonsense", client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET };
    await Promise.all([1, 2, 3, 4].map(() => tokenCall(sb.url, bad)));
    expect((await sb.admin("GET", "counters")).body.tokenEndpointPeakInFlight).toBe(4);
    await tokenCall(sb.url, bad);
    expect((await sb.admin("GET", "counters")).body.tokenEndpointPeakInFlight).toBe(4);

    // A reset starts the peak again; finished requests no longer count.
    await sb.admin("DELETE", "faults");
    expect((await sb.admin("DELETE", "counters")).body.tokenEndpointPeakInFlight).toBe(0);
    await tokenCall(sb.url, bad);
    expect((await sb.admin("GET", "counters")).body.tokenEndpointPeakInFlight).toBe(1);
  });

  it("stops counting a request in flight when its caller hangs up", async () => {
    // The handler is still asleep in the fault when the caller aborts; the count drops anyway.
    await sb.admin("POST", "faults", { token: { delayMs: 1500, count: 1 } });
    const abort = new AbortController();
    const hungUp = fetch(`${sb.url}/us/accounts/oauth/v2/token`, { method: "POST", signal: abort.signal }).catch(() => "aborted");
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    expect(await hungUp).toBe("aborted");
    await new Promise((r) => setTimeout(r, 50));
    await sb.admin("DELETE", "counters");
    await tokenCall(sb.url, { grant_type: "refresh_token", refresh_token: "1000.nonsense", client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET });
    expect((await sb.admin("GET", "counters")).body.tokenEndpointPeakInFlight).toBe(1);
  });

  it("keeps MULTI_USER's scopes on the token it grants", async () => {
    const res = await exchange(sb.url, await driver.code({ email: MULTI_USER.email, scope: "Desk.basic.READ, AaaServer.profile.READ", prompt: "consent" }));
    expect(res.body.scope).toBe("Desk.basic.READ AaaServer.profile.READ");
  });
});
