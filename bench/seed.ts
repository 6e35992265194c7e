// Seeding for the benchmarks and for bench/seed.test.ts: rows written straight into a console
// database through drizzle and the console's schema, so a schema change breaks the type check
// here rather than a benchmark run. Secrets are encrypted with the console's own format.
// Either engine: every function takes the DatabaseHandle it writes to and uses that engine's own
// tables (db/schema-sqlite or db/schema-pg), so one process can seed a SQLite file and a
// PostgreSQL database side by side. Deterministic: the same counts give the same rows, so runs
// (and engines) compare.
import { createHash, randomBytes } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/handle";
import { openPostgres } from "@/db/postgres";
import * as pgSchema from "@/db/schema-pg";
import * as sqliteSchema from "@/db/schema-sqlite";
import { openSqlite } from "@/db/sqlite";
import { rollupBackfillSql } from "@/lib/audit/rollup-sql";
import { buildKeyRing, encryptWith, type SecretPlace } from "@/lib/crypto";
import { secretPlace } from "@/lib/secret-places";

/** Encrypts as the console does: bound to the table, column and row the value is stored in. */
export type Encrypt = (plaintext: string, place: SecretPlace) => string;

/**
 * The tables of a handle's own engine. lib/'s one type (the SQLite schema's) stands for both, as
 * in db/copy.ts: the PostgreSQL tables give rows of the same shapes (db/pg-columns.ts).
 */
type Tables = typeof sqliteSchema;
export const tablesOf = (handle: DatabaseHandle): Tables => (handle.engine === "postgres" ? pgSchema : sqliteSchema) as unknown as Tables;

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Where a bench database lives: a SQLite file, or a PostgreSQL database by URL. */
export type BenchTarget = { file: string } | { url: string };

/**
 * Opens and migrates a database the way the console does (SQLite: WAL, foreign keys on; the
 * committed migrations of the engine). The caller closes it (`await handle.close()`).
 */
export async function openBenchDb(target: BenchTarget): Promise<DatabaseHandle> {
  const handle = "file" in target ? openSqlite(target.file) : openPostgres(target.url, { poolMax: 4, applicationName: "console bench seed" });
  try {
    await handle.migrate();
  } catch (e) {
    await handle.close();
    throw e;
  }
  return handle;
}

/**
 * What autovacuum would do after a bulk load: PostgreSQL plans by statistics, and a table seeded
 * a moment ago has none yet. SQLite plans without them (no ANALYZE in the console either).
 */
export async function analyze(handle: DatabaseHandle): Promise<void> {
  if (handle.engine === "postgres") await handle.query("vacuum analyze");
}

export function encrypterFor(encryptionKey: string): Encrypt {
  const ring = buildKeyRing(encryptionKey);
  return (plaintext, place) => encryptWith(ring, plaintext, place);
}

/** A small, fast PRNG (mulberry32): the seed decides every row. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A token shaped like Zoho's (`1000.<32 hex>.<32 hex>`), derived from a label. */
export function fakeToken(label: string): string {
  const h = createHash("sha256").update(label).digest("hex");
  return `1000.${h.slice(0, 32)}.${h.slice(32, 64)}`;
}

// ---- people, clients, keys ----------------------------------------------------------------------

export const BENCH_ADMIN = { email: "bench-admin@console.test", name: "Bench Admin" } as const;

export async function seedAdmin(handle: DatabaseHandle): Promise<{ id: number; email: string; name: string; sessionVersion: number }> {
  const { users } = tablesOf(handle);
  const [row] = await handle.db
    .insert(users)
    // Nobody signs in with a password: the benchmark mints a session cookie instead.
    .values({ email: BENCH_ADMIN.email, name: BENCH_ADMIN.name, passwordHash: "bench-no-password", role: "admin" })
    .returning();
  return { id: row.id, email: row.email, name: row.name, sessionVersion: row.sessionVersion };
}

/** Operators besides the admin (they start authorizations too); ids in order. */
export async function seedOperators(handle: DatabaseHandle, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { users } = tablesOf(handle);
  const rows = await handle.db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `bench-operator-${i + 1}@console.test`, name: `Bench Operator ${i + 1}`, passwordHash: "bench-no-password", role: "operator" as const })))
    .returning({ id: users.id });
  return rows.map((r) => r.id);
}

export interface ClientSpec {
  name: string;
  clientId: string;
  clientSecret: string;
}

/** Registers Zoho clients in the sandbox realm, multi-DC; the secret dated a day back. */
export async function seedClients(handle: DatabaseHandle, encrypt: Encrypt, specs: ClientSpec[], adminId: number | null, now = Date.now()): Promise<number[]> {
  const { zohoClients } = tablesOf(handle);
  const ids: number[] = [];
  for (const s of specs) {
    const id = await handle.transaction(async (db) => {
      const [inserted] = await db
        .insert(zohoClients)
        .values({
          name: s.name,
          realm: "sandbox",
          clientType: "server",
          clientId: s.clientId,
          // Sealed to the row id below, once the insert has assigned it.
          secretEnc: "",
          secretLast4: s.clientSecret.slice(-4),
          // Tokens issued before a secret change count as "secret_changed"; keep clear of that.
          secretUpdatedAt: new Date(now - DAY),
          homeDc: "us",
          multiDc: true,
          enabledDcs: ["eu", "in", "au", "jp", "ca", "uk"],
          createdBy: adminId,
        })
        .returning({ id: zohoClients.id });
      const secretEnc = encrypt(s.clientSecret, secretPlace.clientSecret(inserted.id));
      await db.update(zohoClients).set({ secretEnc }).where(eq(zohoClients.id, inserted.id));
      return inserted.id;
    });
    ids.push(id);
  }
  return ids;
}

/** Extra clients for a realistic spread; the secrets are never sent anywhere. */
export function syntheticClients(n: number): ClientSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `Bench client ${i + 1}`,
    clientId: `1000.BENCH${String(i + 1).padStart(27, "0")}`,
    clientSecret: createHash("sha256").update(`secret-${i}`).digest("hex").slice(0, 42),
  }));
}

/** An API key for every connection with every permission; its own limit keeps the bucket out of the way. */
export async function seedApiKey(handle: DatabaseHandle, adminId: number | null, rateLimitPerMinute = 1_000_000): Promise<{ id: number; key: string }> {
  const { apiKeys } = tablesOf(handle);
  const key = `zoc_${randomBytes(32).toString("base64url")}`;
  const [row] = await handle.db
    .insert(apiKeys)
    .values({
      name: "bench",
      prefix: key.slice(0, 10),
      keyHash: createHash("sha256").update(key, "utf8").digest("hex"),
      permissions: ["read", "token", "proxy"],
      allConnections: true,
      rateLimitPerMinute,
      createdBy: adminId,
    })
    .returning({ id: apiKeys.id });
  return { id: row.id, key };
}

// ---- connections --------------------------------------------------------------------------------

type ConnectionInsert = typeof sqliteSchema.connections.$inferInsert;

/** The statuses a realistic fleet is in, per hundred connections. */
export const STATUS_MIX = [
  ["active", 80],
  ["expiring_soon", 5],
  ["expired_refreshable", 4],
  ["refresh_failing", 3],
  ["throttled", 2],
  ["needs_reauth", 2],
  ["revoked", 2],
  ["online_expired", 2],
] as const;
export type SeedStatus = (typeof STATUS_MIX)[number][0];

/** The status connection number `i` (from 0) is seeded in. */
export function seedStatusOf(i: number): SeedStatus {
  let r = i % 100;
  for (const [status, share] of STATUS_MIX) {
    if (r < share) return status;
    r -= share;
  }
  return "active";
}

/** How many of `count` connections `seedFleet` puts in each status. */
export function seedStatusCounts(count: number): Record<SeedStatus, number> {
  const out = Object.fromEntries(STATUS_MIX.map(([s]) => [s, 0])) as Record<SeedStatus, number>;
  for (let i = 0; i < count; i++) out[seedStatusOf(i)] += 1;
  return out;
}

const LOCATIONS = ["us", "us", "us", "us", "eu", "eu", "in", "au"] as const;
const SCOPE_SETS = [
  ["Desk.tickets.READ", "Desk.basic.READ"],
  ["SalesIQ.portals.READ", "SalesIQ.chatdetails.READ"],
  ["ZohoAssist.userapi.READ"],
  ["Desk.tickets.ALL", "AaaServer.profile.READ"],
];
const WORDS = ["billing", "support", "sync", "reports", "alerts", "crm", "chat", "field", "backup", "audit"];

export interface FleetOptions {
  count: number;
  clientRefs: number[];
  encrypt: Encrypt;
  /** Base URL the accounts servers and API domains point at. */
  sandboxUrl: string;
  now?: number;
  createdBy?: number | null;
  seed?: number;
  /** The first connection's number: a second call with `offset` = the first's count grows the same fleet. */
  offset?: number;
}

/**
 * Synthetic connections in a realistic mix of statuses (STATUS_MIX), twenty per Zoho user, spread
 * over clients and data centres. Their tokens are encrypted but not known to any Zoho: enough for
 * every page and for warm token calls, not for a refresh.
 */
export function seedFleet(handle: DatabaseHandle, o: FleetOptions): Promise<{ firstId: number; lastId: number }> {
  const now = o.now ?? Date.now();
  const rand = prng(o.seed ?? 1);
  const rows: ConnectionInsert[] = [];
  const tokens: SeedTokens[] = [];
  for (let i = o.offset ?? 0; i < (o.offset ?? 0) + o.count; i++) {
    const status = seedStatusOf(i);
    const location = LOCATIONS[i % LOCATIONS.length];
    const scopes = SCOPE_SETS[i % SCOPE_SETS.length];
    const zuid = String(80_000_000 + Math.floor(i / 20));
    const online = status === "online_expired";
    const access = fakeToken(`access-${i}`);
    const refresh = online ? null : fakeToken(`refresh-${i}`);
    const created = now - Math.floor(rand() * 180) * DAY - Math.floor(rand() * DAY);
    let expiresAt = now + (15 + Math.floor(rand() * 45)) * MINUTE;
    if (status === "expiring_soon") expiresAt = now + (1 + Math.floor(rand() * 8)) * MINUTE;
    if (status === "expired_refreshable" || online) expiresAt = now - (1 + Math.floor(rand() * 120)) * MINUTE;
    const row: ConnectionInsert = {
      name: `${WORDS[i % WORDS.length]}-${location}-${String(i + 1).padStart(5, "0")}`,
      clientRef: o.clientRefs[i % o.clientRefs.length],
      accessType: online ? "online" : "offline",
      zuid,
      zohoEmail: `user${zuid}@example.com`,
      zohoName: `User ${zuid}`,
      location,
      accountsServer: `${o.sandboxUrl}/${location}/accounts`,
      apiDomain: `${o.sandboxUrl}/${location}/zohoapis`,
      scopesRequested: scopes,
      scopesGranted: scopes,
      orgBinding: scopes[0].startsWith("Desk") ? { desk: { orgId: String(700_000_000_000 + (i % 500)), name: `Org ${i % 500}` } } : {},
      accessTokenLast4: access.slice(-4),
      accessTokenExpiresAt: new Date(expiresAt),
      refreshTokenLast4: refresh ? refresh.slice(-4) : null,
      refreshTokenIssuedAt: refresh ? new Date(created) : null,
      lastRefreshAt: new Date(Math.min(now, expiresAt - 60 * MINUTE)),
      // Only a token nobody renews counts as expiring soon (lib/connection-status.ts).
      keepFresh: status !== "expiring_soon",
      createdBy: o.createdBy ?? null,
      createdAt: new Date(created),
      updatedAt: new Date(now),
    };
    rows.push({ ...row, ...statusColumns(status, now) });
    tokens.push(status === "revoked" ? { access: null, refresh: null } : { access, refresh });
  }
  return insertConnections(handle, rows, o.encrypt, tokens);
}

/** The columns that put a connection into `status`, beyond its tokens and expiry. */
function statusColumns(status: SeedStatus, now: number): Partial<ConnectionInsert> {
  switch (status) {
    case "refresh_failing":
      return {
        failureCount: 2,
        lastErrorKind: "server",
        lastErrorMessage: "Zoho answered HTTP 503.",
        lastErrorAt: new Date(now - 5 * MINUTE),
        nextRetryAt: new Date(now + 10 * MINUTE),
      };
    case "throttled":
      return {
        lastErrorKind: "throttled",
        lastErrorMessage: "Zoho is throttling this refresh token.",
        lastErrorAt: new Date(now - MINUTE),
        throttledUntil: new Date(now + 5 * MINUTE),
      };
    case "needs_reauth":
      return { reauthReason: "revoked_at_zoho", reauthAt: new Date(now - DAY) };
    case "revoked":
      return { revokedAt: new Date(now - 2 * DAY), accessTokenLast4: null, refreshTokenLast4: null };
    default:
      return {};
  }
}

/** A seeded row's tokens in clear, encrypted once the insert has given the row its id. */
export interface SeedTokens {
  access: string | null;
  refresh: string | null;
}

/**
 * Inserts in one transaction, in chunks that stay under each engine's limit of bound variables,
 * then writes each row's tokens bound to its id (`tokens[i]` belongs to `rows[i]`). The ids of a
 * multi-row insert come back in the order of its rows on both engines, so they are contiguous in
 * a fresh database; `firstId`/`lastId` rely on that.
 */
export async function insertConnections(handle: DatabaseHandle, rows: ConnectionInsert[], encrypt: Encrypt, tokens: SeedTokens[]): Promise<{ firstId: number; lastId: number }> {
  const { connections, connectionTags } = tablesOf(handle);
  let firstId = 0;
  let lastId = 0;
  await handle.transaction(async (db) => {
    let i = 0;
    for (const part of chunks(rows, 250)) {
      const ids = await db.insert(connections).values(part).returning({ id: connections.id });
      if (!firstId) firstId = ids[0].id;
      lastId = ids[ids.length - 1].id;
      // One UPDATE per chunk (CASE on the id), not one per row: a round trip each on PostgreSQL.
      const sealed = ids.map(({ id }) => {
        const t = tokens[i++];
        return {
          id,
          access: t.access === null ? null : encrypt(t.access, secretPlace.accessToken(id)),
          refresh: t.refresh === null ? null : encrypt(t.refresh, secretPlace.refreshToken(id)),
        };
      });
      const byId = (value: (x: (typeof sealed)[number]) => string | null) =>
        sql`case ${connections.id} ${sql.join(
          sealed.map((x) => sql`when ${x.id} then ${value(x)}`),
          sql` `,
        )} end`;
      await db
        .update(connections)
        .set({ accessTokenEnc: byId((x) => x.access), refreshTokenEnc: byId((x) => x.refresh) })
        .where(inArray(connections.id, sealed.map((x) => x.id)));
      // Tags as a fleet carries them: an environment (a fifth in production) and one of 50 customers.
      await db
        .insert(connectionTags)
        .values(ids.flatMap(({ id }) => [{ connectionId: id, tag: id % 5 === 0 ? "env:prod" : "env:test" }, { connectionId: id, tag: `customer:c${id % 50}` }]));
    }
  });
  return { firstId, lastId };
}

/** A grant from a real (sandbox) consent: tokens that refresh for real. */
export interface RealGrant {
  email: string;
  zuid: string;
  location: string;
  accountsServer: string;
  apiDomain: string;
  scopes: string[];
  accessToken: string;
  refreshToken: string;
  expiresInSec: number;
}

/** Connections holding real sandbox tokens; `expiresAt` overrides the stored expiry. */
export function seedRealConnections(
  handle: DatabaseHandle,
  grants: RealGrant[],
  o: { clientRef: number; encrypt: Encrypt; keepFresh: boolean; expiresAt?: number; now?: number; namePrefix?: string },
): Promise<{ firstId: number; lastId: number }> {
  const now = o.now ?? Date.now();
  const rows: ConnectionInsert[] = grants.map((g, i) => ({
    name: `${o.namePrefix ?? "real"}-${String(i + 1).padStart(4, "0")}`,
    clientRef: o.clientRef,
    accessType: "offline",
    zuid: g.zuid,
    zohoEmail: g.email,
    location: g.location,
    accountsServer: g.accountsServer,
    apiDomain: g.apiDomain,
    scopesRequested: g.scopes,
    scopesGranted: g.scopes,
    accessTokenLast4: g.accessToken.slice(-4),
    accessTokenExpiresAt: new Date(o.expiresAt ?? now + g.expiresInSec * 1000),
    refreshTokenLast4: g.refreshToken.slice(-4),
    refreshTokenIssuedAt: new Date(now),
    lastRefreshAt: new Date(now),
    keepFresh: o.keepFresh,
  }));
  return insertConnections(handle, rows, o.encrypt, grants.map((g) => ({ access: g.accessToken, refresh: g.refreshToken })));
}

// ---- audit trail --------------------------------------------------------------------------------

type AuditInsert = typeof sqliteSchema.auditEvents.$inferInsert;
/**
 * Days the seeded audit trail spans by default: past the console's 30-day retention of routine
 * successes, so a console started on it must be told to keep them (see scenario 4).
 */
export const AUDIT_DAYS = 60;
/** Rows per INSERT: 11 bound values each, under SQLite's 32,766 and PostgreSQL's 65,535. */
const AUDIT_CHUNK = 1_000;

export interface AuditOptions {
  count: number;
  /** Connection ids the events are about (targets). */
  connectionIds: { first: number; last: number };
  adminId: number;
  apiKeyId: number;
  now?: number;
  /** Events spread evenly over this many days before `now`. */
  days?: number;
  seed?: number;
}

export interface AuditSummary {
  byAction: Record<string, number>;
  byOutcome: Record<string, number>;
  firstAt: number;
  lastAt: number;
}

/**
 * An audit trail shaped like a busy console's: mostly background and API refreshes (a few
 * failed), verifies, refused API calls, sign-ins and binding changes; oldest first, so ids grow
 * with time as they do in use.
 */
export async function seedAudit(handle: DatabaseHandle, o: AuditOptions): Promise<AuditSummary> {
  const now = o.now ?? Date.now();
  const days = o.days ?? AUDIT_DAYS;
  const rand = prng(o.seed ?? 2);
  const span = days * DAY;
  const first = now - span;
  const step = span / o.count;
  const nConn = o.connectionIds.last - o.connectionIds.first + 1;
  const summary: AuditSummary = { byAction: {}, byOutcome: {}, firstAt: first, lastAt: first };
  const admin = { actorType: "user" as const, actorId: String(o.adminId), actorLabel: BENCH_ADMIN.email };
  const key = { actorType: "api_key" as const, actorId: String(o.apiKeyId), actorLabel: "bench (zoc_bench…)" };
  const system = { actorType: "system" as const, actorId: null, actorLabel: "system" };
  const { auditEvents } = tablesOf(handle);
  // Generated chunk by chunk inside one transaction: 200,000 rows never sit in memory at once.
  await handle.transaction(async (db) => {
    let batch: AuditInsert[] = [];
    for (let i = 0; i < o.count; i++) {
      const at = Math.floor(first + i * step + rand() * step);
      const conn = o.connectionIds.first + Math.floor(rand() * nConn);
      const target = { targetType: "connection", targetId: String(conn) };
      const name = `connection-${conn}`;
      const kind = i % 20;
      let row: AuditInsert;
      if (kind < 16) {
        const failed = rand() < 0.05;
        const trigger = kind < 11 ? "background" : kind < 15 ? "api" : "manual";
        const actor = trigger === "background" ? system : trigger === "api" ? key : admin;
        row = {
          ...actor,
          ...target,
          action: "connection.refresh",
          trigger,
          outcome: failed ? "failure" : "success",
          detail: failed
            ? { name, trigger, errorKind: "server", error: "Zoho answered HTTP 503.", until: new Date(at + 5 * MINUTE).toISOString() }
            : { name, trigger, expiresAt: new Date(at + 60 * MINUTE).toISOString(), latencyMs: 40 + Math.floor(rand() * 300) },
        };
      } else if (kind === 16) {
        row = { ...admin, ...target, action: "connection.verify", outcome: "success", detail: { name, services: ["desk"] }, ip: "10.0.0.5" };
      } else if (kind === 17) {
        row = { ...key, ...target, action: "api_key.refused", outcome: "denied", detail: { reason: "connection not allowed", key: key.actorLabel }, ip: "10.0.3.7" };
      } else if (kind === 18) {
        row = { ...admin, action: "auth.sign_in", outcome: "success", detail: null, ip: "10.0.0.5" };
      } else {
        row = { ...admin, ...target, action: "connection.bind", outcome: "success", detail: { name, desk: "Org 1" }, ip: "10.0.0.5" };
      }
      batch.push({ ...row, at: new Date(at) });
      summary.byAction[row.action] = (summary.byAction[row.action] ?? 0) + 1;
      summary.byOutcome[row.outcome] = (summary.byOutcome[row.outcome] ?? 0) + 1;
      summary.lastAt = at;
      if (batch.length === AUDIT_CHUNK || i === o.count - 1) {
        await db.insert(auditEvents).values(batch);
        batch = [];
      }
    }
  });
  await rebuildRollups(handle);
  return summary;
}

/**
 * Counts every refresh event into the rollups afresh, with the statement the migrations' backfill
 * runs, as the console's writer would have counted them one by one (lib/audit/record.ts).
 */
export async function rebuildRollups(handle: DatabaseHandle): Promise<void> {
  await handle.query(`delete from "refresh_rollups"`);
  await handle.query(rollupBackfillSql(handle.engine));
}

// ---- authorization attempts -----------------------------------------------------------------------

export interface AttemptOptions {
  count: number;
  userIds: number[];
  clientRefs: number[];
  connectionIds: { first: number; last: number };
  now?: number;
  /** Spread evenly over this many days before `now` (the table keeps a week). */
  days?: number;
  seed?: number;
}

/**
 * The OAuth attempts a busy console keeps (a week: lib/authorization/attempts.ts prunes older ones):
 * most came back and made or re-made a connection, some failed at Zoho, a few were abandoned.
 * The connections page reads each user's unfinished ones (lib/authorization/recent-attempts.ts).
 */
export async function seedAttempts(handle: DatabaseHandle, o: AttemptOptions): Promise<{ unfinished: number }> {
  const { oauthAttempts } = tablesOf(handle);
  const now = o.now ?? Date.now();
  const rand = prng(o.seed ?? 3);
  const span = (o.days ?? 7) * DAY;
  const step = span / o.count;
  const nConn = o.connectionIds.last - o.connectionIds.first + 1;
  let unfinished = 0;
  const rows: (typeof sqliteSchema.oauthAttempts.$inferInsert)[] = [];
  for (let i = 0; i < o.count; i++) {
    const created = Math.floor(now - span + i * step + rand() * step);
    const connectionId = o.connectionIds.first + Math.floor(rand() * nConn);
    const reconnect = rand() < 0.3;
    const r = rand();
    let usedAt: Date | null = new Date(created + 20_000 + Math.floor(rand() * 60_000));
    let outcome: string | null;
    if (r < 0.85) {
      outcome = JSON.stringify({ status: "connected", connectionId, reconnected: reconnect, needsBinding: [], discoveryProblems: [], evicted: [], budgetUsed: 1 + Math.floor(rand() * 19), missingRefreshToken: false });
    } else if (r < 0.93) {
      outcome = JSON.stringify({ status: "failed", code: "access_denied", location: "us" });
      unfinished += 1;
    } else {
      usedAt = null;
      outcome = null;
      unfinished += 1;
    }
    rows.push({
      stateHash: createHash("sha256").update(`bench-state-${o.seed ?? 3}-${i}`).digest("hex"),
      userId: o.userIds[i % o.userIds.length],
      clientRef: o.clientRefs[i % o.clientRefs.length],
      scopes: SCOPE_SETS[i % SCOPE_SETS.length],
      accessType: "offline",
      connectionName: `${WORDS[i % WORDS.length]}-attempt-${String(i + 1).padStart(5, "0")}`,
      reconnectId: reconnect ? connectionId : null,
      expiresAt: new Date(created + 10 * MINUTE),
      usedAt,
      outcome,
      createdAt: new Date(created),
    });
  }
  await handle.transaction(async (db) => {
    for (const part of chunks(rows, 500)) await db.insert(oauthAttempts).values(part);
  });
  return { unfinished };
}

// ---- the whole data set of the dashboard scenario --------------------------------------------------

export interface DashboardData {
  admin: { id: number; email: string; name: string; sessionVersion: number };
  operatorIds: number[];
  apiKey: { id: number; key: string };
  clientRefs: number[];
  connections: { firstId: number; lastId: number };
  audit: AuditSummary;
  attempts: { count: number; unfinished: number };
}

/**
 * Admin and operators, five clients, an API key, `connections` synthetic connections,
 * `auditRows` events and a week of authorization attempts (`attempts`, by default one per five
 * connections).
 */
export async function seedDashboard(
  handle: DatabaseHandle,
  o: { connections: number; auditRows: number; attempts?: number; encrypt: Encrypt; sandboxUrl: string; now?: number },
): Promise<DashboardData> {
  const now = o.now ?? Date.now();
  const admin = await seedAdmin(handle);
  const operatorIds = await seedOperators(handle, 9);
  const clientRefs = await seedClients(handle, o.encrypt, syntheticClients(5), admin.id, now);
  const apiKey = await seedApiKey(handle, admin.id);
  const connections = await seedFleet(handle, { count: o.connections, clientRefs, encrypt: o.encrypt, sandboxUrl: o.sandboxUrl, now, createdBy: admin.id });
  const audit = await seedAudit(handle, {
    count: o.auditRows,
    connectionIds: { first: connections.firstId, last: connections.lastId },
    adminId: admin.id,
    apiKeyId: apiKey.id,
    now,
  });
  const attemptCount = o.attempts ?? Math.ceil(o.connections / 5);
  const { unfinished } = await seedAttempts(handle, {
    count: attemptCount,
    userIds: [admin.id, ...operatorIds],
    clientRefs,
    connectionIds: { first: connections.firstId, last: connections.lastId },
    now,
  });
  return { admin, operatorIds, apiKey, clientRefs, connections, audit, attempts: { count: attemptCount, unfinished } };
}
