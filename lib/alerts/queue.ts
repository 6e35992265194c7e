import "server-only";
import { and, count, eq, isNull, min } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries, alertDestinations } from "@/db/schema";

/**
 * Deliveries waiting to be sent and the age of the oldest: what the metrics and the bench report.
 * Those of a paused destination wait for a person, not for the dispatcher, and are left out.
 */
export async function alertQueueStats(now = Date.now()): Promise<{ pending: number; oldestPendingAgeMs: number }> {
  const [row] = await getDb()
    .select({ n: count(), oldest: min(alertDeliveries.createdAt) })
    .from(alertDeliveries)
    .innerJoin(alertDestinations, eq(alertDestinations.id, alertDeliveries.destinationRef))
    .where(and(eq(alertDeliveries.state, "pending"), isNull(alertDestinations.pausedAt), eq(alertDestinations.enabled, true)));
  const oldest = row?.oldest ? new Date(row.oldest as unknown as Date).getTime() : undefined;
  return { pending: row?.n ?? 0, oldestPendingAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest) };
}
