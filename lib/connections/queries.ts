import "server-only";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { connections, zohoClients, type ConnectionRow, type OrgBinding, type ZohoClientRow } from "@/db/schema";
import { connectionStatus, STATUS_KINDS, type ConnectionStatus, type StatusFacts, type StatusKind } from "@/lib/connection-status";
import { refreshBudget } from "@/lib/tokens/mints";
import { DC_LABELS, isDcLocation, servicesOf, ZohoError, ZOHO_ERROR_KINDS, type ServiceId, type ZohoErrorKind } from "@/lib/zoho";

/** What a page or the polling route may see of a connection: no secret beyond a last four. */
export interface ConnectionDto {
  id: number;
  name: string;
  client: { id: number; name: string; realm: string };
  accessType: "offline" | "online";
  zohoUser: { zuid: string | null; email: string | null; name: string | null };
  location: string;
  dcLabel: string;
  accountsServer: string;
  apiDomain: string;
  scopesRequested: string[];
  scopesGranted: string[];
  services: ServiceId[];
  binding: OrgBinding;
  /** One line naming the bound organisations, e.g. "Desk: Zylker Support". */
  organisation: string | null;
  accessTokenLast4: string | null;
  accessTokenExpiresAt: number | null;
  refreshTokenLast4: string | null;
  refreshTokenIssuedAt: number | null;
  lastRefreshAt: number | null;
  lastError: { kind: string; message: string; at: number | null; advice: string | null } | null;
  keepFresh: boolean;
  createdAt: number;
  facts: StatusFacts;
  /** As computed on the server at `generatedAt`; the browser recomputes from `facts`. */
  status: ConnectionStatus;
}

export interface ConnectionDetailDto extends ConnectionDto {
  /** Refresh mints in the trailing ten minutes and when the next becomes possible. */
  mintBudget: { used: number; limit: number; possibleAt: number } | null;
}

const ms = (d: Date | null) => (d ? d.getTime() : null);

/** The columns a status is computed from; the tokens themselves only as "is there one". */
export type FactColumns = Pick<
  ConnectionRow,
  "accessType" | "accessTokenExpiresAt" | "failureCount" | "nextRetryAt" | "throttledUntil" | "lastErrorKind" | "lastErrorMessage" | "reauthReason" | "revokedAt" | "keepFresh"
> & { hasAccessToken: boolean; hasRefreshToken: boolean };

export function factsFromColumns(r: FactColumns): StatusFacts {
  return {
    accessType: r.accessType,
    hasAccessToken: r.hasAccessToken,
    hasRefreshToken: r.hasRefreshToken,
    accessTokenExpiresAt: r.hasAccessToken ? ms(r.accessTokenExpiresAt) : null,
    failureCount: r.failureCount,
    nextRetryAt: ms(r.nextRetryAt),
    throttledUntil: ms(r.throttledUntil),
    lastErrorKind: r.lastErrorKind,
    lastErrorMessage: r.lastErrorMessage,
    reauthReason: r.reauthReason,
    revokedAt: ms(r.revokedAt),
    keepFresh: r.keepFresh,
  };
}

export function factsOf(row: ConnectionRow): StatusFacts {
  return factsFromColumns({ ...row, hasAccessToken: !!row.accessTokenEnc, hasRefreshToken: !!row.refreshTokenEnc });
}

export function organisationOf(b: OrgBinding): string | null {
  const parts = [
    b.desk && `Desk: ${b.desk.name}`,
    b.assist && `Assist: ${b.assist.name}${b.assist.environment && b.assist.environment !== "Production" ? ` (${b.assist.environment})` : ""}`,
    b.salesiq && `SalesIQ: ${b.salesiq.name}`,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : null;
}

function adviceFor(kind: string | null): string | null {
  if (!kind || !(ZOHO_ERROR_KINDS as readonly string[]).includes(kind)) return null;
  return new ZohoError(kind as ZohoErrorKind, { operation: "refresh" }).advice;
}

type ClientPart = Pick<ZohoClientRow, "id" | "name" | "realm">;

export function toDto(row: ConnectionRow, client: ClientPart, now = Date.now()): ConnectionDto {
  const facts = factsOf(row);
  return {
    id: row.id,
    name: row.name,
    client: { id: client.id, name: client.name, realm: client.realm },
    accessType: row.accessType,
    zohoUser: { zuid: row.zuid, email: row.zohoEmail, name: row.zohoName },
    location: row.location,
    dcLabel: isDcLocation(row.location) ? DC_LABELS[row.location] : row.location,
    accountsServer: row.accountsServer,
    apiDomain: row.apiDomain,
    scopesRequested: row.scopesRequested,
    scopesGranted: row.scopesGranted,
    services: servicesOf(row.scopesGranted.length ? row.scopesGranted : row.scopesRequested),
    binding: row.orgBinding ?? {},
    organisation: organisationOf(row.orgBinding ?? {}),
    accessTokenLast4: row.accessTokenLast4,
    accessTokenExpiresAt: ms(row.accessTokenExpiresAt),
    refreshTokenLast4: row.refreshTokenLast4,
    refreshTokenIssuedAt: ms(row.refreshTokenIssuedAt),
    lastRefreshAt: ms(row.lastRefreshAt),
    lastError: row.lastErrorKind
      ? { kind: row.lastErrorKind, message: row.lastErrorMessage ?? "", at: ms(row.lastErrorAt), advice: adviceFor(row.lastErrorKind) }
      : null,
    keepFresh: row.keepFresh,
    createdAt: row.createdAt.getTime(),
    facts,
    status: connectionStatus(facts, now),
  };
}

export function allRows(): { row: ConnectionRow; client: ClientPart }[] {
  return getDb()
    .select({ row: connections, client: { id: zohoClients.id, name: zohoClients.name, realm: zohoClients.realm } })
    .from(connections)
    .innerJoin(zohoClients, eq(connections.clientRef, zohoClients.id))
    .orderBy(desc(connections.createdAt))
    .all();
}

export function getConnection(id: number, now = Date.now()): ConnectionDetailDto | undefined {
  const found = getDb()
    .select({ row: connections, client: { id: zohoClients.id, name: zohoClients.name, realm: zohoClients.realm } })
    .from(connections)
    .innerJoin(zohoClients, eq(connections.clientRef, zohoClients.id))
    .where(eq(connections.id, id))
    .get();
  if (!found) return undefined;
  const dto = toDto(found.row, found.client, now);
  const live = found.row.refreshTokenEnc && !found.row.revokedAt;
  const budget = live ? refreshBudget(found.row, now) : null;
  return { ...dto, mintBudget: budget ? { used: budget.used, limit: budget.limit, possibleAt: budget.possibleAt } : null };
}

/** The connection with the moment it was read, which the page's countdown starts from. */
export function connectionSnapshot(id: number): { connection: ConnectionDetailDto; generatedAt: number } | undefined {
  const generatedAt = Date.now();
  const connection = getConnection(id, generatedAt);
  return connection ? { connection, generatedAt } : undefined;
}

// ---- list: filters, search, sort and page all come from the URL --------------------------------

export const SORTS = ["name", "status", "expiry", "last_refresh", "created"] as const;
export const PAGE_SIZE = 20;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values).optional()).catch(undefined);

export const listQuerySchema = z.object({
  status: optionalEnum(STATUS_KINDS),
  client: z.coerce.number().int().positive().optional().catch(undefined),
  service: optionalEnum(["desk", "assist", "salesiq", "profile"] as const),
  dc: z.string().trim().max(4).regex(/^[a-z]*$/).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: optionalEnum(SORTS),
  dir: optionalEnum(["asc", "desc"] as const),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Reads URL search params (a record or URLSearchParams) into a clean query; bad values drop. */
export function parseListQuery(input: Record<string, string | string[] | undefined> | URLSearchParams): ListQuery {
  const entries = input instanceof URLSearchParams ? [...input.entries()] : Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]);
  return listQuerySchema.parse(Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
}

export interface ConnectionList {
  items: ConnectionDto[];
  total: number;
  page: number;
  pageCount: number;
  /** Connections before any filter: tells "none yet" from "none match". */
  totalAll: number;
  generatedAt: number;
}

export const STATUS_ORDER = Object.fromEntries(
  ["needs_reauth", "online_expired", "refresh_failing", "throttled", "expired_refreshable", "expiring_soon", "active", "revoked"].map((k, i) => [k, i]),
) as Record<StatusKind, number>;

function matchesSearch(d: ConnectionDto, q: string): boolean {
  const hay = [d.name, d.client.name, d.zohoUser.email, d.zohoUser.name, d.zohoUser.zuid, d.organisation, d.location].join(" ").toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

// Status depends on the clock, so filtering and sorting happen on DTOs; a console holds
// hundreds of connections, not millions.
export function listConnections(query: ListQuery, now = Date.now()): ConnectionList {
  const all = allRows().map(({ row, client }) => toDto(row, client, now));
  let items = all.filter(
    (d) =>
      (!query.status || d.status.kind === query.status) &&
      (!query.client || d.client.id === query.client) &&
      (!query.service || d.services.includes(query.service)) &&
      (!query.dc || d.location === query.dc) &&
      (!query.q || matchesSearch(d, query.q)),
  );
  const sort = query.sort ?? "status";
  const sign = (query.dir ?? (sort === "last_refresh" || sort === "created" ? "desc" : "asc")) === "asc" ? 1 : -1;
  const key = (d: ConnectionDto): number | string => {
    switch (sort) {
      case "name":
        return d.name.toLowerCase();
      case "status":
        return STATUS_ORDER[d.status.kind] * 1e15 + (d.accessTokenExpiresAt ?? 0) / 1e3;
      case "expiry":
        return d.accessTokenExpiresAt ?? Number.MAX_SAFE_INTEGER;
      case "last_refresh":
        return d.lastRefreshAt ?? 0;
      case "created":
        return d.createdAt;
    }
  };
  items = [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * sign;
  });
  const pageCount = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pageCount);
  return {
    items: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total: items.length,
    page,
    pageCount,
    totalAll: all.length,
    generatedAt: now,
  };
}

/** Options for the list's filters: clients and data centres actually in use. */
export function listFilterOptions() {
  const rows = allRows();
  const clients = new Map(rows.map(({ client }) => [client.id, client.name]));
  const dcs = [...new Set(rows.map(({ row }) => row.location))].sort();
  return { clients: [...clients].map(([id, name]) => ({ id, name })), dcs: dcs.map((dc) => ({ dc, label: isDcLocation(dc) ? DC_LABELS[dc] : dc })) };
}
