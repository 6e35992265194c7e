import { describe, expect, it } from "vitest";
import { encryptUnboundV1 } from "@/test/unbound-v1";
import { buildKeyRing, decryptUnboundWith, decryptWith, encryptWith, formatOf, generateKeySpec, keyIdOf, DecryptionError, type SecretPlace } from "./crypto";

const specA = generateKeySpec("a");
const specB = generateKeySpec("b");

const refresh7: SecretPlace = { table: "connections", column: "refresh_token_enc", rowId: 7 };
const refresh8: SecretPlace = { ...refresh7, rowId: 8 };
const access7: SecretPlace = { table: "connections", column: "access_token_enc", rowId: 7 };
const clientSecret7: SecretPlace = { table: "zoho_clients", column: "secret_enc", rowId: 7 };

const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);

describe("secret encryption", () => {
  it("round-trips a value in the bound v2 form and never stores it in clear", () => {
    const ring = buildKeyRing(specA);
    const stored = encryptWith(ring, "1000.secret-refresh-token", refresh7);
    expect(stored).not.toContain("secret-refresh-token");
    expect(stored.startsWith("v2.a.")).toBe(true);
    expect(formatOf(stored)).toBe("v2");
    expect(keyIdOf(stored)).toBe("a");
    expect(decryptWith(ring, stored, refresh7)).toBe("1000.secret-refresh-token");
  });

  it("uses a fresh IV for every value", () => {
    const ring = buildKeyRing(specA);
    expect(encryptWith(ring, "same", refresh7)).not.toBe(encryptWith(ring, "same", refresh7));
  });

  it("refuses a value moved to another row, column or table", () => {
    const ring = buildKeyRing(specA);
    const stored = encryptWith(ring, "1000.connection-7-refresh", refresh7);
    for (const elsewhere of [refresh8, access7, clientSecret7]) {
      expect(() => decryptWith(ring, stored, elsewhere)).toThrow(DecryptionError);
    }
    const err = (() => {
      try {
        decryptWith(ring, stored, refresh8);
      } catch (e) {
        return e as DecryptionError;
      }
    })()!;
    expect(err.reason).toBe("auth_failed");
    expect(err.message).toMatch(/connections\.refresh_token_enc of row 8.*stored elsewhere/);
    expect(err.message).not.toContain("connection-7-refresh");
  });

  it("rejects tampered ciphertext, tag or key id", () => {
    const ring = buildKeyRing(specA, specB);
    const stored = encryptWith(ring, "client-secret-value", clientSecret7);
    const parts = stored.split(".");
    expect(() => decryptWith(ring, [...parts.slice(0, 4), flip(parts[4])].join("."), clientSecret7)).toThrow(DecryptionError);
    expect(() => decryptWith(ring, [...parts.slice(0, 3), flip(parts[3]), parts[4]].join("."), clientSecret7)).toThrow(DecryptionError);
    // Relabelling the value with another configured key id must not decrypt either.
    expect(() => decryptWith(ring, [parts[0], "b", ...parts.slice(2)].join("."), clientSecret7)).toThrow(DecryptionError);
  });

  it("authenticates the version: a v2 value relabelled v1 reads nowhere", () => {
    const ring = buildKeyRing(specA);
    const stored = encryptWith(ring, "value", access7);
    const asV1 = ["v1", ...stored.split(".").slice(1)].join(".");
    expect(() => decryptUnboundWith(ring, asV1)).toThrow(/failed authentication/);
    expect(() => decryptWith(ring, asV1, access7)).toThrow(DecryptionError);
  });

  it("refuses the unbound v1 form on the normal read path but reads it for re-encryption", () => {
    const ring = buildKeyRing(specA);
    const v1 = encryptUnboundV1(ring, "written-by-an-earlier-release");
    expect(formatOf(v1)).toBe("v1");
    expect(keyIdOf(v1)).toBe("a");
    expect(() => decryptWith(ring, v1, refresh7)).toThrow(/unbound v1 format.*npm run rekey/);
    expect(() => decryptWith(ring, v1, refresh7)).toThrow(expect.objectContaining({ reason: "unbound" }));
    expect(decryptUnboundWith(ring, v1)).toBe("written-by-an-earlier-release");
    const parts = v1.split(".");
    expect(() => decryptUnboundWith(ring, [...parts.slice(0, 4), flip(parts[4])].join("."))).toThrow(DecryptionError);
    // The re-encryption entry point takes v1 only: it cannot be used to skip a v2 binding.
    expect(() => decryptUnboundWith(ring, encryptWith(ring, "x", refresh7))).toThrow(/Not a v1 value/);
  });

  it("rejects a value under the wrong key", () => {
    const stored = encryptWith(buildKeyRing(specA), "value", refresh7);
    const other = buildKeyRing(`a:${generateKeySpec("x").split(":")[1]}`);
    expect(() => decryptWith(other, stored, refresh7)).toThrow(/failed authentication/);
  });

  it("reads a value written under an old key id once that key is configured", () => {
    const old = encryptWith(buildKeyRing(specA), "written-before-rotation", refresh7);
    expect(() => decryptWith(buildKeyRing(specB), old, refresh7)).toThrow(/key "a", which is not configured/);
    const rotated = buildKeyRing(specB, specA);
    expect(decryptWith(rotated, old, refresh7)).toBe("written-before-rotation");
    const fresh = encryptWith(rotated, "new", refresh7);
    expect(keyIdOf(fresh)).toBe("b");
    // The binding holds across keys too.
    expect(() => decryptWith(rotated, old, refresh8)).toThrow(DecryptionError);
  });

  it("names what is not an encrypted value, and refuses places that could be confused", () => {
    const ring = buildKeyRing(specA);
    expect(() => decryptWith(ring, "plain text", refresh7)).toThrow(expect.objectContaining({ reason: "malformed" }));
    expect(formatOf("v3.a.b.c.d")).toBeNull();
    expect(() => encryptWith(ring, "x", { ...refresh7, table: "connections.refresh_token_enc" })).toThrow(/table and column/);
    expect(() => encryptWith(ring, "x", { ...refresh7, rowId: 0 })).toThrow(/positive integer row id/);
    expect(() => encryptWith(ring, "x", { ...refresh7, rowId: 1.5 })).toThrow(/positive integer row id/);
  });

  it("explains a malformed key specification", () => {
    expect(() => buildKeyRing("nokey")).toThrow(/ENCRYPTION_KEY must look like/);
    expect(() => buildKeyRing("k1:c2hvcnQ=")).toThrow(/32 bytes/);
    // A rotation that reuses the active id would leave the old values unreadable.
    expect(() => buildKeyRing(generateKeySpec("k1"), generateKeySpec("k1"))).toThrow(/key id "k1" is already used/);
    expect(buildKeyRing(specA, `${specA},${specB}`).keys.size).toBe(2);
  });
});
