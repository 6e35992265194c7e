import { describe, expect, it } from "vitest";
import { localInputToIso, toggleChoice, toLocalInput } from "./form-helpers";

describe("toggleChoice", () => {
  const a = { id: 1, name: "Desk EU — support", revoked: false };
  const b = { id: 2, name: "SalesIQ portal" };

  it("adds a connection at the end, in the order chosen", () => {
    expect(toggleChoice([], b)).toEqual([b]);
    expect(toggleChoice([b], a)).toEqual([b, a]);
  });

  it("takes out one already chosen, by id, leaving the others in order", () => {
    expect(toggleChoice([b, a], { id: 2, name: "renamed" })).toEqual([a]);
    expect(toggleChoice([a], a)).toEqual([]);
  });
});

describe("datetime-local values", () => {
  it("round-trips a local minute through ISO", () => {
    const ms = new Date(2031, 4, 6, 7, 8).getTime();
    expect(toLocalInput(ms)).toBe("2031-05-06T07:08");
    expect(localInputToIso(toLocalInput(ms))).toBe(new Date(ms).toISOString());
  });

  it("leaves empty as no expiry and passes nonsense on for the server to refuse", () => {
    expect(localInputToIso("")).toBe("");
    expect(localInputToIso("  ")).toBe("");
    expect(localInputToIso("tomorrow-ish")).toBe("tomorrow-ish");
  });
});
