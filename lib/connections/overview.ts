import "server-only";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lte, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections as c, refreshTokenBudgets as b, zohoClients } from "@/db/schema";
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
/** Budget rows whose e-mails one query looks up. */
const PAIRS_PER_QUERY = 100;

/**
 * Statuses of the connections that may not be active (status-sql.ts `mayNotBeActive`), grouped,
 * one row per status and part: with `totalQuery`, every status's count (`statusCounts`).
 */
export function statusCountsQuery(now: number) {
  const where = mayNotBeActive(now, EXPIRING_SOON_MS);
  // Grouped by position: repeating the expression would bind `now` again as new parameters, and
  // PostgreSQL then sees a GROUP BY expression that differs from the selected one (42803).
  const part = (condition: SQL) => getDb().select({ kind: statusSql(now), n: count() }).from(c).where(condition).groupBy(sql`1`);
  return part(where.unsettled).unionAll(part(where.nearExpiry));
}

export function totalQuery() {
  return getDb().select({ n: count() }).from(c);
}

/** How many connections have each status at `now`: those not counted as otherwise are active. */
export async function statusCounts(now: number): Promise<Record<StatusKind, number>> {
  const [rows, [all]] = await Promise.all([statusCountsQuery(now), totalQuery()]);
  const counts = Object.fromEntries(STATUS_KINDS.map((k) => [k, 0])) as Record<StatusKind, number>;
  for (const r of rows) counts[r.kind] += r.n;
  counts.active += (all?.n ?? 0) - rows.reduce((sum, r) => sum + r.n, 0);
  return counts;
}

/** The most urgent connections needing attention: by status rank, then the oldest expiry, then id. */
export function attentionQuery(now: number, limit = OVERVIEW_LIMIT) {
  const where = mayNotBeActive(now, 0);
  const part = (condition: SQL) =>
    getDb()
      .select({ id: c.id, rank: statusRankSql(now), expires: sql<number>`coalesce(${c.accessTokenExpiresAt}, 0)` })
      .from(c)
      .where(and(condition, inArray(statusSql(now), [...ATTENTION_KINDS])));
  // Ordered by position: the order of a compound select names its output columns.
  return part(where.unsettled)
    .unionAll(part(where.nearExpiry))
    .orderBy(sql`2`, sql`3`, sql`1`)
    .limit(limit);
}

// Read from connections_expiry in expiry order. The unary plus keeps SQLite, which plans without
// statistics, from taking `revoked_at is null` for a selective equality on connections_status
// (it matches nearly every row) and sorting every live connection instead.
const expiringWhere = (now: number) =>
  and(gt(c.accessTokenExpiresAt, new Date(now)), lte(c.accessTokenExpiresAt, new Date(now + HOUR)), eq(c.hasAccessToken, true), sql`+${c.revokedAt} is null`);

export function expiringCountQuery(now: number) {
  return getDb().select({ n: count() }).from(c).where(expiringWhere(now));
}

// Counted apart from the first few: a window count here would make both engines materialize and
// sort every expiring row before the limit.
export function expiringQuery(now: number, limit = OVERVIEW_LIMIT) {
  return getDb().select({ id: c.id }).from(c).where(expiringWhere(now)).orderBy(asc(c.accessTokenExpiresAt), c.id).limit(limit);
}

/**
 * Live refresh tokens per (client, Zoho user), fullest first: Zoho evicts the oldest past 20.
 * Read from `refresh_token_budgets`, which triggers keep as connections are written (db/schema.ts),
 * in the order of its `refresh_token_budgets_fullest` index; each row also says how many pairs
 * hold one (`groups`), so the overview needs one query.
 */
export function budgetsQuery(limit = OVERVIEW_LIMIT) {
  const held = gt(b.live, 0);
  return getDb()
    .select({
      clientId: b.clientRef,
      zuid: b.zuid,
      live: b.live,
      groups: sql<number>`(${getDb().select({ n: count() }).from(b).where(held)})`.mapWith(Number).as("groups"),
    })
    .from(b)
    .where(held)
    .orderBy(desc(b.live), b.clientRef, b.zuid)
    .limit(limit);
}

/**
 * A Zoho e-mail address of each (client, Zoho user) pair. One equality per pair, which both
 * engines read from connections_client_zuid: SQLite plans a row-value `in` list by the client
 * alone, reading every connection of the client.
 */
export function budgetEmailsQuery(pairs: { clientId: number; zuid: string }[]) {
  return getDb()
    .select({ clientId: c.clientRef, zuid: c.zuid, email: sql<string>`min(${c.zohoEmail})` })
    .from(c)
    .where(and(or(...pairs.map((t) => and(eq(c.clientRef, t.clientId), eq(c.zuid, t.zuid)))), isNotNull(c.zohoEmail)))
    .groupBy(c.clientRef, c.zuid);
}

async function refreshTokenBudgets(limit = OVERVIEW_LIMIT): Promise<Bounded<BudgetRow>> {
  const db = getDb();
  const top = await budgetsQuery(limit);
  if (top.length === 0) return { items: [], total: 0 };
  const clientIds = [...new Set(top.map((t) => t.clientId))];
  // The names and e-mails of the rows shown: one query for the names, one per hundred pairs for the e-mails.
  const names = new Map((await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(inArray(zohoClients.id, clientIds))).map((r) => [r.id, r.name]));
  // In slices, so ?budgets=all (500 pairs) stays far from SQLite's expression depth limit.
  const slices = Array.from({ length: Math.ceil(top.length / PAIRS_PER_QUERY) }, (_, i) => top.slice(i * PAIRS_PER_QUERY, (i + 1) * PAIRS_PER_QUERY));
  const found = await Promise.all(slices.map((slice) => budgetEmailsQuery(slice)));
  const emails = new Map(found.flat().map((r) => [`${r.clientId}:${r.zuid}`, r.email]));
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
