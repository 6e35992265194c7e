import "server-only";
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditTextMatch, inSubquery } from "@/db/dialect";
import { auditEvents, connections, connectionTags, users, zohoClients, type AuditEventRow } from "@/db/schema";
import { actionGroup, actionLabel, actionsInGroup, isActionGroup, targetHref, type ActorType, type AuditOutcome } from "./actions";
import { auditSentence } from "./sentences";
import { auditSearchTerms, timeWindow, type AuditFilter, type AuditQuery, type Cursor } from "./filters";

/** One event as a page, the export or a chart may see it. The detail never holds a secret. */
export interface AuditEventDto {
  id: number;
  at: number;
  actor: { type: ActorType; id: string | null; label: string };
  action: string;
  actionLabel: string;
  group: string | null;
  target: { type: string; id: string; label: string | null; href: string | null } | null;
  outcome: AuditOutcome;
  ip: string | null;
  /** How many events the row stands for: anonymous events repeated within a minute share one. */
  count: number;
  summary: string;
  detail: Record<string, unknown> | null;
  /** The request, server action or refresher run that wrote it (its log lines carry the same id). */
  requestId: string | null;
}

export interface AuditPage {
  events: AuditEventDto[];
  /** Cursor of the next older page, when there is one. */
  older: Cursor | null;
  /** Cursor of the next newer page, when the page is not the newest. */
  newer: Cursor | null;
}

export const PAGE_SIZE = 50;
/** Counting stops here: "10,000+" is as useful as an exact figure and costs a bounded scan. */
export const COUNT_CAP = 10_000;

const a = auditEvents;
// Every column but the search text, which only the search reads (up to 4 kB a row).
const LISTED = Object.fromEntries(Object.entries(getTableColumns(a)).filter(([k]) => k !== "searchText")) as Omit<ReturnType<typeof getTableColumns<typeof a>>, "searchText">;
type ListedRow = Omit<AuditEventRow, "searchText">;

/** The WHERE clause of a filter; every branch is served by one of the audit indices. */
function filterWhere(filter: AuditFilter, now: number): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (filter.actor) {
    const [type, id] = filter.actor.split(":");
    parts.push(eq(a.actorType, type as ActorType));
    if (id) parts.push(eq(a.actorId, id));
  }
  if (filter.action) {
    parts.push(isActionGroup(filter.action) ? inArray(a.action, actionsInGroup(filter.action)) : eq(a.action, filter.action));
  }
  if (filter.outcome) parts.push(eq(a.outcome, filter.outcome));
  if (filter.connection !== undefined) {
    parts.push(and(eq(a.targetType, "connection"), eq(a.targetId, String(filter.connection))));
  }
  if (filter.client !== undefined) {
    // The client's own events and those of its connections.
    const ofClient = sql`SELECT CAST(${connections.id} AS TEXT) FROM ${connections} WHERE ${connections.clientRef} = ${filter.client}`;
    parts.push(
      or(
        and(eq(a.targetType, "client"), eq(a.targetId, String(filter.client))),
        and(eq(a.targetType, "connection"), inSubquery(a.targetId, ofClient)),
      ),
    );
  }
  if (filter.tag !== undefined) {
    const tagged = sql`SELECT CAST(${connectionTags.connectionId} AS TEXT) FROM ${connectionTags} WHERE ${connectionTags.tag} = ${filter.tag}`;
    parts.push(and(eq(a.targetType, "connection"), inSubquery(a.targetId, tagged)));
  }
  const words = auditSearchTerms(filter.q);
  if (words.length) parts.push(auditTextMatch(a.id, a.searchText, words));
  const { from, to } = timeWindow(filter, now);
  if (from !== undefined) parts.push(gte(a.at, new Date(from)));
  if (to !== undefined) parts.push(lt(a.at, new Date(to)));
  return and(...parts);
}

// (at, id) compared as a pair: strictly older or strictly newer than the cursor row. Written as
// one row value, SQLite starts the index walk at the cursor; the equivalent OR of two
// comparisons made it walk from the newest event and skip every row before the cursor, so each
// batch of a long export cost more than the last.
const olderThan = (c: Cursor) => sql`(${a.at}, ${a.id}) < (${c.at}, ${c.id})`;
const newerThan = (c: Cursor) => sql`(${a.at}, ${a.id}) > (${c.at}, ${c.id})`;

const cursorOf = (e: { at: number; id: number }): Cursor => ({ at: e.at, id: e.id });

/**
 * The query behind a page or an export batch, by keyset on (time, id) so that page 500 costs
 * what page 1 costs: newest first from `before`, or (walking back with `after`) oldest first.
 */
function keysetQuery(query: AuditQuery, now: number, rows: number) {
  const where = filterWhere(query.filter, now);
  const db = getDb();
  if (query.after) return db.select(LISTED).from(a).where(and(where, newerThan(query.after))).orderBy(asc(a.at), asc(a.id)).limit(rows);
  const cond = query.before ? and(where, olderThan(query.before)) : where;
  return db.select(LISTED).from(a).where(cond).orderBy(desc(a.at), desc(a.id)).limit(rows);
}

/** The query behind one page: one row more than the page, to tell whether another follows. */
export function auditPageQuery(query: AuditQuery, now: number, limit: number) {
  return keysetQuery(query, now, limit + 1);
}

/** One page of events, newest first: `before` walks to older events, `after` back to newer ones. */
export async function listAuditPage(query: AuditQuery, opts: { limit?: number; now?: number } = {}): Promise<AuditPage> {
  const limit = opts.limit ?? PAGE_SIZE;
  const rows = await auditPageQuery(query, opts.now ?? Date.now(), limit);
  const more = rows.length > limit;
  if (query.after) {
    const events = await toDtos(rows.slice(0, limit).reverse());
    return { events, newer: more && events.length ? cursorOf(events[0]) : null, older: events.length ? cursorOf(events.at(-1)!) : query.after };
  }
  const events = await toDtos(rows.slice(0, limit));
  return {
    events,
    older: more && events.length ? cursorOf(events.at(-1)!) : null,
    newer: query.before ? (events.length ? cursorOf(events[0]) : query.before) : null,
  };
}

/**
 * The order of the index that serves a filter's count. Counting needs no order, but without one
 * PostgreSQL reads a LIMITed count straight from the table (a Seq Scan that, for a rare action or
 * actor type, reads the whole trail before it finds the cap); asking for the index's own order
 * makes both engines walk that index and stop at the cap.
 */
function countOrder(filter: AuditFilter): SQL[] {
  const by = (...columns: SQLWrapper[]) => columns.map((c) => sql`${c}`);
  // The text index hands over the matching ids; no order makes the engines read them in another.
  if (filter.client !== undefined || filter.q) return [];
  if (filter.connection !== undefined) return by(a.targetType, a.targetId, a.at);
  if (filter.actor) return by(a.actorType, a.actorId, a.at);
  if (filter.action) return by(a.action, a.at);
  if (filter.outcome) return by(a.outcome, a.at);
  return by(a.at);
}

/** How many events match, counted up to the cap (the caller shows "10,000+" past it). */
export function auditCountQuery(filter: AuditFilter, now: number) {
  const inner = getDb()
    .select({ one: sql`1` })
    .from(a)
    .where(filterWhere(filter, now))
    .orderBy(...countOrder(filter))
    .limit(COUNT_CAP + 1);
  return getDb().select({ n: sql<number>`count(*)`.mapWith(Number) }).from(inner.as("matched"));
}

export async function countAuditEvents(filter: AuditFilter, now = Date.now()): Promise<{ count: number; capped: boolean }> {
  const [row] = await auditCountQuery(filter, now);
  const n = row?.n ?? 0;
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

/**
 * Rows per export batch (about 16 kB of CSV, one chunk). Small on purpose: a batch's rows, DTOs
 * and records are all alive while it is turned into CSV, and with larger batches V8 found enough
 * of them alive at young-generation collections to promote them (or allocate them straight in
 * the old generation), where they piled up as garbage until the next full collection: the
 * server's memory then grew by some 140 MiB over a 200,000-row export instead of staying flat.
 */
export const EXPORT_BATCH = 50;

/**
 * Every matching event, newest first, one keyset batch per `next()`: a batch is read from SQL
 * only when the consumer asks for it, so the CSV export holds one batch at a time whatever the
 * total, and `return()` stops the reading. An iterator rather than a generator so that nothing
 * of a batch stays referenced between two calls (a suspended generator keeps its locals alive).
 */
export function auditEventBatches(filter: AuditFilter, opts: { batch?: number; now?: number } = {}): AsyncIterableIterator<AuditEventDto[]> {
  const size = opts.batch ?? EXPORT_BATCH;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch must be a positive integer, not ${size}`);
  const now = opts.now ?? Date.now();
  let before: Cursor | undefined;
  let done = false;
  const end = { done: true, value: undefined } as const;
  return {
    async next() {
      if (done) return end;
      const rows = await keysetQuery({ filter, before }, now, size);
      if (rows.length < size) done = true;
      if (!rows.length) return end;
      const last = rows[rows.length - 1];
      before = { at: last.at.getTime(), id: last.id };
      return { done: false, value: await toDtos(rows) };
    },
    async return() {
      done = true;
      return end;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Every matching event, newest first, read in keyset batches (see auditEventBatches). */
export async function* iterateAuditEvents(filter: AuditFilter, opts: { batch?: number; now?: number } = {}): AsyncGenerator<AuditEventDto> {
  for await (const batch of auditEventBatches(filter, opts)) yield* batch;
}

/** The connection's own events, newest first: its history, kept after revocation. */
export async function connectionHistory(connectionId: number, limit = 20): Promise<AuditPage> {
  return listAuditPage({ filter: { connection: connectionId } }, { limit });
}

/** One event by its id (its permalink), or null when there is none (never was, or pruned). */
export async function getAuditEvent(id: number): Promise<AuditEventDto | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const rows = await getDb().select(LISTED).from(a).where(eq(a.id, id)).limit(1);
  return rows.length ? (await toDtos(rows))[0] : null;
}

/** Names for the targets of a page of events, one query per target type. */
async function targetNames(rows: ListedRow[]): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && /^\d+$/.test(r.targetId ?? "")).map((r) => Number(r.targetId)))];
  const names = new Map<string, string>();
  const db = getDb();
  const conn = ids("connection");
  if (conn.length) for (const r of await db.select({ id: connections.id, name: connections.name }).from(connections).where(inArray(connections.id, conn))) names.set(`connection:${r.id}`, r.name);
  const cli = ids("client");
  if (cli.length) for (const r of await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(inArray(zohoClients.id, cli))) names.set(`client:${r.id}`, r.name);
  const usr = ids("user");
  if (usr.length) for (const r of await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, usr))) names.set(`user:${r.id}`, r.email);
  return names;
}

async function toDtos(rows: ListedRow[]): Promise<AuditEventDto[]> {
  const names = await targetNames(rows);
  return rows.map((r) => {
    const detail = r.detail ?? null;
    const fallbackName = typeof detail?.name === "string" ? detail.name : typeof detail?.email === "string" ? detail.email : null;
    return {
      id: r.id,
      at: r.at.getTime(),
      actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
      action: r.action,
      actionLabel: actionLabel(r.action),
      group: actionGroup(r.action),
      target:
        r.targetType && r.targetId
          ? {
              type: r.targetType,
              id: r.targetId,
              label: names.get(`${r.targetType}:${r.targetId}`) ?? fallbackName,
              href: targetHref(r.targetType, r.targetId),
            }
          : null,
      outcome: r.outcome,
      ip: r.ip,
      count: r.repeatCount,
      summary: auditSentence(r.action, r.outcome, detail),
      detail,
      requestId: r.requestId ?? null,
    };
  });
}

/** Who can be picked in the actor filter: the console's users plus the non-person actors. */
export async function actorOptions(): Promise<{ value: string; label: string }[]> {
  const people = await getDb().select({ id: users.id, email: users.email }).from(users).orderBy(asc(users.email));
  return [
    { value: "system", label: "System (background jobs)" },
    { value: "anonymous", label: "Anonymous (signed out)" },
    { value: "api_key", label: "Any API key" },
    { value: "user", label: "Any user" },
    ...people.map((p) => ({ value: `user:${p.id}`, label: p.email })),
  ];
}

/** Clients and connections for the filter's pickers (names only; bounded). */
export async function targetOptions(): Promise<{ clients: { id: number; name: string }[]; connections: { id: number; name: string; revoked: boolean }[] }> {
  const db = getDb();
  const clients = await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).orderBy(asc(zohoClients.name)).limit(500);
  const conns = await db
    .select({ id: connections.id, name: connections.name, revoked: sql<boolean>`${connections.revokedAt} IS NOT NULL`.mapWith(Boolean) })
    .from(connections)
    .orderBy(desc(connections.id))
    .limit(500);
  return { clients, connections: conns };
}

/** What the audit page shows: one page and the (capped) total, both as of the same instant. */
export async function auditView(query: AuditQuery): Promise<{ page: AuditPage; total: { count: number; capped: boolean } }> {
  const now = Date.now();
  const [page, total] = await Promise.all([listAuditPage(query, { now }), countAuditEvents(query.filter, now)]);
  return { page, total };
}
