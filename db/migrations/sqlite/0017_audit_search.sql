ALTER TABLE `audit_events` ADD `search_text` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `request_id` text;--> statement-breakpoint
-- Hand-written. The search column is filled for the events already kept, which the append-only trigger
-- would refuse: it is dropped for the backfill and made again with the new column among those a
-- folded row may not change. Older events get their action, actor, target name and detail (the
-- sentence is written in TypeScript, so only events recorded from now on carry it).
DROP TRIGGER `audit_events_append_only`;--> statement-breakpoint
UPDATE `audit_events` SET `search_text` = substr(
  `action` || ' ' || `actor_label` || ' ' ||
  coalesce(CASE WHEN `target_id` GLOB '[0-9]*' AND `target_id` NOT GLOB '*[^0-9]*' THEN CASE `target_type`
    WHEN 'connection' THEN (SELECT `name` FROM `connections` WHERE `id` = CAST(`target_id` AS INTEGER))
    WHEN 'client' THEN (SELECT `name` FROM `zoho_clients` WHERE `id` = CAST(`target_id` AS INTEGER))
    WHEN 'user' THEN (SELECT `email` FROM `users` WHERE `id` = CAST(`target_id` AS INTEGER))
    WHEN 'api_key' THEN (SELECT `name` FROM `api_keys` WHERE `id` = CAST(`target_id` AS INTEGER))
    WHEN 'alert_destination' THEN (SELECT `name` FROM `alert_destinations` WHERE `id` = CAST(`target_id` AS INTEGER))
  END END, '') || ' ' || coalesce(`detail`, ''), 1, 4000);--> statement-breakpoint
CREATE TRIGGER `audit_events_append_only` BEFORE UPDATE ON `audit_events`
WHEN NOT (
  OLD.`aggregate_key` IS NOT NULL
  AND NEW.`repeat_count` > OLD.`repeat_count`
  AND NEW.`id` IS OLD.`id` AND NEW.`created_at` IS OLD.`created_at`
  AND NEW.`actor_type` IS OLD.`actor_type` AND NEW.`actor_id` IS OLD.`actor_id` AND NEW.`actor_label` IS OLD.`actor_label`
  AND NEW.`action` IS OLD.`action` AND NEW.`target_type` IS OLD.`target_type` AND NEW.`target_id` IS OLD.`target_id`
  AND NEW.`outcome` IS OLD.`outcome` AND NEW.`detail` IS OLD.`detail` AND NEW.`ip` IS OLD.`ip`
  AND NEW.`aggregate_key` IS OLD.`aggregate_key` AND NEW.`trigger` IS OLD.`trigger`
  AND NEW.`search_text` IS OLD.`search_text` AND NEW.`request_id` IS OLD.`request_id`
)
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;--> statement-breakpoint
-- The search index: an FTS5 table over the column (external content, so the text is stored once)
-- with the trigram tokenizer, which finds any substring of 3+ characters, case-insensitively.
-- Triggers keep it in step in the transaction of each insert and of each retention delete; the
-- column never changes after the insert (the trigger above), so no update needs mirroring.
CREATE VIRTUAL TABLE `audit_search` USING fts5(`search_text`, content='audit_events', content_rowid='id', tokenize='trigram');--> statement-breakpoint
CREATE TRIGGER `audit_search_insert` AFTER INSERT ON `audit_events`
BEGIN
  INSERT INTO `audit_search` (`rowid`, `search_text`) VALUES (NEW.`id`, NEW.`search_text`);
END;--> statement-breakpoint
CREATE TRIGGER `audit_search_delete` AFTER DELETE ON `audit_events`
BEGIN
  INSERT INTO `audit_search` (`audit_search`, `rowid`, `search_text`) VALUES ('delete', OLD.`id`, OLD.`search_text`);
END;--> statement-breakpoint
INSERT INTO `audit_search` (`audit_search`) VALUES ('rebuild');
