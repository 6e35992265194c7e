CREATE TABLE "refresh_rollups" (
	"bucket" bigint NOT NULL,
	"trigger" text NOT NULL,
	"outcome" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "refresh_rollups_bucket_trigger_outcome_pk" PRIMARY KEY("bucket","trigger","outcome")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "trigger" text;--> statement-breakpoint
CREATE INDEX "audit_events_trigger_outcome_at" ON "audit_events" USING btree ("trigger","outcome","created_at");--> statement-breakpoint
CREATE INDEX "connections_budgets" ON "connections" USING btree ("revoked_at","reauth_reason","has_refresh_token","client_ref","zuid");--> statement-breakpoint
-- Hand-written: the trigger moves out of the JSON detail into its column for the refresh events
-- already kept, which the append-only trigger would refuse; the function is replaced with the
-- new column among those a folded row may not change, and the trigger is off for the backfill.
CREATE OR REPLACE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."aggregate_key" IS NOT NULL
    AND NEW."repeat_count" > OLD."repeat_count"
    AND NEW."id" IS NOT DISTINCT FROM OLD."id" AND NEW."created_at" IS NOT DISTINCT FROM OLD."created_at"
    AND NEW."actor_type" IS NOT DISTINCT FROM OLD."actor_type" AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id"
    AND NEW."actor_label" IS NOT DISTINCT FROM OLD."actor_label" AND NEW."action" IS NOT DISTINCT FROM OLD."action"
    AND NEW."target_type" IS NOT DISTINCT FROM OLD."target_type" AND NEW."target_id" IS NOT DISTINCT FROM OLD."target_id"
    AND NEW."outcome" IS NOT DISTINCT FROM OLD."outcome" AND NEW."detail" IS NOT DISTINCT FROM OLD."detail"
    AND NEW."ip" IS NOT DISTINCT FROM OLD."ip" AND NEW."aggregate_key" IS NOT DISTINCT FROM OLD."aggregate_key"
    AND NEW."trigger" IS NOT DISTINCT FROM OLD."trigger"
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END;
$$;--> statement-breakpoint
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_append_only";--> statement-breakpoint
UPDATE "audit_events" SET "trigger" = "detail"::json ->> 'trigger'
WHERE "action" = 'connection.refresh' AND json_typeof("detail"::json -> 'trigger') = 'string';--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_append_only";--> statement-breakpoint
-- The same statement as lib/audit/rollups.ts ROLLUP_BACKFILL: a folded row counts its repeats.
INSERT INTO "refresh_rollups" ("bucket", "trigger", "outcome", "count")
SELECT ("created_at" / 900000) * 900000, coalesce("trigger", ''), "outcome", sum("repeat_count")
FROM "audit_events" WHERE "action" = 'connection.refresh'
GROUP BY 1, 2, 3;
