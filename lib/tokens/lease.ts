import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { nowMs } from "@/db/dialect";
import { connections } from "@/db/schema";
import { recordAudit, systemActor } from "@/lib/audit";
import { TokenError } from "./errors";

// A database lease keeps two processes from refreshing (or revoking) one connection at once.
// Every holder gets its own owner id, so two jobs inside one process exclude each other too.
const PROCESS_TAG = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
let seq = 0;

export const newLeaseOwner = () => `${PROCESS_TAG}#${++seq}`;

/**
 * One conditional UPDATE: taken only when free, expired, or already ours. Times are the
 * database's clock, never a host's: instances whose clocks differ still agree when a lease ends.
 */
export async function tryAcquireLease(connectionId: number, owner: string, ttlMs: number): Promise<boolean> {
  const c = connections;
  const taken = await getDb()
    .update(c)
    .set({ leaseOwner: owner, leaseExpiresAt: sql`${nowMs()} + ${ttlMs}` })
    .where(and(eq(c.id, connectionId), or(isNull(c.leaseOwner), isNull(c.leaseExpiresAt), lte(c.leaseExpiresAt, nowMs()), eq(c.leaseOwner, owner))))
    .returning({ id: c.id });
  return taken.length === 1;
}

/** An expired lease that still named its holder: that process stopped in the middle (killed, crashed). */
export interface AbandonedLease {
  owner: string;
  expiredAt: number;
}

/**
 * `tryAcquireLease` that also says whose expired lease it replaced, so the work that died with
 * its process can be put on the record. The expired lease is replaced only as it was seen: when
 * another process took it meanwhile, this call gets nothing and its caller waits. The
 * conditional UPDATE is re-checked against the committed row by either engine, so of two
 * processes taking over the same expired lease exactly one succeeds.
 */
export async function acquireLease(connectionId: number, owner: string, ttlMs: number): Promise<false | { abandoned?: AbandonedLease }> {
  const c = connections;
  const [held] = await getDb()
    .select({ owner: c.leaseOwner, expiresAt: c.leaseExpiresAt, expired: sql<boolean | number>`${c.leaseExpiresAt} <= ${nowMs()}` })
    .from(c)
    .where(eq(c.id, connectionId));
  if (!held?.owner || held.owner === owner || !held.expiresAt || !held.expired) {
    return (await tryAcquireLease(connectionId, owner, ttlMs)) && {};
  }
  const taken = await getDb()
    .update(c)
    .set({ leaseOwner: owner, leaseExpiresAt: sql`${nowMs()} + ${ttlMs}` })
    .where(and(eq(c.id, connectionId), eq(c.leaseOwner, held.owner), eq(c.leaseExpiresAt, held.expiresAt)))
    .returning({ id: c.id });
  return taken.length === 1 && { abandoned: { owner: held.owner, expiredAt: held.expiresAt.getTime() } };
}

export async function releaseLease(connectionId: number, owner: string) {
  await getDb()
    .update(connections)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(connections.id, connectionId), eq(connections.leaseOwner, owner)));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A refresh (or revoke) whose process stopped midway left its lease behind and no other trace. */
async function recordAbandoned(connectionId: number, lease: AbandonedLease) {
  const [row] = await getDb().select({ name: connections.name }).from(connections).where(eq(connections.id, connectionId));
  await recordAudit({
    actor: systemActor,
    action: "connection.refresh_abandoned",
    target: { type: "connection", id: connectionId },
    outcome: "failure",
    detail: { name: row?.name ?? null, holder: lease.owner, leaseExpiredAt: new Date(lease.expiredAt).toISOString() },
  });
}

const LEASE_POLL_MS = 150;

interface LeaseOptions<T> {
  /** How long the lease holds without being released: longer than the work can take. */
  ttlMs: number;
  /** Said when another holder keeps the lease past its ttl and a margin. */
  busyMessage: string;
  /** Asked after every wait: an answer ends the wait without taking the lease (another holder's result). */
  whileWaiting?: () => Promise<T | undefined>;
}

/**
 * Runs `work` holding the connection's lease, so no other process (or job in this one) refreshes
 * or revokes it meanwhile. Waits while someone else holds it; a lease left behind by a process
 * that died is taken over and the work it abandoned is recorded. The lease is released however
 * `work` ends.
 */
export async function withLease<T>(connectionId: number, opts: LeaseOptions<T>, work: () => Promise<T>): Promise<T> {
  const owner = newLeaseOwner();
  const deadline = Date.now() + opts.ttlMs + 5_000;
  let lease: Awaited<ReturnType<typeof acquireLease>>;
  while (!(lease = await acquireLease(connectionId, owner, opts.ttlMs))) {
    if (Date.now() > deadline) throw new TokenError("busy", opts.busyMessage);
    await sleep(LEASE_POLL_MS);
    const theirs = await opts.whileWaiting?.();
    if (theirs !== undefined) return theirs;
  }
  try {
    if (lease.abandoned) await recordAbandoned(connectionId, lease.abandoned);
    return await work();
  } finally {
    await releaseLease(connectionId, owner);
  }
}
