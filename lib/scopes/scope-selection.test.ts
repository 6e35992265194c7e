import { describe, expect, it } from "vitest";
import {
  checkCustomScope,
  EMPTY_SELECTION_MESSAGE,
  normaliseSelection,
  selectionNotes,
  selectionReducer,
  validateScopeSelection,
} from "./scope-selection";

describe("validateScopeSelection", () => {
  it("refuses an empty choice, as array or as the hidden field's string", () => {
    expect(validateScopeSelection([])).toBe(EMPTY_SELECTION_MESSAGE);
    expect(validateScopeSelection("")).toBe(EMPTY_SELECTION_MESSAGE);
    expect(validateScopeSelection(" , ,")).toBe(EMPTY_SELECTION_MESSAGE);
  });

  it("refuses malformed scopes and names them", () => {
    expect(validateScopeSelection("Desk.tickets.READ,tickets")).toMatch(/expected Service\.scope\.OPERATION\): tickets$/);
    expect(validateScopeSelection(["Desk.tickets.FETCH"])).toContain("Desk.tickets.FETCH");
  });

  it("accepts known and unknown well-formed scopes", () => {
    expect(validateScopeSelection("SalesIQ.chatdetails.READ")).toBeNull();
    expect(validateScopeSelection(["Desk.made_up.READ"])).toBeNull();
  });
});

describe("normaliseSelection", () => {
  it("uses catalogue casing and order whatever the click order, unknown scopes last", () => {
    expect(normaliseSelection(["Foo.bar.READ", "salesiq.chatdetails.read", "desk.tickets.read", "Desk.Tickets.READ"])).toEqual([
      "Desk.tickets.READ",
      "SalesIQ.chatdetails.READ",
      "Foo.bar.READ",
    ]);
  });

  it("drops malformed input instead of passing it on", () => {
    expect(normaliseSelection("nonsense, Desk.search.READ")).toEqual(["Desk.search.READ"]);
  });
});

describe("selectionReducer", () => {
  it("toggles a scope on and off", () => {
    const one = selectionReducer([], { type: "toggle", scope: "SalesIQ.chatdetails.READ" });
    expect(one).toEqual(["SalesIQ.chatdetails.READ"]);
    expect(selectionReducer(one, { type: "toggle", scope: "salesiq.chatdetails.read" })).toEqual([]);
  });

  it("keeps the same array when nothing changes, so onChange is not fired", () => {
    const state = ["Desk.tickets.READ"];
    expect(selectionReducer(state, { type: "add", scopes: ["DESK.TICKETS.READ"] })).toBe(state);
    expect(selectionReducer(state, { type: "add", scopes: ["bad scope"] })).toBe(state);
    expect(selectionReducer(state, { type: "remove", scope: "Desk.tasks.READ" })).toBe(state);
    const empty: string[] = [];
    expect(selectionReducer(empty, { type: "clear" })).toBe(empty);
  });

  it("adds several at once and removes one", () => {
    const s = selectionReducer(["Desk.tickets.READ"], { type: "add", scopes: ["ZohoAssist.userapi.READ", "Desk.basic.READ"] });
    expect(s).toEqual(["Desk.tickets.READ", "Desk.basic.READ", "ZohoAssist.userapi.READ"]);
    expect(selectionReducer(s, { type: "remove", scope: "Desk.basic.READ" })).toEqual(["Desk.tickets.READ", "ZohoAssist.userapi.READ"]);
    expect(selectionReducer(s, { type: "clear" })).toEqual([]);
  });
});

describe("checkCustomScope", () => {
  it("explains the grammar when a scope is malformed", () => {
    const r = checkCustomScope("Desk.tickets");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain("Service.scope.OPERATION");
    expect(checkCustomScope("  ").ok).toBe(false);
    expect(checkCustomScope("Desk.tickets.READ; drop").ok).toBe(false);
  });

  it("accepts well-formed scopes and says which are unknown to the catalogue", () => {
    expect(checkCustomScope("SalesIQ.chattranscript.read")).toEqual({ ok: true, scopes: ["SalesIQ.chattranscript.READ"], unknown: [] });
    expect(checkCustomScope("Desk.tickets.READ, Desk.timeEntry.READ")).toEqual({
      ok: true,
      scopes: ["Desk.tickets.READ", "Desk.timeEntry.READ"],
      unknown: ["Desk.timeEntry.READ"],
    });
  });
});

describe("selectionNotes", () => {
  it("flags .ALL scopes as broad, known or not", () => {
    expect(selectionNotes(["Desk.tickets.ALL", "Foo.things.ALL", "Desk.basic.READ"]).broad).toEqual([
      { scope: "Desk.tickets.ALL", resource: "tickets" },
      { scope: "Foo.things.ALL", resource: "things" },
    ]);
  });

  it("lists unknown scopes", () => {
    expect(selectionNotes(["Desk.timeEntry.READ", "Desk.tickets.READ"]).unknown).toEqual(["Desk.timeEntry.READ"]);
  });

  it("points out a service chosen without its organisation discovery scope", () => {
    const notes = selectionNotes(["Desk.tickets.READ", "SalesIQ.chatdetails.READ", "AaaServer.profile.READ"]);
    expect(notes.missingDiscovery.map((m) => m.scope)).toEqual(["Desk.basic.READ", "SalesIQ.portals.READ"]);
    expect(notes.missingDiscovery.map((m) => m.purpose)).toEqual(["choose a Desk organisation", "choose a SalesIQ portal"]);
  });

  it("proposes Desk.basic.READ for any Desk scope, even Desk.tickets.ALL, and does not take an undocumented Desk.basic.ALL for it", () => {
    expect(selectionNotes(["Desk.tickets.ALL"]).missingDiscovery.map((m) => m.scope)).toEqual(["Desk.basic.READ"]);
    expect(selectionNotes(["Desk.tickets.READ", "Desk.basic.ALL"]).missingDiscovery.map((m) => m.scope)).toEqual(["Desk.basic.READ"]);
    expect(selectionNotes(["Desk.tickets.READ", "Desk.basic.READ"]).missingDiscovery).toEqual([]);
  });

  it("counts an .ALL on the discovery resource as covering it", () => {
    expect(selectionNotes(["SalesIQ.chatdetails.READ", "SalesIQ.portals.ALL"]).missingDiscovery).toEqual([]);
    expect(selectionNotes(["ZohoAssist.userapi.READ"]).missingDiscovery).toEqual([]);
  });
});
