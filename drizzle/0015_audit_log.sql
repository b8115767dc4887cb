CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_user_id` integer,
	`actor_name` text NOT NULL,
	`ip` text,
	`action` text NOT NULL,
	`office_id` integer,
	`school_id` integer,
	`target_type` text,
	`target_id` text,
	`summary` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_office_idx` ON `audit_log` (`office_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_school_idx` ON `audit_log` (`school_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_user_id`,`at`);