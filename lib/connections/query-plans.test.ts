/**
 * The list, overview and audit queries read indices, not whole tables: each query's plan
 * (EXPLAIN QUERY PLAN, as SQLite would run it here) must not scan a large table row by row.
 */
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb, sqliteHandle } = await import("@/db/client");
const list = await import("./list");
const ov = await import("./overview");
const audit = await import("@/lib/audit/query");
const { parseListQuery } = await import("./queries");
const recent = await import("@/lib/connect/recent-attempts");
const { hashState } = await import("@/lib/connect/attempts");
const { oauthAttempts } = await import("@/db/schema");
const { and, eq, lt } = await import("drizzle-orm");
afterAll(() => tmp.cleanup());

getDb();
const NOW = Date.now();

/** The plan's lines for a drizzle query, e.g. "SEARCH audit_events USING INDEX …". */
function plan(query: { toSQL(): { sql: string; params: unknown[] } }): string[] {
  const { sql, params } = query.toSQL();
  const rows = sqliteHandle()
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params.map((p) => (p instanceof Date ? p.getTime() : typeof p === "boolean" ? Number(p) : p))) as { detail: string }[];
  return rows.map((r) => r.detail);
}

const LARGE = ["connections", "audit_events", "token_mints", "refresh_token_lives", "oauth_attempts"];
/** A line that reads every row of a large table: SCAN without an index. */
const fullScans = (lines: string[]) => lines.filter((l) => LARGE.some((t) => new RegExp(`^SCAN ${t}$`).test(l.replace(/ AS \w+/, ""))));

function expectIndexed(name: string, query: { toSQL(): { sql: string; params: unknown[] } }) {
  const lines = plan(query);
  expect(fullScans(lines), `${name}:\n${lines.join("\n")}`).toEqual([]);
}

describe("query plans", () => {
  it.each([
    ["default (status order)", {}],
    ["status filter", { status: "active" }],
    ["client filter", { client: "1" }],
    ["data centre filter", { dc: "eu" }],
    ["sorted by name", { sort: "name" }],
    ["sorted by expiry", { sort: "expiry" }],
    ["sorted by last refresh", { sort: "last_refresh" }],
    ["sorted by creation", { sort: "created", dir: "asc" }],
    ["status filter, sorted by expiry, page 50", { status: "expiring_soon", sort: "expiry", page: "50" }],
  ])("the connections list: %s", (_name, input) => {
    const query = parseListQuery(input as Record<string, string>);
    expectIndexed("ids", list.listIdsQuery(query, NOW, query.page ?? 1));
    expectIndexed("count", list.listCountQuery(query, NOW));
  });

  it("the overview: counts, needs attention, expiring, budgets", () => {
    const counts = plan(ov.statusCountsQuery(NOW));
    expect(counts.join("\n")).toMatch(/USING COVERING INDEX connections_status/);
    expectIndexed("attention", ov.attentionQuery(NOW));
    expectIndexed("expiring", ov.expiringQuery(NOW));
    expectIndexed("budgets", ov.budgetsQuery());
  });

  it.each([
    ["no filter", {}],
    ["actor", { actor: "user:1" }],
    ["actor type", { actor: "system" }],
    ["action", { action: "connection.refresh" }],
    ["action group", { action: "tokens" }],
    ["outcome", { outcome: "failure" }],
    ["connection", { connection: 3 }],
    ["client", { client: 2 }],
    ["range", { range: "7d" }],
  ])("the audit page and its count: %s", (_name, filter) => {
    expectIndexed("page", audit.auditPageQuery({ filter: filter as never }, NOW, 50));
    expectIndexed("deep page", audit.auditPageQuery({ filter: filter as never, before: { at: NOW - 86_400_000, id: 1000 } }, NOW, 50));
    expectIndexed("count", audit.auditCountQuery(filter as never, NOW));
  });

  it.each([
    ["no filter", {}],
    ["action", { action: "connection.refresh" }],
    ["outcome", { outcome: "failure" }],
    ["connection", { connection: 3 }],
  ])("an audit page or export batch deep in the trail starts its index walk at the cursor: %s", (_name, filter) => {
    // Walking from the newest row and skipping to the cursor made every batch of a long export
    // dearer than the last.
    for (const cursor of [{ before: { at: NOW - 86_400_000, id: 1000 } }, { after: { at: NOW - 86_400_000, id: 1000 } }]) {
      const lines = plan(audit.auditPageQuery({ filter: filter as never, ...cursor }, NOW, 50));
      expect(lines.join("\n"), lines.join("\n")).toMatch(/^SEARCH audit_events USING INDEX \w+ \(.*created_at[<>]\?\)$/m);
    }
  });

  it("a user's unfinished authorizations, and the other attempt lookups", () => {
    const lines = plan(recent.recentAttemptsQuery(7, recent.RECENT_ATTEMPTS_LIMIT));
    expect(fullScans(lines), lines.join("\n")).toEqual([]);
    // The outer read goes through the user's index, the "a newer attempt replaced it" check
    // through the client's, which narrows to the same user and the newer ids.
    const stripped = lines.map((l) => l.replace(/ AS \w+/, ""));
    expect(stripped.filter((l) => /^SEARCH oauth_attempts USING INDEX oauth_attempts_user \(user_id=\?/.test(l)), lines.join("\n")).toHaveLength(1);
    expect(stripped.filter((l) => /^SEARCH newer USING INDEX oauth_attempts_client \(client_ref=\? AND user_id=\? AND id>\?\)/.test(l)), lines.join("\n")).toHaveLength(1);
    // Newest first straight off the index, without sorting the user's attempts.
    expect(lines.join("\n")).not.toMatch(/TEMP B-TREE/);
    // The same conditions as lib/connect/attempts.ts and lib/retention.ts use.
    const db = getDb();
    const a = oauthAttempts;
    expectIndexed("callback's state lookup", db.select().from(a).where(eq(a.stateHash, hashState("s"))));
    expectIndexed("result page's attempt", db.select().from(a).where(and(eq(a.id, 3), eq(a.userId, 7))));
    expectIndexed("pruning by age", db.delete(a).where(lt(a.expiresAt, new Date(NOW))));
    expectIndexed("retention batch", db.select({ id: a.id }).from(a).where(lt(a.expiresAt, new Date(NOW))).limit(500));
    expectIndexed("a deleted user's attempts", db.delete(a).where(eq(a.userId, 7)));
    // What the cascade of a client's deletion runs (ON DELETE CASCADE on client_ref).
    expectIndexed("a deleted client's attempts", db.delete(a).where(eq(a.clientRef, 3)));
  });

  it("the check itself catches a full scan", () => {
    const bare = { toSQL: () => ({ sql: "SELECT * FROM audit_events WHERE detail LIKE ?", params: ["%x%"] }) };
    expect(fullScans(plan(bare))).toHaveLength(1);
  });
});
