import "server-only";
import { and, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { apiKeyConnections, apiKeys, apiKeyUsageHourly, connections, users, type ApiKeyPermission, type ApiKeyRow } from "@/db/schema";
import { recordAudit, type UserActor } from "@/lib/audit";
import { config } from "@/lib/config";
import { UserError } from "@/lib/errors";
import type { CreateKeyInput, UpdateKeyInput } from "./input";
import { displayPrefix, generateApiKey, hashApiKey } from "./secret";

export type ApiKeyState = "active" | "expired" | "revoked";

/** What a page may see of a key: never the key or its hash. */
export interface ApiKeyDto {
  id: number;
  name: string;
  prefix: string;
  permissions: ApiKeyPermission[];
  allConnections: boolean;
  connections: { id: number; name: string }[];
  /** The limit in force: the key's own or the console's default. */
  rateLimitPerMinute: number;
  customRateLimit: boolean;
  expiresAt: number | null;
  createdAt: number;
  createdBy: string | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  calls24h: number;
  state: ApiKeyState;
}

export function keyState(row: Pick<ApiKeyRow, "revokedAt" | "expiresAt">, now = Date.now()): ApiKeyState {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now) return "expired";
  return "active";
}

export const HOUR_MS = 3_600_000;

const ms = (d: Date | null) => (d ? d.getTime() : null);

async function connectionsOfKeys(ids: number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (ids.length === 0) return out;
  const rows = await getDb()
    .select({ keyId: apiKeyConnections.keyId, id: connections.id, name: connections.name })
    .from(apiKeyConnections)
    .innerJoin(connections, eq(connections.id, apiKeyConnections.connectionId))
    .where(inArray(apiKeyConnections.keyId, ids))
    .orderBy(connections.name);
  for (const r of rows) out.set(r.keyId, [...(out.get(r.keyId) ?? []), { id: r.id, name: r.name }]);
  return out;
}

async function calls24h(ids: number[], now: number): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const since = Math.floor((now - 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const rows = await getDb()
    .select({ keyId: apiKeyUsageHourly.keyId, calls: sql<number>`sum(${apiKeyUsageHourly.calls})`.mapWith(Number) })
    .from(apiKeyUsageHourly)
    .where(and(inArray(apiKeyUsageHourly.keyId, ids), gte(apiKeyUsageHourly.hour, since)))
    .groupBy(apiKeyUsageHourly.keyId);
  return new Map(rows.map((r) => [r.keyId, Number(r.calls)]));
}

type KeyListRow = ApiKeyRow & { createdByEmail: string | null };

async function toDtos(rows: KeyListRow[], now = Date.now()): Promise<ApiKeyDto[]> {
  const ids = rows.map((r) => r.id);
  const [conns, calls] = await Promise.all([connectionsOfKeys(ids), calls24h(ids, now)]);
  const fallback = config().CONSOLE_API_RATE_LIMIT_PER_MINUTE;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    permissions: r.permissions,
    allConnections: r.allConnections,
    connections: r.allConnections ? [] : (conns.get(r.id) ?? []),
    rateLimitPerMinute: r.rateLimitPerMinute ?? fallback,
    customRateLimit: r.rateLimitPerMinute !== null,
    expiresAt: ms(r.expiresAt),
    createdAt: r.createdAt.getTime(),
    createdBy: r.createdByEmail,
    revokedAt: ms(r.revokedAt),
    lastUsedAt: ms(r.lastUsedAt),
    lastUsedIp: r.lastUsedIp,
    calls24h: calls.get(r.id) ?? 0,
    state: keyState(r, now),
  }));
}

const listSelect = () =>
  getDb()
    .select({ key: apiKeys, createdByEmail: users.email })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy));

/** Every key, newest first; revoked keys stay listed so their history can be read. */
export async function listApiKeys(): Promise<ApiKeyDto[]> {
  const rows = await listSelect().orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(1000);
  return toDtos(rows.map((r) => ({ ...r.key, createdByEmail: r.createdByEmail })));
}

export async function getApiKey(id: number): Promise<ApiKeyDto | undefined> {
  const [row] = await listSelect().where(eq(apiKeys.id, id));
  if (!row) return undefined;
  return (await toDtos([{ ...row.key, createdByEmail: row.createdByEmail }]))[0];
}

async function assertConnectionsExist(ids: number[]) {
  if (ids.length === 0) return;
  const found = await getDb().select({ id: connections.id }).from(connections).where(inArray(connections.id, ids));
  if (found.length !== new Set(ids).size) {
    throw new UserError("One of the chosen connections no longer exists. Reload the page and choose again.", "connectionIds");
  }
}

const scopeDetail = (allConnections: boolean, ids: number[]) => (allConnections ? "all" : [...new Set(ids)].sort((a, b) => a - b));

/** Creates a key and returns it in clear: the only time it exists outside the caller's hands. */
export async function createApiKey(input: CreateKeyInput, actor: UserActor, ip: string | null) {
  const all = input.scope === "all";
  const ids = all ? [] : [...new Set(input.connectionIds)];
  await assertConnectionsExist(ids);
  const key = generateApiKey();
  const row = await tx(async (db) => {
    const [created] = await db
      .insert(apiKeys)
      .values({
        name: input.name,
        prefix: displayPrefix(key),
        keyHash: hashApiKey(key),
        permissions: [...new Set(input.permissions)],
        allConnections: all,
        rateLimitPerMinute: input.rateLimitPerMinute,
        expiresAt: input.expiresAt,
        createdBy: actor.id,
      })
      .returning();
    if (ids.length) await db.insert(apiKeyConnections).values(ids.map((connectionId) => ({ keyId: created.id, connectionId })));
    return created;
  });
  await recordAudit({
    actor,
    action: "api_key.create",
    target: { type: "api_key", id: row.id },
    detail: {
      name: row.name,
      prefix: row.prefix,
      permissions: row.permissions,
      connections: scopeDetail(all, ids),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      rateLimitPerMinute: row.rateLimitPerMinute,
    },
    ip,
  });
  return { id: row.id, key, prefix: row.prefix };
}

export async function updateApiKey(input: UpdateKeyInput, actor: UserActor, ip: string | null): Promise<ApiKeyDto> {
  const before = await getApiKey(input.id);
  if (!before) throw new UserError("This API key does not exist.");
  if (before.state === "revoked") throw new UserError("This API key is revoked; create a new one instead.");
  const all = input.scope === "all";
  const ids = all ? [] : [...new Set(input.connectionIds)];
  await assertConnectionsExist(ids);
  await tx(async (db) => {
    await db
      .update(apiKeys)
      .set({
        name: input.name,
        permissions: [...new Set(input.permissions)],
        allConnections: all,
        rateLimitPerMinute: input.rateLimitPerMinute,
        expiresAt: input.expiresAt,
        updatedAt: new Date(),
      })
      .where(eq(apiKeys.id, input.id));
    await db.delete(apiKeyConnections).where(eq(apiKeyConnections.keyId, input.id));
    if (ids.length) await db.insert(apiKeyConnections).values(ids.map((connectionId) => ({ keyId: input.id, connectionId })));
  });
  const after = (await getApiKey(input.id))!;
  const changes: Record<string, unknown> = {};
  const beforeScope = scopeDetail(before.allConnections, before.connections.map((c) => c.id));
  const afterScope = scopeDetail(after.allConnections, after.connections.map((c) => c.id));
  if (before.name !== after.name) changes.name = { from: before.name, to: after.name };
  if (JSON.stringify(before.permissions) !== JSON.stringify(after.permissions)) changes.permissions = { from: before.permissions, to: after.permissions };
  if (JSON.stringify(beforeScope) !== JSON.stringify(afterScope)) changes.connections = { from: beforeScope, to: afterScope };
  if (before.expiresAt !== after.expiresAt) changes.expiresAt = { from: iso(before.expiresAt), to: iso(after.expiresAt) };
  if (before.rateLimitPerMinute !== after.rateLimitPerMinute || before.customRateLimit !== after.customRateLimit) {
    changes.rateLimitPerMinute = { from: before.customRateLimit ? before.rateLimitPerMinute : null, to: after.customRateLimit ? after.rateLimitPerMinute : null };
  }
  if (Object.keys(changes).length) {
    await recordAudit({ actor, action: "api_key.update", target: { type: "api_key", id: input.id }, detail: { name: after.name, prefix: after.prefix, ...changes }, ip });
  }
  return after;
}

const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());

export async function revokeApiKey(id: number, actor: UserActor, ip: string | null): Promise<ApiKeyDto> {
  const now = new Date();
  const changed = await getDb()
    .update(apiKeys)
    .set({ revokedAt: now, revokedBy: actor.id, updatedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  const after = await getApiKey(id);
  if (!after) throw new UserError("This API key does not exist.");
  if (changed.length === 0) throw new UserError("This API key was already revoked.");
  await recordAudit({ actor, action: "api_key.revoke", target: { type: "api_key", id }, detail: { name: after.name, prefix: after.prefix }, ip });
  return after;
}

/** For the key form: every connection a key could be given, by name. */
export async function connectionChoices(): Promise<{ id: number; name: string; revoked: boolean }[]> {
  const rows = await getDb()
    .select({ id: connections.id, name: connections.name, revokedAt: connections.revokedAt })
    .from(connections)
    .orderBy(connections.name, connections.id)
    .limit(5000);
  return rows.map((c) => ({ id: c.id, name: c.name, revoked: !!c.revokedAt }));
}
