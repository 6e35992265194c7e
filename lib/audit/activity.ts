import "server-only";
import { and, gte, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { refreshRollups } from "@/db/schema";
import {
  DEFAULT_ACTIVITY_RANGE,
  QUARTER_MS,
  RAW_FAILURE_KINDS,
  REFRESH_TRIGGERS,
  FAILURE_KINDS,
  activitySeries,
  type ActivityBucket,
  type FailureKind,
  type ActivityRange,
  type RefreshActivityDto,
} from "@/lib/charts/types";

const HOUR = 3_600_000;

/** How far back each range reads: its span and a spare day, so any zone's first local day is whole. */
const RANGE_READ_MS: Record<ActivityRange, number> = { "24h": 25 * HOUR, "7d": 8 * 24 * HOUR, "30d": 31 * 24 * HOUR };

const word = (w: string) => {
  if (!/^[a-z_]+$/.test(w)) throw new Error(`not a kind: ${w}`);
  return `'${w}'`;
};

/**
 * A failure's raw kind grouped as failureKindOf groups it, in SQL, so the database returns one row
 * per quarter hour and group rather than per raw kind. Built from the same table, so the two agree.
 */
const groupedKind = sql.raw(
  `case "kind" ${Object.entries(RAW_FAILURE_KINDS)
    .map(([raw, kind]) => `when ${word(raw)} then ${word(kind)}`)
    .join(" ")} else 'other' end`,
);

/**
 * Refresh attempts of the chosen range per quarter hour: successes by trigger, failures by kind
 * (Zoho refused the token, throttled, Zoho unreachable, other), read from the rollups the writer
 * keeps (lib/audit/record.ts): a few rows per quarter hour, however many events the trail holds.
 * Quarter hours, so the browser can cut them at its own zone's hours (see RefreshActivityDto).
 */
export async function refreshActivity(now = Date.now(), range: ActivityRange = DEFAULT_ACTIVITY_RANGE): Promise<RefreshActivityDto> {
  const since = Math.floor((now - RANGE_READ_MS[range]) / QUARTER_MS) * QUARTER_MS;
  const r = refreshRollups;
  const success = sql`${r.outcome} = 'success'`;
  const rows = await getDb()
    .select({
      at: r.bucket,
      trigger: sql<string>`case when ${success} then ${r.trigger} else '' end`,
      outcome: r.outcome,
      kind: sql<string>`case when ${success} then '' else ${groupedKind} end`,
      count: sql<number>`sum(${r.count})`.mapWith(Number),
    })
    .from(r)
    .where(and(gte(r.bucket, since), inArray(r.outcome, ["success", "failure"])))
    .groupBy(sql`1`, sql`2`, r.outcome, sql`4`);
  const buckets: ActivityBucket[] = rows.map((x) => {
    const ok = x.outcome === "success";
    return {
      at: Number(x.at),
      trigger: !ok ? "" : (REFRESH_TRIGGERS as readonly string[]).includes(x.trigger) ? (x.trigger as ActivityBucket["trigger"]) : "other",
      outcome: ok ? "success" : "failure",
      // Already grouped by the database (groupedKind).
      kind: ok ? "" : (FAILURE_KINDS as readonly string[]).includes(x.kind) ? (x.kind as FailureKind) : "other",
      count: Number(x.count),
    };
  });
  // Every quarter hour from `since` through the current one.
  const quarters = Math.floor((now - since) / QUARTER_MS) + 1;
  return { generatedAt: now, range, since, series: activitySeries(buckets, since, quarters) };
}
