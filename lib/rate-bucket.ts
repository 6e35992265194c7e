import "server-only";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { greatest, least, nowMs } from "@/db/dialect";

/**
 * The token bucket every rate limit of the console takes from (API keys, the public pages): a
 * row per bucket, worked out by one upsert per call on the database's clock, so every console
 * instance on the database enforces one limit together. `perMinute` calls spread over the
 * minute, with a burst of the same size.
 *
 * Credit is counted in 60,000ths of a call: a bucket earns exactly `perMinute` of them each
 * millisecond, so refill is whole numbers and nothing is lost to rounding however often it is
 * called.
 */
export const CALL = 60_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSec: number };

interface BucketColumns {
  credit: AnyColumn;
  at: AnyColumn;
  perMinute: AnyColumn;
}

/**
 * The upsert's parts: the values of a bucket's first call, and the update of every later one.
 * `perMinute` is a number, or SQL for a prepared statement's parameter; that must be a bigint
 * (`cast(? as bigint)`), since a minute's credit overflows PostgreSQL's integer.
 */
export function bucketUpsert(b: BucketColumns, perMinute: number | SQL) {
  const full = typeof perMinute === "number" ? perMinute * CALL : sql`(${perMinute} * ${CALL})`;
  // What the bucket holds now: topped up since it was last worked out, full after a limit change.
  const refilled = sql`(case when ${b.perMinute} <> ${perMinute} then ${full} else ${least(full, sql`${b.credit} + ${greatest(0, sql`${nowMs()} - ${b.at}`)} * ${perMinute}`)} end)`;
  return {
    first: { credit: typeof full === "number" ? full - CALL : sql`${full} - ${CALL}`, at: sql`${nowMs()}`, perMinute, allowed: true },
    set: {
      credit: sql`case when ${refilled} >= ${CALL} then ${refilled} - ${CALL} else ${refilled} end`,
      allowed: sql`${refilled} >= ${CALL}`,
      at: sql`${nowMs()}`,
      perMinute,
    },
  };
}

/** What the upsert's RETURNING says about this call. */
export function decision(row: { credit: number; allowed: boolean }, perMinute: number): RateDecision {
  if (row.allowed) return { allowed: true };
  return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((CALL - row.credit) / perMinute / 1000)) };
}
