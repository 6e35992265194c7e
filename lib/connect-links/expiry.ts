import "server-only";
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { connectLinks, type ConnectLinkRow } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { errorText, log } from "@/lib/log";
import { noteLinkExpired } from "./alerts";
import { auditLink } from "./audit";
import { isOpenState, OPEN_STATES } from "./view";

const due = (now: number) => and(inArray(connectLinks.state, [...OPEN_STATES]), lte(connectLinks.expiresAt, new Date(now)));

/**
 * Marks one link expired if it is open and past its expiry, and records it once: the update is
 * conditional, so of two instances (or a request and the sweep) only one writes and audits.
 * Returns the row as it now stands.
 */
export async function expireIfDue(row: ConnectLinkRow, now = Date.now()): Promise<ConnectLinkRow> {
  if (!isOpenState(row.state) || row.expiresAt.getTime() > now) return row;
  return tx(async (db) => {
    const [expired] = await db
      .update(connectLinks)
      .set({ state: "expired", stateReason: `expired while ${row.state}`, updatedAt: new Date(now) })
      .where(and(eq(connectLinks.id, row.id), due(now)))
      .returning();
    if (!expired) return (await db.select().from(connectLinks).where(eq(connectLinks.id, row.id)))[0] ?? row;
    await auditLink({ actor: systemActor, step: "expire", linkId: row.id, detail: { was: row.state, expiresAt: row.expiresAt.toISOString() } }, db);
    await noteLinkExpired(db, expired, row.state);
    return expired;
  });
}

const SWEEP_BATCH = 200;

/** Expires every open link past its expiry, a batch at a time (served by connect_links_due). */
export async function sweepExpiredLinks(now = Date.now()): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await getDb().select().from(connectLinks).where(due(now)).orderBy(asc(connectLinks.expiresAt)).limit(SWEEP_BATCH);
    for (const row of rows) if ((await expireIfDue(row, now)).state === "expired") total++;
    if (rows.length < SWEEP_BATCH) return total;
  }
}

const sweeper = globalThis as unknown as { __linkSweep?: NodeJS.Timeout };
const SWEEP_EVERY_MS = 60_000;

/**
 * Expires unused links within a minute of their expiry on every instance (the conditional update
 * writes, audits and alerts each link once), so `connect_link.expired` is sent even for a link
 * nobody opens again.
 */
export function startLinkSweep() {
  if (sweeper.__linkSweep) return;
  sweeper.__linkSweep = setInterval(() => {
    sweepExpiredLinks().catch((e) => log("connect-links").error({ error: errorText(e) }, "expiring connect links failed"));
  }, SWEEP_EVERY_MS);
  sweeper.__linkSweep.unref();
}
