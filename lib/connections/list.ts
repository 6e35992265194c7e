import "server-only";
import { and, asc, count, desc, eq, gt, inArray, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { caseless, containsPattern, inSubquery, likeCaseless } from "@/db/dialect";
import { connections as c, zohoClients } from "@/db/schema";
import { searchWords } from "@/lib/search-words";
import { DC_LABELS, isDcLocation } from "@/lib/zoho";
import type { StatusFacts } from "@/lib/connection-status";
import type { ServiceId } from "@/lib/zoho";
import { dtosByIds, PAGE_SIZE, type ConnectionDto, type ListQuery } from "./queries";
import { statusRankSql, statusSql } from "./status-sql";
import { tagOptions, taggedIds } from "./tags";

/**
 * One row of the list: only what its cells and its live status need. The page hands the first
 * page to a client component, so every field here is sent twice (HTML and RSC payload) 20 times,
 * and again on every poll: scopes, binding, token hints and the server's status stay out.
 */
export interface ConnectionListRow {
  id: number;
  name: string;
  client: string;
  services: ServiceId[];
  /** One line naming the bound organisations, or null when none is bound. */
  organisation: string | null;
  location: string;
  zohoUser: string | null;
  zuid: string | null;
  lastRefreshAt: number | null;
  tags: string[];
  /** What the status is computed from in the browser, with the kind of the last error. */
  facts: StatusFacts;
}

export function toListRow(d: ConnectionDto): ConnectionListRow {
  return {
    id: d.id,
    name: d.name,
    client: d.client.name,
    services: d.services,
    organisation: d.organisation,
    location: d.location,
    zohoUser: d.zohoUser.email ?? d.zohoUser.name,
    zuid: d.zohoUser.zuid,
    lastRefreshAt: d.lastRefreshAt,
    tags: d.tags,
    facts: { ...d.facts, lastErrorKind: d.lastError?.kind ?? null },
  };
}

export interface ConnectionList {
  items: ConnectionListRow[];
  total: number;
  page: number;
  pageCount: number;
  /** Connections before any filter: tells "none yet" from "none match". */
  totalAll: number;
  generatedAt: number;
}

// The scope prefixes of each service, as they appear inside the stored JSON arrays.
const SERVICE_SCOPE_PREFIX: Record<NonNullable<ListQuery["service"]>, string> = {
  desk: '"Desk.',
  assist: '"ZohoAssist.',
  salesiq: '"SalesIQ.',
  profile: '"AaaServer.',
};

/** Every word must appear in the name, client, Zoho user, organisation or data centre. */
function searchWhere(q: string): SQL | undefined {
  const words = searchWords(q, q.length, 8);
  const each = words.map((w) => {
    const p = containsPattern(w);
    const like = (col: SQL | AnyColumn) => likeCaseless(col, p);
    return or(
      like(c.name),
      like(c.zohoEmail),
      like(c.zohoName),
      like(c.zuid),
      like(c.location),
      like(sql`${c.orgBinding}`),
      inArray(c.clientRef, getDb().select({ id: zohoClients.id }).from(zohoClients).where(like(zohoClients.name))),
    );
  });
  return each.length ? and(...each) : undefined;
}

/**
 * The WHERE clause of a list query. Status, client and data centre are read from the
 * `connections_status` index; service and search look into the rows (they are typed, not polled).
 */
function listWhere(query: ListQuery, now: number): SQL | undefined {
  return and(
    query.status ? eq(statusSql(now), query.status) : undefined,
    query.client ? eq(c.clientRef, query.client) : undefined,
    query.dc ? eq(c.location, query.dc) : undefined,
    query.service
      ? sql`coalesce(nullif(${c.scopesGranted}, '[]'), ${c.scopesRequested}) like ${`%${SERVICE_SCOPE_PREFIX[query.service]}%`}`
      : undefined,
    query.q ? searchWhere(query.q) : undefined,
    // Through connection_tags_tag: the tagged ids, then each row by its key.
    query.tag ? inSubquery(c.id, taggedIds(query.tag)) : undefined,
  );
}

function listOrder(query: ListQuery, now: number): SQL[] {
  const sort = query.sort ?? "status";
  const dir = query.dir ?? (sort === "last_refresh" || sort === "created" ? "desc" : "asc");
  const by = dir === "asc" ? asc : desc;
  switch (sort) {
    case "name":
      return [by(caseless(c.name)), by(c.id)];
    case "status":
      return [by(statusRankSql(now)), by(sql`coalesce(${c.accessTokenExpiresAt}, 0)`), by(c.id)];
    case "expiry":
      // Connections without a token last (first when reversed), said as NULLS LAST/FIRST rather
      // than a leading `is null` key: one sort key, which connections_expiry serves on both
      // engines (PostgreSQL could not use the index for the `is null` form and read every row).
      return [dir === "asc" ? sql`${c.accessTokenExpiresAt} asc nulls last` : sql`${c.accessTokenExpiresAt} desc nulls first`, by(c.id)];
    case "last_refresh":
      return [by(c.lastRefreshAt), by(c.id)];
    case "created":
      return [by(c.createdAt), by(c.id)];
  }
}

/** The ids of one page, read from an index; the rows themselves are fetched for those ids only. */
export function listIdsQuery(query: ListQuery, now: number, page: number) {
  return getDb()
    .select({ id: c.id })
    .from(c)
    .where(listWhere(query, now))
    .orderBy(...listOrder(query, now))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
}

/** The ids of every connection the filter matches, by id (a bulk action's "every match"), bounded. */
export function matchingIdsQuery(query: ListQuery, now: number, limit: number) {
  return getDb().select({ id: c.id }).from(c).where(listWhere(query, now)).orderBy(asc(c.id)).limit(limit);
}

/** One export batch: the next `limit` matching ids after `after`, by id (a keyset, so batch 500 costs what batch 1 does). */
export function idsAfterQuery(query: ListQuery, now: number, after: number, limit: number) {
  return getDb().select({ id: c.id }).from(c).where(and(listWhere(query, now), gt(c.id, after))).orderBy(asc(c.id)).limit(limit);
}

export function listCountQuery(query: ListQuery, now: number) {
  return getDb().select({ n: count() }).from(c).where(listWhere(query, now));
}

export async function listConnections(query: ListQuery, now = Date.now()): Promise<ConnectionList> {
  const [counted] = await listCountQuery(query, now);
  const total = counted?.n ?? 0;
  const filtered = Boolean(query.status || query.client || query.dc || query.service || query.q || query.tag);
  const totalAll = filtered ? ((await getDb().select({ n: count() }).from(c))[0]?.n ?? 0) : total;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pageCount);
  const ids = (await listIdsQuery(query, now, page)).map((r) => r.id);
  return { items: (await dtosByIds(ids, now)).map(toListRow), total, page, pageCount, totalAll, generatedAt: now };
}

/** Options for the list's filters: clients and data centres actually in use. */
export async function listFilterOptions() {
  const db = getDb();
  const clients = await db
    .select({ id: zohoClients.id, name: zohoClients.name })
    .from(zohoClients)
    .where(inArray(zohoClients.id, db.selectDistinct({ id: c.clientRef }).from(c)))
    .orderBy(zohoClients.name);
  const dcs = (await db.selectDistinct({ dc: c.location }).from(c).orderBy(c.location)).map((r) => r.dc);
  return { clients, dcs: dcs.map((dc) => ({ dc, label: isDcLocation(dc) ? DC_LABELS[dc] : dc })), tags: await tagOptions() };
}
