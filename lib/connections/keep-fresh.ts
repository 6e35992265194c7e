import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections } from "@/db/schema";
import { UserError } from "@/lib/errors";

export interface KeepFreshChange {
  name: string;
  keepFresh: boolean;
  /** False when the connection already had this setting. */
  changed: boolean;
}

/**
 * Turns the background refresher on or off for one connection. Only a live offline connection
 * has a refresh token to renew with, so a revoked or online-only one is refused.
 */
export async function setKeepFresh(id: number, keepFresh: boolean): Promise<KeepFreshChange> {
  const c = connections;
  const db = getDb();
  const row = db
    .select({ name: c.name, keepFresh: c.keepFresh, accessType: c.accessType, revokedAt: c.revokedAt })
    .from(c)
    .where(eq(c.id, id))
    .get();
  if (!row) throw new UserError("This connection no longer exists.");
  if (row.revokedAt) throw new UserError("This connection is revoked: it has no tokens to keep fresh. Reconnect it first.");
  if (keepFresh && row.accessType === "online") {
    throw new UserError("An online-only connection has no refresh token, so its access token cannot be renewed in the background.");
  }
  if (row.keepFresh === keepFresh) return { name: row.name, keepFresh, changed: false };
  db.update(c)
    .set({ keepFresh, updatedAt: new Date() })
    .where(and(eq(c.id, id), isNull(c.revokedAt)))
    .run();
  return { name: row.name, keepFresh, changed: true };
}
