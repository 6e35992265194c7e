import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { connections as c } from "@/db/schema";
import { UNSETTLED_CONNECTION } from "@/db/unsettled";
import { EXPIRING_SOON_MS, type StatusKind } from "@/lib/connection-status";

/**
 * A connection's status as one SQL expression over its columns and `now`: the same rules as
 * `connectionStatus` in lib/connection-status.ts (which the browser runs for live countdowns),
 * kept equal by status-sql.test.ts. It reads only columns of the `connections_status` index.
 */
export function statusSql(now: number): SQL<StatusKind> {
  const refreshable = sql`(${c.hasRefreshToken} and ${c.accessType} = 'offline')`;
  const expired = sql`(not ${c.hasAccessToken} or ${c.accessTokenExpiresAt} is null or ${c.accessTokenExpiresAt} <= ${now})`;
  return sql<StatusKind>`(case
    when ${c.revokedAt} is not null then 'revoked'
    when ${c.reauthReason} is not null and ${c.reauthReason} <> '' then 'needs_reauth'
    when ${c.lastErrorKind} = 'key_missing' and ${c.failureCount} > 0 then 'refresh_failing'
    when not ${refreshable} and ${expired} then 'online_expired'
    when ${refreshable} and ${c.throttledUntil} is not null and ${c.throttledUntil} > ${now} then 'throttled'
    when ${refreshable} and ${c.failureCount} > 0 then 'refresh_failing'
    when ${expired} then 'expired_refreshable'
    when ${c.accessTokenExpiresAt} - ${now} < ${EXPIRING_SOON_MS} and not (${refreshable} and ${c.keepFresh}) then 'expiring_soon'
    else 'active' end)`;
}

/** Most urgent first: the list's default order and the overview's "needs attention". */
export const STATUS_RANK: readonly StatusKind[] = [
  "needs_reauth",
  "online_expired",
  "refresh_failing",
  "throttled",
  "expired_refreshable",
  "expiring_soon",
  "active",
  "revoked",
];

export function statusRankSql(now: number): SQL<number> {
  const whens = STATUS_RANK.map((kind, i) => sql`when ${sql.raw(`'${kind}'`)} then ${sql.raw(String(i))}`);
  return sql<number>`(case ${statusSql(now)} ${sql.join(whens, sql` `)} end)`;
}

/**
 * Where a connection may have a status other than "active" at `now`, counting tokens within
 * `withinMs` of their expiry, as two conditions that never hold together, so rows can be counted
 * over both without meeting one twice: `unsettled` (whatever the clock says: the partial index
 * `connections_unsettled`, db/unsettled.ts) for tokens not near expiry, and `nearExpiry` (the
 * expiry index) for the rest. Both indexes hold every column of `statusSql`, so statuses are read
 * from the index alone; every other connection is active.
 */
export function mayNotBeActive(now: number, withinMs: number): { unsettled: SQL; nearExpiry: SQL } {
  const by = now + withinMs;
  return {
    // The partial index's condition first, term for term: SQLite uses it only then.
    unsettled: sql`(${sql.raw(UNSETTLED_CONNECTION)}) and (${c.accessTokenExpiresAt} is null or ${c.accessTokenExpiresAt} > ${by})`,
    nearExpiry: sql`${c.accessTokenExpiresAt} <= ${by}`,
  };
}
