import "server-only";
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { connections, zohoClients, type ConnectionRow, type OrgBinding, type ZohoClientRow } from "@/db/schema";
import { connectionStatus, STATUS_KINDS, type ConnectionStatus, type StatusFacts } from "@/lib/connection-status";
import { withoutControls } from "@/lib/search-words";
import { refreshBudget } from "@/lib/tokens/mints";
import { tagsOf } from "./tags";
import { tagFromUrl } from "./tag-rules";
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
  /** Labels such as "env:prod", sorted. */
  tags: string[];
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
type FactColumns = Pick<
  ConnectionRow,
  "accessType" | "accessTokenExpiresAt" | "failureCount" | "nextRetryAt" | "throttledUntil" | "lastErrorKind" | "lastErrorMessage" | "reauthReason" | "revokedAt" | "keepFresh"
> & { hasAccessToken: boolean; hasRefreshToken: boolean; evictedByRef?: number | null };

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
    // Only when set: list pages carry the facts of every row.
    ...(r.evictedByRef ? { evictedBy: r.evictedByRef } : {}),
  };
}

export function factsOf(row: ConnectionRow): StatusFacts {
  return factsFromColumns({ ...row, hasAccessToken: !!row.accessTokenEnc, hasRefreshToken: !!row.refreshTokenEnc });
}

function organisationOf(b: OrgBinding): string | null {
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

/**
 * Every column a DTO is made of: never a ciphertext, only whether one is stored. Lists select
 * exactly these.
 */
const dtoColumns = {
  id: connections.id,
  name: connections.name,
  accessType: connections.accessType,
  zuid: connections.zuid,
  zohoEmail: connections.zohoEmail,
  zohoName: connections.zohoName,
  location: connections.location,
  accountsServer: connections.accountsServer,
  apiDomain: connections.apiDomain,
  scopesRequested: connections.scopesRequested,
  scopesGranted: connections.scopesGranted,
  orgBinding: connections.orgBinding,
  accessTokenLast4: connections.accessTokenLast4,
  accessTokenExpiresAt: connections.accessTokenExpiresAt,
  refreshTokenLast4: connections.refreshTokenLast4,
  refreshTokenIssuedAt: connections.refreshTokenIssuedAt,
  lastRefreshAt: connections.lastRefreshAt,
  lastErrorKind: connections.lastErrorKind,
  lastErrorMessage: connections.lastErrorMessage,
  lastErrorAt: connections.lastErrorAt,
  failureCount: connections.failureCount,
  nextRetryAt: connections.nextRetryAt,
  throttledUntil: connections.throttledUntil,
  reauthReason: connections.reauthReason,
  revokedAt: connections.revokedAt,
  keepFresh: connections.keepFresh,
  evictedByRef: connections.evictedByRef,
  createdAt: connections.createdAt,
  hasAccessToken: connections.hasAccessToken,
  hasRefreshToken: connections.hasRefreshToken,
};
const clientColumns = { id: zohoClients.id, name: zohoClients.name, realm: zohoClients.realm };

/** DTO rows with their clients, for the given ids, in the order given. */
export async function dtosByIds(ids: number[], now: number): Promise<ConnectionDto[]> {
  if (ids.length === 0) return [];
  const rows = await getDb()
    .select({ row: dtoColumns, client: clientColumns })
    .from(connections)
    .innerJoin(zohoClients, eq(connections.clientRef, zohoClients.id))
    .where(inArray(connections.id, ids));
  const tags = await tagsOf(ids);
  const byId = new Map(rows.map((r) => [r.row.id, toDto(r.row, r.client, tags.get(r.row.id) ?? [], now)]));
  return ids.map((id) => byId.get(id)).filter((d): d is ConnectionDto => d !== undefined);
}

type DtoRow = { [K in keyof typeof dtoColumns]: ConnectionRow[K] };

function toDto(row: DtoRow, client: ClientPart, tags: string[], now = Date.now()): ConnectionDto {
  const facts = factsFromColumns({ ...row, hasAccessToken: !!row.hasAccessToken, hasRefreshToken: !!row.hasRefreshToken });
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
    tags,
    createdAt: row.createdAt.getTime(),
    facts,
    status: connectionStatus(facts, now),
  };
}

/**
 * The whole row, ciphertexts included: the one read of it for lib/ (the token engine, the
 * connect flow). Pages and routes get DTOs (`getConnection`), never this.
 */
export async function loadConnection(id: number): Promise<ConnectionRow | undefined> {
  const [row] = await getDb().select().from(connections).where(eq(connections.id, id));
  return row;
}

export async function getConnection(id: number, now = Date.now()): Promise<ConnectionDetailDto | undefined> {
  const [found] = await getDb()
    .select({ row: dtoColumns, client: clientColumns })
    .from(connections)
    .innerJoin(zohoClients, eq(connections.clientRef, zohoClients.id))
    .where(eq(connections.id, id));
  if (!found) return undefined;
  const dto = toDto(found.row, found.client, (await tagsOf([id])).get(id) ?? [], now);
  const live = found.row.hasRefreshToken && !found.row.revokedAt;
  const budget = live ? await refreshBudget(found.row, now) : null;
  return { ...dto, mintBudget: budget ? { used: budget.used, limit: budget.limit, possibleAt: budget.possibleAt } : null };
}

/** The connection with the moment it was read, which the page's countdown starts from. */
export async function connectionSnapshot(id: number): Promise<{ connection: ConnectionDetailDto; generatedAt: number } | undefined> {
  const generatedAt = Date.now();
  const connection = await getConnection(id, generatedAt);
  return connection ? { connection, generatedAt } : undefined;
}

// ---- list: filters, search, sort and page all come from the URL --------------------------------

const SORTS = ["name", "status", "expiry", "last_refresh", "created"] as const;
export const PAGE_SIZE = 20;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values).optional()).catch(undefined);

const listQuerySchema = z.object({
  status: optionalEnum(STATUS_KINDS),
  client: z.coerce.number().int().positive().optional().catch(undefined),
  service: optionalEnum(["desk", "assist", "salesiq", "profile"] as const),
  dc: z.string().trim().max(4).regex(/^[a-z]*$/).optional().catch(undefined),
  // Control characters are no part of a search (lib/search-words.ts): the box shows it without them.
  q: z.string().max(100).transform((v) => withoutControls(v) || undefined).optional().catch(undefined),
  tag: z.string().max(200).transform(tagFromUrl).optional().catch(undefined),
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

