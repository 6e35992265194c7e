import "server-only";
import { and, gte, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { refreshRollups } from "@/db/schema";
import { REFRESH_TRIGGERS, activitySeries, type ActivityBucket, type RefreshActivityDto } from "@/lib/charts/types";

const HOUR = 3_600_000;
const ACTIVITY_DAYS = 30;

/**
 * Refresh attempts of the last 30 days counted per UTC hour, trigger and outcome, read from the
 * quarter-hour rollups the writer keeps (lib/audit/record.ts): at most 2,880 quarter hours × a
 * few triggers and outcomes, however many events the trail holds. Hours rather than days, so the
 * browser can group them into the viewer's own days. The page gets them as dense hourly series
 * (see RefreshActivityDto).
 */
export async function refreshActivity(now = Date.now()): Promise<RefreshActivityDto> {
  const since = Math.floor((now - ACTIVITY_DAYS * 24 * HOUR) / HOUR) * HOUR;
  const r = refreshRollups;
  // The hour is a literal: a bound JavaScript number arrives as REAL on SQLite, which would make
  // the division exact. BIGINT: milliseconds overflow INTEGER on PostgreSQL.
  const hourMs = sql.raw(String(HOUR));
  const hour = sql<number>`(CAST(${r.bucket} AS BIGINT) / ${hourMs}) * ${hourMs}`.mapWith(Number);
  const rows = await getDb()
    .select({ hour, trigger: r.trigger, outcome: r.outcome, count: sql<number>`sum(${r.count})`.mapWith(Number) })
    .from(r)
    .where(and(gte(r.bucket, since), inArray(r.outcome, ["success", "failure"])))
    .groupBy(sql`1`, r.trigger, r.outcome);
  const buckets: ActivityBucket[] = rows.map((x) => ({
    hour: Number(x.hour),
    trigger: (REFRESH_TRIGGERS as readonly string[]).includes(x.trigger) ? (x.trigger as ActivityBucket["trigger"]) : "other",
    outcome: x.outcome === "success" ? "success" : "failure",
    count: Number(x.count),
  }));
  // Every hour from `since` through the current one.
  const hours = Math.floor((now - since) / HOUR) + 1;
  return { generatedAt: now, since, series: activitySeries(buckets, since, hours) };
}
