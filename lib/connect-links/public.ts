import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connectLinks, users, type ConnectLinkKind, type ConnectLinkRow, type ConnectLinkState } from "@/db/schema";
import type { AccessType, DcLocation } from "@/lib/zoho";
import { auditLink, ownerActor } from "./audit";
import { expireIfDue } from "./expiry";
import { hashLinkToken, looksLikeLinkToken } from "./token";
import { effectiveState } from "./view";

/**
 * What the public pages may know of a link, found by its token: what it asks for and who asks.
 * No client id or secret, no other connection, nothing of the console beyond the creator's name.
 */
export interface PublicLinkView {
  id: number;
  kind: ConnectLinkKind;
  state: ConnectLinkState;
  scopes: string[];
  accessType: AccessType;
  startLocation: DcLocation;
  expiresAt: number;
  /** The creator's display name; null when that user was deleted since. */
  requestedBy: string | null;
  expectedEmail: string | null;
}

function toView(row: ConnectLinkRow, requestedBy: string | null, now: number): PublicLinkView {
  return {
    id: row.id,
    kind: row.kind,
    state: effectiveState(row, now),
    scopes: row.scopes,
    accessType: row.accessType,
    startLocation: row.startLocation as DcLocation,
    expiresAt: row.expiresAt.getTime(),
    requestedBy,
    expectedEmail: row.expectedEmail,
  };
}

async function rowByToken(token: string): Promise<{ row: ConnectLinkRow; requestedBy: string | null } | undefined> {
  if (!looksLikeLinkToken(token)) return undefined;
  const [found] = await getDb()
    .select({ row: connectLinks, requestedBy: users.name })
    .from(connectLinks)
    .leftJoin(users, eq(users.id, connectLinks.createdBy))
    .where(eq(connectLinks.tokenHash, hashLinkToken(token)));
  return found;
}

/** The link a token names, with its state as of `now` (expired by time included); reads only. */
export async function linkByToken(token: string, now = Date.now()): Promise<PublicLinkView | undefined> {
  const found = await rowByToken(token);
  return found ? toView(found.row, found.requestedBy, now) : undefined;
}

/** How a public page answers a token: the link's landing page, or why there is none. */
export type OpenResult =
  | { status: "open"; link: PublicLinkView }
  | { status: "used" | "expired" | "revoked" | "failed"; link: PublicLinkView }
  | { status: "unknown" };

const ENDED: Record<Exclude<ConnectLinkState, "waiting" | "opened" | "consent_started">, Exclude<OpenResult["status"], "open" | "unknown">> = {
  completed: "used",
  expired: "expired",
  revoked: "revoked",
  failed: "failed",
};

type Gate = { ok: true; row: ConnectLinkRow; requestedBy: string | null } | { ok: false; result: Exclude<OpenResult, { status: "open" }> };

/**
 * Finds the link a public request names, expires it if its time has passed, and records and
 * answers a request for an unknown or ended link. `step` is what the request tried.
 */
export async function gateLink(token: string, step: "open" | "consent_start", ip: string | null, now: number): Promise<Gate> {
  const found = await rowByToken(token);
  if (!found) {
    await auditLink({ actor: ownerActor, step, linkId: null, outcome: "denied", detail: { reason: "unknown_link" }, ip });
    return { ok: false, result: { status: "unknown" } };
  }
  const row = await expireIfDue(found.row, now);
  if (row.state === "waiting" || row.state === "opened" || row.state === "consent_started") return { ok: true, row, requestedBy: found.requestedBy };
  const status = ENDED[row.state];
  await auditLink({ actor: ownerActor, step, linkId: row.id, outcome: "denied", detail: { reason: status }, ip });
  return { ok: false, result: { status, link: toView(row, found.requestedBy, now) } };
}

/**
 * A browser opened the link. The first open moves it from waiting to opened; opening never
 * consumes it (mail scanners and chat previews open links too), only Continue does. Every open
 * is recorded under the link, folded per address and minute.
 */
export async function openLink(token: string, ip: string | null, now = Date.now()): Promise<OpenResult> {
  const gate = await gateLink(token, "open", ip, now);
  if (!gate.ok) return gate.result;
  let row = gate.row;
  if (row.state === "waiting") {
    const [opened] = await getDb()
      .update(connectLinks)
      .set({ state: "opened", openedAt: new Date(now), updatedAt: new Date(now) })
      .where(and(eq(connectLinks.id, row.id), eq(connectLinks.state, "waiting")))
      .returning();
    // Another request may have opened it first; either way it is opened now.
    row = opened ?? { ...row, state: "opened" };
  }
  await auditLink({ actor: ownerActor, step: "open", linkId: row.id, detail: { state: row.state }, ip });
  return { status: "open", link: toView(row, gate.requestedBy, now) };
}
