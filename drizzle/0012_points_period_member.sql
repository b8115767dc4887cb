DROP INDEX `points_period_board_idx`;--> statement-breakpoint
ALTER TABLE `points_period` ADD `member` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill before the index is built (one pass, no index upkeep per row). A row counts while its
-- user is an active cadre or office admin of the row's office (MEMBER_ROLES in the app).
UPDATE `points_period` SET `member` = 1 WHERE EXISTS (
	SELECT 1 FROM `users` u WHERE u.id = points_period.user_id AND u.office_id = points_period.office_id
		AND u.active = 1 AND u.role IN ('cadre', 'office_admin'));--> statement-breakpoint
CREATE INDEX `points_period_board_idx` ON `points_period` (`office_id`,`period`,"points" DESC,`user_id`) WHERE member = 1;--> statement-breakpoint
-- Whatever changes a user's standing (deactivation, a move, a new role) updates their rows in the
-- same statement's transaction, so no code path can leave the flag stale.
CREATE TRIGGER `users_points_membership` AFTER UPDATE OF `active`, `office_id`, `role` ON `users`
WHEN OLD.active IS NOT NEW.active OR OLD.office_id IS NOT NEW.office_id OR OLD.role IS NOT NEW.role
BEGIN
	UPDATE `points_period` SET `member` = (office_id IS NEW.office_id AND NEW.active = 1 AND NEW.role IN ('cadre', 'office_admin'))
	WHERE user_id = NEW.id AND `member` IS NOT (office_id IS NEW.office_id AND NEW.active = 1 AND NEW.role IN ('cadre', 'office_admin'));
END;
