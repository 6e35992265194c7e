import { describe, expect, it } from "vitest";
import { proxyErrorAdvice, scopesForCall } from "./proxy-advice";

describe("scopesForCall", () => {
  it("names the catalogue's scopes for a call, narrowest first", () => {
    expect(scopesForCall("desk", "GET", "api/v1/tickets")).toEqual(["Desk.tickets.READ", "Desk.tickets.ALL"]);
    expect(scopesForCall("desk", "GET", "/api/v1/tickets/123?include=contacts")).toEqual(["Desk.tickets.READ"]);
    expect(scopesForCall("salesiq", "GET", "api/v2/zylker/conversations")).toEqual(["SalesIQ.conversations.READ"]);
    expect(scopesForCall("assist", "GET", "api/v2/user")).toEqual(["ZohoAssist.userapi.READ"]);
    expect(scopesForCall("desk", "GET", "api/v1/nothing-here")).toEqual([]);
    expect(scopesForCall("zohoapis", "GET", "crm/v2/Leads")).toEqual([]);
  });
});

describe("proxyErrorAdvice", () => {
  const base = { method: "GET", refreshed: false };

  it("names the scope to add for Desk's SCOPE_MISMATCH, SalesIQ's 1009 and Assist's 1009", () => {
    expect(proxyErrorAdvice({ ...base, service: "desk", path: "api/v1/organizations", status: 401, json: { errorCode: "SCOPE_MISMATCH", message: "x" } })).toBe(
      "Add Desk.basic.READ to make this call: reconnect with Desk.basic.READ added to the connection's scopes.",
    );
    expect(proxyErrorAdvice({ ...base, service: "desk", path: "api/v1/tickets", status: 403, json: { errorCode: "SCOPE_MISMATCH", message: "x" } })).toBe(
      "Add Desk.tickets.READ to make this call: reconnect with Desk.tickets.READ added to the connection's scopes. (Desk.tickets.ALL also allows it.)",
    );
    expect(proxyErrorAdvice({ ...base, service: "salesiq", path: "api/v2/portals", status: 200, json: { error: { code: 1009, message: "Invalid OAuth scope" } } })).toMatch(
      /^Add SalesIQ\.portals\.READ to make this call/,
    );
    expect(proxyErrorAdvice({ ...base, service: "assist", path: "api/v2/user", status: 401, json: { error: { code: 1009, message: "x" } } })).toMatch(
      /^Add ZohoAssist\.userapi\.READ/,
    );
  });

  it("says to change the binding for a wrong organisation", () => {
    const desk = proxyErrorAdvice({ ...base, service: "desk", path: "api/v1/tickets", status: 403, json: { errorCode: "OAUTH_ORG_MISMATCH", message: "x" } });
    const salesiq = proxyErrorAdvice({ ...base, service: "salesiq", path: "api/v2/nope/conversations", status: 200, json: { error: { code: 1005, message: "Invalid portal" } } });
    for (const advice of [desk, salesiq]) expect(advice).toMatch(/^Change the connection's organisation binding/);
  });

  it("says refresh, then reconnect, for a dead token", () => {
    const json = { errorCode: "INVALID_OAUTH", message: "x" };
    expect(proxyErrorAdvice({ ...base, service: "desk", path: "api/v1/tickets", status: 401, json })).toMatch(/Refresh it; if that fails, reconnect/);
    expect(proxyErrorAdvice({ ...base, refreshed: true, service: "desk", path: "api/v1/tickets", status: 401, json })).toMatch(/even after the console refreshed it\. Reconnect/);
  });

  it("stays silent for answers that are not recognised errors", () => {
    expect(proxyErrorAdvice({ ...base, service: "desk", path: "api/v1/tickets", status: 200, json: { data: [] } })).toBeUndefined();
    expect(proxyErrorAdvice({ ...base, service: "desk", path: "api/v1/tickets", status: 422, json: { errorCode: "UNPROCESSABLE_ENTITY" } })).toBeUndefined();
  });
});
