/**
 * When to try a failed alert delivery again. Pure arithmetic so the dispatcher (which owns the
 * clock and the database) stays the only place that decides "now".
 */

/** A delivery that has not gone through after a day is reported as failed, not retried further. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60 * 1000;

/**
 * Delay before attempt n+1 after n failed attempts (n >= 1): 30 s doubling per attempt, capped at
 * 1 h. Jitter spreads the retries of many deliveries that failed together (one outage) so they do
 * not all come back at the same instant; it stays within [50%, 100%] of the step so the schedule
 * keeps its shape. A receiver's Retry-After is a floor: retrying earlier only earns another 429.
 */
export function nextAttemptDelayMs(failedAttempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const n = Number.isFinite(failedAttempts) ? Math.max(1, Math.floor(failedAttempts)) : 1;
  // The exponent is clamped so huge attempt counts cannot overflow into Infinity/NaN.
  const step = Math.min(FIRST_DELAY_MS * 2 ** Math.min(n - 1, 30), MAX_DELAY_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.round(step * (0.5 + 0.5 * r));
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return jittered;
  return Math.max(jittered, Math.min(Math.ceil(retryAfterMs), RETRY_WINDOW_MS));
}

/**
 * True when a delivery first tried at `firstAttemptAt` should give up instead of being scheduled
 * at `next` (both epoch ms). An attempt exactly at the window's end is still made.
 */
export function givesUp(firstAttemptAt: number, next: number): boolean {
  return next - firstAttemptAt > RETRY_WINDOW_MS;
}
