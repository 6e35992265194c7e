// The refresh rollups' shape, shared by the writer (./record.ts), the chart (./activity.ts), the
// migrations' backfill and the bench's seeding. No database access here, so the bench can use it.

/** The rollups count refresh events per quarter hour (UTC): a chart can then be cut at any zone's local hours. */
export const ROLLUP_BUCKET_MS = 15 * 60_000;

/** The one action the rollups count. */
export const REFRESH_ACTION = "connection.refresh";

/** The rollup bucket an event at `at` (epoch ms) counts in. */
export const rollupBucketOf = (at: number): number => Math.floor(at / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;

/**
 * What a failed refresh's rollup counts it under: the kind its event records, raw (`network`,
 * `invalid_code`, `throttled` from Zoho; `rate_limited`, `busy`, … when the console refused before
 * asking Zoho; `discarded` for a result thrown away), '' for every other outcome. Raw, so the
 * chart's grouping of kinds (lib/charts/types.ts failureKindOf) can change without a migration.
 * The values come from the code's own error kinds, never from a request, so they stay few.
 */
export function rollupKindOf(outcome: string, detail: Record<string, unknown> | null | undefined): string {
  if (outcome !== "failure") return "";
  const d = detail ?? {};
  const raw = typeof d.errorKind === "string" ? d.errorKind : typeof d.refused === "string" ? d.refused : typeof d.discarded === "string" ? "discarded" : "";
  return raw.slice(0, 40);
}

/**
 * Counts every refresh event already kept into empty rollups, as `rollupKindOf` and the writer
 * would have counted them; a folded row counts its repeats. Only reading the JSON detail differs
 * between the engines. The migration that added the kind runs this statement; the bench runs it
 * after seeding events in bulk.
 */
export function rollupBackfillSql(engine: "sqlite" | "postgres"): string {
  const field = (name: string) => (engine === "postgres" ? `("detail"::json ->> '${name}')` : `json_extract("detail", '$.${name}')`);
  // json_type/json_typeof: a field is taken only when it holds a string, as rollupKindOf does.
  const isText = (name: string) =>
    engine === "postgres" ? `json_typeof("detail"::json -> '${name}') = 'string'` : `json_type("detail", '$.${name}') = 'text'`;
  const kind = `case when "outcome" <> 'failure' or "detail" is null then ''
  when ${isText("errorKind")} then substr(${field("errorKind")}, 1, 40)
  when ${isText("refused")} then substr(${field("refused")}, 1, 40)
  when ${isText("discarded")} then 'discarded'
  else '' end`;
  return `insert into "refresh_rollups" ("bucket", "trigger", "outcome", "kind", "count")
select ("created_at" / ${ROLLUP_BUCKET_MS}) * ${ROLLUP_BUCKET_MS}, coalesce("trigger", ''), "outcome", ${kind}, sum("repeat_count")
from "audit_events" where "action" = '${REFRESH_ACTION}'
group by 1, 2, 3, 4`;
}
