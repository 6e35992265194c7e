// Identifiers shaped like Zoho's, so code that validates their form is exercised for real.
import { randomBytes, randomInt } from "node:crypto";

const ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString("hex").slice(0, length);
}

/** Access tokens, refresh tokens and grant codes all look like `1000.<32 hex>.<32 hex>`. */
export function newZohoToken(): string {
  return `1000.${randomHex(32)}.${randomHex(32)}`;
}

export function newClientId(): string {
  let id = "";
  for (let i = 0; i < 30; i++) id += ALNUM_UPPER[randomInt(ALNUM_UPPER.length)];
  return `1000.${id}`;
}

export function newClientSecret(): string {
  return randomHex(42);
}

export function newNumericId(digits = 12): string {
  let id = String(randomInt(1, 10));
  while (id.length < digits) id += String(randomInt(10));
  return id;
}

export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

export const CLIENT_ID_PATTERN = /^1000\.[A-Z0-9]{30}$/;
export const ZOHO_TOKEN_PATTERN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;
