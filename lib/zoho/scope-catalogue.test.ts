import { describe, expect, it } from "vitest";
import {
  findScope,
  SCOPE_CATALOGUE,
  scopesForApi,
  searchCatalogue,
  SERVICES,
  serviceEntry,
  servicesOf,
} from "./scope-catalogue";
import { isKnownScope } from "@/sandbox/scopes";
import { SCOPE_GRAMMAR } from "./scope-string";

describe("catalogue well-formedness", () => {
  it("every scope matches Service.scope.OPERATION and its own parts", () => {
    for (const e of SCOPE_CATALOGUE) {
      expect(e.scope, e.scope).toMatch(SCOPE_GRAMMAR);
      const svc = serviceEntry(e.service);
      expect(e.scope).toBe(`${svc.scopePrefix}.${e.resource}.${e.operation}`);
      expect(e.description.length, e.scope).toBeGreaterThan(5);
    }
  });

  it("has no duplicates, even ignoring case", () => {
    const keys = SCOPE_CATALOGUE.map((e) => e.scope.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("flags exactly the .ALL scopes as broad", () => {
    for (const e of SCOPE_CATALOGUE) expect(Boolean(e.broad), e.scope).toBe(e.operation === "ALL");
  });

  it("uses WRITE only in Desk", () => {
    expect(SCOPE_CATALOGUE.filter((e) => e.operation === "WRITE").every((e) => e.service === "desk")).toBe(true);
  });

  it("every service says how its organisations are discovered", () => {
    expect(SERVICES.map((s) => s.id)).toEqual(["desk", "assist", "salesiq", "profile"]);
    for (const s of SERVICES) {
      expect(s.discovery.description.length).toBeGreaterThan(10);
      expect(s.discovery.path).toMatch(/^\//);
      expect(findScope(s.discovery.scope), s.id).toBeDefined();
    }
    expect(serviceEntry("desk").discovery).toMatchObject({ base: "desk", path: "/api/v1/organizations" });
    expect(serviceEntry("assist").discovery).toMatchObject({ base: "assist", path: "/api/v2/user" });
    expect(serviceEntry("salesiq").discovery).toMatchObject({ base: "salesiq", path: "/api/v2/portals" });
  });

  it("every API reference is well-formed", () => {
    for (const e of SCOPE_CATALOGUE) {
      for (const a of e.apis) {
        expect(a.name.length).toBeGreaterThan(2);
        expect(a.path, `${e.scope} ${a.name}`).toMatch(/^\/[\w/{}.-]*$/);
      }
    }
  });

  it("contains the scopes of zoho-oauth.md §5", () => {
    const expected = [
      ...["ALL", "READ", "WRITE", "CREATE", "UPDATE", "DELETE"].flatMap((op) =>
        ["tickets", "contacts", "tasks", "settings"].map((r) => `Desk.${r}.${op}`),
      ),
      "Desk.basic.READ", "Desk.basic.CREATE", "Desk.search.READ", "Desk.events.ALL",
      "Desk.articles.READ", "Desk.articles.CREATE", "Desk.articles.UPDATE", "Desk.articles.DELETE",
      "ZohoAssist.userapi.READ", "ZohoAssist.sessionapi.CREATE", "ZohoAssist.unattended.device.CREATE",
      "ZohoAssist.unattended.computer.READ", "ZohoAssist.unattended.computer.UPDATE", "ZohoAssist.unattended.computer.DELETE",
      "ZohoAssist.unattended.group.READ", "ZohoAssist.unattended.group.CREATE", "ZohoAssist.unattended.group.UPDATE",
      "ZohoAssist.unattended.group.DELETE", "ZohoAssist.reportapi.READ",
      "SalesIQ.portals.READ", "SalesIQ.portals.CREATE", "SalesIQ.portals.UPDATE", "SalesIQ.portals.ALL",
      ...["ALL", "READ", "CREATE", "UPDATE", "DELETE"].flatMap((op) => [`SalesIQ.operators.${op}`, `SalesIQ.departments.${op}`]),
      "SalesIQ.conversations.READ", "SalesIQ.conversations.UPDATE",
      "SalesIQ.visitors.ALL", "SalesIQ.visitors.READ", "SalesIQ.visitors.UPDATE",
      "SalesIQ.webhooks.CREATE", "SalesIQ.webhooks.DELETE", "SalesIQ.PushNotifications.UPDATE",
      "SalesIQ.chatdetails.READ", "SalesIQ.chattranscript.READ", "SalesIQ.visitordetails.READ", "SalesIQ.visitordetails.UPDATE",
      "AaaServer.profile.READ",
    ];
    const missing = expected.filter((s) => findScope(s)?.scope !== s);
    expect(missing).toEqual([]);
  });

  it("maps SalesIQ's documented API names to their scopes", () => {
    const table: [string, string][] = [
      ["Chat list", "SalesIQ.chatdetails.READ"],
      ["Chat info", "SalesIQ.chatdetails.READ"],
      ["Attachments", "SalesIQ.chatdetails.READ"],
      ["Chat transcript", "SalesIQ.chattranscript.READ"],
      ["Visitor details", "SalesIQ.visitordetails.READ"],
      ["Update visitor info", "SalesIQ.visitordetails.UPDATE"],
      ["Push notification", "SalesIQ.PushNotifications.UPDATE"],
    ];
    for (const [name, scope] of table) {
      expect(findScope(scope)!.apis.map((a) => a.name), name).toContain(name);
    }
  });
});

describe("findScope", () => {
  it("is case-insensitive and returns catalogue casing", () => {
    expect(findScope("salesiq.pushnotifications.update")?.scope).toBe("SalesIQ.PushNotifications.UPDATE");
    expect(findScope("  Desk.tickets.READ ")?.service).toBe("desk");
    expect(findScope("Desk.tickets.MOVE")).toBeUndefined();
  });
});

describe("scopesForApi", () => {
  it('finds "list chats" → SalesIQ.chatdetails.READ', () => {
    const found = scopesForApi("list chats");
    expect(found.map((m) => m.api.name)).toContain("Chat list");
    expect(found.find((m) => m.api.name === "Chat list")!.suggested.scope).toBe("SalesIQ.chatdetails.READ");
  });

  it("suggests the narrowest scope when several allow the call", () => {
    const m = scopesForApi("list tickets").find((x) => x.service === "desk")!;
    expect(m.scopes.map((s) => s.scope)).toEqual(["Desk.tickets.READ", "Desk.tickets.ALL"]);
    expect(m.suggested.scope).toBe("Desk.tickets.READ");
  });

  it("finds transcripts, visitors and push notifications", () => {
    expect(scopesForApi("transcript")[0].suggested.scope).toBe("SalesIQ.chattranscript.READ");
    expect(scopesForApi("update visitor info")[0].suggested.scope).toBe("SalesIQ.visitordetails.UPDATE");
    expect(scopesForApi("push notification")[0].suggested.scope).toBe("SalesIQ.PushNotifications.UPDATE");
    expect(scopesForApi("unattended computers")[0].suggested.scope).toBe("ZohoAssist.unattended.computer.READ");
  });

  it("returns nothing for nonsense or empty queries", () => {
    expect(scopesForApi("quantum teleport")).toEqual([]);
    expect(scopesForApi("   ")).toEqual([]);
  });
});

describe("searchCatalogue", () => {
  it("searches by service", () => {
    const r = searchCatalogue("assist");
    expect(r.length).toBe(SCOPE_CATALOGUE.filter((e) => e.service === "assist").length);
  });

  it("searches by exact scope", () => {
    expect(searchCatalogue("SalesIQ.chatdetails.READ").map((e) => e.scope)).toEqual(["SalesIQ.chatdetails.READ"]);
  });

  it("searches by operation within a service", () => {
    const r = searchCatalogue("desk delete");
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((e) => e.service === "desk")).toBe(true);
    expect(r.map((e) => e.scope)).toContain("Desk.tickets.DELETE");
  });

  it("searches by API and description", () => {
    expect(searchCatalogue("chat list").map((e) => e.scope)).toContain("SalesIQ.chatdetails.READ");
    expect(searchCatalogue("knowledge base").every((e) => e.resource === "articles")).toBe(true);
    expect(searchCatalogue("webhook").map((e) => e.scope)).toEqual(
      expect.arrayContaining(["Desk.events.ALL", "SalesIQ.webhooks.CREATE"]),
    );
  });

  it("returns the whole catalogue for an empty query", () => {
    expect(searchCatalogue("").length).toBe(SCOPE_CATALOGUE.length);
  });
});

describe("servicesOf", () => {
  it("lists services in catalogue order, known and unknown scopes alike", () => {
    expect(servicesOf(["SalesIQ.chatdetails.READ", "AaaServer.profile.READ", "Desk.tickets.READ", "Desk.foo.READ"])).toEqual([
      "desk",
      "salesiq",
      "profile",
    ]);
    expect(servicesOf(["ZohoCRM.modules.ALL"])).toEqual([]);
  });
});

describe("only documented scopes", () => {
  it("offers no scope that Zoho's consent would refuse (the sandbox keeps Zoho's documented list)", () => {
    const refused = SCOPE_CATALOGUE.map((e) => e.scope).filter((scope) => !isKnownScope(scope));
    expect(refused).toEqual([]);
  });

  it("leaves out scopes seen only in Zoho's examples", () => {
    expect(findScope("ZohoAssist.sessionapi.ALL")).toBeUndefined();
    expect(findScope("ZohoAssist.sessionapi.CREATE")).toBeDefined();
  });
});
