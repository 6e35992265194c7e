import { describe, expect, it } from "vitest";
import { catalogueSearch, EMPTY_FILTER, filterCatalogue, isFiltered, parseCatalogueParams } from "./catalogue-filter";

describe("parseCatalogueParams", () => {
  it("reads q, service and operation and ignores what it does not know", () => {
    expect(parseCatalogueParams({ q: "list chats", service: "SalesIQ", operation: "read" })).toEqual({
      q: "list chats",
      service: "salesiq",
      operation: "READ",
    });
    expect(parseCatalogueParams({ service: "crm", operation: "FETCH" })).toEqual(EMPTY_FILTER);
    expect(parseCatalogueParams({ q: ["a", "b"] }).q).toBe("a");
    expect(parseCatalogueParams({ q: "x".repeat(1000) }).q).toHaveLength(200);
  });

  it("round-trips through the URL", () => {
    const f = { q: "list chats", service: "salesiq", operation: "" } as const;
    const qs = catalogueSearch(f);
    expect(qs).toBe("?q=list+chats&service=salesiq");
    expect(parseCatalogueParams(Object.fromEntries(new URLSearchParams(qs)))).toEqual(f);
    expect(catalogueSearch(EMPTY_FILTER)).toBe("");
    expect(isFiltered(EMPTY_FILTER)).toBe(false);
  });
});

describe("filterCatalogue", () => {
  it("shows every service, profile included, when nothing is filtered", () => {
    const r = filterCatalogue(EMPTY_FILTER);
    expect(r.groups.map((g) => g.service.id)).toEqual(["desk", "assist", "salesiq", "profile"]);
    expect(r.matchedApis.size).toBe(0);
  });

  it("finds a scope by the API call that needs it and marks the call", () => {
    const r = filterCatalogue({ ...EMPTY_FILTER, q: "list chats" });
    expect(r.groups.flatMap((g) => g.scopes.map((s) => s.scope))).toContain("SalesIQ.chatdetails.READ");
    expect(r.matchedApis).toContain("GET /api/v1/{screenname}/chats Chat list");
  });

  it("narrows by service and by operation", () => {
    const desk = filterCatalogue({ ...EMPTY_FILTER, service: "desk", operation: "ALL" });
    expect(desk.groups.map((g) => g.service.id)).toEqual(["desk"]);
    expect(desk.groups[0].scopes.every((s) => s.operation === "ALL" && s.broad)).toBe(true);
    expect(desk.total).toBe(desk.groups[0].scopes.length);
  });

  it("returns nothing rather than everything for a query that matches nothing", () => {
    expect(filterCatalogue({ ...EMPTY_FILTER, q: "zzzz" })).toMatchObject({ groups: [], total: 0 });
    expect(filterCatalogue({ ...EMPTY_FILTER, q: "list chats", service: "desk" }).total).toBe(0);
  });
});
