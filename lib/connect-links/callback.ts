import "server-only";
import { timingSafeEqual } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { connectLinks, type OauthAttemptRow } from "@/db/schema";
import type { Actor } from "@/lib/audit";
import { claimLinkAttempt, saveOutcome } from "@/lib/authorization/attempts";
import type { FlowFailure } from "@/lib/authorization/failures";
import { auditCallbackFailure, redeemClaimed } from "@/lib/authorization/redeem-claimed";
import { loadConnection } from "@/lib/connections/queries";
import { noteRequest } from "@/lib/log";
import { noteLinkCompleted } from "./alerts";
import { auditLink, ownerActor } from "./audit";
import { hashNonce, linkNonceCookie } from "./consent";
import { expireIfDue } from "./expiry";
import { isOpenState, OPEN_STATES } from "./view";

interface LinkCallbackRequest {
  /** The attempt the callback's state names; it carries a link_ref. */
  attempt: OauthAttemptRow;
  params: URLSearchParams;
  /** The request's cookies by name, as plain values. */
  cookies: Readonly<Record<string, string>>;
  ip: string | null;
  now?: number;
}

/**
 * The owner's pages after Zoho: both read the link by id and show it only to the browser holding
 * its nonce cookie, so the id in the path grants nothing. Never a console page.
 */
export const linkDonePath = (linkId: number) => `/connect/done/${linkId}`;
export const linkOrganisationPath = (linkId: number) => `/connect/organisation/${linkId}`;

/** Does the browser's cookie hold the nonce whose hash the attempt keeps? */
export function nonceMatches(cookie: string | undefined, storedHash: string | null): boolean {
  if (!cookie || !storedHash) return false;
  const given = Buffer.from(hashNonce(cookie), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The connect link's own actor in the connection's and the attempt's trail: no console user. */
export const linkActor = (linkId: number): Actor => ({ type: "system", label: `connect link #${linkId}` });

/** Ends an open link as failed, once, and records why. */
async function failLink(linkId: number, reason: string, ip: string | null, now: number, detail: Record<string, unknown> = {}) {
  await tx(async (db) => {
    const [failed] = await db
      .update(connectLinks)
      .set({ state: "failed", stateReason: reason, updatedAt: new Date(now) })
      .where(and(eq(connectLinks.id, linkId), inArray(connectLinks.state, [...OPEN_STATES])))
      .returning({ id: connectLinks.id });
    await auditLink({ actor: ownerActor, step: "fail", linkId, outcome: "failure", detail: { reason, ...detail, ...(failed ? {} : { linkAlreadyEnded: true }) }, ip }, db);
  });
}

/** A refusal that leaves the link as it is: a replay, or a browser that did not start it. */
const refuse = (linkId: number, reason: string, ip: string | null, detail: Record<string, unknown> = {}) =>
  auditLink({ actor: ownerActor, step: "fail", linkId, outcome: "denied", detail: { reason, ...detail }, ip });

/**
 * Zoho's redirect back for a connect link's attempt. The attempt must be unused and unexpired
 * and the browser must hold the link's nonce (its sha256 is on the attempt); the link must still
 * be open. Then the same checks and exchange as for a console user, under the link's actor. The
 * link completes exactly once (a conditional update from consent_started); any failure of its
 * own consent ends it as failed with the reason. A replay, or a browser without the nonce, is
 * refused and recorded but leaves the link alone: neither is its owner, who may still finish.
 */
export async function handleLinkCallback(req: LinkCallbackRequest): Promise<{ location: string }> {
  const { attempt, params, cookies, ip } = req;
  const now = req.now ?? Date.now();
  const linkId = attempt.linkRef!;
  const actor = linkActor(linkId);
  const done = { location: linkDonePath(linkId) };

  if (attempt.usedAt) {
    await auditCallbackFailure(actor, ip, "used_state", { attemptId: attempt.id, fold: true });
    await refuse(linkId, "used_state", ip, { attempt: attempt.id });
    return done;
  }
  const fromOwner = nonceMatches(cookies[linkNonceCookie(linkId)], attempt.linkNonceHash);
  const failure: FlowFailure | null = !fromOwner ? "link_browser_mismatch" : attempt.expiresAt.getTime() <= now ? "expired_state" : null;
  // Burnt before anything else happens, a refused one too: its code is suspect now.
  const claimed = await claimLinkAttempt(attempt.id, failure, now);
  if (!claimed) {
    await auditCallbackFailure(actor, ip, "used_state", { attemptId: attempt.id, fold: true });
    await refuse(linkId, "used_state", ip, { attempt: attempt.id });
    return done;
  }
  if (failure) {
    await auditCallbackFailure(actor, ip, failure, { extra: { cookie: cookies[linkNonceCookie(linkId)] ? "wrong" : "missing" }, attemptId: attempt.id });
    if (failure === "link_browser_mismatch") await refuse(linkId, failure, ip, { attempt: attempt.id });
    else await failLink(linkId, failure, ip, now, { attempt: attempt.id });
    return done;
  }

  const [row] = await getDb().select().from(connectLinks).where(eq(connectLinks.id, linkId));
  const link = row ? await expireIfDue(row, now) : undefined;
  if (!link || !isOpenState(link.state)) {
    await saveOutcome(attempt.id, { status: "failed", code: "link_ended" });
    await auditCallbackFailure(actor, ip, "link_ended", { extra: { linkState: link?.state ?? "deleted" }, attemptId: attempt.id });
    if (link) await refuse(linkId, `link_${link.state}`, ip, { attempt: attempt.id });
    return done;
  }

  const result = await redeemClaimed(claimed, params, actor, ip, { expectedEmail: link.expectedEmail, link: linkId });
  if (!result.ok) {
    await failLink(linkId, result.code ?? "internal", ip, now, { attempt: attempt.id });
    return done;
  }
  const { connectionId, needsBinding } = result.outcome;
  noteRequest({ attemptId: attempt.id, connectionId });
  const connection = await loadConnection(connectionId);
  const zoho = { zuid: connection?.zuid ?? null, email: connection?.zohoEmail ?? null };
  const completed = await tx(async (db) => {
    const [row] = await db
      .update(connectLinks)
      .set({
        state: "completed",
        stateReason: null,
        completedAt: new Date(now),
        completedZuid: zoho.zuid,
        completedEmail: zoho.email,
        resultConnectionRef: connectionId,
        updatedAt: new Date(now),
      })
      .where(and(eq(connectLinks.id, linkId), eq(connectLinks.state, "consent_started")))
      .returning();
    if (row) {
      // The owner is recorded as the Zoho user who consented.
      const owner: Actor = { type: "anonymous", label: zoho.email ?? (zoho.zuid ? `Zoho user ${zoho.zuid}` : "unknown Zoho user") };
      await auditLink({ actor: owner, step: "complete", linkId, detail: { attempt: attempt.id, connection: connectionId, zuid: zoho.zuid, zohoEmail: zoho.email }, ip }, db);
      await noteLinkCompleted(db, row, connectionId);
    }
    return !!row;
  });
  if (!completed) {
    // Revoked or expired while Zoho's page was open: the connection stands, the trail says so.
    await refuse(linkId, "link_ended_during_consent", ip, { attempt: attempt.id, connection: connectionId });
    return done;
  }
  return needsBinding.length > 0 ? { location: linkOrganisationPath(linkId) } : done;
}
