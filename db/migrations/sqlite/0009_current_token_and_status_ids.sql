-- The status index ends in the id, as PostgreSQL's must (lists select ids from it).
DROP INDEX `connections_status`;--> statement-breakpoint
CREATE INDEX `connections_status` ON `connections` (`revoked_at`,`reauth_reason`,`last_error_kind`,`failure_count`,`access_type`,`has_refresh_token`,`has_access_token`,`throttled_until`,`access_token_expires_at`,`client_ref`,`location`,`id`);--> statement-breakpoint
-- One current token per connection: should earlier writes have left two open lives, each but
-- the newest ends when the next one was minted, before the index makes a second one impossible.
UPDATE `token_mints` SET
  `ended_at` = (SELECT min(m2.`at`) FROM `token_mints` m2 WHERE m2.`connection_id` = `token_mints`.`connection_id` AND m2.`ended_at` IS NULL AND m2.`id` > `token_mints`.`id`),
  `end_reason` = 'replaced'
WHERE `ended_at` IS NULL
  AND EXISTS (SELECT 1 FROM `token_mints` m2 WHERE m2.`connection_id` = `token_mints`.`connection_id` AND m2.`ended_at` IS NULL AND m2.`id` > `token_mints`.`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `token_mints_one_current` ON `token_mints` (`connection_id`) WHERE ended_at is null;