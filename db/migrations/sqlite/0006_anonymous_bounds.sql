ALTER TABLE `audit_events` ADD `repeat_count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `aggregate_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_aggregate_key` ON `audit_events` (`aggregate_key`);--> statement-breakpoint
-- Audit rows stay unchangeable, with one exception: the count of a folded anonymous row may
-- only go up. Every other column, and the count of any other row, is refused as before.
DROP TRIGGER `audit_events_append_only`;--> statement-breakpoint
CREATE TRIGGER `audit_events_append_only` BEFORE UPDATE ON `audit_events`
WHEN NOT (
  OLD.`aggregate_key` IS NOT NULL
  AND NEW.`repeat_count` > OLD.`repeat_count`
  AND NEW.`id` IS OLD.`id` AND NEW.`created_at` IS OLD.`created_at`
  AND NEW.`actor_type` IS OLD.`actor_type` AND NEW.`actor_id` IS OLD.`actor_id` AND NEW.`actor_label` IS OLD.`actor_label`
  AND NEW.`action` IS OLD.`action` AND NEW.`target_type` IS OLD.`target_type` AND NEW.`target_id` IS OLD.`target_id`
  AND NEW.`outcome` IS OLD.`outcome` AND NEW.`detail` IS OLD.`detail` AND NEW.`ip` IS OLD.`ip`
  AND NEW.`aggregate_key` IS OLD.`aggregate_key`
)
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;
