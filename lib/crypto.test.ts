import { describe, expect, it } from "vitest";
import { buildKeyRing, decryptWith, encryptWith, generateKeySpec, keyIdOf, DecryptionError } from "./crypto";

const specA = generateKeySpec("a");
const specB = generateKeySpec("b");

describe("secret encryption", () => {
  it("round-trips a value and never stores it in clear", () => {
    const ring = buildKeyRing(specA);
    const stored = encryptWith(ring, "1000.secret-refresh-token");
    expect(stored).not.toContain("secret-refresh-token");
    expect(keyIdOf(stored)).toBe("a");
    expect(decryptWith(ring, stored)).toBe("1000.secret-refresh-token");
  });

  it("uses a fresh IV for every value", () => {
    const ring = buildKeyRing(specA);
    expect(encryptWith(ring, "same")).not.toBe(encryptWith(ring, "same"));
  });

  it("rejects tampered ciphertext, tag or key id", () => {
    const ring = buildKeyRing(specA, specB);
    const stored = encryptWith(ring, "client-secret-value");
    const parts = stored.split(".");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    expect(() => decryptWith(ring, [...parts.slice(0, 4), flip(parts[4])].join("."))).toThrow(DecryptionError);
    expect(() => decryptWith(ring, [...parts.slice(0, 3), flip(parts[3]), parts[4]].join("."))).toThrow(DecryptionError);
    // Relabelling the value with another configured key id must not decrypt either.
    expect(() => decryptWith(ring, [parts[0], "b", ...parts.slice(2)].join("."))).toThrow(DecryptionError);
  });

  it("rejects a value under the wrong key", () => {
    const stored = encryptWith(buildKeyRing(specA), "value");
    const other = buildKeyRing(`a:${generateKeySpec("x").split(":")[1]}`);
    expect(() => decryptWith(other, stored)).toThrow(/wrong key or tampered/);
  });

  it("reads a value written under an old key id once that key is configured", () => {
    const old = encryptWith(buildKeyRing(specA), "written-before-rotation");
    expect(() => decryptWith(buildKeyRing(specB), old)).toThrow(/key "a", which is not configured/);
    const rotated = buildKeyRing(specB, specA);
    expect(decryptWith(rotated, old)).toBe("written-before-rotation");
    expect(keyIdOf(encryptWith(rotated, "new"))).toBe("b");
  });

  it("explains a malformed key specification", () => {
    expect(() => buildKeyRing("nokey")).toThrow(/ENCRYPTION_KEY must look like/);
    expect(() => buildKeyRing("k1:c2hvcnQ=")).toThrow(/32 bytes/);
  });
});
