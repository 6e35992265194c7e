import "server-only";
import { getDb } from "@/db/client";
import { publicRateBuckets } from "@/db/schema";
import { bucketUpsert, decision, type RateDecision } from "@/lib/rate-bucket";

/** A person opens a link a few times and presses Continue once; a crawler tries thousands. */
export const PUBLIC_LIMITS = { perAddressPerMinute: 60, perLinkPerMinute: 30 } as const;

/**
 * The public pages' token buckets (lib/rate-bucket.ts, as the API keys' limit), keyed by a string
 * so a bucket can be an address or a link.
 */
export async function takePublicCall(key: string, perMinute: number): Promise<RateDecision> {
  const b = publicRateBuckets;
  const upsert = bucketUpsert(b, perMinute);
  const [row] = await getDb()
    .insert(b)
    .values({ key, ...upsert.first })
    .onConflictDoUpdate({ target: b.key, set: upsert.set })
    .returning({ credit: b.credit, allowed: b.allowed });
  return decision(row, perMinute);
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
