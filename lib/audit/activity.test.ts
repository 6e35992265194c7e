import { afterAll, describe, expect, it } from "vitest";
import { RAW_FAILURE_KINDS, activityBuckets, failureKindOf } from "@/lib/charts/types";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { tx } = await import("@/db/client");
const { recordAudit, systemActor } = await import("./record");
const { refreshActivity } = await import("./activity");
afterAll(() => tmp.cleanup());

const HOUR = 3_600_000;
const Q = 15 * 60_000;

/** One refresh event, written as the token engine writes it. */
const refresh = (at: number, trigger: string, outcome: "success" | "failure", detail: Record<string, unknown> = {}) =>
  recordAudit({ actor: systemActor, action: "connection.refresh", target: { type: "connection", id: 1 }, outcome, detail: { name: "c", trigger, ...detail } }, new Date(at));

describe("refreshActivity", () => {
  it("counts refreshes per quarter hour, trigger, outcome and kind of failure: many events, few buckets", async () => {
    const now = Date.UTC(2026, 11, 3, 12, 30);
    const hourStart = Date.UTC(2026, 11, 3, 10);
    for (let i = 0; i < 40; i++) await refresh(hourStart + i * 60_000 + 17, "background", "success");
    await refresh(hourStart + 5 * 60_000, "background", "failure", { errorKind: "invalid_code" });
    await refresh(hourStart + 6 * 60_000, "background", "failure", { errorKind: "network" });
    await refresh(hourStart + 6 * 60_000, "api", "failure", { errorKind: "timeout" });
    await refresh(hourStart + 6 * 60_000, "manual", "failure", { refused: "rate_limited" });
    await refresh(hourStart + 7 * 60_000, "manual", "success");
    await refresh(hourStart + HOUR + 1, "api", "success");
    // A refusal before the refresh began is not an attempt the chart counts.
    await recordAudit({ actor: { type: "user", id: 3, label: "v@x" }, action: "connection.refresh", target: { type: "connection", id: 1 }, outcome: "denied", detail: { reason: "forbidden" }, fold: true }, new Date(hourStart));
    const dto = await refreshActivity(now, "24h");
    expect(dto.range).toBe("24h");
    // Dense quarter-hour series covering 25 hours up to this quarter.
    expect(dto.since).toBe(now - 25 * HOUR);
    for (const s of dto.series) expect(s.counts).toHaveLength(25 * 4 + 1);
    expect(activityBuckets(dto)).toEqual(
      expect.arrayContaining([
        { at: hourStart, trigger: "background", outcome: "success", kind: "", count: 15 },
        { at: hourStart + Q, trigger: "background", outcome: "success", kind: "", count: 15 },
        { at: hourStart + 2 * Q, trigger: "background", outcome: "success", kind: "", count: 10 },
        // Failures by kind, whatever their trigger: network and timeout are both "Zoho unreachable".
        { at: hourStart, trigger: "", outcome: "failure", kind: "refused", count: 1 },
        { at: hourStart, trigger: "", outcome: "failure", kind: "unreachable", count: 2 },
        { at: hourStart, trigger: "", outcome: "failure", kind: "throttled", count: 1 },
        { at: hourStart, trigger: "manual", outcome: "success", kind: "", count: 1 },
        { at: hourStart + HOUR, trigger: "api", outcome: "success", kind: "", count: 1 },
      ]),
    );
    expect(activityBuckets(dto)).toHaveLength(8);
  });

  it("reads only the range asked for, with a day to spare for the viewer's zone", async () => {
    const now = Date.UTC(2027, 5, 20, 12, 0);
    await refresh(now - 6 * 24 * HOUR, "api", "success");
    await refresh(now - 20 * 24 * HOUR, "api", "success");
    const week = await refreshActivity(now, "7d");
    expect(week.since).toBe(now - 8 * 24 * HOUR);
    expect(activityBuckets(week).map((b) => b.at)).toEqual([now - 6 * 24 * HOUR]);
    const month = await refreshActivity(now, "30d");
    expect(activityBuckets(month).map((b) => b.at)).toEqual([now - 20 * 24 * HOUR, now - 6 * 24 * HOUR]);
  });

  it("groups raw kinds in SQL exactly as failureKindOf does", async () => {
    const now = Date.UTC(2027, 8, 1, 12, 0);
    const raws = [...Object.keys(RAW_FAILURE_KINDS), "key_missing", "discarded", "busy", "something_new"];
    for (const [i, raw] of raws.entries()) await refresh(now - HOUR + i * 1000, "background", "failure", { errorKind: raw });
    const got: Record<string, number> = {};
    for (const b of activityBuckets(await refreshActivity(now, "24h"))) got[b.kind] = (got[b.kind] ?? 0) + b.count;
    const want: Record<string, number> = {};
    for (const raw of raws) want[failureKindOf(raw)] = (want[failureKindOf(raw)] ?? 0) + 1;
    expect(got).toEqual(want);
    expect(want).toEqual({ refused: 8, throttled: 3, unreachable: 3, other: 4 });
  });

  it("stays small when every quarter hour of the default week is busy: the overview inlines it in its HTML", async () => {
    const now = Date.UTC(2027, 0, 20, 9, 45);
    const since = now - 8 * 24 * HOUR;
    const rows: [number, string, "success" | "failure"][] = [];
    for (let h = since; h <= now; h += Q)
      for (const trigger of ["background", "manual", "api", "webhook"]) for (const outcome of ["success", "failure"] as const) rows.push([h + 1, trigger, outcome]);
    await tx(async () => {
      for (const [at, trigger, outcome] of rows) await refresh(at, trigger, outcome, outcome === "failure" ? { errorKind: "server" } : {});
    });
    const dto = await refreshActivity(now, "7d");
    // Four triggers' successes and one kind of failure (all four triggers' 503s).
    expect(dto.series).toHaveLength(5);
    expect(activityBuckets(dto).reduce((n, b) => n + b.count, 0)).toBe(rows.length);
    // 6,000+ quarter-hour buckets; as one keyed object each they would take ~500 kB.
    expect(JSON.stringify(dto).length).toBeLessThan(15_000);
  });
});
