import "server-only";
import { errorText, log } from "@/lib/log";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys, apiKeyUsage, apiKeyUsageHourly, connections } from "@/db/schema";
import { HOUR_MS } from "./store";

/**
 * Calls are counted in memory and added to the counters tables once a second in one small
 * transaction, so a busy token endpoint costs no write per call. A crash loses at most the last
 * second's counts, never a token.
 */
interface Pending {
  calls: number;
  lastCallAt: number;
  lastIp: string | null;
}

interface UsageBuffer {
  byConnection: Map<string, Pending>;
  byHour: Map<string, number>;
  timer?: NodeJS.Timeout;
}
const holder = globalThis as unknown as { __apiUsage?: UsageBuffer };
const buffer: UsageBuffer = (holder.__apiUsage ??= { byConnection: new Map(), byHour: new Map() });

const FLUSH_INTERVAL_MS = 1000;

/** Counts one call of a key, about a connection (or none: 0). */
export function countCall(keyId: number, connectionId: number | null, ip: string | null, now = Date.now()) {
  const k = `${keyId}:${connectionId ?? 0}`;
  const p = buffer.byConnection.get(k);
  if (p) {
    p.calls += 1;
    p.lastCallAt = now;
    p.lastIp = ip ?? p.lastIp;
  } else {
    buffer.byConnection.set(k, { calls: 1, lastCallAt: now, lastIp: ip });
  }
  const h = `${keyId}:${Math.floor(now / HOUR_MS) * HOUR_MS}`;
  buffer.byHour.set(h, (buffer.byHour.get(h) ?? 0) + 1);
  if (!buffer.timer) {
    buffer.timer = setTimeout(() => {
      flushUsage().catch((e) => log("api-usage").error({ error: errorText(e) }, "counting failed"));
    }, FLUSH_INTERVAL_MS);
    buffer.timer.unref?.();
  }
}

/** Writes what was counted since the last flush; safe to call at any time. */
async function flushUsage(): Promise<void> {
  if (buffer.timer) clearTimeout(buffer.timer);
  buffer.timer = undefined;
  if (buffer.byConnection.size === 0 && buffer.byHour.size === 0) return;
  const byConnection = [...buffer.byConnection];
  const byHour = [...buffer.byHour];
  buffer.byConnection.clear();
  buffer.byHour.clear();
  const lastPerKey = new Map<number, Pending>();
  getDb().transaction((tx) => {
    // A key revoked and gone meanwhile has no row to count against (foreign key): skip it.
    const known = new Set(tx.select({ id: apiKeys.id }).from(apiKeys).all().map((r) => r.id));
    for (const [k, p] of byConnection) {
      const [keyId, connectionId] = k.split(":").map(Number);
      if (!known.has(keyId)) continue;
      tx.insert(apiKeyUsage)
        .values({ keyId, connectionId, calls: p.calls, lastCallAt: new Date(p.lastCallAt), lastIp: p.lastIp })
        .onConflictDoUpdate({
          target: [apiKeyUsage.keyId, apiKeyUsage.connectionId],
          set: {
            calls: sql`${apiKeyUsage.calls} + ${p.calls}`,
            lastCallAt: sql`max(${apiKeyUsage.lastCallAt}, ${p.lastCallAt})`,
            lastIp: sql`case when ${apiKeyUsage.lastCallAt} > ${p.lastCallAt} then ${apiKeyUsage.lastIp} else ${p.lastIp} end`,
          },
        })
        .run();
      const last = lastPerKey.get(keyId);
      if (!last || last.lastCallAt < p.lastCallAt) lastPerKey.set(keyId, p);
    }
    for (const [k, calls] of byHour) {
      const [keyId, hour] = k.split(":").map(Number);
      if (!known.has(keyId)) continue;
      tx.insert(apiKeyUsageHourly)
        .values({ keyId, hour, calls })
        .onConflictDoUpdate({ target: [apiKeyUsageHourly.keyId, apiKeyUsageHourly.hour], set: { calls: sql`${apiKeyUsageHourly.calls} + ${calls}` } })
        .run();
    }
    for (const [keyId, p] of lastPerKey) {
      tx.update(apiKeys)
        .set({ lastUsedAt: new Date(p.lastCallAt), lastUsedIp: p.lastIp })
        .where(and(eq(apiKeys.id, keyId), sql`coalesce(${apiKeys.lastUsedAt}, 0) <= ${p.lastCallAt}`))
        .run();
    }
    // Immediate: it reads before it writes, and a deferred transaction whose snapshot another
    // process outdated meanwhile gets SQLITE_BUSY at once (busy_timeout does not apply).
  }, { behavior: "immediate" });
}

/** Hourly counts older than two days say nothing the list shows; the pruner calls this. */
export async function pruneHourlyUsage(now = Date.now(), batch = 500): Promise<number> {
  const cutoff = now - 48 * HOUR_MS;
  const db = getDb();
  let total = 0;
  for (;;) {
    const oldest = db.select({ hour: apiKeyUsageHourly.hour }).from(apiKeyUsageHourly).where(lt(apiKeyUsageHourly.hour, cutoff)).limit(batch).all();
    if (oldest.length === 0) return total;
    const changes = db
      .delete(apiKeyUsageHourly)
      .where(sql`rowid in (select rowid from ${apiKeyUsageHourly} where ${apiKeyUsageHourly.hour} < ${cutoff} limit ${batch})`)
      .run().changes;
    total += changes;
    if (changes < batch) return total;
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ConsumerDto {
  keyId: number;
  name: string;
  prefix: string;
  revoked: boolean;
  calls: number;
  lastCallAt: number;
  lastIp: string | null;
}

/** The keys that have called about a connection, most recent first. */
export async function consumersOf(connectionId: number, limit = 50): Promise<ConsumerDto[]> {
  await flushUsage();
  return getDb()
    .select({
      keyId: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      revokedAt: apiKeys.revokedAt,
      calls: apiKeyUsage.calls,
      lastCallAt: apiKeyUsage.lastCallAt,
      lastIp: apiKeyUsage.lastIp,
    })
    .from(apiKeyUsage)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeyUsage.keyId))
    .where(eq(apiKeyUsage.connectionId, connectionId))
    .orderBy(desc(apiKeyUsage.lastCallAt))
    .limit(limit)
    .all()
    .map((r) => ({ ...r, revoked: !!r.revokedAt, lastCallAt: r.lastCallAt.getTime() }));
}

export interface KeyUsageDto {
  connectionId: number;
  /** null for calls about no one connection (the list). */
  name: string | null;
  calls: number;
  lastCallAt: number;
  lastIp: string | null;
}

/** The connections a key has called about, most recent first. */
export async function usageOfKey(keyId: number, limit = 200): Promise<KeyUsageDto[]> {
  await flushUsage();
  return getDb()
    .select({
      connectionId: apiKeyUsage.connectionId,
      name: connections.name,
      calls: apiKeyUsage.calls,
      lastCallAt: apiKeyUsage.lastCallAt,
      lastIp: apiKeyUsage.lastIp,
    })
    .from(apiKeyUsage)
    .leftJoin(connections, eq(connections.id, apiKeyUsage.connectionId))
    .where(eq(apiKeyUsage.keyId, keyId))
    .orderBy(desc(apiKeyUsage.lastCallAt))
    .limit(limit)
    .all()
    .map((r) => ({ ...r, lastCallAt: r.lastCallAt.getTime() }));
}
