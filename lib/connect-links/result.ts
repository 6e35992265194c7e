import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connectLinks, oauthAttempts, users, type ConnectLinkState } from "@/db/schema";
import { explainFlowFailure, isFlowFailure } from "@/lib/authorization/failures";
import { parseOutcome } from "@/lib/authorization/outcome";
import { hashNonce } from "./consent";
import { effectiveState } from "./view";

/** What the owner's done page may say: this link's end, nothing of the console or a connection. */
export type LinkResult =
  | { status: "not_yours" }
  | {
      status: "completed" | "failed" | "ended" | "pending";
      state: ConnectLinkState;
      requestedBy: string | null;
      /** The Zoho user who consented, on a completed link. */
      completedEmail: string | null;
      /** Why it failed, in plain words, when the attempt says. */
      reason: { title: string; message: string; advice: string } | null;
    };

/**
 * The result of a link for the browser that started it: found through an attempt of that link
 * whose nonce hash matches the browser's cookie, so a link id alone shows nothing.
 */
export async function linkResultForBrowser(linkId: number, nonce: string | undefined, now = Date.now()): Promise<LinkResult> {
  if (!nonce || !Number.isSafeInteger(linkId) || linkId <= 0) return { status: "not_yours" };
  const [attempt] = await getDb()
    .select({ outcome: oauthAttempts.outcome })
    .from(oauthAttempts)
    .where(and(eq(oauthAttempts.linkRef, linkId), eq(oauthAttempts.linkNonceHash, hashNonce(nonce))))
    .orderBy(desc(oauthAttempts.id))
    .limit(1);
  if (!attempt) return { status: "not_yours" };
  const [found] = await getDb()
    .select({ link: connectLinks, requestedBy: users.name })
    .from(connectLinks)
    .leftJoin(users, eq(users.id, connectLinks.createdBy))
    .where(eq(connectLinks.id, linkId));
  if (!found) return { status: "not_yours" };
  const state = effectiveState(found.link, now);
  const outcome = parseOutcome(attempt.outcome);
  const reason = outcome?.status === "failed" && isFlowFailure(outcome.code) ? explainFlowFailure(outcome.code) : outcome?.status === "failed" && outcome.zoho ? { title: outcome.zoho.title, message: outcome.zoho.message, advice: outcome.zoho.advice } : null;
  const status = state === "completed" ? "completed" : state === "failed" ? "failed" : state === "consent_started" && !outcome ? "pending" : "ended";
  return { status, state, requestedBy: found.requestedBy, completedEmail: state === "completed" ? found.link.completedEmail : null, reason };
}
