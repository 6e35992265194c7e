import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath", () => {
  it.each([
    ["/connections?status=active", "/connections?status=active"],
    ["/connections/12#history", "/connections/12#history"],
    ["/audit/../connections", "/connections"],
  ])("keeps a path on this origin: %s", (value, expected) => {
    expect(safeCallbackPath(value, ORIGIN)).toBe(expected);
  });

  it.each([
    "/..//evil.example/phish",
    "/.//evil.example/phish",
    "/%2e%2e//evil.example/phish",
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/connections\nLocation: x",
    "//evil.example",
    "/\\evil.example",
    "/x\\..\\..\\/evil.example",
    "https://evil.example/",
    "http://localhost:3000/connections",
    "javascript:alert(1)",
    "connections",
    "",
    "/" + "a".repeat(600),
  ])("falls back to the overview for %j", (value) => {
    expect(safeCallbackPath(value, ORIGIN)).toBe("/");
  });

  it("ignores what is not a string", () => {
    expect(safeCallbackPath(null, ORIGIN)).toBe("/");
    expect(safeCallbackPath(undefined, ORIGIN)).toBe("/");
  });
});
