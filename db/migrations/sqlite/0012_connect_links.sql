CREATE TABLE `connect_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`kind` text NOT NULL,
	`connection_ref` integer,
	`client_ref` integer NOT NULL,
	`scopes` text NOT NULL,
	`access_type` text NOT NULL,
	`connection_name` text NOT NULL,
	`expected_email` text,
	`start_location` text NOT NULL,
	`expires_at` integer NOT NULL,
	`state` text DEFAULT 'waiting' NOT NULL,
	`state_reason` text,
	`opened_at` integer,
	`consent_started_at` integer,
	`completed_at` integer,
	`completed_zuid` text,
	`completed_email` text,
	`result_connection_ref` integer,
	`revoked_at` integer,
	`revoked_by` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`connection_ref`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`client_ref`) REFERENCES `zoho_clients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`result_connection_ref`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connect_links_token_hash` ON `connect_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `connect_links_created` ON `connect_links` (`created_at`);--> statement-breakpoint
CREATE INDEX `connect_links_creator` ON `connect_links` (`created_by`,`created_at`);--> statement-breakpoint
CREATE INDEX `connect_links_due` ON `connect_links` (`state`,`expires_at`);--> statement-breakpoint
CREATE INDEX `connect_links_connection` ON `connect_links` (`connection_ref`);--> statement-breakpoint
CREATE INDEX `connect_links_result` ON `connect_links` (`result_connection_ref`);--> statement-breakpoint
CREATE INDEX `connect_links_client` ON `connect_links` (`client_ref`);--> statement-breakpoint
CREATE TABLE `public_rate_buckets` (
	`key` text PRIMARY KEY NOT NULL,
	`credit` integer NOT NULL,
	`at` integer NOT NULL,
	`per_minute` integer NOT NULL,
	`allowed` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `public_rate_buckets_at` ON `public_rate_buckets` (`at`);--> statement-breakpoint
-- drizzle-kit leaves ON DELETE out of an added column's REFERENCES; a link's attempts go with it.
ALTER TABLE `oauth_attempts` ADD `link_ref` integer REFERENCES connect_links(id) ON DELETE cascade;--> statement-breakpoint
ALTER TABLE `oauth_attempts` ADD `link_nonce_hash` text;--> statement-breakpoint
CREATE INDEX `oauth_attempts_link` ON `oauth_attempts` (`link_ref`);