import "server-only";
import { CLEARED_REFRESH_FAILURE } from "@/lib/connections/cleared";
import { and, count, eq, gt, isNotNull, isNull, ne, sql, type SQL } from "drizzle-orm";
import { getDb, tx, type Db } from "@/db/client";
import { prepared } from "@/db/prepared";
import { connections, zohoClients, type ConnectionRow } from "@/db/schema";
import { loadConnection } from "@/lib/connections/queries";
import { relativeTime } from "@/lib/connection-status";
import { recordAudit, systemActor, type Actor } from "@/lib/audit";
import type { ClientCredentials } from "@/lib/clients";
import { config } from "@/lib/config";
import { encryptSecret, secretPlace } from "@/lib/secrets";
import { isDcLocation, refreshAccessToken, revokeToken, ZohoError, type TokenSet } from "@/lib/zoho";
import { backoffDelayMs } from "./backoff";
import { isTokenError, TokenError } from "./errors";
import { clientCredentialsOf, decryptStored, KEY_MISSING_RETRY_MS, tryDecrypt } from "./keys";
import { withLease } from "./lease";
import { zohoWindowEnd } from "./mint-window";
import { endAllLives, recordDiscardedMint, startAccessLife, type EndReason } from "./lives";
import { recentRefreshMints, refreshBudget } from "./mints";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";
import { reportRefresh } from "./telemetry";
import { noteClientRejected, noteRefreshed, noteRefreshFailure } from "@/lib/alerts/incidents";

/** Who asked for a refresh; `rejected`: Zoho refused the token before it (lib/tokens/rejection.ts). */
type RefreshTrigger = "manual" | "background" | "api" | "rejected";

interface RefreshOptions {
  trigger: RefreshTrigger;
  actor?: Actor;
  /** Skip the upstream call while the current token has at least this long left. */
  minValidityMs?: number;
  /** A person pressing "Refresh now" may try before the scheduled retry. */
  ignoreBackoff?: boolean;
}

/** Server-only: carries the access token itself. Never hand it to a component. */
interface RefreshResult {
  connectionId: number;
  accessToken: string;
  expiresAt: number;
  /** True when this refresh minted a new token; false when an existing one was reused. */
  refreshed: boolean;
}

// Callers inside one process share the refresh in flight; kept on globalThis so dev reloads and
// route bundles see one map.
const holder = globalThis as unknown as { __tokenInflight?: Map<number, Promise<RefreshResult>> };
export const inflight = (holder.__tokenInflight ??= new Map());

/** What deciding whether the stored access token may be handed out as it is needs of a row. */
export type TokenState = Pick<ConnectionRow, "id" | "revokedAt" | "reauthReason" | "accessTokenEnc" | "accessTokenExpiresAt">;

/** The columns of `TokenState`, for selects that read them along with others (one read per call). */
export const tokenStateColumns = {
  id: connections.id,
  revokedAt: connections.revokedAt,
  reauthReason: connections.reauthReason,
  accessTokenEnc: connections.accessTokenEnc,
  accessTokenExpiresAt: connections.accessTokenExpiresAt,
};

// Every token request reads these few columns; the whole row only matters once a refresh is due.
const tokenStateById = prepared("token_state", (db) => db.select(tokenStateColumns).from(connections).where(eq(connections.id, sql.placeholder("id"))));

export async function loadTokenState(id: number): Promise<TokenState | undefined> {
  return tokenStateById.first({ id });
}

/**
 * Where every write about a connection's tokens goes: the row only while it still holds the
 * tokens the operation started from and is not revoked. A reconnect writes new tokens without
 * the lease, so a write that finds the row changed (0 rows) lost the race and must be dropped.
 */
export function stillHolds(row: ConnectionRow): SQL {
  const c = connections;
  const tokens = row.refreshTokenEnc
    ? [eq(c.refreshTokenEnc, row.refreshTokenEnc)]
    : [isNull(c.refreshTokenEnc), row.accessTokenEnc ? eq(c.accessTokenEnc, row.accessTokenEnc) : isNull(c.accessTokenEnc)];
  return and(eq(c.id, row.id), isNull(c.revokedAt), ...tokens)!;
}

const expiryOf = (row: Pick<ConnectionRow, "accessTokenExpiresAt">) => row.accessTokenExpiresAt?.getTime() ?? 0;

/** The stored access token, or undefined when there is none or its encryption key is gone. */
export function storedToken(row: Pick<ConnectionRow, "id" | "accessTokenEnc" | "accessTokenExpiresAt">): RefreshResult | undefined {
  const accessToken = row.accessTokenEnc ? tryDecrypt(row.accessTokenEnc, secretPlace.accessToken(row.id)) : undefined;
  return accessToken === undefined ? undefined : { connectionId: row.id, accessToken, expiresAt: expiryOf(row), refreshed: false };
}

export const REVOKED_HERE = "This connection was revoked here. Reconnect to use it again.";
export const NEEDS_REAUTH = "Zoho no longer accepts this connection's refresh token. Reconnect to authorize it again.";

const at = (ms: number) => new Date(ms).toISOString();

/** Refuses early, without calling Zoho, whatever Zoho would refuse or a person must fix. */
async function assertRefreshable(row: ConnectionRow, now: number, opts: RefreshOptions) {
  if (row.revokedAt) throw new TokenError("revoked", REVOKED_HERE);
  if (row.reauthReason) throw new TokenError("needs_reauth", NEEDS_REAUTH);
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
  const budget = await refreshBudget(row, now);
  if (!budget.allowed) {
    throw new TokenError(
      "rate_limited",
      `This refresh token already minted ${budget.used} access tokens in the last ten minutes (Zoho allows ${budget.limit}). Refreshing is possible again ${relativeTime(budget.possibleAt, now)}.`,
      { until: budget.possibleAt },
    );
  }
}

/** Why a refresh of `row` could not run now (throttled, backing off, out of Zoho's budget), or undefined. */
export async function whyNotRefreshable(row: ConnectionRow, now: number, ignoreBackoff: boolean): Promise<TokenError | undefined> {
  try {
    await assertRefreshable(row, now, { trigger: "rejected", ignoreBackoff });
    return undefined;
  } catch (e) {
    if (isTokenError(e)) return e;
    throw e;
  }
}

/** invalid_code on refresh has three causes; the stored facts can tell two of them apart. */
async function reauthReasonFor(row: ConnectionRow): Promise<Extract<EndReason, "secret_changed" | "evicted" | "invalid_code">> {
  const issued = row.refreshTokenIssuedAt?.getTime() ?? 0;
  const [client] = await getDb().select({ secretUpdatedAt: zohoClients.secretUpdatedAt }).from(zohoClients).where(eq(zohoClients.id, row.clientRef));
  if (client && issued && client.secretUpdatedAt.getTime() > issued) return "secret_changed";
  if (row.zuid && issued) {
    const [newer] = await getDb()
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
        );
    if ((newer?.n ?? 0) >= REFRESH_TOKEN_CAP) return "evicted";
  }
  return "invalid_code";
}

type ConnectionUpdate = Partial<typeof connections.$inferInsert>;

/** Applies a write guarded by `stillHolds`; false when a reconnect or revoke got there first. */
export async function writeIfUnchanged(row: ConnectionRow, set: ConnectionUpdate, db: Db = getDb()): Promise<boolean> {
  const written = await db.update(connections).set(set).where(stillHolds(row)).returning({ id: connections.id });
  return written.length > 0;
}

/** Records a failed refresh; `recorded` is false when the row changed meanwhile and nothing was written. */
async function recordFailure(row: ConnectionRow, e: ZohoError, now: number): Promise<{ recorded: boolean; until?: number }> {
  // Every failure lengthens the streak that opens an incident; throttles do not grow the backoff.
  const streak = row.failureStreak + 1;
  const base = { lastErrorKind: e.kind, lastErrorMessage: e.userMessage, lastErrorAt: new Date(now), updatedAt: new Date(now), failureStreak: streak };
  const failures = row.failureCount + 1;
  const facts = { kind: e.kind, message: e.userMessage, advice: e.advice, failures: streak };
  if (e.kind === "invalid_code") {
    const reason = await reauthReasonFor(row);
    const set = { ...base, reauthReason: reason, reauthAt: new Date(now), nextRetryAt: null, failureCount: failures };
    // Zoho refusing the refresh token kills its access tokens too: both lives end with the write.
    const recorded = await tx(async (db) => {
      const written = await writeIfUnchanged(row, set, db);
      if (written) {
        await endAllLives([row.id], reason, now, db);
        await noteRefreshFailure(db, row, { ...facts, reauthReason: reason });
      }
      return written;
    });
    if (recorded) {
      await recordAudit({
        actor: systemActor,
        action: "connection.needs_reauth",
        target: { type: "connection", id: row.id },
        outcome: "failure",
        detail: { name: row.name, reason },
      });
    }
    return { recorded };
  }
  const until = e.kind === "throttled" ? zohoWindowEnd(await recentRefreshMints(row, now), now) : now + backoffDelayMs(failures);
  // A throttle is Zoho's window, not a failure of the connection: it does not grow the backoff.
  const set = e.kind === "throttled" ? { ...base, throttledUntil: new Date(until) } : { ...base, failureCount: failures, nextRetryAt: new Date(until) };
  const recorded = await tx(async (db) => {
    const written = await writeIfUnchanged(row, set, db);
    if (written) {
      await noteRefreshFailure(db, row, facts);
      if (e.kind === "invalid_client" || e.kind === "invalid_client_secret") await noteClientRejected(db, row.clientRef, e.kind, e.userMessage, e.advice);
    }
    return written;
  });
  return { recorded, until };
}

/**
 * A stored secret cannot be decrypted: say so on the row and wait long before the next attempt,
 * which succeeds by itself once the key is back in ENCRYPTION_KEYS_PREVIOUS.
 */
async function recordKeyMissing(row: ConnectionRow, e: TokenError, now: number): Promise<RefreshResult> {
  const until = now + KEY_MISSING_RETRY_MS;
  const message = [e.message, e.advice].filter(Boolean).join(" ");
  const recorded = await tx(async (db) => {
    const written = await writeIfUnchanged(
      row,
      {
        lastErrorKind: "key_missing",
        lastErrorMessage: message,
        lastErrorAt: new Date(now),
        failureCount: row.failureCount + 1,
        failureStreak: row.failureStreak + 1,
        nextRetryAt: new Date(until),
        updatedAt: new Date(now),
      },
      db,
    );
    if (written) await noteRefreshFailure(db, row, { kind: "key_missing", message: e.message, advice: e.advice ?? "", failures: row.failureStreak + 1 });
    return written;
  });
  if (!recorded) return afterReconnect(row.id);
  throw new TokenError("key_missing", e.message, { advice: e.advice, until });
}

const DISCARDED = "the connection was re-authorized or revoked while refreshing; the result was discarded";

/** A refresh lost the race against a reconnect (or revoke): answer from what the row holds now. */
async function afterReconnect(id: number): Promise<RefreshResult> {
  const row = await loadConnection(id);
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  if (row.revokedAt) throw new TokenError("revoked", REVOKED_HERE);
  const current = expiryOf(row) > Date.now() ? storedToken(row) : undefined;
  if (current) return current;
  throw new TokenError("reconnected", "The connection was re-authorized while this refresh ran, so its result was discarded. Try again.");
}

/** Where a token is revoked: a connection's accounts server, or the data centre a code was redeemed at. */
type RevokeAt = Pick<ConnectionRow, "accountsServer" | "location">;

/** Revokes a token at the connection's own accounts server; errors are `ZohoError`s. */
export function revokeAtZoho(row: RevokeAt, token: string): Promise<void> {
  return revokeToken({
    accountsServer: row.accountsServer,
    location: isDcLocation(row.location) ? row.location : undefined,
    token,
    timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
  });
}

/**
 * Best effort, for a token the console will not keep (minted from a replaced refresh token, or
 * redeemed for a connection that was then refused): it should not stay usable, nor count against
 * Zoho's limits. True when Zoho confirmed the revocation; a failure is not an error.
 */
export async function revokeQuietly(at: RevokeAt, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  try {
    await revokeAtZoho(at, token);
    return true;
  } catch {
    return false;
  }
}

async function audit(row: ConnectionRow, opts: RefreshOptions, outcome: "success" | "failure", detail: Record<string, unknown>) {
  await recordAudit({
    actor: opts.actor ?? systemActor,
    action: "connection.refresh",
    target: { type: "connection", id: row.id },
    outcome,
    detail: { name: row.name, trigger: opts.trigger, ...detail },
  });
}

/**
 * Stores the token a refresh of `row` minted at `now`, with its life, in one transaction: only
 * while the row still holds the refresh token it was minted from (`writeIfUnchanged`). When a
 * reconnect or revoke got there first, the row keeps what it holds and the mint, which Zoho
 * counted anyway, is recorded as discarded. True when the token was written.
 */
export async function storeRefreshedToken(row: ConnectionRow, set: TokenSet, opts: Pick<RefreshOptions, "trigger">, now: number): Promise<boolean> {
  const expiresAt = now + set.expiresInSec * 1000;
  return tx(async (db) => {
    const written = await writeIfUnchanged(
      row,
      {
        accessTokenEnc: encryptSecret(set.accessToken, secretPlace.accessToken(row.id)),
        accessTokenLast4: set.accessToken.slice(-4),
        accessTokenExpiresAt: new Date(expiresAt),
        lastRefreshAt: new Date(now),
        ...CLEARED_REFRESH_FAILURE,
        updatedAt: new Date(now),
      },
      db,
    );
    // Zoho counts the mint whatever happens next, so it is recorded even if the row changed.
    const mint = { connectionId: row.id, grantType: "refresh_token", via: opts.trigger, at: now, expiresAt, accessToken: set.accessToken } as const;
    if (written) {
      await startAccessLife(db, mint);
      await noteRefreshed(db, row);
    } else await recordDiscardedMint(db, mint);
    return written;
  });
}

async function upstreamRefresh(row: ConnectionRow, opts: RefreshOptions): Promise<RefreshResult> {
  let client: ClientCredentials;
  let refreshToken: string;
  try {
    client = await clientCredentialsOf(row.clientRef);
    refreshToken = decryptStored(row.refreshTokenEnc!, secretPlace.refreshToken(row.id), "refresh token");
  } catch (e) {
    if (isTokenError(e) && e.kind === "key_missing") {
      reportRefresh({ connectionId: row.id, trigger: opts.trigger, outcome: "failure", kind: "key_missing" });
      return recordKeyMissing(row, e, Date.now());
    }
    throw e;
  }
  const started = Date.now();
  let set: TokenSet;
  try {
    set = await refreshAccessToken({
      accountsServer: row.accountsServer,
      location: isDcLocation(row.location) ? row.location : undefined,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshToken,
      timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
    });
  } catch (e) {
    if (!(e instanceof ZohoError)) throw e;
    // An answer about a refresh token the row no longer holds says nothing about the new one.
    const { recorded, until } = await recordFailure(row, e, Date.now());
    reportRefresh({ connectionId: row.id, trigger: opts.trigger, outcome: "failure", kind: e.kind, durationMs: Date.now() - started });
    const outcome = recorded ? (until ? { until: at(until) } : {}) : { discarded: DISCARDED };
    await audit(row, opts, "failure", { errorKind: e.kind, error: e.userMessage, ...outcome });
    if (!recorded) return afterReconnect(row.id);
    throw new TokenError("zoho", e.userMessage, { advice: e.advice, until, zohoKind: e.kind });
  }
  const now = Date.now();
  const expiresAt = now + set.expiresInSec * 1000;
  const stored = await storeRefreshedToken(row, set, opts, now);
  if (!stored) {
    // Minted from a refresh token the row no longer holds: never written over the new tokens.
    await audit(row, opts, "failure", { discarded: DISCARDED, latencyMs: now - started });
    reportRefresh({ connectionId: row.id, trigger: opts.trigger, outcome: "discarded", durationMs: now - started });
    await revokeQuietly(row, set.accessToken);
    return afterReconnect(row.id);
  }
  await audit(row, opts, "success", { expiresAt: at(expiresAt), latencyMs: now - started });
  reportRefresh({ connectionId: row.id, trigger: opts.trigger, outcome: "success", durationMs: now - started });
  return { connectionId: row.id, accessToken: set.accessToken, expiresAt, refreshed: true };
}

async function runRefresh(id: number, opts: RefreshOptions): Promise<RefreshResult> {
  const first = await loadConnection(id);
  if (!first) throw new TokenError("not_found", "This connection does not exist.");
  const good = (r: ConnectionRow) =>
    opts.minValidityMs !== undefined && !!r.accessTokenEnc && expiryOf(r) - Date.now() > opts.minValidityMs && !r.revokedAt;
  // A stored token whose key is gone cannot be handed out; a refresh replaces it.
  const reusable = good(first) ? storedToken(first) : undefined;
  if (reusable) return reusable;
  await assertRefreshable(first, Date.now(), opts);

  const seenExpiry = expiryOf(first);
  // Another process refreshing answers for this one too: once its token is stored, it is used.
  const theirs = async () => {
    const row = await loadConnection(id);
    if (!row) throw new TokenError("not_found", "This connection does not exist.");
    return expiryOf(row) > seenExpiry && !row.revokedAt ? storedToken(row) : undefined;
  };
  const ttlMs = config().ZOHO_HTTP_TIMEOUT_MS + 10_000;
  return withLease(id, { ttlMs, busyMessage: "Another refresh of this connection is still running. Try again shortly.", whileWaiting: theirs }, async () => {
    const row = await loadConnection(id);
    if (!row) throw new TokenError("not_found", "This connection does not exist.");
    const stored = expiryOf(row) > seenExpiry && !row.revokedAt ? storedToken(row) : undefined;
    if (stored) return stored;
    await assertRefreshable(row, Date.now(), opts);
    return upstreamRefresh(row, opts);
  });
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
const API_MIN_VALIDITY_MS = 2 * 60_000;

interface ValidTokenOptions {
  actor?: Actor;
  /** Who asked, for the refresh's record: a service (the default) or a person's page. */
  trigger?: RefreshTrigger;
  /** A person may try before a failed refresh's scheduled retry (as "Refresh now" does). */
  ignoreBackoff?: boolean;
  /** Refresh first when less than this is left (default two minutes). */
  minValidityMs?: number;
}

/**
 * A valid access token for the connection, refreshed first when less than `minValidityMs` is
 * left. Any number of concurrent callers, in this process or others, share one refresh.
 * `state` is the connection's token state when the caller has just read it (with other columns
 * it needs, in one read); without it the state is read here.
 */
export async function getValidToken(connectionId: number, opts: ValidTokenOptions = {}, state?: TokenState): Promise<RefreshResult> {
  const minValidityMs = opts.minValidityMs ?? API_MIN_VALIDITY_MS;
  const row = state ?? (await loadTokenState(connectionId));
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  if (row.revokedAt) throw new TokenError("revoked", REVOKED_HERE);
  if (row.reauthReason) throw new TokenError("needs_reauth", NEEDS_REAUTH);
  const left = expiryOf(row) - Date.now();
  const stored = left > minValidityMs ? storedToken(row) : undefined;
  if (stored) return stored;
  try {
    return await refreshConnection(connectionId, { trigger: opts.trigger ?? "api", actor: opts.actor, minValidityMs, ignoreBackoff: opts.ignoreBackoff });
  } catch (e) {
    // A token with a little life left beats none while Zoho or the rate limit says wait.
    if (e instanceof TokenError && row.accessTokenEnc && left > 5_000 && ["throttled", "rate_limited", "backing_off", "busy", "zoho"].includes(e.kind)) {
      const fresh = await loadTokenState(connectionId);
      const usable = fresh && !fresh.revokedAt && !fresh.reauthReason && expiryOf(fresh) > Date.now() ? storedToken(fresh) : undefined;
      if (usable) return usable;
    }
    throw e;
  }
}

/** A valid access token for the connection, refreshed first when it is about to expire. */
export async function getAccessToken(connectionId: number, actor?: Actor): Promise<string> {
  return (await getValidToken(connectionId, { actor })).accessToken;
}
