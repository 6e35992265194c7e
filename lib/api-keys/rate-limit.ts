import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { greatest, least, nowMs } from "@/db/dialect";
import { apiRateBuckets } from "@/db/schema";

/**
 * A token bucket per key: `perMinute` calls spread over the minute, with a burst of the same
 * size. The bucket is a row of the database, taken from with one upsert per call by the
 * database's clock, so every console instance on the database enforces one limit together.
 *
 * Credit is counted in 60,000ths of a call: a key earns exactly `perMinute` of them each
 * millisecond, so refill is whole numbers and nothing is lost to rounding however often it is
 * called.
 */
const CALL = 60_000;

type RateDecision = { allowed: true } | { allowed: false; retryAfterSec: number };

export async function takeCall(keyId: number, perMinute: number): Promise<RateDecision> {
  const b = apiRateBuckets;
  const full = perMinute * CALL;
  // What the bucket holds now: topped up since it was last worked out, full after a limit change.
  const refilled = sql`(case when ${b.perMinute} <> ${perMinute} then ${full} else ${least(full, sql`${b.credit} + ${greatest(0, sql`${nowMs()} - ${b.at}`)} * ${perMinute}`)} end)`;
  const [row] = await getDb()
    .insert(b)
    .values({ keyId, credit: full - CALL, at: sql`${nowMs()}`, perMinute, allowed: true })
    .onConflictDoUpdate({
      target: b.keyId,
      set: {
        credit: sql`case when ${refilled} >= ${CALL} then ${refilled} - ${CALL} else ${refilled} end`,
        allowed: sql`${refilled} >= ${CALL}`,
        at: sql`${nowMs()}`,
        perMinute,
      },
    })
    .returning({ credit: b.credit, allowed: b.allowed });
  if (row.allowed) return { allowed: true };
  return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((CALL - row.credit) / perMinute / 1000)) };
}

/** Tests start each case with full buckets. */
export async function resetRateLimits() {
  await getDb().delete(apiRateBuckets);
}
