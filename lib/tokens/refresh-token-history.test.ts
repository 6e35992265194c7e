import { describe, expect, it } from "vitest";
import { stepSeries } from "./refresh-token-history";

const SINCE = 1_000_000;
const life = (zuid: string, issuedAt: number, endedAt: number | null = null) => ({ zuid, issuedAt, endedAt });

describe("stepSeries", () => {
  it("starts with the tokens live at `since`: issued before it and not ended by then", () => {
    const points = stepSeries(
      [
        life("ada", SINCE - 500),
        life("ada", SINCE - 400, SINCE + 100),
        life("ada", SINCE, null),
        life("ben", SINCE - 900),
        // Ended before (or exactly at) the start: not counted, no step down either.
        life("ada", SINCE - 800, SINCE - 1),
        life("ben", SINCE - 800, SINCE),
      ],
      SINCE,
      ["ada", "ben"],
    );
    expect(points[0]).toEqual({ at: SINCE, counts: { ada: 3, ben: 1 } });
    expect(points).toEqual([
      { at: SINCE, counts: { ada: 3, ben: 1 } },
      { at: SINCE + 100, counts: { ada: 2, ben: 1 } },
    ]);
  });

  it("steps up at each issue and down at each end, in time order", () => {
    const points = stepSeries([life("ada", SINCE + 300, SINCE + 700), life("ada", SINCE + 100), life("ben", SINCE + 500, SINCE + 900)], SINCE, ["ada", "ben"]);
    expect(points).toEqual([
      { at: SINCE, counts: { ada: 0, ben: 0 } },
      { at: SINCE + 100, counts: { ada: 1, ben: 0 } },
      { at: SINCE + 300, counts: { ada: 2, ben: 0 } },
      { at: SINCE + 500, counts: { ada: 2, ben: 1 } },
      { at: SINCE + 700, counts: { ada: 1, ben: 1 } },
      { at: SINCE + 900, counts: { ada: 1, ben: 0 } },
    ]);
  });

  it("collapses changes at the same moment into one point holding their net result", () => {
    // A reconnect: the old token ends as the new one is issued; an eviction at the same time.
    const points = stepSeries(
      [life("ada", SINCE - 10, SINCE + 200), life("ada", SINCE + 200), life("ben", SINCE - 10, SINCE + 200), life("ben", SINCE - 5)],
      SINCE,
      ["ada", "ben"],
    );
    expect(points).toEqual([
      { at: SINCE, counts: { ada: 1, ben: 2 } },
      { at: SINCE + 200, counts: { ada: 1, ben: 1 } },
    ]);
  });

  it("draws only the users asked for, and starts every one of them at a count", () => {
    const points = stepSeries([life("ada", SINCE + 100), life("eva", SINCE + 50)], SINCE, ["ada", "ben"]);
    expect(points).toEqual([
      { at: SINCE, counts: { ada: 0, ben: 0 } },
      { at: SINCE + 100, counts: { ada: 1, ben: 0 } },
    ]);
  });

  it("does not share count objects between points", () => {
    const points = stepSeries([life("ada", SINCE + 1), life("ada", SINCE + 2)], SINCE, ["ada"]);
    expect(points.map((p) => p.counts.ada)).toEqual([0, 1, 2]);
  });
});
