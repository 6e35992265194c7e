// The scrape's database gauges against a seeded fleet: every status counted as the console's own
// list counts it, and the expiry and refresh-token gauges read from the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS_KINDS } from "@/lib/connection-status";
import { setupTempDatabase } from "@/test/temp-db";
import { encrypterFor, seedDashboard, seedStatusCounts } from "@/bench/seed";

const CONNECTIONS = Number(process.env.METRICS_TEST_CONNECTIONS ?? 200);

describe("metrics read from the database", () => {
  const tmp = setupTempDatabase();
  beforeAll(async () => {
    const { database } = await import("@/db/client");
    // The bench seeder writes through the handle it is given, in that engine's own tables.
    await seedDashboard(database(), { connections: CONNECTIONS, auditRows: 10, encrypt: encrypterFor(process.env.ENCRYPTION_KEY!), sandboxUrl: "http://127.0.0.1:4300" });
  });
  afterAll(() => tmp.cleanup());

  it("counts connections by status as the list does, in the scrape's text", async () => {
    const { scrapeMetrics } = await import("./scrape");
    const started = performance.now();
    const { instanceId } = await import("@/lib/instances");
    const { withoutInstanceLabel } = await import("@/test/metrics-text");
    const body = withoutInstanceLabel((await scrapeMetrics()).body, instanceId());
    const ms = performance.now() - started;
    if (process.env.METRICS_TEST_CONNECTIONS) console.info(`scrape with ${CONNECTIONS} connections: ${ms.toFixed(1)} ms`);
    const expected = seedStatusCounts(CONNECTIONS) as Record<string, number>;
    for (const kind of STATUS_KINDS) {
      expect(body, kind).toContain(`zoho_console_connections{status="${kind}"} ${expected[kind] ?? 0}\n`);
    }
  });

  it("reports the earliest kept-fresh expiry and the fullest user's free refresh-token slots", async () => {
    const { databaseGauges } = await import("./database");
    const { getDb } = await import("@/db/client");
    const { connections: c } = await import("@/db/schema");
    const now = Date.now();
    const g = await databaseGauges(now);
    const rows = await getDb().select().from(c);
    const kept = rows.filter((r) => r.keepFresh && r.hasAccessToken && r.hasRefreshToken && r.accessType === "offline" && !r.revokedAt && !r.reauthReason);
    const earliest = Math.min(...kept.map((r) => r.accessTokenExpiresAt!.getTime()));
    expect(g.earliestExpirySec).toBe(Math.round((earliest - now) / 1000));
    const live = new Map<string, number>();
    for (const r of rows) if (r.refreshTokenEnc && !r.revokedAt && !r.reauthReason && r.zuid) live.set(`${r.clientRef}:${r.zuid}`, (live.get(`${r.clientRef}:${r.zuid}`) ?? 0) + 1);
    expect(g.refreshTokenSlotsFree).toBe(20 - Math.max(...live.values()));
  });
});
