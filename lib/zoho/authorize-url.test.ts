import { describe, expect, it } from "vitest";
import { buildAuthorizationUrl, parseCallbackParams } from "./authorize-url";
import { consentStartDc } from "./data-centres";

const CLIENT = "1000.R2Z0WWOLFVMR287126QED3B4JWQ5EN";
const REDIRECT = "http://localhost:3000/api/oauth/callback";
const STATE = "s7dK3_-x9Q2mZp0aLr8vBw";
const CODE = "1000.fadbca4c2be2f08b0ce82a54f6344313.ba532585103af6f12a0f160";
const SANDBOX = "http://127.0.0.1:4010";
const LIVE = { realm: "live" as const };
const ENC_REDIRECT = "http%3A%2F%2Flocalhost%3A3000%2Fapi%2Foauth%2Fcallback";

describe("buildAuthorizationUrl", () => {
  const base = { clientId: CLIENT, redirectUri: REDIRECT, state: STATE };

  it("builds the offline URL for a US home DC", () => {
    const url = buildAuthorizationUrl({
      ...base,
      accountsServer: consentStartDc({ realm: "live", homeDc: "us", multiDc: false }).accountsServer,
      scopes: ["Desk.tickets.READ", "Desk.basic.READ", "AaaServer.profile.READ"],
      accessType: "offline",
    });
    expect(url).toBe(
      `https://accounts.zoho.com/oauth/v2/auth?client_id=${CLIENT}&response_type=code&redirect_uri=${ENC_REDIRECT}` +
        `&scope=Desk.tickets.READ,Desk.basic.READ,AaaServer.profile.READ&access_type=offline&prompt=consent&state=${STATE}`,
    );
  });

  it("builds the online URL for an EU home DC without prompt", () => {
    const url = buildAuthorizationUrl({
      ...base,
      accountsServer: consentStartDc({ realm: "live", homeDc: "eu", multiDc: false }).accountsServer,
      scopes: "SalesIQ.chatdetails.READ",
      accessType: "online",
    });
    expect(url).toBe(
      `https://accounts.zoho.eu/oauth/v2/auth?client_id=${CLIENT}&response_type=code&redirect_uri=${ENC_REDIRECT}` +
        `&scope=SalesIQ.chatdetails.READ&access_type=online&state=${STATE}`,
    );
  });

  it("sends a multi-DC live client to accounts.zoho.com", () => {
    const url = buildAuthorizationUrl({
      ...base,
      accountsServer: consentStartDc({ realm: "live", homeDc: "eu", multiDc: true, enabledDcs: ["us", "in"] }).accountsServer,
      scopes: ["ZohoAssist.userapi.READ"],
      accessType: "online",
      prompt: "consent",
    });
    expect(url).toBe(
      `https://accounts.zoho.com/oauth/v2/auth?client_id=${CLIENT}&response_type=code&redirect_uri=${ENC_REDIRECT}` +
        `&scope=ZohoAssist.userapi.READ&access_type=online&prompt=consent&state=${STATE}`,
    );
  });

  it("follows the sandbox layout", () => {
    const url = buildAuthorizationUrl({
      ...base,
      accountsServer: consentStartDc({ realm: "sandbox", homeDc: "in", multiDc: false }, SANDBOX).accountsServer,
      scopes: ["Desk.tickets.READ"],
      accessType: "offline",
    });
    expect(url).toBe(
      `http://127.0.0.1:4010/in/accounts/oauth/v2/auth?client_id=${CLIENT}&response_type=code&redirect_uri=${ENC_REDIRECT}` +
        `&scope=Desk.tickets.READ&access_type=offline&prompt=consent&state=${STATE}`,
    );
  });

  it("round-trips through a URL parser", () => {
    const url = new URL(
      buildAuthorizationUrl({ ...base, accountsServer: "https://accounts.zoho.com/", scopes: "desk.tickets.read Desk.basic.READ", accessType: "offline" }),
    );
    expect(url.pathname).toBe("/oauth/v2/auth");
    expect(url.searchParams.get("scope")).toBe("Desk.tickets.READ,Desk.basic.READ");
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
  });

  it("refuses missing pieces and bad scopes", () => {
    const ok = { ...base, accountsServer: "https://accounts.zoho.com", scopes: "Desk.tickets.READ", accessType: "online" as const };
    expect(() => buildAuthorizationUrl({ ...ok, state: "" })).toThrow(/state/);
    expect(() => buildAuthorizationUrl({ ...ok, clientId: " " })).toThrow(/clientId/);
    expect(() => buildAuthorizationUrl({ ...ok, scopes: [] })).toThrow(/scope/);
    expect(() => buildAuthorizationUrl({ ...ok, scopes: "Desk.tickets.READ&x=1" })).toThrow(/Not a Zoho scope/);
    expect(() => buildAuthorizationUrl({ ...ok, accountsServer: "https://accounts.zoho.com?x=1" })).toThrow();
  });
});

describe("parseCallbackParams", () => {
  const good = `state=${STATE}&code=${CODE}&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu`;

  it("parses a success", () => {
    const r = parseCallbackParams(`?${good}`, LIVE);
    expect(r).toMatchObject({ kind: "success", code: CODE, state: STATE, location: "eu", accountsServer: "https://accounts.zoho.eu" });
    if (r.kind === "success") expect(r.dataCentre.apiDomain).toBe("https://www.zohoapis.eu");
  });

  it("tolerates a stray trailing &", () => {
    expect(parseCallbackParams(`${good}&`, LIVE).kind).toBe("success");
    expect(parseCallbackParams(new URLSearchParams(`${good}&`), LIVE).kind).toBe("success");
    expect(parseCallbackParams(`${REDIRECT}?${good}&`, LIVE).kind).toBe("success");
  });

  it("accepts a record of search params", () => {
    const r = parseCallbackParams({ state: STATE, code: CODE, location: "us", "accounts-server": "https://accounts.zoho.com" }, LIVE);
    expect(r).toMatchObject({ kind: "success", location: "us" });
  });

  it("derives the accounts server from location when absent", () => {
    const r = parseCallbackParams(`state=${STATE}&code=${CODE}&location=in`, LIVE);
    expect(r).toMatchObject({ kind: "success", accountsServer: "https://accounts.zoho.in" });
  });

  it("accepts the sandbox layout only in the sandbox realm", () => {
    const q = `state=${STATE}&code=${CODE}&location=eu&accounts-server=${encodeURIComponent(`${SANDBOX}/eu/accounts`)}`;
    expect(parseCallbackParams(q, { realm: "sandbox", sandboxBaseUrl: SANDBOX })).toMatchObject({
      kind: "success",
      accountsServer: `${SANDBOX}/eu/accounts`,
    });
    expect(parseCallbackParams(q, LIVE).kind).toBe("invalid");
  });

  it("parses a denial", () => {
    expect(parseCallbackParams(`error=access_denied&state=${STATE}`, LIVE)).toEqual({ kind: "denied", state: STATE, error: "access_denied" });
    expect(parseCallbackParams("error=access_denied&", LIVE)).toEqual({ kind: "denied", error: "access_denied" });
  });

  it.each([
    ["forged accounts server", `state=${STATE}&code=${CODE}&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu.evil.io`, /not a known/],
    ["userinfo trick", `state=${STATE}&code=${CODE}&location=us&accounts-server=https%3A%2F%2Faccounts.zoho.com%40evil.io`, /not a known/],
    ["server of another DC", `state=${STATE}&code=${CODE}&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.com`, /does not belong/],
    ["unknown location", `state=${STATE}&code=${CODE}&location=mars`, /not a known Zoho data centre/],
    ["missing location", `state=${STATE}&code=${CODE}`, /location parameter is missing/],
    ["missing state", `code=${CODE}&location=us`, /state parameter is missing/],
    ["missing code", `state=${STATE}&location=us`, /code parameter is missing/],
    ["malformed code", `state=${STATE}&code=1000.xyz.abc&location=us`, /code parameter is malformed/],
    ["code with markup", `state=${STATE}&code=${CODE}%3Cscript%3E&location=us`, /code parameter is malformed/],
    ["malformed state", `state=a%20b%3Cc%3Edefgh&code=${CODE}&location=us`, /state parameter is malformed/],
    ["duplicate code", `state=${STATE}&code=${CODE}&code=${CODE}&location=us`, /"code" appears more than once/],
    ["duplicate accounts-server", `state=${STATE}&code=${CODE}&location=us&accounts-server=https%3A%2F%2Faccounts.zoho.com&accounts-server=https%3A%2F%2Fevil.io`, /more than once/],
    ["duplicate state", `state=${STATE}&state=other1234&code=${CODE}&location=us`, /"state" appears more than once/],
    ["error and code", `state=${STATE}&code=${CODE}&error=access_denied`, /both an error and a code/],
    ["malformed error", `state=${STATE}&error=%3Cb%3Ex`, /error parameter is malformed/],
    ["over-long state", `state=${"a".repeat(600)}&code=${CODE}&location=us`, /too long/],
    ["over-long query", `state=${STATE}&code=${CODE}&location=us&junk=${"x".repeat(5000)}`, /too long/],
    ["too many params", `state=${STATE}&code=${CODE}&location=us${"&x=1".repeat(40)}`, /too many/],
  ])("rejects %s", (_name, query, reason) => {
    const r = parseCallbackParams(query, LIVE);
    expect(r.kind).toBe("invalid");
    if (r.kind === "invalid") expect(r.reason).toMatch(reason);
  });

  it("never echoes hostile values in its reason", () => {
    const r = parseCallbackParams(`state=${STATE}&code=${CODE}&location=%3Cscript%3E`, LIVE);
    expect(r.kind === "invalid" && r.reason).not.toMatch(/script/);
  });

  it("rejects duplicates in a record", () => {
    expect(parseCallbackParams({ state: STATE, code: [CODE, CODE], location: "us" }, LIVE).kind).toBe("invalid");
  });
});
