CREATE TABLE `refresh_token_lives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connection_id` integer NOT NULL,
	`client_ref` integer NOT NULL,
	`zuid` text,
	`issued_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`client_ref`) REFERENCES `zoho_clients`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `refresh_token_lives_client` ON `refresh_token_lives` (`client_ref`,`ended_at`);--> statement-breakpoint
CREATE INDEX `refresh_token_lives_connection` ON `refresh_token_lives` (`connection_id`,`ended_at`);--> statement-breakpoint
DROP INDEX `audit_events_target`;--> statement-breakpoint
CREATE INDEX `audit_events_target_at` ON `audit_events` (`target_type`,`target_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_action_at` ON `audit_events` (`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_at` ON `audit_events` (`actor_type`,`actor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_outcome_at` ON `audit_events` (`outcome`,`created_at`);--> statement-breakpoint
ALTER TABLE `token_mints` ADD `via` text;--> statement-breakpoint
ALTER TABLE `token_mints` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `token_mints` ADD `ended_at` integer;--> statement-breakpoint
ALTER TABLE `token_mints` ADD `end_reason` text;--> statement-breakpoint
ALTER TABLE `token_mints` ADD `token_last4` text;--> statement-breakpoint
CREATE INDEX `token_mints_at` ON `token_mints` (`at`);--> statement-breakpoint
CREATE INDEX `token_mints_open` ON `token_mints` (`connection_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `refresher_runs_started` ON `refresher_runs` (`started_at`);--> statement-breakpoint
-- Whole milliseconds, so the audit page's (time, id) keyset compares exactly; done before the
-- trigger below makes audit rows unchangeable.
UPDATE `audit_events` SET `created_at` = CAST(`created_at` AS INTEGER) WHERE `created_at` <> CAST(`created_at` AS INTEGER);--> statement-breakpoint
CREATE TRIGGER `audit_events_append_only` BEFORE UPDATE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;--> statement-breakpoint
-- Token lives from the mints recorded so far: each mint ended when the next one was made.
UPDATE `token_mints` SET
  `ended_at` = (SELECT min(m2.`at`) FROM `token_mints` m2 WHERE m2.`connection_id` = `token_mints`.`connection_id` AND m2.`at` > `token_mints`.`at`),
  `end_reason` = 'replaced'
WHERE EXISTS (SELECT 1 FROM `token_mints` m2 WHERE m2.`connection_id` = `token_mints`.`connection_id` AND m2.`at` > `token_mints`.`at`);--> statement-breakpoint
UPDATE `token_mints` SET
  `expires_at` = (SELECT c.`access_token_expires_at` FROM `connections` c WHERE c.`id` = `token_mints`.`connection_id`),
  `ended_at` = (SELECT coalesce(c.`revoked_at`, c.`reauth_at`) FROM `connections` c WHERE c.`id` = `token_mints`.`connection_id`),
  `end_reason` = (SELECT CASE WHEN c.`revoked_at` IS NOT NULL THEN 'revoked' WHEN c.`reauth_at` IS NOT NULL THEN c.`reauth_reason` END FROM `connections` c WHERE c.`id` = `token_mints`.`connection_id`)
WHERE `ended_at` IS NULL;--> statement-breakpoint
INSERT INTO `refresh_token_lives` (`connection_id`, `client_ref`, `zuid`, `issued_at`)
SELECT `id`, `client_ref`, `zuid`, `refresh_token_issued_at` FROM `connections`
WHERE `refresh_token_enc` IS NOT NULL AND `revoked_at` IS NULL AND `reauth_reason` IS NULL AND `refresh_token_issued_at` IS NOT NULL;
