import "server-only";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jsonField } from "@/db/dialect";
import { auditEvents } from "@/db/schema";
import { REFRESH_TRIGGERS, activitySeries, type ActivityBucket, type RefreshActivityDto } from "@/lib/charts/types";

const HOUR = 3_600_000;
const ACTIVITY_DAYS = 30;

/**
 * Refresh attempts of the last 30 days counted per UTC hour, trigger and outcome, in SQL (the
 * action+time index serves it). Hours rather than days, so the browser can group them into the
 * viewer's own days. The page gets them as dense hourly series (see RefreshActivityDto).
 */
export async function refreshActivity(now = Date.now()): Promise<RefreshActivityDto> {
  const since = Math.floor((now - ACTIVITY_DAYS * 24 * HOUR) / HOUR) * HOUR;
  const a = auditEvents;
  // The hour is a literal: a bound JavaScript number arrives as REAL on SQLite, which would make
  // the division exact and every event its own "hour". BIGINT: milliseconds overflow INTEGER on
  // PostgreSQL (SQLite reads both as its one integer type).
  const hourMs = sql.raw(String(HOUR));
  const hour = sql<number>`(CAST(${a.at} AS BIGINT) / ${hourMs}) * ${hourMs}`.mapWith(Number);
  const trigger = jsonField(a.detail, "trigger");
  const rows = await getDb()
    .select({ hour, trigger, outcome: a.outcome, count: sql<number>`count(*)`.mapWith(Number) })
    .from(a)
    .where(and(eq(a.action, "connection.refresh"), gte(a.at, new Date(since)), inArray(a.outcome, ["success", "failure"])))
    .groupBy(hour, trigger, a.outcome);
  const buckets: ActivityBucket[] = rows.map((r) => ({
    hour: Number(r.hour),
    trigger: (REFRESH_TRIGGERS as readonly string[]).includes(r.trigger ?? "") ? (r.trigger as ActivityBucket["trigger"]) : "other",
    outcome: r.outcome === "success" ? "success" : "failure",
    count: Number(r.count),
  }));
  // Every hour from `since` through the current one.
  const hours = Math.floor((now - since) / HOUR) + 1;
  return { generatedAt: now, since, series: activitySeries(buckets, since, hours) };
}
