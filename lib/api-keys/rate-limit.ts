import "server-only";
import { getDb } from "@/db/client";
import { apiRateBuckets } from "@/db/schema";
import { bucketUpsert, decision, type RateDecision } from "@/lib/rate-bucket";

/** A token bucket per key (lib/rate-bucket.ts): `perMinute` calls spread over the minute. */
export async function takeCall(keyId: number, perMinute: number): Promise<RateDecision> {
  const b = apiRateBuckets;
  const upsert = bucketUpsert(b, perMinute);
  const [row] = await getDb()
    .insert(b)
    .values({ keyId, ...upsert.first })
    .onConflictDoUpdate({ target: b.keyId, set: upsert.set })
    .returning({ credit: b.credit, allowed: b.allowed });
  return decision(row, perMinute);
}

/** Tests start each case with full buckets. */
export async function resetRateLimits() {
  await getDb().delete(apiRateBuckets);
}
