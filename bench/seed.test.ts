// The benchmark's seeding at a small scale, read back through the console's own queries: keeps
// bench/ from rotting when the schema or the queries change. Runs on both unit-test passes
// (SQLite, and PostgreSQL with CONSOLE_TEST_ENGINE=postgres), as the benchmark seeds both. No
// timing is asserted here; the numbers live in bench/results.md (`npm run bench`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";
import { STATUS_KINDS } from "@/lib/connection-status";
import { encrypterFor, fakeToken, seedDashboard, seedStatusCounts, type DashboardData } from "./seed";

const CONNECTIONS = 200;
const AUDIT_ROWS = 2_000;
const ATTEMPTS = 1_000;

describe("bench seeding", () => {
  const tmp = setupTempDatabase();
  let data: DashboardData;

  beforeAll(async () => {
    const { database } = await import("@/db/client");
    data = await seedDashboard(database(), {
      connections: CONNECTIONS,
      auditRows: AUDIT_ROWS,
      attempts: ATTEMPTS,
      encrypt: encrypterFor(process.env.ENCRYPTION_KEY!),
      sandboxUrl: "http://127.0.0.1:4300",
    });
  });
  afterAll(async () => {
    const { closeDatabase } = await import("@/db/client");
    await closeDatabase();
    tmp.cleanup();
  });

  it("puts each connection in the status it was seeded for, as the list's SQL sees it", async () => {
    const { listConnections } = await import("@/lib/connections/list");
    const { overview } = await import("@/lib/connections/overview");
    const expected = seedStatusCounts(CONNECTIONS);
    const all = await listConnections({});
    expect(all.total).toBe(CONNECTIONS);
    expect(all.items).toHaveLength(20);
    const view = await overview();
    for (const kind of STATUS_KINDS) {
      const want = (expected as Record<string, number>)[kind] ?? 0;
      expect(view.counts[kind], kind).toBe(want);
      expect((await listConnections({ status: kind })).total, kind).toBe(want);
    }
    // The page the benchmark asks for at 10,000 connections exists here at page 5.
    const page = await listConnections({ sort: "expiry", page: 5 });
    expect(page.page).toBe(5);
    expect(page.items.map((c) => c.facts.accessTokenExpiresAt ?? Infinity)).toEqual(
      [...page.items.map((c) => c.facts.accessTokenExpiresAt ?? Infinity)].sort((x, y) => x - y),
    );
  });

  it("writes an audit trail the audit page and export page through", async () => {
    const { countAuditEvents, iterateAuditEvents, listAuditPage } = await import("@/lib/audit/query");
    const first = await listAuditPage({ filter: {} });
    expect(first.events).toHaveLength(50);
    expect(first.events[0].at).toBeGreaterThanOrEqual(first.events[49].at);
    const refreshes = data.audit.byAction["connection.refresh"];
    expect(refreshes).toBeGreaterThan(AUDIT_ROWS / 2);
    expect(await countAuditEvents({ action: "connection.refresh" })).toEqual({ count: refreshes, capped: false });
    expect(await countAuditEvents({ outcome: "failure" })).toEqual({ count: data.audit.byOutcome.failure, capped: false });
    let exported = 0;
    for await (const e of iterateAuditEvents({}, { batch: 500 })) exported += e.id > 0 ? 1 : 0;
    expect(exported).toBe(AUDIT_ROWS);
  });

  it("stores tokens and an API key the console can use", async () => {
    const { getValidToken } = await import("@/lib/tokens/engine");
    const { admitKey } = await import("@/lib/service-api/auth");
    // Connection 1 is seeded active: its token is handed out as stored, without Zoho.
    const token = await getValidToken(data.connections.firstId, { minValidityMs: 5 * 60_000 });
    expect(token).toMatchObject({ accessToken: fakeToken("access-0"), refreshed: false });
    const { key } = await admitKey(`Bearer ${data.apiKey.key}`, null, null);
    expect(key).toMatchObject({ id: data.apiKey.id, allConnections: true, rateLimitPerMinute: 1_000_000 });
  });

  it("keeps a week of authorization attempts, each user's unfinished ones listed newest first", async () => {
    const { RECENT_ATTEMPTS_LIMIT, recentUnfinishedAttempts } = await import("@/lib/authorization/recent-attempts");
    expect(data.attempts.count).toBe(ATTEMPTS);
    expect(data.attempts.unfinished).toBeGreaterThan(RECENT_ATTEMPTS_LIMIT);
    const mine = await recentUnfinishedAttempts(data.admin.id);
    expect(mine).toHaveLength(RECENT_ATTEMPTS_LIMIT);
    expect(mine.map((a) => a.startedAt)).toEqual([...mine.map((a) => a.startedAt)].sort((x, y) => y - x));
    // Failed at Zoho, or never came back (the newest may still be within its ten minutes).
    for (const a of mine) expect(["failed", "expired", "pending"]).toContain(a.state);
    expect(mine.some((a) => a.state === "failed")).toBe(true);
  });
});
