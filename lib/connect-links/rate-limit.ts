import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { greatest, least, nowMs } from "@/db/dialect";
import { publicRateBuckets } from "@/db/schema";

/**
 * The public pages' token buckets: the same arithmetic as the API keys' limit
 * (lib/api-keys/rate-limit.ts), keyed by a string so a bucket can be an address or a link. One
 * upsert per request by the database's clock, so every instance enforces one limit together.
 */
const CALL = 60_000;

/** A person opens a link a few times and presses Continue once; a crawler tries thousands. */
export const PUBLIC_LIMITS = { perAddressPerMinute: 60, perLinkPerMinute: 30 } as const;

type RateDecision = { allowed: true } | { allowed: false; retryAfterSec: number };

export async function takePublicCall(key: string, perMinute: number): Promise<RateDecision> {
  const b = publicRateBuckets;
  const full = perMinute * CALL;
  const refilled = sql`(case when ${b.perMinute} <> ${perMinute} then ${full} else ${least(full, sql`${b.credit} + ${greatest(0, sql`${nowMs()} - ${b.at}`)} * ${perMinute}`)} end)`;
  const [row] = await getDb()
    .insert(b)
    .values({ key, credit: full - CALL, at: sql`${nowMs()}`, perMinute, allowed: true })
    .onConflictDoUpdate({
      target: b.key,
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

/**
 * Per address, before the link is looked up (guessing tokens costs the guesser), and per link
 * once it is known (one shared link cannot be hammered from many addresses). An unknown address
 * shares one bucket: better a slow page behind a misconfigured proxy than no limit.
 */
export const limitAddress = (ip: string | null) => takePublicCall(`ip:${ip ?? "unknown"}`, PUBLIC_LIMITS.perAddressPerMinute);
export const limitLink = (linkId: number) => takePublicCall(`link:${linkId}`, PUBLIC_LIMITS.perLinkPerMinute);

/** Tests start each case with full buckets. */
export async function resetPublicRateLimits() {
  await getDb().delete(publicRateBuckets);
}
