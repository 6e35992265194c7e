import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, zohoClients } from "@/db/schema";
import { config } from "@/lib/config";
import { getValidToken } from "@/lib/tokens/engine";
import { dataCentre, isDcLocation, serviceCallInfo, type DataCentre } from "@/lib/zoho";
import type { KeyPrincipal } from "./auth";
import { ApiError } from "./errors";
import type { ApiToken } from "./schemas";

/** Where a connection's calls go: its data centre (in its client's realm) and stored facts. */
export function connectionTarget(id: number) {
  const row = getDb()
    .select({ location: connections.location, apiDomain: connections.apiDomain, binding: connections.orgBinding, realm: zohoClients.realm })
    .from(connections)
    .innerJoin(zohoClients, eq(zohoClients.id, connections.clientRef))
    .where(eq(connections.id, id))
    .get();
  if (!row) throw new ApiError("not_found", "No such connection.");
  if (!isDcLocation(row.location)) throw new ApiError("upstream_unavailable", "The connection's data centre is not known to this console.", undefined, 502);
  const dc: DataCentre = dataCentre(row.realm, row.location, config().ZOHO_SANDBOX_URL || undefined);
  return { dc, apiDomain: row.apiDomain, binding: row.binding ?? {} };
}

/** A token valid for at least `minValiditySec`, with what each bound service's calls need. */
export async function tokenForKey(key: KeyPrincipal, id: number, minValiditySec: number): Promise<ApiToken> {
  const token = await getValidToken(id, { actor: key.actor, minValidityMs: minValiditySec * 1000 });
  const { dc, apiDomain, binding } = connectionTarget(id);
  return {
    connection_id: id,
    access_token: token.accessToken,
    authorization: `Zoho-oauthtoken ${token.accessToken}`,
    token_type: "Zoho-oauthtoken",
    api_domain: apiDomain,
    location: dc.location,
    expires_at: new Date(token.expiresAt).toISOString(),
    expires_in: Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)),
    refreshed: token.refreshed,
    services: serviceCallInfo(dc, binding),
  };
}
