import { afterAll, describe, expect, it } from "vitest";
import { activityBuckets } from "@/lib/charts/types";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { tx } = await import("@/db/client");
const { recordAudit, systemActor } = await import("./record");
const { refreshActivity } = await import("./activity");
afterAll(() => tmp.cleanup());

const HOUR = 3_600_000;

/** One refresh event, written as the token engine writes it. */
const refresh = (at: number, trigger: string, outcome: "success" | "failure") =>
  recordAudit({ actor: systemActor, action: "connection.refresh", target: { type: "connection", id: 1 }, outcome, detail: { name: "c", trigger } }, new Date(at));

describe("refreshActivity", () => {
  it("counts refreshes per hour, trigger and outcome: many events, few buckets", async () => {
    const now = Date.UTC(2026, 11, 3, 12, 30);
    const hourStart = Date.UTC(2026, 11, 3, 10);
    // Across the hour's four quarters: the chart adds them up.
    for (let i = 0; i < 40; i++) await refresh(hourStart + i * 60_000 + 17, "background", "success");
    await refresh(hourStart + 5 * 60_000, "background", "failure");
    await refresh(hourStart + 7 * 60_000, "manual", "success");
    await refresh(hourStart + HOUR + 1, "api", "success");
    // A refusal before the refresh began is not an attempt the chart counts.
    await recordAudit({ actor: { type: "user", id: 3, label: "v@x" }, action: "connection.refresh", target: { type: "connection", id: 1 }, outcome: "denied", detail: { reason: "forbidden" }, fold: true }, new Date(hourStart));
    const dto = await refreshActivity(now);
    // Dense hourly series, one per trigger and outcome seen, covering 30 days up to this hour.
    expect(dto.series).toHaveLength(4);
    expect(dto.since).toBe(Date.UTC(2026, 10, 3, 12));
    for (const s of dto.series) expect(s.counts).toHaveLength(30 * 24 + 1);
    const buckets = activityBuckets(dto);
    expect(buckets).toHaveLength(4);
    expect(buckets).toEqual(expect.arrayContaining([
      { hour: hourStart, trigger: "background", outcome: "success", count: 40 },
      { hour: hourStart, trigger: "background", outcome: "failure", count: 1 },
      { hour: hourStart, trigger: "manual", outcome: "success", count: 1 },
      { hour: hourStart + HOUR, trigger: "api", outcome: "success", count: 1 },
    ]));
  });

  it("stays small when every hour of the 30 days is busy: the overview inlines it in its HTML", async () => {
    const now = Date.UTC(2027, 0, 20, 9, 45);
    const since = now - 30 * 24 * HOUR;
    const rows: [number, string, "success" | "failure"][] = [];
    for (let h = Math.ceil(since / HOUR) * HOUR; h <= now; h += HOUR)
      for (const trigger of ["background", "manual", "api", "webhook"]) for (const outcome of ["success", "failure"] as const) rows.push([h + 1, trigger, outcome]);
    await tx(async () => {
      for (const [at, trigger, outcome] of rows) await refresh(at, trigger, outcome);
    });
    const dto = await refreshActivity(now);
    expect(dto.series).toHaveLength(8);
    expect(activityBuckets(dto)).toHaveLength(rows.length);
    // 5,760 hourly buckets; as one keyed object each they took ~84 bytes apiece (~480 kB).
    expect(JSON.stringify(dto).length).toBeLessThan(15_000);
  });
});
