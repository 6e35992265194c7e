import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxHarness, type SandboxHarness } from "@/test/sandbox-harness";

const INTERVAL = 300;
let h: SandboxHarness;
let bulk: typeof import("./bulk");
let actor: import("@/lib/audit").UserActor;

beforeAll(async () => {
  h = await startSandboxHarness({ ZOHO_BULK_INTERVAL_MS: String(INTERVAL) });
  bulk = await import("./bulk");
  actor = (await import("@/lib/audit")).actorOf(h.admin);
});
afterAll(async () => h?.close());

async function eventsOf(action: string, ids: number[]) {
  const { auditEvents } = h.schema;
  const { and, eq, inArray, asc } = await import("drizzle-orm");
  return h.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), inArray(auditEvents.targetId, ids.map(String))))
    .orderBy(asc(auditEvents.id));
}

async function unreachable(id: number) {
  const { connections } = h.schema;
  const { eq } = await import("drizzle-orm");
  // Nothing listens there: Zoho "cannot be reached" for this one connection only.
  await h.db.update(connections).set({ accountsServer: "http://127.0.0.1:9" }).where(eq(connections.id, id));
}

describe("bulk actions", () => {
  it("previews the selection with its clients, by ids or by the list's filter", async () => {
    const a = await h.connect({ name: "preview a" });
    const b = await h.connect({ name: "preview b" });
    const tags = await import("./tags");
    await tags.changeTags(a, { add: ["batch:preview"] }, actor);
    await tags.changeTags(b, { add: ["batch:preview"] }, actor);
    const byIds = await bulk.bulkPreview({ ids: [b, a] });
    expect(byIds.targets.map((t) => t.name)).toEqual(["preview a", "preview b"]);
    expect(byIds.clients).toEqual([{ name: "Sandbox demo client", count: 2 }]);
    const byFilter = await bulk.bulkPreview({ filter: "tag=batch%3Apreview&sort=name" });
    expect(byFilter.targets.map((t) => t.id)).toEqual([a, b]);
    await expect(bulk.bulkPreview({ filter: "tag=batch%3Anone" })).rejects.toThrow(/None of the selected/);
  });

  it("refreshes each connection, and a Zoho error on one does not stop the others", async () => {
    const ids = [await h.connect({ name: "r1" }), await h.connect({ name: "r2 broken" }), await h.connect({ name: "r3" })];
    await unreachable(ids[1]);
    const results = await bulk.runBulk("refresh", ids, actor);
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ["r1", true],
      ["r2 broken", false],
      ["r3", true],
    ]);
    expect(results[1].message).toMatch(/reach|connect/i);
    // One audit event per connection, as from the connection page.
    const events = await eventsOf("connection.refresh", ids);
    expect(events.map((e) => [Number(e.targetId), e.outcome])).toEqual([
      [ids[0], "success"],
      [ids[1], "failure"],
      [ids[2], "success"],
    ]);
  });

  it("revokes one by one, at most one call per interval to an accounts server, with a result each", async () => {
    const ids = [await h.connect({ name: "v1" }), await h.connect({ name: "v2" }), await h.connect({ name: "v3 unreachable" }), await h.connect({ name: "v4" })];
    await unreachable(ids[2]);
    const t0 = Date.now();
    const results = await bulk.runBulk("revoke", ids, actor);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2].message).toMatch(/Nothing was changed/);
    const revoked = await eventsOf("connection.revoke", ids);
    expect(revoked.map((e) => [Number(e.targetId), e.outcome])).toEqual([
      [ids[0], "success"],
      [ids[1], "success"],
      [ids[2], "failure"],
      [ids[3], "success"],
    ]);
    // The three calls to the sandbox's accounts server took one slot each, an interval apart; the
    // unreachable one queued at its own server and waited for nobody.
    const sandboxTimes = [revoked[0], revoked[1], revoked[3]].map((e) => e.at.getTime() - t0);
    sandboxTimes.forEach((at, slot) => expect(at).toBeGreaterThanOrEqual(slot * INTERVAL - 5));
    const { loadConnection } = await import("./queries");
    expect((await loadConnection(ids[0]))?.revokedAt).not.toBeNull();
    expect((await loadConnection(ids[2]))?.revokedAt).toBeNull();
  });

  it("stops calling Zoho once it answers with its throttle, and says which were not attempted", async () => {
    const ids = [await h.connect({ name: "t1" }), await h.connect({ name: "t2" }), await h.connect({ name: "t3" })];
    await h.sandbox.admin("POST", "faults", { token: { throttle: true } });
    try {
      const results = await bulk.runBulk("refresh", ids, actor);
      expect(results[0]).toMatchObject({ ok: false, throttled: true });
      expect(results.slice(1).map((r) => r.skipped)).toEqual([true, true]);
      expect(results[1].message).toMatch(/slow down/);
    } finally {
      await h.sandbox.admin("DELETE", "faults");
    }
    expect((await eventsOf("connection.refresh", ids)).map((e) => Number(e.targetId))).toEqual([ids[0]]);
  });

  it("switches keep fresh and tags in bulk, refusing per connection what cannot be done", async () => {
    const ids = [await h.connect({ name: "k1" }), await h.connect({ name: "k2 revoked" })];
    await bulk.runBulk("revoke", [ids[1]], actor);
    const off = await bulk.runBulk("keep_fresh_off", [...ids, 999_999], actor);
    expect(off.map((r) => r.ok)).toEqual([true, false, false]);
    expect(off[1].message).toMatch(/revoked/i);
    expect(off[2].message).toMatch(/no longer exists/);
    expect((await eventsOf("connection.keep_fresh", ids)).map((e) => [Number(e.targetId), e.detail])).toEqual([[ids[0], { before: { keepFresh: true }, after: { keepFresh: false } }]]);
    const tagged = await bulk.runBulk("tag_add", ids, actor, { tag: "wave:1" });
    expect(tagged.every((r) => r.ok)).toBe(true);
    const tagEvents = await eventsOf("connection.tag", ids);
    expect(tagEvents.map((e) => e.detail)).toEqual([
      { name: "k1", added: ["wave:1"], removed: [], bulk: true },
      { name: "k2 revoked", added: ["wave:1"], removed: [], bulk: true },
    ]);
  });

  it("records one bulk event naming the operation, the count and the clients", async () => {
    const ids = [await h.connect({ name: "e1" }), await h.connect({ name: "e2" })];
    const preview = await bulk.bulkPreview({ ids });
    await bulk.recordBulk("keep_fresh_off", preview, actor, { ip: "203.0.113.9", filter: "tag=x" });
    const { auditEvents } = h.schema;
    const { eq } = await import("drizzle-orm");
    const [event] = await h.db.select().from(auditEvents).where(eq(auditEvents.action, "connection.bulk"));
    expect(event).toMatchObject({
      actorId: String(h.admin.id),
      targetType: null,
      detail: { operation: "Keep fresh off", count: 2, clients: ["Sandbox demo client (2)"], filter: "tag=x", connections: ids },
    });
  });
});

describe("Zoho pacing", () => {
  it("hands out slots an interval apart per accounts server, and none is shared between servers", async () => {
    const { takeZohoSlot } = await import("./pacing");
    const t0 = Date.now();
    const waits = await Promise.all([takeZohoSlot("https://accounts.pace.test", 200), takeZohoSlot("https://accounts.pace.test", 200), takeZohoSlot("https://accounts.pace.test", 200)]);
    expect([...waits].sort((a, b) => a - b).map((w) => Math.round(w / 100))).toEqual([0, 2, 4]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    expect(await takeZohoSlot("https://accounts.other.test", 200)).toBe(0);
  });
});
