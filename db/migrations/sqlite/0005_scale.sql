CREATE TABLE `data_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `connections` ADD `has_access_token` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `connections` ADD `has_refresh_token` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `connections_name` ON `connections` ("name" collate nocase);--> statement-breakpoint
CREATE INDEX `connections_created` ON `connections` (`created_at`);--> statement-breakpoint
CREATE INDEX `connections_last_refresh` ON `connections` (`last_refresh_at`);--> statement-breakpoint
CREATE INDEX `connections_status` ON `connections` (`revoked_at`,`reauth_reason`,`last_error_kind`,`failure_count`,`access_type`,`has_refresh_token`,`has_access_token`,`throttled_until`,`access_token_expires_at`,`client_ref`,`location`);--> statement-breakpoint
CREATE INDEX `connections_live_refresh_tokens` ON `connections` (`client_ref`,`zuid`) WHERE refresh_token_enc is not null and revoked_at is null and reauth_reason is null and zuid is not null;--> statement-breakpoint
CREATE INDEX `login_throttle_window` ON `login_throttle` (`window_started_at`);--> statement-breakpoint
CREATE INDEX `oauth_attempts_expires` ON `oauth_attempts` (`expires_at`);--> statement-breakpoint
UPDATE `connections` SET `has_access_token` = (`access_token_enc` IS NOT NULL), `has_refresh_token` = (`refresh_token_enc` IS NOT NULL);--> statement-breakpoint
CREATE TRIGGER `connections_token_flags_insert` AFTER INSERT ON `connections`
BEGIN
  UPDATE `connections` SET `has_access_token` = (new.`access_token_enc` IS NOT NULL), `has_refresh_token` = (new.`refresh_token_enc` IS NOT NULL) WHERE `id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `connections_token_flags_update` AFTER UPDATE OF `access_token_enc`, `refresh_token_enc` ON `connections`
BEGIN
  UPDATE `connections` SET `has_access_token` = (new.`access_token_enc` IS NOT NULL), `has_refresh_token` = (new.`refresh_token_enc` IS NOT NULL) WHERE `id` = new.`id`;
END;--> statement-breakpoint
INSERT INTO `data_versions` (`name`, `version`) VALUES ('connections', 0);--> statement-breakpoint
CREATE TRIGGER `connections_version_insert` AFTER INSERT ON `connections`
BEGIN
  UPDATE `data_versions` SET `version` = `version` + 1 WHERE `name` = 'connections';
END;--> statement-breakpoint
CREATE TRIGGER `connections_version_update` AFTER UPDATE ON `connections`
BEGIN
  UPDATE `data_versions` SET `version` = `version` + 1 WHERE `name` = 'connections';
END;--> statement-breakpoint
CREATE TRIGGER `connections_version_delete` AFTER DELETE ON `connections`
BEGIN
  UPDATE `data_versions` SET `version` = `version` + 1 WHERE `name` = 'connections';
END;--> statement-breakpoint
-- A client's name shows in the connection list, so its changes count too.
CREATE TRIGGER `zoho_clients_version_update` AFTER UPDATE ON `zoho_clients`
BEGIN
  UPDATE `data_versions` SET `version` = `version` + 1 WHERE `name` = 'connections';
END;
