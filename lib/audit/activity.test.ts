import { afterAll, describe, expect, it } from "vitest";
import { activityBuckets } from "@/lib/charts/types";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb, tx } = await import("@/db/client");
const { auditEvents } = await import("@/db/schema");
const { refreshActivity } = await import("./activity");
afterAll(() => tmp.cleanup());

const HOUR = 3_600_000;

describe("refreshActivity", () => {
  it("counts refreshes per hour, trigger and outcome: many events, few buckets", async () => {
    const now = Date.UTC(2026, 11, 3, 12, 30);
    const hourStart = Date.UTC(2026, 11, 3, 10);
    const event = (at: number, trigger: string, outcome: "success" | "failure") => ({
      at: new Date(at),
      actorType: "system" as const,
      actorLabel: "system",
      action: "connection.refresh",
      outcome,
      detail: { trigger },
    });
    await getDb()
      .insert(auditEvents)
      .values([
        ...Array.from({ length: 40 }, (_, i) => event(hourStart + i * 60_000 + 17, "background", "success")),
        event(hourStart + 5 * 60_000, "background", "failure"),
        event(hourStart + 7 * 60_000, "manual", "success"),
        event(hourStart + HOUR + 1, "api", "success"),
      ]);
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
    const rows: (typeof auditEvents.$inferInsert)[] = [];
    for (let h = Math.ceil(since / HOUR) * HOUR; h <= now; h += HOUR)
      for (const trigger of ["background", "manual", "api", "webhook"])
        for (const outcome of ["success", "failure"] as const) rows.push({ at: new Date(h + 1), actorType: "system" as const, actorLabel: "system", action: "connection.refresh", outcome, detail: { trigger } });
    await tx(async (t) => {
      for (let i = 0; i < rows.length; i += 400) await t.insert(auditEvents).values(rows.slice(i, i + 400));
    });
    const dto = await refreshActivity(now);
    expect(dto.series).toHaveLength(8);
    expect(activityBuckets(dto)).toHaveLength(rows.length);
    // 5,760 hourly buckets; as one keyed object each they took ~84 bytes apiece (~480 kB).
    expect(JSON.stringify(dto).length).toBeLessThan(15_000);
  });
});
