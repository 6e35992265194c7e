// The browser developer console, driven over plain HTTP forms.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, EU_USER, MULTI_USER, SEED_ORGS, SEED_PASSWORD, SINGLE_USER } from "./seed";
import { ConsentDriver, api, startTestSandbox, textOf, tokenCall, type TestSandbox } from "./test-support";

describe("developer console", () => {
  let sb: TestSandbox;
  let cookie = "";

  const go = async (path: string, form?: Record<string, string | string[]>) => {
    let body: URLSearchParams | undefined;
    if (form) {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    }
    const res = await fetch(`${sb.url}${path}`, { method: form ? "POST" : "GET", body, headers: { cookie }, redirect: "manual" });
    return { status: res.status, location: res.headers.get("location"), html: await res.text() };
  };
  const signIn = async (email: string) => {
    const res = await fetch(`${sb.url}/us/accounts/signin`, {
      method: "POST",
      body: new URLSearchParams({ email, password: SEED_PASSWORD, serviceurl: "/console" }),
      redirect: "manual",
    });
    cookie = res.headers.getSetCookie()[0].split(";")[0];
  };

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  beforeEach(async () => {
    await sb.admin("POST", "reset");
    cookie = "";
  });
  afterAll(() => sb.close());

  it("asks for sign-in and then lists the user's own clients", async () => {
    const anon = await go("/console");
    expect(anon.status).toBe(302);
    expect(anon.location).toBe("/us/accounts/signin?serviceurl=%2Fconsole");
    await signIn(MULTI_USER.email);
    const list = textOf((await go("/console")).html);
    expect(list).toContain(DEMO_CLIENT_ID);
    expect(list).toContain("Self Client");
    await signIn(SINGLE_USER.email);
    expect(textOf((await go("/console")).html)).not.toContain(DEMO_CLIENT_ID);
    expect((await go(`/console/clients/${DEMO_CLIENT_ID}`)).status).toBe(404);
  });

  it("registers a server-based client, shows id and secret, and enables chosen DCs", async () => {
    await signIn(SINGLE_USER.email);
    const invalid = await go("/console/clients", { type: "server", name: "Broken", homepage: "https://x.example", redirectUris: "not a url" });
    expect(invalid.status).toBe(400);
    expect(textOf(invalid.html)).toContain("not an http(s) URL");
    const created = await go("/console/clients", {
      type: "server",
      name: "Ben's integration",
      homepage: "https://bens.example",
      redirectUris: "https://bens.example/callback\nhttps://bens.example/other",
    });
    expect(created.status).toBe(302);
    const page = await go(created.location!);
    const clientId = /id="client-id">([^<]+)</.exec(page.html)![1];
    const secret = /id="client-secret">([^<]+)</.exec(page.html)![1];
    expect(clientId).toMatch(/^1000\.[A-Z0-9]{30}$/);
    expect(secret).toMatch(/^[0-9a-f]{42}$/);
    expect(page.html).toContain("Ben&#39;s integration");

    const saved = await go(`/console/clients/${clientId}/dcs`, { dc: ["eu", "jp"] });
    expect(textOf(saved.html)).toContain("Enabled in: us, eu, jp");
    const stored = (await sb.admin("GET", `clients/${clientId}`)).body;
    expect(stored).toMatchObject({ enabledDcs: ["us", "eu", "jp"], redirectUris: ["https://bens.example/callback", "https://bens.example/other"], homeDc: "us" });
    await go(`/console/clients/${clientId}/dcs`, { all: "1" });
    expect((await sb.admin("GET", `clients/${clientId}`)).body.enabledDcs).toHaveLength(9);

    // The new client works for an eu account because multi-DC is on.
    const driver = new ConsentDriver(sb.url);
    const { callback } = await driver.consent({ email: EU_USER.email, scope: "Desk.basic.READ", clientId, redirectUri: "https://bens.example/other" });
    expect(callback.searchParams.get("location")).toBe("eu");
  });

  it("creates a self client and generates a code with scope, duration, description and org", async () => {
    await signIn(SINGLE_USER.email);
    const created = await go("/console/clients", { type: "self" });
    expect(created.status).toBe(302);
    const page = await go(created.location!);
    const clientId = /id="client-id">([^<]+)</.exec(page.html)![1];
    const secret = /id="client-secret">([^<]+)</.exec(page.html)![1];
    expect(page.html).not.toContain("Multi-DC");
    expect((await go("/console/clients", { type: "self" })).status).toBe(400);

    const bad = await go(`/console/clients/${clientId}/codes`, { scope: "Nope.x.READ", duration: "3", description: "", org: "" });
    expect(textOf(bad.html)).toContain("Enter a valid scope");
    const badDuration = await go(`/console/clients/${clientId}/codes`, { scope: "Desk.basic.READ", duration: "4", description: "", org: "" });
    expect(textOf(badDuration.html)).toContain("3, 5, 7 or 10");

    const generated = await go(`/console/clients/${clientId}/codes`, {
      scope: "ZohoAssist.userapi.READ",
      duration: "5",
      description: "nightly sync",
      org: SEED_ORGS.assistBen,
    });
    const code = /id="generated-code">([^<]+)</.exec(generated.html)![1];
    expect(textOf(generated.html)).toContain("valid for 5 minutes");
    await sb.admin("POST", "clock", { advanceSeconds: 301 });
    const late = await tokenCall(sb.url, { grant_type: "authorization_code", code, client_id: clientId, client_secret: secret });
    expect(late.body).toEqual({ error: "invalid_code" });

    const again = await go(`/console/clients/${clientId}/codes`, { scope: "ZohoAssist.userapi.READ", duration: "10", description: "", org: SEED_ORGS.assistBen });
    const code2 = /id="generated-code">([^<]+)</.exec(again.html)![1];
    await sb.admin("POST", "clock", { advanceSeconds: 540 });
    const t = await tokenCall(sb.url, { grant_type: "authorization_code", code: code2, client_id: clientId, client_secret: secret });
    expect(t.body.refresh_token).toBeDefined();
    const me = await api(`${sb.url}/us/assist/api/v2/user`, t.body.access_token);
    expect(me.body.representation.org_details.zsoid).toBe(SEED_ORGS.assistBen);
  });
});
