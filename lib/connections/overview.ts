import "server-only";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, zohoClients } from "@/db/schema";
import { ATTENTION_KINDS, STATUS_KINDS, type StatusKind } from "@/lib/connection-status";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";
import { allRows, STATUS_ORDER, toDto, type ConnectionDto } from "./queries";

export interface BudgetRow {
  clientId: number;
  clientName: string;
  zuid: string;
  email: string | null;
  live: number;
  cap: number;
}

export interface Overview {
  total: number;
  counts: Record<StatusKind, number>;
  attention: ConnectionDto[];
  expiringWithinHour: ConnectionDto[];
  budgets: BudgetRow[];
  generatedAt: number;
}

/** Live refresh tokens per (client, Zoho user): Zoho evicts the oldest past 20. */
export function refreshTokenBudgets(): BudgetRow[] {
  const rows = getDb()
    .select({ clientId: zohoClients.id, clientName: zohoClients.name, zuid: connections.zuid, email: connections.zohoEmail })
    .from(connections)
    .innerJoin(zohoClients, eq(connections.clientRef, zohoClients.id))
    .where(and(isNotNull(connections.refreshTokenEnc), isNull(connections.revokedAt), isNull(connections.reauthReason), isNotNull(connections.zuid)))
    .all();
  const map = new Map<string, BudgetRow>();
  for (const r of rows) {
    const k = `${r.clientId}:${r.zuid}`;
    const cur = map.get(k) ?? { clientId: r.clientId, clientName: r.clientName, zuid: r.zuid!, email: r.email, live: 0, cap: REFRESH_TOKEN_CAP };
    cur.live += 1;
    map.set(k, cur);
  }
  return [...map.values()].sort((a, b) => b.live - a.live || a.clientName.localeCompare(b.clientName));
}

export function overview(now = Date.now()): Overview {
  const all = allRows().map(({ row, client }) => toDto(row, client, now));
  const counts = Object.fromEntries(STATUS_KINDS.map((k) => [k, 0])) as Record<StatusKind, number>;
  for (const d of all) counts[d.status.kind] += 1;
  const byExpiry = (a: ConnectionDto, b: ConnectionDto) => (a.accessTokenExpiresAt ?? 0) - (b.accessTokenExpiresAt ?? 0);
  return {
    total: all.length,
    counts,
    attention: all.filter((d) => ATTENTION_KINDS.has(d.status.kind)).sort((a, b) => STATUS_ORDER[a.status.kind] - STATUS_ORDER[b.status.kind]),
    expiringWithinHour: all
      .filter((d) => d.facts.hasAccessToken && !d.facts.revokedAt && d.accessTokenExpiresAt !== null && d.accessTokenExpiresAt > now && d.accessTokenExpiresAt <= now + 3_600_000)
      .sort(byExpiry),
    budgets: refreshTokenBudgets(),
    generatedAt: now,
  };
}
