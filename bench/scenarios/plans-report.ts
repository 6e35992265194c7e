// How scenario 4 reports bench/plan-probe.ts: one table row per request-path query with each
// engine's way of reading it and its time, and notes on the plans that scan or are slow.
import type { PlanReport, PlanRow } from "../plan-probe";
import { ms, type Table } from "../report";
import { ENGINE_LABEL } from "./common";

/** A query this slow on the seeded data is worth a line of its own. */
const SLOW_MS = 25;

/** The nodes that touch a table or an index, without their conditions: "Index Scan audit_events_at ↓". */
function access(engine: PlanReport["engine"], plan: string[]): string {
  if (engine === "sqlite") {
    return plan
      .filter((l) => /^(SCAN|SEARCH)\b/.test(l))
      .map((l) => l.replace(/ \(.*\)$/, "").replace(/USING (COVERING |INTEGER PRIMARY KEY)?INDEX ?/, (_, kind: string | undefined) => (kind ? `${kind.trim().toLowerCase()} ` : "via ")))
      .join("; ");
  }
  return plan
    .filter((l) => /^(Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan|Bitmap Heap Scan|CTE Scan|Function Scan)\b/.test(l))
    .map((l) => l.replace(/ \[(cond|filter): .*$/, "").replace(/ \(backward\)/, " ↓").replace(/ on (\w+)( AS \w+)? using (\w+)/, " $3").replace(/^Bitmap Index Scan using /, "Bitmap Index Scan "))
    .join("; ");
}

const key = (x: PlanRow) => `${x.group}\u0000${x.name}`;

export function planTable(reports: PlanReport[]): Table {
  const order = reports[0].rows.map(key);
  const by = reports.map((r) => new Map(r.rows.map((x) => [key(x), x])));
  return {
    title: "Request-path queries on the seeded data: how each engine reads them (plan nodes on tables and indices) and the median time of the query alone",
    head: ["query", ...reports.flatMap((r) => [`${ENGINE_LABEL[r.engine]}: plan`, `${ENGINE_LABEL[r.engine]} ms`]), "verdict"],
    rows: order.map((k) => {
      const rows = by.map((m) => m.get(k));
      const first = rows.find(Boolean)!;
      const scans = rows.flatMap((x, i) => (x?.scans.length ? [`${ENGINE_LABEL[reports[i].engine]}: ${x.scans.map((l) => l.replace(/ \[.*$/, "")).join(", ")}`] : []));
      const bounded = rows.every((x) => !x?.scans.length || x.bounded);
      const verdict = first.byDesign
        ? "reads rows by design (search, scopes)"
        : scans.length
          ? `**scans** (${scans.join("; ")}${bounded ? "; under a LIMIT, so it stops at the cap" : ""})`
          : "indexed";
      const timedOnly = first.plan.length === 0;
      return [
        `${first.group}: ${first.name}`,
        ...rows.flatMap((x, i) => (x ? [timedOnly ? "(a data function: timed, not explained)" : access(reports[i].engine, x.plan), ms(x.ms)] : ["–", "–"])),
        timedOnly ? "–" : verdict,
      ];
    }),
  };
}

/** What a slow plan's shape says, where it says something. */
function whySlow(x: PlanRow): string {
  const sorts = x.plan.some((l) => /TEMP B-TREE FOR ORDER BY|^(Incremental )?Sort$/.test(l));
  if (x.group === "audit" && /^actor type/.test(x.name) && sorts) {
    return " The filter names an actor type without an actor id; audit_events_actor_at is (actor_type, actor_id, created_at), so within one type the rows are ordered by actor id first and the engine must fetch every event of that type (more than half of the trail for `system`) and sort them to return 50. Adding `actor_id is null` for the id-less `system` type in lib/audit/query.ts, or an index on (actor_type, created_at), would let the page walk the index newest first.";
  }
  if (x.group === "audit" && /^client/.test(x.name)) {
    return " The client filter expands to every connection of the client (a subquery on connections, ~2,000 ids here) and gathers all their events through audit_events_target_at before sorting by time: its cost grows with the client's share of the trail (here ~20 % of 200,000 events), unlike the other filters, which walk one index newest first. A client_ref column on audit_events with an index on (client_ref, created_at) would serve it directly.";
  }
  if (x.group === "overview" && /budgets/.test(x.name) && x.plan.some((l) => /connections_status/.test(l))) {
    return " SQLite reads the candidates through connections_status rather than the partial index connections_live_refresh_tokens made for this query, then groups and orders them in temporary B-trees; PostgreSQL uses the partial index.";
  }
  if (x.group === "overview page data" && /refreshActivity/.test(x.name)) {
    return " It groups every refresh event of the last 30 days (~40 % of the trail here) by hour, trigger and outcome; the trigger is read out of the JSON text of each row (json_extract on SQLite, `detail::json ->> 'trigger'` on PostgreSQL, which parses the whole text), so its cost grows with the number of refreshes in the window.";
  }
  if (sorts) return " The rows are sorted after they are read: the index serves the filter, not the order.";
  return "";
}

export function planNotes(reports: PlanReport[]): string[] {
  const notes: string[] = [];
  const total = (r: PlanReport) => r.rows.filter((x) => !x.byDesign).reduce((s, x) => s + x.ms, 0);
  notes.push(
    `Query plans: bench/plan-probe.ts builds each request-path query with the console's own modules (the query builders lib/ exports, \`.toSQL()\`) in a process pointed at the seeded database, asks the engine for its plan (PostgreSQL: EXPLAIN (FORMAT JSON) after VACUUM ANALYZE; SQLite: EXPLAIN QUERY PLAN) and times the query itself (median of 5 runs, in-process, no HTTP). A plan fails when it reads a growing table (${"connections, audit_events, token_mints, oauth_attempts, refresh_token_lives, api_key_usage"}) row by row; search and the service filter look into the rows by design and are listed, not judged. ` +
      reports.map((r) => `${ENGINE_LABEL[r.engine]}: ${r.rows.length} queries, ${ms(total(r))} ms in all for those judged`).join("; ") +
      ".",
  );
  for (const r of reports) {
    const scanning = r.rows.filter((y) => y.scans.length && !y.byDesign);
    for (const x of scanning) {
      notes.push(`Reading (plan, ${ENGINE_LABEL[r.engine]}, ${x.group}: ${x.name}, ${ms(x.ms)} ms): ${x.plan.join(" → ")}`);
    }
    const capped = scanning.filter((x) => x.bounded && x.group === "audit");
    if (r.engine === "postgres" && capped.length) {
      notes.push(
        `Reading (PostgreSQL, audit counts: ${capped.map((x) => x.name.replace(/: count$/, "")).join(", ")}): the count reads at most 10,001 matching rows (lib/audit/query.ts counts \`select 1 … limit 10001\` and shows "10,000+"), and these filters match half or more of the trail (or all of it), so the planner expects to find 10,001 rows within the first few percent of the heap and reads it sequentially rather than through the (filter, created_at) index: a planner choice on cost, bounded by the LIMIT (${capped.map((x) => `${ms(x.ms)} ms`).join(", ")}), not a missing index. A selective filter (outcome = failure, one actor, one connection) goes through its index, as the rows above show.`,
      );
    }
    const listScans = scanning.filter((x) => x.group !== "audit" && x.scans.some((l) => /^Seq Scan on connections/.test(l)));
    if (r.engine === "postgres" && listScans.length) {
      notes.push(
        `Reading (PostgreSQL, connection lists and overview: ${listScans.map((x) => x.name).join(", ")}): ordering or filtering by status evaluates the status CASE expression (it depends on the current time, so no index can hold its value) on every connection on both engines. SQLite reads it from connections_status as a covering index, which always carries the rowid; on PostgreSQL an index-only scan needs every column the query reads in the index, \`id\` included (these queries select and sort by it), and the visibility map set by VACUUM; without either the planner reads the heap. Check that connections_status ends in (or INCLUDEs) \`id\` in db/migrations/postgres, and that autovacuum keeps up`,
      );
    }
  }
  const slow = reports.flatMap((r) => r.rows.filter((x) => x.ms >= SLOW_MS).map((x) => ({ r, x })));
  for (const { r, x } of slow) {
    const other = reports.find((o) => o !== r)?.rows.find((y) => key(y) === key(x));
    notes.push(
      `Reading (slow query, ${ENGINE_LABEL[r.engine]}, ${x.group}: ${x.name}): ${ms(x.ms)} ms` +
        (other ? ` against ${ms(other.ms)} ms on ${ENGINE_LABEL[reports.find((o) => o !== r)!.engine]}` : "") +
        (x.plan.length ? `; ${x.rows} row(s); plan: ${x.plan.join(" → ")}.` : ".") +
        whySlow(x),
    );
  }
  return notes;
}
