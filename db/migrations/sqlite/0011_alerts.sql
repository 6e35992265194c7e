CREATE TABLE `alert_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_ref` integer NOT NULL,
	`at` integer NOT NULL,
	`outcome` text NOT NULL,
	`status` integer,
	`latency_ms` integer NOT NULL,
	`error` text,
	`response_head` text,
	FOREIGN KEY (`delivery_ref`) REFERENCES `alert_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_attempts_delivery` ON `alert_attempts` (`delivery_ref`,`at`);--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_ref` integer NOT NULL,
	`destination_ref` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`first_attempt_at` integer,
	`claimed_by` text,
	`claim_expires_at` integer,
	`last_status` integer,
	`last_error` text,
	`last_latency_ms` integer,
	`last_response_head` text,
	`delivered_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_ref`) REFERENCES `alert_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`destination_ref`) REFERENCES `alert_destinations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_due` ON `alert_deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_destination` ON `alert_deliveries` (`destination_ref`,`id`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_event` ON `alert_deliveries` (`event_ref`);--> statement-breakpoint
CREATE TABLE `alert_destinations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`url_enc` text,
	`url_hint` text,
	`emails` text DEFAULT '[]' NOT NULL,
	`events` text DEFAULT '[]' NOT NULL,
	`client_ref` integer,
	`connection_ref` integer,
	`secret_enc` text,
	`previous_secret_enc` text,
	`previous_secret_until` integer,
	`enabled` integer DEFAULT true NOT NULL,
	`paused_at` integer,
	`pause_reason` text,
	`failing_since` integer,
	`last_failure_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`client_ref`) REFERENCES `zoho_clients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_ref`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `alert_destinations_created` ON `alert_destinations` (`created_at`);--> statement-breakpoint
CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`connection_id` integer,
	`client_id` integer,
	`incident_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_events_public_id` ON `alert_events` (`public_id`);--> statement-breakpoint
CREATE INDEX `alert_events_created` ON `alert_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `alert_events_client` ON `alert_events` (`client_id`,`type`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connection_ref` integer NOT NULL,
	`kind` text NOT NULL,
	`error_kind` text,
	`cause` text NOT NULL,
	`failures` integer DEFAULT 1 NOT NULL,
	`opened_at` integer NOT NULL,
	`resolved_at` integer,
	`resolution` text,
	FOREIGN KEY (`connection_ref`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_one_open` ON `incidents` (`connection_ref`) WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX `incidents_opened` ON `incidents` (`opened_at`);--> statement-breakpoint
CREATE INDEX `incidents_connection` ON `incidents` (`connection_ref`,`opened_at`);--> statement-breakpoint
CREATE TABLE `scheduled_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `token_rejections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connection_id` integer NOT NULL,
	`key_id` integer,
	`source` text NOT NULL,
	`zoho_code` text,
	`outcome` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `token_rejections_connection_key` ON `token_rejections` (`connection_id`,`key_id`,`at`);--> statement-breakpoint
CREATE INDEX `token_rejections_at` ON `token_rejections` (`at`);--> statement-breakpoint
ALTER TABLE `connections` ADD `failure_streak` integer DEFAULT 0 NOT NULL;