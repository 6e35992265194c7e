// Run by scenario 4 in a child process (tsx --conditions=react-server, like `npm run rekey`), on
// the scenario's seeded database (10,000 connections, 200,000 audit events), once per engine:
// the request-path queries exactly as the console builds them (the query builders lib/ exports,
// `.toSQL()`), each explained by the engine — EXPLAIN (FORMAT JSON) on PostgreSQL, EXPLAIN QUERY
// PLAN on SQLite — and timed (median of a few runs). Prints one line of JSON: PlanReport.
// The same checks as lib/connections/query-plans.test.ts, on the benchmark's data instead of the
// test's few thousand rows.
import { driverValue as driverValueOf, fullScans, queryPlan, type ExplainableQuery } from "@/db/explain";
import type { ListQuery } from "@/lib/connections/queries";
import { medianMs } from "./median-time";

export interface PlanRow {
  group: string;
  name: string;
  /** One line per plan node (PostgreSQL) or step (SQLite), depth first. */
  plan: string[];
  /** The lines that read a growing table row by row. */
  scans: string[];
  /** Every scan sits right under a LIMIT (e.g. the audit count's cap): it stops after that many rows. */
  bounded: boolean;
  /** A query that looks into the rows on purpose (substring search, scopes): a scan is expected. */
  byDesign: boolean;
  /** Median time of the query itself, ms. */
  ms: number;
  rows: number;
}

export interface PlanReport {
  engine: "sqlite" | "postgres";
  rows: PlanRow[];
}

export interface PlanProbeInput {
  now: number;
  adminId: number;
  clientId: number;
  connectionId: number;
  /** The cursor of an audit page deep in the trail. */
  deep: { at: number; id: number };
}

type Query = ExplainableQuery;

async function main() {
  const input = JSON.parse(process.argv[2] ?? "{}") as PlanProbeInput;
  const { database, closeDatabase } = await import("@/db/client");
  const list = await import("@/lib/connections/list");
  const ov = await import("@/lib/connections/overview");
  const audit = await import("@/lib/audit/query");
  const { parseListQuery } = await import("@/lib/connections/queries");
  const recent = await import("@/lib/authorization/recent-attempts");
  const handle = database();
  const driverValue = (p: unknown) => driverValueOf(handle.engine, p);
  const explain = (query: Query) => queryPlan(handle, query);
  const scansOf = (lines: string[]) => fullScans(handle.engine, lines);
  async function timed(query: Query): Promise<{ ms: number; rows: number }> {
    const { sql, params } = query.toSQL();
    let rows = 0;
    const ms = await medianMs(async () => {
      rows = (await handle.query(sql, params.map(driverValue))).length;
    });
    return { ms, rows };
  }

  const out: PlanRow[] = [];
  async function check(group: string, name: string, query: Query, byDesign = false) {
    const plan = await explain(query);
    const scans = scansOf(plan);
    // Depth first: a node's parent is the line before its first child, so a scan right after
    // "Limit" is the Limit's only input.
    const bounded = scans.length > 0 && scans.every((l) => plan[plan.indexOf(l) - 1] === "Limit");
    out.push({ group, name, plan, scans, bounded, byDesign, ...(await timed(query)) });
  }

  const now = input.now;
  const lists: [string, Record<string, string>][] = [
    ["default (status order)", {}],
    ["status filter", { status: "active" }],
    ["client filter", { client: String(input.clientId) }],
    ["data centre filter", { dc: "eu" }],
    ["sorted by name", { sort: "name" }],
    ["sorted by expiry", { sort: "expiry" }],
    ["sorted by last refresh", { sort: "last_refresh" }],
    ["sorted by creation", { sort: "created", dir: "asc" }],
    ["page 50", { page: "50" }],
    ["status filter, sorted by expiry, page 5", { status: "expiring_soon", sort: "expiry", page: "5" }],
    ["tag filter", { tag: "env:prod" }],
    ["tag filter, sorted by name", { tag: "env:prod", sort: "name" }],
  ];
  // Search and service filters look into the rows (lib/connections/list.ts: "they are typed, not
  // polled"): listed for their time, not held to the index rule.
  const byDesign: [string, Record<string, string>][] = [
    ["search", { q: "billing-eu" }],
    ["service filter", { service: "desk" }],
  ];
  for (const [name, raw] of [...lists, ...byDesign]) {
    const q: ListQuery = parseListQuery(raw);
    const designed = byDesign.some(([n]) => n === name);
    await check("connections list", `${name}: ids`, list.listIdsQuery(q, now, q.page ?? 1), designed);
    await check("connections list", `${name}: count`, list.listCountQuery(q, now), designed);
  }
  await check("connections list", "bulk action, every match of a tag: ids", list.matchingIdsQuery(parseListQuery({ tag: "env:prod" }), now, 501));
  await check("connections list", "CSV export of a tag, a batch deep in: ids", list.idsAfterQuery(parseListQuery({ tag: "env:prod" }), now, input.connectionId, 50));
  await check("overview", "status counts of those that may not be active", ov.statusCountsQuery(now));
  await check("overview", "connections in all", ov.totalQuery());
  await check("overview", "needs attention", ov.attentionQuery(now));
  await check("overview", "expiring within the hour", ov.expiringQuery(now));
  await check("overview", "refresh-token budgets", ov.budgetsQuery());
  const filters: [string, Record<string, unknown>][] = [
    ["no filter", {}],
    ["actor", { actor: `user:${input.adminId}` }],
    ["actor type", { actor: "system" }],
    ["action", { action: "connection.refresh" }],
    ["action group", { action: "tokens" }],
    ["outcome", { outcome: "failure" }],
    ["failed refreshes", { action: "connection.refresh", outcome: "failure" }],
    ["connection", { connection: input.connectionId }],
    ["client", { client: input.clientId }],
    ["range", { range: "7d" }],
    ["tag", { tag: "env:prod" }],
  ];
  const deep = input.deep;
  for (const [name, filter] of filters) {
    await check("audit", `${name}: page`, audit.auditPageQuery({ filter: filter as never }, now, 50));
    await check("audit", `${name}: page 100,000 events back`, audit.auditPageQuery({ filter: filter as never, before: deep }, now, 50));
    await check("audit", `${name}: count`, audit.auditCountQuery(filter as never, now));
  }
  await check("connect", "a user's unfinished authorizations", recent.recentAttemptsQuery(input.adminId, recent.RECENT_ATTEMPTS_LIMIT));

  // The Overview page's two data functions whole (several queries and their JavaScript each); the
  // refresh chart's grouping query has no exported builder, so it is timed here, not explained.
  const { refreshActivity } = await import("@/lib/audit/activity");
  async function timedCall(group: string, name: string, fn: () => Promise<unknown>) {
    out.push({ group, name, plan: [], scans: [], bounded: false, byDesign: false, ms: await medianMs(fn), rows: 0 });
  }
  await timedCall("overview page data", "refreshActivity(): 30 days of refreshes per quarter hour, trigger, outcome, kind (the longest range)", () => refreshActivity(now, "30d"));
  await timedCall("overview page data", "overview(): counts, attention, expiring, budgets", () => ov.overview(now));

  const report: PlanReport = { engine: handle.engine, rows: out };
  console.log(JSON.stringify(report));
  await closeDatabase();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
