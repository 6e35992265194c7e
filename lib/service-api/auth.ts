import "server-only";
import type { ApiKeyPermission } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { config } from "@/lib/config";
import { keyState } from "@/lib/api-keys/store";
import { bearerKey, hashApiKey, looksLikeApiKey } from "@/lib/api-keys/secret";
import type { RateDecision } from "@/lib/rate-bucket";
import { admitCall } from "./admit";
import type { TokenSource } from "./token";
import { ApiError } from "./errors";

/** The caller of an /api/v1 route: a key that exists, is not revoked and has not expired. */
export interface KeyPrincipal {
  id: number;
  name: string;
  prefix: string;
  permissions: ReadonlySet<ApiKeyPermission>;
  allConnections: boolean;
  rateLimitPerMinute: number;
  actor: Extract<Actor, { type: "api_key" }>;
  ip: string | null;
}

// Refused uses are audited on one row per key (or, without a known key, address), reason and
// minute, counted: a misconfigured service or a scanner cannot fill the trail, whichever
// connection ids it names (the row keeps the first), and every instance folds into the same row
// (the fold is the database's unique key, see recordAudit).
async function auditRefusal(actor: Actor, reason: string, ip: string | null, target?: { type: string; id: number }, detail: Record<string, unknown> = {}) {
  await recordAudit({
    actor,
    action: "api_key.refused",
    target: target ?? (actor.type === "api_key" ? { type: "api_key", id: actor.id } : undefined),
    outcome: "denied",
    detail: { reason, ...detail },
    ip,
    fold: true,
  });
}

const anonymous: Actor = { type: "anonymous", label: "API caller" };

/** A call let in: its key, the key's rate-limit decision, and what admitCall read about the connection. */
export interface Admitted {
  key: KeyPrincipal;
  rate: RateDecision;
  chosen: boolean;
  source?: TokenSource;
}

/**
 * Authenticates the key and takes the call from its rate limit, reading the connection's token
 * row in the same trip when the call is about one (`connectionId`). Refuses (and audits) a
 * missing, unknown, revoked or expired key; the caller decides about the rate and the connection.
 */
export async function admitKey(authorization: string | null, ip: string | null, connectionId: number | null): Promise<Admitted> {
  const bearer = bearerKey(authorization);
  if (!bearer) {
    await auditRefusal(anonymous, "missing key", ip);
    throw new ApiError("unauthorized", "Send an API key as `Authorization: Bearer zoc_…`. Admins create keys under Settings → API keys.");
  }
  const admission = looksLikeApiKey(bearer) ? await admitCall(hashApiKey(bearer), config().CONSOLE_API_RATE_LIMIT_PER_MINUTE, connectionId) : undefined;
  const row = admission?.key;
  if (!admission || !row) {
    await auditRefusal(anonymous, "unknown key", ip);
    throw new ApiError("unauthorized", "This API key is not known to the console. Check that it was copied whole.");
  }
  const actor = { type: "api_key" as const, id: row.id, label: `${row.name} (${row.prefix}…)` };
  // No credit taken means the database found the key revoked or expired (its clock decides).
  const state = admission.rate ? keyState(row) : row.revokedAt ? "revoked" : "expired";
  if (state !== "active" || !admission.rate) {
    await auditRefusal(actor, state === "revoked" ? "revoked key" : "expired key", ip);
    throw new ApiError("unauthorized", state === "revoked" ? "This API key was revoked. Ask an admin for a new one." : "This API key has expired. Ask an admin for a new one.");
  }
  const key: KeyPrincipal = {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: new Set(row.permissions),
    allConnections: row.allConnections,
    rateLimitPerMinute: row.rateLimitPerMinute ?? config().CONSOLE_API_RATE_LIMIT_PER_MINUTE,
    actor,
    ip,
  };
  return { key, rate: admission.rate, chosen: admission.chosen, source: admission.source };
}

const OPERATION_NAMES: Record<ApiKeyPermission, string> = {
  read: "read connections",
  token: "get access tokens",
  proxy: "call Zoho through the console",
  metrics: "read the console's metrics",
};

export async function requirePermission(key: KeyPrincipal, permission: ApiKeyPermission, connectionId?: number) {
  if (key.permissions.has(permission)) return;
  await auditRefusal(key.actor, `no ${permission} permission`, key.ip, connectionId ? { type: "connection", id: connectionId } : undefined, { key: key.actor.label });
  throw new ApiError("forbidden", `This API key may not ${OPERATION_NAMES[permission]}. An admin can allow it on the key's page.`);
}

/** `chosen`: whether the key's own list names the connection, as admitKey read it. */
export async function requireConnection(key: KeyPrincipal, connectionId: number, chosen: boolean) {
  if (key.allConnections || chosen) return;
  await auditRefusal(key.actor, "connection not allowed", key.ip, { type: "connection", id: connectionId }, { key: key.actor.label });
  throw new ApiError("forbidden", "This API key may not use this connection. An admin can add it on the key's page.");
}
