import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { prepared } from "@/db/prepared";
import { apiRateBuckets } from "@/db/schema";
import { bucketUpsert, decision, type RateDecision } from "@/lib/rate-bucket";

// Every /api/v1 call takes from its key's bucket: the upsert is built and compiled once per
// database, not per call.
const takeStatement = prepared("api_rate_take", (db) => {
  const b = apiRateBuckets;
  const upsert = bucketUpsert(b, sql`cast(${sql.placeholder("perMinute")} as bigint)`);
  return db
    .insert(b)
    .values({ keyId: sql.placeholder("keyId"), ...upsert.first })
    .onConflictDoUpdate({ target: b.keyId, set: upsert.set })
    .returning({ credit: b.credit, allowed: b.allowed });
});

/** A token bucket per key (lib/rate-bucket.ts): `perMinute` calls spread over the minute. */
export async function takeCall(keyId: number, perMinute: number): Promise<RateDecision> {
  const row = await takeStatement.first({ keyId, perMinute });
  if (!row) throw new Error("the rate bucket's upsert returned no row");
  return decision(row, perMinute);
}

/** Tests start each case with full buckets. */
export async function resetRateLimits() {
  await getDb().delete(apiRateBuckets);
}
