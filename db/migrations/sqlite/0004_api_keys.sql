CREATE TABLE `api_key_connections` (
	`key_id` integer NOT NULL,
	`connection_id` integer NOT NULL,
	PRIMARY KEY(`key_id`, `connection_id`),
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_key_connections_connection` ON `api_key_connections` (`connection_id`);--> statement-breakpoint
CREATE TABLE `api_key_usage` (
	`key_id` integer NOT NULL,
	`connection_id` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`last_call_at` integer NOT NULL,
	`last_ip` text,
	PRIMARY KEY(`key_id`, `connection_id`),
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_key_usage_connection` ON `api_key_usage` (`connection_id`);--> statement-breakpoint
CREATE TABLE `api_key_usage_hourly` (
	`key_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key_id`, `hour`),
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_key_usage_hourly_hour` ON `api_key_usage_hourly` (`hour`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`permissions` text NOT NULL,
	`all_connections` integer DEFAULT false NOT NULL,
	`rate_limit_per_minute` integer,
	`expires_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`revoked_at` integer,
	`revoked_by` integer,
	`last_used_at` integer,
	`last_used_ip` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_created` ON `api_keys` (`created_at`);