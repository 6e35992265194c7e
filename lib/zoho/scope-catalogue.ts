/**
 * The scope catalogue: which scopes exist, what they allow, which API calls need them, and how
 * each service's organisations are found. Zoho's own console offers a blank text box; this is
 * what lets ours offer a picker instead.
 */
import { ASSIST } from "./catalogue/assist";
import { DESK } from "./catalogue/desk";
import { PROFILE } from "./catalogue/profile";
import { SALESIQ } from "./catalogue/salesiq";
import {
  SCOPE_OPERATIONS,
  SERVICE_IDS,
  type ApiRef,
  type ScopeEntry,
  type ScopeOperation,
  type ServiceEntry,
  type ServiceId,
} from "./catalogue/types";

export * from "./catalogue/types";

export const SERVICES: readonly ServiceEntry[] = [DESK, ASSIST, SALESIQ, PROFILE];

export const SCOPE_CATALOGUE: readonly ScopeEntry[] = SERVICES.flatMap((s) => s.scopes);

const BY_LOWER = new Map(SCOPE_CATALOGUE.map((e) => [e.scope.toLowerCase(), e]));
const SERVICE_BY_PREFIX = new Map(SERVICES.map((s) => [s.scopePrefix.toLowerCase(), s.id]));

export function serviceEntry(id: ServiceId): ServiceEntry {
  const found = SERVICES.find((s) => s.id === id);
  if (!found) throw new TypeError(`Unknown service: ${String(id)}`);
  return found;
}

export function isServiceId(value: unknown): value is ServiceId {
  return typeof value === "string" && (SERVICE_IDS as readonly string[]).includes(value);
}

/** Case-insensitive: Zoho treats scope names that way, and users paste them in any case. */
export function findScope(scope: string): ScopeEntry | undefined {
  if (typeof scope !== "string") return undefined;
  return BY_LOWER.get(scope.trim().toLowerCase());
}

/** The service a scope belongs to, by catalogue entry or, for unknown scopes, by its prefix. */
function serviceOfScope(scope: string): ServiceId | undefined {
  const known = findScope(scope);
  if (known) return known.service;
  const prefix = scope.trim().split(".")[0]?.toLowerCase();
  return prefix ? SERVICE_BY_PREFIX.get(prefix) : undefined;
}

/** Services touched by a set of scopes, in catalogue order. */
export function servicesOf(scopes: readonly string[]): ServiceId[] {
  const found = new Set(scopes.map(serviceOfScope).filter((s): s is ServiceId => s !== undefined));
  return SERVICE_IDS.filter((id) => found.has(id));
}

// --- search -------------------------------------------------------------------------------

function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    // Plural-insensitive so "list chats" finds "Chat list".
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

/** Every query word must prefix some word of the haystack. */
function matches(query: string, haystack: string): boolean {
  const q = words(query);
  if (q.length === 0) return false;
  const h = words(haystack);
  return q.every((qw) => h.some((hw) => hw.startsWith(qw)));
}

// Narrowest grant first, so a suggestion never hands out more than the call needs.
const OPERATION_RANK: Record<ScopeOperation, number> = { READ: 0, CREATE: 0, UPDATE: 0, DELETE: 0, WRITE: 1, ALL: 2 };

interface ApiMatch {
  service: ServiceId;
  api: ApiRef;
  /** Every scope that allows the call, narrowest first. */
  scopes: ScopeEntry[];
  /** The narrowest scope that allows it. */
  suggested: ScopeEntry;
}

/** Search API calls by name (e.g. "list chats") and say which scopes allow each. */
export function scopesForApi(query: string): ApiMatch[] {
  const byKey = new Map<string, ApiMatch>();
  for (const entry of SCOPE_CATALOGUE) {
    for (const a of entry.apis) {
      if (!matches(query, a.name)) continue;
      const key = `${entry.service} ${a.method} ${a.path} ${a.name}`;
      const existing = byKey.get(key);
      if (existing) existing.scopes.push(entry);
      else byKey.set(key, { service: entry.service, api: a, scopes: [entry], suggested: entry });
    }
  }
  return [...byKey.values()].map((m) => {
    const scopes = [...m.scopes].sort((a, b) => OPERATION_RANK[a.operation] - OPERATION_RANK[b.operation]);
    return { ...m, scopes, suggested: scopes[0] };
  });
}

function haystackOf(entry: ScopeEntry): string {
  const svc = serviceEntry(entry.service);
  return [
    svc.id,
    svc.name,
    entry.scope,
    entry.operation,
    entry.description,
    ...entry.apis.flatMap((a) => [a.name, a.method, a.path]),
  ].join(" ");
}

/** Search scopes by service, scope, operation, API name or path, and description. */
export function searchCatalogue(query: string): ScopeEntry[] {
  const q = query.trim();
  if (!q) return [...SCOPE_CATALOGUE];
  const exact = findScope(q);
  if (exact) return [exact];
  return SCOPE_CATALOGUE.filter((e) => matches(q, haystackOf(e)));
}

export function isScopeOperation(value: string): value is ScopeOperation {
  return (SCOPE_OPERATIONS as readonly string[]).includes(value);
}
