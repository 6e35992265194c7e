import "server-only";
import { errorText, log } from "@/lib/log";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { detached, getDb, tx } from "@/db/client";
import { greatest } from "@/db/dialect";
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
    // Outside any transaction the counted call ran in: the flush is its own, a second later.
    buffer.timer = detached(() =>
      setTimeout(() => {
        flushUsage().catch((e) => log("api-usage").error({ error: errorText(e) }, "counting failed"));
      }, FLUSH_INTERVAL_MS),
    );
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
  const keyIds = [...new Set([...byConnection, ...byHour].map(([k]) => Number(k.split(":")[0])))];
  await tx(async (db) => {
    // A key revoked and gone meanwhile has no row to count against (foreign key): skip it.
    const known = new Set((await db.select({ id: apiKeys.id }).from(apiKeys).where(inArray(apiKeys.id, keyIds))).map((r) => r.id));
    for (const [k, p] of byConnection) {
      const [keyId, connectionId] = k.split(":").map(Number);
      if (!known.has(keyId)) continue;
      await db
        .insert(apiKeyUsage)
        .values({ keyId, connectionId, calls: p.calls, lastCallAt: new Date(p.lastCallAt), lastIp: p.lastIp })
        .onConflictDoUpdate({
          target: [apiKeyUsage.keyId, apiKeyUsage.connectionId],
          set: {
            calls: sql`${apiKeyUsage.calls} + ${p.calls}`,
            lastCallAt: greatest(apiKeyUsage.lastCallAt, p.lastCallAt),
            lastIp: sql`case when ${apiKeyUsage.lastCallAt} > ${p.lastCallAt} then ${apiKeyUsage.lastIp} else ${p.lastIp} end`,
          },
        });
      const last = lastPerKey.get(keyId);
      if (!last || last.lastCallAt < p.lastCallAt) lastPerKey.set(keyId, p);
    }
    for (const [k, calls] of byHour) {
      const [keyId, hour] = k.split(":").map(Number);
      if (!known.has(keyId)) continue;
      await db
        .insert(apiKeyUsageHourly)
        .values({ keyId, hour, calls })
        .onConflictDoUpdate({ target: [apiKeyUsageHourly.keyId, apiKeyUsageHourly.hour], set: { calls: sql`${apiKeyUsageHourly.calls} + ${calls}` } });
    }
    for (const [keyId, p] of lastPerKey) {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: new Date(p.lastCallAt), lastUsedIp: p.lastIp })
        .where(and(eq(apiKeys.id, keyId), sql`coalesce(${apiKeys.lastUsedAt}, 0) <= ${p.lastCallAt}`));
    }
  });
}

/** Hourly counts older than two days say nothing the list shows; the pruner calls this. */
export async function pruneHourlyUsage(now = Date.now(), batch = 500): Promise<number> {
  const cutoff = now - 48 * HOUR_MS;
  const db = getDb();
  let total = 0;
  for (;;) {
    const h = apiKeyUsageHourly;
    const deleted = await db
      .delete(h)
      .where(sql`(${h.keyId}, ${h.hour}) in (select ${h.keyId}, ${h.hour} from ${h} where ${h.hour} < ${cutoff} limit ${batch})`)
      .returning({ keyId: h.keyId });
    const changes = deleted.length;
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
  const rows = await getDb()
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
    .limit(limit);
  return rows.map(({ revokedAt, ...r }) => ({ ...r, revoked: !!revokedAt, lastCallAt: r.lastCallAt.getTime() }));
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
  const rows = await getDb()
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
    .limit(limit);
  return rows.map((r) => ({ ...r, lastCallAt: r.lastCallAt.getTime() }));
}
