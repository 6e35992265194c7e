import "server-only";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections as c, zohoClients } from "@/db/schema";
import { ATTENTION_KINDS, STATUS_KINDS, type StatusKind } from "@/lib/connection-status";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";
import { dtosByIds, type ConnectionDto } from "./queries";
import { statusRankSql, statusSql } from "./status-sql";

export interface BudgetRow {
  clientId: number;
  clientName: string;
  zuid: string;
  email: string | null;
  live: number;
  cap: number;
}

/** The first few of a longer list, and how long the list is. */
export interface Bounded<T> {
  items: T[];
  total: number;
}

interface Overview {
  total: number;
  counts: Record<StatusKind, number>;
  attention: Bounded<ConnectionDto>;
  expiringWithinHour: Bounded<ConnectionDto>;
  budgets: Bounded<BudgetRow>;
  generatedAt: number;
}

/** How many of each list the overview shows; the rest are a link away. */
const OVERVIEW_LIMIT = 10;
const HOUR = 3_600_000;

export function statusCountsQuery(now: number) {
  // Grouped by position: repeating the expression would bind `now` again as new parameters, and
  // PostgreSQL then sees a GROUP BY expression that differs from the selected one (42803).
  return getDb().select({ kind: statusSql(now), n: count() }).from(c).groupBy(sql`1`);
}

export function attentionQuery(now: number, limit = OVERVIEW_LIMIT) {
  return getDb()
    .select({ id: c.id })
    .from(c)
    .where(inArray(statusSql(now), [...ATTENTION_KINDS]))
    .orderBy(statusRankSql(now), sql`coalesce(${c.accessTokenExpiresAt}, 0)`, c.id)
    .limit(limit);
}

const expiringWhere = (now: number) =>
  and(gt(c.accessTokenExpiresAt, new Date(now)), lte(c.accessTokenExpiresAt, new Date(now + HOUR)), eq(c.hasAccessToken, true), isNull(c.revokedAt));

export function expiringQuery(now: number, limit = OVERVIEW_LIMIT) {
  return getDb().select({ id: c.id }).from(c).where(expiringWhere(now)).orderBy(asc(c.accessTokenExpiresAt), c.id).limit(limit);
}

// The same predicate as the partial index `connections_live_refresh_tokens`, so it is used.
const liveRefreshToken = and(isNotNull(c.refreshTokenEnc), isNull(c.revokedAt), isNull(c.reauthReason), isNotNull(c.zuid));

/** Live refresh tokens per (client, Zoho user), fullest first: Zoho evicts the oldest past 20. */
export function budgetsQuery(limit = OVERVIEW_LIMIT) {
  const live = count().as("live");
  return getDb()
    // Counted from the partial index alone; the few rows shown look their e-mail up after.
    .select({ clientId: c.clientRef, zuid: c.zuid, live })
    .from(c)
    .where(liveRefreshToken)
    .groupBy(c.clientRef, c.zuid)
    .orderBy(desc(live), c.clientRef, c.zuid)
    .limit(limit);
}

async function refreshTokenBudgets(limit = OVERVIEW_LIMIT): Promise<Bounded<BudgetRow>> {
  const db = getDb();
  const top = await budgetsQuery(limit);
  const [groups] = await db.select({ n: sql<number>`count(distinct ${c.clientRef} || ':' || ${c.zuid})`.mapWith(Number) }).from(c).where(liveRefreshToken);
  const clientIds = [...new Set(top.map((t) => t.clientId))];
  const names = new Map(
    clientIds.length
      ? (await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(inArray(zohoClients.id, clientIds))).map((r) => [r.id, r.name])
      : [],
  );
  const items = await Promise.all(
    top.map(async (t) => {
      const [withEmail] = await db
        .select({ email: c.zohoEmail })
        .from(c)
        .where(and(eq(c.clientRef, t.clientId), eq(c.zuid, t.zuid!), isNotNull(c.zohoEmail)))
        .limit(1);
      return { clientId: t.clientId, clientName: names.get(t.clientId) ?? `#${t.clientId}`, zuid: t.zuid!, email: withEmail?.email ?? null, live: t.live, cap: REFRESH_TOKEN_CAP };
    }),
  );
  return { items, total: groups?.n ?? 0 };
}

export async function overview(now = Date.now(), opts: { budgetLimit?: number } = {}): Promise<Overview> {
  const counts = Object.fromEntries(STATUS_KINDS.map((k) => [k, 0])) as Record<StatusKind, number>;
  for (const r of await statusCountsQuery(now)) counts[r.kind] = r.n;
  const total = STATUS_KINDS.reduce((sum, k) => sum + counts[k], 0);
  const attentionTotal = [...ATTENTION_KINDS].reduce((sum, k) => sum + counts[k], 0);
  const [expiring] = await getDb().select({ n: count() }).from(c).where(expiringWhere(now));
  return {
    total,
    counts,
    attention: { items: await dtosByIds((await attentionQuery(now)).map((r) => r.id), now), total: attentionTotal },
    expiringWithinHour: { items: await dtosByIds((await expiringQuery(now)).map((r) => r.id), now), total: expiring?.n ?? 0 },
    budgets: await refreshTokenBudgets(opts.budgetLimit),
    generatedAt: now,
  };
}
