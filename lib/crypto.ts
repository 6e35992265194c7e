import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Stored form: v2.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>
// The key id travels with the value so old values stay readable after a rotation. The value is
// bound to where it is stored: table, column and row id are authenticated as associated data
// (`v2.<keyId>.<table>.<column>.<rowId>`), so a ciphertext copied into another row, column or
// table fails to decrypt instead of handing one connection's token to another.
//
// v1 (`v1.<keyId>...`, associated data `v1.<keyId>` only) was not bound to a place. It is read
// only by `decryptUnboundWith`, which the re-encryption (lib/rekey.ts) uses to upgrade v1 values
// in place; the normal read path refuses it, or a moved v1 value would bypass the binding.
const VERSION = "v2";
const UNBOUND_VERSION = "v1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const NAME = /^[a-z][a-z0-9_]{0,62}$/;

export interface KeyRing {
  activeId: string;
  keys: Map<string, Buffer>;
}

/** Where a value is stored. Part of the ciphertext: never rename these without re-encrypting. */
export interface SecretPlace {
  table: string;
  column: string;
  rowId: number;
}

/**
 * Why a stored value cannot be read: not a value of this console (`malformed`), the unbound v1
 * form outside re-encryption (`unbound`), a key id that is not configured (`unknown_key`), or
 * authentication failed: wrong key material, altered data, or a value moved from another place.
 */
export type DecryptionFailure = "malformed" | "unbound" | "unknown_key" | "auth_failed";

export class DecryptionError extends Error {
  constructor(
    message: string,
    readonly reason: DecryptionFailure = "auth_failed",
  ) {
    super(message);
    this.name = "DecryptionError";
  }
}

/** Parses `id:base64key`, the form of ENCRYPTION_KEY and each entry of ENCRYPTION_KEYS_PREVIOUS. */
function parseKeySpec(spec: string, variable: string): [string, Buffer] {
  const at = spec.indexOf(":");
  const id = at > 0 ? spec.slice(0, at) : "";
  const material = at > 0 ? spec.slice(at + 1) : "";
  if (!KEY_ID.test(id)) {
    throw new Error(
      `${variable} must look like "<key id>:<base64 of 32 random bytes>"; the key id may use letters, digits, - and _`,
    );
  }
  const key = Buffer.from(material, "base64");
  if (key.length !== 32) {
    throw new Error(`${variable}: key "${id}" must be 32 bytes encoded as base64 (got ${key.length} bytes)`);
  }
  return [id, key];
}

export function buildKeyRing(active: string, previous?: string): KeyRing {
  const [activeId, activeKey] = parseKeySpec(active, "ENCRYPTION_KEY");
  const keys = new Map<string, Buffer>([[activeId, activeKey]]);
  for (const spec of (previous ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [id, key] = parseKeySpec(spec, "ENCRYPTION_KEYS_PREVIOUS");
    const known = keys.get(id);
    // Two keys under one id: values of one of them would fail to decrypt, so refuse to start.
    if (known && !known.equals(key)) {
      throw new Error(`ENCRYPTION_KEYS_PREVIOUS: key id "${id}" is already used by another key; every key needs its own id`);
    }
    keys.set(id, key);
  }
  return { activeId, keys };
}

export function generateKeySpec(id = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

/** The associated data of a v2 value; the checks keep it unambiguous (no dots inside a part). */
function boundAad(keyId: string, place: SecretPlace): Buffer {
  if (!NAME.test(place.table) || !NAME.test(place.column)) {
    throw new Error(`Secret place needs lower-case table and column names, got "${place.table}"."${place.column}"`);
  }
  if (!Number.isSafeInteger(place.rowId) || place.rowId <= 0) {
    throw new Error(`Secret place needs a positive integer row id, got ${place.rowId}`);
  }
  return Buffer.from(`${VERSION}.${keyId}.${place.table}.${place.column}.${place.rowId}`);
}

/** Encrypts under the active key, bound to `place`. */
export function encryptWith(ring: KeyRing, plaintext: string, place: SecretPlace): string {
  const key = ring.keys.get(ring.activeId)!;
  const aad = boundAad(ring.activeId, place);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, ring.activeId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

function parse(stored: string): { version: string; keyId: string; iv: string; tag: string; body: string } | null {
  const parts = stored.split(".");
  if (parts.length !== 5 || (parts[0] !== VERSION && parts[0] !== UNBOUND_VERSION) || !KEY_ID.test(parts[1])) return null;
  const [version, keyId, iv, tag, body] = parts;
  return { version, keyId, iv, tag, body };
}

function open(ring: KeyRing, p: NonNullable<ReturnType<typeof parse>>, aad: Buffer, where: string): string {
  const key = ring.keys.get(p.keyId);
  if (!key) {
    throw new DecryptionError(
      `Encrypted under key "${p.keyId}", which is not configured; add it to ENCRYPTION_KEYS_PREVIOUS`,
      "unknown_key",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(p.iv, "base64url"));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(p.tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(p.body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError(`Value under key "${p.keyId}" failed authentication${where}: wrong key, tampered data, or stored elsewhere`);
  }
}

/** Decrypts a v2 value stored at `place`; anything else (moved, tampered, v1) is a DecryptionError. */
export function decryptWith(ring: KeyRing, stored: string, place: SecretPlace): string {
  const p = parse(stored);
  if (!p) throw new DecryptionError("Not an encrypted value", "malformed");
  if (p.version !== VERSION) {
    throw new DecryptionError(
      `Stored in the unbound ${UNBOUND_VERSION} format, which is read only while re-encrypting; run "npm run rekey"`,
      "unbound",
    );
  }
  return open(ring, p, boundAad(p.keyId, place), ` for ${place.table}.${place.column} of row ${place.rowId}`);
}

/** Re-encryption only: reads a v1 value, which carries no place. */
export function decryptUnboundWith(ring: KeyRing, stored: string): string {
  const p = parse(stored);
  if (!p || p.version !== UNBOUND_VERSION) throw new DecryptionError(`Not a ${UNBOUND_VERSION} value`, "malformed");
  return open(ring, p, Buffer.from(`${UNBOUND_VERSION}.${p.keyId}`), "");
}

/** Which key a stored value was written under, for re-encryption after a rotation. */
export function keyIdOf(stored: string): string | null {
  return parse(stored)?.keyId ?? null;
}

/** The stored form's version: "v2" (bound), "v1" (unbound, to upgrade) or null (not ours). */
export function formatOf(stored: string): "v1" | "v2" | null {
  const p = parse(stored);
  return p ? (p.version as "v1" | "v2") : null;
}
