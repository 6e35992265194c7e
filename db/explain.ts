import type { DatabaseHandle } from "./handle";

/**
 * How the engine would run a query built by lib/ (its `.toSQL()`), one line per step, for the
 * checks that request-path queries read indices rather than whole tables (the query-plan test and
 * the benchmark's plan probe). SQLite: EXPLAIN QUERY PLAN, e.g. "SEARCH audit_events USING INDEX …";
 * PostgreSQL: EXPLAIN (FORMAT JSON), each node as "Index Scan on audit_events using
 * audit_events_at (backward) [cond: …] [filter: …]", depth first.
 */
export type ExplainableQuery = { toSQL(): { sql: string; params: unknown[] } };

/** Tables that grow with use: a request-path plan must reach their rows through an index. */
export const GROWING_TABLES = ["connections", "connection_tags", "audit_events", "token_mints", "oauth_attempts", "refresh_token_lives", "api_key_usage"];

interface PgNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Scan Direction"?: string;
  Plans?: PgNode[];
}

function pgLines(node: PgNode, out: string[] = []): string[] {
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}${node.Alias && node.Alias !== node["Relation Name"] ? ` AS ${node.Alias}` : ""}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const backward = node["Scan Direction"] === "Backward" ? " (backward)" : "";
  const cond = node["Index Cond"] ? ` [cond: ${node["Index Cond"]}]` : "";
  const filter = node.Filter ? ` [filter: ${node.Filter}]` : "";
  out.push(`${node["Node Type"]}${on}${using}${backward}${cond}${filter}`);
  for (const child of node.Plans ?? []) pgLines(child, out);
  return out;
}

/** A bound value as the driver sends it: times are milliseconds on both engines, SQLite's booleans 0/1. */
export const driverValue = (engine: DatabaseHandle["engine"], p: unknown) =>
  p instanceof Date ? p.getTime() : engine === "sqlite" && typeof p === "boolean" ? Number(p) : p;

export async function queryPlan(handle: DatabaseHandle, query: ExplainableQuery): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const values = params.map((p) => driverValue(handle.engine, p));
  if (handle.engine === "postgres") {
    const [row] = await handle.query<{ "QUERY PLAN": { Plan: PgNode }[] }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
    return pgLines(row["QUERY PLAN"][0].Plan);
  }
  return (await handle.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, values)).map((r) => r.detail);
}

/** The steps that read every row of one of `tables`: SQLite's bare SCAN, PostgreSQL's Seq Scan. */
export function fullScans(engine: DatabaseHandle["engine"], lines: string[], tables: string[] = GROWING_TABLES): string[] {
  return lines.filter((l) =>
    tables.some((t) => (engine === "postgres" ? new RegExp(`^Seq Scan on ${t}( |$)`).test(l) : new RegExp(`^SCAN ${t}$`).test(l.replace(/ AS \w+/, "")))),
  );
}
