import "server-only";
import { recordAudit, type UserActor } from "@/lib/audit";
import { refreshConnection } from "@/lib/tokens/engine";
import { isTokenError } from "@/lib/tokens/errors";
import { revokeConnection } from "@/lib/tokens/revoke";
import { verifyConnection, type VerifyRow } from "@/lib/tokens/verify";
import { setKeepFresh } from "./keep-fresh";

// What a person's Refresh, Verify, Revoke and Keep fresh do to one connection, with their audit
// rows: the connection page's buttons and the list's bulk actions both come here. Failures are
// thrown (TokenError, UserError) for the caller to show; refusals before any call to Zoho are
// audited here, Zoho's own answers by the token engine.

export async function refreshOne(connectionId: number, actor: UserActor, ip: string | null): Promise<{ message: string }> {
  try {
    const r = await refreshConnection(connectionId, { trigger: "manual", actor, ignoreBackoff: true });
    return { message: r.refreshed ? "Refreshed: a new access token is stored." : "Another refresh had just finished; its token is in use." };
  } catch (e) {
    if (isTokenError(e) && e.kind !== "zoho") {
      await recordAudit({
        actor,
        action: "connection.refresh",
        target: { type: "connection", id: connectionId },
        outcome: "failure",
        detail: { trigger: "manual", refused: e.kind },
        ip,
      });
    }
    throw e;
  }
}

export async function verifyOne(connectionId: number, actor: UserActor, ip: string | null): Promise<{ message: string; results: VerifyRow[] }> {
  try {
    const results = await verifyConnection(connectionId, actor);
    const bad = results.filter((r) => !r.ok).length;
    return { results, message: bad ? `${bad} of ${results.length} checks failed.` : `All ${results.length} checks passed.` };
  } catch (e) {
    if (isTokenError(e)) {
      await recordAudit({
        actor,
        action: "connection.verify",
        target: { type: "connection", id: connectionId },
        outcome: "failure",
        detail: { refused: e.kind },
        ip,
      });
    }
    throw e;
  }
}

export async function revokeOne(connectionId: number, actor: UserActor): Promise<{ message: string }> {
  const { zohoKnewIt } = await revokeConnection(connectionId, actor);
  return {
    message: zohoKnewIt
      ? "Revoked at Zoho; the stored tokens were wiped."
      : "Zoho no longer knew this token (already revoked there); the stored tokens were wiped.",
  };
}

export async function keepFreshOne(connectionId: number, on: boolean, actor: UserActor, ip: string | null): Promise<{ message: string; changed: boolean }> {
  const r = await setKeepFresh(connectionId, on);
  if (r.changed) {
    await recordAudit({
      actor,
      action: "connection.keep_fresh",
      target: { type: "connection", id: connectionId },
      detail: { before: { keepFresh: !r.keepFresh }, after: { keepFresh: r.keepFresh } },
      ip,
    });
  }
  return {
    changed: r.changed,
    message: r.keepFresh
      ? "Kept fresh: the background refresher renews the access token before it expires."
      : "No longer kept fresh: the access token is renewed only on demand.",
  };
}
