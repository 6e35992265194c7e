import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { prepared } from "@/db/prepared";
import { apiKeyConnections, apiKeys, type ApiKeyPermission } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { config } from "@/lib/config";
import { keyState } from "@/lib/api-keys/store";
import { bearerKey, hashApiKey, looksLikeApiKey } from "@/lib/api-keys/secret";
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

// Every /api/v1 call runs these: prepared once per database, reading only what is checked.
const keyByHashStatement = prepared("api_key_by_hash", (db) =>
  db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      permissions: apiKeys.permissions,
      allConnections: apiKeys.allConnections,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, sql.placeholder("hash"))),
);
const keyConnection = prepared("api_key_connection", (db) =>
  db
    .select({ id: apiKeyConnections.connectionId })
    .from(apiKeyConnections)
    .where(and(eq(apiKeyConnections.keyId, sql.placeholder("keyId")), eq(apiKeyConnections.connectionId, sql.placeholder("connectionId")))),
);

const keyByHash = (hash: string) => keyByHashStatement.first({ hash });

export async function authenticateKey(authorization: string | null, ip: string | null): Promise<KeyPrincipal> {
  const key = bearerKey(authorization);
  if (!key) {
    await auditRefusal(anonymous, "missing key", ip);
    throw new ApiError("unauthorized", "Send an API key as `Authorization: Bearer zoc_…`. Admins create keys under Settings → API keys.");
  }
  const row = looksLikeApiKey(key) ? await keyByHash(hashApiKey(key)) : undefined;
  if (!row) {
    await auditRefusal(anonymous, "unknown key", ip);
    throw new ApiError("unauthorized", "This API key is not known to the console. Check that it was copied whole.");
  }
  const actor = { type: "api_key" as const, id: row.id, label: `${row.name} (${row.prefix}…)` };
  const state = keyState(row);
  if (state !== "active") {
    await auditRefusal(actor, state === "revoked" ? "revoked key" : "expired key", ip);
    throw new ApiError("unauthorized", state === "revoked" ? "This API key was revoked. Ask an admin for a new one." : "This API key has expired. Ask an admin for a new one.");
  }
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: new Set(row.permissions),
    allConnections: row.allConnections,
    rateLimitPerMinute: row.rateLimitPerMinute ?? config().CONSOLE_API_RATE_LIMIT_PER_MINUTE,
    actor,
    ip,
  };
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

async function mayUseConnection(key: KeyPrincipal, connectionId: number): Promise<boolean> {
  if (key.allConnections) return true;
  return !!(await keyConnection.first({ keyId: key.id, connectionId }));
}

export async function requireConnection(key: KeyPrincipal, connectionId: number) {
  if (await mayUseConnection(key, connectionId)) return;
  await auditRefusal(key.actor, "connection not allowed", key.ip, { type: "connection", id: connectionId }, { key: key.actor.label });
  throw new ApiError("forbidden", "This API key may not use this connection. An admin can add it on the key's page.");
}
