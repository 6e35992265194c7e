import { describe, expect, it } from "vitest";
import { describeScopes } from "./describe";

describe("describeScopes", () => {
  it("groups scopes by service in catalogue order, each with what it allows", () => {
    const out = describeScopes(["SalesIQ.portals.READ", "desk.tickets.read", "AaaServer.profile.READ"]);
    expect(out.map((s) => s.id)).toEqual(["desk", "salesiq", "profile"]);
    expect(out[0].scopes).toEqual([{ scope: "Desk.tickets.READ", allows: expect.any(String), broad: false }]);
    expect(out[0].scopes[0].allows.length).toBeGreaterThan(10);
    expect(out[2].scopes[0].allows).toBe("Read the Zoho user id, e-mail and name of who consented.");
  });

  it("says plainly when a scope is not in the catalogue", () => {
    const out = describeScopes(["Desk.unheardof.READ", "ZohoCRM.modules.ALL"]);
    expect(out.map((s) => s.id)).toEqual(["desk", "other"]);
    expect(out[0].scopes[0].allows).toMatch(/does not describe/);
    expect(out[1].scopes[0].scope).toBe("ZohoCRM.modules.ALL");
  });
});
