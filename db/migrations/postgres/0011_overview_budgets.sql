CREATE TABLE "refresh_token_budgets" (
	"client_ref" integer NOT NULL,
	"zuid" text NOT NULL,
	"live" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "refresh_token_budgets_client_ref_zuid_pk" PRIMARY KEY("client_ref","zuid")
);
--> statement-breakpoint
DROP INDEX "connections_budgets";--> statement-breakpoint
DROP INDEX "connections_expiry";--> statement-breakpoint
DROP INDEX "connections_unsettled";--> statement-breakpoint
ALTER TABLE "refresh_token_budgets" ADD CONSTRAINT "refresh_token_budgets_client_ref_zoho_clients_id_fk" FOREIGN KEY ("client_ref") REFERENCES "public"."zoho_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connections_expiry" ON "connections" USING btree ("access_token_expires_at","revoked_at","reauth_reason","last_error_kind","failure_count","access_type","has_refresh_token","has_access_token","throttled_until","keep_fresh","id");--> statement-breakpoint
CREATE INDEX "connections_unsettled" ON "connections" USING btree ("access_token_expires_at","revoked_at","reauth_reason","last_error_kind","failure_count","access_type","has_refresh_token","has_access_token","throttled_until","keep_fresh","id") WHERE revoked_at is not null or reauth_reason is not null or failure_count > 0 or throttled_until is not null or not has_access_token or access_token_expires_at is null;--> statement-breakpoint
-- What SQLite's triggers do (db/migrations/sqlite/0019), in plpgsql.
-- The overview's fullest pairs, read in order: live tokens descending, then client and user.
CREATE INDEX "refresh_token_budgets_fullest" ON "refresh_token_budgets" ("live" DESC, "client_ref", "zuid") WHERE "live" > 0;--> statement-breakpoint
-- Live refresh tokens per (client, Zoho user), counted as they are now, then kept by the trigger
-- below on every write that can change whether a connection holds a live one (the condition of
-- the connections_live_refresh_tokens index): one taken away from the old pair, one added to the
-- new, so an update that changes nothing that counts changes no total.
INSERT INTO "refresh_token_budgets" ("client_ref", "zuid", "live")
  SELECT "client_ref", "zuid", count(*) FROM "connections"
  WHERE "refresh_token_enc" IS NOT NULL AND "revoked_at" IS NULL AND "reauth_reason" IS NULL AND "zuid" IS NOT NULL
  GROUP BY "client_ref", "zuid";--> statement-breakpoint
CREATE FUNCTION "connections_budget_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."refresh_token_enc" IS NOT NULL AND OLD."revoked_at" IS NULL AND OLD."reauth_reason" IS NULL AND OLD."zuid" IS NOT NULL THEN
    UPDATE "refresh_token_budgets" SET "live" = "live" - 1 WHERE "client_ref" = OLD."client_ref" AND "zuid" = OLD."zuid";
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."refresh_token_enc" IS NOT NULL AND NEW."revoked_at" IS NULL AND NEW."reauth_reason" IS NULL AND NEW."zuid" IS NOT NULL THEN
    INSERT INTO "refresh_token_budgets" ("client_ref", "zuid", "live") VALUES (NEW."client_ref", NEW."zuid", 1)
      ON CONFLICT ("client_ref", "zuid") DO UPDATE SET "live" = "refresh_token_budgets"."live" + 1;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "connections_budget" AFTER INSERT OR DELETE OR UPDATE OF "refresh_token_enc", "revoked_at", "reauth_reason", "zuid", "client_ref" ON "connections"
  FOR EACH ROW EXECUTE FUNCTION "connections_budget_keep"();
