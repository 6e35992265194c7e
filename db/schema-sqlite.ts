import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { expiryStatusColumns, UNSETTLED_CONNECTION } from "./unsettled";

import {
  ACCESS_TYPES,
  ALERT_DELIVERY_STATES,
  ALERT_DESTINATION_KINDS,
  API_KEY_PERMISSIONS,
  CLIENT_TYPES,
  CONNECT_LINK_KINDS,
  CONNECT_LINK_STATES,
  MINT_VIAS,
  REALMS,
  ROLES,
  type ApiKeyPermission,
  type MintVia,
  type OrgBinding,
  type Role,
} from "./enums";

// The value sets live in ./enums (no drizzle) so the browser can have them through lib/.
export { ACCESS_TYPES, API_KEY_PERMISSIONS, CLIENT_TYPES, MINT_VIAS, REALMS, ROLES };
export type { ApiKeyPermission, MintVia, OrgBinding, Role };

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }),
    /** Part of every session token; raising it ends all of the user's sessions at once. */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

// Failed sign-ins per key ("email:<address>" or "ip:<address>") inside the current window.
export const loginThrottle = sqliteTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: integer("window_started_at", { mode: "timestamp_ms" }).notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
  },
  (t) => [index("login_throttle_window").on(t.windowStartedAt)],
);

// Append-only: rows are inserted and read, never updated (a trigger refuses it); only the
// retention rule deletes them, oldest first.
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: createdAt(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system", "anonymous"] }).notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
    /**
     * Anonymous events (failed sign-ins, hostile callbacks, unknown API keys) from one address,
     * and refusals a user or key can repeat at will, per actor, are folded into one row per
     * action, outcome, reason and minute (lib/audit/record.ts): the first event's row, counting
     * the rest here. The only column a trigger lets change, and only upwards.
     */
    repeatCount: integer("repeat_count").notNull().default(1),
    /** The fold's key for folded rows (null otherwise); unique, so the fold is one upsert. */
    aggregateKey: text("aggregate_key"),
    /**
     * What started a refresh (background, manual, api, rejected) for `connection.refresh` events,
     * null for every other action: a column, so retention and rollups filter on it without
     * reading the JSON detail.
     */
    trigger: text("trigger"),
    /**
     * What the audit page's free-text search reads (lib/audit/search-text.ts): the event's
     * sentence, action, actor, target name as recorded and detail, written once with the row.
     * Indexed outside drizzle's reach, by hand in the audit_search migration: on SQLite an FTS5
     * trigram table (`audit_search`) that triggers keep in step with inserts and deletes, on
     * PostgreSQL a pg_trgm GIN index (`audit_events_search`). Both find substrings of 3+ letters.
     */
    searchText: text("search_text"),
    /** The id of the request, server action or refresher run that wrote it, as its log lines carry it. */
    requestId: text("request_id"),
  },
  // One index per filter, each ending in `at` so a filtered page is read newest first straight
  // from the index; the rowid (id) rides along and settles ties in the keyset.
  (t) => [
    index("audit_events_at").on(t.at),
    index("audit_events_target_at").on(t.targetType, t.targetId, t.at),
    index("audit_events_action_at").on(t.action, t.at),
    index("audit_events_actor_at").on(t.actorType, t.actorId, t.at),
    index("audit_events_outcome_at").on(t.outcome, t.at),
    uniqueIndex("audit_events_aggregate_key").on(t.aggregateKey),
    // Retention of routine successes (background refreshes) oldest first: lib/retention.ts.
    index("audit_events_trigger_outcome_at").on(t.trigger, t.outcome, t.at),
  ],
);

export type UserRow = typeof users.$inferSelect;
/**
 * Refresh events (`connection.refresh`) counted per quarter hour (UTC), trigger and outcome,
 * upserted in the transaction that writes each event (lib/audit/record.ts): what the overview's
 * refresh chart reads, so its cost does not grow with the events kept. Quarter hours, so a chart
 * can be cut at a viewer's local hours in zones offset by :30 or :45. `trigger` is '' for an event
 * that named none. Kept as long as the longest audit retention (lib/retention.ts).
 */
export const refreshRollups = sqliteTable(
  "refresh_rollups",
  {
    bucket: integer("bucket").notNull(),
    trigger: text("trigger").notNull(),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    /** A failure's raw kind (`network`, `invalid_code`, `throttled`, …), '' otherwise; see rollupKindOf. */
    kind: text("kind").notNull().default(""),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.trigger, t.outcome, t.kind] })],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;

// ---- Zoho clients, authorization attempts, connections ----------------------------------------

export const zohoClients = sqliteTable(
  "zoho_clients",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    realm: text("realm", { enum: REALMS }).notNull(),
    clientType: text("client_type", { enum: CLIENT_TYPES }).notNull(),
    clientId: text("client_id").notNull(),
    secretEnc: text("secret_enc").notNull(),
    secretLast4: text("secret_last4").notNull(),
    secretUpdatedAt: integer("secret_updated_at", { mode: "timestamp_ms" }).notNull(),
    homeDc: text("home_dc").notNull(),
    multiDc: integer("multi_dc", { mode: "boolean" }).notNull().default(false),
    /** DC locations the client is enabled in besides its home DC (multi-DC only). */
    enabledDcs: text("enabled_dcs", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    description: text("description").notNull().default(""),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [uniqueIndex("zoho_clients_name_unique").on(t.name), uniqueIndex("zoho_clients_realm_client_id").on(t.realm, t.clientId)],
);

export const oauthAttempts = sqliteTable(
  "oauth_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** sha256 of the state sent to Zoho; the state itself is never stored. */
    stateHash: text("state_hash").notNull(),
    userId: integer("user_id").notNull().references(() => users.id),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    accessType: text("access_type", { enum: ACCESS_TYPES }).notNull(),
    connectionName: text("connection_name").notNull(),
    /** Set when the attempt re-authorizes an existing connection. */
    reconnectId: integer("reconnect_id"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    outcome: text("outcome"),
    /** Set when a connect link's owner started the attempt (userId is then the link's creator). */
    linkRef: integer("link_ref").references(() => connectLinks.id, { onDelete: "cascade" }),
    /**
     * sha256 of a nonce kept in the owner's browser (a cookie): the link attempt's stand-in for
     * the console session that binds an admin's attempt to its admin.
     */
    linkNonceHash: text("link_nonce_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("oauth_attempts_state_hash").on(t.stateHash),
    index("oauth_attempts_expires").on(t.expiresAt),
    // A user's attempts newest first (the connections page's unfinished authorizations).
    index("oauth_attempts_user").on(t.userId, t.id),
    // Deleting a client cascades to its attempts (without this the cascade scans the table), and
    // "a newer attempt of the same user and client replaced it" reads exactly those rows.
    index("oauth_attempts_client").on(t.clientRef, t.userId, t.id),
    // Deleting a link cascades to its attempts.
    index("oauth_attempts_link").on(t.linkRef),
  ],
);

export const connections = sqliteTable(
  "connections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "restrict" }),
    accessType: text("access_type", { enum: ACCESS_TYPES }).notNull(),
    zuid: text("zuid"),
    zohoEmail: text("zoho_email"),
    zohoName: text("zoho_name"),
    location: text("location").notNull(),
    accountsServer: text("accounts_server").notNull(),
    apiDomain: text("api_domain").notNull(),
    scopesRequested: text("scopes_requested", { mode: "json" }).$type<string[]>().notNull(),
    scopesGranted: text("scopes_granted", { mode: "json" }).$type<string[]>().notNull(),
    orgBinding: text("org_binding", { mode: "json" }).$type<OrgBinding>().notNull().default(sql`'{}'`),
    accessTokenEnc: text("access_token_enc"),
    accessTokenLast4: text("access_token_last4"),
    accessTokenExpiresAt: integer("access_token_expires_at", { mode: "timestamp_ms" }),
    refreshTokenEnc: text("refresh_token_enc"),
    refreshTokenLast4: text("refresh_token_last4"),
    refreshTokenIssuedAt: integer("refresh_token_issued_at", { mode: "timestamp_ms" }),
    lastRefreshAt: integer("last_refresh_at", { mode: "timestamp_ms" }),
    lastErrorKind: text("last_error_kind"),
    lastErrorMessage: text("last_error_message"),
    lastErrorAt: integer("last_error_at", { mode: "timestamp_ms" }),
    failureCount: integer("failure_count").notNull().default(0),
    /** Failed refreshes in a row of any kind (throttles too, which do not grow the backoff): what opens an incident. */
    failureStreak: integer("failure_streak").notNull().default(0),
    nextRetryAt: integer("next_retry_at", { mode: "timestamp_ms" }),
    throttledUntil: integer("throttled_until", { mode: "timestamp_ms" }),
    /** Why the connection needs a new consent: invalid_code, evicted, revoked_at_zoho … */
    reauthReason: text("reauth_reason"),
    reauthAt: integer("reauth_at", { mode: "timestamp_ms" }),
    /** The connection whose consent made Zoho drop this one's refresh token (reauth_reason "evicted"). */
    evictedByRef: integer("evicted_by_ref"),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    keepFresh: integer("keep_fresh", { mode: "boolean" }).notNull().default(true),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at", { mode: "timestamp_ms" }),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    // Whether a token is stored, without reading it: lets the status index below cover the
    // status expression, so lists and counts never touch the ciphertext. Kept by triggers
    // (migration 0005) on every write of the token columns; never written by the console.
    // (SQLite does not use an index as covering when it holds a generated column.)
    hasAccessToken: integer("has_access_token", { mode: "boolean" }).notNull().default(false),
    hasRefreshToken: integer("has_refresh_token", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("connections_client").on(t.clientRef),
    index("connections_client_zuid").on(t.clientRef, t.zuid),
    // Ordered by expiry and holding every column of the status expression (status-sql.ts), so
    // "what expires next", "what expired" and the statuses of tokens near expiry are read from
    // this index alone, in expiry order.
    index("connections_expiry").on(...expiryStatusColumns(t)),
    index("connections_name").on(sql`${t.name} collate nocase`),
    index("connections_created").on(t.createdAt),
    index("connections_last_refresh").on(t.lastRefreshAt),
    // Every column the status expression reads, plus the list's filters: counting by status,
    // filtering and sorting by it are read from this index alone.
    index("connections_status").on(
      t.revokedAt,
      t.reauthReason,
      t.lastErrorKind,
      t.failureCount,
      t.accessType,
      t.hasRefreshToken,
      t.hasAccessToken,
      t.throttledUntil,
      t.accessTokenExpiresAt,
      t.keepFresh,
      t.clientRef,
      t.location,
      // Last, so lists read the ids they select from the index too: SQLite's indexes hold the
      // row id anyway, PostgreSQL's do not.
      t.id,
    ),
    // Connections that may be other than active whatever the clock says (db/unsettled.ts), with
    // the status expression's columns: the overview counts and ranks their statuses from this
    // index and the expiry index alone, not from the whole fleet.
    index("connections_unsettled").on(...expiryStatusColumns(t)).where(sql.raw(UNSETTLED_CONNECTION)),
    // Live refresh tokens of one (client, Zoho user), for the authorization flow's budget.
    index("connections_live_refresh_tokens")
      .on(t.clientRef, t.zuid)
      .where(sql`refresh_token_enc is not null and revoked_at is null and reauth_reason is null and zuid is not null`),
  ],
);


/**
 * Live refresh tokens per (client, Zoho user) — Zoho keeps 20 and evicts the oldest — kept by
 * triggers on every write of connections (a token stored, revoked, sent to re-authorization, a
 * Zoho user learnt; migrations 0019 / 0011), never written by the console. The overview's
 * budget table reads the fullest pairs from `refresh_token_budgets_fullest` (hand-written in
 * those migrations: `live desc, client_ref, zuid where live > 0`) instead of grouping every
 * connection. A pair whose tokens all went keeps its row at 0.
 */
export const refreshTokenBudgets = sqliteTable(
  "refresh_token_budgets",
  {
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    zuid: text("zuid").notNull(),
    live: integer("live").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clientRef, t.zuid] })],
);

/**
 * Every access token minted for a connection: the refresh budget counts them (Zoho allows ten
 * per refresh token per ten minutes) and the token timeline draws each one's life from its mint
 * to its end. `endedAt` stays empty while the token is the connection's current one.
 */
export const tokenMints = sqliteTable(
  "token_mints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    grantType: text("grant_type").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    via: text("via", { enum: MINT_VIAS }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** replaced, expired, revoked, evicted, invalid_code, secret_changed, discarded */
    endReason: text("end_reason"),
    tokenLast4: text("token_last4"),
  },
  (t) => [
    index("token_mints_connection_at").on(t.connectionId, t.at),
    index("token_mints_at").on(t.at),
    index("token_mints_open").on(t.connectionId, t.endedAt),
    // One current token per connection, whatever writers race: a second open life is refused.
    uniqueIndex("token_mints_one_current").on(t.connectionId).where(sql`ended_at is null`),
  ],
);

/**
 * Each refresh token a connection held, from issue to end, per Zoho user: what the client page
 * draws against Zoho's cap of 20 refresh tokens per user and client.
 */
export const refreshTokenLives = sqliteTable(
  "refresh_token_lives",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    zuid: text("zuid"),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** replaced, revoked, evicted, invalid_code, secret_changed */
    endReason: text("end_reason"),
  },
  (t) => [
    index("refresh_token_lives_client").on(t.clientRef, t.endedAt),
    index("refresh_token_lives_connection").on(t.connectionId, t.endedAt),
  ],
);

export const refresherRuns = sqliteTable(
  "refresher_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    considered: integer("considered").notNull().default(0),
    refreshed: integer("refreshed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    note: text("note"),
  },
  (t) => [index("refresher_runs_started").on(t.startedAt)],
);

export type ZohoClientRow = typeof zohoClients.$inferSelect;
export type OauthAttemptRow = typeof oauthAttempts.$inferSelect;
export type ConnectionRow = typeof connections.$inferSelect;

// ---- API keys for services ---------------------------------------------------------------------

/** Only the key's SHA-256 is stored; the key itself is shown once, when it is created. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** The first characters of the key, enough to recognise it in a list or a log. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    permissions: text("permissions", { mode: "json" }).$type<ApiKeyPermission[]>().notNull(),
    /** True: every connection, present and future; false: the rows of api_key_connections. */
    allConnections: integer("all_connections", { mode: "boolean" }).notNull().default(false),
    /** Calls per minute; null takes the console's default. */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedBy: integer("revoked_by").references(() => users.id),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    lastUsedIp: text("last_used_ip"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_created").on(t.createdAt)],
);

export const apiKeyConnections = sqliteTable(
  "api_key_connections",
  {
    keyId: integer("key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.connectionId] }), index("api_key_connections_connection").on(t.connectionId)],
);

/**
 * Calls per key and connection (connection 0: calls about no one connection, such as the list).
 * Counted in memory and added here in one small transaction a second, not a row per call.
 */
export const apiKeyUsage = sqliteTable(
  "api_key_usage",
  {
    keyId: integer("key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    connectionId: integer("connection_id").notNull(),
    calls: integer("calls").notNull().default(0),
    lastCallAt: integer("last_call_at", { mode: "timestamp_ms" }).notNull(),
    lastIp: text("last_ip"),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.connectionId] }), index("api_key_usage_connection").on(t.connectionId)],
);

/** Calls per key and hour, for "calls in the last 24 hours"; pruned after two days. */
export const apiKeyUsageHourly = sqliteTable(
  "api_key_usage_hourly",
  {
    keyId: integer("key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    hour: integer("hour").notNull(),
    calls: integer("calls").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.hour] }), index("api_key_usage_hourly_hour").on(t.hour)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * The API rate limit's token bucket per key, shared by every console instance: one conditional
 * upsert per call takes one by the database's clock. Credit is counted in 60,000ths of a call, so
 * a key earns exactly `perMinute` of them a millisecond and refill needs no fractions. Holds no
 * history; a key's row goes with the key.
 */
export const apiRateBuckets = sqliteTable("api_rate_buckets", {
  keyId: integer("key_id").primaryKey().references(() => apiKeys.id, { onDelete: "cascade" }),
  /** Credit left: a call costs 60,000, the bucket holds perMinute × 60,000 (a minute's calls as a burst). */
  credit: integer("credit").notNull(),
  /** When credit was last worked out (the database's clock). */
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
  perMinute: integer("per_minute").notNull(),
  /** Whether the last call took a token: what the upsert's RETURNING reads. */
  allowed: integer("allowed", { mode: "boolean" }).notNull(),
});

/**
 * Which instance's background refresher has taken which due connection, so instances share the
 * due list instead of all walking it. A claim ends when its refresh does, or at expiresAt if its
 * instance stopped. The refresh itself still takes the connection's lease.
 */
export const refresherClaims = sqliteTable(
  "refresher_claims",
  {
    connectionId: integer("connection_id").primaryKey().references(() => connections.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("refresher_claims_owner").on(t.owner)],
);

/**
 * Console instances on this database: each writes its row at start and every heartbeat. Health
 * and the fleet view read it; an instance whose shared settings differ from a live one's (the
 * fingerprints, never the values) is refused at start.
 */
export const consoleInstances = sqliteTable(
  "console_instances",
  {
    id: text("id").primaryKey(),
    host: text("host").notNull(),
    pid: integer("pid").notNull(),
    /** The Next.js build this instance serves: server actions only work within one build. */
    buildId: text("build_id").notNull(),
    /** SHA-256 of each setting that must be equal on every instance (AUTH_SECRET, key ring, public URL). */
    fingerprints: text("fingerprints", { mode: "json" }).$type<Record<string, string>>().notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    stoppedAt: integer("stopped_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("console_instances_seen").on(t.lastSeenAt)],
);

// ---- Token rejections, alerts -------------------------------------------------------------------

/**
 * Each time Zoho refused a connection's access token before its expiry (seen by Verify, the
 * proxy, the health check, or reported by a service) and what the console did about it. Bounds
 * how many refreshes one key's reports may cause, and tells the connection's story.
 */
export const tokenRejections = sqliteTable(
  "token_rejections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    /** The API key whose call or report saw it; null for Verify and the health check. */
    keyId: integer("key_id").references(() => apiKeys.id, { onDelete: "cascade" }),
    /** verify, proxy, report, healthcheck */
    source: text("source").notNull(),
    zohoCode: text("zoho_code"),
    /** refreshed, already_replaced, refused_again, limited, refresh_failed, not_confirmed */
    outcome: text("outcome").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("token_rejections_connection_key").on(t.connectionId, t.keyId, t.at), index("token_rejections_at").on(t.at)],
);

/** Where alerts go. URLs can carry credentials (Slack's do), so they are stored encrypted. */
export const alertDestinations = sqliteTable(
  "alert_destinations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_DESTINATION_KINDS }).notNull(),
    urlEnc: text("url_enc"),
    /** Scheme and host only, for lists: the rest of a URL may be a credential. */
    urlHint: text("url_hint"),
    emails: text("emails", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Event types sent; empty sends every type. */
    events: text("events", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    clientRef: integer("client_ref").references(() => zohoClients.id, { onDelete: "cascade" }),
    connectionRef: integer("connection_ref").references(() => connections.id, { onDelete: "cascade" }),
    /** Webhooks: the signing secret (whsec_…), and the one it replaced while it still signs too. */
    secretEnc: text("secret_enc"),
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretUntil: integer("previous_secret_until", { mode: "timestamp_ms" }),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Set when deliveries failed for three days; a person resumes it. */
    pausedAt: integer("paused_at", { mode: "timestamp_ms" }),
    pauseReason: text("pause_reason"),
    /** When the current run of failed attempts began; null after any success. */
    failingSince: integer("failing_since", { mode: "timestamp_ms" }),
    /** The last failed attempt: a run of failures ends when a day passes without one. */
    lastFailureAt: integer("last_failure_at", { mode: "timestamp_ms" }),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("alert_destinations_created").on(t.createdAt)],
);

/**
 * The outbox: each event is written in the transaction of the change that caused it, with one
 * delivery per destination that wants it, so a crash can neither lose nor invent an alert.
 */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** msg_…: the webhook-id receivers de-duplicate on; the same for every attempt and replay. */
    publicId: text("public_id").notNull(),
    type: text("type").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Plain ids, no foreign keys: an event outlives what it was about. */
    connectionId: integer("connection_id"),
    clientId: integer("client_id"),
    incidentId: integer("incident_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("alert_events_public_id").on(t.publicId),
    index("alert_events_created").on(t.createdAt),
    index("alert_events_client").on(t.clientId, t.type),
  ],
);

export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventRef: integer("event_ref").notNull().references(() => alertEvents.id, { onDelete: "cascade" }),
    destinationRef: integer("destination_ref").notNull().references(() => alertDestinations.id, { onDelete: "cascade" }),
    state: text("state", { enum: ALERT_DELIVERY_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** When a pending delivery is next tried (the database's clock). */
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    firstAttemptAt: integer("first_attempt_at", { mode: "timestamp_ms" }),
    /** The instance sending it now, until claimExpiresAt (then any instance may take it). */
    claimedBy: text("claimed_by"),
    claimExpiresAt: integer("claim_expires_at", { mode: "timestamp_ms" }),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    lastLatencyMs: integer("last_latency_ms"),
    lastResponseHead: text("last_response_head"),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("alert_deliveries_due").on(t.state, t.nextAttemptAt),
    index("alert_deliveries_destination").on(t.destinationRef, t.id),
    index("alert_deliveries_event").on(t.eventRef),
  ],
);

/** Every attempt of a delivery: what the delivery log expands to. */
export const alertAttempts = sqliteTable(
  "alert_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryRef: integer("delivery_ref").notNull().references(() => alertDeliveries.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** delivered, retry, final */
    outcome: text("outcome").notNull(),
    status: integer("status"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    responseHead: text("response_head"),
  },
  (t) => [index("alert_attempts_delivery").on(t.deliveryRef, t.at)],
);

/**
 * Repeated failures of one connection folded into one incident: it opens on a terminal failure
 * or the third temporary one in a row, and resolves when the connection refreshes again, is
 * reconnected or revoked. At most one open incident per connection.
 */
export const incidents = sqliteTable(
  "incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectionRef: integer("connection_ref").notNull().references(() => connections.id, { onDelete: "cascade" }),
    /** terminal (Zoho refused the refresh token) or temporary (network, 5xx, throttled) */
    kind: text("kind").notNull(),
    errorKind: text("error_kind"),
    cause: text("cause").notNull(),
    failures: integer("failures").notNull().default(1),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    /** refreshed, reauthorized, revoked */
    resolution: text("resolution"),
  },
  (t) => [
    uniqueIndex("incidents_one_open").on(t.connectionRef).where(sql`resolved_at is null`),
    index("incidents_opened").on(t.openedAt),
    index("incidents_connection").on(t.connectionRef, t.openedAt),
  ],
);

/** Jobs that must run once per period across every instance (the daily digest): the row is the claim. */
export const scheduledRuns = sqliteTable("scheduled_runs", {
  name: text("name").primaryKey(),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * A counter per watched table group, raised by triggers on every write: a poll compares it and
 * answers 304 when nothing changed, without running the query.
 */
export const dataVersions = sqliteTable("data_versions", {
  name: text("name").primaryKey(),
  version: integer("version").notNull().default(0),
});

// ---- Connect links ------------------------------------------------------------------------------

/**
 * A link that lets a Zoho account owner without a console account authorize a connection (or
 * re-authorize one) whose client, scopes, access type and data centre were fixed when the link
 * was made. Only the sha256 of its token is stored; the token itself is shown once.
 */
export const connectLinks = sqliteTable(
  "connect_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    kind: text("kind", { enum: CONNECT_LINK_KINDS }).notNull(),
    /** The connection a reconnect link re-authorizes; null for a new connection. */
    connectionRef: integer("connection_ref").references(() => connections.id, { onDelete: "cascade" }),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    accessType: text("access_type", { enum: ACCESS_TYPES }).notNull(),
    connectionName: text("connection_name").notNull(),
    /** The Zoho user's e-mail the creator expects; another user's consent is refused. */
    expectedEmail: text("expected_email"),
    /** The data centre whose accounts server consent starts at. */
    startLocation: text("start_location").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    state: text("state", { enum: CONNECT_LINK_STATES }).notNull().default("waiting"),
    /** Why it failed (a code from a fixed set), or what ended it. */
    stateReason: text("state_reason"),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }),
    consentStartedAt: integer("consent_started_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    completedZuid: text("completed_zuid"),
    completedEmail: text("completed_email"),
    resultConnectionRef: integer("result_connection_ref").references(() => connections.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedBy: integer("revoked_by").references(() => users.id),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex("connect_links_token_hash").on(t.tokenHash),
    index("connect_links_created").on(t.createdAt),
    index("connect_links_creator").on(t.createdBy, t.createdAt),
    // Links still open past their expiry, for the sweep that marks them expired.
    index("connect_links_due").on(t.state, t.expiresAt),
    // Deleting a connection or a client cascades here; without these the cascade scans the table.
    index("connect_links_connection").on(t.connectionRef),
    index("connect_links_result").on(t.resultConnectionRef),
    index("connect_links_client").on(t.clientRef),
  ],
);

export type ConnectLinkRow = typeof connectLinks.$inferSelect;

/**
 * Labels on connections ("customer:acme", "env:prod"), the fleet's own way of grouping them.
 * The list, the service API and the audit filter select by tag through `connection_tags_tag`.
 */
export const connectionTags = sqliteTable(
  "connection_tags",
  {
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.tag] }), index("connection_tags_tag").on(t.tag, t.connectionId)],
);

/** A filtered list or audit view a person saved under a name: links in their own sidebar. */
export const savedViews = sqliteTable(
  "saved_views",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** A console path with its query string: /connections?… or /audit?… */
    href: text("href").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("saved_views_user_name").on(t.userId, t.name)],
);

/**
 * When the next paced call to one Zoho accounts server may go out (bulk revokes, refreshes and
 * verifies go one by one): one row per server, shared by every instance. Bounded by the number of
 * accounts servers, so it needs no pruning.
 */
export const zohoPacing = sqliteTable("zoho_pacing", {
  key: text("key").primaryKey(),
  nextAt: integer("next_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Token buckets of the public pages, keyed by a string ("link:<id>", "ip:<address>"), shared by
 * every instance as api_rate_buckets is (see lib/api-keys/rate-limit.ts for the arithmetic).
 * Idle rows are pruned: an absent row is a full bucket.
 */
export const publicRateBuckets = sqliteTable(
  "public_rate_buckets",
  {
    key: text("key").primaryKey(),
    credit: integer("credit").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    perMinute: integer("per_minute").notNull(),
    allowed: integer("allowed", { mode: "boolean" }).notNull(),
  },
  (t) => [index("public_rate_buckets_at").on(t.at)],
);
