// Code exchange, refresh and revoke driven by simple-oauth2, a widely used OAuth 2.0 client, so
// the sandbox is checked against someone else's idea of the protocol, not only our own.
import { AuthorizationCode } from "simple-oauth2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, MULTI_USER } from "./seed";
import { ConsentDriver, REDIRECT_URI, api, startTestSandbox, type TestSandbox } from "./test-support";

const TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

describe("simple-oauth2 against the sandbox", () => {
  let sb: TestSandbox;
  let oauth: AuthorizationCode;

  beforeAll(async () => {
    sb = await startTestSandbox();
    oauth = new AuthorizationCode({
      client: { id: DEMO_CLIENT_ID, secret: DEMO_CLIENT_SECRET },
      auth: {
        tokenHost: sb.url,
        tokenPath: "/us/accounts/oauth/v2/token",
        revokePath: "/us/accounts/oauth/v2/token/revoke",
        authorizePath: "/us/accounts/oauth/v2/auth",
      },
      options: { scopeSeparator: "," },
    });
  });
  afterAll(() => sb.close());

  it("builds an authorize URL the sandbox accepts, exchanges the code, refreshes and revokes", async () => {
    const authorizeUrl = oauth.authorizeURL({
      redirect_uri: REDIRECT_URI,
      scope: ["Desk.tickets.READ", "Desk.basic.READ", "AaaServer.profile.READ"],
      state: "lib-state",
      access_type: "offline",
      prompt: "consent",
    } as never);
    const driver = new ConsentDriver(sb.url);
    const first = await fetch(authorizeUrl, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toContain("/us/accounts/signin");

    const q = new URL(authorizeUrl).searchParams;
    const { callback } = await driver.consent({
      email: MULTI_USER.email,
      scope: q.get("scope")!,
      state: q.get("state")!,
      prompt: "consent",
    });
    expect(callback.searchParams.get("state")).toBe("lib-state");
    expect(callback.searchParams.get("location")).toBe("us");
    expect(callback.searchParams.get("accounts-server")).toBe(`${sb.url}/us/accounts`);
    const code = callback.searchParams.get("code")!;
    expect(code).toMatch(TOKEN);

    // simple-oauth2 sends client credentials as HTTP Basic by default.
    const token = await oauth.getToken({ code, redirect_uri: REDIRECT_URI, scope: [] });
    expect(token.token.access_token).toMatch(TOKEN);
    expect(token.token.refresh_token).toMatch(TOKEN);
    expect(token.token.api_domain).toBe(`${sb.url}/us/zohoapis`);
    expect(token.token.token_type).toBe("Bearer");
    expect(token.token.expires_in).toBe(3600);
    expect(token.expired()).toBe(false);

    const me = await api(`${sb.url}/us/accounts/oauth/user/info`, token.token.access_token as string);
    expect(me.body).toMatchObject({ Email: MULTI_USER.email, ZUID: Number(MULTI_USER.zuid) });

    const refreshed = await token.refresh();
    expect(refreshed.token.access_token).toMatch(TOKEN);
    expect(refreshed.token.access_token).not.toBe(token.token.access_token);
    // Zoho does not rotate refresh tokens: the answer carries none.
    expect(refreshed.token.refresh_token).toBeUndefined();
    expect(refreshed.token.api_domain).toBe(`${sb.url}/us/zohoapis`);

    const orgs = await api(`${sb.url}/us/desk/api/v1/organizations`, refreshed.token.access_token as string);
    expect(orgs.status).toBe(200);
    expect(orgs.body.data).toHaveLength(2);

    // Revoking the refresh token kills every access token minted from it.
    const revoked = await token.revoke("refresh_token");
    expect(revoked).toEqual({ status: "success" });
    const after = await api(`${sb.url}/us/desk/api/v1/organizations`, refreshed.token.access_token as string);
    expect(after.status).toBe(401);
    expect(after.body.errorCode).toBe("INVALID_OAUTH");
    const again = await token.refresh().then((t) => t.token);
    expect(again).toMatchObject({ error: "invalid_code" });

    // Revoking it a second time is an unknown token: HTTP 400, which the library raises.
    await expect(token.revoke("refresh_token")).rejects.toThrow(/400/);
  });

  it("revokes a single access token and leaves the refresh token alive", async () => {
    await sb.admin("DELETE", "counters");
    const driver = new ConsentDriver(sb.url);
    const code = await driver.code({ email: MULTI_USER.email, scope: "Desk.basic.READ", prompt: "consent" });
    const token = await oauth.getToken({ code, redirect_uri: REDIRECT_URI, scope: [] });
    await token.revoke("access_token");
    const dead = await api(`${sb.url}/us/desk/api/v1/organizations`, token.token.access_token as string);
    expect(dead.body.errorCode).toBe("INVALID_OAUTH");
    const fresh = await token.refresh();
    const alive = await api(`${sb.url}/us/desk/api/v1/organizations`, fresh.token.access_token as string);
    expect(alive.status).toBe(200);
    const counters = await sb.admin("GET", "counters");
    expect(counters.body.revocations).toBe(1);
    expect(counters.body.tokensMinted).toMatchObject({ authorization_code: 1, refresh_token: 1 });
  });
});
