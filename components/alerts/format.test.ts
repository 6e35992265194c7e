import { describe, expect, it } from "vitest";
import { destinationState, durationText } from "./format";

describe("durationText", () => {
  it("reads at the scale of the duration", () => {
    expect(durationText(45_000)).toBe("45 s");
    expect(durationText(12 * 60_000 + 30_000)).toBe("12 min");
    expect(durationText(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 5 min");
    expect(durationText(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
  });
  it("never goes negative (clocks of two instances may disagree a little)", () => {
    expect(durationText(-5_000)).toBe("0 s");
  });
});

describe("destinationState", () => {
  it("switched off wins, then paused, then failing", () => {
    expect(destinationState({ enabled: false, pausedAt: 1, failingSince: 1 }).label).toBe("Off");
    expect(destinationState({ enabled: true, pausedAt: 2, failingSince: 1 })).toEqual({ label: "Paused", tone: "red", since: 2 });
    expect(destinationState({ enabled: true, pausedAt: null, failingSince: 1 })).toEqual({ label: "Failing", tone: "amber", since: 1 });
    expect(destinationState({ enabled: true, pausedAt: null, failingSince: null }).label).toBe("Active");
  });
});
