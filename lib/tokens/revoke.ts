import "server-only";
import { tx } from "@/db/client";
import { recordAudit, type Actor } from "@/lib/audit";
import { loadConnection } from "@/lib/connections/queries";
import { config } from "@/lib/config";
import { secretPlace } from "@/lib/secrets";
import { hostOf, ZohoError } from "@/lib/zoho";
import { inflight, revokeAtZoho, writeIfUnchanged } from "./engine";
import { TokenError } from "./errors";
import { keyMissingError, tryDecrypt } from "./keys";
import { endAllLives } from "./lives";
import { withLease } from "./lease";
import { noteRevoked } from "@/lib/alerts/incidents";

interface RevokeOutcome {
  /** False when Zoho no longer knew the token (already revoked there): nothing was left to kill. */
  zohoKnewIt: boolean;
}

const CONNECTED_APPS =
  "It may still be live at Zoho: remove this app under Connected Apps in the Zoho account (accounts.zoho.com, Connected Apps) to revoke it there.";

/**
 * Revokes the connection at its own accounts server, then wipes the stored tokens and keeps the
 * row for history. When Zoho cannot be reached or refuses, nothing changes here.
 *
 * Only the tokens that were revoked are wiped: when a reconnect stored new ones meanwhile, they
 * stay and a `reconnected` TokenError says to revoke again. When the stored token cannot be
 * decrypted (its key is gone) it cannot be revoked at Zoho: the tokens are forgotten locally
 * (wiped, connection marked revoked) and a `key_missing` TokenError says so plainly.
 */
export async function revokeConnection(id: number, actor: Actor): Promise<RevokeOutcome> {
  const first = await loadConnection(id);
  if (!first) throw new TokenError("not_found", "This connection does not exist.");
  if (first.revokedAt) throw new TokenError("revoked", "This connection is already revoked.");
  // Let a refresh in flight finish so it cannot write a token after the wipe.
  await inflight.get(id)?.catch(() => undefined);
  const ttlMs = config().ZOHO_HTTP_TIMEOUT_MS + 10_000;
  return withLease(id, { ttlMs, busyMessage: "A refresh of this connection is still running. Try again shortly." }, async () => {
    const row = (await loadConnection(id))!;
    if (row.revokedAt) throw new TokenError("revoked", "This connection is already revoked.");
    // Revoking the refresh token kills every access token minted from it.
    const stored = row.refreshTokenEnc ?? row.accessTokenEnc;
    const revoked = row.refreshTokenEnc ? "refresh_token" : "access_token";
    const what = revoked.replace("_", " ");
    const token = stored ? tryDecrypt(stored, secretPlace[row.refreshTokenEnc ? "refreshToken" : "accessToken"](row.id)) : undefined;
    const unreadable = stored && token === undefined ? keyMissingError(what, stored) : undefined;
    let zohoKnewIt = false;
    if (token !== undefined) {
      try {
        await revokeAtZoho(row, token);
        zohoKnewIt = true;
      } catch (e) {
        if (!(e instanceof ZohoError)) throw e;
        if (e.kind !== "unknown_token") {
          await recordAudit({
            actor,
            action: "connection.revoke",
            target: { type: "connection", id },
            outcome: "failure",
            detail: { name: row.name, errorKind: e.kind, error: e.userMessage },
          });
          throw new TokenError("zoho", `${e.userMessage} Nothing was changed: the tokens are still stored and still live at Zoho.`, {
            advice: e.advice,
            zohoKind: e.kind,
          });
        }
      }
    }
    const now = new Date();
    // A reconnect does not take the lease: wipe only the tokens this revoke started from.
    const wiped = await tx(async (db) => {
      const done = await writeIfUnchanged(
        row,
        { accessTokenEnc: null, refreshTokenEnc: null, revokedAt: now, nextRetryAt: null, keepFresh: false, updatedAt: now },
        db,
      );
      if (done) {
        await endAllLives([id], "revoked", now.getTime(), db);
        await noteRevoked(db, row);
      }
      return done;
    });
    const detail = { name: row.name, accountsServer: hostOf(row.accountsServer), zohoKnewIt, revoked };
    const record = (outcome: "success" | "failure", extra: Record<string, unknown> = {}) =>
      recordAudit({ actor, action: "connection.revoke", target: { type: "connection", id }, outcome, detail: { ...detail, ...extra } });
    if (!wiped) {
      await record("failure", { reconnectedMeanwhile: true, wiped: false });
      throw new TokenError(
        "reconnected",
        "The connection was re-authorized while revoking: its new tokens were kept, not wiped, and are live at Zoho. Revoke again to revoke them.",
      );
    }
    if (unreadable) {
      const note = `Could not be revoked at Zoho: ${unreadable.message} Forgotten locally only. ${CONNECTED_APPS}`;
      await record("failure", { forgottenLocally: true, revokedAtZoho: false, note });
      throw new TokenError(
        "key_missing",
        `Forgotten locally: the stored tokens were wiped and the connection is marked revoked, but the ${what} could not be revoked at Zoho. ${unreadable.message}`,
        { advice: CONNECTED_APPS },
      );
    }
    await record("success");
    return { zohoKnewIt };
  });
}
