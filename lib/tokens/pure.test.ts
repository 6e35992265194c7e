import { describe, expect, it } from "vitest";
import { BACKOFF_MAX_MS, backoffDelayMs } from "./backoff";
import { MINT_WINDOW_MS, mintBudget, zohoWindowEnd } from "./mint-window";

const NOW = 1_750_000_000_000;

describe("backoff", () => {
  it("doubles from 30 s, is jittered, and stops at 30 minutes", () => {
    expect(backoffDelayMs(1, () => 0.5)).toBe(30_000);
    expect(backoffDelayMs(2, () => 0.5)).toBe(60_000);
    expect(backoffDelayMs(3, () => 0)).toBe(90_000);
    expect(backoffDelayMs(3, () => 1)).toBe(150_000);
    expect(backoffDelayMs(50, () => 1)).toBe(BACKOFF_MAX_MS);
  });
});

describe("mint window", () => {
  it("allows ten mints in a trailing ten minutes and says when the eleventh fits", () => {
    const mints = Array.from({ length: 10 }, (_, i) => NOW - 9 * 60_000 + i * 1000);
    expect(mintBudget(mints.slice(0, 9), NOW)).toMatchObject({ used: 9, allowed: true });
    const full = mintBudget(mints, NOW);
    expect(full).toMatchObject({ used: 10, allowed: false, possibleAt: mints[0] + MINT_WINDOW_MS });
    // Mints older than the window do not count.
    expect(mintBudget([NOW - MINT_WINDOW_MS - 1, ...mints.slice(1)], NOW).allowed).toBe(true);
  });

  it("puts the end of Zoho's window ten minutes after its first mint", () => {
    expect(zohoWindowEnd([NOW - 4 * 60_000, NOW - 60_000], NOW)).toBe(NOW + 6 * 60_000);
    expect(zohoWindowEnd([], NOW)).toBe(NOW + MINT_WINDOW_MS);
  });
});
