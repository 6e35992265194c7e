import "server-only";
import { noteAuthorized, noteBudget, noteNeedsReauth } from "@/lib/alerts/incidents";
import { CLEARED_AFTER_CONSENT } from "@/lib/connections/cleared";
import { eq, inArray, or } from "drizzle-orm";
import { tx } from "@/db/client";
import { lockRows } from "@/db/dialect";
import { connections, zohoClients, type ConnectionRow, type OrgBinding } from "@/db/schema";
import { decryptSecret, encryptSecret, secretPlace } from "@/lib/secrets";
import { endAllLives, startAccessLife, startRefreshLife } from "@/lib/tokens/lives";
import type { AccessType, DataCentre, TokenSet, ZohoUserInfo } from "@/lib/zoho";
import { liveRefreshTokenCount, liveTokensOf, markEvictions, REFRESH_TOKEN_CAP } from "./budget";
import type { EvictedConnection } from "./outcome";

/** What a successful code exchange produced, before anything is written. */
export interface Grant {
  tokens: TokenSet;
  dc: DataCentre;
  user?: ZohoUserInfo;
  scopesRequested: string[];
  scopesGranted: string[];
}

interface StoreInput {
  clientRef: number;
  name: string;
  accessType: AccessType;
  createdBy: number;
  /** Replace the tokens of this connection instead of creating one. */
  reconnectId?: number | null;
  /**
   * When the reconnect's consent started: a connection revoked before then is authorized again
   * in place; one revoked after it (while Zoho's page was open) stays revoked.
   */
  attemptStartedAt?: Date;
  grant: Grant;
  binding: OrgBinding;
  /** A self-client code rather than a consent in the browser. */
  selfClient?: boolean;
}

export interface StoreResult {
  connectionId: number;
  evicted: EvictedConnection[];
  budgetUsed: number | null;
  /** The refresh token a reconnect replaced, to revoke at Zoho once the new one is safe. */
  replacedRefreshToken?: string;
  /** The replaced refresh token could not be decrypted (e.g. its key is gone), so it stays live at Zoho. */
  oldRefreshTokenNotRevoked?: true;
}

/** The client was deleted while its consent was under way: nothing can be stored for it. */
export class ClientGone extends Error {
  constructor() {
    super("The Zoho client of this authorization was deleted meanwhile.");
    this.name = "ClientGone";
  }
}

export class ReconnectGone extends Error {
  constructor() {
    super("The connection to reconnect no longer exists or was revoked.");
    this.name = "ReconnectGone";
  }
}

const last4 = (secret: string) => secret.slice(-4);

/** Revoked while the reconnect's consent was under way (or with no start time to compare): refuse. */
export const revokedSince = (conn: Pick<ConnectionRow, "revokedAt">, startedAt: Date | undefined) =>
  !!conn.revokedAt && (!startedAt || conn.revokedAt.getTime() >= startedAt.getTime());

function tokenColumns(tokens: TokenSet, now: Date, keep?: ConnectionRow) {
  const refresh = tokens.refreshToken
    ? { refreshTokenLast4: last4(tokens.refreshToken), refreshTokenIssuedAt: now }
    : keep
      ? // No new refresh token (online consent): a working one is never thrown away.
        { refreshTokenLast4: keep.refreshTokenLast4, refreshTokenIssuedAt: keep.refreshTokenIssuedAt }
      : { refreshTokenLast4: null, refreshTokenIssuedAt: null };
  return {
    accessTokenLast4: last4(tokens.accessToken),
    accessTokenExpiresAt: new Date(now.getTime() + tokens.expiresInSec * 1000),
    ...refresh,
  };
}

/** The ciphertexts, bound to the connection's row: written once its id is known. */
function sealedTokens(connectionId: number, tokens: TokenSet, keep?: ConnectionRow) {
  return {
    accessTokenEnc: encryptSecret(tokens.accessToken, secretPlace.accessToken(connectionId)),
    refreshTokenEnc: tokens.refreshToken
      ? encryptSecret(tokens.refreshToken, secretPlace.refreshToken(connectionId))
      : (keep?.refreshTokenEnc ?? null),
  };
}

/**
 * Best effort: the old refresh token is only needed to revoke it at Zoho. One that cannot be
 * decrypted (its key was dropped, the ciphertext is damaged) must not sink the new consent.
 */
function readOldToken(enc: string, connectionId: number): { token?: string } {
  try {
    return { token: decryptSecret(enc, secretPlace.refreshToken(connectionId)) };
  } catch {
    return {};
  }
}

/**
 * Writes the connection in one transaction with its mint record and the budget bookkeeping.
 * Called only after the exchange (and user info) succeeded, so a failure never leaves a
 * half-written connection behind.
 */
export async function storeConnection(input: StoreInput, now = new Date()): Promise<StoreResult> {
  const { grant } = input;
  const zuid = grant.user?.zuid ?? null;
  return tx(async (db): Promise<StoreResult> => {
    // Locks first, in one order, so that stores of one Zoho user's consents, a refresh or revoke
    // of the connection and the client's deletion wait for each other instead of deadlocking on
    // PostgreSQL: the client (the lock its foreign keys take later anyway), then this connection
    // and every live one of the same Zoho user (whose evictions are counted), by id.
    const newRefresh = !!grant.tokens.refreshToken;
    await lockRows(db, zohoClients, eq(zohoClients.id, input.clientRef), { strength: "key share" });
    if (!(await db.select({ id: zohoClients.id }).from(zohoClients).where(eq(zohoClients.id, input.clientRef))).length) throw new ClientGone();
    const mine = [input.reconnectId ? eq(connections.id, input.reconnectId) : undefined, zuid && newRefresh ? liveTokensOf(input.clientRef, zuid) : undefined].filter(Boolean);
    if (mine.length) await lockRows(db, connections, or(...mine), { orderBy: connections.id });
    let before: ConnectionRow | undefined;
    if (input.reconnectId) {
      [before] = await db.select().from(connections).where(eq(connections.id, input.reconnectId));
      if (!before || before.clientRef !== input.clientRef || revokedSince(before, input.attemptStartedAt)) throw new ReconnectGone();
    }
    const evicted =
      zuid && newRefresh ? await markEvictions(db, input.clientRef, zuid, { reconnectingId: before?.id, now }) : [];
    const common = {
      location: grant.dc.location,
      accountsServer: grant.dc.accountsServer,
      apiDomain: grant.tokens.apiDomain,
      scopesRequested: grant.scopesRequested,
      scopesGranted: grant.scopesGranted,
      orgBinding: input.binding,
      ...tokenColumns(grant.tokens, now, newRefresh ? undefined : before),
      updatedAt: now,
    };
    let connectionId: number;
    if (before) {
      await db
        .update(connections)
        .set({
          ...common,
          ...sealedTokens(before.id, grant.tokens, newRefresh ? undefined : before),
          ...(grant.user ? { zuid, zohoEmail: grant.user.email, zohoName: grant.user.displayName } : {}),
          ...CLEARED_AFTER_CONSENT,
          // Revoke turned keep-fresh off along with the tokens; the new ones are kept fresh again.
          ...(before.revokedAt ? { revokedAt: null, keepFresh: true } : {}),
        })
        .where(eq(connections.id, before.id));
      connectionId = before.id;
    } else {
      [{ id: connectionId }] = await db
        .insert(connections)
        .values({
          ...common,
          name: input.name,
          clientRef: input.clientRef,
          accessType: input.accessType,
          zuid,
          zohoEmail: grant.user?.email ?? null,
          zohoName: grant.user?.displayName ?? null,
          createdBy: input.createdBy,
          createdAt: now,
        })
        .returning({ id: connections.id });
      await db.update(connections).set(sealedTokens(connectionId, grant.tokens)).where(eq(connections.id, connectionId));
    }
    // Each evicted connection names the consent that pushed it out (its status says so).
    if (evicted.length) await db.update(connections).set({ evictedByRef: connectionId }).where(inArray(connections.id, evicted.map((e) => e.id)));
    const at = now.getTime();
    await startAccessLife(db, {
      connectionId,
      grantType: "authorization_code",
      via: before ? "reconnect" : input.selfClient ? "self_client" : "authorize",
      at,
      expiresAt: at + grant.tokens.expiresInSec * 1000,
      accessToken: grant.tokens.accessToken,
    });
    if (newRefresh) await startRefreshLife(db, { connectionId, clientRef: input.clientRef, zuid, at });
    await endAllLives(evicted.map((e) => e.id), "evicted", at, db);
    await noteAuthorized(db, connectionId, !!before);
    for (const e of evicted) await noteNeedsReauth(db, e.id, "evicted");
    const replaced = newRefresh && before?.refreshTokenEnc && !before.reauthReason ? readOldToken(before.refreshTokenEnc, before.id) : undefined;
    const budgetUsed = zuid ? await liveRefreshTokenCount(input.clientRef, zuid, db) : null;
    if (zuid && newRefresh && budgetUsed !== null) await noteBudget(db, input.clientRef, zuid, grant.user?.email ?? null, budgetUsed, REFRESH_TOKEN_CAP);
    return {
      connectionId,
      evicted,
      budgetUsed,
      ...(replaced?.token ? { replacedRefreshToken: replaced.token } : {}),
      ...(replaced && !replaced.token ? { oldRefreshTokenNotRevoked: true as const } : {}),
    };
  });
}
