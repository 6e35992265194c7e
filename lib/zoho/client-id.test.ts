import { describe, expect, it } from "vitest";
import { clientIdSchema, clientSecretSchema, validateClientId, validateClientSecret } from "./client-id";

const ID = "1000.R2Z0WWOLFVMR287126QED3B4JWQ5EN";
const SECRET = "39c689de68c712fa5f1f06c3b1319ab98f59fa921b";

describe("validateClientId", () => {
  it("accepts a real-looking id and trims pasted whitespace", () => {
    expect(validateClientId(ID)).toEqual({ ok: true, value: ID });
    expect(validateClientId(`  ${ID}\n`)).toEqual({ ok: true, value: ID });
  });

  it.each([
    ["", /Enter the client id/],
    [undefined, /Enter the client id/],
    ["R2Z0WWOLFVMR287126QED3B4JWQ5EN", /starts with "1000."/],
    ["1000.R2Z0WWOLFVMR287126QED3B4JWQ5E", /30 characters; this one has 29/],
    ["1000.r2z0wwolfvmr287126qed3b4jwq5en", /upper case/],
    ["1000.R2Z0WWOLFVMR 87126QED3B4JWQ5EN", /no spaces/],
    ["1000.R2Z0WWOLFVMR-87126QED3B4JWQ5EN", /letters and digits/],
    [`1000.${"A".repeat(100)}`, /too long/],
  ])("rejects %j", (input, message) => {
    const r = validateClientId(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe("validateClientSecret", () => {
  it("accepts a real-looking secret", () => {
    expect(validateClientSecret(SECRET)).toEqual({ ok: true, value: SECRET });
  });

  it("accepts an unusual shape with a warning", () => {
    const r = validateClientSecret("abcdefGHIJKLmnopqrstuvwx_123");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warning).toMatch(/42 hexadecimal/);
  });

  it.each([
    ["", /Enter the client secret/],
    ["   ", /Enter the client secret/],
    ["39c689de68c712fa 5f1f06c3b1319ab98f59fa921b", /no spaces/],
    ["39c689de68c712fa\t5f1f06c3b1319ab98f59fa921b", /no spaces/],
    ["a".repeat(129), /too long/],
    ["abc123", /too short/],
    [ID, /client id, not the secret/],
    ["39c689de68c712fa5f1f06c3b1319ab98f59fa921é", /ASCII/],
  ])("rejects %j", (input, message) => {
    const r = validateClientSecret(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it("never echoes the secret in a message", () => {
    const bad = `${SECRET} x`;
    const r = validateClientSecret(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).not.toContain(SECRET);
  });
});

describe("zod schemas", () => {
  it("share the same rules", () => {
    expect(clientIdSchema.parse(` ${ID} `)).toBe(ID);
    expect(clientSecretSchema.safeParse("short").success).toBe(false);
    const r = clientIdSchema.safeParse("1000.abc");
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0].message).toMatch(/upper case|30 characters/);
  });
});
