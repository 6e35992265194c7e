DROP INDEX `connections_status`;--> statement-breakpoint
ALTER TABLE `connections` ADD `evicted_by_ref` integer;--> statement-breakpoint
CREATE INDEX `connections_status` ON `connections` (`revoked_at`,`reauth_reason`,`last_error_kind`,`failure_count`,`access_type`,`has_refresh_token`,`has_access_token`,`throttled_until`,`access_token_expires_at`,`keep_fresh`,`client_ref`,`location`,`id`);