import { describe, expect, it } from "vitest";
import { givesUp, nextAttemptDelayMs, RETRY_WINDOW_MS } from "@/lib/alerts/retry";

const top = () => 0.999999999; // jitter at (almost) 100%
const bottom = () => 0; // jitter at 50%

describe("nextAttemptDelayMs", () => {
  it("starts at 30 s and doubles per failed attempt", () => {
    expect(nextAttemptDelayMs(1, undefined, top)).toBe(30_000);
    expect(nextAttemptDelayMs(2, undefined, top)).toBe(60_000);
    expect(nextAttemptDelayMs(3, undefined, top)).toBe(120_000);
    expect(nextAttemptDelayMs(5, undefined, top)).toBe(480_000);
  });

  it("caps the step at one hour, even for absurd attempt counts", () => {
    expect(nextAttemptDelayMs(8, undefined, top)).toBe(3_600_000);
    expect(nextAttemptDelayMs(50, undefined, top)).toBe(3_600_000);
    expect(nextAttemptDelayMs(10_000, undefined, top)).toBe(3_600_000);
  });

  it("jitters within [50%, 100%] of the step", () => {
    expect(nextAttemptDelayMs(1, undefined, bottom)).toBe(15_000);
    expect(nextAttemptDelayMs(3, undefined, () => 0.5)).toBe(90_000);
    for (let i = 0; i < 200; i++) {
      const d = nextAttemptDelayMs(4);
      expect(d).toBeGreaterThanOrEqual(120_000);
      expect(d).toBeLessThanOrEqual(240_000);
    }
  });

  it("treats 0 or nonsense attempt counts as the first retry", () => {
    expect(nextAttemptDelayMs(0, undefined, top)).toBe(30_000);
    expect(nextAttemptDelayMs(Number.NaN, undefined, top)).toBe(30_000);
  });

  it("never schedules earlier than Retry-After, capped to the window", () => {
    expect(nextAttemptDelayMs(1, 120_000, top)).toBe(120_000);
    expect(nextAttemptDelayMs(1, 2_000, top)).toBe(30_000); // a shorter Retry-After does not shorten the backoff
    expect(nextAttemptDelayMs(1, 10 * RETRY_WINDOW_MS, top)).toBe(RETRY_WINDOW_MS);
    expect(nextAttemptDelayMs(1, -5, top)).toBe(30_000);
  });
});

describe("givesUp", () => {
  const t0 = Date.UTC(2025, 0, 1);
  it("keeps trying inside the 24 h window and gives up past it", () => {
    expect(RETRY_WINDOW_MS).toBe(86_400_000);
    expect(givesUp(t0, t0 + 60_000)).toBe(false);
    expect(givesUp(t0, t0 + RETRY_WINDOW_MS)).toBe(false);
    expect(givesUp(t0, t0 + RETRY_WINDOW_MS + 1)).toBe(true);
  });
});
