// Resource servers check the token, its scope, its DC and the organisation.
import { describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, EU_USER, MULTI_USER, SEED_ORGS, SINGLE_USER } from "./seed";
import { ConsentDriver, api, exchange, type TestSandbox, withResetSandbox } from "./test-support";

describe("product APIs", () => {
  let sb: TestSandbox;
  let driver: ConsentDriver;
  const grant = async (email: string, scope: string, dc = "us", assistOrg?: string) =>
    (await exchange(sb.url, await driver.code({ email, scope, prompt: "consent", assistOrg }), dc)).body;

  withResetSandbox((s, d) => {
    sb = s;
    driver = d;
  });

  it("lists Desk organisations in Desk's shape", async () => {
    const t = await grant(MULTI_USER.email, "Desk.basic.READ");
    const res = await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token);
    expect(res.status).toBe(200);
    expect(res.body.data.map((o: { id: string }) => o.id)).toEqual([SEED_ORGS.deskZylkerSupport, SEED_ORGS.deskZylkerLabs]);
    expect(res.body.data[0]).toMatchObject({ companyName: "Zylker Support", portalName: "zylkersupport", isDefault: true, isAdminInOrg: true, edition: "ENTERPRISE" });
    expect(res.body.data[1].isDefault).toBe(false);
  });

  it("slows the next product API calls when an api fault asks, then answers normally", async () => {
    const t = await grant(MULTI_USER.email, "Desk.basic.READ");
    const url = `${sb.url}/us/desk/api/v1/organizations`;
    expect((await sb.admin("POST", "faults", { api: { delayMs: 400, count: 1 } })).status).toBe(200);
    let started = performance.now();
    expect((await api(url, t.access_token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    started = performance.now();
    expect((await api(url, t.access_token)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(380);
    expect((await sb.admin("GET", "faults")).body).toEqual({});
    expect((await sb.admin("POST", "faults", { api: { count: 2 } })).status).toBe(400);
  });

  it("needs orgId of the user's own org for Desk tickets", async () => {
    const t = await grant(MULTI_USER.email, "Desk.tickets.READ,Desk.basic.READ");
    const url = `${sb.url}/us/desk/api/v1/tickets`;
    expect((await api(url, t.access_token)).status).toBe(422);
    const foreign = await api(url, t.access_token, { orgId: SEED_ORGS.deskBen });
    expect(foreign).toMatchObject({ status: 403, body: { errorCode: "OAUTH_ORG_MISMATCH" } });
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
    expect(portals).toEqual({ status: 200, body: { error: { code: 1009, message: "Invalid OAuth scope" } } });
    const me = await api(`${sb.url}/us/accounts/oauth/user/info`, t.access_token);
    expect(me).toMatchObject({ status: 401, body: { error: "INVALID_OAUTHSCOPE" } });
  });

  it("answers a revoked token the way each product does", async () => {
    const t = await grant(MULTI_USER.email, "Desk.basic.READ,SalesIQ.portals.READ,ZohoAssist.userapi.READ", "us", SEED_ORGS.assistProduction);
    expect((await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).status).toBe(200);
    const revoke = await fetch(`${sb.url}/us/accounts/oauth/v2/token/revoke?token=${t.refresh_token}`, { method: "POST" });
    expect(await revoke.json()).toEqual({ status: "success" });
    expect(await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).toEqual({
      status: 401,
      body: { errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." },
    });
    expect(await api(`${sb.url}/us/assist/api/v2/user`, t.access_token)).toEqual({
      status: 401,
      body: { error: { code: 1008, message: "The OAuth token is invalid or has expired." } },
    });
    expect(await api(`${sb.url}/us/salesiq/api/v2/portals`, t.access_token)).toEqual({
      status: 200,
      body: { error: { code: 1008, message: "Invalid access token" } },
    });
  });

  describe("Desk create ticket", () => {
    const post = (token: string, body: string | undefined, headers: Record<string, string> = {}) =>
      fetch(`${sb.url}/us/desk/api/v1/tickets`, {
        method: "POST",
        headers: { authorization: `Zoho-oauthtoken ${token}`, ...headers },
        body,
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
    const jsonHeaders = (orgId: string = SEED_ORGS.deskZylkerSupport) => ({ orgId, "content-type": "application/json" });
    const ticket = JSON.stringify({ subject: "Printer on fire", description: "Smoke everywhere", email: "carol@example.com", departmentId: "1" });

    it("creates a ticket and echoes the body", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.CREATE");
      const res = await post(t.access_token, ticket, { orgId: SEED_ORGS.deskZylkerLabs, "content-type": "application/json; charset=UTF-8" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ subject: "Printer on fire", description: "Smoke everywhere", email: "carol@example.com", status: "Open" });
      expect(Object.keys(res.body).sort()).toEqual(["createdTime", "departmentId", "description", "email", "id", "status", "subject", "ticketNumber"]);
      expect(res.body.id.startsWith(SEED_ORGS.deskZylkerLabs)).toBe(true);
      expect(res.body.createdTime).toMatch(/^\d{4}-\d\d-\d\dT.*\+0000$/);
    });

    it.each(["Desk.tickets.CREATE", "Desk.tickets.WRITE", "Desk.tickets.ALL"])("accepts %s", async (scope) => {
      const t = await grant(MULTI_USER.email, scope);
      expect((await post(t.access_token, ticket, jsonHeaders())).status).toBe(200);
    });

    it.each(["Desk.tickets.READ", "Desk.basic.READ,Desk.contacts.CREATE", "Desk.tickets.UPDATE"])("refuses %s with SCOPE_MISMATCH", async (scope) => {
      const t = await grant(MULTI_USER.email, scope);
      expect(await post(t.access_token, ticket, jsonHeaders())).toMatchObject({ status: 401, body: { errorCode: "SCOPE_MISMATCH" } });
    });

    it("answers a dead token with INVALID_OAUTH", async () => {
      expect(await post("1000.abc.def", ticket, jsonHeaders())).toEqual({
        status: 401,
        body: { errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." },
      });
    });

    it("needs orgId of the user's own org", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.CREATE");
      expect(await post(t.access_token, ticket, { "content-type": "application/json" })).toMatchObject({ status: 422, body: { errorCode: "UNPROCESSABLE_ENTITY" } });
      expect(await post(t.access_token, ticket, jsonHeaders(SEED_ORGS.deskBen))).toMatchObject({ status: 403, body: { errorCode: "OAUTH_ORG_MISMATCH" } });
    });

    it("needs a JSON body", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.CREATE");
      const form = await post(t.access_token, "subject=x", { orgId: SEED_ORGS.deskZylkerSupport, "content-type": "application/x-www-form-urlencoded" });
      expect(form).toMatchObject({ status: 415, body: { errorCode: "UNSUPPORTED_MEDIA_TYPE" } });
      const none = await post(t.access_token, ticket, { orgId: SEED_ORGS.deskZylkerSupport, "content-type": "" });
      expect(none).toMatchObject({ status: 415, body: { errorCode: "UNSUPPORTED_MEDIA_TYPE" } });
      for (const junk of ["{not json", "[1,2]", "null", ""]) {
        expect((await post(t.access_token, junk, jsonHeaders())).status).toBe(422);
      }
    });

    it.each([
      ["missing", {}],
      ["empty", { subject: "" }],
      ["blank", { subject: "   " }],
      ["not a string", { subject: 42 }],
    ])("refuses a %s subject", async (_name, body) => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.CREATE");
      const res = await post(t.access_token, JSON.stringify(body), jsonHeaders());
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ errorCode: "UNPROCESSABLE_ENTITY", errors: [{ fieldName: "/subject", errorType: "missing" }] });
      expect(typeof res.body.message).toBe("string");
    });

    it("refuses a body over 1 MB with 413", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.CREATE");
      const big = JSON.stringify({ subject: "big", description: "x".repeat(1024 * 1024) });
      expect((await post(t.access_token, big, jsonHeaders())).status).toBe(413);
      const fits = JSON.stringify({ subject: "fits", description: "x".repeat(900 * 1024) });
      expect((await post(t.access_token, fits, jsonHeaders())).status).toBe(200);
    });

    it("keeps other methods on tickets refused", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.ALL");
      const put = await fetch(`${sb.url}/us/desk/api/v1/tickets`, { method: "PUT", headers: { authorization: `Zoho-oauthtoken ${t.access_token}`, ...jsonHeaders() }, body: ticket });
      expect(put.status).toBe(405);
      const orgs = await fetch(`${sb.url}/us/desk/api/v1/organizations`, { method: "POST", headers: { authorization: `Zoho-oauthtoken ${t.access_token}` } });
      expect(orgs.status).toBe(405);
      const list = await api(`${sb.url}/us/desk/api/v1/tickets`, t.access_token, { orgId: SEED_ORGS.deskZylkerSupport });
      expect(list.status).toBe(200);
    });
  });

  it("refuses a token on another DC's hosts", async () => {
    const eu = await grant(EU_USER.email, "Desk.basic.READ", "eu");
    expect((await api(`${sb.url}/eu/desk/api/v1/organizations`, eu.access_token)).body.data[0].id).toBe(SEED_ORGS.deskEva);
    expect((await api(`${sb.url}/us/desk/api/v1/organizations`, eu.access_token)).body.errorCode).toBe("INVALID_OAUTH");
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
    expect(foreign).toEqual({ status: 200, body: { error: { code: 1005, message: "Invalid portal" } } });
    const unknown = await api(`${sb.url}/us/salesiq/api/v2/nothing-here/chats`, t.access_token);
    expect(unknown).toEqual({ status: 200, body: { error: { code: 1005, message: "Invalid portal" } } });
    expect(await api(`${sb.url}/us/salesiq/api/v2/nothing/here/at/all`, t.access_token)).toEqual({
      status: 200,
      body: { error: { code: 1006, message: "Invalid URL" } },
    });
  });

  it("answers SalesIQ errors with HTTP 200 and numeric codes only", async () => {
    const portalsOnly = await grant(MULTI_USER.email, "SalesIQ.portals.READ");
    const chats = await api(`${sb.url}/us/salesiq/api/v2/${SEED_ORGS.salesiqZylkerChat}/chats`, portalsOnly.access_token);
    expect(chats).toEqual({ status: 200, body: { error: { code: 1009, message: "Invalid OAuth scope" } } });
    const eu = await grant(EU_USER.email, "SalesIQ.portals.READ", "eu");
    for (const token of ["1000.abc.def", eu.access_token]) {
      const res = await api(`${sb.url}/us/salesiq/api/v2/portals`, token);
      expect(res).toEqual({ status: 200, body: { error: { code: 1008, message: "Invalid access token" } } });
      expect(JSON.stringify(res.body)).not.toMatch(/INVALID_OAUTHTOKEN/i);
    }
    const missing = { status: 200, body: { error: { code: 1002, message: "Missing or invalid Authorization header" } } };
    expect(await api(`${sb.url}/us/salesiq/api/v2/portals`, "")).toEqual(missing);
    const noHeader = await fetch(`${sb.url}/us/salesiq/api/v2/portals`);
    expect({ status: noHeader.status, body: await noHeader.json() }).toEqual(missing);
    const bearer = await fetch(`${sb.url}/us/salesiq/api/v2/portals`, { headers: { authorization: `Bearer ${portalsOnly.access_token}` } });
    expect(await bearer.json()).toEqual(missing.body);
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
    expect((await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).body.errorCode).toBe("INVALID_OAUTH");
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
