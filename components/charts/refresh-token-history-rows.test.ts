import { describe, expect, it } from "vitest";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { countAt, countTicks, historyRows, userStats } from "./refresh-token-history-rows";

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
