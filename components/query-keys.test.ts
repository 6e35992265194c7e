import { describe, expect, it } from "vitest";
import { queryKeys } from "./query-keys";

describe("query keys", () => {
  it("keeps the invalidation prefix a prefix of every page's key", () => {
    expect(queryKeys.connectLinksPage(3).slice(0, queryKeys.connectLinks().length)).toEqual(queryKeys.connectLinks());
    expect(queryKeys.connection(7)).toEqual(["connection", 7]);
  });
});
