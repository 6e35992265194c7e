import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections } from "@/db/schema";
import { UserError } from "@/lib/errors";
import { keepFreshRefusal } from "./keep-fresh-rule";

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
  const [row] = await db.select({ name: c.name, keepFresh: c.keepFresh, accessType: c.accessType, revokedAt: c.revokedAt }).from(c).where(eq(c.id, id));
  if (!row) throw new UserError("This connection no longer exists.");
  const refusal = keepFreshRefusal({ accessType: row.accessType, revoked: !!row.revokedAt }, keepFresh);
  if (refusal) throw new UserError(refusal);
  if (row.keepFresh === keepFresh) return { name: row.name, keepFresh, changed: false };
  const updated = await db
    .update(c)
    .set({ keepFresh, updatedAt: new Date() })
    .where(and(eq(c.id, id), isNull(c.revokedAt)))
    .returning({ id: c.id });
  // Revoked between the read and the write: nothing was set, so nothing is reported as set.
  if (updated.length === 0) throw new UserError(keepFreshRefusal({ accessType: row.accessType, revoked: true }, keepFresh)!);
  return { name: row.name, keepFresh, changed: true };
}
