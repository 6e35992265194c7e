// Zoho's limits with their default values: the refresh throttle, the active access-token cap,
// the 20-refresh-token cap, and the rate of grant codes and refresh tokens.
import { describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, MULTI_USER, SINGLE_USER } from "./seed";
import { ConsentDriver, api, exchange, refreshWith, type TestSandbox, withResetSandbox } from "./test-support";

const ACCESS_DENIED = {
  error: "Access Denied",
  error_description: "You have made too many requests continuously. Please try again after some time.",
  status: "failure",
};

describe("limits", () => {
  let sb: TestSandbox;
  let driver: ConsentDriver;
  const orgs = (at: string) => api(`${sb.url}/us/desk/api/v1/organizations`, at);
  const newGrant = async (email: string = SINGLE_USER.email) =>
    (await exchange(sb.url, await driver.code({ email, scope: "Desk.basic.READ", prompt: "consent" }))).body;

  withResetSandbox((s, d) => {
    sb = s;
    driver = d;
  });

  it("throttles the 11th refresh within ten minutes for the rest of the window", async () => {
    const grant = await newGrant();
    for (let i = 0; i < 10; i++) {
      const res = await refreshWith(sb.url, grant.refresh_token);
      expect(res.body.access_token, `refresh ${i + 1}`).toBeDefined();
    }
    const eleventh = await refreshWith(sb.url, grant.refresh_token);
    expect(eleventh).toEqual({ status: 200, body: ACCESS_DENIED });
    await sb.admin("POST", "clock", { advanceSeconds: 540 });
    expect((await refreshWith(sb.url, grant.refresh_token)).body).toEqual(ACCESS_DENIED);
    await sb.admin("POST", "clock", { advanceSeconds: 61 });
    expect((await refreshWith(sb.url, grant.refresh_token)).body.access_token).toBeDefined();
    // The throttle is per refresh token: another grant is unaffected.
    const other = await newGrant();
    expect((await refreshWith(sb.url, other.refresh_token)).body.access_token).toBeDefined();
  });

  it("invalidates the oldest access token beyond the active cap per refresh token", async () => {
    await sb.admin("POST", "limits", { maxActiveAccessTokensPerRefreshToken: 3 });
    const grant = await newGrant();
    const minted = [grant.access_token];
    for (let i = 0; i < 3; i++) minted.push((await refreshWith(sb.url, grant.refresh_token)).body.access_token);
    expect((await orgs(minted[0])).body.errorCode).toBe("INVALID_OAUTH");
    for (const at of minted.slice(1)) expect((await orgs(at)).status).toBe(200);
    const info = await sb.admin("GET", `tokens?access_token=${minted[0]}`);
    expect(info.body).toMatchObject({ status: "revoked", live: false });
  });

  it("expires access tokens after an hour of sandbox time", async () => {
    const grant = await newGrant();
    await sb.admin("POST", "clock", { advanceSeconds: 3590 });
    expect((await orgs(grant.access_token)).status).toBe(200);
    await sb.admin("POST", "clock", { advanceSeconds: 11 });
    expect((await orgs(grant.access_token)).body.errorCode).toBe("INVALID_OAUTH");
    expect((await sb.admin("GET", `tokens?access_token=${grant.access_token}`)).body.status).toBe("expired");
  });

  it("evicts the oldest refresh token, with its access tokens, when the 21st is minted", async () => {
    const grants = [];
    for (let i = 0; i < 21; i++) {
      // Codes and refresh tokens are themselves rate limited to 10 per 10 minutes.
      if (i > 0 && i % 10 === 0) await sb.admin("POST", "clock", { advanceSeconds: 601 });
      grants.push(await newGrant(MULTI_USER.email));
      if (i === 19) {
        const before = await sb.admin("GET", `tokens?email=${MULTI_USER.email}&clientId=${DEMO_CLIENT_ID}`);
        expect(before.body.liveRefreshTokens).toBe(20);
      }
    }
    const after = await sb.admin("GET", `tokens?email=${MULTI_USER.email}&clientId=${DEMO_CLIENT_ID}`);
    expect(after.body.liveRefreshTokens).toBe(20);
    expect((await refreshWith(sb.url, grants[0].refresh_token)).body).toEqual({ error: "invalid_code" });
    expect((await orgs(grants[0].access_token)).body.errorCode).toBe("INVALID_OAUTH");
    expect((await refreshWith(sb.url, grants[1].refresh_token)).body.access_token).toBeDefined();
    expect((await refreshWith(sb.url, grants[20].refresh_token)).body.access_token).toBeDefined();
    expect((await sb.admin("GET", "counters")).body.evictions).toBe(1);
    // Another user's grants are counted separately.
    const ben = await newGrant(SINGLE_USER.email);
    expect((await refreshWith(sb.url, ben.refresh_token)).body.access_token).toBeDefined();
    expect((await refreshWith(sb.url, grants[1].refresh_token)).body.access_token).toBeDefined();
  });

  it("refuses the 11th grant code per client within ten minutes", async () => {
    for (let i = 0; i < 10; i++) await driver.code({ email: SINGLE_USER.email, scope: "Desk.basic.READ" });
    await expect(driver.code({ email: SINGLE_USER.email, scope: "Desk.basic.READ" })).rejects.toThrow(/HTTP 429[\s\S]*Access Denied/);
    await sb.admin("POST", "clock", { advanceSeconds: 601 });
    expect(await driver.code({ email: SINGLE_USER.email, scope: "Desk.basic.READ" })).toMatch(/^1000\./);
  });

  it("throttles the 11th refresh token per user and client within ten minutes", async () => {
    await sb.admin("POST", "limits", { codesPerClientPerWindow: 100 });
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push(await driver.code({ email: SINGLE_USER.email, scope: "Desk.basic.READ", prompt: "consent" }));
    for (const c of codes.slice(0, 10)) expect((await exchange(sb.url, c)).body.refresh_token).toBeDefined();
    expect((await exchange(sb.url, codes[10])).body).toEqual(ACCESS_DENIED);
  });

  it("changes limits at run time and rejects unknown or invalid ones", async () => {
    const set = await sb.admin("POST", "limits", { accessTokenLifetimeSec: 60, codeLifetimeSec: 180 });
    expect(set.body).toMatchObject({ accessTokenLifetimeSec: 60, codeLifetimeSec: 180, refreshMintsPerWindow: 10 });
    const grant = await newGrant();
    expect(grant.expires_in).toBe(60);
    await sb.admin("POST", "clock", { advanceSeconds: 61 });
    expect((await orgs(grant.access_token)).body.errorCode).toBe("INVALID_OAUTH");
    expect((await sb.admin("POST", "limits", { bogus: 1 })).status).toBe(400);
    expect((await sb.admin("POST", "limits", { accessTokenLifetimeSec: -5 })).status).toBe(400);
    expect((await sb.admin("POST", "limits", { legacyExpiresIn: "yes" })).status).toBe(400);
  });
});
