import { describe, expect, it } from "vitest";
import { tickStep, timeTicks } from "./time-ticks";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const localMinutes = (t: number) => {
  const d = new Date(t);
  return d.getHours() * 60 + d.getMinutes();
};

// These hold in whatever time zone the tests run in.
describe("timeTicks", () => {
  const lo = Date.parse("2024-12-10T07:47:13Z");

  it("picks a step that keeps the tick count at or under the target", () => {
    expect(tickStep(5 * HOUR)).toBe(HOUR);
    expect(tickStep(30 * DAY)).toBe(7 * DAY);
    expect(tickStep(7 * DAY)).toBe(2 * DAY);
  });

  it("puts hourly ticks on whole local hours inside the span", () => {
    const ticks = timeTicks(lo, lo + 5 * HOUR);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(lo);
      expect(t).toBeLessThanOrEqual(lo + 5 * HOUR);
      expect(localMinutes(t) % 60).toBe(0);
    }
  });

  it("puts day ticks on local midnights", () => {
    const ticks = timeTicks(lo, lo + 30 * DAY);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    for (const t of ticks) expect(localMinutes(t)).toBe(0);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThan(ticks[i - 1]);
  });
});
