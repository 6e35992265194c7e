import { describe, expect, it } from "vitest";
import { fakeFetch, hang, json, text } from "./testing/fake-fetch";
import { clientCredentialsToken, exchangeCode, refreshAccessToken, revokeToken } from "./token-client";
import { isZohoError, ZohoError, zohoResult } from "./zoho-error";

const EU = "https://accounts.zoho.eu";
const CLIENT = { clientId: "1000.R2Z0WWOLFVMR287126QED3B4JWQ5EN", clientSecret: "39c689de68c712fa5f1f06c3b1319ab98f59fa921b" };
const CODE = "1000.fadbca4c2be2f08b0ce82a54f6344313.ba532585103af6f12a0f160";
const AT = "1000.2deaf8d0c268e3c85daa2a013a843b10.703d5c6e4ee6f8ffa4fb9bf5e0cd2b0d";
const RT = "1000.4069dacb5684b2df29b60ed6865e889f.fd1f173360871d254bcf902062390367";
const SUCCESS = { access_token: AT, refresh_token: RT, api_domain: "https://www.zohoapis.eu", token_type: "Bearer", expires_in: 3600 };

async function caught(p: Promise<unknown>): Promise<ZohoError> {
  try {
    await p;
  } catch (e) {
    if (isZohoError(e)) return e;
    throw e;
  }
  throw new Error("expected a ZohoError");
}

function exchangeWith(response: () => Response | Promise<Response>, extra: Partial<Parameters<typeof exchangeCode>[0]> = {}) {
  const f = fakeFetch(response);
  return { f, p: exchangeCode({ accountsServer: EU, ...CLIENT, code: CODE, redirectUri: "http://localhost:3000/api/oauth/callback", timeoutMs: 2000, fetchImpl: f, location: "eu", ...extra }) };
}

/** No error may carry a token, code or secret in any of its texts. */
function expectNoSecrets(e: ZohoError) {
  const all = JSON.stringify({ ...e.toJSON(), message: e.message, stack: e.stack });
  for (const secret of [CODE, AT, RT, CLIENT.clientSecret]) expect(all).not.toContain(secret);
}

describe("exchangeCode", () => {
  it("POSTs a form body to the DC's token endpoint", async () => {
    const { f, p } = exchangeWith(() => json(SUCCESS));
    await p;
    expect(f.calls).toHaveLength(1);
    const call = f.calls[0];
    expect(call.url).toBe("https://accounts.zoho.eu/oauth/v2/token");
    expect(call.method).toBe("POST");
    expect(call.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({
      grant_type: "authorization_code",
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      code: CODE,
      redirect_uri: "http://localhost:3000/api/oauth/callback",
    });
  });

  it("omits redirect_uri for a self-client code", async () => {
    const { f, p } = exchangeWith(() => json(SUCCESS), { redirectUri: undefined });
    await p;
    expect(new URLSearchParams(f.calls[0].body).has("redirect_uri")).toBe(false);
  });

  it("parses a success in seconds", async () => {
    const { p } = exchangeWith(() => json({ ...SUCCESS, scope: "Desk.tickets.READ AaaServer.profile.READ", id_token: "eyJ.x.y" }));
    expect(await p).toEqual({
      accessToken: AT,
      refreshToken: RT,
      apiDomain: "https://www.zohoapis.eu",
      tokenType: "Bearer",
      expiresInSec: 3600,
      scope: "Desk.tickets.READ AaaServer.profile.READ",
      idToken: "eyJ.x.y",
    });
  });

  it("prefers expires_in_sec over a millisecond expires_in", async () => {
    const { p } = exchangeWith(() => json({ ...SUCCESS, expires_in: 3600000, expires_in_sec: 3599 }));
    expect((await p).expiresInSec).toBe(3599);
  });

  it("reads a lone expires_in above a day as milliseconds", async () => {
    const { p } = exchangeWith(() => json({ ...SUCCESS, expires_in: 3600000 }));
    expect((await p).expiresInSec).toBe(3600);
  });

  it("reads a numeric string expiry", async () => {
    const { p } = exchangeWith(() => json({ ...SUCCESS, expires_in: "3600" }));
    expect((await p).expiresInSec).toBe(3600);
  });

  it.each([
    ["invalid_code", "invalid_code", /expired or was already used/],
    ["invalid_client", "invalid_client", /not enabled in DC eu — enable multi-DC/],
    ["invalid_client_secret", "invalid_client_secret", /secret/],
    ["invalid_redirect_uri", "invalid_redirect_uri", /Redirect URI/i],
  ])("turns an HTTP-200 {error:%s} into %s", async (error, kind, text) => {
    const { p } = exchangeWith(() => json({ error }));
    const e = await caught(p);
    expect(e.kind).toBe(kind);
    expect(e.transient).toBe(false);
    expect(`${e.userMessage} ${e.advice}`).toMatch(text);
    expectNoSecrets(e);
  });

  it("recognises Zoho's throttle", async () => {
    const { p } = exchangeWith(() =>
      json({ error: "Access Denied", error_description: "You have made too many requests continuously. Please try again after some time.", status: "failure" }),
    );
    const e = await caught(p);
    expect(e.kind).toBe("throttled");
    expect(e.transient).toBe(false);
    expect(e.advice).toMatch(/ten-minute/);
  });

  it("recognises the throttle even with an error status", async () => {
    const { p } = exchangeWith(() => json({ error: "Access Denied", status: "failure" }, 400));
    expect((await caught(p)).kind).toBe("throttled");
  });

  it("reports an unrecognised error code without echoing anything else", async () => {
    const { p } = exchangeWith(() => json({ error: `weird ${AT}`, token: AT }));
    const e = await caught(p);
    expect(e.kind).toBe("other");
    expect(e.zohoCode).toContain("weird");
    expectNoSecrets(e);
  });

  it("treats an HTML page as malformed", async () => {
    const { p } = exchangeWith(() => text("<!doctype html><html><body>Login</body></html>", 200, "text/html"));
    const e = await caught(p);
    expect(e.kind).toBe("malformed");
    expect(e.userMessage).toMatch(/HTML/);
  });

  it("treats a body without access_token as malformed", async () => {
    const { p } = exchangeWith(() => json({ api_domain: "https://www.zohoapis.eu", expires_in: 3600 }));
    const e = await caught(p);
    expect(e.kind).toBe("malformed");
    expect(e.userMessage).toMatch(/access_token/);
  });

  it("treats a success without api_domain or expiry as malformed", async () => {
    expect((await caught(exchangeWith(() => json({ ...SUCCESS, api_domain: undefined })).p)).kind).toBe("malformed");
    expect((await caught(exchangeWith(() => json({ ...SUCCESS, expires_in: undefined })).p)).kind).toBe("malformed");
  });

  it("treats non-JSON as malformed", async () => {
    expect((await caught(exchangeWith(() => text("ok")).p)).kind).toBe("malformed");
    expect((await caught(exchangeWith(() => text("{not json", 200, "application/json")).p)).kind).toBe("malformed");
  });

  it("treats 5xx as a transient server error", async () => {
    const e = await caught(exchangeWith(() => text("<html>Bad gateway</html>", 502, "text/html")).p);
    expect(e).toMatchObject({ kind: "server", transient: true, status: 502 });
    expect(e.userMessage).toMatch(/accounts\.zoho\.eu.*HTTP 502/);
  });

  it("treats a redirect as malformed rather than following it", async () => {
    const e = await caught(exchangeWith(() => new Response(null, { status: 302, headers: { location: "https://evil.io" } })).p);
    expect(e.kind).toBe("malformed");
  });

  it("times out as a transient error", async () => {
    const e = await caught(exchangeCode({ accountsServer: EU, ...CLIENT, code: CODE, timeoutMs: 50, fetchImpl: hang() }));
    expect(e).toMatchObject({ kind: "timeout", transient: true });
  });

  it("turns a transport failure into a transient network error", async () => {
    const failing = fakeFetch(() => {
      throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } });
    });
    const e = await caught(exchangeCode({ accountsServer: EU, ...CLIENT, code: CODE, timeoutMs: 1000, fetchImpl: failing }));
    expect(e).toMatchObject({ kind: "network", transient: true });
    expect(e.userMessage).toMatch(/accounts\.zoho\.eu.*ENOTFOUND/);
  });

  it("names the host when no location is given", async () => {
    const f = fakeFetch(() => json({ error: "invalid_client" }));
    const e = await caught(exchangeCode({ accountsServer: EU, ...CLIENT, code: CODE, timeoutMs: 1000, fetchImpl: f }));
    expect(e.advice).toMatch(/data centre of accounts\.zoho\.eu/);
  });

  it("can be used as a discriminated result", async () => {
    const ok = await zohoResult(exchangeWith(() => json(SUCCESS)).p);
    expect(ok.ok).toBe(true);
    const bad = await zohoResult(exchangeWith(() => json({ error: "invalid_code" })).p);
    expect(!bad.ok && bad.error.kind).toBe("invalid_code");
  });
});

describe("refreshAccessToken", () => {
  it("sends the refresh grant and expects no new refresh token", async () => {
    const f = fakeFetch(() => json({ access_token: AT, api_domain: "https://www.zohoapis.eu", token_type: "Bearer", expires_in: 3600 }));
    const t = await refreshAccessToken({ accountsServer: EU, ...CLIENT, refreshToken: RT, timeoutMs: 1000, fetchImpl: f });
    expect(t.refreshToken).toBeUndefined();
    expect(t.expiresInSec).toBe(3600);
    expect(Object.fromEntries(new URLSearchParams(f.calls[0].body))).toMatchObject({ grant_type: "refresh_token", refresh_token: RT });
  });

  it("explains invalid_code as a dead refresh token", async () => {
    const f = fakeFetch(() => json({ error: "invalid_code" }));
    const e = await caught(refreshAccessToken({ accountsServer: EU, ...CLIENT, refreshToken: RT, timeoutMs: 1000, fetchImpl: f }));
    expect(e.kind).toBe("invalid_code");
    expect(e.userMessage).toMatch(/refresh token/);
    expect(e.advice).toMatch(/evicted|Reconnect/);
    expectNoSecrets(e);
  });
});

describe("clientCredentialsToken", () => {
  it("sends scope and soid", async () => {
    const f = fakeFetch(() => json({ access_token: AT, api_domain: "https://www.zohoapis.com", expires_in: 3600 }));
    await clientCredentialsToken({
      accountsServer: "https://accounts.zoho.com",
      ...CLIENT,
      scopes: ["Desk.tickets.READ", "desk.basic.read"],
      soid: "ZohoDesk.123456789",
      timeoutMs: 1000,
      fetchImpl: f,
    });
    expect(Object.fromEntries(new URLSearchParams(f.calls[0].body))).toMatchObject({
      grant_type: "client_credentials",
      scope: "Desk.tickets.READ,Desk.basic.READ",
      soid: "ZohoDesk.123456789",
    });
  });

  it("rejects a malformed soid before calling Zoho", async () => {
    const f = fakeFetch(() => json({}));
    expect(() =>
      clientCredentialsToken({ accountsServer: EU, ...CLIENT, scopes: "Desk.tickets.READ", soid: "x&y=1", timeoutMs: 1000, fetchImpl: f }),
    ).toThrow(/soid/);
    expect(f.calls).toHaveLength(0);
  });
});

describe("revokeToken", () => {
  it("POSTs the token as Zoho documents and accepts success", async () => {
    const f = fakeFetch(() => json({ status: "success" }));
    await revokeToken({ accountsServer: EU, token: RT, timeoutMs: 1000, fetchImpl: f });
    expect(f.calls[0].method).toBe("POST");
    expect(f.calls[0].url).toBe(`https://accounts.zoho.eu/oauth/v2/token/revoke?token=${RT}`);
  });

  it("can send the token in the form body instead", async () => {
    const f = fakeFetch(() => json({ status: "success" }));
    await revokeToken({ accountsServer: EU, token: RT, timeoutMs: 1000, fetchImpl: f, tokenIn: "body" });
    expect(f.calls[0].url).toBe("https://accounts.zoho.eu/oauth/v2/token/revoke");
    expect(new URLSearchParams(f.calls[0].body).get("token")).toBe(RT);
  });

  it("maps HTTP 400 to unknown_token", async () => {
    const f = fakeFetch(() => json({ status: "failure" }, 400));
    const e = await caught(revokeToken({ accountsServer: EU, token: RT, timeoutMs: 1000, fetchImpl: f }));
    expect(e.kind).toBe("unknown_token");
    expectNoSecrets(e);
  });

  it("does not take an unconfirmed answer for success", async () => {
    const f = fakeFetch(() => json({ status: "failure" }));
    expect((await caught(revokeToken({ accountsServer: EU, token: RT, timeoutMs: 1000, fetchImpl: f }))).kind).toBe("other");
  });

  it("surfaces a server error as transient, so nothing is wiped", async () => {
    const f = fakeFetch(() => text("down", 503));
    expect(await caught(revokeToken({ accountsServer: EU, token: RT, timeoutMs: 1000, fetchImpl: f }))).toMatchObject({ kind: "server", transient: true });
  });
});
