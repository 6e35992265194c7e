import "server-only";
import { and, eq, isNull, min } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections as c } from "@/db/schema";
import type { StatusKind } from "@/lib/connection-status";
import { budgetsQuery, statusCounts } from "@/lib/connections/overview";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";

/** What the scrape reads from the database: computed in SQL at scrape time, never cached. */
export interface DatabaseGauges {
  connections: Record<StatusKind, number>;
  /** Seconds until the earliest expiry among tokens kept fresh; undefined when there are none. */
  earliestExpirySec?: number;
  /** Free refresh-token slots of the fullest (client, Zoho user); undefined without live tokens. */
  refreshTokenSlotsFree?: number;
}

export async function databaseGauges(now = Date.now()): Promise<DatabaseGauges> {
  const counts = await statusCounts(now);
  const [earliest] = await getDb()
    .select({ at: min(c.accessTokenExpiresAt) })
    .from(c)
    .where(
      and(
        eq(c.keepFresh, true),
        eq(c.hasAccessToken, true),
        eq(c.hasRefreshToken, true),
        eq(c.accessType, "offline"),
        isNull(c.revokedAt),
        isNull(c.reauthReason),
      ),
    );
  const [fullest] = await budgetsQuery(1);
  return {
    connections: counts,
    earliestExpirySec: earliest?.at ? Math.round((earliest.at.getTime() - now) / 1000) : undefined,
    refreshTokenSlotsFree: fullest ? REFRESH_TOKEN_CAP - fullest.live : undefined,
  };
}
