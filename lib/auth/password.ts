import "server-only";
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (19 MiB, t=2): OWASP's baseline.
export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a real hash even for unknown emails keeps response times from
// telling an attacker which addresses have accounts.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string) {
  dummy ??= hash("not-a-real-account-password");
  await verifyPassword(await dummy, password);
}

/** A random password for a reset: 144 bits, 24 URL-safe characters, easy to copy whole. */
export const generatePassword = () => randomBytes(18).toString("base64url");
