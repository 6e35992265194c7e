import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { resetRateLimits, takeCall } = await import("./rate-limit");
afterAll(() => tmp.cleanup());
beforeEach(() => resetRateLimits());

let keys = 0;
async function newKey(): Promise<number> {
  keys += 1;
  const [row] = await getDb()
    .insert(schema.apiKeys)
    .values({ name: `k${keys}`, prefix: `zoc_k${keys}`, keyHash: `hash-${keys}`, permissions: ["token"], allConnections: true })
    .returning({ id: schema.apiKeys.id });
  return row.id;
}

const take = async (keyId: number, perMinute: number, n: number) => {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await takeCall(keyId, perMinute)).allowed);
  return out;
};

describe("an API key's rate limit (one prepared upsert per call)", () => {
  it("lets a minute's worth through, then refuses with a wait, per key", async () => {
    const [a, b] = [await newKey(), await newKey()];
    expect(await take(a, 3, 5)).toEqual([true, true, true, false, false]);
    const refused = await takeCall(a, 3);
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSec).toBeGreaterThanOrEqual(1);
    expect(await take(b, 3, 1)).toEqual([true]);
  });

  it("refills to the new size when an admin changes the limit", async () => {
    const a = await newKey();
    expect(await take(a, 2, 3)).toEqual([true, true, false]);
    expect(await take(a, 4, 5)).toEqual([true, true, true, true, false]);
  });

  it("holds a limit whose minute of credit exceeds a 32-bit integer", async () => {
    const a = await newKey();
    // 1,000,000 calls a minute is 6 × 10^10 in the bucket's units.
    expect(await take(a, 1_000_000, 3)).toEqual([true, true, true]);
    const [bucket] = await getDb().select({ credit: schema.apiRateBuckets.credit }).from(schema.apiRateBuckets);
    expect(bucket.credit).toBeGreaterThan(2 ** 31);
  });
});
