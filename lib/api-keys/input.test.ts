import { describe, expect, it } from "vitest";
import { createKeySchema, updateKeySchema } from "./input";

const form = (fields: Record<string, string | string[]>) => ({ name: "prometheus", scope: "chosen", connectionIds: [], ...fields });

describe("API key form: the metrics permission", () => {
  it("accepts a metrics-only key without connections and stores it with none, whatever was ticked", () => {
    const parsed = createKeySchema.parse(form({ permissions: "metrics", connectionIds: ["3", "4"] }));
    expect(parsed).toMatchObject({ permissions: ["metrics"], scope: "chosen", connectionIds: [] });
    expect(createKeySchema.parse(form({ permissions: "metrics", scope: "all" })).scope).toBe("chosen");
    expect(updateKeySchema.parse({ id: "7", ...form({ permissions: ["metrics"] }) }).connectionIds).toEqual([]);
  });

  it("still asks for connections once the key may do more than read metrics", () => {
    const result = createKeySchema.safeParse(form({ permissions: ["metrics", "token"] }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["connectionIds"], message: expect.stringContaining("Choose at least one connection") });
    expect(createKeySchema.parse(form({ permissions: ["metrics", "token"], connectionIds: ["3"] })).connectionIds).toEqual([3]);
  });

  it("refuses a permission it does not know", () => {
    expect(createKeySchema.safeParse(form({ permissions: ["metrics", "admin"], scope: "all" })).success).toBe(false);
  });
});
