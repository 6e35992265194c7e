import { describe, expect, it } from "vitest";
import { tagFromUrl, tagProblem } from "./tag-rules";
import { tagListSchema, tagSchema } from "./tag-schemas";

describe("tag rules", () => {
  it("takes lowercase words and key:value, lowercasing what is typed", () => {
    expect(tagSchema.parse("  Customer:ACME ")).toBe("customer:acme");
    expect(tagSchema.parse("billing")).toBe("billing");
    expect(tagSchema.parse("team:ops/eu")).toBe("team:ops/eu");
    expect(tagSchema.parse("env:prod-2")).toBe("env:prod-2");
  });

  it("refuses spaces, empty parts, stray punctuation and overlong tags with a reason", () => {
    for (const bad of ["", "env:", ":prod", "a b", "env:prod:eu", "-x", "x-", "env:pr%d", "über", "a/b"]) {
      expect(tagSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(tagProblem("x".repeat(65))).toMatch(/longer than 64/);
    expect(tagProblem("x".repeat(64))).toBeNull();
    expect(tagSchema.safeParse("a b").error?.issues[0].message).toMatch(/lowercase word or key:value/);
  });

  it("splits a box of tags on commas and spaces, dropping repeats, at most ten at once", () => {
    expect(tagListSchema.parse("env:prod, Customer:acme env:prod")).toEqual(["env:prod", "customer:acme"]);
    expect(tagListSchema.safeParse(" , ").success).toBe(false);
    expect(tagListSchema.safeParse("ok, not$ok").success).toBe(false);
    expect(tagListSchema.safeParse(Array.from({ length: 11 }, (_, i) => `t${i}`).join(",")).error?.issues[0].message).toMatch(/At most 10/);
  });

  it("reads a tag from a URL, or nothing when it is not one", () => {
    expect(tagFromUrl("ENV:Prod")).toBe("env:prod");
    expect(tagFromUrl("env prod")).toBeUndefined();
    expect(tagFromUrl(null)).toBeUndefined();
  });
});
