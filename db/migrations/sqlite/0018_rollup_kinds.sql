-- Hand-written: the rollups gain each failure's kind, keyed into their primary key. SQLite cannot
-- change a primary key in place, so the table is made anew and counted again from the events
-- with the statement of lib/audit/rollup-sql.ts rollupBackfillSql (the old counts had no kind).
DROP TABLE `refresh_rollups`;--> statement-breakpoint
CREATE TABLE `refresh_rollups` (
	`bucket` integer NOT NULL,
	`trigger` text NOT NULL,
	`outcome` text NOT NULL,
	`kind` text DEFAULT '' NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`bucket`, `trigger`, `outcome`, `kind`)
);
--> statement-breakpoint
insert into "refresh_rollups" ("bucket", "trigger", "outcome", "kind", "count")
select ("created_at" / 900000) * 900000, coalesce("trigger", ''), "outcome", case when "outcome" <> 'failure' or "detail" is null then ''
  when json_type("detail", '$.errorKind') = 'text' then substr(json_extract("detail", '$.errorKind'), 1, 40)
  when json_type("detail", '$.refused') = 'text' then substr(json_extract("detail", '$.refused'), 1, 40)
  when json_type("detail", '$.discarded') = 'text' then 'discarded'
  else '' end, sum("repeat_count")
from "audit_events" where "action" = 'connection.refresh'
group by 1, 2, 3, 4;
