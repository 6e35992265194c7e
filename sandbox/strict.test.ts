// As strict as Zoho's documentation: only documented scopes, Desk.basic.READ for Desk's
// organisations, each product's own error shapes, the callback's stray `&`, serverinfo without cn.
import { describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, MULTI_USER, SEED_ORGS, SELF_CLIENT_ID, SELF_CLIENT_SECRET, SINGLE_USER } from "./seed";
import { ConsentDriver, REDIRECT_URI, api, exchange, textOf, tokenCall, type TestSandbox, withResetSandbox } from "./test-support";

describe("a sandbox as strict as Zoho", () => {
  let sb: TestSandbox;
  let driver: ConsentDriver;
  const grant = async (email: string, scope: string, assistOrg?: string) =>
    (await exchange(sb.url, await driver.code({ email, scope, prompt: "consent", assistOrg }))).body;
  const consentPage = (scope: string) =>
    fetch(
      `${sb.url}/us/accounts/oauth/v2/auth?${new URLSearchParams({ response_type: "code", client_id: DEMO_CLIENT_ID, redirect_uri: REDIRECT_URI, scope })}`,
      { redirect: "manual" },
    );

  withResetSandbox((s, d) => {
    sb = s;
    driver = d;
  });

  describe("scopes", () => {
    it.each([
      "Desk.search.DELETE",
      "Desk.basic.ALL",
      "Desk.basic.UPDATE",
      "Desk.events.READ",
      "Desk.articles.WRITE",
      "Desk.agents.READ",
      "SalesIQ.portals.DELETE",
      "SalesIQ.chats.READ",
      "SalesIQ.chatdetails.ALL",
      "SalesIQ.webhooks.READ",
      "ZohoAssist.userapi.ALL",
      "ZohoAssist.reportapi.DELETE",
      "ZohoAssist.unattended.device.READ",
      "AaaServer.profile.ALL",
    ])("consent refuses the undocumented scope %s with ERROR_invalid_scope", async (scope) => {
      const res = await consentPage(`Desk.tickets.READ,${scope}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(textOf(await res.text())).toContain("ERROR_invalid_scope");
    });

    it("accepts every scope Zoho documents", async () => {
      const documented = [
        "Desk.tickets.ALL,Desk.tickets.WRITE,Desk.contacts.DELETE,Desk.tasks.UPDATE,Desk.settings.READ,Desk.basic.READ,Desk.basic.CREATE",
        "Desk.search.READ,Desk.events.ALL,Desk.articles.READ,Desk.articles.CREATE,Desk.articles.UPDATE,Desk.articles.DELETE",
        "ZohoAssist.userapi.READ,ZohoAssist.sessionapi.CREATE,ZohoAssist.unattended.device.CREATE,ZohoAssist.unattended.computer.READ",
        "ZohoAssist.unattended.computer.UPDATE,ZohoAssist.unattended.computer.DELETE,ZohoAssist.unattended.group.READ",
        "ZohoAssist.unattended.group.CREATE,ZohoAssist.unattended.group.UPDATE,ZohoAssist.unattended.group.DELETE,ZohoAssist.reportapi.READ",
        "SalesIQ.portals.READ,SalesIQ.portals.CREATE,SalesIQ.portals.UPDATE,SalesIQ.portals.ALL,SalesIQ.operators.DELETE",
        "SalesIQ.departments.ALL,SalesIQ.conversations.READ,SalesIQ.conversations.UPDATE,SalesIQ.visitors.ALL,SalesIQ.visitors.UPDATE",
        "SalesIQ.webhooks.CREATE,SalesIQ.webhooks.DELETE,SalesIQ.PushNotifications.UPDATE,SalesIQ.chatdetails.READ",
        "SalesIQ.chattranscript.READ,SalesIQ.visitordetails.READ,SalesIQ.visitordetails.UPDATE,AaaServer.profile.READ",
      ];
      for (const scope of documented) {
        const res = await consentPage(scope);
        // Not an error page: the sign-in redirect comes first.
        expect(res.status, scope).toBe(302);
      }
    });

    it("accepts the scopes of Zoho's examples only when exampleScopes is on", async () => {
      const examples = "ZohoAssist.sessionapi.ALL,ZohoAssist.users.ALL,SalesIQ.chatdetails.UPDATE";
      expect((await consentPage(examples)).status).toBe(400);
      await sb.admin("POST", "limits", { exampleScopes: true });
      expect((await consentPage(examples)).status).toBe(302);
      const t = await grant(MULTI_USER.email, "ZohoAssist.users.ALL", SEED_ORGS.assistProduction);
      expect((await api(`${sb.url}/us/assist/api/v2/user`, t.access_token)).status).toBe(200);
    });

    it("applies the same list to self-client codes and client credentials", async () => {
      const bad = await sb.admin("POST", "codes", { clientId: SELF_CLIENT_ID, email: MULTI_USER.email, scopes: "Desk.search.DELETE", durationMinutes: 3 });
      expect(bad.status).toBe(400);
      const good = await sb.admin("POST", "codes", { clientId: SELF_CLIENT_ID, email: MULTI_USER.email, scopes: "Desk.basic.READ", durationMinutes: 3, orgId: SEED_ORGS.deskZylkerSupport });
      expect(good.status).toBe(201);
      const cc = (scope: string) =>
        tokenCall(sb.url, { grant_type: "client_credentials", client_id: SELF_CLIENT_ID, client_secret: SELF_CLIENT_SECRET, scope, soid: `Desk.${SEED_ORGS.deskZylkerSupport}` });
      expect((await cc("Desk.search.DELETE")).body).toEqual({ error: "invalid_scope" });
      expect((await cc("Desk.search.READ")).body.access_token).toBeTruthy();
    });
  });

  describe("Desk", () => {
    it("lists organisations only with Desk.basic.READ", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.READ,Desk.tickets.ALL,Desk.settings.READ");
      const orgs = await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token);
      expect(orgs).toEqual({ status: 401, body: { errorCode: "SCOPE_MISMATCH", message: "The OAuth scope does not allow this request." } });
      const withBasic = await grant(MULTI_USER.email, "Desk.tickets.READ,Desk.basic.READ");
      expect((await api(`${sb.url}/us/desk/api/v1/organizations`, withBasic.access_token)).status).toBe(200);
    });

    it("answers SCOPE_MISMATCH and OAUTH_ORG_MISMATCH with the configured statuses", async () => {
      const t = await grant(MULTI_USER.email, "Desk.tickets.READ");
      await sb.admin("POST", "limits", { deskScopeMismatchStatus: 403, deskOrgMismatchStatus: 401 });
      expect(await api(`${sb.url}/us/desk/api/v1/organizations`, t.access_token)).toMatchObject({ status: 403, body: { errorCode: "SCOPE_MISMATCH" } });
      const foreign = await api(`${sb.url}/us/desk/api/v1/tickets`, t.access_token, { orgId: SEED_ORGS.deskBen });
      expect(foreign).toMatchObject({ status: 401, body: { errorCode: "OAUTH_ORG_MISMATCH" } });
      const bad = await sb.admin("POST", "limits", { deskScopeMismatchStatus: 200 });
      expect(bad.status).toBe(400);
    });

    it("refuses an orgId other than the one a self-client token was bound to", async () => {
      const res = await tokenCall(sb.url, {
        grant_type: "client_credentials",
        client_id: SELF_CLIENT_ID,
        client_secret: SELF_CLIENT_SECRET,
        scope: "Desk.tickets.READ",
        soid: `Desk.${SEED_ORGS.deskZylkerSupport}`,
      });
      const token = res.body.access_token as string;
      const url = `${sb.url}/us/desk/api/v1/tickets`;
      expect((await api(url, token, { orgId: SEED_ORGS.deskZylkerSupport })).status).toBe(200);
      expect(await api(url, token, { orgId: SEED_ORGS.deskZylkerLabs })).toMatchObject({ status: 403, body: { errorCode: "OAUTH_ORG_MISMATCH" } });
    });
  });

  describe("Assist", () => {
    it("answers errors with numeric codes", async () => {
      const profileOnly = await grant(SINGLE_USER.email, "AaaServer.profile.READ");
      expect(await api(`${sb.url}/us/assist/api/v2/user`, profileOnly.access_token)).toEqual({
        status: 401,
        body: { error: { code: 1009, message: "Invalid OAuth scope" } },
      });
      const t = await grant(SINGLE_USER.email, "ZohoAssist.userapi.READ");
      const unknownPath = await api(`${sb.url}/us/assist/api/v2/sessions`, t.access_token);
      expect(unknownPath).toEqual({ status: 404, body: { error: { code: 1006, message: "Invalid URL" } } });
      expect((await api(`${sb.url}/us/assist/api/v2/user`, "1000.dead.token")).body.error.code).toBe(1008);
    });
  });

  describe("callback", () => {
    it("ends with a stray & when strayAmpersand is on, and the code still works", async () => {
      const plain = await driver.consent({ email: SINGLE_USER.email, scope: "Desk.basic.READ", state: "s1" });
      expect(plain.callback.href.endsWith("&")).toBe(false);
      await sb.admin("POST", "limits", { strayAmpersand: true });
      const stray = await driver.consent({ email: SINGLE_USER.email, scope: "Desk.basic.READ", state: "s2" });
      expect(stray.callback.href.endsWith("&")).toBe(true);
      expect(stray.callback.searchParams.get("state")).toBe("s2");
      expect(stray.callback.searchParams.get("accounts-server")).toBe(`${sb.url}/us/accounts`);
      const tokens = await exchange(sb.url, stray.callback.searchParams.get("code")!);
      expect(tokens.body.access_token).toBeTruthy();
    });
  });

  it("serverinfo lists every DC but China, whose accounts server still answers", async () => {
    const info = await (await fetch(`${sb.url}/us/accounts/oauth/serverinfo`)).json();
    expect(Object.keys(info.locations).sort()).toEqual(["au", "ca", "eu", "in", "jp", "sa", "uk", "us"]);
    const cn = await fetch(`${sb.url}/cn/accounts/oauth/v2/token`, { method: "POST" });
    expect(await cn.json()).toMatchObject({ error: expect.any(String) });
  });
});
