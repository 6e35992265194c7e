CREATE TABLE "connection_tags" (
	"connection_id" integer NOT NULL,
	"tag" text NOT NULL,
	"created_at" bigint DEFAULT (extract(epoch from clock_timestamp()) * 1000)::bigint NOT NULL,
	CONSTRAINT "connection_tags_connection_id_tag_pk" PRIMARY KEY("connection_id","tag")
);
--> statement-breakpoint
CREATE TABLE "zoho_pacing" (
	"key" text PRIMARY KEY NOT NULL,
	"next_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "connection_tags" ADD CONSTRAINT "connection_tags_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connection_tags_tag" ON "connection_tags" USING btree ("tag","connection_id");