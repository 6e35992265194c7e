import "server-only";
import { ClientSecretUnreadable, getClientCredentials, type ClientCredentials } from "@/lib/clients";
import { DecryptionError, formatOf, keyIdOf } from "@/lib/crypto";
import { decryptSecret, keyRing, type SecretPlace } from "@/lib/secrets";
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
  const known = !!id && keyRing().keys.has(id);
  if (id && known && formatOf(stored) === "v1") {
    // The upgrade at start (and `npm run rekey`) rewrites these; one left over failed to write.
    return new TokenError("key_missing", `The stored ${what} is still in the old unbound format, which is no longer read.`, {
      advice: `Run "npm run rekey" (or restart the console) to upgrade it, ${remedy}.`,
    });
  }
  if (id && known) {
    // Bound to table, column and row: a value copied from elsewhere fails exactly like altered data.
    return new TokenError(
      "key_missing",
      `The stored ${what} does not belong here or cannot be read: it does not decrypt with the configured key "${id}" for this record (copied from another record or column, altered, or different key material under the same id).`,
      { advice: `Nothing was sent to Zoho with it. Store a fresh value: ${remedy.replace(/^or /, "")}.` },
    );
  }
  const message = !id
    ? `The stored ${what} is not a value this console encrypted, so it cannot be read.`
    : `The stored ${what} is encrypted under key "${id}", which is not configured.`;
  return new TokenError("key_missing", message, { advice: `${RESTORE}, ${remedy}.` });
}

/** Decrypts a stored value, turning a missing or wrong key into a `key_missing` TokenError. */
export function decryptStored(stored: string, place: SecretPlace, what: string, remedy?: string): string {
  try {
    return decryptSecret(stored, place);
  } catch (e) {
    if (e instanceof DecryptionError) throw keyMissingError(what, stored, remedy);
    throw e;
  }
}

/** The decrypted value, or undefined when its key is gone. */
export function tryDecrypt(stored: string, place: SecretPlace): string | undefined {
  try {
    return decryptSecret(stored, place);
  } catch (e) {
    if (e instanceof DecryptionError) return undefined;
    throw e;
  }
}

/** The client's credentials; a secret whose key is gone is a `key_missing` TokenError. */
export async function clientCredentialsOf(clientRef: number): Promise<ClientCredentials> {
  let client: ClientCredentials | undefined;
  try {
    client = await getClientCredentials(clientRef);
  } catch (e) {
    if (!(e instanceof ClientSecretUnreadable)) throw e;
    throw keyMissingError("client secret of this connection's Zoho client", e.stored, "or enter the client secret again");
  }
  if (!client) throw new TokenError("not_found", "The Zoho client of this connection no longer exists.");
  return client;
}
