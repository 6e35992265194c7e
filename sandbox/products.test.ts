// Resource servers check the token, its scope, its DC and the organisation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, EU_USER, MULTI_USER, SEED_ORGS, SINGLE_USER } from "./seed";
import { ConsentDriver, api, exchange, startTestSandbox, type TestSandbox } from "./test-support";

describe("product APIs", () => {
  let sb: TestSandbox;
  let driver: ConsentDriver;
  const grant = async (email: string, scope: string, dc = "us", assistOrg?: string) =>
    (await exchange(sb.url, await driver.code({ email, scope, prompt: "consent", assistOrg }), dc)).body;

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  beforeEach(async () => {
    await sb.admin("POST", "reset");
    driver = new ConsentDriver(sb.url);
  });
  afterAll(() => sb.close());

  it("lists Desk organisations in Desk's shape", async () => {
    const t = await grant(MULTI_USER.email, "Desk.basic.READ");
    const res = await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token);
    expect(res.status).toBe(200);
    expect(res.body.data.map((o: { id: string }) => o.id)).toEqual([SEED_ORGS.deskZylkerSupport, SEED_ORGS.deskZylkerLabs]);
    expect(res.body.data[0]).toMatchObject({ companyName: "Zylker Support", portalName: "zylkersupport", isDefault: true, isAdminInOrg: true, edition: "ENTERPRISE" });
    expect(res.body.data[1].isDefault).toBe(false);
  });

  it("needs orgId of the user's own org for Desk tickets", async () => {
    const t = await grant(MULTI_USER.email, "Desk.tickets.READ,Desk.basic.READ");
    const url = `${sb.url}/us/desk/api/v1/tickets`;
    expect((await api(url, t.access_token)).status).toBe(422);
    const foreign = await api(url, t.access_token, { orgId: SEED_ORGS.deskBen });
    expect(foreign.status).toBe(403);
    const mine = await api(url, t.access_token, { orgId: SEED_ORGS.deskZylkerLabs });
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThan(0);
    expect(mine.body.data[0].id.startsWith(SEED_ORGS.deskZylkerLabs)).toBe(true);
  });

  it("refuses a scope the token was not granted", async () => {
    const t = await grant(MULTI_USER.email, "Desk.basic.READ");
    const tickets = await api(`${sb.url}/us/desk/api/v1/tickets`, t.access_token, { orgId: SEED_ORGS.deskZylkerSupport });
    expect(tickets).toMatchObject({ status: 401, body: { errorCode: "SCOPE_MISMATCH" } });
    const portals = await api(`${sb.url}/us/salesiq/api/v2/portals`, t.access_token);
    expect(portals).toMatchObject({ status: 200, body: { error: { code: 1007 } } });
    const me = await api(`${sb.url}/us/accounts/oauth/user/info`, t.access_token);
    expect(me).toMatchObject({ status: 401, body: { error: "INVALID_OAUTHSCOPE" } });
  });

  it("answers a revoked token with INVALID_OAUTHTOKEN on every product", async () => {
    const t = await grant(MULTI_USER.email, "Desk.basic.READ,SalesIQ.portals.READ,ZohoAssist.userapi.READ", "us", SEED_ORGS.assistProduction);
    expect((await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).status).toBe(200);
    const revoke = await fetch(`${sb.url}/us/accounts/oauth/v2/token/revoke?token=${t.refresh_token}`, { method: "POST" });
    expect(await revoke.json()).toEqual({ status: "success" });
    expect(await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).toEqual({
      status: 401,
      body: { errorCode: "INVALID_OAUTHTOKEN", message: "The OAuth Token you provided is invalid." },
    });
    expect((await api(`${sb.url}/us/assist/api/v2/user`, t.access_token)).body.error.code).toBe("INVALID_OAUTHTOKEN");
    expect(await api(`${sb.url}/us/salesiq/api/v2/portals`, t.access_token)).toEqual({
      status: 200,
      body: { error: { code: 1005, message: "INVALID_OAUTHTOKEN" } },
    });
  });

  it("refuses a token on another DC's hosts", async () => {
    const eu = await grant(EU_USER.email, "Desk.basic.READ", "eu");
    expect((await api(`${sb.url}/eu/desk/api/v1/organizations`, eu.access_token)).body.data[0].id).toBe(SEED_ORGS.deskEva);
    expect((await api(`${sb.url}/us/desk/api/v1/organizations`, eu.access_token)).body.errorCode).toBe("INVALID_OAUTHTOKEN");
    expect(await api(`${sb.url}/us/zohoapis/crm/v2/users`, eu.access_token)).toMatchObject({ status: 401, body: { code: "INVALID_TOKEN" } });
    expect((await api(`${sb.url}/eu/zohoapis/crm/v2/users`, eu.access_token)).body.code).toBe("INVALID_URL_PATTERN");
  });

  it("reads only Zoho-oauthtoken authorization", async () => {
    const t = await grant(SINGLE_USER.email, "Desk.basic.READ");
    const bearer = await fetch(`${sb.url}/us/desk/api/v1/organizations`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(bearer.status).toBe(401);
    expect((await fetch(`${sb.url}/us/desk/api/v1/organizations`)).status).toBe(401);
  });

  it("lists SalesIQ portals and chats only under the user's own screennames", async () => {
    const t = await grant(MULTI_USER.email, "SalesIQ.portals.READ,SalesIQ.conversations.READ");
    const portals = await api(`${sb.url}/us/salesiq/api/v2/portals`, t.access_token);
    expect(portals.body).toMatchObject({ url: "/api/v2/portals", object: "list" });
    expect(portals.body.data.map((p: { screenname: string }) => p.screenname)).toEqual([SEED_ORGS.salesiqZylkerChat, SEED_ORGS.salesiqZylkerLabs]);
    expect(Object.keys(portals.body.data[0]).sort()).toEqual(["created_time", "name", "operator_id", "owner_zuid", "screenname"]);
    const chats = await api(`${sb.url}/us/salesiq/api/v2/${SEED_ORGS.salesiqZylkerLabs}/chats`, t.access_token);
    expect(chats.body.object).toBe("list");
    expect(chats.body.data.length).toBeGreaterThan(0);
    const foreign = await api(`${sb.url}/us/salesiq/api/v2/${SEED_ORGS.salesiqBen}/chats`, t.access_token);
    expect(foreign).toEqual({ status: 200, body: { error: { code: 1006, message: "Invalid URL" } } });
    expect((await api(`${sb.url}/us/salesiq/api/v2/nothing/here/at/all`, t.access_token)).body.error.code).toBe(1006);
  });

  it("returns the profile with AaaServer.profile.READ", async () => {
    const t = await grant(SINGLE_USER.email, "AaaServer.profile.READ");
    const me = await api(`${sb.url}/us/accounts/oauth/user/info`, t.access_token);
    expect(me.body).toEqual({ First_Name: "Ben", Email: SINGLE_USER.email, Last_Name: "Okafor", Display_Name: "Ben Okafor", ZUID: 70000002 });
  });

  it("kills tokens when the user removes the app under Connected Apps", async () => {
    const t = await grant(SINGLE_USER.email, "Desk.basic.READ");
    const res = await sb.admin("POST", "revoke-grants", { email: SINGLE_USER.email, clientId: DEMO_CLIENT_ID });
    expect(res.body).toEqual({ status: "success", revoked: { refreshTokens: 1, accessTokens: 1 } });
    expect((await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).body.errorCode).toBe("INVALID_OAUTHTOKEN");
    const live = await sb.admin("GET", `tokens?refresh_token=${t.refresh_token}`);
    expect(live.body).toMatchObject({ status: "revoked", reason: "revoked: app removed by the user" });
  });

  it("answers revoke of an unknown token with HTTP 400 and accepts the token in the body", async () => {
    const t = await grant(SINGLE_USER.email, "Desk.basic.READ");
    const unknown = await fetch(`${sb.url}/us/accounts/oauth/v2/token/revoke?token=1000.abc`, { method: "POST" });
    expect(unknown.status).toBe(400);
    const elsewhere = await fetch(`${sb.url}/eu/accounts/oauth/v2/token/revoke`, { method: "POST", body: new URLSearchParams({ token: t.access_token }) });
    expect(elsewhere.status).toBe(400);
    const body = await fetch(`${sb.url}/us/accounts/oauth/v2/token/revoke`, { method: "POST", body: new URLSearchParams({ token: t.access_token }) });
    expect(await body.json()).toEqual({ status: "success" });
    expect((await sb.admin("GET", `tokens?access_token=${t.access_token}`)).body.status).toBe("revoked");
    expect((await sb.admin("GET", `tokens?refresh_token=${t.refresh_token}`)).body.status).toBe("live");
  });
});
