import "server-only";
import { createHash, randomBytes } from "node:crypto";

const API_KEY_PREFIX = "zoc_";
/** 32 random bytes, base64url: 43 characters after the prefix. */
const KEY_BYTES = 32;
const KEY_SHAPE = /^zoc_[A-Za-z0-9_-]{43,200}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(KEY_BYTES).toString("base64url");
}

/**
 * Keys are looked up by this hash, so no comparison of the key itself ever happens; a
 * random 256-bit key needs no slow hash.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What the list shows: the prefix and the first six random characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

/** The key from `Authorization: Bearer zoc_…`, or undefined when the header holds none. */
export function bearerKey(header: string | null): string | undefined {
  if (!header) return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
