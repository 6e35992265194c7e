CREATE TABLE `connections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`client_ref` integer NOT NULL,
	`access_type` text NOT NULL,
	`zuid` text,
	`zoho_email` text,
	`zoho_name` text,
	`location` text NOT NULL,
	`accounts_server` text NOT NULL,
	`api_domain` text NOT NULL,
	`scopes_requested` text NOT NULL,
	`scopes_granted` text NOT NULL,
	`org_binding` text DEFAULT '{}' NOT NULL,
	`access_token_enc` text,
	`access_token_last4` text,
	`access_token_expires_at` integer,
	`refresh_token_enc` text,
	`refresh_token_last4` text,
	`refresh_token_issued_at` integer,
	`last_refresh_at` integer,
	`last_error_kind` text,
	`last_error_message` text,
	`last_error_at` integer,
	`failure_count` integer DEFAULT 0 NOT NULL,
	`next_retry_at` integer,
	`throttled_until` integer,
	`reauth_reason` text,
	`reauth_at` integer,
	`revoked_at` integer,
	`keep_fresh` integer DEFAULT true NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`client_ref`) REFERENCES `zoho_clients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `connections_client` ON `connections` (`client_ref`);--> statement-breakpoint
CREATE INDEX `connections_client_zuid` ON `connections` (`client_ref`,`zuid`);--> statement-breakpoint
CREATE INDEX `connections_expiry` ON `connections` (`access_token_expires_at`);--> statement-breakpoint
CREATE TABLE `oauth_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`client_ref` integer NOT NULL,
	`scopes` text NOT NULL,
	`access_type` text NOT NULL,
	`connection_name` text NOT NULL,
	`reconnect_id` integer,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`outcome` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_ref`) REFERENCES `zoho_clients`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_attempts_state_hash` ON `oauth_attempts` (`state_hash`);--> statement-breakpoint
CREATE TABLE `refresher_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`considered` integer DEFAULT 0 NOT NULL,
	`refreshed` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `token_mints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connection_id` integer NOT NULL,
	`grant_type` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `token_mints_connection_at` ON `token_mints` (`connection_id`,`at`);--> statement-breakpoint
CREATE TABLE `zoho_clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`realm` text NOT NULL,
	`client_type` text NOT NULL,
	`client_id` text NOT NULL,
	`secret_enc` text NOT NULL,
	`secret_last4` text NOT NULL,
	`secret_updated_at` integer NOT NULL,
	`home_dc` text NOT NULL,
	`multi_dc` integer DEFAULT false NOT NULL,
	`enabled_dcs` text DEFAULT '[]' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zoho_clients_name_unique` ON `zoho_clients` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `zoho_clients_realm_client_id` ON `zoho_clients` (`realm`,`client_id`);