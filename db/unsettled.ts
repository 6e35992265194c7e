/**
 * A connection whose status may be something other than "active" at any time, whatever its
 * token's expiry says: revoked, waiting for re-authorization, failing, throttled now or before,
 * or without an access token. The rest of the fleet is active until its token nears expiry, so
 * the overview counts statuses over this partial index (`connections_unsettled`) and the expiry
 * index instead of over every connection (lib/connections/overview.ts).
 *
 * One text for both engines (SQLite reads `not` of its 0/1 booleans as PostgreSQL does of its
 * own), used verbatim by the index and by the queries: a query uses a partial index only when
 * its WHERE repeats the index's condition term for term, literals included.
 */
export const UNSETTLED_CONNECTION =
  "revoked_at is not null or reauth_reason is not null or failure_count > 0 or throttled_until is not null or not has_access_token or access_token_expires_at is null";

type StatusColumn =
  | "accessTokenExpiresAt"
  | "revokedAt"
  | "reauthReason"
  | "lastErrorKind"
  | "failureCount"
  | "accessType"
  | "hasRefreshToken"
  | "hasAccessToken"
  | "throttledUntil"
  | "keepFresh"
  | "id";

/**
 * The columns of `connections_expiry` and `connections_unsettled`, in both schemas: the expiry
 * first, then every column the status expression reads (lib/connections/status-sql.ts), then the
 * id (PostgreSQL's indexes do not hold it). Statuses counted or ranked over either index are read
 * from the index alone.
 */
export function expiryStatusColumns<T extends Record<StatusColumn, unknown>>(t: T): [T[StatusColumn], ...T[StatusColumn][]] {
  return [t.accessTokenExpiresAt, t.revokedAt, t.reauthReason, t.lastErrorKind, t.failureCount, t.accessType, t.hasRefreshToken, t.hasAccessToken, t.throttledUntil, t.keepFresh, t.id];
}
