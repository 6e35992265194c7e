CREATE TABLE "api_rate_buckets" (
	"key_id" integer PRIMARY KEY NOT NULL,
	"credit" bigint NOT NULL,
	"at" bigint NOT NULL,
	"per_minute" integer NOT NULL,
	"allowed" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console_instances" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"build_id" text NOT NULL,
	"fingerprints" text NOT NULL,
	"started_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"stopped_at" bigint
);
--> statement-breakpoint
CREATE TABLE "refresher_claims" (
	"connection_id" integer PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_rate_buckets" ADD CONSTRAINT "api_rate_buckets_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresher_claims" ADD CONSTRAINT "refresher_claims_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "console_instances_seen" ON "console_instances" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "refresher_claims_owner" ON "refresher_claims" USING btree ("owner");