-- Hand-written: the rollups gain each failure's kind, keyed into their primary key, and are counted
-- again from the events with the statement of lib/audit/rollup-sql.ts rollupBackfillSql (the old
-- counts had no kind).
ALTER TABLE "refresh_rollups" DROP CONSTRAINT "refresh_rollups_bucket_trigger_outcome_pk";--> statement-breakpoint
ALTER TABLE "refresh_rollups" ADD COLUMN "kind" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "refresh_rollups" ADD CONSTRAINT "refresh_rollups_bucket_trigger_outcome_kind_pk" PRIMARY KEY("bucket","trigger","outcome","kind");--> statement-breakpoint
DELETE FROM "refresh_rollups";--> statement-breakpoint
insert into "refresh_rollups" ("bucket", "trigger", "outcome", "kind", "count")
select ("created_at" / 900000) * 900000, coalesce("trigger", ''), "outcome", case when "outcome" <> 'failure' or "detail" is null then ''
  when json_typeof("detail"::json -> 'errorKind') = 'string' then substr(("detail"::json ->> 'errorKind'), 1, 40)
  when json_typeof("detail"::json -> 'refused') = 'string' then substr(("detail"::json ->> 'refused'), 1, 40)
  when json_typeof("detail"::json -> 'discarded') = 'string' then 'discarded'
  else '' end, sum("repeat_count")
from "audit_events" where "action" = 'connection.refresh'
group by 1, 2, 3, 4;
