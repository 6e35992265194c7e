/**
 * The list, overview and audit queries read indices, not whole tables: each query's plan, as the
 * engine would run it here, must not read a large table row by row. On SQLite that is EXPLAIN
 * QUERY PLAN (no bare `SCAN <table>`); on PostgreSQL it is EXPLAIN (FORMAT JSON) over tables
 * seeded with a few thousand rows and analysed, as autovacuum keeps them (no `Seq Scan`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExplainableQuery as Query } from "@/db/explain";
import { onPostgres } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb, database } = await import("@/db/client");
const list = await import("./list");
const ov = await import("./overview");
const audit = await import("@/lib/audit/query");
const { parseListQuery } = await import("./queries");
const recent = await import("@/lib/authorization/recent-attempts");
const { ATTEMPT_RETENTION_MS, hashState } = await import("@/lib/authorization/attempts");
const { oauthAttempts } = await import("@/db/schema");
const { fullScans: explainedScans, queryPlan } = await import("@/db/explain");
const { and, eq, lt } = await import("drizzle-orm");
afterAll(() => tmp.cleanup());

const NOW = Date.now();

const LARGE = ["connections", "audit_events", "token_mints", "refresh_token_lives", "oauth_attempts"];

const plan = (query: Query) => queryPlan(database(), query);
const fullScans = (lines: string[]) => explainedScans(database().engine, lines, LARGE);

async function expectIndexed(name: string, query: Query) {
  const lines = await plan(query);
  expect(fullScans(lines), `${name}:\n${lines.join("\n")}`).toEqual([]);
}

/**
 * PostgreSQL plans by statistics: on a nearly empty table a sequential scan is the cheapest plan
 * and says nothing. The growing tables get a few thousand rows shaped like a console's, and the
 * statistics and visibility map autovacuum would keep (VACUUM ANALYZE).
 */
async function seedPostgres() {
  const q = (text: string) => database().query(text);
  const now = `${NOW}::bigint`;
  await q(`insert into users (email, name, password_hash, role)
    select 'user' || g || '@console.test', 'user ' || g, 'x', 'operator' from generate_series(1, 50) g`);
  await q(`insert into zoho_clients (name, realm, client_type, client_id, secret_enc, secret_last4, secret_updated_at, home_dc)
    select 'client ' || g, 'sandbox', 'server', '1000.C' || g, 'x', 'abcd', ${now}, 'us' from generate_series(1, 20) g`);
  // 5,000 connections over 20 clients and 500 Zoho users, in every status, with ciphertexts of
  // a real token's length (the row width decides between reading the table and an index).
  await q(`insert into connections (name, client_ref, access_type, zuid, zoho_email, location, accounts_server, api_domain,
      scopes_requested, scopes_granted, access_token_enc, access_token_last4, access_token_expires_at, refresh_token_enc,
      refresh_token_issued_at, last_refresh_at, failure_count, last_error_kind, next_retry_at, throttled_until, reauth_reason,
      revoked_at, created_at)
    select 'connection ' || g,
      (select min(id) from zoho_clients) + g % 20,
      case when g % 25 = 0 then 'online' else 'offline' end,
      (70000000 + g % 500)::text, 'user' || (g % 500) || '@zylker.com',
      (array['us', 'eu', 'in', 'au', 'jp'])[1 + g % 5], 'https://accounts.zoho.com', 'https://www.zohoapis.com',
      '["Desk.tickets.READ"]', '["Desk.tickets.READ"]',
      case when g % 97 = 0 then null else 'v2.main.' || repeat(md5('a' || g), 4) end, right('000' || g, 4),
      ${now} + (g % 120 - 20) * 60000,
      case when g % 25 = 0 or g % 97 = 0 then null else 'v2.main.' || repeat(md5('r' || g), 4) end,
      ${now} - g * 60000, ${now} - (g % 60) * 60000,
      case when g % 53 = 0 then 2 else 0 end,
      case when g % 53 = 0 then 'server' end,
      case when g % 53 = 0 then ${now} + 60000 end,
      case when g % 71 = 0 then ${now} + 300000 end,
      case when g % 89 = 0 then 'invalid_code' end,
      case when g % 97 = 0 then ${now} - g end,
      ${now} - g * 60000
    from generate_series(1, 5000) g`);
  // 30,000 audit events over three weeks: refreshes, revokes, sign-ins; users, the system, keys.
  await q(`insert into audit_events (created_at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, detail)
    select ${now} - g * 60000,
      (array['user', 'system', 'api_key'])[1 + g % 3],
      case when g % 3 = 1 then null else (g % 50)::text end, 'actor',
      (array['connection.refresh', 'connection.refresh', 'connection.refresh', 'connection.revoke', 'connection.bind',
             'auth.sign_in', 'client.update', 'connection.needs_reauth'])[1 + g % 8],
      case when g % 8 in (5) then 'user' when g % 8 = 6 then 'client' else 'connection' end,
      case when g % 8 = 6 then ((select min(id) from zoho_clients) + g % 20)::text else ((select min(id) from connections) + g % 5000)::text end,
      case when g % 10 = 0 then 'failure' else 'success' end,
      '{"trigger":"background"}'
    from generate_series(1, 30000) g`);
  // Each connection's mints (one current, the rest replaced), its refresh token's life, and attempts.
  await q(`insert into token_mints (connection_id, grant_type, at, via, expires_at, ended_at, end_reason, token_last4)
    select c.id, 'refresh_token', ${now} - k * 3600000, 'background', ${now} - k * 3600000 + 3600000,
      case when k = 0 then null else ${now} - (k - 1) * 3600000 end, case when k = 0 then null else 'replaced' end, 'abcd'
    from connections c cross join generate_series(0, 3) k`);
  await q(`insert into refresh_token_lives (connection_id, client_ref, zuid, issued_at, ended_at, end_reason)
    select id, client_ref, zuid, created_at, revoked_at, case when revoked_at is not null then 'revoked' end from connections`);
  await q(`insert into oauth_attempts (state_hash, user_id, client_ref, scopes, access_type, connection_name, expires_at, used_at, outcome, created_at)
    select md5('state' || g), (select min(id) from users) + g % 50, (select min(id) from zoho_clients) + g % 20,
      '["Desk.tickets.READ"]', 'offline', 'attempt ' || g, ${now} - g * 60000 + 600000,
      case when g % 3 = 0 then null else ${now} - g * 60000 + 30000 end,
      case when g % 3 = 0 then null else '{"status":"connected"}' end, ${now} - g * 60000
    from generate_series(1, 10000) g`);
  // A page is marked all-visible only once no snapshot in this database is older than its rows;
  // autovacuum's own ANALYZE of the fresh rows may hold one for a moment, so VACUUM is repeated
  // until every page is (index-only scans are costed by that fraction).
  // Every connection carries an env tag (a fifth of them env:prod) and a customer tag (one of 50).
  await q(`insert into connection_tags (connection_id, tag)
    select id, case when id % 5 = 0 then 'env:prod' else 'env:test' end from connections
    union all select id, 'customer:c' || (id % 50) from connections`);
  const tables = ["users", "zoho_clients", "connections", "connection_tags", "audit_events", "token_mints", "refresh_token_lives", "oauth_attempts"];
  for (let round = 0; ; round++) {
    for (const t of tables) await q(`vacuum analyze ${t}`);
    const behind = await database().query<{ relname: string }>(
      "select relname from pg_class where relname = any($1) and relallvisible < relpages",
      [tables],
    );
    if (behind.length === 0) return;
    if (round >= 50) throw new Error(`VACUUM left pages not all-visible in ${behind.map((r) => r.relname).join(", ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (onPostgres) await seedPostgres();
}, 60_000);

describe("query plans", () => {
  it.each([
    ["default (status order)", {}],
    ["status filter", { status: "active" }],
    ["client filter", { client: "1" }],
    ["data centre filter", { dc: "eu" }],
    ["sorted by name", { sort: "name" }],
    ["sorted by expiry", { sort: "expiry" }],
    ["sorted by expiry, reversed", { sort: "expiry", dir: "desc" }],
    ["sorted by last refresh", { sort: "last_refresh" }],
    ["sorted by creation", { sort: "created", dir: "asc" }],
    ["status filter, sorted by expiry, page 50", { status: "expiring_soon", sort: "expiry", page: "50" }],
    ["tag filter", { tag: "env:prod" }],
    ["tag filter, sorted by name", { tag: "customer:c7", sort: "name" }],
  ] as [string, Record<string, string>][])("the connections list: %s", async (_name, input) => {
    const query = parseListQuery(input);
    await expectIndexed("ids", list.listIdsQuery(query, NOW, query.page ?? 1));
    await expectIndexed("count", list.listCountQuery(query, NOW));
  });

  it.each([
    ["tag filter", { tag: "env:prod" }],
    ["status and client", { status: "active", client: "1" }],
  ] as [string, Record<string, string>][])("a bulk action's every match of the filter, and an export batch: %s", async (_name, input) => {
    await expectIndexed("ids", list.matchingIdsQuery(parseListQuery(input), NOW, 501));
    await expectIndexed("export batch", list.idsAfterQuery(parseListQuery(input), NOW, 2000, 50));
  });

  it("the overview: counts, needs attention, expiring, budgets", async () => {
    // Statuses are worked out only for the connections that may not be active: those in the
    // unsettled partial index and those whose token expires soon; every other one is counted
    // as active from the total.
    const counts = (await plan(ov.statusCountsQuery(NOW))).join("\n");
    expect(counts, counts).toMatch(/connections_unsettled/);
    await expectIndexed("counts", ov.statusCountsQuery(NOW));
    await expectIndexed("total", ov.totalQuery());
    const attention = (await plan(ov.attentionQuery(NOW))).join("\n");
    expect(attention, attention).toMatch(/connections_unsettled/);
    await expectIndexed("attention", ov.attentionQuery(NOW));
    await expectIndexed("expiring", ov.expiringQuery(NOW));
    // In expiry order from the expiry index, not every live connection sorted.
    for (const q of [ov.expiringQuery(NOW), ov.expiringCountQuery(NOW)]) {
      const expiring = (await plan(q)).join("\n");
      expect(expiring, expiring).toMatch(/connections_expiry/);
    }
    await expectIndexed("budgets", ov.budgetsQuery());
    const emails = (await plan(ov.budgetEmailsQuery([{ clientId: 1, zuid: "1" }, { clientId: 1, zuid: "2" }]))).join("\n");
    expect(emails, emails).toMatch(/connections_client_zuid/);
  });

  it.each([
    ["no filter", {}],
    ["actor", { actor: "user:1" }],
    ["actor type", { actor: "system" }],
    ["action", { action: "connection.refresh" }],
    ["action group", { action: "tokens" }],
    ["outcome", { outcome: "failure" }],
    ["connection", { connection: 3 }],
    ["client", { client: 2 }],
    ["range", { range: "7d" }],
    ["tag", { tag: "env:prod" }],
  ])("the audit page and its count: %s", async (_name, filter) => {
    await expectIndexed("page", audit.auditPageQuery({ filter: filter as never }, NOW, 50));
    await expectIndexed("deep page", audit.auditPageQuery({ filter: filter as never, before: { at: NOW - 86_400_000, id: 1000 } }, NOW, 50));
    await expectIndexed("count", audit.auditCountQuery(filter as never, NOW));
  });

  it.each([
    ["no filter", {}],
    ["action", { action: "connection.refresh" }],
    ["outcome", { outcome: "failure" }],
    ["connection", { connection: 3 }],
  ])("an audit page or export batch deep in the trail starts its index walk at the cursor: %s", async (_name, filter) => {
    // Walking from the newest row and skipping to the cursor made every batch of a long export
    // dearer than the last.
    for (const cursor of [{ before: { at: NOW - 86_400_000, id: 1000 } }, { after: { at: NOW - 86_400_000, id: 1000 } }]) {
      const lines = await plan(audit.auditPageQuery({ filter: filter as never, ...cursor }, NOW, 50));
      const walk = onPostgres
        ? /^Index Scan on audit_events using \w+( \(backward\))? \[cond: .*created_at [<>]=? .*\]$/m
        : /^SEARCH audit_events USING INDEX \w+ \(.*created_at[<>]\?\)$/m;
      expect(lines.join("\n"), lines.join("\n")).toMatch(walk);
    }
  });

  it("a user's unfinished authorizations, and the other attempt lookups", async () => {
    const lines = await plan(recent.recentAttemptsQuery(7, recent.RECENT_ATTEMPTS_LIMIT));
    expect(fullScans(lines), lines.join("\n")).toEqual([]);
    // The outer read goes through the user's index, the "a newer attempt replaced it" check
    // through the client's, which narrows to the same user and the newer ids.
    if (onPostgres) {
      expect(lines.filter((l) => /^Index Scan on oauth_attempts using oauth_attempts_user .*\[cond: \(user_id = /.test(l)), lines.join("\n")).toHaveLength(1);
      expect(
        lines.filter((l) => /^Index (Only )?Scan on oauth_attempts AS newer using oauth_attempts_client \[cond: .*client_ref = .*user_id = .*id > /.test(l)),
        lines.join("\n"),
      ).toHaveLength(1);
      // Newest first straight off the index, without sorting the user's attempts.
      expect(lines.join("\n")).not.toMatch(/^(Incremental )?Sort/m);
    } else {
      const stripped = lines.map((l) => l.replace(/ AS \w+/, ""));
      expect(stripped.filter((l) => /^SEARCH oauth_attempts USING INDEX oauth_attempts_user \(user_id=\?/.test(l)), lines.join("\n")).toHaveLength(1);
      expect(stripped.filter((l) => /^SEARCH newer USING INDEX oauth_attempts_client \(client_ref=\? AND user_id=\? AND id>\?\)/.test(l)), lines.join("\n")).toHaveLength(1);
      // Newest first straight off the index, without sorting the user's attempts.
      expect(lines.join("\n")).not.toMatch(/TEMP B-TREE/);
    }
    // The same conditions as lib/authorization/attempts.ts and lib/retention.ts use.
    const db = getDb();
    const a = oauthAttempts;
    const pruneBefore = new Date(NOW - ATTEMPT_RETENTION_MS);
    await expectIndexed("callback's state lookup", db.select().from(a).where(eq(a.stateHash, hashState("s"))));
    await expectIndexed("result page's attempt", db.select().from(a).where(and(eq(a.id, 3), eq(a.userId, 7))));
    await expectIndexed("pruning by age", db.delete(a).where(lt(a.expiresAt, pruneBefore)));
    await expectIndexed("retention batch", db.select({ id: a.id }).from(a).where(lt(a.expiresAt, pruneBefore)).limit(500));
    await expectIndexed("a deleted user's attempts", db.delete(a).where(eq(a.userId, 7)));
    // What the cascade of a client's deletion runs (ON DELETE CASCADE on client_ref).
    await expectIndexed("a deleted client's attempts", db.delete(a).where(eq(a.clientRef, 3)));
  });

  it("the check itself catches a full scan", async () => {
    const bare = { toSQL: () => ({ sql: `SELECT * FROM audit_events WHERE detail LIKE ${onPostgres ? "$1" : "?"}`, params: ["%x%"] }) };
    expect(fullScans(await plan(bare))).toHaveLength(1);
  });
});
