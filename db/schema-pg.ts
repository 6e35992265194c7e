import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { jsonText, msTime, PG_NOW_MS } from "./pg-columns";
import { expiryStatusColumns, UNSETTLED_CONNECTION } from "./unsettled";

import {
  ACCESS_TYPES,
  ALERT_DELIVERY_STATES,
  ALERT_DESTINATION_KINDS,
  CLIENT_TYPES,
  CONNECT_LINK_KINDS,
  CONNECT_LINK_STATES,
  MINT_VIAS,
  REALMS,
  ROLES,
  type ApiKeyPermission,
  type OrgBinding,
} from "./enums";

// The PostgreSQL twin of ./schema-sqlite.ts, which says what each table and column is for. Both
// give lib/ rows of the same shapes (./pg-columns); schema-parity.test.ts keeps them equal.

const createdAt = () => msTime("created_at").notNull().default(PG_NOW_MS);

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    disabledAt: msTime("disabled_at"),
    lastSignInAt: msTime("last_sign_in_at"),
    /** Part of every session token; raising it ends all of the user's sessions at once. */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

// Failed sign-ins per key ("email:<address>" or "ip:<address>") inside the current window.
export const loginThrottle = pgTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: msTime("window_started_at").notNull(),
    lockedUntil: msTime("locked_until"),
  },
  (t) => [index("login_throttle_window").on(t.windowStartedAt)],
);

// Append-only: rows are inserted and read, never updated (a trigger refuses it); only the
// retention rule deletes them, oldest first.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    at: createdAt(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system", "anonymous"] }).notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    detail: jsonText<Record<string, unknown>>("detail"),
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

/**
 * Refresh events (`connection.refresh`) counted per quarter hour (UTC), trigger and outcome,
 * upserted in the transaction that writes each event (lib/audit/record.ts): what the overview's
 * refresh chart reads, so its cost does not grow with the events kept. Quarter hours, so a chart
 * can be cut at a viewer's local hours in zones offset by :30 or :45. `trigger` is '' for an event
 * that named none. Kept as long as the longest audit retention (lib/retention.ts).
 */
export const refreshRollups = pgTable(
  "refresh_rollups",
  {
    bucket: bigint("bucket", { mode: "number" }).notNull(),
    trigger: text("trigger").notNull(),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    /** A failure's raw kind (`network`, `invalid_code`, `throttled`, …), '' otherwise; see rollupKindOf. */
    kind: text("kind").notNull().default(""),
    count: bigint("count", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.trigger, t.outcome, t.kind] })],
);

// ---- Zoho clients, authorization attempts, connections ----------------------------------------

export const zohoClients = pgTable(
  "zoho_clients",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    realm: text("realm", { enum: REALMS }).notNull(),
    clientType: text("client_type", { enum: CLIENT_TYPES }).notNull(),
    clientId: text("client_id").notNull(),
    secretEnc: text("secret_enc").notNull(),
    secretLast4: text("secret_last4").notNull(),
    secretUpdatedAt: msTime("secret_updated_at").notNull(),
    homeDc: text("home_dc").notNull(),
    multiDc: boolean("multi_dc").notNull().default(false),
    /** DC locations the client is enabled in besides its home DC (multi-DC only). */
    enabledDcs: jsonText<string[]>("enabled_dcs").notNull().default(sql`'[]'`),
    description: text("description").notNull().default(""),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: msTime("updated_at").notNull().default(PG_NOW_MS),
  },
  (t) => [uniqueIndex("zoho_clients_name_unique").on(t.name), uniqueIndex("zoho_clients_realm_client_id").on(t.realm, t.clientId)],
);

export const oauthAttempts = pgTable(
  "oauth_attempts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    /** sha256 of the state sent to Zoho; the state itself is never stored. */
    stateHash: text("state_hash").notNull(),
    userId: integer("user_id").notNull().references(() => users.id),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    scopes: jsonText<string[]>("scopes").notNull(),
    accessType: text("access_type", { enum: ACCESS_TYPES }).notNull(),
    connectionName: text("connection_name").notNull(),
    /** Set when the attempt re-authorizes an existing connection. */
    reconnectId: integer("reconnect_id"),
    expiresAt: msTime("expires_at").notNull(),
    usedAt: msTime("used_at"),
    outcome: text("outcome"),
    linkRef: integer("link_ref").references(() => connectLinks.id, { onDelete: "cascade" }),
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
    index("oauth_attempts_link").on(t.linkRef),
  ],
);

export const connections = pgTable(
  "connections",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "restrict" }),
    accessType: text("access_type", { enum: ACCESS_TYPES }).notNull(),
    zuid: text("zuid"),
    zohoEmail: text("zoho_email"),
    zohoName: text("zoho_name"),
    location: text("location").notNull(),
    accountsServer: text("accounts_server").notNull(),
    apiDomain: text("api_domain").notNull(),
    scopesRequested: jsonText<string[]>("scopes_requested").notNull(),
    scopesGranted: jsonText<string[]>("scopes_granted").notNull(),
    orgBinding: jsonText<OrgBinding>("org_binding").notNull().default(sql`'{}'`),
    accessTokenEnc: text("access_token_enc"),
    accessTokenLast4: text("access_token_last4"),
    accessTokenExpiresAt: msTime("access_token_expires_at"),
    refreshTokenEnc: text("refresh_token_enc"),
    refreshTokenLast4: text("refresh_token_last4"),
    refreshTokenIssuedAt: msTime("refresh_token_issued_at"),
    lastRefreshAt: msTime("last_refresh_at"),
    lastErrorKind: text("last_error_kind"),
    lastErrorMessage: text("last_error_message"),
    lastErrorAt: msTime("last_error_at"),
    failureCount: integer("failure_count").notNull().default(0),
    failureStreak: integer("failure_streak").notNull().default(0),
    nextRetryAt: msTime("next_retry_at"),
    throttledUntil: msTime("throttled_until"),
    /** Why the connection needs a new consent: invalid_code, evicted, revoked_at_zoho … */
    reauthReason: text("reauth_reason"),
    reauthAt: msTime("reauth_at"),
    /** The connection whose consent made Zoho drop this one's refresh token (reauth_reason "evicted"). */
    evictedByRef: integer("evicted_by_ref"),
    revokedAt: msTime("revoked_at"),
    keepFresh: boolean("keep_fresh").notNull().default(true),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: msTime("lease_expires_at"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: msTime("updated_at").notNull().default(PG_NOW_MS),
    // Whether a token is stored, without reading it: lets the status index below cover the
    // status expression, so lists and counts never touch the ciphertext. Kept by triggers
    // (migration 0005) on every write of the token columns; never written by the console.
    // (SQLite does not use an index as covering when it holds a generated column.)
    hasAccessToken: boolean("has_access_token").notNull().default(false),
    hasRefreshToken: boolean("has_refresh_token").notNull().default(false),
  },
  (t) => [
    index("connections_client").on(t.clientRef),
    index("connections_client_zuid").on(t.clientRef, t.zuid),
    // Ordered by expiry and holding every column of the status expression (status-sql.ts), so
    // "what expires next", "what expired" and the statuses of tokens near expiry are read from
    // this index alone, in expiry order.
    index("connections_expiry").on(...expiryStatusColumns(t)),
    index("connections_name").on(sql`lower(${t.name})`),
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
export const refreshTokenBudgets = pgTable(
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
export const tokenMints = pgTable(
  "token_mints",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    grantType: text("grant_type").notNull(),
    at: msTime("at").notNull(),
    via: text("via", { enum: MINT_VIAS }),
    expiresAt: msTime("expires_at"),
    endedAt: msTime("ended_at"),
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
export const refreshTokenLives = pgTable(
  "refresh_token_lives",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    zuid: text("zuid"),
    issuedAt: msTime("issued_at").notNull(),
    endedAt: msTime("ended_at"),
    /** replaced, revoked, evicted, invalid_code, secret_changed */
    endReason: text("end_reason"),
  },
  (t) => [
    index("refresh_token_lives_client").on(t.clientRef, t.endedAt),
    index("refresh_token_lives_connection").on(t.connectionId, t.endedAt),
  ],
);

export const refresherRuns = pgTable(
  "refresher_runs",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    startedAt: msTime("started_at").notNull(),
    finishedAt: msTime("finished_at"),
    considered: integer("considered").notNull().default(0),
    refreshed: integer("refreshed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    note: text("note"),
  },
  (t) => [index("refresher_runs_started").on(t.startedAt)],
);


// ---- API keys for services ---------------------------------------------------------------------

/** Only the key's SHA-256 is stored; the key itself is shown once, when it is created. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    /** The first characters of the key, enough to recognise it in a list or a log. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    permissions: jsonText<ApiKeyPermission[]>("permissions").notNull(),
    /** True: every connection, present and future; false: the rows of api_key_connections. */
    allConnections: boolean("all_connections").notNull().default(false),
    /** Calls per minute; null takes the console's default. */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    expiresAt: msTime("expires_at"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: msTime("updated_at").notNull().default(PG_NOW_MS),
    revokedAt: msTime("revoked_at"),
    revokedBy: integer("revoked_by").references(() => users.id),
    lastUsedAt: msTime("last_used_at"),
    lastUsedIp: text("last_used_ip"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_created").on(t.createdAt)],
);

export const apiKeyConnections = pgTable(
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
export const apiKeyUsage = pgTable(
  "api_key_usage",
  {
    keyId: integer("key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    connectionId: integer("connection_id").notNull(),
    calls: bigint("calls", { mode: "number" }).notNull().default(0),
    lastCallAt: msTime("last_call_at").notNull(),
    lastIp: text("last_ip"),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.connectionId] }), index("api_key_usage_connection").on(t.connectionId)],
);

/** Calls per key and hour, for "calls in the last 24 hours"; pruned after two days. */
export const apiKeyUsageHourly = pgTable(
  "api_key_usage_hourly",
  {
    keyId: integer("key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    hour: bigint("hour", { mode: "number" }).notNull(),
    calls: bigint("calls", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.hour] }), index("api_key_usage_hourly_hour").on(t.hour)],
);

export const apiRateBuckets = pgTable("api_rate_buckets", {
  keyId: integer("key_id").primaryKey().references(() => apiKeys.id, { onDelete: "cascade" }),
  credit: bigint("credit", { mode: "number" }).notNull(),
  at: msTime("at").notNull(),
  perMinute: integer("per_minute").notNull(),
  allowed: boolean("allowed").notNull(),
});

export const refresherClaims = pgTable(
  "refresher_claims",
  {
    connectionId: integer("connection_id").primaryKey().references(() => connections.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    expiresAt: msTime("expires_at").notNull(),
  },
  (t) => [index("refresher_claims_owner").on(t.owner)],
);

export const consoleInstances = pgTable(
  "console_instances",
  {
    id: text("id").primaryKey(),
    host: text("host").notNull(),
    pid: integer("pid").notNull(),
    buildId: text("build_id").notNull(),
    fingerprints: jsonText<Record<string, string>>("fingerprints").notNull(),
    startedAt: msTime("started_at").notNull(),
    lastSeenAt: msTime("last_seen_at").notNull(),
    stoppedAt: msTime("stopped_at"),
  },
  (t) => [index("console_instances_seen").on(t.lastSeenAt)],
);


// ---- Token rejections, alerts (described in schema-sqlite.ts) ---------------------------------

export const tokenRejections = pgTable(
  "token_rejections",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    keyId: integer("key_id").references(() => apiKeys.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    zohoCode: text("zoho_code"),
    outcome: text("outcome").notNull(),
    at: msTime("at").notNull(),
  },
  (t) => [index("token_rejections_connection_key").on(t.connectionId, t.keyId, t.at), index("token_rejections_at").on(t.at)],
);

export const alertDestinations = pgTable(
  "alert_destinations",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_DESTINATION_KINDS }).notNull(),
    urlEnc: text("url_enc"),
    urlHint: text("url_hint"),
    emails: jsonText<string[]>("emails").notNull().default(sql`'[]'`),
    events: jsonText<string[]>("events").notNull().default(sql`'[]'`),
    clientRef: integer("client_ref").references(() => zohoClients.id, { onDelete: "cascade" }),
    connectionRef: integer("connection_ref").references(() => connections.id, { onDelete: "cascade" }),
    secretEnc: text("secret_enc"),
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretUntil: msTime("previous_secret_until"),
    enabled: boolean("enabled").notNull().default(true),
    pausedAt: msTime("paused_at"),
    pauseReason: text("pause_reason"),
    failingSince: msTime("failing_since"),
    lastFailureAt: msTime("last_failure_at"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: msTime("updated_at").notNull().default(PG_NOW_MS),
  },
  (t) => [index("alert_destinations_created").on(t.createdAt)],
);

export const alertEvents = pgTable(
  "alert_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    publicId: text("public_id").notNull(),
    type: text("type").notNull(),
    payload: jsonText<Record<string, unknown>>("payload").notNull(),
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

export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    eventRef: integer("event_ref").notNull().references(() => alertEvents.id, { onDelete: "cascade" }),
    destinationRef: integer("destination_ref").notNull().references(() => alertDestinations.id, { onDelete: "cascade" }),
    state: text("state", { enum: ALERT_DELIVERY_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: msTime("next_attempt_at").notNull(),
    firstAttemptAt: msTime("first_attempt_at"),
    claimedBy: text("claimed_by"),
    claimExpiresAt: msTime("claim_expires_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    lastLatencyMs: integer("last_latency_ms"),
    lastResponseHead: text("last_response_head"),
    deliveredAt: msTime("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("alert_deliveries_due").on(t.state, t.nextAttemptAt),
    index("alert_deliveries_destination").on(t.destinationRef, t.id),
    index("alert_deliveries_event").on(t.eventRef),
  ],
);

export const alertAttempts = pgTable(
  "alert_attempts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    deliveryRef: integer("delivery_ref").notNull().references(() => alertDeliveries.id, { onDelete: "cascade" }),
    at: msTime("at").notNull(),
    outcome: text("outcome").notNull(),
    status: integer("status"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    responseHead: text("response_head"),
  },
  (t) => [index("alert_attempts_delivery").on(t.deliveryRef, t.at)],
);

export const incidents = pgTable(
  "incidents",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    connectionRef: integer("connection_ref").notNull().references(() => connections.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    errorKind: text("error_kind"),
    cause: text("cause").notNull(),
    failures: integer("failures").notNull().default(1),
    openedAt: msTime("opened_at").notNull(),
    resolvedAt: msTime("resolved_at"),
    resolution: text("resolution"),
  },
  (t) => [
    uniqueIndex("incidents_one_open").on(t.connectionRef).where(sql`resolved_at is null`),
    index("incidents_opened").on(t.openedAt),
    index("incidents_connection").on(t.connectionRef, t.openedAt),
  ],
);

export const scheduledRuns = pgTable("scheduled_runs", {
  name: text("name").primaryKey(),
  at: msTime("at").notNull(),
});

/**
 * A counter per watched table group, raised by triggers on every write: a poll compares it and
 * answers 304 when nothing changed, without running the query.
 */
export const dataVersions = pgTable("data_versions", {
  name: text("name").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});


// ---- Connect links (described in schema-sqlite.ts) ----------------------------------------------

export const connectLinks = pgTable(
  "connect_links",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    tokenHash: text("token_hash").notNull(),
    kind: text("kind", { enum: CONNECT_LINK_KINDS }).notNull(),
    connectionRef: integer("connection_ref").references(() => connections.id, { onDelete: "cascade" }),
    clientRef: integer("client_ref").notNull().references(() => zohoClients.id, { onDelete: "cascade" }),
    scopes: jsonText<string[]>("scopes").notNull(),
    accessType: text("access_type", { enum: ACCESS_TYPES }).notNull(),
    connectionName: text("connection_name").notNull(),
    expectedEmail: text("expected_email"),
    startLocation: text("start_location").notNull(),
    expiresAt: msTime("expires_at").notNull(),
    state: text("state", { enum: CONNECT_LINK_STATES }).notNull().default("waiting"),
    stateReason: text("state_reason"),
    openedAt: msTime("opened_at"),
    consentStartedAt: msTime("consent_started_at"),
    completedAt: msTime("completed_at"),
    completedZuid: text("completed_zuid"),
    completedEmail: text("completed_email"),
    resultConnectionRef: integer("result_connection_ref").references(() => connections.id, { onDelete: "set null" }),
    revokedAt: msTime("revoked_at"),
    revokedBy: integer("revoked_by").references(() => users.id),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: msTime("updated_at").notNull().default(PG_NOW_MS),
  },
  (t) => [
    uniqueIndex("connect_links_token_hash").on(t.tokenHash),
    index("connect_links_created").on(t.createdAt),
    index("connect_links_creator").on(t.createdBy, t.createdAt),
    index("connect_links_due").on(t.state, t.expiresAt),
    index("connect_links_connection").on(t.connectionRef),
    index("connect_links_result").on(t.resultConnectionRef),
    index("connect_links_client").on(t.clientRef),
  ],
);

export const connectionTags = pgTable(
  "connection_tags",
  {
    connectionId: integer("connection_id").notNull().references(() => connections.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.tag] }), index("connection_tags_tag").on(t.tag, t.connectionId)],
);

export const savedViews = pgTable(
  "saved_views",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    href: text("href").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("saved_views_user_name").on(t.userId, t.name)],
);

export const zohoPacing = pgTable("zoho_pacing", {
  key: text("key").primaryKey(),
  nextAt: msTime("next_at").notNull(),
});

export const publicRateBuckets = pgTable(
  "public_rate_buckets",
  {
    key: text("key").primaryKey(),
    credit: bigint("credit", { mode: "number" }).notNull(),
    at: msTime("at").notNull(),
    perMinute: integer("per_minute").notNull(),
    allowed: boolean("allowed").notNull(),
  },
  (t) => [index("public_rate_buckets_at").on(t.at)],
);
