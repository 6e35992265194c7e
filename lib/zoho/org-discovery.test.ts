import { describe, expect, it } from "vitest";
import { dataCentre } from "./data-centres";
import {
  discoverAssistOrganisation,
  discoverDeskOrganisations,
  discoverOrganisations,
  discoverSalesIqPortals,
} from "./org-discovery";
import { fakeFetch, json, text, type RecordedCall } from "./testing/fake-fetch";
import { verifyService } from "./verify-service";
import { isZohoError } from "./zoho-error";

const AT = "1000.2deaf8d0c268e3c85daa2a013a843b10.703d5c6e4ee6f8ffa4fb9bf5e0cd2b0d";
const EU = dataCentre("live", "eu");

const DESK_ORGS = {
  data: [
    { id: 2389290, companyName: "Zylker", portalName: "zylker", portalURL: "https://desk.zoho.eu/support/zylker", isDefault: true, isAdminInOrg: true, edition: "ENTERPRISE" },
    { id: "60001234567", companyName: "Zylker Labs", portalName: "zylkerlabs", isDefault: false, edition: "STANDARD" },
    { companyName: "no id, skipped" },
  ],
};
const ASSIST_USER = {
  resource_type: "user",
  representation: {
    zuid: "712345678",
    user_role: "admin",
    org_details: { zsoid: "30012345", org_name: "Zylker Support", environment: "sandbox" },
    departments: [
      { department_id: "100", department_name: "support", display_name: "Support" },
      { department_id: 200, department_name: "field" },
    ],
  },
};
const SALESIQ_PORTALS = {
  url: "/api/v2/portals",
  object: "list",
  data: [
    { screenname: "zylker", name: "Zylker", owner_zuid: "1", operator_id: "2", created_time: "1600000000000" },
    { screenname: "zylker-eu", name: "Zylker EU" },
    { screenname: "../evil", name: "skipped" },
  ],
};

function router(routes: Record<string, () => Response>) {
  return fakeFetch((c: RecordedCall) => {
    const route = routes[c.url];
    return route ? route() : text("not found", 404);
  });
}

const call = (base: string, f: ReturnType<typeof fakeFetch>) => ({ base, accessToken: AT, timeoutMs: 1000, fetchImpl: f, location: "eu" as const });

describe("per-service discovery", () => {
  it("lists Desk organisations from the DC's Desk base", async () => {
    const f = router({ "https://desk.zoho.eu/api/v1/organizations": () => json(DESK_ORGS) });
    expect(await discoverDeskOrganisations(call(EU.products.desk, f))).toEqual([
      { service: "desk", id: "2389290", name: "Zylker", portalName: "zylker", portalUrl: "https://desk.zoho.eu/support/zylker", isDefault: true, edition: "ENTERPRISE" },
      { service: "desk", id: "60001234567", name: "Zylker Labs", portalName: "zylkerlabs", isDefault: false, edition: "STANDARD" },
    ]);
    expect(f.calls[0].headers.authorization).toBe(`Zoho-oauthtoken ${AT}`);
    expect(f.calls[0].headers.orgid).toBeUndefined();
  });

  it("returns no Desk organisations for an empty answer", async () => {
    const f = router({ "https://desk.zoho.eu/api/v1/organizations": () => json({ data: [] }) });
    expect(await discoverDeskOrganisations(call(EU.products.desk, f))).toEqual([]);
  });

  it("reads the one Assist org the token is bound to, with departments and environment", async () => {
    const f = router({ "https://assist.zoho.eu/api/v2/user": () => json(ASSIST_USER) });
    expect(await discoverAssistOrganisation(call(EU.products.assist, f))).toEqual([
      {
        service: "assist",
        id: "30012345",
        name: "Zylker Support",
        environment: "Sandbox",
        departments: [
          { id: "100", name: "Support" },
          { id: "200", name: "field" },
        ],
      },
    ]);
  });

  it("treats an Assist answer without org_details as malformed", async () => {
    const f = router({ "https://assist.zoho.eu/api/v2/user": () => json({ representation: {} }) });
    await expect(discoverAssistOrganisation(call(EU.products.assist, f))).rejects.toMatchObject({ kind: "malformed" });
  });

  it("lists SalesIQ portals by screen name, skipping unsafe ones", async () => {
    const f = router({ "https://salesiq.zoho.eu/api/v2/portals": () => json(SALESIQ_PORTALS) });
    expect(await discoverSalesIqPortals(call(EU.products.salesiq, f))).toEqual([
      { service: "salesiq", id: "zylker", name: "Zylker" },
      { service: "salesiq", id: "zylker-eu", name: "Zylker EU" },
    ]);
  });

  it("treats SalesIQ's HTTP-200 error body as an error", async () => {
    const f = router({ "https://salesiq.zoho.eu/api/v2/portals": () => json({ error: { code: 1006, message: "Invalid URL" } }) });
    const e = await discoverSalesIqPortals(call(EU.products.salesiq, f)).catch((x) => x);
    expect(isZohoError(e)).toBe(true);
    expect(e).toMatchObject({ kind: "other", zohoCode: "1006" });
    expect(e.userMessage).toMatch(/1006.*Invalid URL/);
  });

  it.each([
    ["SalesIQ invalid token (1008)", () => json({ error: { code: 1008, message: "Invalid access token" } })],
    ["SalesIQ missing Authorization header (1002)", () => json({ error: { code: 1002, message: "Invalid Authorization header" } })],
    ["Desk invalid token", () => json({ errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." }, 401)],
    ["accounts-style invalid_token", () => json({ error: "invalid_token" })],
    ["bare INVALID_OAUTHTOKEN code", () => json({ code: "INVALID_OAUTHTOKEN", status: "failure" })],
  ])("classifies %s as invalid_token", async (_name, response) => {
    const f = router({ "https://salesiq.zoho.eu/api/v2/portals": response });
    await expect(discoverSalesIqPortals(call(EU.products.salesiq, f))).rejects.toMatchObject({ kind: "invalid_token" });
  });

  it("classifies SalesIQ's scope error (1009) by its number", async () => {
    const f = router({ "https://salesiq.zoho.eu/api/v2/portals": () => json({ error: { code: 1009, message: "Invalid OAuth scope" } }) });
    await expect(discoverSalesIqPortals(call(EU.products.salesiq, f))).rejects.toMatchObject({ kind: "insufficient_scope", zohoCode: "1009" });
  });

  it("classifies Desk's scope mismatch", async () => {
    const f = router({ "https://desk.zoho.eu/api/v1/organizations": () => json({ errorCode: "SCOPE_MISMATCH", message: "x" }, 401) });
    await expect(discoverDeskOrganisations(call(EU.products.desk, f))).rejects.toMatchObject({ kind: "insufficient_scope" });
  });
});

describe("discoverOrganisations", () => {
  it("answers per service, and one failure does not lose the others", async () => {
    const f = router({
      "https://desk.zoho.eu/api/v1/organizations": () => json(DESK_ORGS),
      "https://assist.zoho.eu/api/v2/user": () => text("<html>gateway</html>", 503, "text/html"),
      "https://salesiq.zoho.eu/api/v2/portals": () => json(SALESIQ_PORTALS),
    });
    const r = await discoverOrganisations({ dc: EU, accessToken: AT, services: ["desk", "assist", "salesiq", "profile"], timeoutMs: 1000, fetchImpl: f });
    expect(Object.keys(r).sort()).toEqual(["assist", "desk", "salesiq"]);
    expect(r.desk?.ok && r.desk.options.map((o) => o.id)).toEqual(["2389290", "60001234567"]);
    expect(r.salesiq?.ok && r.salesiq.options.map((o) => o.id)).toEqual(["zylker", "zylker-eu"]);
    expect(r.assist?.ok).toBe(false);
    if (r.assist && !r.assist.ok) expect(r.assist.error).toMatchObject({ kind: "server", transient: true, location: "eu" });
  });

  it("asks only the requested services, on the sandbox layout", async () => {
    const dc = dataCentre("sandbox", "us", "http://127.0.0.1:4010");
    const f = router({ "http://127.0.0.1:4010/us/salesiq/api/v2/portals": () => json(SALESIQ_PORTALS) });
    const r = await discoverOrganisations({ dc, accessToken: AT, services: ["salesiq"], timeoutMs: 1000, fetchImpl: f });
    expect(f.calls.map((c) => c.url)).toEqual(["http://127.0.0.1:4010/us/salesiq/api/v2/portals"]);
    expect(r.salesiq?.ok).toBe(true);
    expect(r.desk).toBeUndefined();
  });
});

describe("verifyService", () => {
  const routes = {
    "https://desk.zoho.eu/api/v1/organizations": () => json(DESK_ORGS),
    "https://assist.zoho.eu/api/v2/user": () => json(ASSIST_USER),
    "https://salesiq.zoho.eu/api/v2/portals": () => json({ error: { code: 1008, message: "Invalid access token" } }),
    "https://accounts.zoho.eu/oauth/user/info": () => json({ ZUID: 1, Email: "ada@example.com" }),
  };

  it("reports ok with latency for a working service", async () => {
    const r = await verifyService({ dc: EU, accessToken: AT, service: "desk", timeoutMs: 1000, fetchImpl: router(routes) });
    expect(r).toMatchObject({ service: "desk", ok: true, summary: "2 organisations visible" });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("checks that the bound organisation is still visible", async () => {
    const ok = await verifyService({ dc: EU, accessToken: AT, service: "assist", expectedOrgId: "30012345", timeoutMs: 1000, fetchImpl: router(routes) });
    expect(ok.ok).toBe(true);
    const gone = await verifyService({ dc: EU, accessToken: AT, service: "desk", expectedOrgId: "999", timeoutMs: 1000, fetchImpl: router(routes) });
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error.userMessage).toMatch(/no longer visible/);
  });

  it("returns the error for a failing service", async () => {
    const r = await verifyService({ dc: EU, accessToken: AT, service: "salesiq", timeoutMs: 1000, fetchImpl: router(routes) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: "invalid_token", operation: "verify" });
  });

  it("verifies the profile on the accounts server", async () => {
    const r = await verifyService({ dc: EU, accessToken: AT, service: "profile", timeoutMs: 1000, fetchImpl: router(routes) });
    expect(r).toMatchObject({ ok: true, summary: "Signed in as ada@example.com" });
  });
});

describe("advice for each error shape", () => {
  const desk = "https://desk.zoho.eu/api/v1/organizations";
  const assist = "https://assist.zoho.eu/api/v2/user";
  const salesiq = "https://salesiq.zoho.eu/api/v2/portals";
  const failing = async (url: string, response: () => Response, service: "desk" | "assist" | "salesiq") => {
    const r = await discoverOrganisations({ dc: EU, accessToken: AT, services: [service], timeoutMs: 1000, fetchImpl: router({ [url]: response }) });
    const outcome = r[service];
    if (!outcome || outcome.ok) throw new Error("expected a failure");
    return outcome.error;
  };

  it.each([
    ["Desk SCOPE_MISMATCH (401)", desk, () => json({ errorCode: "SCOPE_MISMATCH", message: "x" }, 401), "desk", "Desk.basic.READ", "choose a Desk organisation"],
    ["Desk SCOPE_MISMATCH (403)", desk, () => json({ errorCode: "SCOPE_MISMATCH", message: "x" }, 403), "desk", "Desk.basic.READ", "choose a Desk organisation"],
    ["Assist 1009", assist, () => json({ error: { code: 1009, message: "Invalid OAuth scope" } }, 401), "assist", "ZohoAssist.userapi.READ", "read the Assist organisation and its departments"],
    ["SalesIQ 1009 (HTTP 200)", salesiq, () => json({ error: { code: 1009, message: "Invalid OAuth scope" } }), "salesiq", "SalesIQ.portals.READ", "choose a SalesIQ portal"],
  ] as const)("%s names the scope to add", async (_name, url, response, service, scope, purpose) => {
    const e = await failing(url, response, service);
    expect(e.kind).toBe("insufficient_scope");
    expect(e.userMessage).toBe(`The token lacks ${scope}, which this call needs.`);
    expect(e.advice).toBe(`Add ${scope} to ${purpose}: reconnect with ${scope} added to the connection's scopes.`);
  });

  it.each([
    ["Desk OAUTH_ORG_MISMATCH", desk, () => json({ errorCode: "OAUTH_ORG_MISMATCH", message: "x" }, 403), "desk"],
    ["Assist 1005", assist, () => json({ error: { code: 1005, message: "No organisation" } }, 400), "assist"],
    ["SalesIQ 1005 (HTTP 200)", salesiq, () => json({ error: { code: 1005, message: "Invalid portal" } }), "salesiq"],
  ] as const)("%s says to change the binding", async (_name, url, response, service) => {
    const e = await failing(url, response, service);
    expect(e.kind).toBe("wrong_org");
    expect(e.userMessage).toMatch(/cannot be used for that organisation/);
    expect(e.advice).toMatch(/^Change the connection's organisation binding/);
  });

  it.each([
    ["Desk INVALID_OAUTH", desk, () => json({ errorCode: "INVALID_OAUTH", message: "x" }, 401), "desk"],
    ["Assist 1008", assist, () => json({ error: { code: 1008, message: "x" } }, 401), "assist"],
    ["SalesIQ 1008 (HTTP 200)", salesiq, () => json({ error: { code: 1008, message: "x" } }), "salesiq"],
  ] as const)("%s says the token will be refreshed, else reconnect", async (_name, url, response, service) => {
    const e = await failing(url, response, service);
    expect(e.kind).toBe("invalid_token");
    expect(e.advice).toMatch(/Refresh it; if that fails, reconnect\./);
  });

  it("says a bound organisation that is gone needs a new binding", async () => {
    const gone = await verifyService({ dc: EU, accessToken: AT, service: "desk", expectedOrgId: "999", timeoutMs: 1000, fetchImpl: router({ [desk]: () => json(DESK_ORGS) }) });
    if (gone.ok) throw new Error("expected a failure");
    expect(gone.error.kind).toBe("wrong_org");
    expect(gone.error.advice).toMatch(/^Change the connection's organisation binding/);
  });
});
