import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { greatest, nowMs } from "@/db/dialect";
import { zohoPacing } from "@/db/schema";
import { config } from "@/lib/config";
import { hostOf } from "@/lib/zoho";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for this call's turn at one Zoho accounts server: each caller reserves the next slot
 * (one upsert on the database's clock, so every instance shares the queue) and sleeps until it.
 * Bulk actions take a slot before each call to Zoho, which spaces them `ZOHO_BULK_INTERVAL_MS`
 * apart however many people run them at once. Never inside a transaction.
 */
export async function takeZohoSlot(accountsServer: string, intervalMs = config().ZOHO_BULK_INTERVAL_MS): Promise<number> {
  if (intervalMs <= 0) return 0;
  const p = zohoPacing;
  const start = sql`${greatest(p.nextAt, nowMs())}`;
  const [row] = await getDb()
    .insert(p)
    .values({ key: hostOf(accountsServer) ?? accountsServer, nextAt: sql`${nowMs()} + ${intervalMs}` })
    .onConflictDoUpdate({ target: p.key, set: { nextAt: sql`${start} + ${intervalMs}` } })
    .returning({ nextAt: p.nextAt, now: nowMs() });
  // The slot starts one interval before the next one it leaves.
  const wait = row.nextAt.getTime() - intervalMs - Number(row.now);
  if (wait > 0) await sleep(wait);
  return Math.max(0, wait);
}
