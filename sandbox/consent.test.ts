// The consent screens over plain HTTP: request errors shown as pages, sign-in, the trip to the
// user's own DC, the Assist organisation chooser, Accept and Deny.
import { describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, EU_USER, MULTI_USER, SEED_ORGS, SINGLE_USER } from "./seed";
import { ConsentDriver, REDIRECT_URI, api, exchange, formOf, textOf, type TestSandbox, withResetSandbox } from "./test-support";

describe("consent", () => {
  let sb: TestSandbox;
  let driver: ConsentDriver;

  withResetSandbox((s, d) => {
    sb = s;
    driver = d;
  });

  const authAt = (params: Record<string, string>, dc = "us") =>
    fetch(`${sb.url}/${dc}/accounts/oauth/v2/auth?${new URLSearchParams(params)}`, { redirect: "manual" });
  const valid = { response_type: "code", client_id: DEMO_CLIENT_ID, redirect_uri: REDIRECT_URI, scope: "Desk.basic.READ" };

  it.each([
    ["ERROR_invalid_response_type", { response_type: "token" }],
    ["ERROR_invalid_response_type", { scope: undefined }],
    ["ERROR_invalid_client", { client_id: "" }],
    ["ERROR_invalid_client", { client_id: "1000.UNKNOWNCLIENT00000000000000000" }],
    ["ERROR_invalid_redirect_uri", { redirect_uri: "https://evil.example/callback" }],
    ["ERROR_invalid_scope", { scope: "Desk.tickets.READ,Nope.things.READ" }],
    ["ERROR_invalid_scope", { scope: "Desk.tickets" }],
  ])("shows %s as a page instead of redirecting (%j)", async (code, change) => {
    const params: Record<string, string> = { ...valid };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete params[k]; else params[k] = v;
    const res = await authAt(params);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(textOf(await res.text())).toContain(code);
  });

  it("sends an unsigned visitor to sign-in, refuses a wrong password, then shows the consent page", async () => {
    const first = await authAt({ ...valid, state: "s1" });
    expect(first.status).toBe(302);
    const signin = first.headers.get("location")!;
    expect(signin).toMatch(/^\/us\/accounts\/signin\?serviceurl=/);
    const page = await fetch(new URL(signin, sb.url)).then((r) => r.text());
    const { action, fields } = formOf(page);
    fields.set("email", SINGLE_USER.email);
    fields.set("password", "wrong");
    const refused = await fetch(new URL(action, sb.url), { method: "POST", body: fields, redirect: "manual" });
    expect(refused.status).toBe(401);
    expect(textOf(await refused.text())).toContain("Invalid email address or password");
    fields.set("password", "sandbox");
    const ok = await fetch(new URL(action, sb.url), { method: "POST", body: fields, redirect: "manual" });
    expect(ok.status).toBe(302);
    const cookie = ok.headers.getSetCookie()[0].split(";")[0];
    const consent = await fetch(new URL(ok.headers.get("location")!, sb.url), { headers: { cookie } });
    const text = textOf(await consent.text());
    expect(text).toContain("Zoho OAuth Console (demo) would like to access your Zoho account");
    expect(text).toContain("Desk.basic.READ");
  });

  it("redirects with code, location, accounts-server and state on Accept", async () => {
    const { callback } = await driver.consent({ email: SINGLE_USER.email, scope: "Desk.basic.READ", state: "xyz 123" });
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect([...callback.searchParams.keys()]).toEqual(["state", "code", "location", "accounts-server"]);
    expect(callback.searchParams.get("state")).toBe("xyz 123");
    expect(callback.searchParams.get("code")).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    expect(callback.searchParams.get("location")).toBe("us");
    expect(callback.searchParams.get("accounts-server")).toBe(`${sb.url}/us/accounts`);
  });

  it("redirects with error=access_denied and the state on Deny, and issues no code", async () => {
    const { callback } = await driver.consent({ email: SINGLE_USER.email, scope: "Desk.basic.READ", state: "deny-me", decision: "deny" });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe("deny-me");
    expect(callback.searchParams.has("code")).toBe(false);
    expect((await sb.admin("GET", "counters")).body.codesIssued).toBe(0);
  });

  it("sends an eu account that started at us to the eu accounts server", async () => {
    const { callback, visited } = await driver.consent({ email: EU_USER.email, scope: "Desk.basic.READ,AaaServer.profile.READ", state: "eu" });
    expect(visited.some((u) => u.startsWith(`${sb.url}/eu/accounts/oauth/v2/auth?`))).toBe(true);
    expect(callback.searchParams.get("location")).toBe("eu");
    expect(callback.searchParams.get("accounts-server")).toBe(`${sb.url}/eu/accounts`);
    const code = callback.searchParams.get("code")!;
    expect((await exchange(sb.url, code, "us")).body).toEqual({ error: "invalid_code" });
    const tokens = await exchange(sb.url, code, "eu");
    expect(tokens.body.api_domain).toBe(`${sb.url}/eu/zohoapis`);
    const me = await api(`${sb.url}/eu/accounts/oauth/user/info`, tokens.body.access_token);
    expect(me.body.Email).toBe(EU_USER.email);
  });

  it("stops an eu account when the client is not enabled in eu", async () => {
    await sb.admin("PATCH", `clients/${DEMO_CLIENT_ID}`, { enabledDcs: ["us"] });
    await expect(driver.consent({ email: EU_USER.email, scope: "Desk.basic.READ" })).rejects.toThrow(/ERROR_invalid_client[\s\S]*eu data centre/);
  });

  it("lets the multi-org user choose one Assist org across environments and binds the token to it", async () => {
    const { callback, pages } = await driver.consent({
      email: MULTI_USER.email,
      scope: "ZohoAssist.userapi.READ",
      assistOrg: SEED_ORGS.assistSandbox,
    });
    const chooser = textOf(pages.find((p) => p.includes('name="assist_org"'))!);
    for (const label of ["Production", "Sandbox", "Developer", "Zylker Assist", "Zylker Assist Sandbox", "Zylker Assist Developer"]) {
      expect(chooser).toContain(label);
    }
    expect(textOf(pages[pages.length - 1])).toContain("Organisation: Zylker Assist Sandbox (Sandbox)");
    const tokens = await exchange(sb.url, callback.searchParams.get("code")!);
    const me = await api(`${sb.url}/us/assist/api/v2/user`, tokens.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body.representation.org_details).toMatchObject({ zsoid: SEED_ORGS.assistSandbox, org_name: "Zylker Assist Sandbox" });
    expect(me.body.representation.departments).toEqual([{ department_id: "900000001003", department_name: "QA", display_name: "QA" }]);
    // The binding survives refreshes.
    const refreshed = await fetch(`${sb.url}/us/accounts/oauth/v2/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.body.refresh_token, client_id: DEMO_CLIENT_ID, client_secret: (await sb.admin("GET", `clients/${DEMO_CLIENT_ID}`)).body.clientSecret }),
    }).then((r) => r.json());
    const again = await api(`${sb.url}/us/assist/api/v2/user`, refreshed.access_token);
    expect(again.body.representation.org_details.zsoid).toBe(SEED_ORGS.assistSandbox);
  });

  it("rejects an org the user does not belong to and shows the chooser again", async () => {
    await expect(
      driver.consent({ email: MULTI_USER.email, scope: "ZohoAssist.userapi.READ", assistOrg: SEED_ORGS.assistBen }),
    ).rejects.toThrow(/did not finish|chooser/);
  });

  it("binds the single Assist org silently for a user who has only one", async () => {
    const { callback, pages } = await driver.consent({ email: SINGLE_USER.email, scope: "ZohoAssist.userapi.READ" });
    expect(pages.some((p) => p.includes('name="assist_org"'))).toBe(false);
    const tokens = await exchange(sb.url, callback.searchParams.get("code")!);
    const me = await api(`${sb.url}/us/assist/api/v2/user`, tokens.body.access_token);
    expect(me.body.representation.org_details.zsoid).toBe(SEED_ORGS.assistBen);
  });

  it("escapes what it echoes", async () => {
    const created = await sb.admin("POST", "clients", { name: "<script>alert(1)</script>", redirectUris: [REDIRECT_URI] });
    const { pages } = await driver.consent({ email: SINGLE_USER.email, scope: "Desk.basic.READ", clientId: created.body.clientId, state: '"><img src=x>' });
    const consent = pages[pages.length - 1];
    expect(consent).not.toContain("<script>alert(1)</script>");
    expect(consent).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(consent).not.toContain('"><img src=x>');
  });

  it("does not accept a decision sent with GET", async () => {
    await driver.consent({ email: SINGLE_USER.email, scope: "Desk.basic.READ" });
    const res = await fetch(`${driver.authUrl({ email: SINGLE_USER.email, scope: "Desk.basic.READ" })}&decision=accept`, {
      headers: { cookie: driver.cookie },
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('value="accept"');
  });
});
