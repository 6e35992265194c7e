import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { zohoClients } from "@/db/schema";
import { getClientCredentials, type ClientCredentials } from "@/lib/clients";
import { DecryptionError, keyIdOf } from "@/lib/crypto";
import { decryptSecret, keyRing } from "@/lib/secrets";
import { TokenError } from "./errors";

/** A connection whose stored token cannot be decrypted is retried this rarely, not every tick. */
export const KEY_MISSING_RETRY_MS = 60 * 60_000;

const RESTORE = "Add the key to ENCRYPTION_KEYS_PREVIOUS";

/**
 * Why a stored value cannot be read, naming the key it was written under (never the value).
 * `what` names the value ("refresh token", "client secret"); `remedy` what else fixes it.
 */
export function keyMissingError(what: string, stored: string, remedy = "or reconnect"): TokenError {
  const id = keyIdOf(stored);
  const message = !id
    ? `The stored ${what} is not a value this console encrypted, so it cannot be read.`
    : keyRing().keys.has(id)
      ? `The stored ${what} does not decrypt with the configured key "${id}" (different key material under the same id, or altered data).`
      : `The stored ${what} is encrypted under key "${id}", which is not configured.`;
  return new TokenError("key_missing", message, { advice: `${RESTORE}, ${remedy}.` });
}

/** Decrypts a stored value, turning a missing or wrong key into a `key_missing` TokenError. */
export function decryptStored(stored: string, what: string, remedy?: string): string {
  try {
    return decryptSecret(stored);
  } catch (e) {
    if (e instanceof DecryptionError) throw keyMissingError(what, stored, remedy);
    throw e;
  }
}

/** The decrypted value, or undefined when its key is gone. */
export function tryDecrypt(stored: string): string | undefined {
  try {
    return decryptSecret(stored);
  } catch (e) {
    if (e instanceof DecryptionError) return undefined;
    throw e;
  }
}

/** The client's credentials; a secret whose key is gone is a `key_missing` TokenError. */
export function clientCredentialsOf(clientRef: number): ClientCredentials {
  let client: ClientCredentials | undefined;
  try {
    client = getClientCredentials(clientRef);
  } catch (e) {
    if (!(e instanceof DecryptionError)) throw e;
    const row = getDb().select({ secretEnc: zohoClients.secretEnc }).from(zohoClients).where(eq(zohoClients.id, clientRef)).get();
    throw keyMissingError("client secret of this connection's Zoho client", row?.secretEnc ?? "", "or enter the client secret again");
  }
  if (!client) throw new TokenError("not_found", "The Zoho client of this connection no longer exists.");
  return client;
}
