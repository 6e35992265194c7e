import "server-only";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inSubquery } from "@/db/dialect";
import { apiKeyConnections, connections, zohoClients, type OrgBinding } from "@/db/schema";
import { connectionStatus } from "@/lib/connection-status";
import { factsFromColumns } from "@/lib/connections/queries";
import { taggedIds, tagsOf } from "@/lib/connections/tags";
import { isDcLocation, servicesOf, type DcLocation } from "@/lib/zoho";
import type { KeyPrincipal } from "./auth";
import { ApiError } from "./errors";
import type { ApiConnection, ApiConnectionDetail } from "./schemas";

// Only what the API shows: never a ciphertext, only whether one is there.
const columns = {
  id: connections.id,
  name: connections.name,
  accessType: connections.accessType,
  zuid: connections.zuid,
  zohoEmail: connections.zohoEmail,
  location: connections.location,
  apiDomain: connections.apiDomain,
  scopesGranted: connections.scopesGranted,
  scopesRequested: connections.scopesRequested,
  accessTokenExpiresAt: connections.accessTokenExpiresAt,
  lastRefreshAt: connections.lastRefreshAt,
  createdAt: connections.createdAt,
  revokedAt: connections.revokedAt,
  failureCount: connections.failureCount,
  nextRetryAt: connections.nextRetryAt,
  throttledUntil: connections.throttledUntil,
  lastErrorKind: connections.lastErrorKind,
  lastErrorMessage: connections.lastErrorMessage,
  reauthReason: connections.reauthReason,
  keepFresh: connections.keepFresh,
  hasAccessToken: connections.hasAccessToken,
  hasRefreshToken: connections.hasRefreshToken,
  clientId: zohoClients.id,
  clientName: zohoClients.name,
  clientRealm: zohoClients.realm,
};

const baseQuery = () => getDb().select(columns).from(connections).innerJoin(zohoClients, eq(zohoClients.id, connections.clientRef));
type Row = Awaited<ReturnType<typeof baseQuery>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toApi(r: Row, tags: string[], now: number): ApiConnection {
  const facts = factsFromColumns(r);
  const status = connectionStatus(facts, now);
  return {
    id: r.id,
    name: r.name,
    status: { kind: status.kind, label: status.label, reason: status.reason },
    client: { id: r.clientId, name: r.clientName, realm: r.clientRealm },
    access_type: r.accessType,
    zoho_user: { zuid: r.zuid, email: r.zohoEmail },
    location: (isDcLocation(r.location) ? r.location : "us") as DcLocation,
    api_domain: r.apiDomain,
    scopes: r.scopesGranted,
    services: servicesOf(r.scopesGranted.length ? r.scopesGranted : r.scopesRequested),
    access_token_expires_at: r.hasAccessToken ? iso(r.accessTokenExpiresAt) : null,
    last_refresh_at: iso(r.lastRefreshAt),
    created_at: r.createdAt.toISOString(),
    revoked_at: iso(r.revokedAt),
    tags,
  };
}

/** One page of the connections a key may see, by id, read straight from an index. */
export async function listConnectionsForKey(key: KeyPrincipal, limit: number, after = 0, tag?: string) {
  const db = getDb();
  const allowed = key.allConnections
    ? undefined
    : inArray(connections.id, db.select({ id: apiKeyConnections.connectionId }).from(apiKeyConnections).where(eq(apiKeyConnections.keyId, key.id)));
  const rows = await baseQuery()
    .where(and(gt(connections.id, after), allowed, tag ? inSubquery(connections.id, taggedIds(tag)) : undefined))
    .orderBy(asc(connections.id))
    .limit(limit + 1);
  const now = Date.now();
  const page = rows.slice(0, limit);
  const tags = await tagsOf(page.map((r) => r.id));
  return { data: page.map((r) => toApi(r, tags.get(r.id) ?? [], now)), next_after: rows.length > limit ? page[page.length - 1].id : null };
}

function bindingOf(b: OrgBinding): ApiConnectionDetail["binding"] {
  return {
    desk: b.desk ? { org_id: b.desk.orgId, name: b.desk.name, portal_name: b.desk.portalName ?? null } : null,
    salesiq: b.salesiq ? { screen_name: b.salesiq.screenName, name: b.salesiq.name } : null,
    assist: b.assist
      ? {
          org_id: b.assist.orgId,
          name: b.assist.name,
          environment: b.assist.environment ?? null,
          department_id: b.assist.departmentId ?? null,
          department_name: b.assist.departmentName ?? null,
        }
      : null,
  };
}

export async function connectionForKey(id: number): Promise<ApiConnectionDetail> {
  const [found] = await getDb()
    .select({ ...columns, orgBinding: connections.orgBinding })
    .from(connections)
    .innerJoin(zohoClients, eq(zohoClients.id, connections.clientRef))
    .where(eq(connections.id, id));
  if (!found) throw new ApiError("not_found", "No such connection.");
  return { ...toApi(found, (await tagsOf([id])).get(id) ?? [], Date.now()), binding: bindingOf(found.orgBinding ?? {}), scopes_requested: found.scopesRequested };
}
