import "server-only";
import { count, eq, min } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries } from "@/db/schema";

/** Pending deliveries and the age of the oldest: what the metrics and the bench report. */
export async function alertQueueStats(now = Date.now()): Promise<{ pending: number; oldestPendingAgeMs: number }> {
  const [row] = await getDb()
    .select({ n: count(), oldest: min(alertDeliveries.createdAt) })
    .from(alertDeliveries)
    .where(eq(alertDeliveries.state, "pending"));
  const oldest = row?.oldest ? new Date(row.oldest as unknown as Date).getTime() : undefined;
  return { pending: row?.n ?? 0, oldestPendingAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest) };
}
