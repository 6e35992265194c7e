import "server-only";
import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { connections, tokenMints, tokenRejections } from "@/db/schema";
import { recordAudit, systemActor, type Actor } from "@/lib/audit";
import { loadConnection } from "@/lib/connections/queries";
import { metrics } from "@/lib/metrics/registry";
import { config } from "@/lib/config";
import { fetchUserInfo, isDcLocation, ZohoError } from "@/lib/zoho";
import type { ConnectionRow } from "@/db/schema";
import { inflight, NEEDS_REAUTH, refreshConnection, REVOKED_HERE, stillHolds, storedToken, whyNotRefreshable } from "./engine";
import { isTokenError, TokenError } from "./errors";
import { endCurrentAccessLife } from "./lives";

/**
 * Zoho refused an access token before its expiry: revoked or invalidated on Zoho's side (the
 * user removed the grant, an admin revoked it, Zoho's cap of active tokens dropped it). The
 * token stops being handed out at once and the connection refreshes, so a dead grant shows as
 * "needs re-authorization" within one call instead of at the next scheduled refresh.
 *
 * It must not become a lever on Zoho's budget of ten refreshes per ten minutes, which every
 * caller of the connection shares: callers pass only answers that name the token invalid with a
 * documented code (`namesInvalidToken`); each token is marked once; a token minted because the
 * one before it was refused, and refused again soon after, is not the problem (scopes or the
 * organisation are) and refreshes nothing; and one key's reports refresh at most
 * `KEY_REFRESHES` times per connection per window.
 */

export type RejectionSource = "verify" | "proxy" | "report" | "healthcheck";

type Refreshed = Awaited<ReturnType<typeof refreshConnection>>;

export type RejectionOutcome =
  /** The refused token was the current one: it was retired and a new one minted. */
  | { kind: "refreshed"; token: Refreshed }
  /** Someone had already replaced it: here is the current one. */
  | { kind: "already_replaced"; token: Refreshed }
  /** Refused right after replacing a refused token: the token is fine, the call is not. */
  | { kind: "refused_again"; mintedAt: number }
  /** This key's reports already caused their share of refreshes for this connection. */
  | { kind: "limited"; retryAfterSec: number }
  /** The refresh failed (or Zoho refused the refresh token too), or cannot run now (then the token was kept). */
  | { kind: "refresh_failed"; error: TokenError }
  /** A service's report that Zoho's accounts server contradicts: the token still works. */
  | { kind: "not_confirmed"; zohoCode?: string };

/** A token minted because its predecessor was refused, refused again within this, is not the problem. */
export const REFUSED_AGAIN_WINDOW_MS = 10 * 60_000;
/** Zoho's refresh budget is counted over ten minutes; one key's reports get a share of it. */
const KEY_WINDOW_MS = 10 * 60_000;
const KEY_REFRESHES = 2;

interface RejectionInput {
  source: RejectionSource;
  actor?: Actor;
  /** The API key whose call or report saw the refusal. */
  keyId?: number;
  zohoCode?: string;
  ip?: string | null;
}

/**
 * Whether Zoho's accounts server calls the token dead: `/oauth/user/info` answers INVALID_OAUTHTOKEN
 * for a dead token, and for a live one its profile or, without the profile scope,
 * INVALID_OAUTHSCOPE. Network failures throw (the caller's answer is then 503, nothing retired).
 */
async function confirmedAtZoho(row: ConnectionRow, token: string): Promise<{ dead: boolean; zohoCode?: string }> {
  try {
    await fetchUserInfo({
      accountsServer: row.accountsServer,
      accessToken: token,
      location: isDcLocation(row.location) ? row.location : undefined,
      timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
    });
    return { dead: false };
  } catch (e) {
    if (e instanceof ZohoError && e.kind === "invalid_token" && e.tokenNamedInvalid) return { dead: true, zohoCode: e.zohoCode };
    if (e instanceof ZohoError && (e.kind === "insufficient_scope" || e.kind === "wrong_org")) return { dead: false, zohoCode: e.zohoCode };
    throw e;
  }
}

/** The current token's mint: how it came to be and when. */
async function currentMint(connectionId: number) {
  const [mint] = await getDb()
    .select({ via: tokenMints.via, at: tokenMints.at })
    .from(tokenMints)
    .where(and(eq(tokenMints.connectionId, connectionId), isNull(tokenMints.endedAt)))
    .orderBy(desc(tokenMints.at))
    .limit(1);
  return mint;
}

async function refreshesByKey(connectionId: number, keyId: number, now: number) {
  const r = tokenRejections;
  const [row] = await getDb()
    .select({ n: count() })
    .from(r)
    .where(and(eq(r.connectionId, connectionId), eq(r.keyId, keyId), eq(r.outcome, "refreshed"), gt(r.at, new Date(now - KEY_WINDOW_MS))));
  return row?.n ?? 0;
}

async function record(connectionId: number, input: RejectionInput, outcome: RejectionOutcome["kind"], detail: Record<string, unknown> = {}) {
  await getDb()
    .insert(tokenRejections)
    .values({ connectionId, keyId: input.keyId ?? null, source: input.source, zohoCode: input.zohoCode ?? null, outcome, at: new Date() });
  metrics().tokenRejections.inc({ source: input.source, outcome });
  // Only a retired token is news; the rest a caller can repeat at will, so it folds per minute,
  // apart per connection (one that exists: the set is bounded).
  await recordAudit({
    actor: input.actor ?? systemActor,
    action: "connection.token_rejected",
    target: { type: "connection", id: connectionId },
    outcome: outcome === "refreshed" || outcome === "already_replaced" ? "success" : "failure",
    detail: { reason: outcome, source: input.source, zohoCode: input.zohoCode, ...detail },
    ip: input.ip ?? null,
    fold: outcome !== "refreshed" && !(outcome === "refresh_failed" && !detail.kept),
    foldBy: `connection:${connectionId}`,
  });
}

/**
 * Handles Zoho's refusal of `rejected`, an access token of the connection. Throws the engine's
 * `TokenError` when the connection is revoked, needs re-authorization, or does not exist.
 */
export async function tokenRejected(connectionId: number, rejected: string, input: RejectionInput): Promise<RejectionOutcome> {
  const row = await loadConnection(connectionId);
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  if (row.revokedAt) throw new TokenError("revoked", REVOKED_HERE);
  if (row.reauthReason) throw new TokenError("needs_reauth", NEEDS_REAUTH);
  const now = Date.now();
  const current = storedToken(row);
  const pending = inflight.get(connectionId);
  if (current && current.accessToken !== rejected && current.expiresAt - now > 5_000) {
    await record(connectionId, input, "already_replaced");
    return { kind: "already_replaced", token: current };
  }
  if (pending) {
    const shared = await pending.catch(() => undefined);
    if (shared && shared.accessToken !== rejected) {
      await record(connectionId, input, "already_replaced");
      return { kind: "already_replaced", token: shared };
    }
  }
  const isCurrent = current?.accessToken === rejected;
  // Already retired (its expiry was set to the refusal): the ordinary expired-token path applies.
  const retired = isCurrent && current!.expiresAt <= now;
  if (isCurrent && !retired) {
    const mint = await currentMint(connectionId);
    if (mint?.via === "rejected" && now - mint.at.getTime() < REFUSED_AGAIN_WINDOW_MS) {
      await record(connectionId, input, "refused_again");
      return { kind: "refused_again", mintedAt: mint.at.getTime() };
    }
  }
  if (input.keyId !== undefined && (await refreshesByKey(connectionId, input.keyId, now)) >= KEY_REFRESHES) {
    await record(connectionId, input, "limited");
    return { kind: "limited", retryAfterSec: Math.ceil(KEY_WINDOW_MS / 1000) };
  }
  if (isCurrent && !retired) {
    // A token that cannot be replaced now (throttled, backing off, out of budget) is kept: a
    // possibly dead token beats none for the callers whose calls still work.
    const blocked = await whyNotRefreshable(row, now, input.source === "verify");
    if (blocked) {
      await record(connectionId, input, "refresh_failed", { error: blocked.message, kept: true });
      return { kind: "refresh_failed", error: blocked };
    }
    // A service's word alone does not retire a token every caller shares: Zoho's accounts server
    // is asked first, which costs nothing of the refresh budget.
    if (input.source === "report") {
      const confirmed = await confirmedAtZoho(row, rejected);
      if (!confirmed.dead) {
        await record(connectionId, input, "not_confirmed", { accountsSays: confirmed.zohoCode ?? "valid" });
        return { kind: "not_confirmed", zohoCode: confirmed.zohoCode };
      }
    }
    // Retire it: never handed out again, its life ends as refused. Only while the row still holds it.
    await tx(async (db) => {
      const written = await db
        .update(connections)
        .set({ accessTokenExpiresAt: new Date(now), updatedAt: new Date(now) })
        .where(and(stillHolds(row), eq(connections.accessTokenEnc, row.accessTokenEnc!)))
        .returning({ id: connections.id });
      if (written.length) await endCurrentAccessLife(db, connectionId, "rejected", now);
    });
  }
  try {
    const token = await refreshConnection(connectionId, {
      trigger: "rejected",
      actor: input.actor,
      // A person pressing Verify may try before a failed refresh's scheduled retry.
      ignoreBackoff: input.source === "verify",
    });
    const kind = token.refreshed ? "refreshed" : "already_replaced";
    await record(connectionId, input, kind);
    return { kind, token };
  } catch (e) {
    if (!isTokenError(e)) throw e;
    await record(connectionId, input, "refresh_failed", { error: e.message });
    return { kind: "refresh_failed", error: e };
  }
}
