import "server-only";

/**
 * A token bucket per key: `perMinute` calls spread over the minute, with a burst of the same
 * size. Kept in the process's memory, so with several console processes each enforces the
 * limit on its own share of the traffic.
 */
interface Bucket {
  tokens: number;
  at: number;
  perMinute: number;
}

const holder = globalThis as unknown as { __apiBuckets?: Map<number, Bucket> };
const buckets = (holder.__apiBuckets ??= new Map());

type RateDecision = { allowed: true } | { allowed: false; retryAfterSec: number };

export function takeCall(keyId: number, perMinute: number, now = Date.now()): RateDecision {
  let b = buckets.get(keyId);
  if (!b || b.perMinute !== perMinute) {
    b = { tokens: perMinute, at: now, perMinute };
    buckets.set(keyId, b);
  }
  const perMs = perMinute / 60_000;
  b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { allowed: true };
  }
  return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
}

/** Tests start each case with full buckets. */
export function resetRateLimits() {
  buckets.clear();
}
