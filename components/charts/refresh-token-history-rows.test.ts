import { describe, expect, it } from "vitest";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { fixedOffset } from "./activity-buckets";
import { countAt, countTicks, dailyHistory, historyRows, userStats } from "./refresh-token-history-rows";

const data: RefreshTokenHistoryDto = {
  generatedAt: 1_000,
  since: 100,
  cap: 20,
  users: [
    { zuid: "a", label: "a@example.com" },
    { zuid: "b", label: "b@example.com" },
  ],
  points: [
    { at: 100, counts: { a: 1, b: 0 } },
    { at: 400, counts: { a: 3, b: 0 } },
    { at: 300, counts: { a: 2, b: 1 } },
    { at: 700, counts: { a: 2, b: 1 } },
  ],
  evictions: [{ at: 550, zuid: "a", label: "a@example.com", connectionName: "Desk EU" }],
};

describe("historyRows", () => {
  it("orders the steps, adds eviction instants and a last row at generatedAt, carrying counts forward", () => {
    const rows = historyRows(data);
    expect(rows.map((r) => r.at)).toEqual([100, 300, 400, 550, 700, 1_000]);
    expect(rows[3].counts).toEqual({ a: 3, b: 0 });
    expect(rows.at(-1)!.counts).toEqual({ a: 2, b: 1 });
  });

  it("leaves users undefined before their first point", () => {
    const rows = historyRows({ ...data, points: [{ at: 300, counts: { a: 2 } }], evictions: [] });
    expect(rows.map((r) => r.counts.a)).toEqual([2, 2]);
    expect(rows[0].counts.b).toBeUndefined();
  });
});

describe("userStats and countAt", () => {
  it("gives the count now and the window's maximum per user", () => {
    const rows = historyRows(data);
    expect(userStats(data, rows)).toEqual([
      { zuid: "a", label: "a@example.com", now: 2, max: 3 },
      { zuid: "b", label: "b@example.com", now: 1, max: 1 },
    ]);
    expect(countAt(rows, "a", 550)).toBe(3);
    expect(countAt(rows, "a", 50)).toBeUndefined();
  });

  it("spaces integer ticks by the height of the axis", () => {
    expect(countTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(countTicks(21)).toEqual([0, 5, 10, 15, 20]);
  });
});

describe("dailyHistory", () => {
  const DAY = 86_400_000;
  const now = Date.UTC(2026, 11, 7, 10, 0);
  const day = (n: number, h = 0) => Date.UTC(2026, 11, n, h);
  const busy: RefreshTokenHistoryDto = {
    generatedAt: now,
    since: now - 30 * DAY,
    cap: 20,
    users: [
      { zuid: "many", label: "many@example.com" },
      { zuid: "few", label: "few@example.com" },
    ],
    points: [
      { at: now - 30 * DAY, counts: { many: 18, few: 0 } },
      { at: day(5, 9), counts: { many: 20, few: 0 } },
      { at: day(5, 11), counts: { many: 19, few: 1 } },
      { at: day(6, 3), counts: { many: 19, few: 0 } },
    ],
    evictions: [{ at: day(5, 11), zuid: "many", label: "many@example.com", connectionName: "Desk" }],
  };

  it("gives each local day each user's most tokens held at once, and the day's evictions", () => {
    const days = dailyHistory(busy, "7d", fixedOffset(0));
    expect(days.map((d) => d.key)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07"]);
    expect(days[4].counts).toEqual({ many: 20, few: 1 });
    expect(days[4].evictions).toHaveLength(1);
    // The few@ user held one token for part of the 6th: that day still shows it.
    expect(days[5].counts).toEqual({ many: 19, few: 1 });
    expect(days[6].counts).toEqual({ many: 19, few: 0 });
    expect(days[3].counts).toEqual({ many: 18, few: 0 });
    expect(dailyHistory(busy, "30d", fixedOffset(0))).toHaveLength(30);
  });

  it("cuts the days at the viewer's midnight: 03:00Z on the 6th is still the 5th at -05:00", () => {
    const days = dailyHistory(busy, "7d", fixedOffset(-300));
    const fifth = days.find((d) => d.key === "2026-12-05")!;
    const sixth = days.find((d) => d.key === "2026-12-06")!;
    expect(fifth.counts.few).toBe(1);
    expect(sixth.counts.few).toBe(0);
  });
});
