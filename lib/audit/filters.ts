// The audit page's filters as they stand in the URL, shared by the page, the filter form and the
// CSV export so that a bookmarked view and its export always select the same events. Pure.
import { tagFromUrl } from "@/lib/connections/tag-rules";
import { searchWords, withoutControls } from "@/lib/search-words";
import { isActionGroup, isKnownAction, OUTCOMES, type AuditOutcome } from "./actions";

export const RANGES = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days", custom: "Custom" } as const;
type AuditRange = keyof typeof RANGES;
const RANGE_MS: Record<Exclude<AuditRange, "custom">, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

export interface AuditFilter {
  /** "user:3", "api_key:2", or an actor type alone: "user", "api_key", "system", "anonymous". */
  actor?: string;
  /** A group ("tokens") or one action ("connection.refresh"). */
  action?: string;
  client?: number;
  connection?: number;
  /** Events of the connections carrying this tag (their tag changes included). */
  tag?: string;
  outcome?: AuditOutcome;
  /**
   * Free text, as typed (control characters dropped): every word of 3 characters or more must
   * occur in the event's stored search text (see lib/audit/search-text.ts).
   */
  q?: string;
  range?: AuditRange;
  /** ISO times; used with range=custom. */
  from?: string;
  to?: string;
}

export interface Cursor {
  at: number;
  id: number;
}

export interface AuditQuery {
  filter: AuditFilter;
  /** Older page: events strictly before this (time, id). */
  before?: Cursor;
  /** Newer page: events strictly after this (time, id). */
  after?: Cursor;
  /** Parameters given but not understood (an old or hand-edited link): the page says so. */
  ignored?: string[];
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(params: Params, key: string): string | undefined {
  const v = params instanceof URLSearchParams ? params.get(key) ?? undefined : params[key];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one.trim() === "" ? undefined : one.trim().slice(0, 200);
}

const ACTOR = /^(user|api_key|system|anonymous)(:\d{1,12})?$/;
const ID = /^\d{1,12}$/;

function isoOrUndefined(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

export function parseCursor(v: string | undefined): Cursor | undefined {
  const m = v ? /^(\d{1,15})\.(\d{1,12})$/.exec(v) : null;
  return m ? { at: Number(m[1]), id: Number(m[2]) } : undefined;
}

export const formatCursor = (c: Cursor) => `${c.at}.${c.id}`;

/**
 * Reads the query string. Anything malformed is dropped rather than refused, as a link may be
 * old, and named in `ignored` so the page can say which filters it did not apply.
 */
export function parseAuditQuery(params: Params): AuditQuery {
  const filter: AuditFilter = {};
  const ignored: string[] = [];
  // Takes a value when `ok` says so; a value given but not taken is reported, not silently lost.
  const take = <K extends keyof AuditFilter>(key: K, ok: (v: string) => boolean, as: (v: string) => AuditFilter[K]) => {
    const v = get(params, key);
    if (v === undefined) return;
    if (ok(v)) filter[key] = as(v);
    else ignored.push(key);
  };
  take("actor", (v) => ACTOR.test(v), String);
  take("action", (v) => isActionGroup(v) || isKnownAction(v) || /^[a-z_]{1,40}\.[a-z_]{1,40}$/.test(v), String);
  take("client", (v) => ID.test(v), Number);
  take("connection", (v) => ID.test(v), Number);
  take("tag", (v) => tagFromUrl(v) !== undefined, (v) => tagFromUrl(v));
  take("outcome", (v) => (OUTCOMES as readonly string[]).includes(v), (v) => v as AuditOutcome);
  take("q", (v) => auditSearchTerms(v).length > 0, (v) => withoutControls(v).replace(/\s+/g, " "));
  take("range", (v) => Object.hasOwn(RANGES, v), (v) => v as AuditRange);
  if (filter.range === "custom") {
    take("from", (v) => isoOrUndefined(v) !== undefined, (v) => isoOrUndefined(v));
    take("to", (v) => isoOrUndefined(v) !== undefined, (v) => isoOrUndefined(v));
    if (filter.from && filter.to && filter.from >= filter.to) {
      delete filter.from;
      delete filter.to;
      ignored.push("from", "to");
    }
  }
  const before = parseCursor(get(params, "before"));
  const after = before ? undefined : parseCursor(get(params, "after"));
  if (!before && get(params, "before") !== undefined) ignored.push("before");
  if (!before && !after && get(params, "after") !== undefined) ignored.push("after");
  return { filter, ...(ignored.length ? { ignored } : {}), ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

/** The filter as a query string (without cursors), in a fixed order so equal filters give equal URLs. */
export function auditSearchParams(filter: AuditFilter, extra: Record<string, string> = {}): URLSearchParams {
  const out = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => v !== undefined && out.set(k, String(v));
  put("actor", filter.actor);
  put("action", filter.action);
  put("client", filter.client);
  put("connection", filter.connection);
  put("tag", filter.tag);
  put("outcome", filter.outcome);
  put("q", filter.q);
  put("range", filter.range);
  if (filter.range === "custom") {
    put("from", filter.from);
    put("to", filter.to);
  }
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

export function auditHref(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const qs = auditSearchParams(filter, extra).toString();
  return qs ? `/audit?${qs}` : "/audit";
}

export { auditEventHref } from "./event-href";

/** Shortest word a search uses: both engines' indices match runs of three characters (trigrams). */
export const MIN_SEARCH_WORD = 3;
const MAX_SEARCH_WORDS = 8;

/**
 * The words a search text looks for, lower-cased: control characters are spaces (NUL would cut a
 * pattern short on SQLite and is refused by PostgreSQL), and words shorter than three characters
 * are dropped, as no trigram index can find them. Empty when nothing searchable is left.
 */
export function auditSearchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return searchWords(q, 200, MAX_SEARCH_WORDS * 4)
    .filter((w) => [...w].length >= MIN_SEARCH_WORD)
    .slice(0, MAX_SEARCH_WORDS);
}

/** The time window a filter selects, as epoch ms bounds [from, to). */
export function timeWindow(filter: AuditFilter, now: number): { from?: number; to?: number } {
  if (!filter.range) return {};
  if (filter.range === "custom") {
    return {
      ...(filter.from ? { from: Date.parse(filter.from) } : {}),
      ...(filter.to ? { to: Date.parse(filter.to) } : {}),
    };
  }
  return { from: now - RANGE_MS[filter.range] };
}

export const isFiltered = (f: AuditFilter) => Object.keys(f).length > 0;
