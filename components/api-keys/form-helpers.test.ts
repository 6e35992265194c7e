import { describe, expect, it } from "vitest";
import { filterChoices, localInputToIso, toLocalInput } from "./form-helpers";

const choices = [
  { id: 1, name: "Desk EU — support", revoked: false },
  { id: 2, name: "SalesIQ portal", revoked: false },
  { id: 3, name: "Desk US billing", revoked: true },
];

describe("filterChoices", () => {
  it("keeps everything for an empty or blank query", () => {
    expect(filterChoices(choices, "")).toEqual({ shown: choices, matching: 3 });
    expect(filterChoices(choices, "   ").matching).toBe(3);
  });

  it("matches every word, in any case and order", () => {
    expect(filterChoices(choices, "desk").shown.map((c) => c.id)).toEqual([1, 3]);
    expect(filterChoices(choices, "BILLING desk").shown.map((c) => c.id)).toEqual([3]);
    expect(filterChoices(choices, "desk portal").matching).toBe(0);
  });

  it("renders at most the limit but counts all matches", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ id: i + 1, name: `Connection ${i + 1}` }));
    const r = filterChoices(many, "connection", 300);
    expect(r.shown).toHaveLength(300);
    expect(r.shown[0].id).toBe(1);
    expect(r.matching).toBe(5000);
    expect(filterChoices(many, "connection 4999").shown.map((c) => c.id)).toEqual([4999]);
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
