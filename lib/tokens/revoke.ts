import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { config } from "@/lib/config";
import { decryptSecret } from "@/lib/secrets";
import { hostOf, isDcLocation, revokeToken, ZohoError } from "@/lib/zoho";
import { inflight, loadConnection } from "./engine";
import { TokenError } from "./errors";
import { newLeaseOwner, releaseLease, sleep, tryAcquireLease } from "./lease";

export interface RevokeOutcome {
  /** False when Zoho no longer knew the token (already revoked there): nothing was left to kill. */
  zohoKnewIt: boolean;
}

/**
 * Revokes the connection at its own accounts server, then wipes the stored tokens and keeps the
 * row for history. When Zoho cannot be reached or refuses, nothing changes here.
 */
export async function revokeConnection(id: number, actor: Actor): Promise<RevokeOutcome> {
  const first = loadConnection(id);
  if (!first) throw new TokenError("not_found", "This connection does not exist.");
  if (first.revokedAt) throw new TokenError("revoked", "This connection is already revoked.");
  // Let a refresh in flight finish so it cannot write a token after the wipe.
  await inflight.get(id)?.catch(() => undefined);
  const owner = newLeaseOwner();
  const ttl = config().ZOHO_HTTP_TIMEOUT_MS + 10_000;
  const deadline = Date.now() + ttl + 5_000;
  while (!tryAcquireLease(id, owner, ttl)) {
    if (Date.now() > deadline) throw new TokenError("busy", "A refresh of this connection is still running. Try again shortly.");
    await sleep(150);
  }
  try {
    const row = loadConnection(id)!;
    if (row.revokedAt) throw new TokenError("revoked", "This connection is already revoked.");
    // Revoking the refresh token kills every access token minted from it.
    const stored = row.refreshTokenEnc ?? row.accessTokenEnc;
    let zohoKnewIt = false;
    if (stored) {
      try {
        await revokeToken({
          accountsServer: row.accountsServer,
          location: isDcLocation(row.location) ? row.location : undefined,
          token: decryptSecret(stored),
          timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
        });
        zohoKnewIt = true;
      } catch (e) {
        if (!(e instanceof ZohoError)) throw e;
        if (e.kind !== "unknown_token") {
          recordAudit({
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
    getDb()
      .update(connections)
      .set({ accessTokenEnc: null, refreshTokenEnc: null, revokedAt: now, nextRetryAt: null, keepFresh: false, updatedAt: now })
      .where(eq(connections.id, id))
      .run();
    recordAudit({
      actor,
      action: "connection.revoke",
      target: { type: "connection", id },
      detail: { name: row.name, accountsServer: hostOf(row.accountsServer), zohoKnewIt, revoked: row.refreshTokenEnc ? "refresh_token" : "access_token" },
    });
    return { zohoKnewIt };
  } finally {
    releaseLease(id, owner);
  }
}
