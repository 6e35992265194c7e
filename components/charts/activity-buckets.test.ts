import { describe, expect, it } from "vitest";
import type { ActivityBucket } from "@/lib/charts/types";
import { HOUR_MS, dailyRows, fixedOffsetDayKey, hourlyRows, rowsFor, totals } from "./activity-buckets";

const at = (iso: string) => Date.parse(iso);
const b = (iso: string, trigger: ActivityBucket["trigger"], outcome: ActivityBucket["outcome"], count: number): ActivityBucket => ({
  hour: at(iso),
  trigger,
  outcome,
  count,
});

const NOW = at("2024-12-10T14:25:00Z");
const utc = fixedOffsetDayKey(0);

describe("hourlyRows", () => {
  it("gives 24 consecutive hours ending with the current one, zeros where quiet", () => {
    const rows = hourlyRows([b("2024-12-10T12:00:00Z", "background", "success", 3)], NOW);
    expect(rows).toHaveLength(24);
    expect(rows[23].start).toBe(at("2024-12-10T14:00:00Z"));
    expect(rows[0].start).toBe(at("2024-12-09T15:00:00Z"));
    for (let i = 1; i < rows.length; i++) expect(rows[i].start - rows[i - 1].start).toBe(HOUR_MS);
    expect(rows[21].ok.background).toBe(3);
    expect(rows.filter((r) => r.okTotal + r.failedTotal > 0)).toHaveLength(1);
  });

  it("drops buckets outside the window", () => {
    const rows = hourlyRows([b("2024-12-09T14:00:00Z", "api", "success", 5), b("2024-12-10T15:00:00Z", "api", "success", 1)], NOW);
    expect(totals(rows).ok).toBe(0);
  });
});

describe("dailyRows", () => {
  const buckets = [
    b("2024-12-10T01:00:00Z", "background", "success", 4),
    b("2024-12-10T01:00:00Z", "manual", "success", 1),
    b("2024-12-10T09:00:00Z", "api", "failure", 2),
    b("2024-12-09T20:00:00Z", "background", "success", 6),
    b("2024-12-09T20:00:00Z", "background", "failure", 1),
    b("2024-12-01T10:00:00Z", "manual", "success", 9),
  ];

  it("groups hours into continuous UTC days, oldest first, with the trigger and outcome split", () => {
    const rows = dailyRows(buckets, NOW, 7, utc);
    expect(rows.map((r) => r.key)).toEqual(["2024-12-04", "2024-12-05", "2024-12-06", "2024-12-07", "2024-12-08", "2024-12-09", "2024-12-10"]);
    const today = rows[6];
    expect(today.ok).toEqual({ background: 4, manual: 1, api: 0, other: 0 });
    expect(today.failed).toEqual({ background: 0, manual: 0, api: 2, other: 0 });
    expect(rows[5].okTotal).toBe(6);
    expect(rows[5].failedTotal).toBe(1);
    expect(rows.slice(0, 5).every((r) => r.okTotal === 0 && r.failedTotal === 0)).toBe(true);
  });

  it("moves an evening UTC hour into the next day east of UTC (+05:30)", () => {
    const rows = dailyRows(buckets, NOW, 7, fixedOffsetDayKey(330));
    // 14:25Z is 19:55 on Dec 10 in India; 20:00Z on Dec 9 is 01:30 on Dec 10.
    expect(rows[6].key).toBe("2024-12-10");
    expect(rows[6].ok.background).toBe(10);
    expect(rows[6].failedTotal).toBe(3);
    expect(rows[5].okTotal).toBe(0);
  });

  it("moves a night UTC hour into the previous day west of UTC (-08:00)", () => {
    const rows = dailyRows(buckets, NOW, 7, fixedOffsetDayKey(-480));
    // 01:00Z on Dec 10 is 17:00 on Dec 9 in California.
    expect(rows[6].key).toBe("2024-12-10");
    expect(rows[6].okTotal).toBe(0);
    expect(rows[6].failedTotal).toBe(2);
    expect(rows[5].key).toBe("2024-12-09");
    expect(rows[5].ok).toEqual({ background: 10, manual: 1, api: 0, other: 0 });
  });

  it("keeps every day across a DST change (a 25-hour day)", () => {
    // A zone at +01:00 that moves to +00:00 at 2024-12-07T01:00Z, so Dec 7 lasts 25 hours.
    const change = at("2024-12-07T01:00:00Z");
    const dst = (ms: number) => fixedOffsetDayKey(ms < change ? 60 : 0)(ms);
    const rows = dailyRows([b("2024-12-06T23:00:00Z", "other", "success", 2)], NOW, 7, dst);
    expect(rows.map((r) => r.key)).toEqual(["2024-12-04", "2024-12-05", "2024-12-06", "2024-12-07", "2024-12-08", "2024-12-09", "2024-12-10"]);
    expect(rows[3].ok.other).toBe(2);
  });

  it("covers 30 days for the long view and counts what falls in it", () => {
    const rows = rowsFor("30d", buckets, NOW, utc);
    expect(rows).toHaveLength(30);
    expect(rows[0].key).toBe("2024-11-11");
    const t = totals(rows);
    expect(t).toEqual({ ok: 20, failed: 3, byTrigger: { background: 10, manual: 10, api: 0, other: 0 } });
  });
});
