import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
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
    getDb()
      .insert(auditEvents)
      .values([
        ...Array.from({ length: 40 }, (_, i) => event(hourStart + i * 60_000 + 17, "background", "success")),
        event(hourStart + 5 * 60_000, "background", "failure"),
        event(hourStart + 7 * 60_000, "manual", "success"),
        event(hourStart + HOUR + 1, "api", "success"),
      ])
      .run();
    const { buckets } = await refreshActivity(now);
    expect(buckets).toHaveLength(4);
    expect(buckets).toEqual(expect.arrayContaining([
      { hour: hourStart, trigger: "background", outcome: "success", count: 40 },
      { hour: hourStart, trigger: "background", outcome: "failure", count: 1 },
      { hour: hourStart, trigger: "manual", outcome: "success", count: 1 },
      { hour: hourStart + HOUR, trigger: "api", outcome: "success", count: 1 },
    ]));
  });
});
