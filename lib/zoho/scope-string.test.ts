import { describe, expect, it } from "vitest";
import { formatScopeString, InvalidScopeError, parseScopeString, PROFILE_SCOPE, scopeDiff } from "./scope-string";

describe("parseScopeString", () => {
  it("splits on commas and whitespace and trims", () => {
    expect(parseScopeString(" Desk.tickets.READ,Desk.basic.READ \n SalesIQ.chatdetails.READ ,, ").scopes).toEqual([
      "Desk.tickets.READ",
      "Desk.basic.READ",
      "SalesIQ.chatdetails.READ",
    ]);
  });

  it("dedupes case-insensitively and keeps catalogue casing", () => {
    const r = parseScopeString("desk.tickets.read, Desk.tickets.READ salesiq.pushnotifications.update");
    expect(r.scopes).toEqual(["Desk.tickets.READ", "SalesIQ.PushNotifications.UPDATE"]);
    expect(r.unknown).toEqual([]);
  });

  it("accepts multi-part resources", () => {
    const r = parseScopeString("ZohoAssist.unattended.computer.READ");
    expect(r).toEqual({ scopes: ["ZohoAssist.unattended.computer.READ"], invalid: [], unknown: [], broad: [] });
  });

  it("separates invalid tokens", () => {
    const r = parseScopeString("Desk.tickets, tickets.READ, Desk..READ, Desk.tickets.FETCH, .Desk.tickets.READ, Desk.tickets.READ.");
    expect(r.scopes).toEqual([]);
    expect(r.invalid).toEqual(["Desk.tickets", "tickets.READ", "Desk..READ", "Desk.tickets.FETCH", ".Desk.tickets.READ", "Desk.tickets.READ."]);
  });

  it("rejects markup and odd characters", () => {
    expect(parseScopeString("<script>.x.READ Desk.tick-ets.READ Desk.tickets.READ;").invalid).toHaveLength(3);
  });

  it("flags well-formed scopes missing from the catalogue", () => {
    const r = parseScopeString("ZohoCRM.modules.ALL,Desk.tickets.READ,ZohoBooks.fullaccess.all");
    expect(r.scopes).toEqual(["ZohoCRM.modules.ALL", "Desk.tickets.READ", "ZohoBooks.fullaccess.all"]);
    expect(r.unknown).toEqual(["ZohoCRM.modules.ALL", "ZohoBooks.fullaccess.all"]);
    expect(r.broad).toEqual(["ZohoCRM.modules.ALL", "ZohoBooks.fullaccess.all"]);
  });

  it("flags .ALL as broad", () => {
    expect(parseScopeString("Desk.tickets.ALL Desk.tickets.READ").broad).toEqual(["Desk.tickets.ALL"]);
  });

  it("caps over-long tokens", () => {
    const long = `Desk.${"a".repeat(300)}.READ`;
    const r = parseScopeString(long);
    expect(r.scopes).toEqual([]);
    expect(r.invalid[0].length).toBeLessThanOrEqual(121);
  });

  it("accepts an array", () => {
    expect(parseScopeString(["Desk.tickets.READ", "desk.TICKETS.read"]).scopes).toEqual(["Desk.tickets.READ"]);
  });

  it("returns empty lists for empty input", () => {
    expect(parseScopeString("  , ")).toEqual({ scopes: [], invalid: [], unknown: [], broad: [] });
  });
});

describe("formatScopeString", () => {
  it("joins with commas exactly as sent to Zoho", () => {
    expect(formatScopeString(["desk.tickets.read", PROFILE_SCOPE, "Desk.tickets.READ"])).toBe("Desk.tickets.READ,AaaServer.profile.READ");
    expect(formatScopeString("SalesIQ.chatdetails.READ SalesIQ.portals.READ")).toBe("SalesIQ.chatdetails.READ,SalesIQ.portals.READ");
  });

  it("refuses empty or malformed input", () => {
    expect(() => formatScopeString([])).toThrow(InvalidScopeError);
    expect(() => formatScopeString("Desk.tickets.READ,bad")).toThrow(/bad/);
  });
});

describe("scopeDiff", () => {
  it("reports added, removed and kept, case-insensitively", () => {
    expect(scopeDiff("Desk.tickets.READ,AaaServer.profile.READ", ["desk.tickets.read", "SalesIQ.chatdetails.READ"])).toEqual({
      added: ["SalesIQ.chatdetails.READ"],
      removed: ["AaaServer.profile.READ"],
      kept: ["Desk.tickets.READ"],
    });
  });

  it("is empty-handed for identical sets", () => {
    expect(scopeDiff("A.b.READ", "a.B.read")).toEqual({ added: [], removed: [], kept: ["A.b.READ"] });
  });
});
