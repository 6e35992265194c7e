CREATE TABLE `refresh_token_budgets` (
	`client_ref` integer NOT NULL,
	`zuid` text NOT NULL,
	`live` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`client_ref`, `zuid`),
	FOREIGN KEY (`client_ref`) REFERENCES `zoho_clients`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `connections_budgets`;--> statement-breakpoint
DROP INDEX `connections_expiry`;--> statement-breakpoint
DROP INDEX `connections_unsettled`;--> statement-breakpoint
CREATE INDEX `connections_expiry` ON `connections` (`access_token_expires_at`,`revoked_at`,`reauth_reason`,`last_error_kind`,`failure_count`,`access_type`,`has_refresh_token`,`has_access_token`,`throttled_until`,`keep_fresh`,`id`);--> statement-breakpoint
CREATE INDEX `connections_unsettled` ON `connections` (`access_token_expires_at`,`revoked_at`,`reauth_reason`,`last_error_kind`,`failure_count`,`access_type`,`has_refresh_token`,`has_access_token`,`throttled_until`,`keep_fresh`,`id`) WHERE revoked_at is not null or reauth_reason is not null or failure_count > 0 or throttled_until is not null or not has_access_token or access_token_expires_at is null;--> statement-breakpoint
-- The overview's fullest pairs, read in order: live tokens descending, then client and user.
CREATE INDEX `refresh_token_budgets_fullest` ON `refresh_token_budgets` (`live` DESC, `client_ref`, `zuid`) WHERE `live` > 0;--> statement-breakpoint
-- Live refresh tokens per (client, Zoho user), counted as they are now, then kept by the triggers
-- below on every write that can change whether a connection holds a live one (the condition of
-- the connections_live_refresh_tokens index). Each trigger takes one away from the old pair and
-- adds one to the new: an update that changes nothing that counts changes no total.
INSERT INTO `refresh_token_budgets` (`client_ref`, `zuid`, `live`)
  SELECT `client_ref`, `zuid`, count(*) FROM `connections`
  WHERE `refresh_token_enc` IS NOT NULL AND `revoked_at` IS NULL AND `reauth_reason` IS NULL AND `zuid` IS NOT NULL
  GROUP BY `client_ref`, `zuid`;--> statement-breakpoint
CREATE TRIGGER `connections_budget_insert` AFTER INSERT ON `connections`
  WHEN new.`refresh_token_enc` IS NOT NULL AND new.`revoked_at` IS NULL AND new.`reauth_reason` IS NULL AND new.`zuid` IS NOT NULL
BEGIN
  INSERT INTO `refresh_token_budgets` (`client_ref`, `zuid`, `live`) VALUES (new.`client_ref`, new.`zuid`, 1)
    ON CONFLICT (`client_ref`, `zuid`) DO UPDATE SET `live` = `live` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `connections_budget_update` AFTER UPDATE OF `refresh_token_enc`, `revoked_at`, `reauth_reason`, `zuid`, `client_ref` ON `connections`
BEGIN
  UPDATE `refresh_token_budgets` SET `live` = `live` - 1
    WHERE `client_ref` = old.`client_ref` AND `zuid` = old.`zuid`
      AND old.`refresh_token_enc` IS NOT NULL AND old.`revoked_at` IS NULL AND old.`reauth_reason` IS NULL;
  INSERT INTO `refresh_token_budgets` (`client_ref`, `zuid`, `live`)
    SELECT new.`client_ref`, new.`zuid`, 1
    WHERE new.`refresh_token_enc` IS NOT NULL AND new.`revoked_at` IS NULL AND new.`reauth_reason` IS NULL AND new.`zuid` IS NOT NULL
    ON CONFLICT (`client_ref`, `zuid`) DO UPDATE SET `live` = `live` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `connections_budget_delete` AFTER DELETE ON `connections`
  WHEN old.`refresh_token_enc` IS NOT NULL AND old.`revoked_at` IS NULL AND old.`reauth_reason` IS NULL AND old.`zuid` IS NOT NULL
BEGIN
  UPDATE `refresh_token_budgets` SET `live` = `live` - 1 WHERE `client_ref` = old.`client_ref` AND `zuid` = old.`zuid`;
END;
