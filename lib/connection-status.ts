/**
 * A connection's status, derived from stored facts and the current time only. Pure: the server
 * uses it for lists and counts, the browser re-runs it every second so a countdown crossing a
 * threshold changes the badge without a round trip.
 */

export const STATUS_KINDS = [
  "active",
  "expiring_soon",
  "expired_refreshable",
  "online_expired",
  "refresh_failing",
  "throttled",
  "needs_reauth",
  "revoked",
] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

export const STATUS_LABELS: Record<StatusKind, string> = {
  active: "Active",
  expiring_soon: "Expiring soon",
  expired_refreshable: "Expired, refreshable",
  online_expired: "Expired, needs reconnect",
  refresh_failing: "Refresh failing",
  throttled: "Throttled by Zoho",
  needs_reauth: "Needs re-authorization",
  revoked: "Revoked",
};

type StatusTone = "green" | "amber" | "red" | "gray" | "blue";

export const STATUS_TONES: Record<StatusKind, StatusTone> = {
  active: "green",
  expiring_soon: "amber",
  expired_refreshable: "amber",
  online_expired: "red",
  refresh_failing: "red",
  throttled: "amber",
  needs_reauth: "red",
  revoked: "gray",
};

/** Statuses someone has to act on (the Overview's "needs attention"). */
export const ATTENTION_KINDS: ReadonlySet<StatusKind> = new Set(["online_expired", "refresh_failing", "throttled", "needs_reauth"]);

/** Below this much time left, an access token nobody will renew counts as expiring soon. */
export const EXPIRING_SOON_MS = 10 * 60_000;

/** Times are epoch milliseconds; null when the fact does not exist. */
export interface StatusFacts {
  accessType: "offline" | "online";
  hasAccessToken: boolean;
  hasRefreshToken: boolean;
  accessTokenExpiresAt: number | null;
  failureCount: number;
  nextRetryAt: number | null;
  throttledUntil: number | null;
  lastErrorMessage: string | null;
  /** Kind of the last refresh error (`server`, `key_missing`, …); optional for callers that lack it. */
  lastErrorKind?: string | null;
  reauthReason: string | null;
  revokedAt: number | null;
  keepFresh: boolean;
  /** Evicted: the connection whose consent pushed this refresh token out, when known. */
  evictedBy?: number | null;
}

export interface ConnectionStatus {
  kind: StatusKind;
  label: string;
  tone: StatusTone;
  /** Plain sentence: why the connection is in this state. */
  reason: string;
  /** What to do next (or "nothing"). */
  nextAction: string;
  /** The moment the status is about: expiry, next retry, end of throttle. */
  at: number | null;
}

const REAUTH_REASONS: Record<string, string> = {
  revoked_at_zoho: "The grant was revoked on Zoho's side (Connected Apps), so the refresh token no longer works.",
  evicted: "A newer consent for the same Zoho user and client evicted this refresh token (Zoho keeps 20 per user and client).",
  secret_changed: "The client secret was changed after this refresh token was issued, so Zoho no longer accepts it.",
  invalid_code:
    "Zoho answered invalid_code: the refresh token was revoked at Zoho, evicted by a newer consent (20 per user and client), or the client secret changed.",
};

export function reauthReasonText(reason: string, evictedBy?: number | null): string {
  if (reason === "evicted" && evictedBy) {
    return `The consent that authorized connection #${evictedBy} evicted this refresh token: Zoho keeps 20 per user and client and drops the oldest.`;
  }
  return REAUTH_REASONS[reason] ?? `Zoho no longer accepts this connection's refresh token (${reason}).`;
}

/** "in 3 min", "2 h 5 min ago": short and locale-free, for reasons and countdowns. */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const s = Math.round(abs / 1000);
  let text: string;
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  else text = `${Math.floor(s / 86_400)} d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

function make(kind: StatusKind, reason: string, nextAction: string, at: number | null = null): ConnectionStatus {
  return { kind, label: STATUS_LABELS[kind], tone: STATUS_TONES[kind], reason, nextAction, at };
}

const RECONNECT = "Reconnect: authorize the connection again in Zoho.";

/**
 * Shown instead of "Refresh failing" when a stored secret cannot be decrypted: its key is not
 * configured, or the value does not belong to this row (secrets are bound to table, column, row).
 */
const KEY_MISSING_LABEL = "Stored secret unreadable";

export function connectionStatus(f: StatusFacts, now: number): ConnectionStatus {
  if (f.revokedAt !== null) {
    return make("revoked", "Revoked in this console: the tokens were revoked at Zoho and wiped here. The history stays.", RECONNECT, f.revokedAt);
  }
  if (f.reauthReason) return make("needs_reauth", reauthReasonText(f.reauthReason, f.evictedBy), RECONNECT);
  if (f.lastErrorKind === "key_missing" && f.failureCount > 0) {
    // Counted and sorted as a failing refresh (it needs attention), but named for what it is.
    const detail = f.lastErrorMessage ? ` ${f.lastErrorMessage}` : "";
    const retry = f.nextRetryAt !== null ? ` The next automatic attempt is ${relativeTime(f.nextRetryAt, now)}.` : "";
    return {
      ...make(
        "refresh_failing",
        `The console cannot decrypt a stored secret it needs to refresh this connection.${detail}`,
        `Restore the key or reconnect: add a missing key to ENCRYPTION_KEYS_PREVIOUS and press Refresh now; if the value does not belong to this connection, reconnect to store new tokens.${retry}`,
        f.nextRetryAt,
      ),
      label: KEY_MISSING_LABEL,
    };
  }

  const exp = f.hasAccessToken ? f.accessTokenExpiresAt : null;
  const expired = exp === null || exp <= now;
  const refreshable = f.hasRefreshToken && f.accessType === "offline";

  if (!refreshable && expired) {
    return make(
      "online_expired",
      f.accessType === "online"
        ? "An online-only connection has no refresh token, and its access token has expired."
        : "Zoho returned no refresh token for this connection, and its access token has expired.",
      RECONNECT,
      exp,
    );
  }
  if (refreshable && f.throttledUntil !== null && f.throttledUntil > now) {
    return make(
      "throttled",
      `Zoho refused further refreshes for this refresh token (ten per ten minutes). It can refresh again ${relativeTime(f.throttledUntil, now)}.`,
      expired ? "Wait until the window ends; the refresher retries then." : "Nothing: the current access token still works. Avoid refreshing on every request.",
      f.throttledUntil,
    );
  }
  if (refreshable && f.failureCount > 0) {
    const error = f.lastErrorMessage ? ` Last error: ${f.lastErrorMessage}` : "";
    const retry = f.nextRetryAt !== null ? `Next attempt ${relativeTime(f.nextRetryAt, now)}.` : "No retry is scheduled.";
    return make(
      "refresh_failing",
      `${f.failureCount} refresh attempt${f.failureCount === 1 ? "" : "s"} in a row failed.${error}`,
      `${retry} Check the advice below, or press Refresh now.`,
      f.nextRetryAt,
    );
  }
  if (expired) {
    return make(
      "expired_refreshable",
      exp === null ? "No access token is stored; the refresh token can mint one." : `The access token expired ${relativeTime(exp, now)}; the refresh token can mint a new one.`,
      f.keepFresh ? "Nothing: the background refresher renews it, or press Refresh now." : "Press Refresh now, or let the token API refresh it on first use.",
      exp,
    );
  }
  if (exp - now < EXPIRING_SOON_MS) {
    // A token the background refresher renews before it expires is not a warning: only one that
    // nobody will renew (keep-fresh off, or no refresh token) is "expiring soon".
    if (refreshable && f.keepFresh) {
      return make("active", `The access token expires ${relativeTime(exp, now)}; the background refresher renews it ahead of expiry.`, "Nothing to do.", exp);
    }
    return make(
      "expiring_soon",
      `The access token expires ${relativeTime(exp, now)}.`,
      refreshable
        ? "Press Refresh now if a job needs it; keep-fresh is off for this connection."
        : "This online-only connection cannot refresh: reconnect before it expires if it is still needed.",
      exp,
    );
  }
  return make("active", `The access token is valid, expiring ${relativeTime(exp, now)}.`, "Nothing to do.", exp);
}
