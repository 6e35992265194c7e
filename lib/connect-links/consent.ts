import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connectLinks } from "@/db/schema";
import { getClientCredentials } from "@/lib/clients";
import { createAttempt } from "@/lib/authorization/attempts";
import { realmDataCentre, redirectUri } from "@/lib/realm";
import { buildAuthorizationUrl, formatScopeString, type DcLocation } from "@/lib/zoho";
import { auditLink, ownerActor } from "./audit";
import { gateLink, type OpenResult } from "./public";
import { OPEN_STATES } from "./view";

/**
 * The cookie that ties a link's attempt to the browser that pressed Continue, one per link so
 * two links open in one browser do not overwrite each other. Only its hash is stored.
 */
export const LINK_COOKIE_PREFIX = "zoc_link_";
export const linkNonceCookie = (linkId: number) => `${LINK_COOKIE_PREFIX}${linkId}`;
export const hashNonce = (nonce: string) => createHash("sha256").update(nonce, "utf8").digest("hex");

export type ConsentStart =
  | { status: "redirect"; url: string; linkId: number; nonce: string }
  | Exclude<OpenResult, { status: "open" }>
  /** The link is fine but cannot be used now (its client went, or its creator did). */
  | { status: "unavailable"; linkId: number };

/**
 * The owner pressed Continue: a new authorization attempt bound to the link and to a nonce for
 * this browser, and Zoho's consent URL at the data centre the link fixed. Everything sent to
 * Zoho comes from the link's row; nothing in the request can change it. The link moves to
 * consent_started; pressing again (a second tab, a return after closing Zoho) starts anew.
 */
export async function startLinkConsent(token: string, ip: string | null, now = Date.now()): Promise<ConsentStart> {
  const gate = await gateLink(token, "consent_start", ip, now);
  if (!gate.ok) return gate.result;
  const link = gate.row;
  const client = await getClientCredentials(link.clientRef).catch(() => undefined);
  if (!client || client.clientType !== "server" || link.createdBy === null) {
    await auditLink({ actor: ownerActor, step: "consent_start", linkId: link.id, outcome: "failure", detail: { reason: client ? "creator_missing" : "client_unusable" }, ip });
    return { status: "unavailable", linkId: link.id };
  }
  const nonce = randomBytes(32).toString("base64url");
  const { state, attempt } = await createAttempt(
    {
      // The attempt's user is the link's creator: the person on whose behalf it runs.
      userId: link.createdBy,
      clientRef: link.clientRef,
      scopes: link.scopes,
      accessType: link.accessType,
      connectionName: link.connectionName,
      reconnectId: link.connectionRef,
      linkRef: link.id,
      linkNonceHash: hashNonce(nonce),
    },
    now,
  );
  await getDb()
    .update(connectLinks)
    .set({ state: "consent_started", consentStartedAt: sql`coalesce(${connectLinks.consentStartedAt}, ${now})`, updatedAt: new Date(now) })
    .where(and(eq(connectLinks.id, link.id), inArray(connectLinks.state, [...OPEN_STATES])));
  await auditLink({ actor: ownerActor, step: "consent_start", linkId: link.id, detail: { attempt: attempt.id, location: link.startLocation }, ip });
  const url = buildAuthorizationUrl({
    accountsServer: realmDataCentre(client.realm, link.startLocation as DcLocation).accountsServer,
    clientId: client.clientId,
    redirectUri: redirectUri(),
    scopes: formatScopeString(link.scopes),
    accessType: link.accessType,
    state,
    ...(link.accessType === "offline" ? { prompt: "consent" as const } : {}),
  });
  return { status: "redirect", url, linkId: link.id, nonce };
}
