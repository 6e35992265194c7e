import "server-only";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connectLinks, oauthAttempts, users } from "@/db/schema";
import type { Actor } from "@/lib/audit";
import { discoverForConnection, saveBindingAs } from "@/lib/authorization/binding";
import type { BindingChoice } from "@/lib/authorization/binding-plan";
import { parseOutcome } from "@/lib/authorization/outcome";
import { UserError } from "@/lib/errors";
import { hashNonce } from "./consent";

/**
 * How long after completing a link its owner may still choose the organisation on their page.
 * Long enough to ask a colleague which portal is meant; after that the console's users finish it.
 */
export const ORGANISATION_WINDOW_MS = 60 * 60_000;

export type OwnerConnection =
  | { ok: true; linkId: number; connectionId: number; requestedBy: string | null; actor: Actor }
  | { ok: false; reason: "not_yours" | "closed"; requestedBy: string | null };

/**
 * The one connection a link's owner may bind: the one their own attempt made. The browser must
 * hold the nonce of the attempt that completed the link (not merely of some attempt of it), the
 * link must be completed and still inside its organisation window. The link id in the path grants
 * nothing; no other connection is ever reachable from here.
 */
export async function ownerConnection(linkId: number, nonce: string | undefined, now = Date.now()): Promise<OwnerConnection> {
  if (!nonce || !Number.isSafeInteger(linkId) || linkId <= 0) return { ok: false, reason: "not_yours", requestedBy: null };
  const [found] = await getDb()
    .select({ link: connectLinks, requestedBy: users.name })
    .from(connectLinks)
    .leftJoin(users, eq(users.id, connectLinks.createdBy))
    .where(eq(connectLinks.id, linkId));
  if (!found) return { ok: false, reason: "not_yours", requestedBy: null };
  const { link, requestedBy } = found;
  const [attempt] = await getDb()
    .select({ outcome: oauthAttempts.outcome })
    .from(oauthAttempts)
    .where(and(eq(oauthAttempts.linkRef, linkId), eq(oauthAttempts.linkNonceHash, hashNonce(nonce)), isNotNull(oauthAttempts.usedAt)))
    .orderBy(desc(oauthAttempts.id))
    .limit(1);
  const outcome = parseOutcome(attempt?.outcome);
  const madeIt = outcome?.status === "connected" && link.resultConnectionRef !== null && outcome.connectionId === link.resultConnectionRef;
  if (!madeIt || link.state !== "completed" || !link.completedAt) return { ok: false, reason: "not_yours", requestedBy };
  if (now - link.completedAt.getTime() > ORGANISATION_WINDOW_MS) return { ok: false, reason: "closed", requestedBy };
  const who = link.completedEmail ?? (link.completedZuid ? `Zoho user ${link.completedZuid}` : "Zoho user");
  return {
    ok: true,
    linkId,
    connectionId: link.resultConnectionRef!,
    requestedBy,
    // The Zoho user who consented, through the link. Not "anonymous": those rows fold by address
    // and minute without their target, and every binding must keep its connection.
    actor: { type: "system", label: `${who} through connect link #${linkId}` },
  };
}

/** The organisations the owner may choose from, fetched with their connection's token now. */
export async function ownerDiscovery(owner: Extract<OwnerConnection, { ok: true }>) {
  return discoverForConnection(owner.connectionId, owner.actor);
}

/** Saves the owner's choice on their connection, checked against a discovery made now. */
export async function saveOwnerBinding(linkId: number, nonce: string | undefined, choice: BindingChoice, ip: string | null, now = Date.now()) {
  const owner = await ownerConnection(linkId, nonce, now);
  if (!owner.ok) {
    throw new UserError(
      owner.reason === "closed"
        ? "The time to choose the organisation from this page has passed. Ask the person who sent you the link to choose it in the console."
        : "This browser did not complete this link, so it cannot choose its organisation.",
    );
  }
  return saveBindingAs(owner.actor, owner.connectionId, choice, ip);
}
