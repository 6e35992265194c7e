CREATE TABLE `api_rate_buckets` (
	`key_id` integer PRIMARY KEY NOT NULL,
	`credit` integer NOT NULL,
	`at` integer NOT NULL,
	`per_minute` integer NOT NULL,
	`allowed` integer NOT NULL,
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `console_instances` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`build_id` text NOT NULL,
	`fingerprints` text NOT NULL,
	`started_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
CREATE INDEX `console_instances_seen` ON `console_instances` (`last_seen_at`);--> statement-breakpoint
CREATE TABLE `refresher_claims` (
	`connection_id` integer PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `refresher_claims_owner` ON `refresher_claims` (`owner`);