import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxHarness, type SandboxHarness } from "@/test/sandbox-harness";

let h: SandboxHarness;
let tags: typeof import("./tags");
let list: typeof import("./list");
let q: typeof import("./queries");
let actor: import("@/lib/audit").UserActor;
let ids: Record<string, number>;

beforeAll(async () => {
  h = await startSandboxHarness();
  tags = await import("./tags");
  list = await import("./list");
  q = await import("./queries");
  actor = (await import("@/lib/audit")).actorOf(h.admin);
  ids = {
    acmeProd: await h.connect({ name: "acme prod" }),
    acmeTest: await h.connect({ name: "acme test" }),
    globex: await h.connect({ name: "globex prod" }),
  };
  await tags.changeTags(ids.acmeProd, { add: ["customer:acme", "env:prod"] }, actor);
  await tags.changeTags(ids.acmeTest, { add: ["customer:acme", "env:test"] }, actor);
  await tags.changeTags(ids.globex, { add: ["customer:globex", "env:prod"] }, actor);
});
afterAll(async () => h?.close());

const auditRows = async (action: string) => {
  const { auditEvents } = h.schema;
  const { eq } = await import("drizzle-orm");
  return h.db.select().from(auditEvents).where(eq(auditEvents.action, action));
};

describe("connection tags", () => {
  it("adds and removes, reporting only what changed, and audits each real change", async () => {
    const before = (await auditRows("connection.tag")).length;
    const again = await tags.changeTags(ids.acmeProd, { add: ["env:prod", "tier:gold"], remove: ["nothing-here"] }, actor);
    expect(again).toMatchObject({ added: ["tier:gold"], removed: [], tags: ["customer:acme", "env:prod", "tier:gold"] });
    const noop = await tags.changeTags(ids.acmeProd, { add: ["tier:gold"] }, actor);
    expect(noop.added).toEqual([]);
    const removed = await tags.changeTags(ids.acmeProd, { remove: ["tier:gold"] }, actor);
    expect(removed.removed).toEqual(["tier:gold"]);
    const rows = await auditRows("connection.tag");
    // Two real changes, the no-op not recorded.
    expect(rows.length - before).toBe(2);
    expect(rows.at(-1)).toMatchObject({ targetType: "connection", targetId: String(ids.acmeProd), detail: { name: "acme prod", added: [], removed: ["tier:gold"] } });
  });

  it("holds a connection to twenty tags", async () => {
    const id = await h.connect({ name: "many tags" });
    await tags.changeTags(id, { add: Array.from({ length: 20 }, (_, i) => `t${i}`) }, actor);
    await expect(tags.changeTags(id, { add: ["one-more"] }, actor)).rejects.toThrow(/at most 20/);
    expect(await tags.tagsOfConnection(id)).toHaveLength(20);
    // Swapping one for another stays within the cap.
    expect((await tags.changeTags(id, { add: ["one-more"], remove: ["t0"] }, actor)).tags).toHaveLength(20);
    await expect(tags.changeTags(999_999, { add: ["x"] }, actor)).rejects.toThrow(/no longer exists/);
  });

  it("filters the list by tag in SQL, with counts and the other filters", async () => {
    const names = async (input: Record<string, string>) => (await list.listConnections(q.parseListQuery(input))).items.map((c) => c.name).sort();
    expect(await names({ tag: "customer:acme" })).toEqual(["acme prod", "acme test"]);
    expect(await names({ tag: "ENV:PROD" })).toEqual(["acme prod", "globex prod"]);
    expect(await names({ tag: "env:prod", q: "globex" })).toEqual(["globex prod"]);
    expect(await names({ tag: "env:none" })).toEqual([]);
    const r = await list.listConnections(q.parseListQuery({ tag: "customer:acme" }));
    expect(r.total).toBe(2);
    expect(r.totalAll).toBeGreaterThan(2);
    expect(r.items.find((c) => c.id === ids.acmeTest)?.tags).toEqual(["customer:acme", "env:test"]);
    // Not a tag: ignored rather than matching nothing.
    expect(q.parseListQuery({ tag: "not a tag" }).tag).toBeUndefined();
    const options = await list.listFilterOptions();
    expect(options.tags).toContainEqual({ tag: "env:prod", count: 2 });
  });

  it("the service API filters by ?tag= and returns tags in its connection objects", async () => {
    const api = await import("@/lib/service-api/connections");
    const key = { id: 1, name: "k", prefix: "zc_x", permissions: new Set(["read"]), allConnections: true, rateLimitPerMinute: 60, actor: { type: "api_key", id: 1, label: "k" }, ip: null } as const;
    const page = await api.listConnectionsForKey(key as never, 1, 0, "env:prod");
    expect(page.data.map((c) => c.name)).toEqual(["acme prod"]);
    expect(page.data[0].tags).toEqual(["customer:acme", "env:prod"]);
    const next = await api.listConnectionsForKey(key as never, 1, page.next_after!, "env:prod");
    expect(next).toMatchObject({ data: [{ name: "globex prod", tags: ["customer:globex", "env:prod"] }], next_after: null });
    expect((await api.connectionForKey(ids.acmeTest)).tags).toEqual(["customer:acme", "env:test"]);
    const { listQuery } = await import("@/lib/service-api/schemas");
    expect(listQuery.parse({ tag: "Env:Prod" }).tag).toBe("env:prod");
    expect(listQuery.safeParse({ tag: "env prod" }).success).toBe(false);
  });

  it("the audit filter by tag selects the events of the tagged connections", async () => {
    const audit = await import("@/lib/audit/query");
    const { parseAuditQuery } = await import("@/lib/audit/filters");
    const query = parseAuditQuery(new URLSearchParams("tag=customer:globex"));
    expect(query.filter.tag).toBe("customer:globex");
    const page = await audit.listAuditPage(query);
    expect(page.events.length).toBeGreaterThan(0);
    expect(new Set(page.events.map((e) => e.target?.id))).toEqual(new Set([String(ids.globex)]));
    expect(page.events.map((e) => e.action)).toContain("connection.tag");
    expect(parseAuditQuery(new URLSearchParams("tag=no%20tag")).ignored).toEqual(["tag"]);
  });

  it("the quick jump finds a tag by any part of it and opens the filtered list", async () => {
    const { quickSearch } = await import("@/lib/quick-search");
    const hits = (await quickSearch("acme")).filter((x) => x.kind === "tag");
    expect(hits).toEqual([expect.objectContaining({ label: "customer:acme", hint: "2 connections", href: "/connections?tag=customer%3Aacme" })]);
  });

  it("goes with its connection", async () => {
    const id = await h.connect({ name: "short-lived" });
    await tags.changeTags(id, { add: ["gone"] }, actor);
    const { connections } = h.schema;
    const { eq } = await import("drizzle-orm");
    await h.db.delete(connections).where(eq(connections.id, id));
    expect((await tags.tagOptions()).map((t) => t.tag)).not.toContain("gone");
  });
});
