// The refresh rollups' shape, shared by the writer (./record.ts), the chart (./activity.ts), the
// migrations' backfill and the bench's seeding. No database access here, so the bench can use it.

/** The rollups count refresh events per quarter hour (UTC): a chart can then be cut at any zone's local hours. */
export const ROLLUP_BUCKET_MS = 15 * 60_000;

/** The one action the rollups count. */
export const REFRESH_ACTION = "connection.refresh";

/** The rollup bucket an event at `at` (epoch ms) counts in. */
export const rollupBucketOf = (at: number): number => Math.floor(at / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;

/**
 * Counts every refresh event already kept into empty rollups, with the same SQL on both engines;
 * a folded row counts its repeats. The migrations that made the table run this statement; the
 * bench runs it after seeding events in bulk.
 */
export const ROLLUP_BACKFILL_SQL = `insert into "refresh_rollups" ("bucket", "trigger", "outcome", "count")
select ("created_at" / ${ROLLUP_BUCKET_MS}) * ${ROLLUP_BUCKET_MS}, coalesce("trigger", ''), "outcome", sum("repeat_count")
from "audit_events" where "action" = '${REFRESH_ACTION}'
group by 1, 2, 3`;
