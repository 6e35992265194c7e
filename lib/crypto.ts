import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Stored form: v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>
// The key id travels with the value so old values stay readable after a rotation.
const VERSION = "v1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyRing {
  activeId: string;
  keys: Map<string, Buffer>;
}

export class DecryptionError extends Error {
  constructor(message: string) {
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
    if (!keys.has(id)) keys.set(id, key);
  }
  return { activeId, keys };
}

export function generateKeySpec(id = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export function encryptWith(ring: KeyRing, plaintext: string): string {
  const key = ring.keys.get(ring.activeId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}.${ring.activeId}`));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, ring.activeId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptWith(ring: KeyRing, stored: string): string {
  const parts = stored.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptionError("Not an encrypted value");
  const [, keyId, iv, tag, body] = parts;
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new DecryptionError(
      `Encrypted under key "${keyId}", which is not configured; add it to ENCRYPTION_KEYS_PREVIOUS`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError(`Value under key "${keyId}" failed authentication: wrong key or tampered data`);
  }
}

/** Which key a stored value was written under, for re-encryption after a rotation. */
export function keyIdOf(stored: string): string | null {
  const parts = stored.split(".");
  return parts.length === 5 && parts[0] === VERSION ? parts[1] : null;
}
