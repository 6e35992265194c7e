import "server-only";
import { actorOf, recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { getClientCredentials } from "@/lib/clients";
import { loadConnection } from "@/lib/connections/queries";
import { UserError } from "@/lib/errors";
import { realmBase, redirectUri } from "@/lib/realm";
import { buildAuthorizationUrl, consentStartDc, formatScopeString, type AccessType } from "@/lib/zoho";
import { createAttempt } from "./attempts";
import { evictionRisks, reconnectEvictions, REFRESH_TOKEN_CAP } from "./budget";
import { withProfile } from "./schemas";

interface AuthorizeRequest {
  clientRef: number;
  scopes: string[];
  accessType: AccessType;
  name: string;
  reconnectId?: number;
  /** The person confirmed that this consent may cost a connection Zoho's refresh-token budget. */
  acceptEviction?: boolean;
}

const EVICTION_FIELD = "acceptEviction";

/**
 * Zoho keeps 20 refresh tokens per user and client and silently drops the oldest at the 21st
 * consent. An offline consent that would cost a connection goes ahead only once the person has
 * confirmed it, naming the connection (a retry, which cannot ask, says where to confirm).
 */
async function guardEvictions(req: AuthorizeRequest, costs: { who: string | null; connection: { id: number; name: string } }[]) {
  if (req.accessType !== "offline" || req.acceptEviction || costs.length === 0) return;
  const list = costs.map((c) => `“${c.connection.name}” (#${c.connection.id})${c.who ? ` if ${c.who} consents` : ""}`).join("; ");
  throw new UserError(
    `This consent makes Zoho drop the refresh token of ${list}: Zoho keeps ${REFRESH_TOKEN_CAP} per user and client. Confirm that this is intended before authorizing.`,
    EVICTION_FIELD,
  );
}

/**
 * Records an attempt and returns Zoho's consent URL: the client's home DC, or the US accounts
 * server for a multi-DC client (Zoho forwards the user to their own DC). Offline always sends
 * `prompt=consent`, else Zoho returns no refresh token after the first consent.
 */
export async function startAuthorization(user: SessionUser, req: AuthorizeRequest, ip: string | null): Promise<{ url: string; attemptId: number }> {
  const client = await getClientCredentials(req.clientRef);
  if (!client) throw new UserError("This client no longer exists.", "clientRef");
  if (client.clientType !== "server") {
    throw new UserError("Self clients have no consent page: exchange a code from Zoho's API console instead.", "clientRef");
  }
  if (!req.reconnectId) {
    const full = (await evictionRisks(client.id)).filter((r) => r.used >= REFRESH_TOKEN_CAP);
    await guardEvictions(req, full.map((r) => ({ who: r.zohoEmail ?? `ZUID ${r.zuid}`, connection: r.oldest })));
  }
  const scope = formatScopeString(req.scopes);
  const { state, attempt } = await createAttempt({
    userId: user.id,
    clientRef: client.id,
    scopes: scope.split(","),
    accessType: req.accessType,
    connectionName: req.name,
    reconnectId: req.reconnectId ?? null,
  });
  const url = buildAuthorizationUrl({
    accountsServer: consentStartDc(client, realmBase(client.realm)).accountsServer,
    clientId: client.clientId,
    redirectUri: redirectUri(),
    scopes: scope,
    accessType: req.accessType,
    state,
    ...(req.accessType === "offline" ? { prompt: "consent" as const } : {}),
  });
  await recordAudit({
    actor: actorOf(user),
    action: req.reconnectId ? "connection.reconnect_start" : "connection.authorize_start",
    target: req.reconnectId ? { type: "connection", id: req.reconnectId } : { type: "oauth_attempt", id: attempt.id },
    detail: { client: client.id, clientName: client.name, scopes: attempt.scopes, accessType: req.accessType, name: req.name },
    ip,
  });
  return { url, attemptId: attempt.id };
}

/** A reconnect must ask who consents when the connection knows its Zoho user, to refuse any other. */
export const reconnectNeedsProfile = (conn: { zuid: string | null }) => !!conn.zuid;

/**
 * A reconnect keeps the connection's client, name and access type; only the scopes may change.
 * The profile scope stays in whatever the form sent when the connection has a Zoho user.
 * A revoked connection may be authorized again in place: same id, binding and history, new tokens.
 */
export async function startReconnect(user: SessionUser, connectionId: number, scopes: string[], ip: string | null, opts: { acceptEviction?: boolean } = {}) {
  const conn = await loadConnection(connectionId);
  if (!conn) throw new UserError("This connection no longer exists.");
  const req: AuthorizeRequest = {
    clientRef: conn.clientRef,
    scopes: reconnectNeedsProfile(conn) ? withProfile(scopes, true) : scopes,
    accessType: conn.accessType,
    name: conn.name,
    reconnectId: conn.id,
    acceptEviction: opts.acceptEviction,
  };
  await guardEvictions(req, (await reconnectEvictions(conn)).map((connection) => ({ who: null, connection })));
  return startAuthorization(user, req, ip);
}
