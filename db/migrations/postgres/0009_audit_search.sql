ALTER TABLE "audit_events" ADD COLUMN "search_text" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "request_id" text;--> statement-breakpoint
-- Hand-written. The search column is filled for the events already kept, which the append-only trigger
-- would refuse: the function is replaced with the new column among those a folded row may not
-- change, and the trigger is off for the backfill. Older events get their action, actor, target
-- name and detail (the sentence is written in TypeScript, so only events recorded from now on
-- carry it).
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
    AND NEW."trigger" IS NOT DISTINCT FROM OLD."trigger" AND NEW."search_text" IS NOT DISTINCT FROM OLD."search_text"
    AND NEW."request_id" IS NOT DISTINCT FROM OLD."request_id"
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END;
$$;--> statement-breakpoint
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_append_only";--> statement-breakpoint
UPDATE "audit_events" SET "search_text" = left(
  "action" || ' ' || "actor_label" || ' ' ||
  coalesce(CASE WHEN "target_id" ~ '^[0-9]{1,12}$' THEN CASE "target_type"
    WHEN 'connection' THEN (SELECT "name" FROM "connections" WHERE "id" = "target_id"::bigint)
    WHEN 'client' THEN (SELECT "name" FROM "zoho_clients" WHERE "id" = "target_id"::bigint)
    WHEN 'user' THEN (SELECT "email" FROM "users" WHERE "id" = "target_id"::bigint)
    WHEN 'api_key' THEN (SELECT "name" FROM "api_keys" WHERE "id" = "target_id"::bigint)
    WHEN 'alert_destination' THEN (SELECT "name" FROM "alert_destinations" WHERE "id" = "target_id"::bigint)
  END END, '') || ' ' || coalesce("detail", ''), 4000);--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_append_only";--> statement-breakpoint
-- The search index: trigrams of the column in a GIN index, which serves `ILIKE '%word%'` for
-- words of 3+ characters. pg_trgm ships with PostgreSQL and is a trusted extension (13+): the
-- database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "audit_events_search" ON "audit_events" USING gin ("search_text" gin_trgm_ops);
