-- What SQLite's triggers do (db/migrations/sqlite/0003, 0005, 0006), in plpgsql.

-- Whether a token is stored, kept on every write of the token columns; never written by the
-- console (a value it sent would be overwritten here). Lets the status index cover the status
-- expression, so lists and counts never read a ciphertext.
CREATE FUNCTION "connections_token_flags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."has_access_token" := NEW."access_token_enc" IS NOT NULL;
  NEW."has_refresh_token" := NEW."refresh_token_enc" IS NOT NULL;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "connections_token_flags" BEFORE INSERT OR UPDATE ON "connections"
  FOR EACH ROW EXECUTE FUNCTION "connections_token_flags"();--> statement-breakpoint

-- A counter raised by every write to connections (and to clients, whose names the list shows):
-- a poll compares it and answers 304 when nothing changed, without running the list query.
-- Once per statement: the counter only has to move, and one row lock per statement is cheaper
-- for a console whose instances write concurrently.
INSERT INTO "data_versions" ("name", "version") VALUES ('connections', 0);--> statement-breakpoint
CREATE FUNCTION "connections_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "data_versions" SET "version" = "version" + 1 WHERE "name" = 'connections';
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "connections_version" AFTER INSERT OR UPDATE OR DELETE ON "connections"
  FOR EACH STATEMENT EXECUTE FUNCTION "connections_version_bump"();--> statement-breakpoint
CREATE TRIGGER "zoho_clients_version" AFTER UPDATE ON "zoho_clients"
  FOR EACH STATEMENT EXECUTE FUNCTION "connections_version_bump"();--> statement-breakpoint

-- Audit rows are unchangeable, with one exception: the count of a folded anonymous row may only
-- go up. Every other column, and the count of any other row, is refused. Deleting (retention)
-- stays possible, as on SQLite.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."aggregate_key" IS NOT NULL
    AND NEW."repeat_count" > OLD."repeat_count"
    AND NEW."id" IS NOT DISTINCT FROM OLD."id" AND NEW."created_at" IS NOT DISTINCT FROM OLD."created_at"
    AND NEW."actor_type" IS NOT DISTINCT FROM OLD."actor_type" AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id"
    AND NEW."actor_label" IS NOT DISTINCT FROM OLD."actor_label" AND NEW."action" IS NOT DISTINCT FROM OLD."action"
    AND NEW."target_type" IS NOT DISTINCT FROM OLD."target_type" AND NEW."target_id" IS NOT DISTINCT FROM OLD."target_id"
    AND NEW."outcome" IS NOT DISTINCT FROM OLD."outcome" AND NEW."detail" IS NOT DISTINCT FROM OLD."detail"
    AND NEW."ip" IS NOT DISTINCT FROM OLD."ip" AND NEW."aggregate_key" IS NOT DISTINCT FROM OLD."aggregate_key"
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
