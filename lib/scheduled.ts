import "server-only";
import { getDb } from "@/db/client";
import { scheduledRuns } from "@/db/schema";

/**
 * Claims the run `name` (e.g. "digest:2026-12-07") for this instance: true for exactly one
 * caller across every instance on the database, however many ask at once. The row is the claim;
 * retention removes it after a week.
 */
export async function claimRun(name: string, now = Date.now()): Promise<boolean> {
  const rows = await getDb()
    .insert(scheduledRuns)
    .values({ name, at: new Date(now) })
    .onConflictDoNothing({ target: scheduledRuns.name })
    .returning({ name: scheduledRuns.name });
  return rows.length > 0;
}
