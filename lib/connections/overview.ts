import "server-only";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections as c, zohoClients } from "@/db/schema";
import { inSubquery } from "@/db/dialect";
import { ATTENTION_KINDS, EXPIRING_SOON_MS, STATUS_KINDS, type StatusKind } from "@/lib/connection-status";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";
import { dtosByIds, type ConnectionDto } from "./queries";
import { mayNotBeActive, statusRankSql, statusSql } from "./status-sql";

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

/**
 * Statuses of the connections that may not be active (status-sql.ts `mayNotBeActive`), grouped:
 * with `totalQuery`, every status's count (`statusCounts`).
 */
export function statusCountsQuery(now: number) {
  // Grouped by position: repeating the expression would bind `now` again as new parameters, and
  // PostgreSQL then sees a GROUP BY expression that differs from the selected one (42803).
  return getDb()
    .select({ kind: statusSql(now), n: count() })
    .from(c)
    .where(inSubquery(c.id, mayNotBeActive(now, EXPIRING_SOON_MS)))
    .groupBy(sql`1`);
}

export function totalQuery() {
  return getDb().select({ n: count() }).from(c);
}

/** How many connections have each status at `now`: those not counted as otherwise are active. */
export async function statusCounts(now: number): Promise<Record<StatusKind, number>> {
  const [rows, [all]] = await Promise.all([statusCountsQuery(now), totalQuery()]);
  const counts = Object.fromEntries(STATUS_KINDS.map((k) => [k, 0])) as Record<StatusKind, number>;
  for (const r of rows) counts[r.kind] = r.n;
  counts.active += (all?.n ?? 0) - rows.reduce((sum, r) => sum + r.n, 0);
  return counts;
}

export function attentionQuery(now: number, limit = OVERVIEW_LIMIT) {
  return getDb()
    .select({ id: c.id })
    .from(c)
    .where(and(inSubquery(c.id, mayNotBeActive(now, 0)), inArray(statusSql(now), [...ATTENTION_KINDS])))
    .orderBy(statusRankSql(now), sql`coalesce(${c.accessTokenExpiresAt}, 0)`, c.id)
    .limit(limit);
}

const expiringWhere = (now: number) =>
  and(gt(c.accessTokenExpiresAt, new Date(now)), lte(c.accessTokenExpiresAt, new Date(now + HOUR)), eq(c.hasAccessToken, true), isNull(c.revokedAt));

export function expiringCountQuery(now: number) {
  return getDb().select({ n: count() }).from(c).where(expiringWhere(now));
}

// Counted apart from the first few: a window count here would make both engines materialize and
// sort every expiring row before the limit.
export function expiringQuery(now: number, limit = OVERVIEW_LIMIT) {
  return getDb().select({ id: c.id }).from(c).where(expiringWhere(now)).orderBy(asc(c.accessTokenExpiresAt), c.id).limit(limit);
}

// A live refresh token, in the columns of the `connections_budgets` index (has_refresh_token is
// kept equal to "a refresh token is stored" by triggers), so the count reads that index alone, in
// (client, Zoho user) order: no lookup of a row with its ciphertexts, no sort to group.
const liveRefreshToken = and(isNull(c.revokedAt), isNull(c.reauthReason), eq(c.hasRefreshToken, true), isNotNull(c.zuid));

/**
 * Live refresh tokens per (client, Zoho user), fullest first: Zoho evicts the oldest past 20.
 * Each row also says how many pairs hold one (`groups`), so the overview needs one query.
 */
export function budgetsQuery(limit = OVERVIEW_LIMIT) {
  const live = count().as("live");
  return getDb()
    .select({ clientId: c.clientRef, zuid: c.zuid, live, groups: sql<number>`count(*) over ()`.mapWith(Number).as("groups") })
    .from(c)
    .where(liveRefreshToken)
    .groupBy(c.clientRef, c.zuid)
    .orderBy(desc(live), c.clientRef, c.zuid)
    .limit(limit);
}

async function refreshTokenBudgets(limit = OVERVIEW_LIMIT): Promise<Bounded<BudgetRow>> {
  const db = getDb();
  const top = await budgetsQuery(limit);
  if (top.length === 0) return { items: [], total: 0 };
  const clientIds = [...new Set(top.map((t) => t.clientId))];
  // The names and e-mails of the few rows shown, two queries whatever the limit.
  const names = new Map((await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(inArray(zohoClients.id, clientIds))).map((r) => [r.id, r.name]));
  const pairs = top.map((t) => sql`(${t.clientId}, ${t.zuid})`);
  const emails = new Map(
    (
      await db
        .select({ clientId: c.clientRef, zuid: c.zuid, email: sql<string>`min(${c.zohoEmail})` })
        .from(c)
        .where(and(sql`(${c.clientRef}, ${c.zuid}) in (${sql.join(pairs, sql`, `)})`, isNotNull(c.zohoEmail)))
        .groupBy(c.clientRef, c.zuid)
    ).map((r) => [`${r.clientId}:${r.zuid}`, r.email]),
  );
  const items = top.map((t) => ({
    clientId: t.clientId,
    clientName: names.get(t.clientId) ?? `#${t.clientId}`,
    zuid: t.zuid!,
    email: emails.get(`${t.clientId}:${t.zuid}`) ?? null,
    live: t.live,
    cap: REFRESH_TOKEN_CAP,
  }));
  return { items, total: top[0].groups };
}

/**
 * The overview's data. Its queries do not depend on one another, so they are sent at once: on
 * PostgreSQL each takes a pooled connection and the page waits for the slowest rather than the
 * sum (SQLite answers them one after the other either way).
 */
export async function overview(now = Date.now(), opts: { budgetLimit?: number } = {}): Promise<Overview> {
  const [counts, attentionIds, [expiring], expiringIds, budgets] = await Promise.all([
    statusCounts(now),
    attentionQuery(now),
    expiringCountQuery(now),
    expiringQuery(now),
    refreshTokenBudgets(opts.budgetLimit),
  ]);
  const total = STATUS_KINDS.reduce((sum, k) => sum + counts[k], 0);
  const attentionTotal = [...ATTENTION_KINDS].reduce((sum, k) => sum + counts[k], 0);
  const [attention, expiringItems] = await Promise.all([dtosByIds(attentionIds.map((r) => r.id), now), dtosByIds(expiringIds.map((r) => r.id), now)]);
  return {
    total,
    counts,
    attention: { items: attention, total: attentionTotal },
    expiringWithinHour: { items: expiringItems, total: expiring?.n ?? 0 },
    budgets,
    generatedAt: now,
  };
}
