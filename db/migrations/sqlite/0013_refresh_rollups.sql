CREATE TABLE `refresh_rollups` (
	`bucket` integer NOT NULL,
	`trigger` text NOT NULL,
	`outcome` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`bucket`, `trigger`, `outcome`)
);
--> statement-breakpoint
ALTER TABLE `audit_events` ADD `trigger` text;--> statement-breakpoint
CREATE INDEX `audit_events_trigger_outcome_at` ON `audit_events` (`trigger`,`outcome`,`created_at`);--> statement-breakpoint
CREATE INDEX `connections_budgets` ON `connections` (`revoked_at`,`reauth_reason`,`has_refresh_token`,`client_ref`,`zuid`);--> statement-breakpoint
-- Hand-written: the trigger moves out of the JSON detail into its column for the refresh events
-- already kept, which the append-only trigger would refuse; it is dropped for the backfill and
-- made again with the new column among those a folded row may not change.
DROP TRIGGER `audit_events_append_only`;--> statement-breakpoint
UPDATE `audit_events` SET `trigger` = json_extract(`detail`, '$.trigger')
WHERE `action` = 'connection.refresh' AND json_valid(`detail`) AND json_type(`detail`, '$.trigger') = 'text';--> statement-breakpoint
CREATE TRIGGER `audit_events_append_only` BEFORE UPDATE ON `audit_events`
WHEN NOT (
  OLD.`aggregate_key` IS NOT NULL
  AND NEW.`repeat_count` > OLD.`repeat_count`
  AND NEW.`id` IS OLD.`id` AND NEW.`created_at` IS OLD.`created_at`
  AND NEW.`actor_type` IS OLD.`actor_type` AND NEW.`actor_id` IS OLD.`actor_id` AND NEW.`actor_label` IS OLD.`actor_label`
  AND NEW.`action` IS OLD.`action` AND NEW.`target_type` IS OLD.`target_type` AND NEW.`target_id` IS OLD.`target_id`
  AND NEW.`outcome` IS OLD.`outcome` AND NEW.`detail` IS OLD.`detail` AND NEW.`ip` IS OLD.`ip`
  AND NEW.`aggregate_key` IS OLD.`aggregate_key` AND NEW.`trigger` IS OLD.`trigger`
)
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;--> statement-breakpoint
-- The same statement as lib/audit/rollups.ts ROLLUP_BACKFILL: a folded row counts its repeats.
INSERT INTO `refresh_rollups` (`bucket`, `trigger`, `outcome`, `count`)
SELECT (`created_at` / 900000) * 900000, coalesce(`trigger`, ''), `outcome`, sum(`repeat_count`)
FROM `audit_events` WHERE `action` = 'connection.refresh'
GROUP BY 1, 2, 3;
