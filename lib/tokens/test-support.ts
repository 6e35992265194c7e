/**
 * Helpers for the token tests: a reconnect landing while a refresh or revoke is in flight, and
 * values encrypted under a key the console does not have. Test-only; nothing in the app imports it.
 */
import { eq } from "drizzle-orm";
import { CLEARED_AFTER_CONSENT } from "@/lib/connections/cleared";
import { vi } from "vitest";
import { buildKeyRing, encryptWith, generateKeySpec, type SecretPlace } from "@/lib/crypto";
import { decryptSecret, encryptSecret, secretPlace } from "@/lib/secrets";
import type { SandboxHarness } from "@/test/sandbox-harness";

/** The id of the key that the console under test does not know. */
export const MISSING_KEY_ID = "gone";
const missingRing = buildKeyRing(generateKeySpec(MISSING_KEY_ID));

/** A stored value as an earlier key (since dropped from the configuration) would have written it. */
export const encryptUnderMissingKey = (plaintext: string, place: SecretPlace) => encryptWith(missingRing, plaintext, place);

const bodyOf = (init?: RequestInit) => (init?.body === undefined || init.body === null ? "" : String(init.body));

/**
 * Runs `meanwhile` once, after the console has sent its next refresh (or revoke) request and
 * before the sandbox sees it: the engine has loaded the row and is waiting on Zoho.
 */
export function onNextZohoCall(kind: "refresh" | "revoke", meanwhile: () => Promise<void> | void) {
  const real = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const hit = kind === "revoke" ? url.includes("/oauth/v2/token/revoke") : url.includes("/oauth/v2/token") && bodyOf(init).includes("grant_type=refresh_token");
    if (hit) {
      spy.mockRestore();
      await meanwhile();
    }
    return real(input, init);
  });
  return spy;
}

/**
 * What a reconnect's callback writes (see lib/authorization/persist.ts), without the lease: the tokens
 * of `donor`, a second connection holding real sandbox tokens, replace those of `id`. Returns
 * the row of `id` as written.
 */
export async function reconnectWithTokensOf(h: SandboxHarness, id: number, donor: number) {
  const c = h.schema.connections;
  const [src] = await h.db.select().from(c).where(eq(c.id, donor));
  // The donor's ciphertexts are bound to its row: a reconnect writes the tokens sealed anew.
  const reseal = (enc: string | null, place: (id: number) => SecretPlace) =>
    enc === null ? null : encryptSecret(decryptSecret(enc, place(donor)), place(id));
  const [written] = await h.db
    .update(c)
    .set({
      location: src.location,
      accountsServer: src.accountsServer,
      apiDomain: src.apiDomain,
      accessTokenEnc: reseal(src.accessTokenEnc, secretPlace.accessToken),
      accessTokenLast4: src.accessTokenLast4,
      accessTokenExpiresAt: src.accessTokenExpiresAt,
      refreshTokenEnc: reseal(src.refreshTokenEnc, secretPlace.refreshToken),
      refreshTokenLast4: src.refreshTokenLast4,
      refreshTokenIssuedAt: src.refreshTokenIssuedAt,
      ...CLEARED_AFTER_CONSENT,
      updatedAt: new Date(),
    })
    .where(eq(c.id, id))
    .returning();
  return written;
}
