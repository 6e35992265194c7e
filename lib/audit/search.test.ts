/**
 * The audit trail's free-text search: what it finds (sentence, target name, detail), paging with
 * it, the index staying in step with retention's deletes, and the query plan reading the text
 * index (SQLite's FTS5 trigram table, PostgreSQL's pg_trgm GIN index) on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb, database } = await import("@/db/client");
const schema = await import("@/db/schema");
const { lt } = await import("drizzle-orm");
const { rawQuery } = await import("@/test/db-kit");
const { queryPlan, fullScans } = await import("@/db/explain");
const q = await import("./query");
const { parseAuditQuery, auditSearchParams } = await import("./filters");
const { recordAudit, systemActor } = await import("./record");
afterAll(() => tmp.cleanup());

const db = getDb();
const a = schema.auditEvents;
const NOW = Date.now();
let connectionId = 0;

const found = async (text: string, limit = 100) => (await q.listAuditPage({ filter: { q: text } }, { limit, now: NOW })).events;

beforeAll(async () => {
  const [user] = await db.insert(schema.users).values({ email: "ops@console.test", name: "Ops", passwordHash: "x", role: "admin" }).returning();
  const [client] = await db
    .insert(schema.zohoClients)
    .values({ name: "Zylker Desk client", realm: "sandbox", clientType: "server", clientId: "1000.ZYLKER", secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us" })
    .returning();
  const [conn] = await db
    .insert(schema.connections)
    .values({ name: "Helpdesk Frankfurt", clientRef: client.id, accessType: "offline", location: "eu", accountsServer: "http://x/eu/accounts", apiDomain: "http://x", scopesRequested: [], scopesGranted: [], createdBy: user.id })
    .returning();
  connectionId = conn.id;
  const target = { type: "connection", id: conn.id };
  await recordAudit({ actor: systemActor, action: "connection.refresh", target, outcome: "failure", detail: { name: conn.name, trigger: "background", errorKind: "invalid_code", error: "Zoho no longer accepts this refresh token." } });
  await recordAudit({ actor: systemActor, action: "connection.refresh", target, detail: { trigger: "background", latencyMs: 80 } });
  await recordAudit({ actor: { type: "user", id: user.id, label: user.email }, action: "client.update", target: { type: "client", id: client.id }, detail: { name: client.name, changed: ["homeDc"], before: { homeDc: "us" }, after: { homeDc: "eu" } } });
  await recordAudit({ actor: { type: "anonymous", label: "mallory@evil.test" }, action: "auth.sign_in", outcome: "failure", detail: { reason: "bad_credentials" }, ip: "203.0.113.9" });
});

describe("free-text search", () => {
  it("finds an event by words of its sentence, case aside", async () => {
    const hits = await found("ZOHO REFUSED");
    expect(hits.map((e) => [e.action, e.outcome])).toEqual([["connection.refresh", "failure"]]);
    expect(hits[0].summary).toBe("Refresh failed: Zoho refused the refresh token (invalid_code) — reconnect.");
    expect((await found("wrong e-mail")).map((e) => e.action)).toEqual(["auth.sign_in"]);
  });

  it("finds events by their target's name, though the detail does not carry it", async () => {
    const hits = await found("frankfurt");
    expect(hits).toHaveLength(2);
    expect(hits.every((e) => e.target?.id === String(connectionId))).toBe(true);
  });

  it("finds substrings of the detail and the actor, and requires every word", async () => {
    expect((await found("mallory")).map((e) => e.action)).toEqual(["auth.sign_in"]);
    expect((await found("homeDc")).map((e) => e.action)).toEqual(["client.update"]);
    expect(await found("frankfurt mallory")).toEqual([]);
    expect(await found("nothing-like-this")).toEqual([]);
  });

  it("combines with the other filters and pages by keyset", async () => {
    expect((await q.listAuditPage({ filter: { q: "frankfurt", outcome: "failure" } }, { now: NOW })).events).toHaveLength(1);
    const first = await q.listAuditPage({ filter: { q: "frankfurt" } }, { limit: 1, now: NOW });
    expect(first.older).not.toBeNull();
    const second = await q.listAuditPage({ filter: { q: "frankfurt" }, before: first.older! }, { limit: 1, now: NOW });
    expect(second.events).toHaveLength(1);
    expect(second.older).toBeNull();
    expect(second.events[0].id).not.toBe(first.events[0].id);
    expect(await q.countAuditEvents({ q: "frankfurt" }, NOW)).toEqual({ count: 2, capped: false });
  });

  it("reads q from the URL without control characters and keeps it in links; too short a word is no search", () => {
    const parsed = parseAuditQuery(new URLSearchParams({ q: "zoho\u0000refused\u001f ", outcome: "failure" }));
    expect(parsed.filter).toEqual({ outcome: "failure", q: "zoho refused" });
    expect(auditSearchParams(parsed.filter).toString()).toBe("outcome=failure&q=zoho+refused");
    expect(parseAuditQuery(new URLSearchParams({ q: "ab" }))).toEqual({ filter: {}, ignored: ["q"] });
  });

  it("keeps the index in step when retention deletes events", async () => {
    await recordAudit({ actor: systemActor, action: "view.save", detail: { name: "ephemeral-view-xyz" } }, new Date(NOW - 400 * 86_400_000));
    expect(await found("ephemeral-view-xyz")).toHaveLength(1);
    await db.delete(a).where(lt(a.at, new Date(NOW - 300 * 86_400_000)));
    expect(await found("ephemeral-view-xyz")).toEqual([]);
    if (!onPostgres) {
      // FTS5 checks its index against the table it indexes; a missed delete fails here.
      await expect(rawQuery("INSERT INTO audit_search (audit_search, rank) VALUES ('integrity-check', 1)")).resolves.toBeDefined();
      const [{ n }] = await rawQuery<{ n: number }>("SELECT count(*) AS n FROM audit_search WHERE audit_search MATCH '\"ephemeral\"'");
      expect(n).toBe(0);
    }
  });
});

describe("an event's permalink", () => {
  it("reads one event by id with its sentence and the request that wrote it; an unknown id is none", async () => {
    const { withRequestContext } = await import("@/lib/log");
    await withRequestContext({ requestId: "req-permalink-1" }, () =>
      recordAudit({ actor: systemActor, action: "connection.needs_reauth", target: { type: "connection", id: connectionId }, outcome: "failure", detail: { reason: "evicted" } }),
    );
    const [hit] = await found("evicted");
    const event = await q.getAuditEvent(hit.id);
    expect(event).toMatchObject({ id: hit.id, action: "connection.needs_reauth", requestId: "req-permalink-1", target: { label: "Helpdesk Frankfurt", href: `/connections/${connectionId}` } });
    expect(event!.summary).toMatch(/^Zoho refused the refresh token: a newer consent/);
    expect(await q.getAuditEvent(hit.id + 10_000)).toBeNull();
    expect(await q.getAuditEvent(0)).toBeNull();
    const { auditEventHref } = await import("./filters");
    expect(auditEventHref(hit.id)).toBe(`/audit/${hit.id}`);
  });
});

describe("the search's query plan", () => {
  beforeAll(async () => {
    // 20,000 events shaped like a console's; PostgreSQL plans by statistics, so it gets them analysed.
    await database().query(
      onPostgres
        ? `insert into audit_events (created_at, actor_type, actor_label, action, outcome, detail, search_text)
           select ${NOW}::bigint - g * 60000, 'system', 'system', 'connection.refresh', 'success', '{"trigger":"background"}',
             'Refreshed the access token by the background refresher. Token refresh connection.refresh system trigger background conn' || g
           from generate_series(1, 20000) g`
        : `with recursive g(n) as (select 1 union all select n + 1 from g where n < 20000)
           insert into audit_events (created_at, actor_type, actor_label, action, outcome, detail, search_text)
           select ${NOW} - n * 60000, 'system', 'system', 'connection.refresh', 'success', '{"trigger":"background"}',
             'Refreshed the access token by the background refresher. Token refresh connection.refresh system trigger background conn' || n
           from g`,
    );
    if (onPostgres) await database().query("vacuum analyze audit_events");
  }, 60_000);

  it("reads the text index, never the whole trail, for a page and for the count", async () => {
    const query = { filter: { q: "helpdesk frankfurt" } };
    for (const built of [q.auditPageQuery(query, NOW, 50), q.auditCountQuery(query.filter, NOW)]) {
      const lines = await queryPlan(database(), built);
      expect(fullScans(database().engine, lines, ["audit_events"]), lines.join("\n")).toEqual([]);
      if (onPostgres) expect(lines.some((l) => /Bitmap Index Scan using audit_events_search/.test(l)), lines.join("\n")).toBe(true);
      else expect(lines.some((l) => /^SCAN audit_search VIRTUAL TABLE INDEX/.test(l)), lines.join("\n")).toBe(true);
    }
    // And it still finds the three events among the 20,000.
    expect(await found("helpdesk frankfurt")).toHaveLength(3);
    expect(await q.countAuditEvents({ q: "conn1999" }, NOW)).toEqual({ count: 11, capped: false });
  });
});
