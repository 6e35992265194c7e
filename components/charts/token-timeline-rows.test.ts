import { describe, expect, it } from "vitest";
import type { TokenTimelineDto } from "@/lib/charts/types";
import { auditEventHref } from "@/lib/audit/event-href";
import { lifeRows, spreadInstants, timelineDomain } from "./token-timeline-rows";

const now = Date.UTC(2026, 11, 7, 10, 0);
const data: TokenTimelineDto = {
  generatedAt: now,
  total: 2,
  lives: [
    { id: 1, via: "authorize", mintedAt: now - 7_200_000, expiresAt: now - 3_600_000, endedAt: now - 3_600_000, endReason: "replaced", last4: "aaaa" },
    { id: 2, via: "background", mintedAt: now - 3_600_000, expiresAt: now - 1_000, endedAt: null, endReason: null, last4: "bbbb" },
  ],
  markers: [],
};

describe("the timeline's axis and marks", () => {
  it("leaves room after now, so the now line and its label sit inside the box", () => {
    const [lo, hi] = timelineDomain(lifeRows(data, now), now);
    expect(lo).toBe(now - 7_200_000);
    expect(hi).toBeGreaterThan(now);
    expect(hi - now).toBeGreaterThanOrEqual((now - lo) * 0.02);
  });

  it("spreads marks seconds apart so each stays visible, moving them only later and only as needed", () => {
    expect(spreadInstants([0, 2_000, 3_000, 60_000], 10_000)).toEqual([0, 10_000, 20_000, 60_000]);
    expect(spreadInstants([0, 50_000], 10_000)).toEqual([0, 50_000]);
    expect(spreadInstants([], 10_000)).toEqual([]);
  });

  it("links an event mark to its audit event's own page", () => {
    expect(auditEventHref(42)).toBe("/audit/42");
  });
});
