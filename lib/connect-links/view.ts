import "server-only";
import { desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb } from "@/db/client";
import { connectLinks, users, zohoClients, type ConnectLinkKind, type ConnectLinkRow, type ConnectLinkState } from "@/db/schema";
import type { AccessType, DcLocation } from "@/lib/zoho";

/** States from which a link may still move on; the others are ends. */
export const OPEN_STATES = ["waiting", "opened", "consent_started"] as const satisfies readonly ConnectLinkState[];

export const isOpenState = (state: ConnectLinkState) => (OPEN_STATES as readonly string[]).includes(state);

/**
 * The state a person should see: an open link past its expiry is expired even before the sweep
 * (or the next request for it) writes so.
 */
export function effectiveState(row: Pick<ConnectLinkRow, "state" | "expiresAt">, now = Date.now()): ConnectLinkState {
  return isOpenState(row.state) && row.expiresAt.getTime() <= now ? "expired" : row.state;
}

export const LINK_STATE_LABELS: Record<ConnectLinkState, string> = {
  waiting: "Waiting",
  opened: "Opened",
  consent_started: "Consent started",
  completed: "Completed",
  expired: "Expired",
  revoked: "Revoked",
  failed: "Failed",
};

/** What the console's pages may see of a link: never its token or the token's hash. Times in ms. */
export interface ConnectLinkDto {
  id: number;
  kind: ConnectLinkKind;
  state: ConnectLinkState;
  stateReason: string | null;
  client: { id: number; name: string };
  /** The connection a reconnect link re-authorizes. */
  connectionId: number | null;
  scopes: string[];
  accessType: AccessType;
  connectionName: string;
  expectedEmail: string | null;
  startLocation: DcLocation;
  expiresAt: number;
  openedAt: number | null;
  consentStartedAt: number | null;
  completedAt: number | null;
  completedEmail: string | null;
  completedZuid: string | null;
  resultConnectionId: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
  createdBy: string | null;
  createdById: number | null;
  createdAt: number;
}

const ms = (d: Date | null) => (d ? d.getTime() : null);

type ListRow = { link: ConnectLinkRow; clientName: string; createdBy: string | null; revokedBy: string | null };

function toDto({ link: r, clientName, createdBy, revokedBy }: ListRow, now: number): ConnectLinkDto {
  return {
    id: r.id,
    kind: r.kind,
    state: effectiveState(r, now),
    stateReason: r.stateReason,
    client: { id: r.clientRef, name: clientName },
    connectionId: r.connectionRef,
    scopes: r.scopes,
    accessType: r.accessType,
    connectionName: r.connectionName,
    expectedEmail: r.expectedEmail,
    startLocation: r.startLocation as DcLocation,
    expiresAt: r.expiresAt.getTime(),
    openedAt: ms(r.openedAt),
    consentStartedAt: ms(r.consentStartedAt),
    completedAt: ms(r.completedAt),
    completedEmail: r.completedEmail,
    completedZuid: r.completedZuid,
    resultConnectionId: r.resultConnectionRef,
    revokedAt: ms(r.revokedAt),
    revokedBy,
    createdBy,
    createdById: r.createdBy,
    createdAt: r.createdAt.getTime(),
  };
}

function listSelect() {
  const creator = alias(users, "creator");
  const revoker = alias(users, "revoker");
  return getDb()
    .select({ link: connectLinks, clientName: zohoClients.name, createdBy: creator.name, revokedBy: revoker.name })
    .from(connectLinks)
    .innerJoin(zohoClients, eq(zohoClients.id, connectLinks.clientRef))
    .leftJoin(creator, eq(creator.id, connectLinks.createdBy))
    .leftJoin(revoker, eq(revoker.id, connectLinks.revokedBy));
}

export const LINKS_PAGE_SIZE = 25;

/** Newest first, a page at a time (served by connect_links_created); ended links stay listed. */
export async function listLinks(opts: { page?: number; pageSize?: number } = {}, now = Date.now()): Promise<{ links: ConnectLinkDto[]; total: number }> {
  const size = opts.pageSize ?? LINKS_PAGE_SIZE;
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const [rows, [counted]] = await Promise.all([
    listSelect()
      .orderBy(desc(connectLinks.createdAt), desc(connectLinks.id))
      .limit(size)
      .offset((page - 1) * size),
    getDb().select({ n: sql<number>`count(*)`.mapWith(Number) }).from(connectLinks),
  ]);
  return { links: rows.map((r) => toDto(r, now)), total: counted?.n ?? 0 };
}

export async function getLink(id: number, now = Date.now()): Promise<ConnectLinkDto | undefined> {
  const [row] = await listSelect().where(eq(connectLinks.id, id));
  return row ? toDto(row, now) : undefined;
}

/** The links a connection page shows: those that re-authorize it or made it. */
export async function linksOfConnection(connectionId: number, now = Date.now()): Promise<ConnectLinkDto[]> {
  const rows = await listSelect()
    .where(or(eq(connectLinks.connectionRef, connectionId), eq(connectLinks.resultConnectionRef, connectionId)))
    .orderBy(desc(connectLinks.createdAt))
    .limit(20);
  return rows.map((r) => toDto(r, now));
}
