import "server-only";
import { and, gte, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { refreshRollups } from "@/db/schema";
import {
  DEFAULT_ACTIVITY_RANGE,
  QUARTER_MS,
  REFRESH_TRIGGERS,
  activitySeries,
  failureKindOf,
  type ActivityBucket,
  type ActivityRange,
  type RefreshActivityDto,
} from "@/lib/charts/types";

const HOUR = 3_600_000;

/** How far back each range reads: its span and a spare day, so any zone's first local day is whole. */
const RANGE_READ_MS: Record<ActivityRange, number> = { "24h": 25 * HOUR, "7d": 8 * 24 * HOUR, "30d": 31 * 24 * HOUR };

/**
 * Refresh attempts of the chosen range counted per quarter hour, trigger, outcome and failure kind,
 * read from the rollups the writer keeps (lib/audit/record.ts): at most ~3,000 quarter hours × a few
 * triggers and kinds, however many events the trail holds. Quarter hours, so the browser can cut
 * them at its own zone's hours. Raw failure kinds are grouped here (failureKindOf), so the page
 * carries a handful of series (see RefreshActivityDto).
 */
export async function refreshActivity(now = Date.now(), range: ActivityRange = DEFAULT_ACTIVITY_RANGE): Promise<RefreshActivityDto> {
  const since = Math.floor((now - RANGE_READ_MS[range]) / QUARTER_MS) * QUARTER_MS;
  const r = refreshRollups;
  const rows = await getDb()
    .select({ at: r.bucket, trigger: r.trigger, outcome: r.outcome, kind: r.kind, count: sql<number>`sum(${r.count})`.mapWith(Number) })
    .from(r)
    .where(and(gte(r.bucket, since), inArray(r.outcome, ["success", "failure"])))
    .groupBy(r.bucket, r.trigger, r.outcome, r.kind);
  const buckets: ActivityBucket[] = rows.map((x) => {
    const failed = x.outcome !== "success";
    return {
      at: Number(x.at),
      trigger: (REFRESH_TRIGGERS as readonly string[]).includes(x.trigger) ? (x.trigger as ActivityBucket["trigger"]) : "other",
      outcome: failed ? "failure" : "success",
      kind: failed ? failureKindOf(x.kind) : "",
      count: Number(x.count),
    };
  });
  // Every quarter hour from `since` through the current one.
  const quarters = Math.floor((now - since) / QUARTER_MS) + 1;
  return { generatedAt: now, range, since, series: activitySeries(buckets, since, quarters) };
}
