// Run by scenario 9 in a child process (tsx --conditions=react-server), on the scenario's seeded
// database, once per engine and size: every query the Overview page (app/(dashboard)/page.tsx)
// makes, timed one by one as lib/ runs it (median of 5), and the page's data functions whole.
// Prints one line of JSON: OverviewTimings.
import { medianMs } from "./median-time";

export interface OverviewTimings {
  engine: "sqlite" | "postgres";
  rows: { name: string; ms: number }[];
}

async function main() {
  const now = Number(process.argv[2] ?? Date.now());
  const { database, closeDatabase } = await import("@/db/client");
  const ov = await import("@/lib/connections/overview");
  const { refreshActivity } = await import("@/lib/audit/activity");
  const { openIncidentCount } = await import("@/lib/alerts/incident-queries");
  const { lastRefresherRun } = await import("@/lib/tokens/refresher");
  const { dtosByIds } = await import("@/lib/connections/queries");
  const out: OverviewTimings["rows"] = [];
  async function timed(name: string, fn: () => Promise<unknown>) {
    out.push({ name, ms: await medianMs(fn) });
  }
  const attentionIds = (await ov.attentionQuery(now)).map((r) => r.id);
  await timed("status counts (those that may not be active, and the total)", () => ov.statusCounts(now));
  await timed("needing attention: first 10 ids", () => ov.attentionQuery(now));
  await timed("needing attention: their rows", () => dtosByIds(attentionIds, now));
  await timed("expiring within the hour: count", () => ov.expiringCountQuery(now));
  await timed("expiring within the hour: first 10 ids", () => ov.expiringQuery(now));
  await timed("refresh-token budgets: fullest 10 and count", () => ov.budgetsQuery());
  await timed("open incidents", () => openIncidentCount());
  await timed("last refresher run", () => lastRefresherRun());
  await timed("overview() whole", () => ov.overview(now));
  await timed("refreshActivity() whole, 7 days (the page's default)", () => refreshActivity(now, "7d"));
  await timed("refreshActivity() whole, 30 days", () => refreshActivity(now, "30d"));
  const report: OverviewTimings = { engine: database().engine, rows: out };
  console.log(JSON.stringify(report));
  await closeDatabase();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
