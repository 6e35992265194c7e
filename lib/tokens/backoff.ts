/**
 * When to try again after a transient refresh failure: exponential from 30 s, capped at 30 min,
 * with ±25 % jitter so many connections failing together do not retry in lockstep.
 */
const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 30 * 60_000;

export function backoffDelayMs(failureCount: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failureCount));
  const raw = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 20));
  const jitter = 0.75 + random() * 0.5;
  return Math.round(Math.min(BACKOFF_MAX_MS, raw * jitter));
}
