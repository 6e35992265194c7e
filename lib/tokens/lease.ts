import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { and, eq, isNull, lte, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections } from "@/db/schema";

// A database lease keeps two processes from refreshing (or revoking) one connection at once.
// Every holder gets its own owner id, so two jobs inside one process exclude each other too.
const PROCESS_TAG = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
let seq = 0;

export const newLeaseOwner = () => `${PROCESS_TAG}#${++seq}`;

/** One conditional UPDATE: taken only when free, expired, or already ours. */
export function tryAcquireLease(connectionId: number, owner: string, ttlMs: number, now = Date.now()): boolean {
  const c = connections;
  const result = getDb()
    .update(c)
    .set({ leaseOwner: owner, leaseExpiresAt: new Date(now + ttlMs) })
    .where(
      and(
        eq(c.id, connectionId),
        or(isNull(c.leaseOwner), isNull(c.leaseExpiresAt), lte(c.leaseExpiresAt, new Date(now)), eq(c.leaseOwner, owner)),
      ),
    )
    .run();
  return result.changes === 1;
}

/** An expired lease that still named its holder: that process stopped in the middle (killed, crashed). */
export interface AbandonedLease {
  owner: string;
  expiredAt: number;
}

/**
 * `tryAcquireLease` that also says whose expired lease it replaced, so the refresh that died with
 * its process can be put on the record. The expired lease is replaced only as it was seen: when
 * another process took it meanwhile, this call gets nothing and its caller waits.
 */
export function acquireLease(connectionId: number, owner: string, ttlMs: number, now = Date.now()): false | { abandoned?: AbandonedLease } {
  const c = connections;
  const held = getDb().select({ owner: c.leaseOwner, expiresAt: c.leaseExpiresAt }).from(c).where(eq(c.id, connectionId)).get();
  if (!held?.owner || held.owner === owner || !held.expiresAt || held.expiresAt.getTime() > now) {
    return tryAcquireLease(connectionId, owner, ttlMs, now) && {};
  }
  const taken =
    getDb()
      .update(c)
      .set({ leaseOwner: owner, leaseExpiresAt: new Date(now + ttlMs) })
      .where(and(eq(c.id, connectionId), eq(c.leaseOwner, held.owner), eq(c.leaseExpiresAt, held.expiresAt)))
      .run().changes === 1;
  return taken && { abandoned: { owner: held.owner, expiredAt: held.expiresAt.getTime() } };
}

export function releaseLease(connectionId: number, owner: string) {
  getDb()
    .update(connections)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(connections.id, connectionId), eq(connections.leaseOwner, owner)))
    .run();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
