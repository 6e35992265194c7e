// Seeding for the benchmarks and for bench/seed.test.ts: rows written straight into the console's
// database through drizzle and the console's schema, so a schema change breaks the type check
// here rather than a benchmark run. Secrets are encrypted with the console's own format.
// Deterministic: the same counts give the same rows, so runs compare.
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getTableConfig, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import * as schema from "@/db/schema";
import { buildKeyRing, encryptWith, type SecretPlace } from "@/lib/crypto";
import { secretPlace } from "@/lib/secret-places";

export type BenchDb = BetterSQLite3Database<typeof schema>;
/** Encrypts as the console does: bound to the table, column and row the value is stored in. */
export type Encrypt = (plaintext: string, place: SecretPlace) => string;

/** The better-sqlite3 handle under a drizzle database (drizzle keeps it as `$client`). */
function sqliteOf(db: BenchDb): Database.Database {
  const client = (db as unknown as { $client?: Database.Database }).$client;
  if (!client) throw new Error("not a better-sqlite3 drizzle database");
  return client;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Opens (and migrates) a database file the way the console does: WAL, foreign keys on. */
export function openBenchDb(file: string): { db: BenchDb; sqlite: Database.Database } {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
  return { db, sqlite };
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

export function seedAdmin(db: BenchDb): { id: number; email: string; name: string; sessionVersion: number } {
  const row = db
    .insert(schema.users)
    // Nobody signs in with a password: the benchmark mints a session cookie instead.
    .values({ email: BENCH_ADMIN.email, name: BENCH_ADMIN.name, passwordHash: "bench-no-password", role: "admin" })
    .returning()
    .get();
  return { id: row.id, email: row.email, name: row.name, sessionVersion: row.sessionVersion };
}

export interface ClientSpec {
  name: string;
  clientId: string;
  clientSecret: string;
}

/** Registers Zoho clients in the sandbox realm, multi-DC; the secret dated a day back. */
export function seedClients(db: BenchDb, encrypt: Encrypt, specs: ClientSpec[], adminId: number | null, now = Date.now()): number[] {
  return specs.map((s) =>
    db.transaction((tx) => {
      const id = tx
        .insert(schema.zohoClients)
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
        .returning({ id: schema.zohoClients.id })
        .get().id;
      const secretEnc = encrypt(s.clientSecret, secretPlace.clientSecret(id));
      tx.update(schema.zohoClients).set({ secretEnc }).where(eq(schema.zohoClients.id, id)).run();
      return id;
    }),
  );
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
export function seedApiKey(db: BenchDb, adminId: number | null, rateLimitPerMinute = 1_000_000): { id: number; key: string } {
  const key = `zoc_${randomBytes(32).toString("base64url")}`;
  const row = db
    .insert(schema.apiKeys)
    .values({
      name: "bench",
      prefix: key.slice(0, 10),
      keyHash: createHash("sha256").update(key, "utf8").digest("hex"),
      permissions: ["read", "token", "proxy"],
      allConnections: true,
      rateLimitPerMinute,
      createdBy: adminId,
    })
    .returning({ id: schema.apiKeys.id })
    .get();
  return { id: row.id, key };
}

// ---- connections --------------------------------------------------------------------------------

type ConnectionInsert = typeof schema.connections.$inferInsert;

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
}

/**
 * Synthetic connections in a realistic mix of statuses (STATUS_MIX), twenty per Zoho user, spread
 * over clients and data centres. Their tokens are encrypted but not known to any Zoho: enough for
 * every page and for warm token calls, not for a refresh.
 */
export function seedFleet(db: BenchDb, o: FleetOptions): { firstId: number; lastId: number } {
  const now = o.now ?? Date.now();
  const rand = prng(o.seed ?? 1);
  const rows: ConnectionInsert[] = [];
  const tokens: SeedTokens[] = [];
  for (let i = 0; i < o.count; i++) {
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
      keepFresh: true,
      createdBy: o.createdBy ?? null,
      createdAt: new Date(created),
      updatedAt: new Date(now),
    };
    rows.push({ ...row, ...statusColumns(status, now) });
    tokens.push(status === "revoked" ? { access: null, refresh: null } : { access, refresh });
  }
  return insertConnections(db, rows, o.encrypt, tokens);
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
 * Inserts in one transaction, in chunks that stay under SQLite's limit of bound variables, then
 * writes each row's tokens bound to its id (`tokens[i]` belongs to `rows[i]`).
 */
export function insertConnections(db: BenchDb, rows: ConnectionInsert[], encrypt: Encrypt, tokens: SeedTokens[]): { firstId: number; lastId: number } {
  let firstId = 0;
  let lastId = 0;
  db.transaction((tx) => {
    let i = 0;
    for (const part of chunks(rows, 250)) {
      const ids = tx.insert(schema.connections).values(part).returning({ id: schema.connections.id }).all();
      if (!firstId) firstId = ids[0].id;
      lastId = ids[ids.length - 1].id;
      for (const { id } of ids) {
        const t = tokens[i++];
        tx.update(schema.connections)
          .set({
            accessTokenEnc: t.access === null ? null : encrypt(t.access, secretPlace.accessToken(id)),
            refreshTokenEnc: t.refresh === null ? null : encrypt(t.refresh, secretPlace.refreshToken(id)),
          })
          .where(eq(schema.connections.id, id))
          .run();
      }
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
  db: BenchDb,
  grants: RealGrant[],
  o: { clientRef: number; encrypt: Encrypt; keepFresh: boolean; expiresAt?: number; now?: number; namePrefix?: string },
): { firstId: number; lastId: number } {
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
  return insertConnections(db, rows, o.encrypt, grants.map((g) => ({ access: g.accessToken, refresh: g.refreshToken })));
}

// ---- audit trail --------------------------------------------------------------------------------

type AuditInsert = typeof schema.auditEvents.$inferInsert;
const AUDIT_COLUMNS = ["at", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "outcome", "detail", "ip"] as const;

/**
 * One prepared INSERT for many rows, built from the drizzle table: column names and value
 * mapping (dates, JSON) come from the schema, so this stays in step with it, at a fifth of the
 * time of drizzle's multi-row builder for 200,000 rows.
 */
function preparedInsert<T extends typeof schema.auditEvents, K extends keyof T["$inferInsert"] & keyof T>(db: BenchDb, table: T, keys: readonly K[]) {
  const columns = keys.map((k) => table[k] as unknown as SQLiteColumn);
  const stmt = sqliteOf(db).prepare(
    `insert into "${getTableConfig(table).name}" (${columns.map((c) => `"${c.name}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`,
  );
  return (row: T["$inferInsert"]) => {
    stmt.run(...keys.map((k, i) => (row[k] === null || row[k] === undefined ? null : columns[i].mapToDriverValue(row[k]))));
  };
}

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
export function seedAudit(db: BenchDb, o: AuditOptions): AuditSummary {
  const now = o.now ?? Date.now();
  const days = o.days ?? 60;
  const rand = prng(o.seed ?? 2);
  const span = days * DAY;
  const first = now - span;
  const step = span / o.count;
  const nConn = o.connectionIds.last - o.connectionIds.first + 1;
  const summary: AuditSummary = { byAction: {}, byOutcome: {}, firstAt: first, lastAt: first };
  const admin = { actorType: "user" as const, actorId: String(o.adminId), actorLabel: BENCH_ADMIN.email };
  const key = { actorType: "api_key" as const, actorId: String(o.apiKeyId), actorLabel: "bench (zoc_bench…)" };
  const system = { actorType: "system" as const, actorId: null, actorLabel: "system" };
  const insert = preparedInsert(db, schema.auditEvents, AUDIT_COLUMNS);
  sqliteOf(db).transaction(() => {
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
      insert({ ...row, at: new Date(at) });
      summary.byAction[row.action] = (summary.byAction[row.action] ?? 0) + 1;
      summary.byOutcome[row.outcome] = (summary.byOutcome[row.outcome] ?? 0) + 1;
      summary.lastAt = at;
    }
  })();
  return summary;
}

// ---- the whole data set of the dashboard scenario --------------------------------------------------

export interface DashboardData {
  admin: { id: number; email: string; name: string; sessionVersion: number };
  apiKey: { id: number; key: string };
  clientRefs: number[];
  connections: { firstId: number; lastId: number };
  audit: AuditSummary;
}

/** Admin, five clients, an API key, `connections` synthetic connections and `auditRows` events. */
export function seedDashboard(
  db: BenchDb,
  o: { connections: number; auditRows: number; encrypt: Encrypt; sandboxUrl: string; now?: number },
): DashboardData {
  const now = o.now ?? Date.now();
  const admin = seedAdmin(db);
  const clientRefs = seedClients(db, o.encrypt, syntheticClients(5), admin.id, now);
  const apiKey = seedApiKey(db, admin.id);
  const connections = seedFleet(db, { count: o.connections, clientRefs, encrypt: o.encrypt, sandboxUrl: o.sandboxUrl, now, createdBy: admin.id });
  const audit = seedAudit(db, {
    count: o.auditRows,
    connectionIds: { first: connections.firstId, last: connections.lastId },
    adminId: admin.id,
    apiKeyId: apiKey.id,
    now,
  });
  return { admin, apiKey, clientRefs, connections, audit };
}
