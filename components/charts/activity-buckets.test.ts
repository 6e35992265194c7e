import { describe, expect, it } from "vitest";
import { parseActivityRange, type ActivityBucket } from "@/lib/charts/types";
import { activityRows, fixedOffset, periodsFor, totals, zoneOffset } from "./activity-buckets";
import { periodAuditHref } from "./activity-links";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const ok = (iso: string, trigger: ActivityBucket["trigger"], count: number): ActivityBucket => ({ at: at(iso), trigger, outcome: "success", kind: "", count });
const failed = (iso: string, kind: ActivityBucket["kind"], count: number): ActivityBucket => ({ at: at(iso), trigger: "background", outcome: "failure", kind, count });

const NOW = at("2024-12-10T14:25:00Z");
const utc = fixedOffset(0);

describe("hours in the viewer's zone", () => {
  it("gives 24 consecutive UTC hours ending with the current one, zeros where quiet", () => {
    const rows = activityRows("24h", [ok("2024-12-10T12:15:00Z", "background", 3)], NOW, utc);
    expect(rows).toHaveLength(24);
    expect(rows[23].start).toBe(at("2024-12-10T14:00:00Z"));
    expect(rows[23].end).toBe(at("2024-12-10T15:00:00Z"));
    expect(rows[0].start).toBe(at("2024-12-09T15:00:00Z"));
    expect(rows[21].ok.background).toBe(3);
    expect(rows.filter((r) => r.okTotal + r.failedTotal > 0)).toHaveLength(1);
  });

  it("starts India's hours on the half hour (+05:30): 14:25Z (19:55 local) is in 19:00–20:00, 13:30Z–14:30Z", () => {
    const quarters = [ok("2024-12-10T13:45:00Z", "api", 1), ok("2024-12-10T14:00:00Z", "api", 2), ok("2024-12-10T14:15:00Z", "api", 4)];
    const rows = activityRows("24h", quarters, NOW, zoneOffset("Asia/Kolkata"));
    expect(new Date(rows[23].start).toISOString()).toBe("2024-12-10T13:30:00.000Z");
    expect(rows[23].end - rows[23].start).toBe(HOUR);
    // 13:30Z–14:30Z is 19:00–20:00 in India: 13:45Z, 14:00Z and 14:15Z all count there.
    expect(rows[23].ok.api).toBe(7);
  });

  it("starts Nepal's hours a quarter past (+05:45): 14:25Z (20:10 local) is in 14:15Z–15:15Z", () => {
    const quarters = [ok("2024-12-10T13:00:00Z", "manual", 1), ok("2024-12-10T13:15:00Z", "manual", 10)];
    const rows = activityRows("24h", quarters, NOW, zoneOffset("Asia/Kathmandu"));
    expect(new Date(rows[23].start).toISOString()).toBe("2024-12-10T14:15:00.000Z");
    // 13:15Z is 19:00 there, 13:00Z still 18:45.
    expect(new Date(rows[22].start).toISOString()).toBe("2024-12-10T13:15:00.000Z");
    expect(rows[22].ok.manual).toBe(10);
    expect(rows[21].ok.manual).toBe(1);
  });
});

describe("days in the viewer's zone", () => {
  const quarters = [
    ok("2024-12-10T01:00:00Z", "background", 4),
    ok("2024-12-10T01:15:00Z", "manual", 1),
    failed("2024-12-10T09:00:00Z", "unreachable", 2),
    ok("2024-12-09T20:00:00Z", "background", 6),
    failed("2024-12-09T20:00:00Z", "refused", 1),
    ok("2024-12-09T18:15:00Z", "api", 5),
    ok("2024-12-01T10:00:00Z", "manual", 9),
  ];

  it("groups quarters into continuous UTC days, oldest first, successes by trigger and failures by kind", () => {
    const rows = activityRows("7d", quarters, NOW, utc);
    expect(rows.map((r) => r.key)).toEqual(["2024-12-04", "2024-12-05", "2024-12-06", "2024-12-07", "2024-12-08", "2024-12-09", "2024-12-10"]);
    const today = rows[6];
    expect(today.ok).toEqual({ background: 4, manual: 1, api: 0, other: 0 });
    expect(today.failed).toEqual({ refused: 0, throttled: 0, unreachable: 2, other: 0 });
    expect(rows[5].okTotal).toBe(11);
    expect(rows[5].failed.refused).toBe(1);
    expect(rows.slice(0, 5).every((r) => r.okTotal === 0 && r.failedTotal === 0)).toBe(true);
  });

  it("cuts India's days at 18:30Z: 18:15Z stays on the 9th, 20:00Z moves to the 10th", () => {
    const rows = activityRows("7d", quarters, NOW, zoneOffset("Asia/Kolkata"));
    expect(rows[6].key).toBe("2024-12-10");
    expect(new Date(rows[6].start).toISOString()).toBe("2024-12-09T18:30:00.000Z");
    expect(rows[6].ok.background).toBe(10);
    expect(rows[6].failed.refused).toBe(1);
    expect(rows[5].ok.api).toBe(5);
  });

  it("keeps every day across a DST change, the 25-hour day included (New York, 3 Nov 2024)", () => {
    const now = at("2024-11-05T15:00:00Z");
    const ny = zoneOffset("America/New_York");
    const rows = activityRows("7d", [ok("2024-11-03T04:15:00Z", "other", 2), ok("2024-11-04T04:45:00Z", "other", 3)], now, ny);
    expect(rows.map((r) => r.key)).toEqual(["2024-10-30", "2024-10-31", "2024-11-01", "2024-11-02", "2024-11-03", "2024-11-04", "2024-11-05"]);
    const sunday = rows[4];
    // Midnight EDT (04:00Z) to midnight EST (05:00Z): 25 hours.
    expect(new Date(sunday.start).toISOString()).toBe("2024-11-03T04:00:00.000Z");
    expect(sunday.end - sunday.start).toBe(25 * HOUR);
    // 04:45Z on the 4th is still 23:45 on the 3rd in EST: the long day holds both.
    expect(sunday.ok.other).toBe(5);
    expect(rows[5].okTotal).toBe(0);
  });

  it("counts a 23-hour spring day (New York, 10 Mar 2024) and the hours around its gap", () => {
    const now = at("2024-03-10T12:10:00Z");
    const ny = zoneOffset("America/New_York");
    const days = periodsFor("7d", now, ny);
    expect(days.at(-1)!.end - days.at(-1)!.start).toBe(23 * HOUR);
    const hours = periodsFor("24h", now, ny);
    expect(hours).toHaveLength(24);
    for (let i = 1; i < hours.length; i++) expect(hours[i].start - hours[i - 1].start).toBe(HOUR);
  });

  it("covers 30 days for the long view and counts what falls in it", () => {
    const rows = activityRows("30d", quarters, NOW, utc);
    expect(rows).toHaveLength(30);
    expect(rows[0].key).toBe("2024-11-11");
    expect(totals(rows)).toEqual({
      ok: 25,
      failed: 3,
      byTrigger: { background: 10, manual: 10, api: 5, other: 0 },
      byKind: { refused: 1, throttled: 0, unreachable: 2, other: 0 },
    });
  });
});

describe("the range in the URL", () => {
  it("reads 24h, 7d and 30d, and falls back to 7 days for anything else", () => {
    expect(parseActivityRange("24h")).toBe("24h");
    expect(parseActivityRange(["30d", "24h"])).toBe("30d");
    expect(parseActivityRange(undefined)).toBe("7d");
    expect(parseActivityRange("1y")).toBe("7d");
  });
});

describe("a bar's audit rows", () => {
  it("opens the refresh events of exactly that local period, by outcome", () => {
    const [row] = activityRows("24h", [], NOW, zoneOffset("Asia/Kolkata")).slice(-1);
    const href = periodAuditHref(row, "failure");
    const q = new URL(href, "http://x").searchParams;
    expect(href.startsWith("/audit?")).toBe(true);
    expect(q.get("action")).toBe("connection.refresh");
    expect(q.get("outcome")).toBe("failure");
    expect(q.get("range")).toBe("custom");
    expect(q.get("from")).toBe("2024-12-10T13:30:00.000Z");
    expect(q.get("to")).toBe("2024-12-10T14:30:00.000Z");
    expect(new URL(periodAuditHref(row), "http://x").searchParams.get("outcome")).toBeNull();
  });
});
