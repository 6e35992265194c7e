import { describe, expect, it } from "vitest";
import { ZohoError, type DiscoveryResults } from "@/lib/zoho";
import { applyBindingChoice, planBinding } from "./binding-plan";
import { budgetLevel, pickEvictions } from "./budget-rules";
import { explainFlowFailure, FLOW_FAILURES, zohoFailure } from "./failures";
import { parseOutcome } from "./outcome";
import { createLinkSchema } from "@/lib/connect-links/input";
import { validateScopeSelection } from "@/lib/scopes/scope-selection";
import { reconnectSchema, selfClientSchema, startSchema } from "./schemas";

const desk = (...ids: string[]) => ({
  ok: true as const,
  options: ids.map((id) => ({ service: "desk" as const, id, name: `Org ${id}`, isDefault: false })),
});
const assist = (departments: { id: string; name: string }[]) => ({
  ok: true as const,
  options: [{ service: "assist" as const, id: "800", name: "Assist", environment: "Sandbox" as const, departments }],
});

describe("refresh-token budget", () => {
  it("evicts the oldest tokens only past the cap", () => {
    const live = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, issuedAt: 1000 - i }));
    expect(pickEvictions(live.slice(0, 19))).toEqual([]);
    expect(pickEvictions(live)).toEqual([20]);
    expect(pickEvictions([...live, { id: 99, issuedAt: 0 }])).toEqual([99, 20]);
  });

  it("warns from 18 and is full at 20", () => {
    expect([0, 17, 18, 19, 20, 25].map(budgetLevel)).toEqual(["ok", "ok", "warn", "warn", "full", "full"]);
  });
});

describe("binding plan", () => {
  it("binds one option, waits for a choice among several, keeps a choice still offered", () => {
    const one = planBinding({ desk: desk("1") }, {}, ["desk"]);
    expect(one).toMatchObject({ binding: { desk: { orgId: "1" } }, needsChoice: [] });
    const two = planBinding({ desk: desk("1", "2") }, {}, ["desk"]);
    expect(two.needsChoice).toEqual(["desk"]);
    const kept = planBinding({ desk: desk("1", "2") }, { desk: { orgId: "2", name: "old" } }, ["desk"]);
    expect(kept.binding.desk).toMatchObject({ orgId: "2", name: "Org 2" });
  });

  it("binds the Assist org of the token and asks for a department only when there are several", () => {
    const plan = planBinding({ assist: assist([{ id: "d1", name: "QA" }]) }, {}, ["assist"]);
    expect(plan.binding.assist).toEqual({ orgId: "800", name: "Assist", environment: "Sandbox", departmentId: "d1", departmentName: "QA" });
    const many = planBinding({ assist: assist([{ id: "d1", name: "A" }, { id: "d2", name: "B" }]) }, {}, ["assist"]);
    expect(many.needsChoice).toEqual(["assist"]);
    expect(many.binding.assist?.departmentId).toBeUndefined();
  });

  it("reports a failed discovery without losing the old binding, and drops services no longer in scope", () => {
    const error = new ZohoError("timeout", { operation: "discovery", host: "desk.zoho.com" });
    const discovery: DiscoveryResults = { desk: { ok: false, error } };
    const plan = planBinding(discovery, { desk: { orgId: "1", name: "x" }, salesiq: { screenName: "s", name: "s" } }, ["desk"]);
    expect(plan.binding).toEqual({ desk: { orgId: "1", name: "x" } });
    expect(plan.problems[0]).toMatchObject({ service: "desk", message: expect.stringMatching(/did not answer in time/) });
  });

  it("accepts only offered choices", () => {
    expect(applyBindingChoice({ desk: desk("1", "2") }, {}, { desk: "2" })).toMatchObject({ ok: true, binding: { desk: { orgId: "2" } } });
    expect(applyBindingChoice({ desk: desk("1", "2") }, {}, { desk: "3" })).toMatchObject({ ok: false, field: "desk" });
    const d = assist([{ id: "d1", name: "A" }, { id: "d2", name: "B" }]);
    expect(applyBindingChoice({ assist: d }, {}, { assistDepartment: "d2" })).toMatchObject({
      ok: true,
      binding: { assist: { departmentId: "d2", departmentName: "B", environment: "Sandbox" } },
    });
  });
});

describe("failure texts", () => {
  it("explain every flow failure with a title and what to do", () => {
    for (const code of FLOW_FAILURES) {
      const e = explainFlowFailure(code, { location: "eu" });
      expect(e.title.length).toBeGreaterThan(5);
      expect(e.advice.length).toBeGreaterThan(5);
    }
    expect(explainFlowFailure("dc_not_enabled", { location: "eu" }).title).toBe("This client is not enabled in DC eu (Europe)");
    expect(explainFlowFailure("access_denied").title).toBe("Access was denied in Zoho");
  });

  it("carry Zoho's texts with the DC and never a secret", () => {
    const f = zohoFailure(new ZohoError("invalid_client", { operation: "exchange", location: "eu" }));
    expect(f).toMatchObject({ code: "zoho_invalid_client", location: "eu", title: "Zoho did not accept the authorization code" });
    expect(f.advice).toMatch(/not enabled in DC eu/);
  });

  it("outcomes round-trip and junk is ignored", () => {
    expect(parseOutcome(JSON.stringify({ status: "failed", code: "used_state" }))).toEqual({ status: "failed", code: "used_state" });
    expect(parseOutcome('{"status":"failed","code":"<script>"}')).toBeNull();
    expect(parseOutcome("not json")).toBeNull();
  });
});

describe("form schemas", () => {
  it("adds or removes the profile scope as the checkbox says", () => {
    const base = { clientRef: "1", scopes: "Desk.basic.READ", name: " Support " };
    expect(startSchema.parse({ ...base, includeProfile: "on" })).toMatchObject({
      scopes: ["Desk.basic.READ", "AaaServer.profile.READ"],
      accessType: "offline",
      name: "Support",
    });
    expect(startSchema.parse({ ...base, scopes: "Desk.basic.READ,AaaServer.profile.READ" }).scopes).toEqual(["Desk.basic.READ"]);
    expect(startSchema.safeParse({ ...base, scopes: "AaaServer.profile.READ", includeProfile: "on" }).success).toBe(false);
    expect(startSchema.safeParse({ ...base, scopes: "nonsense" }).success).toBe(false);
  });

  it("forgives whitespace in a pasted code and refuses anything else", () => {
    const base = { clientRef: "2", location: "us", scopes: "Desk.basic.READ", name: "Self" };
    const code = `1000.${"a".repeat(32)}.${"b".repeat(32)}`;
    expect(selfClientSchema.parse({ ...base, code: ` ${code}\n` }).code).toBe(code);
    expect(selfClientSchema.safeParse({ ...base, code: "hello" }).success).toBe(false);
  });

  // The actions call no scope check of their own: each schema refuses what the picker refuses.
  it("refuses, in every form that takes scopes, the selections the picker refuses", () => {
    const code = `1000.${"a".repeat(32)}.${"b".repeat(32)}`;
    const forms = [
      [startSchema, { clientRef: "1", name: "Support", includeProfile: "on" }],
      [reconnectSchema, { connectionId: "1", includeProfile: "on" }],
      [selfClientSchema, { clientRef: "2", location: "us", name: "Self", code }],
      [createLinkSchema, { clientRef: "1", name: "Link" }],
    ] as const;
    for (const scopes of ["", "nonsense", "Desk.basic.READ,Desk.tickets"]) {
      expect(validateScopeSelection(scopes)).not.toBeNull();
      for (const [schema, base] of forms) {
        const r = schema.safeParse({ ...base, scopes });
        expect(r.success, `${scopes} accepted`).toBe(false);
        expect(r.error?.issues.map((i) => i.path[0])).toContain("scopes");
      }
    }
    for (const [schema, base] of forms) expect(schema.safeParse({ ...base, scopes: "Desk.basic.READ" }).success).toBe(true);
  });
});
