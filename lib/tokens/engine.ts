import "server-only";
import { and, count, eq, gt, isNotNull, isNull, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, tokenMints, zohoClients, type ConnectionRow } from "@/db/schema";
import { relativeTime } from "@/lib/connection-status";
import { recordAudit, systemActor, type Actor } from "@/lib/audit";
import { getClientCredentials } from "@/lib/clients";
import { config } from "@/lib/config";
import { decryptSecret, encryptSecret } from "@/lib/secrets";
import { isDcLocation, refreshAccessToken, ZohoError } from "@/lib/zoho";
import { backoffDelayMs } from "./backoff";
import { TokenError } from "./errors";
import { newLeaseOwner, releaseLease, sleep, tryAcquireLease } from "./lease";
import { zohoWindowEnd } from "./mint-window";
import { recentRefreshMints, refreshBudget } from "./mints";

export type RefreshTrigger = "manual" | "background" | "api";

export interface RefreshOptions {
  trigger: RefreshTrigger;
  actor?: Actor;
  /** Skip the upstream call while the current token has at least this long left. */
  minValidityMs?: number;
  /** A person pressing "Refresh now" may try before the scheduled retry. */
  ignoreBackoff?: boolean;
}

/** Server-only: carries the access token itself. Never hand it to a component. */
export interface RefreshResult {
  connectionId: number;
  accessToken: string;
  expiresAt: number;
  /** True when this refresh minted a new token; false when an existing one was reused. */
  refreshed: boolean;
}

/** Zoho keeps this many live refresh tokens per user and client; the next consent evicts the oldest. */
export const REFRESH_TOKEN_CAP = 20;

// Callers inside one process share the refresh in flight; kept on globalThis so dev reloads and
// route bundles see one map.
const holder = globalThis as unknown as { __tokenInflight?: Map<number, Promise<RefreshResult>> };
export const inflight = (holder.__tokenInflight ??= new Map());

export function loadConnection(id: number): ConnectionRow | undefined {
  return getDb().select().from(connections).where(eq(connections.id, id)).get();
}

const expiryOf = (row: ConnectionRow) => row.accessTokenExpiresAt?.getTime() ?? 0;

function currentToken(row: ConnectionRow): RefreshResult {
  if (!row.accessTokenEnc || !row.accessTokenExpiresAt) throw new TokenError("no_refresh_token", "No access token is stored.");
  return { connectionId: row.id, accessToken: decryptSecret(row.accessTokenEnc), expiresAt: expiryOf(row), refreshed: false };
}

const at = (ms: number) => new Date(ms).toISOString();

/** Refuses early, without calling Zoho, whatever Zoho would refuse or a person must fix. */
function assertRefreshable(row: ConnectionRow, now: number, opts: RefreshOptions) {
  if (row.revokedAt) throw new TokenError("revoked", "This connection was revoked here. Reconnect to use it again.");
  if (row.reauthReason) {
    throw new TokenError("needs_reauth", "Zoho no longer accepts this connection's refresh token. Reconnect to authorize it again.");
  }
  if (!row.refreshTokenEnc || row.accessType !== "offline") {
    throw new TokenError("no_refresh_token", "This connection holds no refresh token (online-only). Reconnect for a new access token.");
  }
  const throttled = row.throttledUntil?.getTime() ?? 0;
  if (throttled > now) {
    throw new TokenError("throttled", `Zoho is throttling this refresh token. It can refresh again ${relativeTime(throttled, now)}.`, { until: throttled });
  }
  const retry = row.nextRetryAt?.getTime() ?? 0;
  if (!opts.ignoreBackoff && row.failureCount > 0 && retry > now) {
    throw new TokenError("backing_off", `The last refresh failed; the next attempt is due ${relativeTime(retry, now)}.`, { until: retry });
  }
  const budget = refreshBudget(row, now);
  if (!budget.allowed) {
    throw new TokenError(
      "rate_limited",
      `This refresh token already minted ${budget.used} access tokens in the last ten minutes (Zoho allows ${budget.limit}). Refreshing is possible again ${relativeTime(budget.possibleAt, now)}.`,
      { until: budget.possibleAt },
    );
  }
}

/** invalid_code on refresh has three causes; the stored facts can tell two of them apart. */
function reauthReasonFor(row: ConnectionRow): string {
  const issued = row.refreshTokenIssuedAt?.getTime() ?? 0;
  const client = getDb().select({ secretUpdatedAt: zohoClients.secretUpdatedAt }).from(zohoClients).where(eq(zohoClients.id, row.clientRef)).get();
  if (client && issued && client.secretUpdatedAt.getTime() > issued) return "secret_changed";
  if (row.zuid && issued) {
    const newer =
      getDb()
        .select({ n: count() })
        .from(connections)
        .where(
          and(
            eq(connections.clientRef, row.clientRef),
            eq(connections.zuid, row.zuid),
            ne(connections.id, row.id),
            isNotNull(connections.refreshTokenIssuedAt),
            gt(connections.refreshTokenIssuedAt, new Date(issued)),
          ),
        )
        .get()?.n ?? 0;
    if (newer >= REFRESH_TOKEN_CAP) return "evicted";
  }
  return "invalid_code";
}

function recordFailure(row: ConnectionRow, e: ZohoError, now: number): number | undefined {
  const base = { lastErrorKind: e.kind, lastErrorMessage: e.userMessage, lastErrorAt: new Date(now), updatedAt: new Date(now) };
  const where = eq(connections.id, row.id);
  if (e.kind === "invalid_code") {
    getDb()
      .update(connections)
      .set({ ...base, reauthReason: reauthReasonFor(row), reauthAt: new Date(now), nextRetryAt: null, failureCount: row.failureCount + 1 })
      .where(where)
      .run();
    return undefined;
  }
  if (e.kind === "throttled") {
    const until = zohoWindowEnd(recentRefreshMints(row, now), now);
    getDb().update(connections).set({ ...base, throttledUntil: new Date(until) }).where(where).run();
    return until;
  }
  const failures = row.failureCount + 1;
  const retry = now + backoffDelayMs(failures);
  getDb().update(connections).set({ ...base, failureCount: failures, nextRetryAt: new Date(retry) }).where(where).run();
  return retry;
}

function audit(row: ConnectionRow, opts: RefreshOptions, outcome: "success" | "failure", detail: Record<string, unknown>) {
  recordAudit({
    actor: opts.actor ?? systemActor,
    action: "connection.refresh",
    target: { type: "connection", id: row.id },
    outcome,
    detail: { name: row.name, trigger: opts.trigger, ...detail },
  });
}

async function upstreamRefresh(row: ConnectionRow, opts: RefreshOptions): Promise<RefreshResult> {
  const client = getClientCredentials(row.clientRef);
  if (!client) throw new TokenError("not_found", "The Zoho client of this connection no longer exists.");
  const started = Date.now();
  try {
    const set = await refreshAccessToken({
      accountsServer: row.accountsServer,
      location: isDcLocation(row.location) ? row.location : undefined,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshToken: decryptSecret(row.refreshTokenEnc!),
      timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
    });
    const now = Date.now();
    const expiresAt = now + set.expiresInSec * 1000;
    getDb().transaction((tx) => {
      // Zoho counts the mint whatever happens next, so it is recorded even if the row went away.
      tx.insert(tokenMints).values({ connectionId: row.id, grantType: "refresh_token", at: new Date(now) }).run();
      tx.update(connections)
        .set({
          accessTokenEnc: encryptSecret(set.accessToken),
          accessTokenLast4: set.accessToken.slice(-4),
          accessTokenExpiresAt: new Date(expiresAt),
          lastRefreshAt: new Date(now),
          lastErrorKind: null,
          lastErrorMessage: null,
          lastErrorAt: null,
          failureCount: 0,
          nextRetryAt: null,
          throttledUntil: null,
          updatedAt: new Date(now),
        })
        .where(and(eq(connections.id, row.id), isNull(connections.revokedAt)))
        .run();
    });
    audit(row, opts, "success", { expiresAt: at(expiresAt), latencyMs: now - started });
    return { connectionId: row.id, accessToken: set.accessToken, expiresAt, refreshed: true };
  } catch (e) {
    if (!(e instanceof ZohoError)) throw e;
    const until = recordFailure(row, e, Date.now());
    audit(row, opts, "failure", { errorKind: e.kind, error: e.userMessage, ...(until ? { until: at(until) } : {}) });
    throw new TokenError("zoho", e.userMessage, { advice: e.advice, until, zohoKind: e.kind });
  }
}

async function runRefresh(id: number, opts: RefreshOptions): Promise<RefreshResult> {
  let row = loadConnection(id);
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  const good = (r: ConnectionRow) =>
    opts.minValidityMs !== undefined && !!r.accessTokenEnc && expiryOf(r) - Date.now() > opts.minValidityMs && !r.revokedAt;
  if (good(row)) return currentToken(row);
  assertRefreshable(row, Date.now(), opts);

  const seenExpiry = expiryOf(row);
  const owner = newLeaseOwner();
  const ttl = config().ZOHO_HTTP_TIMEOUT_MS + 10_000;
  const deadline = Date.now() + ttl + 5_000;
  while (!tryAcquireLease(id, owner, ttl)) {
    // Another process is refreshing: wait for it, then use its token.
    if (Date.now() > deadline) throw new TokenError("busy", "Another refresh of this connection is still running. Try again shortly.");
    await sleep(150);
    row = loadConnection(id);
    if (!row) throw new TokenError("not_found", "This connection does not exist.");
    if (expiryOf(row) > seenExpiry && row.accessTokenEnc) return currentToken(row);
  }
  try {
    row = loadConnection(id);
    if (!row) throw new TokenError("not_found", "This connection does not exist.");
    if (expiryOf(row) > seenExpiry && row.accessTokenEnc && !row.revokedAt) return currentToken(row);
    assertRefreshable(row, Date.now(), opts);
    return await upstreamRefresh(row, opts);
  } finally {
    releaseLease(id, owner);
  }
}

/**
 * Refreshes one connection's access token. Concurrent callers in this process share one
 * refresh; a database lease keeps other processes out. A failure never touches the stored token.
 */
export function refreshConnection(id: number, opts: RefreshOptions): Promise<RefreshResult> {
  const existing = inflight.get(id);
  if (existing) return existing;
  const p = runRefresh(id, opts).finally(() => inflight.delete(id));
  inflight.set(id, p);
  return p;
}

/** Tokens handed to callers keep at least this long; shorter ones are refreshed first. */
export const API_MIN_VALIDITY_MS = 2 * 60_000;

/** A valid access token for the connection, refreshed first when it is about to expire. */
export async function getAccessToken(connectionId: number, actor?: Actor): Promise<string> {
  const row = loadConnection(connectionId);
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  if (row.revokedAt) throw new TokenError("revoked", "This connection was revoked here. Reconnect to use it again.");
  if (row.reauthReason) throw new TokenError("needs_reauth", "Zoho no longer accepts this connection's refresh token. Reconnect to authorize it again.");
  const left = expiryOf(row) - Date.now();
  if (row.accessTokenEnc && left > API_MIN_VALIDITY_MS) return decryptSecret(row.accessTokenEnc);
  try {
    return (await refreshConnection(connectionId, { trigger: "api", actor, minValidityMs: API_MIN_VALIDITY_MS })).accessToken;
  } catch (e) {
    // A token with a little life left beats none while Zoho or the rate limit says wait.
    if (e instanceof TokenError && row.accessTokenEnc && left > 5_000 && ["throttled", "rate_limited", "backing_off", "busy", "zoho"].includes(e.kind)) {
      const fresh = loadConnection(connectionId);
      if (fresh?.accessTokenEnc && !fresh.revokedAt && !fresh.reauthReason && expiryOf(fresh) > Date.now()) return decryptSecret(fresh.accessTokenEnc);
    }
    throw e;
  }
}
