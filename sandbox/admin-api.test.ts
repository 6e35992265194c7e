// The admin API and persistence: what tests and demos build on.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, MULTI_USER, SEED_ORGS, SINGLE_USER } from "./seed";
import { ConsentDriver, REDIRECT_URI, api, exchange, startTestSandbox, tokenCall, type TestSandbox } from "./test-support";

describe("admin API", () => {
  let sb: TestSandbox;

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  beforeEach(async () => {
    await sb.admin("POST", "reset");
  });
  afterAll(() => sb.close());

  it("creates users and orgs that consent and the products then see", async () => {
    const user = await sb.admin("POST", "users", { email: "new.person@example.com", password: "pw-1", dc: "in", firstName: "New" });
    expect(user.status).toBe(201);
    const org = await sb.admin("POST", "orgs", { service: "desk", name: "Indigo Help", memberEmails: ["new.person@example.com"] });
    expect(org.body).toMatchObject({ service: "desk", dc: "in", portalName: "indigohelp" });
    const driver = new ConsentDriver(sb.url);
    const { callback } = await driver.consent({ email: "new.person@example.com", password: "pw-1", scope: "Desk.basic.READ" });
    expect(callback.searchParams.get("location")).toBe("in");
    const t = await exchange(sb.url, callback.searchParams.get("code")!, "in");
    const orgs = await api(`${sb.url}/in/desk/api/v1/organizations`, t.body.access_token);
    expect(orgs.body.data).toEqual([expect.objectContaining({ id: org.body.id, companyName: "Indigo Help" })]);
  });

  it("validates its input and never echoes a stack", async () => {
    const bad = [
      await sb.admin("POST", "users", { email: "not-an-email" }),
      await sb.admin("POST", "users", { email: SINGLE_USER.email }),
      await sb.admin("POST", "orgs", { service: "crm", name: "x", memberEmails: [SINGLE_USER.email] }),
      await sb.admin("POST", "orgs", { service: "desk", name: "x", memberEmails: ["ghost@example.com"] }),
      await sb.admin("POST", "clients", { name: "x", redirectUris: ["javascript:alert(1)"] }),
      await sb.admin("POST", "clients", { type: "self", ownerEmail: MULTI_USER.email }),
      await sb.admin("POST", "clients", { clientId: "1000.short", redirectUris: [REDIRECT_URI] }),
      await sb.admin("POST", "clock", {}),
      await sb.admin("POST", "faults", { token: { status: 200 } }),
    ];
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("bad_request");
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    }
    const junk = await fetch(`${sb.url}/_sandbox/users`, { method: "POST", body: "{not json" });
    expect(junk.status).toBe(400);
    expect((await sb.admin("GET", "nope")).status).toBe(404);
  });

  it("creates a client with a fixed id and secret, per-DC secrets, and changes its DCs", async () => {
    const clientId = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
    const created = await sb.admin("POST", "clients", {
      clientId,
      clientSecret: "s3cret",
      redirectUris: [REDIRECT_URI],
      enabledDcs: ["us", "eu"],
      dcSecrets: { eu: "eu-secret" },
    });
    expect(created.body).toMatchObject({ clientId, enabledDcs: ["us", "eu"], homeDc: "us" });
    const driver = new ConsentDriver(sb.url);
    const code = await driver.code({ email: "eva@zylker.eu", scope: "Desk.basic.READ", clientId });
    const params = { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT_URI };
    expect((await tokenCall(sb.url, { ...params, client_secret: "s3cret" }, "eu")).body).toEqual({ error: "invalid_client_secret" });
    expect((await tokenCall(sb.url, { ...params, client_secret: "eu-secret" }, "eu")).body.access_token).toBeDefined();
    const patched = await sb.admin("PATCH", `clients/${clientId}`, { enabledDcs: ["jp"] });
    expect(patched.body.enabledDcs).toEqual(["us", "jp"]);
  });

  it("issues codes directly, including self-client codes of a chosen duration", async () => {
    const direct = await sb.admin("POST", "codes", { clientId: DEMO_CLIENT_ID, email: SINGLE_USER.email, scopes: ["Desk.basic.READ"] });
    expect(direct.status).toBe(201);
    expect((await exchange(sb.url, direct.body.code)).body.refresh_token).toBeDefined();
    const self = await sb.admin("POST", "codes", {
      clientId: "1000.SANDBOXSELFCLIENT0000000000001",
      email: MULTI_USER.email,
      scopes: "ZohoAssist.userapi.READ",
      durationMinutes: 7,
      orgId: SEED_ORGS.assistDeveloper,
    });
    expect(self.status).toBe(201);
    await sb.admin("POST", "clock", { advanceSeconds: 6 * 60 });
    const t = await tokenCall(sb.url, {
      grant_type: "authorization_code",
      code: self.body.code,
      client_id: "1000.SANDBOXSELFCLIENT0000000000001",
      client_secret: "f12fac6e2165643bddb579fc3f8de72c0df84a11cd",
    });
    expect(t.body.refresh_token).toBeDefined();
    const me = await api(`${sb.url}/us/assist/api/v2/user`, t.body.access_token);
    expect(me.body.representation.org_details.zsoid).toBe(SEED_ORGS.assistDeveloper);
    const tooLong = await sb.admin("POST", "codes", { clientId: "1000.SANDBOXSELFCLIENT0000000000001", email: MULTI_USER.email, scopes: "Desk.basic.READ", durationMinutes: 4 });
    expect(tooLong.status).toBe(400);
  });

  it("moves the clock and reset puts it back", async () => {
    const before = (await sb.admin("GET", "clock")).body.nowMs;
    const moved = await sb.admin("POST", "clock", { advanceSeconds: 3600 });
    expect(moved.body.offsetSeconds).toBe(3600);
    expect(moved.body.nowMs - before).toBeGreaterThanOrEqual(3600_000);
    await sb.admin("POST", "reset");
    expect((await sb.admin("GET", "clock")).body.offsetSeconds).toBe(0);
  });

  it("reset restores the seed: clients, users, orgs, limits, counters, tokens", async () => {
    const t = await exchange(sb.url, (await sb.admin("POST", "codes", { clientId: DEMO_CLIENT_ID, email: SINGLE_USER.email, scopes: "Desk.basic.READ" })).body.code);
    await sb.admin("POST", "users", { email: "temp@example.com" });
    await sb.admin("DELETE", `clients/${DEMO_CLIENT_ID}`);
    await sb.admin("POST", "limits", { accessTokenLifetimeSec: 5 });
    await sb.admin("POST", "reset");
    const clients = (await sb.admin("GET", "clients")).body.clients;
    expect(clients.map((c: { clientId: string }) => c.clientId).sort()).toEqual([DEMO_CLIENT_ID, "1000.SANDBOXSELFCLIENT0000000000001"]);
    expect(clients.find((c: { clientId: string }) => c.clientId === DEMO_CLIENT_ID)).toMatchObject({
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUris: [REDIRECT_URI],
      enabledDcs: ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn"],
    });
    expect((await sb.admin("GET", "users")).body.users).toHaveLength(3);
    expect((await sb.admin("GET", "orgs")).body.orgs).toHaveLength(13);
    expect((await sb.admin("GET", "limits")).body.accessTokenLifetimeSec).toBe(3600);
    expect((await sb.admin("GET", "counters")).body.tokenEndpointCalls).toBe(0);
    expect((await sb.admin("GET", `tokens?access_token=${t.body.access_token}`)).status).toBe(404);
  });
});

describe("persistence", () => {
  it("keeps clients, tokens, clock and limits across a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zoho-sandbox-persist-"));
    const file = path.join(dir, "nested", "state.json");
    try {
      const first = await startTestSandbox(file);
      const created = await first.admin("POST", "clients", { name: "Survivor", redirectUris: [REDIRECT_URI] });
      const code = (await first.admin("POST", "codes", { clientId: DEMO_CLIENT_ID, email: SINGLE_USER.email, scopes: "Desk.basic.READ" })).body.code;
      const tokens = (await exchange(first.url, code)).body;
      await first.admin("POST", "clock", { advanceSeconds: 100 });
      await first.admin("POST", "limits", { refreshMintsPerWindow: 2 });
      await first.close();
      expect(JSON.parse(readFileSync(file, "utf8")).clients[created.body.clientId].name).toBe("Survivor");

      const second = await startTestSandbox(file);
      try {
        expect((await second.admin("GET", `clients/${created.body.clientId}`)).body.name).toBe("Survivor");
        expect((await second.admin("GET", "clock")).body.offsetSeconds).toBe(100);
        expect((await api(`${second.url}/us/desk/api/v1/organizations`, tokens.access_token)).status).toBe(200);
        const refresh = () =>
          tokenCall(second.url, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET });
        expect((await refresh()).body.access_token).toBeDefined();
        expect((await refresh()).body.access_token).toBeDefined();
        expect((await refresh()).body.error).toBe("Access Denied");
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts from the seed when the state file is corrupt", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zoho-sandbox-corrupt-"));
    const file = path.join(dir, "state.json");
    writeFileSync(file, "{ this is not json");
    const sb = await startTestSandbox(file);
    try {
      expect((await sb.admin("GET", "users")).body.users).toHaveLength(3);
      await sb.admin("POST", "users", { email: "after@example.com" });
      await sb.close();
      expect(JSON.parse(readFileSync(file, "utf8")).users).toHaveProperty("70000001");
    } finally {
      await sb.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
