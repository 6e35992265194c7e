/**
 * The Scopes page's filter, kept in the URL (`?q=&service=&operation=`) so a search can be
 * shared. Pure: the server page parses the URL with it and the browser filters with it.
 */
import {
  isScopeOperation,
  isServiceId,
  scopesForApi,
  searchCatalogue,
  SERVICES,
  type ApiRef,
  type ScopeEntry,
  type ScopeOperation,
  type ServiceEntry,
  type ServiceId,
} from "@/lib/zoho/scope-catalogue";

export interface CatalogueFilter {
  q: string;
  service: ServiceId | "";
  operation: ScopeOperation | "";
}

export const EMPTY_FILTER: CatalogueFilter = { q: "", service: "", operation: "" };

// Longer than any scope or API name; a pasted essay is not a search.
const MAX_QUERY = 200;

type Params = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export function parseCatalogueParams(params: Params): CatalogueFilter {
  const service = first(params.service).toLowerCase();
  const operation = first(params.operation).toUpperCase();
  return {
    q: first(params.q).slice(0, MAX_QUERY),
    service: isServiceId(service) ? service : "",
    operation: isScopeOperation(operation) ? operation : "",
  };
}

/** `?q=…&service=…` with empty parts left out, or "" when nothing is filtered. */
export function catalogueSearch(filter: CatalogueFilter): string {
  const sp = new URLSearchParams();
  if (filter.q.trim()) sp.set("q", filter.q.trim());
  if (filter.service) sp.set("service", filter.service);
  if (filter.operation) sp.set("operation", filter.operation);
  const s = sp.toString();
  return s ? `?${s}` : "";
}

export const isFiltered = (f: CatalogueFilter) => Boolean(f.q.trim() || f.service || f.operation);

export const apiKey = (a: ApiRef) => `${a.method} ${a.path} ${a.name}`;

interface ServiceResult {
  service: ServiceEntry;
  scopes: ScopeEntry[];
}

interface CatalogueResult {
  groups: ServiceResult[];
  total: number;
  /** API calls whose name matched the query, to highlight why a scope was found. */
  matchedApis: Set<string>;
}

export function filterCatalogue(filter: CatalogueFilter): CatalogueResult {
  const hits = new Set(searchCatalogue(filter.q));
  const groups = SERVICES.filter((s) => !filter.service || s.id === filter.service)
    .map((service) => ({
      service,
      scopes: service.scopes.filter((e) => hits.has(e) && (!filter.operation || e.operation === filter.operation)),
    }))
    .filter((g) => g.scopes.length > 0);
  const matchedApis = new Set(filter.q.trim() ? scopesForApi(filter.q).map((m) => apiKey(m.api)) : []);
  return { groups, total: groups.reduce((n, g) => n + g.scopes.length, 0), matchedApis };
}
