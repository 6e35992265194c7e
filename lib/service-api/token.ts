import "server-only";
import { eq, sql } from "drizzle-orm";
import { prepared } from "@/db/prepared";
import { connections, zohoClients } from "@/db/schema";
import { config } from "@/lib/config";
import { getValidToken, tokenStateColumns, type TokenState } from "@/lib/tokens/engine";
import { tokenRejected } from "@/lib/tokens/rejection";
import { dataCentre, isDcLocation, namesInvalidToken, serviceCallInfo, zohoAnswerCode, type DataCentre } from "@/lib/zoho";
import type { KeyPrincipal } from "./auth";
import { ApiError } from "./errors";
import { tokenRejectedBody, type ApiToken, type ApiTokenRejected } from "./schemas";

// One read per token call: the token's state and where the connection's calls go (its data
// centre comes from the client's realm), prepared once per database handle.
export const tokenSourceColumns = {
  ...tokenStateColumns,
  location: connections.location,
  apiDomain: connections.apiDomain,
  binding: connections.orgBinding,
  realm: zohoClients.realm,
};

const tokenSourceById = prepared("token_source", (db) =>
  db
    .select(tokenSourceColumns)
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
export function callTargetOf(row: Pick<TokenSource, "location" | "apiDomain" | "binding" | "realm">) {
  if (!isDcLocation(row.location)) throw new ApiError("upstream_unavailable", "The connection's data centre is not known to this console.", undefined, 502);
  const dc: DataCentre = dataCentre(row.realm, row.location, config().ZOHO_SANDBOX_URL || undefined);
  return { dc, apiDomain: row.apiDomain, binding: row.binding ?? {} };
}

export async function connectionTarget(id: number) {
  const row = await loadTokenSource(id);
  if (!row) throw new ApiError("not_found", "No such connection.");
  return callTargetOf(row);
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
  return apiToken(token, fromSource ? callTargetOf(source) : await connectionTarget(id));
}

function apiToken(token: { connectionId: number; accessToken: string; expiresAt: number; refreshed: boolean }, target: ReturnType<typeof callTargetOf>): ApiToken {
  const { dc, apiDomain, binding } = target;
  return {
    connection_id: token.connectionId,
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

const REPORT_SHAPE = 'The body is JSON: {"access_token": the refused token, "zoho_status": the HTTP status, "zoho_answer": Zoho\'s answer body}.';

/** A service says Zoho refused a token (POST /token/rejected): retire it and answer the new one. */
export async function reportRejectedToken(key: KeyPrincipal, source: TokenSource, request: Request): Promise<ApiTokenRejected> {
  const raw = await request.json().catch(() => {
    throw new ApiError("bad_request", REPORT_SHAPE);
  });
  const parsed = tokenRejectedBody.safeParse(raw);
  if (!parsed.success) throw new ApiError("bad_request", `${parsed.error.issues[0]?.message ?? "The body is not valid."} ${REPORT_SHAPE}`);
  const body = parsed.data;
  if (!namesInvalidToken(body.zoho_answer)) {
    throw new ApiError(
      "not_a_token_refusal",
      "This Zoho answer does not say the token is invalid (it names no invalid-token code such as INVALID_OAUTH, INVALID_OAUTHTOKEN, INVALID_TOKEN or 1008), so a new token would not help: a missing scope or a wrong organisation needs a change to the connection.",
    );
  }
  const outcome = await tokenRejected(source.id, body.access_token, {
    source: "report",
    actor: key.actor,
    keyId: key.id,
    zohoCode: zohoAnswerCode(body.zoho_answer),
    ip: key.ip,
  });
  switch (outcome.kind) {
    case "refreshed":
    case "already_replaced":
      return { outcome: outcome.kind, token: apiToken(outcome.token, await connectionTarget(source.id)) };
    case "refused_again":
      throw new ApiError(
        "token_refused_again",
        `Zoho refused a token minted ${Math.max(1, Math.round((Date.now() - outcome.mintedAt) / 1000))} s ago to replace a refused one, so the token is not the problem: check that the connection's scopes allow the call and that its organisation binding is right.`,
      );
    case "limited":
      throw new ApiError(
        "throttled",
        "This key's reports already replaced this connection's token twice in ten minutes; Zoho's refresh budget is shared by every caller of the connection.",
        outcome.retryAfterSec,
      );
    case "not_confirmed":
      throw new ApiError(
        "not_a_token_refusal",
        `Zoho's accounts server still accepts this token (asked just now${outcome.zohoCode ? `: ${outcome.zohoCode}` : ""}), so it was not replaced: a product refusing a live token points at a missing scope, a wrong organisation or the wrong data centre's host.`,
      );
    case "refresh_failed":
      throw outcome.error;
  }
}
