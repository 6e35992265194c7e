import "server-only";
import { eq, sql } from "drizzle-orm";
import { prepared } from "@/db/prepared";
import { connections, zohoClients } from "@/db/schema";
import { config } from "@/lib/config";
import { getValidToken, tokenStateColumns, type TokenState } from "@/lib/tokens/engine";
import { dataCentre, isDcLocation, serviceCallInfo, type DataCentre } from "@/lib/zoho";
import type { KeyPrincipal } from "./auth";
import { ApiError } from "./errors";
import type { ApiToken } from "./schemas";

// One read per token call: the token's state and where the connection's calls go (its data
// centre comes from the client's realm), prepared once per database handle.
const tokenSourceById = prepared("token_source", (db) =>
  db
    .select({
      ...tokenStateColumns,
      location: connections.location,
      apiDomain: connections.apiDomain,
      binding: connections.orgBinding,
      realm: zohoClients.realm,
    })
    .from(connections)
    .innerJoin(zohoClients, eq(zohoClients.id, connections.clientRef))
    .where(eq(connections.id, sql.placeholder("id"))),
);

/** A connection's token state and stored call facts, as one row. */
export type TokenSource = NonNullable<Awaited<ReturnType<typeof tokenSourceById.first>>> & TokenState;

export async function loadTokenSource(id: number): Promise<TokenSource | undefined> {
  return tokenSourceById.first({ id });
}

/** Where a connection's calls go: its data centre (in its client's realm) and stored facts. */
function targetOf(row: Pick<TokenSource, "location" | "apiDomain" | "binding" | "realm">) {
  if (!isDcLocation(row.location)) throw new ApiError("upstream_unavailable", "The connection's data centre is not known to this console.", undefined, 502);
  const dc: DataCentre = dataCentre(row.realm, row.location, config().ZOHO_SANDBOX_URL || undefined);
  return { dc, apiDomain: row.apiDomain, binding: row.binding ?? {} };
}

export async function connectionTarget(id: number) {
  const row = await loadTokenSource(id);
  if (!row) throw new ApiError("not_found", "No such connection.");
  return targetOf(row);
}

/**
 * A token valid for at least `minValiditySec`, with what each bound service's calls need.
 * `source` is the connection's row as just read for this call. An answer that is not the token
 * stored in it came from a refresh, or from a reconnect that landed meanwhile and may have moved
 * the connection, so the call facts are then read again.
 */
export async function tokenForKey(key: KeyPrincipal, source: TokenSource, minValiditySec: number): Promise<ApiToken> {
  const id = source.id;
  const token = await getValidToken(id, { actor: key.actor, minValidityMs: minValiditySec * 1000 }, source);
  const fromSource = !token.refreshed && token.expiresAt === (source.accessTokenExpiresAt?.getTime() ?? 0);
  const { dc, apiDomain, binding } = fromSource ? targetOf(source) : await connectionTarget(id);
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
