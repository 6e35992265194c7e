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

export function releaseLease(connectionId: number, owner: string) {
  getDb()
    .update(connections)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(connections.id, connectionId), eq(connections.leaseOwner, owner)))
    .run();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
