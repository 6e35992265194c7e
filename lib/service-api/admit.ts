import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { nowMs, oneTrip } from "@/db/dialect";
import { prepared } from "@/db/prepared";
import { apiKeyConnections, apiKeys, apiRateBuckets, connections, zohoClients } from "@/db/schema";
import { takeCall } from "@/lib/api-keys/rate-limit";
import { keyState } from "@/lib/api-keys/store";
import { bucketUpsert, decision, type RateDecision } from "@/lib/rate-bucket";
import { loadTokenSource, tokenSourceColumns, type TokenSource } from "./token";

/**
 * What every /api/v1 call needs before it runs, read at once: the key by its hash, the key's
 * rate-limit decision (taken only for a key that is neither revoked nor expired), and, for a
 * route about one connection, whether the key may use it and the connection's token row.
 *
 * Where statements are function calls into this process (SQLite) these are three or four; where
 * each is a round trip to a server process competing for the same cores (PostgreSQL) they are
 * one (`oneTrip`, db/dialect.ts): the key in a CTE, the rate bucket's upsert in a second
 * (data-modifying) CTE that only runs for an active key, the connection left-joined. A call
 * about a connection costs one round trip instead of three or four.
 */
export interface Admission {
  key?: KeyRow;
  /** Undefined when no credit was taken: the key is unknown, revoked or expired. */
  rate?: RateDecision;
  /** Whether the key's own list names the connection (only read for a connection route). */
  chosen: boolean;
  source?: TokenSource;
}

export function admitCall(hash: string, defaultPerMinute: number, connectionId: number | null): Promise<Admission> {
  return oneTrip(
    () => admitInOneStatement(hash, defaultPerMinute, connectionId),
    () => admitInSteps(hash, defaultPerMinute, connectionId),
  );
}

async function admitInSteps(hash: string, defaultPerMinute: number, connectionId: number | null): Promise<Admission> {
  const key = await keyByHash(hash);
  if (!key) return { chosen: false };
  if (keyState(key) !== "active") return { key, chosen: false };
  const rate = await takeCall(key.id, key.rateLimitPerMinute ?? defaultPerMinute);
  if (connectionId === null || !rate.allowed) return { key, rate, chosen: false };
  const [chosenRow, source] = await Promise.all([key.allConnections ? undefined : keyConnection.first({ keyId: key.id, connectionId }), loadTokenSource(connectionId)]);
  return { key, rate, chosen: !!chosenRow, source };
}

// The key's columns every call reads: only what is checked.
export const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  permissions: apiKeys.permissions,
  allConnections: apiKeys.allConnections,
  rateLimitPerMinute: apiKeys.rateLimitPerMinute,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

const keyByHashStatement = prepared("api_key_by_hash", (db) => db.select(keyColumns).from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder("hash"))));
const keyByHash = (hash: string) => keyByHashStatement.first({ hash });
export type KeyRow = NonNullable<Awaited<ReturnType<typeof keyByHash>>>;

const keyConnection = prepared("api_key_connection", (db) =>
  db
    .select({ id: apiKeyConnections.connectionId })
    .from(apiKeyConnections)
    .where(and(eq(apiKeyConnections.keyId, sql.placeholder("keyId")), eq(apiKeyConnections.connectionId, sql.placeholder("connectionId")))),
);

const admitStatement = prepared("api_admit", (db) => {
  const k = db.$with("k").as(
    db
      .select({
        ...keyColumns,
        perMinute: sql<number>`coalesce(${apiKeys.rateLimitPerMinute}, cast(${sql.placeholder("defaultPerMinute")} as bigint))`.as("per_minute"),
        active: sql<boolean>`(${apiKeys.revokedAt} is null and (${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > ${nowMs()}))`.as("active"),
      })
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, sql.placeholder("hash"))),
  );
  const first = bucketUpsert(apiRateBuckets, sql`k.per_minute`).first;
  // As bigint: the column is an integer, and a minute's credit (limit × 60,000) overflows one.
  const set = bucketUpsert(apiRateBuckets, sql`cast(excluded.per_minute as bigint)`).set;
  const r = db.$with("r", { keyId: apiRateBuckets.keyId, credit: apiRateBuckets.credit, allowed: apiRateBuckets.allowed }).as(
    sql`insert into ${apiRateBuckets} (key_id, credit, at, per_minute, allowed)
      select k.id, ${first.credit}, ${first.at}, k.per_minute, true from k where k.active
      on conflict (key_id) do update set credit = ${set.credit}, allowed = ${set.allowed}, at = ${set.at}, per_minute = ${set.perMinute}
      returning key_id, credit, allowed`,
  );
  const connectionId = sql`cast(${sql.placeholder("connectionId")} as integer)`;
  return db
    .with(k, r)
    .select({
      key: { id: k.id, name: k.name, prefix: k.prefix, permissions: k.permissions, allConnections: k.allConnections, rateLimitPerMinute: k.rateLimitPerMinute, expiresAt: k.expiresAt, revokedAt: k.revokedAt },
      perMinute: k.perMinute,
      credit: r.credit,
      allowed: r.allowed,
      chosen: sql<boolean>`exists (select 1 from ${apiKeyConnections} where ${apiKeyConnections.keyId} = k.id and ${apiKeyConnections.connectionId} = ${connectionId})`,
      source: tokenSourceColumns,
    })
    .from(k)
    .leftJoin(r, sql`true`)
    .leftJoin(connections, and(eq(connections.id, connectionId), sql`${r.allowed}`))
    .leftJoin(zohoClients, eq(zohoClients.id, connections.clientRef));
});

async function admitInOneStatement(hash: string, defaultPerMinute: number, connectionId: number | null): Promise<Admission> {
  const row = await admitStatement.first({ hash, defaultPerMinute, connectionId });
  if (!row) return { chosen: false };
  const rate = row.credit === null || row.allowed === null ? undefined : decision({ credit: Number(row.credit), allowed: !!row.allowed }, Number(row.perMinute));
  const source = row.source && row.source.id !== null ? (row.source as TokenSource) : undefined;
  return { key: row.key as KeyRow, rate, chosen: !!row.chosen, source };
}
